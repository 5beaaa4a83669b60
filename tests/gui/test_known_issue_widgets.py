"""Known issues on the screens, wired as the app wires them, on a real cart database: typing
"etiket" in the intake suggests the label-printer known issues; "Ik heb dit ook" saves a linked,
queued issue; "Opgelost" is counted and files nothing; technicians see the category's checklist
and publish a bedside resolution that nurses then find."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from cowapp.composition import _known_issues, _submitter
from cowapp.domain.intake import IssueDraft
from cowapp.domain.issue import ResolutionCode
from cowapp.settings import load_settings
from cowapp.ui.i18n import Translator
from cowapp.ui.intake import IntakeScreen
from cowapp.ui.known_issue_panel import KnownIssuePanel
from cowapp.ui.known_issue_suggestions import KnownIssueSuggestions
from cowapp.ui.theme import MIN_TOUCH
from cowapp.wiring import Cart, open_cart

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def cart(tmp_path: Path) -> Iterator[Cart]:
    opened = open_cart(load_settings(tmp_path))
    yield opened
    opened.close()


@pytest.fixture
def intake(qtbot: QtBot, cart: Cart, translator: Translator) -> IntakeScreen:
    suggestions = KnownIssueSuggestions(_known_issues(cart))
    screen = IntakeScreen(
        cart.settings.taxonomy, _submitter(cart, None), "B4", suggestions=suggestions
    )
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def _suggestions(screen: IntakeScreen) -> KnownIssueSuggestions:
    found = screen.findChild(KnownIssueSuggestions)
    assert found is not None
    return found


def _buttons(widget: QWidget, text: str) -> list[QPushButton]:
    return [b for b in widget.findChildren(QPushButton) if b.text() == text and b.isVisible()]


def _rows(cart: Cart, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(cart.db.path) as connection:
        return connection.execute(sql).fetchall()


def _type_description(qtbot: QtBot, screen: IntakeScreen, text: str) -> None:
    screen._details_toggle.setChecked(True)
    qtbot.keyClicks(screen._description, text)


def test_typing_etiket_suggests_the_label_printer_known_issues(
    qtbot: QtBot, intake: IntakeScreen
) -> None:
    _type_description(qtbot, intake, "etiket")
    widget = _suggestions(intake)
    qtbot.waitUntil(lambda: bool(widget.suggestions), timeout=2000)  # after the debounce
    assert [s.id for s in widget.suggestions] == ["KI-PRN-001", "KI-PRN-002"]
    assert widget.isVisible()
    assert all("etiket" in s.title.lower() for s in widget.suggestions)
    for text in ("Ik heb dit ook", "Opgelost"):
        buttons = _buttons(intake, text)
        assert len(buttons) == 2
        assert all(b.height() >= MIN_TOUCH for b in buttons)


def test_picking_a_category_alone_shows_its_known_issues(
    qtbot: QtBot, intake: IntakeScreen
) -> None:
    intake._on_tile_clicked("scanners")
    widget = _suggestions(intake)
    qtbot.waitUntil(lambda: bool(widget.suggestions), timeout=2000)
    assert {s.category for s in widget.suggestions} == {"scanners"}


def test_me_too_saves_a_linked_queued_issue(qtbot: QtBot, intake: IntakeScreen, cart: Cart) -> None:
    _type_description(qtbot, intake, "etiketten leeg")
    widget = _suggestions(intake)
    qtbot.waitUntil(lambda: bool(widget.suggestions), timeout=2000)
    qtbot.mouseClick(_buttons(intake, "Ik heb dit ook")[0], LEFT)
    assert _rows(cart, "SELECT count(*) FROM issues") == [(0,)]  # no staff number yet
    qtbot.keyClicks(intake._staff, "123456")
    qtbot.keyClick(intake._staff, Qt.Key.Key_Return)
    assert _rows(cart, "SELECT category, description FROM issues") == [
        ("printing", "etiketten leeg")
    ]
    assert _rows(cart, "SELECT known_issue_id FROM known_issue_reports") == [("KI-PRN-001",)]
    assert _rows(cart, "SELECT operation, state FROM outbox") == [("create", "pending")]


def test_solved_counts_a_deflection_files_nothing_and_clears_the_form(
    qtbot: QtBot, intake: IntakeScreen, cart: Cart
) -> None:
    intake._on_tile_clicked("printing")
    widget = _suggestions(intake)
    qtbot.waitUntil(lambda: bool(widget.suggestions), timeout=2000)
    qtbot.mouseClick(_buttons(intake, "Opgelost")[0], LEFT)
    assert _rows(cart, "SELECT known_issue_id, category FROM known_issue_deflections") == [
        ("KI-PRN-001", "printing")
    ]
    assert _rows(cart, "SELECT count(*) FROM issues") == [(0,)]
    assert _rows(cart, "SELECT count(*) FROM outbox") == [(0,)]
    assert intake._category is None
    assert widget.isVisible() and not widget.suggestions  # the thank-you stays in view


def test_technician_panel_shows_the_checklist_and_publishes(
    qtbot: QtBot, cart: Cart, translator: Translator
) -> None:
    submit = _submitter(cart, None)
    reference = submit(
        IssueDraft(category="cart", reporter="123456", description="Lade klemt")
    ).reference
    issue = cart.issues.by_reference(reference)
    now = datetime.now(UTC)
    issue = cart.issues.change(issue.id, lambda i: i.claim("T2041", now))
    issue = cart.issues.change(
        issue.id,
        lambda i: i.resolve("T2041", now, ResolutionCode.FIXED, "Rail ingevet\nLade getest"),
    )
    panel = KnownIssuePanel(_known_issues(cart), "T2041")
    qtbot.addWidget(panel)
    panel.show_issue(issue)
    panel.show()
    rows = {
        label.text(): label.parentWidget()
        for label in panel.findChildren(QLabel)
        if label.isVisible() and label.parentWidget().findChild(QCheckBox) is not None
    }
    assert "Accupercentage genoteerd?" in rows
    row = rows["Accupercentage genoteerd?"]
    qtbot.mouseClick(row, LEFT)  # a tap on the text ticks the box
    assert row.findChild(QCheckBox).isChecked()
    qtbot.mouseClick(_buttons(panel, "Publiceren als bekend probleem")[0], LEFT)
    assert panel._title.text() == "Lade klemt"
    with qtbot.waitSignal(panel.published) as published:
        qtbot.mouseClick(_buttons(panel, "Publiceren")[0], LEFT)
    found = _known_issues(cart).suggest("lade", None, "nl")
    assert found[0].id == published.args[0]
    assert found[0].steps == ("Rail ingevet", "Lade getest")
