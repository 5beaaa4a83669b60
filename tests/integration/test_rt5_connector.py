"""`RTConnector` against the REAL Request Tracker 5 on this machine (no fakes, no recordings).

RT is brought up by the ``rt5`` fixture (``scripts/rt5/rt5-up.sh``); every test uses fresh
UUIDs, so the tests neither depend on nor disturb each other or what else is in RT. Besides the
connector's own behaviour, these tests pin down RT's traps the connector and the engine rely on:
a repeated create with the same unique External ID makes a second ticket *without* the reference
(so the engine must always look up before it creates again), errors inside 200 answers, the
403 for an unknown queue, and the date format of the change poll.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import httpx
import pytest

from cowapp.domain.ticket import TicketPayload, TicketState
from cowapp.sync.connectors.base import (
    AuthError,
    RejectedError,
    RemoteState,
    RemoteTicket,
    TransientError,
    VerificationError,
)
from cowapp.sync.connectors.rt import RTConnector
from cowapp.sync.settings import Mapping, SyncSettings

if TYPE_CHECKING:
    from tests.integration.conftest import RT5

ConnectorFactory = Callable[..., RTConnector]

BODY = "Etikettenprinter op B3 print halve etiketten.\nPATIËNTVEILIGHEID: polsbandjes één voor één."


def make_payload(
    state: TicketState = TicketState.OPEN,
    *,
    external_id: str | None = None,
    group: str | None = None,
    resolution: str = "",
    priority: int = 3,
) -> TicketPayload:
    """A complete payload with a fresh UUID (unless one is given)."""
    uid = external_id or str(uuid.uuid4())
    ref = uid[:7].upper()
    return TicketPayload(
        external_id=uid,
        reference=ref,
        subject=f"[{ref}] Printen & etiketten / Etikettenprinter: halve etiketten",
        body=BODY,
        state=state,
        category="printing",
        subcategory="label_printer",
        issue_type="break_fix",
        impact=2,
        urgency=2,
        priority=priority,
        cart_id="COW-07",
        ward="B3 Interne",
        room="Kamer 12",
        asset_tag="ZIE-012345",
        group=group,
        resolution_code="fixed" if resolution else None,
        resolution=resolution,
        patient_safety=False,
        golive_blocking=False,
    )


@pytest.fixture
def api(rt5: RT5) -> Iterator[httpx.Client]:
    """Plain REST2 access with the cowapp token, to act as the RT side and to inspect tickets."""
    headers = {"Authorization": f"token {rt5.token}"}
    with httpx.Client(base_url=f"{rt5.url}/REST/2.0", headers=headers, timeout=10) as client:
        yield client


@pytest.fixture
def connector_for(rt5: RT5) -> Iterator[ConnectorFactory]:
    """``connector_for(mapping=..., token=...)``: an `RTConnector` with other settings."""
    clients: list[httpx.Client] = []

    def build(mapping: Mapping | None = None, token: str | None = None) -> RTConnector:
        client = httpx.Client(base_url=rt5.url, timeout=10, follow_redirects=False)
        clients.append(client)
        settings = SyncSettings(connector="rt", url=rt5.url, mapping=mapping or Mapping())
        return RTConnector(client, rt5.token if token is None else token, settings)

    yield build
    for client in clients:
        client.close()


def history_text(api: httpx.Client, ticket_id: str) -> str:
    """All text content of a ticket's transactions (create, comments, correspondence)."""
    params = {"fields": "Content", "per_page": "100"}
    response = api.get(f"/ticket/{ticket_id}/attachments", params=params)
    response.raise_for_status()
    return "\n".join(str(item.get("Content", "")) for item in response.json()["items"])


def raw_ticket(api: httpx.Client, ticket_id: str) -> dict[str, object]:
    """``GET /ticket/{id}`` as RT returns it."""
    response = api.get(f"/ticket/{ticket_id}")
    response.raise_for_status()
    data: dict[str, object] = response.json()
    return data


def custom_fields(api: httpx.Client, ticket_id: str) -> dict[str, list[str]]:
    """A ticket's custom field values by name."""
    fields = raw_ticket(api, ticket_id)["CustomFields"]
    assert isinstance(fields, list)
    return {field["name"]: field["values"] for field in fields}


# -- create, find, read -------------------------------------------------------------------------


