"""The TOPdesk connector against a loopback fake of TOPdesk (TOPdesk cannot run here).

The fake (`tests.fakes.topdesk`) is built from TOPdesk's documented incident API, and holds it to
the facts that matter for exactly-once sync: ``briefDescription`` at most 80 characters and
``externalNumber`` at most 60 (400 with a ``[{"message": ...}]`` body otherwise), unknown fields
refused, FIQL queries on ``externalNumber`` and ``modificationDate``, lists answering 206 while
more pages follow and 204 when nothing matches, Basic auth with an application password that can
expire (401), and incident numbers like ``I 2611 001``. Each test talks real HTTP to it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from cowapp.domain.ticket import TicketState
from cowapp.sync.connectors import topdesk as topdesk_module
from cowapp.sync.connectors.base import (
    AuthError,
    RejectedError,
    RemoteState,
    RemoteTicket,
    TransientError,
)
from cowapp.sync.connectors.topdesk import TopdeskConnector
from cowapp.sync.settings import Mapping, SyncSettings
from tests.fakes import topdesk as topdesk_fake
from tests.fakes.topdesk import FakeTopdesk
from tests.integration.sync_helpers import PAYLOAD_SUBJECT, FakeClock, ticket_payload

T0 = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    """The clock the fake reads, at ``T0``; tests move it forward (``clock.now = ...``)."""
    return FakeClock(T0)


@pytest.fixture
def fake(clock: FakeClock) -> Iterator[FakeTopdesk]:
    with FakeTopdesk(login="cowapp-api", password="app-pass-1") as server:
        server.now = clock
        yield server


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as http:
        yield http


def connect(
    fake: FakeTopdesk,
    client: httpx.Client,
    secret: str = "app-pass-1",
    mapping: Mapping | None = None,
    **options: str,
) -> TopdeskConnector:
    """A connector for ``fake`` with ``[topdesk]`` options (login set unless given)."""
    settings = SyncSettings(
        connector="topdesk",
        url=fake.url,
        options={"login": "cowapp-api", **options},
        mapping=mapping or Mapping(),
    )
    return TopdeskConnector(client, secret, settings)


def stored(fake: FakeTopdesk, ticket: RemoteTicket) -> dict[str, Any]:
    return next(i for i in fake.incidents if i["id"] == ticket.id)


def test_a_resolved_issue_becomes_a_closed_incident_with_closure_code_and_resolution(
    fake: FakeTopdesk, client: httpx.Client
) -> None:
    payload = ticket_payload(TicketState.RESOLVED)
    ticket = connect(fake, client).create(payload)

    incident = stored(fake, ticket)
    assert ticket.number == "I 2611 001" and ticket.external_id == payload.external_id
    assert incident["externalNumber"] == payload.external_id
    assert incident["completed"] is True and incident["closed"] is True
    assert incident["closureCode"]["name"] == "Opgelost"
    assert incident["caller"]["dynamicName"] == "COW-kar"
    assert [a["memoText"] for a in fake.actions[ticket.id]] == [payload.resolution]
    assert incident["operatorGroup"] is None


def test_an_escalated_issue_gets_the_mapped_operator_group_category_and_priority(
    fake: FakeTopdesk, client: httpx.Client
) -> None:
    group_id = "0b7a5c3e-1111-4c2d-9e8f-0123456789ab"
    mapping = Mapping(
        groups={"werkplek": group_id},
        categories={"printing": "Printen"},
        subcategories={"printing/label_printer": "Etikettenprinter"},
        priorities={"3": "P3 Normaal"},
    )
    connector = connect(fake, client, mapping=mapping, caller_name="Kar B4", entry_type="Kar")
    ticket = connector.create(ticket_payload(TicketState.ESCALATED))

    incident = stored(fake, ticket)
    assert incident["operatorGroup"]["id"] == group_id  # a UUID is sent as {"id": ...}
    assert incident["category"]["name"] == "Printen"
    assert incident["subcategory"]["name"] == "Etikettenprinter"
    assert incident["priority"]["name"] == "P3 Normaal"
    assert incident["entryType"]["name"] == "Kar"
    assert incident["caller"]["dynamicName"] == "Kar B4"
    assert incident["completed"] is False and fake.actions[ticket.id] == []


def test_an_open_issue_sends_no_group_no_closure_and_no_unmapped_priority(
    fake: FakeTopdesk, client: httpx.Client
) -> None:
    ticket = connect(fake, client).create(ticket_payload(TicketState.OPEN))

    incident = stored(fake, ticket)
    assert incident["operatorGroup"] is None and incident["closureCode"] is None
    assert incident["priority"] is None and incident["impact"] is None
    assert incident["category"]["name"] == "printing"  # unmapped values are sent as they are
    assert incident["completed"] is False and incident["closed"] is False


def test_a_long_subject_is_cut_at_a_word_for_the_brief_description_and_kept_whole(
    fake: FakeTopdesk, client: httpx.Client
) -> None:
    subject = PAYLOAD_SUBJECT + (
        " na de update van vanochtend, ook niet na opnieuw opstarten van de kar"
    )
    payload = ticket_payload(subject=subject)
    ticket = connect(fake, client).create(payload)

    incident = stored(fake, ticket)
    brief = incident["briefDescription"]
    assert len(subject) > 80 and len(brief) <= 80 and brief.endswith("…")
    assert subject.startswith(brief[:-1]) and subject[len(brief) - 1] == " "
    assert incident["request"].startswith(subject.replace("&", "&amp;") + "<br><br>")
    assert "Etiket &lt;leeg&gt; &amp; scheef" in incident["request"]


def test_the_fake_refuses_what_topdesk_refuses(fake: FakeTopdesk, client: httpx.Client) -> None:
    auth = ("cowapp-api", "app-pass-1")
    url = f"{fake.url}/tas/api/incidents"
    caller = {"dynamicName": "x"}
    too_long = client.post(url, auth=auth, json={"caller": caller, "briefDescription": "x" * 81})
    too_long_number = client.post(
        url, auth=auth, json={"caller": caller, "externalNumber": "9" * 61}
    )
    unknown = client.post(url, auth=auth, json={"caller": caller, "briefDescripton": "typo"})

    assert [r.status_code for r in (too_long, too_long_number, unknown)] == [400, 400, 400]
    assert "briefDescription" in too_long.json()[0]["message"]
    assert "briefDescripton" in unknown.json()[0]["message"]
    assert fake.incidents == []


def test_a_refused_create_is_rejected_with_topdesks_message(
    fake: FakeTopdesk, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(topdesk_fake.LIMITS, "briefDescription", 20)  # a stricter TOPdesk

    with pytest.raises(RejectedError, match="longer than the maximum of 20 characters"):
        connect(fake, client).create(ticket_payload())


def test_find_returns_every_incident_with_exactly_our_external_number_and_no_near_miss(
    fake: FakeTopdesk, client: httpx.Client
) -> None:
    connector = connect(fake, client)
    payload = ticket_payload()
    first, second = connector.create(payload), connector.create(payload)  # not unique in TOPdesk
    connector.create(ticket_payload())

    near_miss = {"caller": {"dynamicName": "Import"}, "externalNumber": payload.external_id.upper()}
    url, auth = f"{fake.url}/tas/api/incidents", ("cowapp-api", "app-pass-1")
    client.post(url, auth=auth, json=near_miss)
    query = {"query": f'externalNumber=="{payload.external_id}"'}
    assert len(client.get(url, auth=auth, params=query).json()) == 3  # TOPdesk's answer

    assert connector.find(payload.external_id) == [first, second]
    assert connector.find(str(uuid.uuid4())) == []
    assert fake.seen[-1] == "GET /tas/api/incidents 204"  # No Content: nothing matched


def test_find_quotes_a_prefix_with_fiql_reserved_characters(
    fake: FakeTopdesk, client: httpx.Client
) -> None:
    connector = connect(fake, client, external_number_prefix='cow"B4\\;x,')
    payload = ticket_payload()
    ticket = connector.create(payload)

    assert stored(fake, ticket)["externalNumber"] == 'cow"B4\\;x,' + payload.external_id
    assert connector.find(payload.external_id) == [ticket]
    assert ticket.external_id == payload.external_id


def test_lists_are_read_page_by_page_until_topdesk_stops_saying_partial_content(
    fake: FakeTopdesk, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(topdesk_module, "PAGE_SIZE", 2)
    connector = connect(fake, client)
    payload = ticket_payload()
    created = [connector.create(payload) for _ in range(5)]

    assert connector.find(payload.external_id) == created
    lists = [s for s in fake.seen if s.startswith("GET /tas/api/incidents ")]
    assert lists == [f"GET /tas/api/incidents {code}" for code in (206, 206, 200)]


def test_updating_to_resolved_closes_once_and_repeating_it_changes_nothing(
    fake: FakeTopdesk, client: httpx.Client
) -> None:
    connector = connect(fake, client, closure_code="Opgelost door kar")
    payload = ticket_payload(TicketState.OPEN)
    ticket = connector.create(payload)
    resolved = replace(payload, state=TicketState.RESOLVED, resolution="Kabel vastgezet")

    connector.update(ticket, resolved)
    connector.update(ticket, resolved)

    incident = stored(fake, ticket)
    assert incident["closed"] is True and incident["closureCode"]["name"] == "Opgelost door kar"
    assert [a["memoText"] for a in fake.actions[ticket.id]] == ["Kabel vastgezet"]
    assert sum(s.startswith("PATCH") for s in fake.seen) == 1


def test_escalating_sets_the_mapped_group_once(fake: FakeTopdesk, client: httpx.Client) -> None:
    connector = connect(fake, client, mapping=Mapping(groups={"werkplek": "Werkplekbeheer"}))
    payload = ticket_payload(TicketState.OPEN)
    ticket = connector.create(payload)
    escalated = replace(payload, state=TicketState.ESCALATED, group="werkplek")

    connector.update(ticket, escalated)
    connector.update(ticket, escalated)

    assert stored(fake, ticket)["operatorGroup"]["name"] == "Werkplekbeheer"
    assert sum(s.startswith("PATCH") for s in fake.seen) == 1


def test_a_note_is_an_action_the_caller_cannot_see(fake: FakeTopdesk, client: httpx.Client) -> None:
    connector = connect(fake, client)
    ticket = connector.create(ticket_payload())

    connector.add_note(ticket, "Notitie van de kar (104233):\nlabel <A4> geplaatst")

    [action] = fake.actions[ticket.id]
    assert action["memoText"] == "Notitie van de kar (104233):<br>label &lt;A4&gt; geplaatst"
    assert action["invisibleForCaller"] is True


def test_read_reports_state_operator_group_and_modification_time(
    fake: FakeTopdesk, client: httpx.Client, clock: FakeClock
) -> None:
    connector = connect(fake, client)
    ticket = connector.create(ticket_payload(TicketState.ESCALATED))
    assert connector.read(ticket).state is RemoteState.OPEN

    with fake.lock:
        stored(fake, ticket).update(
            operator={"id": "op-1", "name": "Jansen, Piet"},
            operatorGroup={"id": "g-1", "name": "Werkplekbeheer"},
            completed=True,
            processingStatus={"id": "p-1", "name": "Afgemeld"},
            closureCode={"id": "c-1", "name": "Opgelost"},
            modificationDate="2026-11-03T10:15:30.250+0100",
        )
    status = connector.read(ticket)

    assert status.state is RemoteState.RESOLVED and status.raw_status == "Afgemeld"
    assert (status.assignee, status.group) == ("Jansen, Piet", "Werkplekbeheer")
    assert status.resolution == "Opgelost"
    assert status.updated_at == datetime(2026, 11, 3, 9, 15, 30, 250000, tzinfo=UTC)
    with fake.lock:
        stored(fake, ticket)["closed"] = True
    assert connector.read(ticket).state is RemoteState.CLOSED


def test_changed_since_lists_only_our_incidents_modified_since(
    fake: FakeTopdesk, client: httpx.Client, clock: FakeClock
) -> None:
    connector = connect(fake, client)
    connector.create(ticket_payload())
    clock.now = T0 + timedelta(hours=1)
    newer = connector.create(ticket_payload())
    other = {"caller": {"dynamicName": "Balie"}, "briefDescription": "Telefoon"}
    client.post(f"{fake.url}/tas/api/incidents", auth=("cowapp-api", "app-pass-1"), json=other)
    not_ours = {**other, "externalNumber": "MAIL-4711"}
    client.post(f"{fake.url}/tas/api/incidents", auth=("cowapp-api", "app-pass-1"), json=not_ours)

    changed = connector.changed_since(T0 + timedelta(minutes=30))

    assert [s.ticket for s in changed] == [newer]
    assert changed[0].updated_at == T0 + timedelta(hours=1)


def test_an_expired_application_password_is_an_auth_error_that_never_shows_it(
    fake: FakeTopdesk, client: httpx.Client
) -> None:
    connector = connect(fake, client)
    connector.probe()
    fake.password_expired = True

    with pytest.raises(AuthError, match="HTTP 401") as refused:
        connector.create(ticket_payload())
    with pytest.raises(AuthError):
        connect(fake, client, secret="wrong").probe()
    assert "app-pass-1" not in str(refused.value)
    assert fake.incidents == []


def test_a_missing_login_or_password_is_refused_before_any_request(
    fake: FakeTopdesk, client: httpx.Client
) -> None:
    settings = SyncSettings(connector="topdesk", url=fake.url, options={"caller_name": "x"})
    with pytest.raises(RejectedError, match="set `login` in the \\[topdesk\\] section"):
        TopdeskConnector(client, "app-pass-1", settings)
    with pytest.raises(AuthError, match="no application password"):
        connect(fake, client, secret="")
    with pytest.raises(RejectedError, match="external_number_prefix"):
        connect(fake, client, external_number_prefix="x" * 25)
    assert fake.seen == []


def test_a_topdesk_without_fiql_queries_is_refused_by_the_probe(
    fake: FakeTopdesk, client: httpx.Client
) -> None:
    fake.api_version = "3.2.1"

    with pytest.raises(RejectedError, match=r"needs 3\.3 or newer"):
        connect(fake, client).probe()


def test_an_unreachable_topdesk_is_a_transient_error(client: httpx.Client) -> None:
    with FakeTopdesk() as gone:
        url = gone.url
    settings = SyncSettings(connector="topdesk", url=url, options={"login": "cowapp-api"})

    with pytest.raises(TransientError, match="cannot be reached"):
        TopdeskConnector(client, "app-pass-1", settings).find(str(uuid.uuid4()))
