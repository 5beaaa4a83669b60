"""The technician screen against a real store: claim → resolve and claim → escalate reach the
store and the outbox, the privacy guard blocks a BSN, the queue keeps its order and filters,
impact/urgency is locked once escalated, every target is big enough, and the language switches.

`StoreBedsideActions` below is the adapter the composition root will use: `IssueStore.change`
around `cowapp.domain.bedside`, with confirmed privacy warnings audited by kind.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from cowapp import paths
from cowapp.bedside_actions import StoreBedsideActions
from cowapp.domain.errors import PrivacyBlockedError
from cowapp.domain.intake import IntakePolicy, IssueDraft, create_issue
from cowapp.domain.issue import Issue, IssueStatus, ResolutionCode
from cowapp.domain.taxonomy import Taxonomy, load_taxonomy
from cowapp.storage.issue_query import IssueQuery
from cowapp.storage.issue_store import IssueStore
from cowapp.storage.migrate import open_database
from cowapp.ui.i18n import Translator
from cowapp.ui.queue_model import PRIORITY_COLUMN, REFERENCE_COLUMN
from cowapp.ui.technician import TechnicianScreen
from cowapp.ui.theme import MIN_TOUCH

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton
TECHNICIAN = "T2041"
GROUPS = ("Servicedesk", "Applicatiebeheer HiX", "Werkplekbeheer")
NOW = datetime.now(UTC).replace(microsecond=0)


# --- fixtures ------------------------------------------------------------------------------------

POLICY = IntakePolicy(cart_id="COW-07", ward="B4", escalation_groups=GROUPS)


@pytest.fixture
def taxonomy() -> Taxonomy:
    """The shipped taxonomy."""
    return load_taxonomy(paths.resources_dir() / "taxonomy.json")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test's cart database lives."""
    return tmp_path / "cowapp.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[IssueStore]:
    """A real, migrated cart store."""
    opened = open_database(db_path, paths.migrations_dir())
    yield IssueStore(opened.db)
    opened.db.dispose()


def add_issue(
    store: IssueStore,
    taxonomy: Taxonomy,
    *,
    impact: int,
    urgency: int,
    minutes_ago: int,
    category: str = "printing",
    description: str = "Etikettenprinter geeft papierstoring",
) -> Issue:
    """Store a new issue reported ``minutes_ago`` with this impact and urgency."""
    draft = IssueDraft(
        category=category,
        reporter="12345",
        description=description,
        room="12",
        impact=impact,
        urgency=urgency,
    )
    issue, _ = create_issue(draft, taxonomy, POLICY, NOW - timedelta(minutes=minutes_ago))
    return store.add(issue)


@pytest.fixture
def screen(
    qtbot: QtBot,
    themed: QApplication,
    taxonomy: Taxonomy,
    store: IssueStore,
    db_path: Path,
    translator: Translator,
) -> Iterator[TechnicianScreen]:
    """The technician screen over a real store, wired as the composition root will."""
    del translator  # installed for its side effect
    opened = open_database(db_path, paths.migrations_dir())
    widget = TechnicianScreen(
        IssueQuery(opened.db),
        store.get,
        StoreBedsideActions(store, POLICY, TECHNICIAN),
        GROUPS,
        TECHNICIAN,
        taxonomy,
    )
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    opened.db.dispose()


@pytest.fixture
def one_issue(store: IssueStore, taxonomy: Taxonomy) -> Issue:
    """A single new issue on the cart (created before the screen opens)."""
    return add_issue(store, taxonomy, impact=2, urgency=2, minutes_ago=15)


def queue_ids(screen: TechnicianScreen) -> list[uuid.UUID]:
    model = screen.model
    return [model.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(model.rowCount())]


def tap(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, LEFT)


def tap_row(qtbot: QtBot, screen: TechnicianScreen, row: int) -> None:
    """One tap on a queue row (no double tap)."""
    view = screen.view
    rect = view.visualRect(screen.model.index(row, REFERENCE_COLUMN))
    qtbot.mouseClick(view.viewport(), LEFT, pos=rect.center())