def test_resolved_payload_is_created_resolved_with_its_resolution(
    rt_connector: RTConnector, api: httpx.Client
) -> None:
    payload = make_payload(TicketState.RESOLVED, resolution="Printkop gereinigd, één testprint ok")

    ticket = rt_connector.create(payload)

    assert ticket.id.isdigit()
    assert ticket == RemoteTicket(id=ticket.id, number=ticket.id, external_id=payload.external_id)
    assert rt_connector.find(payload.external_id) == [ticket]
    status = rt_connector.read(ticket)
    assert (status.state, status.raw_status) == (RemoteState.RESOLVED, "resolved")
    assert status.ticket == ticket
    assert status.group == "Cart"
    assert status.assignee is None  # Nobody
    assert status.updated_at.tzinfo is not None
    history = history_text(api, ticket.id)
    assert "Printkop gereinigd, één testprint ok" in history
    assert "PATIËNTVEILIGHEID" in history  # non-ASCII survives
    assert custom_fields(api, ticket.id) == {
        "External ID": [payload.external_id],
        "Cart": ["COW-07"],
        "Category": ["printing"],
    }
    assert raw_ticket(api, ticket.id)["Subject"] == payload.subject


def test_escalated_payload_lands_in_the_group_queue_open(rt_connector: RTConnector) -> None:
    payload = make_payload(TicketState.ESCALATED, group="Werkplekbeheer")

    ticket = rt_connector.create(payload)

    status = rt_connector.read(ticket)
    assert (status.state, status.raw_status, status.group) == (
        RemoteState.OPEN,
        "open",
        "Werkplekbeheer",
    )
    assert rt_connector.find(payload.external_id) == [ticket]


def test_mapped_group_and_priority(connector_for: ConnectorFactory, api: httpx.Client) -> None:
    mapping = Mapping(groups={"werkplek": "Werkplekbeheer"}, priorities={"1": "42"})
    connector = connector_for(mapping=mapping)

    mapped = connector.create(make_payload(TicketState.ESCALATED, group="werkplek", priority=1))
    default = connector.create(make_payload(priority=2))

    assert connector.read(mapped).group == "Werkplekbeheer"
    assert raw_ticket(api, mapped.id)["Priority"] == "42"
    assert raw_ticket(api, default.id)["Priority"] == "75"  # the default mapping: 2 → 75
    assert connector.read(default).raw_status == "new"


def test_find_keeps_only_exact_matches(rt_connector: RTConnector) -> None:
    first, second = make_payload(), make_payload()
    ticket = rt_connector.create(first)
    rt_connector.create(second)

    assert rt_connector.find(first.external_id) == [ticket]
    assert rt_connector.find(first.external_id[:-1]) == []
    assert rt_connector.find(str(uuid.uuid4())) == []


def test_find_escapes_quotes_in_the_reference(rt_connector: RTConnector) -> None:
    assert rt_connector.find(f"{uuid.uuid4()}' OR id > '0") == []
    assert rt_connector.find(f"{uuid.uuid4()}\\' OR id > 0 OR 'x' = 'x") == []

    tricky = f"it's-a\\-{uuid.uuid4()}"
    ticket = rt_connector.create(make_payload(external_id=tricky))
    assert rt_connector.find(tricky) == [ticket]


def test_read_of_a_missing_ticket_is_rejected(rt_connector: RTConnector) -> None:
    with pytest.raises(RejectedError, match="HTTP 404"):
        rt_connector.read(RemoteTicket(id="999999999", number="999999999", external_id=None))


# -- update and notes ---------------------------------------------------------------------------


def test_open_ticket_updated_to_resolved_twice(
    rt_connector: RTConnector, api: httpx.Client
) -> None:
    payload = make_payload()
    ticket = rt_connector.create(payload)
    assert rt_connector.read(ticket).raw_status == "new"
    resolved = make_payload(
        TicketState.RESOLVED, external_id=payload.external_id, resolution="Driver opnieuw gezet"
    )

    rt_connector.update(ticket, resolved)
    rt_connector.update(ticket, resolved)  # a repeat after a lost answer is harmless

    assert rt_connector.read(ticket).state is RemoteState.RESOLVED
    assert history_text(api, ticket.id).count("Driver opnieuw gezet") == 1


def test_escalating_an_open_ticket_twice(rt_connector: RTConnector) -> None:
    payload = make_payload()
    ticket = rt_connector.create(payload)
    escalated = make_payload(
        TicketState.ESCALATED, external_id=payload.external_id, group="Werkplekbeheer"
    )

    rt_connector.update(ticket, escalated)
    rt_connector.update(ticket, escalated)

    status = rt_connector.read(ticket)
    assert (status.raw_status, status.group) == ("open", "Werkplekbeheer")
    rt_connector.update(ticket, payload)  # back to OPEN: already open, nothing to do
    assert rt_connector.read(ticket).raw_status == "open"


def test_an_error_inside_a_200_is_a_verification_error(connector_for: ConnectorFactory) -> None:
    queue = f"Nope-{uuid.uuid4().hex[:8]}"
    connector = connector_for(mapping=Mapping(groups={"werkplek": queue}))
    payload = make_payload()
    ticket = connector.create(payload)
    escalated = make_payload(
        TicketState.ESCALATED, external_id=payload.external_id, group="werkplek"
    )

    with pytest.raises(VerificationError, match=f"Queue {queue} does not exist"):
        connector.update(ticket, escalated)  # RT: 200 ["Ticket N: Queue Nope-… does not exist", …]


