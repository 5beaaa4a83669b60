"""The interface every connector implements, the errors it raises, and HTTP classification.

No central system honours an idempotency key, so exactly-once is the engine's job; connectors
give it the means: `find` by our UUID (checking equality, because some APIs ignore a bad query
part and return other tickets), `create`, `update`, `add_note`, `read`, `changed_since` and a
cheap `probe`. Every failure is raised as one of the `SyncError` classes below, which tell the
engine whether to retry, pause the queue, or park the item for a human.
"""

from __future__ import annotations

import email.utils
import enum
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import httpx

from cowapp.domain.ticket import TicketPayload


class RemoteState(enum.StrEnum):
    """A central ticket's life-cycle state, normalised across systems."""

    OPEN = "open"
    RESOLVED = "resolved"
    CLOSED = "closed"


@dataclass(frozen=True)
class RemoteTicket:
    """A ticket in the central system.

    Attributes:
        id: the system's own key (RT id, TOPdesk UUID, ServiceNow sys_id), used in URLs.
        number: what people quote (RT "7", TOPdesk "I 2611 042", ServiceNow "INC0010001").
        external_id: our UUID as stored remotely (None when the field was dropped).
    """

    id: str
    number: str
    external_id: str | None


@dataclass(frozen=True)
class RemoteStatus:
    """What the central system says about a ticket now."""

    ticket: RemoteTicket
    state: RemoteState
    raw_status: str
    assignee: str | None
    group: str | None
    resolution: str
    updated_at: datetime  # server time, UTC


class SyncError(Exception):
    """Base class of everything a connector raises. Messages never contain secrets."""


class TransientError(SyncError):
    """Network trouble, timeout, 408, 429, 5xx, garbage: retry later, looking up first.

    Attributes:
        retry_after: the server's ``Retry-After`` in seconds (a minimum), if it sent one.
    """

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AuthError(SyncError):
    """401/403 on credentials: pause the whole queue, keep everything, ask for credentials."""


class RejectedError(SyncError):
    """Another 4xx (or a configuration problem): park the item as needing attention."""


class VerificationError(SyncError):
    """A 2xx that did not do what was asked (a dropped reference, an error inside a 200)."""


class Connector(Protocol):
    """What the engine needs from a central system. Implementations take an httpx.Client."""

    name: str

    def probe(self) -> None:
        """Cheap reachability and credentials check; raises a `SyncError` on failure."""

    def find(self, external_id: str) -> list[RemoteTicket]:
        """Tickets whose reference field equals ``external_id`` exactly (any count)."""

    def create(self, payload: TicketPayload) -> RemoteTicket:
        """Create a ticket in ``payload.state`` (resolved ones with their resolution)."""

    def update(self, ticket: RemoteTicket, payload: TicketPayload) -> None:
        """Bring an existing ticket to ``payload.state`` (idempotent: safe to repeat)."""

    def add_note(self, ticket: RemoteTicket, text: str) -> None:
        """Add an internal note."""

    def read(self, ticket: RemoteTicket) -> RemoteStatus:
        """The ticket's current state."""

    def changed_since(self, since: datetime) -> list[RemoteStatus]:
        """Tickets of ours changed at or after ``since`` (server time; may include older)."""


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def raise_for_status(response: httpx.Response, action: str) -> None:
    """Raise the `SyncError` class a response belongs to; return for 2xx.

    Args:
        response: the server's answer.
        action: what was tried, for the message ("creating the ticket").
    """
    code = response.status_code
    if 200 <= code < 300:
        return
    detail = server_message(response)
    where = f"{action}: HTTP {code}" + (f": {detail}" if detail else "")
    if code in (408, 429) or code >= 500:
        raise TransientError(where, parse_retry_after(response.headers.get("Retry-After")))
    if code in (401, 403):
        raise AuthError(where)
    if 300 <= code < 400:
        target = response.headers.get("Location", "?")
        raise RejectedError(
            f"{action}: the server redirected to {target}; cowapp does not "
            "follow redirects (credentials stay with the configured host): "
            "configure the final URL"
        )
    raise RejectedError(where)


def server_message(response: httpx.Response, limit: int = 300) -> str:
    """The server's own error text, shortened; JSON ``message``/``error`` fields preferred."""
    try:
        data = response.json()
    except ValueError:
        text = response.text.strip()
        return "" if text.lstrip().startswith("<") else " ".join(text.split())[:limit]
    return " ".join(_message_in(data).split())[:limit]


def _message_in(data: object) -> str:
    # RT: {"message"}; TOPdesk: [{"message"}]; ServiceNow: {"error": {"message", "detail"}}.
    if isinstance(data, list):
        return "; ".join(_message_in(item) for item in data)
    if isinstance(data, dict):
        for key in ("message", "error", "errors"):
            if key in data:
                text, detail = _message_in(data[key]), data.get("detail")
                return f"{text} ({detail})" if detail and key == "message" else text
        if "detail" in data:
            return str(data["detail"])
    return str(data)


def json_body(response: httpx.Response, action: str) -> object:
    """Parse a 2xx body as JSON; garbage (an HTML error page with 200) is a transient failure."""
    try:
        return response.json()
    except ValueError:
        raise TransientError(
            f"{action}: the server answered {response.status_code} with something that is not JSON"
        ) from None