def outbox(db_path: Path, issue_id: uuid.UUID) -> list[tuple[str, str]]:
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute(
            "SELECT operation, state FROM outbox WHERE issue_id = ? ORDER BY seq",
            (issue_id.hex,),
        ).fetchall()
    return [(str(op), str(state)) for op, state in rows]


# --- claim, resolve, escalate --------------------------------------------------------------------


def test_claim_then_resolve_is_stored_and_coalesces_into_the_pending_create(
    qtbot: QtBot, one_issue: Issue, screen: TechnicianScreen, store: IssueStore, db_path: Path
) -> None:
    detail = screen.detail
    tap_row(qtbot, screen, 0)
    assert detail.issue is not None and detail.issue.id == one_issue.id
    assert detail._reference.text() == one_issue.reference

    tap(qtbot, detail._buttons["claim"])
    assert store.get(one_issue.id).status is IssueStatus.IN_PROGRESS
    assert store.get(one_issue.id).claimed_by == TECHNICIAN
    assert not detail._buttons["claim"].isVisible()

    tap(qtbot, detail._buttons["resolve"])
    tap(qtbot, detail._code.buttons[ResolutionCode.RESTARTED.value])
    tap(qtbot, detail._plus)
    tap(qtbot, detail._plus)
    qtbot.keyClicks(detail._resolve_text.edit, "Printer herstart, rol opnieuw geplaatst")
    tap(qtbot, detail._submit["resolve"])

    stored = store.get(one_issue.id)
    assert stored.status is IssueStatus.RESOLVED
    assert stored.resolution_code is ResolutionCode.RESTARTED
    assert stored.minutes_spent == 20
    assert stored.resolution_notes == "Printer herstart, rol opnieuw geplaatst"
    assert outbox(db_path, one_issue.id) == [("create", "pending")]  # the update rode along
    assert detail.issue is not None and detail.issue.status is IssueStatus.RESOLVED
    assert one_issue.id not in queue_ids(screen)  # it left the open queue
    assert "Opgelost" in detail._headline.text() or "Resolved" in detail._headline.text()


def test_escalation_is_refused_without_a_reason_then_stored_with_its_group(
    qtbot: QtBot, one_issue: Issue, screen: TechnicianScreen, store: IssueStore
) -> None:
    detail = screen.detail
    tap_row(qtbot, screen, 0)
    tap(qtbot, detail._buttons["claim"])
    tap(qtbot, detail._buttons["escalate"])
    tap(qtbot, detail._group.buttons["Applicatiebeheer HiX"])
    tap(qtbot, detail._submit["escalate"])

    assert store.get(one_issue.id).status is IssueStatus.IN_PROGRESS
    assert detail._errors["escalate"].text()  # said next to the action, in plain words
    assert detail._frames["escalate"].isVisible()

    qtbot.keyClicks(detail._reason.edit, "Etiketlayout in HiX verkeerd, niet lokaal te herstellen")
    tap(qtbot, detail._submit["escalate"])
    stored = store.get(one_issue.id)
    assert stored.status is IssueStatus.ESCALATED
    assert stored.escalation_group == "Applicatiebeheer HiX"
    assert stored.escalation_reason.startswith("Etiketlayout")
    assert not detail._buttons["priority"].isEnabled()  # the central service owns it now


def test_a_bsn_in_a_note_blocks_and_a_warning_needs_confirmation(
    qtbot: QtBot, one_issue: Issue, screen: TechnicianScreen, store: IssueStore
) -> None:
    detail = screen.detail
    tap_row(qtbot, screen, 0)
    tap(qtbot, detail._buttons["note"])
    note = detail._note
    qtbot.keyClicks(note.edit, "Patient 111222333 kon niet scannen")
    assert note.banner.isVisible() and not note.confirm.isVisible()
    assert not detail._submit["note"].isEnabled()
    qtbot.mouseClick(detail._submit["note"], LEFT)
    assert store.get(one_issue.id).notes == []
    with pytest.raises(PrivacyBlockedError):  # and the adapter refuses it on its own too
        StoreBedsideActions(store, POLICY, TECHNICIAN).add_note(one_issue.id, "111222333", True)

    note.edit.clear()
    qtbot.keyClicks(note.edit, "Bel 06-12345678 als het weer gebeurt")
    assert note.confirm.isVisible() and not detail._submit["note"].isEnabled()
    tap(qtbot, note.confirm)
    tap(qtbot, detail._submit["note"])
    assert [n.text for n in store.get(one_issue.id).notes] == [
        "Bel 06-12345678 als het weer gebeurt"
    ]
    assert "06-12345678" in detail._timeline.text()


