"""``cowapp --demo``'s month of sample data, seeded into real SQLite files: no patient data
anywhere, every status and category, escalations read back and items needing attention, the
go-live shape, demo technicians who can sign in, and the same data for the same seed."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cowapp import demo_data, paths
from cowapp.demo import DEMO_PIN, DEMO_TECHNICIANS, seed_demo
from cowapp.domain import privacy
from cowapp.domain.issue import EventKind, Issue, IssueStatus, ResolutionCode
from cowapp.domain.outbox import OutboxState
from cowapp.domain.technician import PinOutcome
from cowapp.settings import load_settings
from cowapp.storage import audit
from cowapp.storage.outbox_store import OutboxStore
from cowapp.storage.technician_store import TechnicianStore
from cowapp.wiring import Cart, open_cart

NOW = datetime(2026, 3, 12, 14, 25, tzinfo=UTC)
DEMO_CONFIG = '[cart]\nid = "COW-DEMO"\nward = "B4 Interne"\n'


def _cart(home: Path) -> Cart:
    home.mkdir()
    (home / paths.CONFIG_NAME).write_text(DEMO_CONFIG, encoding="utf-8")
    return open_cart(load_settings(home))


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cart, list[Issue]]]:
    """One demo cart for the whole module, with every issue read back in full."""
    cart = _cart(tmp_path_factory.mktemp("demo") / "home")
    seed_demo(cart, now=NOW)
    issues = [cart.issues.get(issue.id) for issue in cart.issues.list()]
    yield cart, issues
    cart.close()


def test_nothing_seeded_would_trip_the_privacy_guard(seeded: tuple[Cart, list[Issue]]) -> None:
    issues = seeded[1]
    for issue in issues:
        fields = {
            "description": issue.description,
            "error_text": issue.error_text,
            "room": issue.room,
            "ward": issue.ward,
            "resolution_notes": issue.resolution_notes,
            "escalation_reason": issue.escalation_reason,
            "vim": issue.vim_reference,
            **{f"note{n}": note.text for n, note in enumerate(issue.notes)},
        }
        assert not privacy.scan_fields(fields).findings, issue.reference


def test_every_text_in_the_demo_tables_passes_the_privacy_guard() -> None:
    texts = [r.description for reports in demo_data.REPORTS.values() for r in reports]
    texts += [r.error_text for reports in demo_data.REPORTS.values() for r in reports]
    texts += [t for notes in demo_data.RESOLUTION_NOTES.values() for t in notes]
    texts += [t for reasons in demo_data.ESCALATION_REASONS.values() for t in reasons]
    texts += [*demo_data.NOTES, *demo_data.ROOMS, *demo_data.WARDS, demo_data.WAITING_NOTE]
    texts += [demo_data.MAJOR_INCIDENT]
    found = {text: privacy.scan_text(text) for text in texts}
    assert {text: f for text, f in found.items() if f} == {}


def test_every_status_category_and_resolution_code_occurs(
    seeded: tuple[Cart, list[Issue]],
) -> None:
    cart, issues = seeded
    assert {i.status for i in issues} == set(IssueStatus)
    assert {i.category for i in issues} == {c.code for c in cart.settings.taxonomy.categories}
    assert {i.resolution_code for i in issues} >= set(ResolutionCode)
    assert len({i.ward for i in issues}) == len(demo_data.WARDS) >= 6


def test_escalations_have_tickets_and_some_are_read_back(
    seeded: tuple[Cart, list[Issue]],
) -> None:
    issues = seeded[1]
    read_back = [
        i for i in issues if i.status in (IssueStatus.REMOTE_RESOLVED, IssueStatus.REMOTE_CLOSED)
    ]
    assert len(read_back) >= 20
    for issue in read_back:
        assert issue.remote_number and issue.remote_status in ("resolved", "rejected")
        event = issue.events[-1]
        assert event.kind is EventKind.REMOTE_UPDATED and event.actor == "sync"
        assert issue.remote_updated_at is not None
        assert issue.escalated_at < issue.remote_updated_at <= event.at <= NOW
    still_open = [i for i in issues if i.status is IssueStatus.ESCALATED and i.remote_status]
    assert still_open, "some escalations are still being worked on centrally"


def test_some_items_need_attention_with_the_servers_message_and_some_are_queued(
    seeded: tuple[Cart, list[Issue]],
) -> None:
    cart, _issues = seeded
    outbox = OutboxStore(cart.db)
    parked = outbox.needing_attention()
    assert len(parked) == 3
    assert any("queue 'EPD-Apps'" in item.last_error for item, _ref in parked)
    assert all(item.last_error for item, _ref in parked)
    summary = outbox.summary(NOW)
    assert summary.pending >= 6 and summary.needs_attention == 3
    assert summary.oldest_pending_at is not None and summary.oldest_pending_at < NOW
    counts = cart.issues.outbox_counts()
    assert counts[OutboxState.DONE.value] > 300


def test_the_month_has_the_go_live_shape(seeded: tuple[Cart, list[Issue]]) -> None:
    issues = seeded[1]
    start = min(i.created_at for i in issues)
    first_days = [i for i in issues if i.created_at < start + timedelta(days=3)]
    last_days = [i for i in issues if i.created_at > NOW - timedelta(days=3)]
    assert len(first_days) > 3 * len(last_days)
    top = {category for category, _n in Counter(i.category for i in first_days).most_common(5)}
    assert {"signin", "access", "printing", "howto"} <= top | {"ehr"}
    assert all(start <= i.created_at < NOW for i in issues)
    open_now = [i for i in issues if i.status in (IssueStatus.NEW, IssueStatus.IN_PROGRESS)]
    assert len(open_now) >= 3


def test_demo_technicians_sign_in_with_the_demo_pin(seeded: tuple[Cart, list[Issue]]) -> None:
    cart, _issues = seeded
    technicians = TechnicianStore(cart.db)
    for staff_id in DEMO_TECHNICIANS:
        assert technicians.verify(staff_id, DEMO_PIN, NOW).outcome is PinOutcome.OK


def _deflections(cart: Cart) -> list[tuple[str, str, str, str, str]]:
    """Every self-solved problem: when, which known issue, cart, ward, category."""
    with sqlite3.connect(cart.db.path) as connection:
        return connection.execute(
            "SELECT at, known_issue_id, cart_id, ward, category FROM known_issue_deflections"
            " ORDER BY at, known_issue_id"
        ).fetchall()


def _me_too(cart: Cart) -> list[tuple[str, str, str, str]]:
    """Every "Ik heb dit ook" report: reference, known issue, both categories."""
    with sqlite3.connect(cart.db.path) as connection:
        return connection.execute(
            "SELECT i.reference, r.known_issue_id, i.category, k.category"
            " FROM known_issue_reports r JOIN issues i ON i.id = r.issue_id"
            " JOIN known_issues k ON k.id = r.known_issue_id ORDER BY i.reference"
        ).fetchall()


def test_nurses_answer_known_issue_suggestions_more_as_the_month_goes_on(
    seeded: tuple[Cart, list[Issue]],
) -> None:
    cart, issues = seeded
    solved, me_too = _deflections(cart), _me_too(cart)
    assert 0.05 * len(issues) < len(solved) < 0.25 * len(issues), "a realistic share"
    assert 0.05 * len(issues) < len(me_too) < 0.25 * len(issues)
    assert all(
        issue_category == known_category for _r, _k, issue_category, known_category in me_too
    )
    with cart.db.read() as session:  # "Ik heb dit ook" files a normal report: audited, queued
        actions = Counter(entry.action for entry in audit.entries(session))
    assert actions["known_issue.me_too"] == len(me_too)
    assert actions["known_issue.self_solved"] == len(solved)
    linked = {reference for reference, *_rest in me_too}
    assert linked <= {issue.reference for issue in issues}
    start = min(i.created_at for i in issues)
    first_week = [i for i in issues if i.created_at < start + timedelta(days=7)]
    later = [i for i in issues if i.created_at >= start + timedelta(days=14)]
    solved_at = [datetime.fromisoformat(at).replace(tzinfo=UTC) for at, *_rest in solved]
    early = sum(at < start + timedelta(days=7) for at in solved_at) / len(first_week)
    late = sum(at >= start + timedelta(days=14) for at in solved_at) / len(later)
    assert late > early, "more nurses solve it themselves once they know the catalogue"


def test_a_self_solved_problem_stores_no_text_and_no_person(
    seeded: tuple[Cart, list[Issue]],
) -> None:
    cart, _issues = seeded
    with sqlite3.connect(cart.db.path) as connection:
        columns = [
            row[1] for row in connection.execute("PRAGMA table_info(known_issue_deflections)")
        ]
    assert set(columns) == {"id", "known_issue_id", "at", "cart_id", "ward", "category"}
    for _at, _known, cart_id, ward, category in _deflections(cart):
        assert (cart_id, ward in demo_data.WARDS) == ("COW-DEMO", True)
        assert not privacy.scan_fields({"ward": ward, "category": category}).findings


def test_a_cart_with_issues_is_left_alone(seeded: tuple[Cart, list[Issue]]) -> None:
    cart, issues = seeded
    assert seed_demo(cart, now=NOW) == 0
    assert cart.issues.count() == len(issues)


def test_same_seed_same_month_other_seed_other_month(tmp_path: Path) -> None:
    carts = [_cart(tmp_path / name) for name in ("first", "again", "other")]
    try:
        for cart, seed in zip(carts, (7, 7, 8), strict=True):
            assert seed_demo(cart, days=6, seed=seed, now=NOW) > 20
        first, again, other = (_fingerprint(cart.issues.list()) for cart in carts)
        assert again == first
        assert other != first
        answers = [(_deflections(cart), _me_too(cart)) for cart in carts]
        assert answers[1] == answers[0] and answers[0][0] and answers[0][1]
    finally:
        for cart in carts:
            cart.close()


def _fingerprint(issues: list[Issue]) -> list[tuple[object, ...]]:
    """Everything but the random UUIDs, in reference order."""
    skip = {"id", "duplicate_of", "parent_id", "notes", "events"}
    names = [f.name for f in dataclasses.fields(Issue) if f.name not in skip]
    return sorted(tuple(getattr(issue, name) for name in names) for issue in issues)


def test_after_seeding_the_cart_writes_with_full_durability_again(
    seeded: tuple[Cart, list[Issue]],
) -> None:
    cart = seeded[0]
    with cart.db.write() as session:  # the pool's connections were all made after the seed
        assert session.connection().exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
