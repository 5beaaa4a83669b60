"""HTTP answers are sorted into the retry classes of DESIGN.md, and the server's own words are
kept for the technician whatever shape each system wraps them in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from cowapp.sync.connectors.base import (
    AuthError,
    RejectedError,
    TransientError,
    parse_retry_after,
    raise_for_status,
    server_message,
)


def answer(status: int, body: object = None, **headers: str) -> httpx.Response:
    request = httpx.Request("POST", "https://itsm.example/api")
    if body is None:
        return httpx.Response(status, headers=headers, request=request)
    return httpx.Response(status, json=body, headers=headers, request=request)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_statuses(status: int) -> None:
    with pytest.raises(TransientError):
        raise_for_status(answer(status), "creating the ticket")


@pytest.mark.parametrize("status", [401, 403])
def test_credentials_refused(status: int) -> None:
    with pytest.raises(AuthError, match=f"creating the ticket: HTTP {status}"):
        raise_for_status(answer(status, {"message": "Unauthorized"}), "creating the ticket")


def test_other_4xx_is_parked_with_the_servers_words() -> None:
    with pytest.raises(RejectedError, match="briefDescription too long"):
        raise_for_status(answer(400, [{"message": "briefDescription too long"}]), "creating")


def test_redirects_are_refused_not_followed() -> None:
    with pytest.raises(RejectedError, match=r"redirected to https://login\.example/"):
        raise_for_status(answer(302, Location="https://login.example/"), "probing")


def test_success_passes() -> None:
    raise_for_status(answer(201, {"id": "7"}), "creating")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"message": "No permission"}, "No permission"),
        ([{"message": "a"}, {"message": "b"}], "a; b"),
        (
            {"error": {"message": "Invalid table", "detail": "incidentx"}},
            "Invalid table (incidentx)",
        ),
    ],
)
def test_server_message_shapes(body: object, expected: str) -> None:
    assert server_message(answer(400, body)) == expected


def test_html_error_pages_are_not_shown_as_messages() -> None:
    page = httpx.Response(502, text="<html><body>Bad gateway</body></html>")
    assert server_message(page) == ""


def test_retry_after_seconds_and_http_date() -> None:
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90
    assert parse_retry_after(format_datetime(now - timedelta(seconds=5), usegmt=True), now) == 0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None