def test_impact_and_urgency_change_the_priority_and_lock_once_escalated(
    qtbot: QtBot, one_issue: Issue, screen: TechnicianScreen, store: IssueStore
) -> None:
    detail = screen.detail
    tap_row(qtbot, screen, 0)
    tap(qtbot, detail._buttons["priority"])
    tap(qtbot, detail._impact.buttons["1"])
    tap(qtbot, detail._urgency.buttons["1"])
    tap(qtbot, detail._submit["priority"])
    assert store.get(one_issue.id).priority == 1

    actions = StoreBedsideActions(store, POLICY, TECHNICIAN)
    actions.escalate(one_issue.id, "Servicedesk", "Hele afdeling getroffen", False)
    screen.model.refresh()
    tap(qtbot, screen.status_chips["escalated"])
    tap_row(qtbot, screen, 0)
    assert detail.issue is not None and detail.issue.status is IssueStatus.ESCALATED
    assert not detail._buttons["priority"].isEnabled()
    assert not detail._buttons["resolve"].isVisible()


# --- the queue -----------------------------------------------------------------------------------


def test_the_queue_is_sorted_by_priority_then_age_and_the_status_filter_works(
    qtbot: QtBot, store: IssueStore, taxonomy: Taxonomy, screen: TechnicianScreen
) -> None:
    low_old = add_issue(store, taxonomy, impact=3, urgency=3, minutes_ago=300)
    high_new = add_issue(store, taxonomy, impact=1, urgency=1, minutes_ago=5)
    mid_old = add_issue(store, taxonomy, impact=2, urgency=2, minutes_ago=200)
    mid_new = add_issue(store, taxonomy, impact=2, urgency=2, minutes_ago=20)
    done = add_issue(store, taxonomy, impact=1, urgency=2, minutes_ago=60)
    actions = StoreBedsideActions(store, POLICY, TECHNICIAN)
    actions.resolve(done.id, ResolutionCode.FIXED, "", 5, False)
    tap(qtbot, screen.status_chips["all"])
    tap(qtbot, screen.status_chips["open"])

    assert queue_ids(screen) == [high_new.id, mid_old.id, mid_new.id, low_old.id]
    assert screen.model.index(0, PRIORITY_COLUMN).data() == "P1"

    tap(qtbot, screen.status_chips["resolved"])
    assert queue_ids(screen) == [done.id]
    assert screen.status_filter() == "resolved"
    tap(qtbot, screen.status_chips["resolved"])  # a second tap keeps the filter on
    assert screen.status_filter() == "resolved"
    tap(qtbot, screen.status_chips["all"])
    assert set(queue_ids(screen)) == {low_old.id, high_new.id, mid_old.id, mid_new.id, done.id}


def test_a_category_chip_narrows_the_queue(
    qtbot: QtBot, store: IssueStore, taxonomy: Taxonomy, screen: TechnicianScreen
) -> None:
    printer = add_issue(store, taxonomy, impact=2, urgency=2, minutes_ago=5)
    wifi = add_issue(store, taxonomy, impact=2, urgency=2, minutes_ago=6, category="network")
    tap(qtbot, screen.status_chips["open"])
    assert set(queue_ids(screen)) == {printer.id, wifi.id}
    tap(qtbot, screen.categories_toggle)
    tap(qtbot, screen.category_chips["network"])
    assert queue_ids(screen) == [wifi.id]
    assert screen.categories_toggle.text().startswith("Categorie (1)")


# --- touch and language --------------------------------------------------------------------------


def test_every_button_and_row_is_big_enough_for_a_gloved_finger(
    qtbot: QtBot, one_issue: Issue, screen: TechnicianScreen
) -> None:
    tap_row(qtbot, screen, 0)
    assert screen.view.rowHeight(0) >= MIN_TOUCH
    for panel in ("resolve", "escalate", "note", "priority"):
        tap(qtbot, screen.detail._buttons[panel])
        shown = [b for b in screen.findChildren(QPushButton) if b.isVisible()]
        assert shown
        small = [b.text() for b in shown if b.height() < MIN_TOUCH or b.width() < MIN_TOUCH]
        assert not small, f"too small with the {panel} panel open: {small}"


