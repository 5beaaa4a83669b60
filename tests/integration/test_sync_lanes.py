"""Sending several issues at once (the worker's lanes) keeps every exactly-once guarantee.

Against the loopback TOPdesk fake with a per-request latency, so requests of different lanes
really overlap: one ticket per issue, each issue's changes in order, a poisoned issue blocks only
itself (not the other issues of its lane), refused credentials stop every lane with every item
kept, and the lanes share the queue without overlap (`OutboxStore.due` with a `Lane`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from cowapp.domain import bedside
from cowapp.domain.intake import IntakePolicy, IssueDraft, create_issue
from cowapp.domain.issue import Issue, ResolutionCode
from cowapp.storage.outbox_store import Lane, lane_of
from cowapp.sync.connectors.topdesk import TopdeskConnector
from cowapp.sync.engine import SyncEngine
from cowapp.sync.settings import SyncSettings
from cowapp.sync.transport import make_client
from cowapp.sync.worker import ThreadFanOut
from tests.fakes.topdesk import FakeTopdesk
from tests.integration.sync_helpers import CartParts

POLICY = IntakePolicy("COW-07", "B4 Interne")
NOW = datetime.now(UTC).replace(microsecond=0)
LANES = 4


@pytest.fixture
def topdesk() -> Iterator[FakeTopdesk]:
    with FakeTopdesk() as fake:
        fake.latency = 0.01  # a distant server: lanes wait for it at the same time
        yield fake


def engine(cart: CartParts, fake: FakeTopdesk) -> SyncEngine:
    settings = SyncSettings(
        connector="topdesk", url=fake.url, timeout_seconds=5, options={"login": fake.login}
    )
    connector = TopdeskConnector(make_client(settings), fake.password, settings)
    return SyncEngine(cart.issues, cart.outbox, connector, cart.taxonomy, settings, lambda: NOW)


def add(cart: CartParts, description: str = "Etikettenprinter print niets") -> Issue:
    draft = IssueDraft(category="printing", reporter="104233", description="placeholder")
    issue, _ = create_issue(draft, cart.taxonomy, POLICY, NOW)
    issue.description = description  # as if saved under older rules (the leaky case)
    bedside.resolve(
        issue,
        actor="T2041",
        at=NOW,
        code=ResolutionCode.FIXED,
        notes="herstart",
        minutes_spent=4,
        confirmed_not_patient_data=False,
    )
    return cart.issues.add(issue)


def note(cart: CartParts, issue: Issue, text: str) -> None:
    def apply(changed: Issue) -> object:
        bedside.add_note(
            changed, actor="T2041", at=NOW, text=text, confirmed_not_patient_data=False
        )
        return changed.events[-1]

    cart.issues.change(issue.id, apply)  # type: ignore[arg-type]


def incidents(fake: FakeTopdesk, issue: Issue) -> list[dict[str, object]]:
    return [i for i in fake.incidents if i.get("externalNumber") == str(issue.id)]


def test_lanes_share_the_queue_without_overlap(cart: CartParts) -> None:
    issues = [add(cart) for _ in range(24)]
    shares = [cart.outbox.due(NOW, limit=100, lane=Lane(k, LANES)) for k in range(LANES)]
    for k, share in enumerate(shares):
        assert all(lane_of(item.issue_id, LANES) == k for item in share)
    sent = sorted(item.issue_id for share in shares for item in share)
    assert sent == sorted(i.id for i in issues), "every issue in exactly one lane"


def test_concurrent_drain_sends_each_issue_once_and_in_order(
    cart: CartParts, topdesk: FakeTopdesk
) -> None:
    issues = [add(cart) for _ in range(16)]
    for issue in issues[:4]:
        note(cart, issue, "eerste notitie")
        note(cart, issue, "tweede notitie")
    summary = engine(cart, topdesk).run_once(fan_out=ThreadFanOut(LANES))
    assert (summary.sent, summary.failed, summary.pending) == (16 + 8, 0, 0)
    assert topdesk.in_flight_peak > 1, "the lanes did send at the same time"
    for issue in issues:
        assert len(incidents(topdesk, issue)) == 1, "exactly one ticket per issue"
    for issue in issues[:4]:
        [incident] = incidents(topdesk, issue)
        memos = [a["memoText"] for a in reversed(topdesk.actions[str(incident["id"])])]
        notes = [m for m in memos if "notitie" in m]
        assert notes[0].endswith("eerste notitie") and notes[1].endswith("tweede notitie")


def test_a_poisoned_issue_blocks_only_itself_not_its_lane(
    cart: CartParts, topdesk: FakeTopdesk
) -> None:
    leaky = add(cart, "label voor pt 111222333 print niet")  # a BSN: may never leave
    clean = [add(cart) for _ in range(12)]
    while sum(lane_of(i.id, LANES) == lane_of(leaky.id, LANES) for i in clean) < 3:
        clean.append(add(cart))  # issues behind the poisoned one in its own lane
    summary = engine(cart, topdesk).run_once(fan_out=ThreadFanOut(LANES))
    assert summary.sent == len(clean) and summary.needs_attention == 1
    assert all(len(incidents(topdesk, i)) == 1 for i in clean)
    assert incidents(topdesk, leaky) == []


def test_refused_credentials_stop_every_lane_and_keep_every_item(
    cart: CartParts, topdesk: FakeTopdesk
) -> None:
    issues = [add(cart) for _ in range(12)]
    topdesk.password_expired = True
    summary = engine(cart, topdesk).run_once(fan_out=ThreadFanOut(LANES))
    assert summary.paused and summary.sent == 0 and summary.pending == len(issues)
    topdesk.password_expired = False
    resumed = engine(cart, topdesk).run_once(fan_out=ThreadFanOut(LANES))
    assert resumed.sent == len(issues) and resumed.pending == 0
    assert all(len(incidents(topdesk, i)) == 1 for i in issues)


def test_stopping_ends_a_run_between_items(cart: CartParts, topdesk: FakeTopdesk) -> None:
    for _ in range(8):
        add(cart)
    summary = engine(cart, topdesk).run_once(fan_out=ThreadFanOut(LANES), stopping=lambda: True)
    assert summary.sent == 0 and summary.pending == 8 and topdesk.incidents == []
