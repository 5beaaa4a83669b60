"""The sync engine's rules end to end over real HTTP, against the loopback TOPdesk fake
(tests/fakes/topdesk.py, built from TOPdesk's documented API: TOPdesk cannot run here).

Covers what the RT tests do not: issues still open at the cart are held until their hand-over
time and woken by a change; the privacy guard stops a payload at sync time; several tickets
carrying one reference park the item for a human; expired credentials pause and later resume
the queue; and status read back from the central system reaches the cart.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cowapp.domain import bedside
from cowapp.domain.intake import IntakePolicy, IssueDraft, create_issue
from cowapp.domain.issue import Issue, IssueStatus, ResolutionCode
from cowapp.domain.outbox import OutboxState
from cowapp.domain.taxonomy import Taxonomy
from cowapp.storage.db import Database
from cowapp.storage.issue_store import IssueStore
from cowapp.storage.outbox_store import OutboxStore
from cowapp.sync.connectors.topdesk import TopdeskConnector
from cowapp.sync.engine import RETRY_AFTER_KEY, SyncEngine
from cowapp.sync.settings import Mapping, SyncSettings
from cowapp.sync.transport import make_client
from tests.fakes.topdesk import FakeTopdesk
from tests.integration.sync_helpers import free_loopback_port, make_cart

POLICY = IntakePolicy("COW-07", "B4 Interne")


@dataclass
class Cart:
    """A migrated cart database with a clock the test moves."""

    db: Database
    issues: IssueStore
    outbox: OutboxStore
    taxonomy: Taxonomy
    now: datetime

    def clock(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def add(
        self, resolve: bool = False, description: str = "Etikettenprinter print niets"
    ) -> Issue:
        draft = IssueDraft(category="printing", reporter="104233", description=description)
        issue, _ = create_issue(draft, self.taxonomy, POLICY, self.now)
        if resolve:
            bedside.resolve(
                issue,
                actor="T2041",
                at=self.now,
                code=ResolutionCode.FIXED,
                notes="herstart",
                minutes_spent=4,
                confirmed_not_patient_data=False,
            )
        return self.issues.add(issue)


@pytest.fixture
def cart(tmp_path: Path) -> Iterator[Cart]:
    """A fresh cart (`make_cart`) whose clock starts at the real time, in whole seconds."""
    parts = make_cart(tmp_path)
    yield Cart(*parts, now=datetime.now(UTC).replace(microsecond=0))
    parts.db.dispose()


@pytest.fixture
def topdesk() -> Iterator[FakeTopdesk]:
    with FakeTopdesk() as fake:
        yield fake


def engine(cart: Cart, fake: FakeTopdesk, handover: int = 60) -> SyncEngine:
    settings = SyncSettings(
        connector="topdesk",
        url=fake.url,
        timeout_seconds=5,
        send_open_after_minutes=handover,
        options={"login": fake.login},
        mapping=Mapping(groups={"Werkplekbeheer": "WPB"}),
    )
    connector = TopdeskConnector(make_client(settings), fake.password, settings)
    return SyncEngine(cart.issues, cart.outbox, connector, cart.taxonomy, settings, cart.clock)


def incidents_for(fake: FakeTopdesk, issue: Issue) -> list[dict[str, object]]:
    return [i for i in fake.incidents if i.get("externalNumber") == str(issue.id)]


def test_open_issue_is_held_until_handover_and_woken_by_a_change(
    cart: Cart, topdesk: FakeTopdesk
) -> None:
    held, later = cart.add(), cart.add()
    sync = engine(cart, topdesk, handover=60)
    first = sync.run_once()
    assert (first.sent, first.held, topdesk.incidents) == (0, 2, [])
    cart.issues.change(
        later.id,
        lambda i: bedside.resolve(
            i,
            actor="T2041",
            at=cart.now,
            code=ResolutionCode.RESTARTED,
            notes="herstart",
            minutes_spent=2,
            confirmed_not_patient_data=False,
        ),
    )
    woken = sync.run_once()
    assert woken.sent == 1 and len(incidents_for(topdesk, later)) == 1
    assert incidents_for(topdesk, later)[0]["closed"] is True
    cart.advance(minutes=61)
    handed_over = sync.run_once()
    assert handed_over.sent == 1 and handed_over.pending == 0
    assert incidents_for(topdesk, held)[0]["closed"] is False, "handed over as an open ticket"


def test_privacy_guard_stops_a_payload_at_sync_time(cart: Cart, topdesk: FakeTopdesk) -> None:
    clean = cart.add(resolve=True)
    # Saved under older rules (or edited outside cowapp): a BSN in the text must never leave.
    draft = IssueDraft(category="printing", reporter="104233", description="placeholder")
    leaky, _ = create_issue(draft, cart.taxonomy, POLICY, cart.now)
    leaky.description = "label voor pt 111222333 print niet"
    bedside.resolve(
        leaky,
        actor="T2041",
        at=cart.now,
        code=ResolutionCode.FIXED,
        notes="ok",
        minutes_spent=1,
        confirmed_not_patient_data=False,
    )
    cart.issues.add(leaky)
    summary = engine(cart, topdesk).run_once()
    assert summary.sent == 1 and summary.needs_attention == 1
    assert len(incidents_for(topdesk, clean)) == 1 and incidents_for(topdesk, leaky) == []
    [(item, reference)] = cart.outbox.needing_attention()
    assert reference == leaky.reference and "privacy guard" in item.last_error
    assert "111222333" not in item.last_error


def test_several_tickets_with_one_reference_wait_for_a_human(
    cart: Cart, topdesk: FakeTopdesk
) -> None:
    issue = cart.add(resolve=True)
    sync = engine(cart, topdesk)
    [item] = cart.outbox.due(cart.now)
    # A try whose run died one request timeout (5 s) ago, its outcome never recorded...
    cart.outbox.mark_sending(item.seq, cart.now)
    cart.advance(seconds=5)
    for _ in range(2):  # ...and two tickets that carry the reference (made by hand, say)
        topdesk.incidents.append(
            {
                "id": str(uuid.uuid4()),
                "number": "I 2611 9",
                "externalNumber": str(issue.id),
                "briefDescription": "x",
                "completed": False,
                "closed": False,
                "modificationDate": "2026-11-26T10:00:00.000+0000",
            }
        )
    summary = sync.run_once()
    assert summary.needs_attention == 1 and summary.sent == summary.adopted == 0
    assert len(incidents_for(topdesk, issue)) == 2, "nothing was created on top"
    [(parked, _)] = cart.outbox.needing_attention()
    assert "2 central tickets carry this issue's reference" in parked.last_error


def test_expired_password_pauses_and_the_queue_resumes_untouched(
    cart: Cart, topdesk: FakeTopdesk
) -> None:
    issues = [cart.add(resolve=True) for _ in range(3)]
    topdesk.password_expired = True
    paused = engine(cart, topdesk).run_once()
    assert paused.paused and "credentials" in paused.paused
    assert (paused.pending, paused.needs_attention, paused.failed) == (3, 0, 0)
    # Kept, not parked; the one that was tried stays "sending", so its retry looks up first.
    assert {i.state for i in cart.outbox.due(cart.now)} <= {
        OutboxState.PENDING,
        OutboxState.SENDING,
    }
    still = engine(cart, topdesk).run_once()  # a restart does not forget the pause
    assert still.paused and still.sent == 0
    topdesk.password_expired = False  # a technician set a new application password
    resumed = engine(cart, topdesk).run_once()
    assert resumed.paused is None and resumed.sent == 3 and resumed.pending == 0
    assert all(len(incidents_for(topdesk, i)) == 1 for i in issues)


def test_status_of_escalated_issues_is_read_back(cart: Cart, topdesk: FakeTopdesk) -> None:
    issue = cart.add()
    cart.issues.change(
        issue.id,
        lambda i: bedside.escalate(
            i,
            policy=POLICY,
            actor="T2041",
            at=cart.now,
            group="Werkplekbeheer",
            reason="kabel defect",
            confirmed_not_patient_data=False,
        ),
    )
    sync = engine(cart, topdesk)
    assert sync.run_once().sent == 1
    [incident] = incidents_for(topdesk, issue)
    assert incident["operatorGroup"]["name"] == "WPB"  # type: ignore[index]
    cart.issues.change(
        issue.id,
        lambda i: bedside.add_note(
            i,
            actor="T2041",
            at=cart.now,
            text="kar staat nu op kamer 4",
            confirmed_not_patient_data=False,
        ),
    )
    assert sync.run_once().sent == 1
    assert any("kamer 4" in a["memoText"] for a in topdesk.actions[str(incident["id"])])
    changed = datetime.now(UTC) + timedelta(minutes=5)  # resolved centrally, a bit later
    incident["completed"] = True
    incident["modificationDate"] = changed.strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    cart.advance(minutes=10)
    assert sync.run_once().read_back == 1
    back = cart.issues.get(issue.id)
    assert back.status is IssueStatus.REMOTE_RESOLVED
    assert [e.kind.value for e in back.events][-1] == "remote_updated"
    assert sync.run_once().read_back == 0, "the overlap does not apply the same change twice"


def test_outage_then_recovery_releases_backoff_but_honours_retry_after(
    cart: Cart, topdesk: FakeTopdesk
) -> None:
    issue = cart.add(resolve=True)
    dead_url = f"http://127.0.0.1:{free_loopback_port()}"
    settings = SyncSettings(
        connector="topdesk", url=dead_url, timeout_seconds=2, options={"login": topdesk.login}
    )
    down = SyncEngine(
        cart.issues,
        cart.outbox,
        TopdeskConnector(make_client(settings), topdesk.password, settings),
        cart.taxonomy,
        settings,
        cart.clock,
    )
    outage = down.run_once()
    assert outage.failed == 1 and outage.online is False, "one item failing alone is an outage"
    item = cart.outbox.get(1)
    assert item.attempts == 1 and item.not_before is not None and item.not_before > cart.now
    # As after several failed tries: the next one would be minutes away.
    cart.outbox.retry_later(1, cart.now, cart.now + timedelta(minutes=5), "connection refused")
    back = engine(cart, topdesk)
    cart.outbox.set_state(RETRY_AFTER_KEY, (cart.now + timedelta(seconds=40)).isoformat(), cart.now)
    assert back.recover() == 1
    assert back.run_once().sent == 0, "the server's Retry-After still holds"
    cart.advance(seconds=41)
    assert back.recover() == 0 and back.run_once().sent == 1
    assert len(incidents_for(topdesk, issue)) == 1