def test_switching_the_language_changes_the_button_texts(
    qtbot: QtBot, one_issue: Issue, screen: TechnicianScreen, translator: Translator
) -> None:
    claim = screen.detail._buttons["claim"]
    assert claim.text() == "Oppakken"
    assert screen.status_chips["open"].text() == "Open"
    assert translator.switch("en")
    qtbot.waitUntil(lambda: claim.text() == "Claim", timeout=2000)  # LanguageChange is posted
    assert screen.status_chips["resolved"].text() == "Resolved"


# --- duplicates ----------------------------------------------------------------------------------


def test_a_duplicate_is_closed_against_an_open_issue_picked_with_one_tap(
    qtbot: QtBot, screen: TechnicianScreen, store: IssueStore, taxonomy: Taxonomy, db_path: Path
) -> None:
    first = add_issue(store, taxonomy, impact=2, urgency=2, minutes_ago=40)
    add_issue(store, taxonomy, impact=3, urgency=3, minutes_ago=50, category="network")
    again = add_issue(store, taxonomy, impact=2, urgency=2, minutes_ago=5)
    screen.model.refresh()
    row = queue_ids(screen).index(again.id)
    detail = screen.detail
    tap_row(qtbot, screen, row)
    tap(qtbot, detail._buttons["duplicate"])
    picker = detail._duplicate
    assert list(picker._chip_buttons) == [first.reference], "same category, open, not itself"
    assert not detail._submit["duplicate"].isEnabled(), "nothing chosen yet"
    tap(qtbot, picker._chip_buttons[first.reference])
    tap(qtbot, detail._submit["duplicate"])
    stored = store.get(again.id)
    assert (stored.status, stored.resolution_code) == (
        IssueStatus.RESOLVED,
        ResolutionCode.DUPLICATE,
    )
    assert stored.duplicate_of == first.id
    assert outbox(db_path, again.id) == [("create", "pending")], "it still syncs, as resolved"
    assert store.get(first.id).status is IssueStatus.NEW


def test_a_typed_reference_that_is_not_on_the_cart_is_refused_plainly(
    qtbot: QtBot, one_issue: Issue, screen: TechnicianScreen, store: IssueStore
) -> None:
    detail = screen.detail
    tap_row(qtbot, screen, 0)
    tap(qtbot, detail._buttons["duplicate"])
    qtbot.keyClicks(detail._duplicate.field, "zzz 999")
    tap(qtbot, detail._submit["duplicate"])
    assert "controleer" in detail._errors["duplicate"].text()
    assert store.get(one_issue.id).status is IssueStatus.NEW, "nothing changed"
    detail._duplicate.field.setText(one_issue.reference)
    tap(qtbot, detail._submit["duplicate"])
    assert store.get(one_issue.id).status is IssueStatus.NEW, "not a duplicate of itself"
    assert detail._errors["duplicate"].text()


def test_the_detail_reads_naturally(
    qtbot: QtBot, screen: TechnicianScreen, store: IssueStore, taxonomy: Taxonomy
) -> None:
    draft = IssueDraft(
        category="medication", reporter="12345", room="kamer 14", patient_safety=True
    )
    issue, _ = create_issue(draft, taxonomy, POLICY, NOW)
    store.add(issue)
    screen.model.refresh()
    tap_row(qtbot, screen, 0)
    detail = screen.detail
    assert "kamer 14" in detail._place.text() and "kamer kamer" not in detail._place.text()
    assert detail._flags.text() == "⚠ Patiëntveiligheid in gevaar", "no 'VIM -' without one"
    tap(qtbot, detail._buttons["claim"])
    tap(qtbot, detail._buttons["escalate"])
    tap(qtbot, detail._group.buttons["Werkplekbeheer"])
    qtbot.keyClicks(detail._reason.edit, "Toedienlijst toont medicatie niet")
    tap(qtbot, detail._submit["escalate"])
    assert "Doorgezet · Werkplekbeheer" in detail._timeline.text()