def test_note_appears_in_the_history(rt_connector: RTConnector, api: httpx.Client) -> None:
    ticket = rt_connector.create(make_payload())
    note = f"Notitie van de kar (12345, 2026-11-26 10:00 UTC):\nPrinter vervangen ë {uuid.uuid4()}"

    rt_connector.add_note(ticket, note)

    assert note in history_text(api, ticket.id)  # intact, including the ë


# -- configuration and credentials --------------------------------------------------------------


def test_wrong_token_is_an_auth_error(connector_for: ConnectorFactory, rt5: RT5) -> None:
    connector = connector_for(token="1-2-00000000000000000000000000000000")

    with pytest.raises(AuthError, match="HTTP 401") as probed:
        connector.probe()
    with pytest.raises(AuthError, match="HTTP 401"):
        connector.create(make_payload())
    assert rt5.token not in str(probed.value)


def test_unknown_queue_is_rejected_not_an_auth_error(connector_for: ConnectorFactory) -> None:
    queue = f"Nope-{uuid.uuid4().hex[:8]}"
    connector = connector_for(mapping=Mapping(groups={"werkplek": queue}))

    with pytest.raises(RejectedError, match=f"no queue '{queue}'") as raised:
        connector.create(make_payload(TicketState.ESCALATED, group="werkplek"))

    assert not isinstance(raised.value, AuthError)
    connector.probe()  # the credentials themselves are fine


def test_unreachable_rt_is_transient(rt5: RT5) -> None:
    settings = SyncSettings(connector="rt", url="http://127.0.0.1:9")
    with httpx.Client(base_url=settings.url, timeout=2, follow_redirects=False) as client:
        connector = RTConnector(client, rt5.token, settings)
        with pytest.raises(TransientError) as raised:
            connector.probe()
    assert rt5.token not in str(raised.value)


def test_probe_accepts_the_real_token(rt_connector: RTConnector) -> None:
    rt_connector.probe()


# -- polling ------------------------------------------------------------------------------------


def test_changed_since_returns_tickets_changed_after_the_moment(
    rt_connector: RTConnector, api: httpx.Client
) -> None:
    before = rt_connector.create(make_payload())
    changed = rt_connector.create(make_payload())
    time.sleep(1.1)  # RT keeps whole seconds: `before` is now strictly older than `since`
    since = datetime.now(UTC).replace(microsecond=0)
    put = api.put(f"/ticket/{changed.id}", json={"Status": "resolved"})  # as a resolver would
    assert put.status_code == 200, put.text
    foreign = api.post("/ticket", json={"Queue": "Cart", "Subject": "not ours", "Content": "x"})
    assert foreign.status_code == 201, foreign.text

    statuses = {s.ticket.id: s for s in rt_connector.changed_since(since)}

    assert changed.id in statuses
    assert statuses[changed.id].state is RemoteState.RESOLVED
    assert statuses[changed.id].ticket == changed
    assert statuses[changed.id].updated_at >= since
    assert before.id not in statuses  # a date-only comparison (the 'Z' trap) would include it
    assert foreign.json()["id"] not in statuses  # no External ID: not ours
    assert all(s.updated_at >= since for s in statuses.values())


def test_changed_since_reads_every_page_of_every_queue(connector_for: ConnectorFactory) -> None:
    connector = connector_for(mapping=Mapping(groups={"werkplek": "Werkplekbeheer"}))
    since = datetime.now(UTC).replace(microsecond=0)
    created = [connector.create(make_payload()) for _ in range(3)]
    created.append(connector.create(make_payload(TicketState.ESCALATED, group="werkplek")))
    connector.page_size = 2

    statuses = connector.changed_since(since)

    ids = [s.ticket.id for s in statuses]
    assert {t.id for t in created} <= set(ids)
    assert len(ids) == len(set(ids))
    assert [s.updated_at for s in statuses] == sorted(s.updated_at for s in statuses)


# -- the duplicate trap -------------------------------------------------------------------------


def test_second_create_with_the_same_reference_makes_a_ticket_without_it(
    rt_connector: RTConnector, api: httpx.Client
) -> None:
    """RT answers 201 and makes a second ticket, silently leaving its unique field empty.

    So `create` can never be retried blindly: the engine must `find` before re-creating, and
    read back after a create (the second ticket's reference did not stick).
    """
    payload = make_payload(TicketState.RESOLVED, resolution="Opnieuw opgestart")
    first = rt_connector.create(payload)

    second = rt_connector.create(payload)

    assert second.id != first.id
    assert rt_connector.find(payload.external_id) == [first]
    assert custom_fields(api, second.id)["External ID"] == []
