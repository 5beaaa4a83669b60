"""The ServiceNow connector against a loopback fake of ServiceNow (ServiceNow cannot run here).

The fake (`tests.fakes.servicenow`) is built from the documented Table API and OAuth endpoint,
and holds the connector to the facts that matter for exactly-once sync: an invalid part of
``sysparm_query`` is silently ignored and other incidents come back (the fake can ignore the
whole query), ``correlation_id``/``correlation_display`` queries, state codes (6 Resolved,
7 Closed, 8 Canceled), numbers like ``INC0010001``, ``sys_updated_on`` as ``YYYY-MM-DD HH:MM:SS``
in UTC, reference fields as links unless excluded, ``short_description`` stored to 160
characters, 429 with ``Retry-After`` under a rate limit, Basic auth, and OAuth's refresh-token
grant on ``/oauth_token.do`` issuing 30-minute access tokens. Each test talks real HTTP to it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from cowapp.domain.ticket import TicketPayload, TicketState
from cowapp.sync.connectors import servicenow as servicenow_module
from cowapp.sync.connectors.base import (
    AuthError,
    RejectedError,
    RemoteState,
    RemoteTicket,
    TransientError,
)
from cowapp.sync.connectors.servicenow import ServiceNowConnector
from cowapp.sync.settings import Mapping, SyncSettings
from tests.fakes.servicenow import FakeServiceNow
from tests.integration.sync_helpers import PAYLOAD_SUBJECT, FakeClock
from tests.integration.sync_helpers import ticket_payload as shared_ticket_payload

T0 = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
DESK_ID = "287ebd7da9fe198100f92cc8d1d2154e"
OAUTH_SECRET = "cs-1\nrt-1"
SERVICENOW_BODY = "Melding KD7-M4X van kar COW-07, afdeling B4\n\nEtiketten komen blanco uit"


def ticket_payload(
    state: TicketState = TicketState.OPEN,
    *,
    body: str = SERVICENOW_BODY,
    urgency: int = 1,
    priority: int = 2,
    **changes: Any,
) -> TicketPayload:
    """`sync_helpers.ticket_payload` with this module's defaults: a plain body, urgency 1 and
    priority 2 (what the resolved-issue test expects ServiceNow to store)."""
    return shared_ticket_payload(state, body=body, urgency=urgency, priority=priority, **changes)


@pytest.fixture
def clock() -> FakeClock:
    """The clock the fake reads, at ``T0``; tests move it forward (``clock.now = ...``)."""
    return FakeClock(T0)


@pytest.fixture
def fake(clock: FakeClock) -> Iterator[FakeServiceNow]:
    with FakeServiceNow(username="cowapp.integration", password="sn-pass-1") as server:
        server.now = clock
        server.groups = {DESK_ID: "Service Desk"}
        yield server


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as http:
        yield http


def connect(
    fake: FakeServiceNow,
    client: httpx.Client,
    secret: str = "sn-pass-1",
    mapping: Mapping | None = None,
    **options: str,
) -> ServiceNowConnector:
    """A connector for ``fake`` with ``[servicenow]`` options (username set unless given)."""
    settings = SyncSettings(
        connector="servicenow",
        url=fake.url,
        options={"username": "cowapp.integration", **options},
        mapping=mapping or Mapping(),
    )
    return ServiceNowConnector(client, secret, settings)


def stored(fake: FakeServiceNow, ticket: RemoteTicket) -> dict[str, str]:
    return next(r for r in fake.incidents if r["sys_id"] == ticket.id)


def test_a_resolved_issue_is_created_resolved_with_close_code_and_notes(
    fake: FakeServiceNow, client: httpx.Client
) -> None:
    payload = ticket_payload(TicketState.RESOLVED)
    ticket = connect(fake, client).create(payload)

    record = stored(fake, ticket)
    assert ticket.number == "INC0010001" and ticket.external_id == payload.external_id
    assert (record["correlation_id"], record["correlation_display"]) == (
        payload.external_id,
        "cowapp",
    )
    assert record["state"] == "6" and record["close_code"] == "Solved (Permanently)"
    assert record["close_notes"] == payload.resolution
    assert (record["impact"], record["urgency"], record["priority"]) == ("2", "1", "2")
    assert record["contact_type"] == "walk-in" and record["assignment_group"] == ""


def test_an_escalated_issue_gets_the_mapped_assignment_group_and_category(
    fake: FakeServiceNow, client: httpx.Client
) -> None:
    mapping = Mapping(
        groups={"werkplek": DESK_ID},
        categories={"printing": "hardware"},
        subcategories={"printing/label_printer": "printer"},
    )
    connector = connect(fake, client, mapping=mapping, caller_id="6816f79cc0a8016401c5a33be04be441")
    ticket = connector.create(ticket_payload(TicketState.ESCALATED))

    record = stored(fake, ticket)
    assert record["assignment_group"] == DESK_ID and record["state"] == "1"
    assert (record["category"], record["subcategory"]) == ("hardware", "printer")
    assert record["caller_id"] == "6816f79cc0a8016401c5a33be04be441"
    assert connector.read(ticket).group == "Service Desk"


def test_an_open_issue_is_new_without_group_or_resolution(
    fake: FakeServiceNow, client: httpx.Client
) -> None:
    ticket = connect(fake, client, contact_type="self-service").create(ticket_payload())

    record = stored(fake, ticket)
    assert record["state"] == "1" and record["assignment_group"] == ""
    assert record["close_code"] == "" and record["close_notes"] == ""
    assert record["category"] == "printing"  # unmapped values are sent as they are
    assert record["contact_type"] == "self-service"


def test_a_long_subject_is_cut_at_a_word_and_kept_whole_in_the_description(
    fake: FakeServiceNow, client: httpx.Client
) -> None:
    subject = PAYLOAD_SUBJECT + " sinds de update" + " en daarna nog steeds niet" * 5
    payload = ticket_payload(subject=subject)
    ticket = connect(fake, client).create(payload)

    record = stored(fake, ticket)
    short = record["short_description"]
    assert len(subject) > 160 and len(short) <= 160 and short.endswith("…")
    assert subject.startswith(short[:-1]) and subject[len(short) - 1] == " "
    assert record["description"] == f"{subject}\n\n{payload.body}"


def test_find_keeps_only_the_matching_incident_when_servicenow_ignores_the_query(
    fake: FakeServiceNow, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(servicenow_module, "PAGE_SIZE", 2)
    connector = connect(fake, client)
    payloads = [ticket_payload() for _ in range(5)]
    tickets = [connector.create(p) for p in payloads]
    fake.ignore_query = True  # as with an invalid query part: every incident comes back

    assert connector.find(payloads[3].external_id) == [tickets[3]]
    assert connector.find(str(uuid.uuid4())) == []


def test_find_returns_every_incident_with_our_correlation_id(
    fake: FakeServiceNow, client: httpx.Client
) -> None:
    connector = connect(fake, client)
    payload = ticket_payload()
    first, second = connector.create(payload), connector.create(payload)
    connector.create(ticket_payload())

    assert connector.find(payload.external_id) == [first, second]


def test_updating_to_resolved_is_sent_once_and_never_reopens_a_closed_incident(
    fake: FakeServiceNow, client: httpx.Client
) -> None:
    connector = connect(fake, client, close_code="Workaround provided")
    payload = ticket_payload()
    ticket, closed = connector.create(payload), connector.create(ticket_payload())
    resolved = replace(payload, state=TicketState.RESOLVED, resolution="Kabel vastgezet")
    with fake.lock:
        stored(fake, closed).update(state="7", close_code="x", close_notes="y")

    connector.update(ticket, resolved)
    connector.update(ticket, resolved)
    connector.update(closed, resolved)

    record = stored(fake, ticket)
    assert (record["state"], record["close_code"]) == ("6", "Workaround provided")
    assert record["close_notes"] == "Kabel vastgezet"
    assert stored(fake, closed)["state"] == "7"
    assert sum(s.startswith("PATCH") for s in fake.seen) == 1


def test_escalating_sets_the_mapped_group_once(fake: FakeServiceNow, client: httpx.Client) -> None:
    connector = connect(fake, client, mapping=Mapping(groups={"werkplek": "Service Desk"}))
    payload = ticket_payload()
    ticket = connector.create(payload)
    escalated = replace(payload, state=TicketState.ESCALATED, group="werkplek")

    connector.update(ticket, escalated)
    connector.update(ticket, escalated)  # the group's display name matches: nothing to send

    assert stored(fake, ticket)["assignment_group"] == DESK_ID
    assert sum(s.startswith("PATCH") for s in fake.seen) == 1


def test_a_note_is_a_work_note(fake: FakeServiceNow, client: httpx.Client) -> None:
    connector = connect(fake, client)
    ticket = connector.create(ticket_payload())

    connector.add_note(ticket, "Notitie van de kar (104233):\nlabelrol vervangen")

    assert fake.work_notes[ticket.id] == ["Notitie van de kar (104233):\nlabelrol vervangen"]


def test_read_reports_state_assignee_group_and_update_time_in_utc(
    fake: FakeServiceNow, client: httpx.Client, clock: FakeClock
) -> None:
    fake.users = {"681b365ec0a80164000fb0b05854a0cd": "Piet Jansen"}
    connector = connect(fake, client)
    ticket = connector.create(ticket_payload())
    assert connector.read(ticket).state is RemoteState.OPEN

    clock.now = T0 + timedelta(minutes=75, seconds=9)
    with fake.lock:
        stored(fake, ticket).update(assigned_to="681b365ec0a80164000fb0b05854a0cd",
                                    assignment_group=DESK_ID, state="6", close_notes="Gedaan",
                                    sys_updated_on="2026-11-03 10:15:09")  # fmt: skip
    status = connector.read(ticket)

    assert status.state is RemoteState.RESOLVED and status.raw_status == "Resolved"
    assert (status.assignee, status.group) == ("Piet Jansen", "Service Desk")
    assert status.resolution == "Gedaan"
    assert status.updated_at == datetime(2026, 11, 3, 10, 15, 9, tzinfo=UTC)
    for state in ("7", "8"):
        with fake.lock:
            stored(fake, ticket)["state"] = state
        assert connector.read(ticket).state is RemoteState.CLOSED


def test_changed_since_lists_only_our_incidents_updated_since(
    fake: FakeServiceNow, client: httpx.Client, clock: FakeClock
) -> None:
    connector = connect(fake, client)
    connector.create(ticket_payload())
    clock.now = T0 + timedelta(hours=1)
    newer = connector.create(ticket_payload())
    connect(fake, client, correlation_display="other-cart-app").create(ticket_payload())
    email = {"short_description": "Mail", "correlation_display": "cowapp", "correlation_id": "x"}
    client.post(f"{fake.url}/api/now/table/incident", auth=("cowapp.integration", "sn-pass-1"),
                json=email)  # fmt: skip

    changed = connector.changed_since(T0 + timedelta(minutes=30))

    assert [s.ticket for s in changed] == [newer]
    assert changed[0].updated_at == T0 + timedelta(hours=1)


def test_wrong_basic_credentials_are_an_auth_error(
    fake: FakeServiceNow, client: httpx.Client
) -> None:
    connect(fake, client).probe()

    with pytest.raises(AuthError, match="HTTP 401") as refused:
        connect(fake, client, secret="old-password").create(ticket_payload())
    assert "old-password" not in str(refused.value)
    assert fake.incidents == []


def test_a_rate_limit_is_transient_with_the_servers_retry_after(
    fake: FakeServiceNow, client: httpx.Client
) -> None:
    connector = connect(fake, client)
    fake.rate_limited, fake.retry_after = True, 42

    with pytest.raises(TransientError, match="HTTP 429") as limited:
        connector.create(ticket_payload())

    assert limited.value.retry_after == 42.0
    assert fake.incidents == []


def test_oauth_tokens_are_reused_and_refreshed_once_when_they_expire(
    fake: FakeServiceNow, client: httpx.Client
) -> None:
    connector = connect(fake, client, OAUTH_SECRET, auth="oauth", client_id="cowapp-oauth")
    connector.probe()
    ticket = connector.create(ticket_payload())
    assert fake.token_requests == 1

    fake.expire_tokens()  # 30 minutes later, earlier than the connector expected
    connector.add_note(ticket, "na verlopen token")

    assert fake.token_requests == 2
    assert fake.work_notes[ticket.id] == ["na verlopen token"]
    assert [s.split()[-1] for s in fake.seen if s.startswith("PATCH")] == ["401", "200"]


def test_a_refused_refresh_token_is_an_auth_error(
    fake: FakeServiceNow, client: httpx.Client
) -> None:
    connector = connect(fake, client, "cs-1\nrt-revoked", auth="oauth", client_id="cowapp-oauth")

    with pytest.raises(AuthError, match="refresh token was refused") as refused:
        connector.probe()
    assert "rt-revoked" not in str(refused.value) and "cs-1" not in str(refused.value)
    with pytest.raises(AuthError, match="two lines"):
        connect(fake, client, "only-one-line", auth="oauth", client_id="cowapp-oauth")


def test_missing_or_invalid_options_are_refused_before_any_request(
    fake: FakeServiceNow, client: httpx.Client
) -> None:
    settings = SyncSettings(connector="servicenow", url=fake.url, options={"auth": "basic"})
    with pytest.raises(RejectedError, match="set `username` in the \\[servicenow\\] section"):
        ServiceNowConnector(client, "sn-pass-1", settings)
    with pytest.raises(RejectedError, match="needs `client_id`"):
        connect(fake, client, OAUTH_SECRET, auth="oauth")
    with pytest.raises(RejectedError, match="'basic' or 'oauth'"):
        connect(fake, client, auth="kerberos")
    with pytest.raises(RejectedError, match="correlation_display"):
        connect(fake, client, correlation_display="cow^app")
    assert fake.seen == [] and fake.token_requests == 0


def test_an_unreachable_servicenow_is_a_transient_error(client: httpx.Client) -> None:
    with FakeServiceNow() as gone:
        url = gone.url
    settings = SyncSettings(connector="servicenow", url=url, options={"username": "u"})

    with pytest.raises(TransientError, match="cannot be reached"):
        ServiceNowConnector(client, "p", settings).probe()
