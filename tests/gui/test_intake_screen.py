"""The nurse intake screen against a real store: three taps save, the privacy guard works live,
the receipt shows the reference, every target is big enough, and the language switches.

The screen gets the same ``submit`` the composition root gives it: `create_issue` and
`IssueStore.add` on a real, migrated SQLite file; rows are checked with sqlite3.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from cowapp import paths
from cowapp.domain.intake import IntakePolicy, IssueDraft, create_issue
from cowapp.domain.taxonomy import Taxonomy, load_taxonomy
from cowapp.storage.issue_store import IssueStore
from cowapp.storage.migrate import open_database
from cowapp.ui.i18n import Translator
from cowapp.ui.intake import IntakeScreen, SubmitResult
from cowapp.ui.theme import MIN_TOUCH, TILE

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def taxonomy() -> Taxonomy:
    """The shipped taxonomy."""
    return load_taxonomy(paths.resources_dir() / "taxonomy.json")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test's cart database lives."""
    return tmp_path / "cowapp.sqlite3"


@pytest.fixture
def screen(
    qtbot: QtBot, themed: QApplication, taxonomy: Taxonomy, db_path: Path, translator: Translator
) -> Iterator[IntakeScreen]:
    """A fresh intake screen saving into a real store, as the composition root wires it."""
    opened = open_database(db_path, paths.migrations_dir())
    store = IssueStore(opened.db)
    policy = IntakePolicy(cart_id="COW-07", ward="B4")

    def submit(draft: IssueDraft) -> SubmitResult:
        issue, _report = create_issue(draft, taxonomy, policy, datetime.now(UTC))
        return SubmitResult(store.add(issue).reference)

    widget = IntakeScreen(taxonomy, submit, ward="B4")
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    opened.db.dispose()


def _rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(sql).fetchall()


def _tile(screen: IntakeScreen, label: str) -> QPushButton:
    return next(t for t in screen._tiles.values() if t.label == label)


def _button(screen: IntakeScreen, text: str) -> QPushButton:
    matches = [b for b in screen.findChildren(QPushButton) if b.text().replace("&&", "&") == text]
    assert matches, f"no button {text!r}"
    return matches[0]


def _visible_texts(screen: IntakeScreen) -> list[str]:
    return [label.text() for label in screen.findChildren(QLabel) if label.isVisible()]


def _save(screen: IntakeScreen) -> QPushButton:
    return _button(screen, "Melding opslaan")


def _scan_badge(qtbot: QtBot, screen: IntakeScreen, number: str = "123456") -> None:
    staff = screen._staff
    qtbot.keyClicks(staff, number)
    qtbot.keyClick(staff, Qt.Key.Key_Return)


def _choose_printing(qtbot: QtBot, screen: IntakeScreen) -> None:
    qtbot.mouseClick(_tile(screen, "Printen & etiketten"), LEFT)


def test_three_taps_save_the_issue_and_its_outbox_row(
    qtbot: QtBot, screen: IntakeScreen, db_path: Path
) -> None:
    qtbot.mouseClick(_tile(screen, "Printen & etiketten"), LEFT)
    qtbot.mouseClick(_button(screen, "Polsbandjesprinter"), LEFT)
    with qtbot.waitSignal(screen.issue_submitted) as submitted:
        _scan_badge(qtbot, screen)
    [reference] = submitted.args
    rows = _rows(db_path, "SELECT id, reference, category, subcategory, reporter, ward FROM issues")
    assert [row[1:] for row in rows] == [
        (reference, "printing", "wristband_printer", "123456", "B4")
    ]
    outbox = _rows(db_path, "SELECT issue_id FROM outbox")
    assert len(outbox) == 1 and outbox[0][0] == rows[0][0]


def test_a_bsn_shows_the_danger_banner_disables_save_and_writes_nothing(
    qtbot: QtBot, screen: IntakeScreen, db_path: Path
) -> None:
    _choose_printing(qtbot, screen)
    qtbot.mouseClick(_button(screen, "Meer details  ▾"), LEFT)
    qtbot.keyClicks(screen._description, "patient 111222333 kan niet printen")
    banner = [t for t in _visible_texts(screen) if t.startswith("Omschrijving: Dit lijkt een BSN")]
    assert banner, _visible_texts(screen)
    assert "111222333" not in "".join(_visible_texts(screen)), "the banner never repeats it"
    assert not _save(screen).isEnabled()
    assert "Haal eerst het BSN weg" in _visible_texts(screen)
    _scan_badge(qtbot, screen)
    qtbot.mouseClick(_save(screen), LEFT)
    assert _rows(db_path, "SELECT COUNT(*) FROM issues") == [(0,)]
    assert _rows(db_path, "SELECT COUNT(*) FROM outbox") == [(0,)]


def test_a_phone_number_needs_the_confirmation_then_the_text_is_stored(
    qtbot: QtBot, screen: IntakeScreen, db_path: Path
) -> None:
    _choose_printing(qtbot, screen)
    qtbot.mouseClick(_button(screen, "Meer details  ▾"), LEFT)
    qtbot.keyClicks(screen._description, "bel afdeling 06-12345678")
    assert any("telefoonnummer" in t for t in _visible_texts(screen))
    assert not _save(screen).isEnabled()
    _scan_badge(qtbot, screen)
    assert _rows(db_path, "SELECT COUNT(*) FROM issues") == [(0,)], "Enter does not save yet"
    confirm = _button(screen, "Dit is geen patiëntgegeven")
    assert confirm.isVisible()
    qtbot.mouseClick(confirm, LEFT)
    assert _save(screen).isEnabled()
    with qtbot.waitSignal(screen.issue_submitted):
        qtbot.mouseClick(_save(screen), LEFT)
    assert _rows(db_path, "SELECT description FROM issues") == [("bel afdeling 06-12345678",)]


def test_new_text_after_confirming_needs_confirming_again(
    qtbot: QtBot, screen: IntakeScreen
) -> None:
    _choose_printing(qtbot, screen)
    qtbot.mouseClick(_button(screen, "Meer details  ▾"), LEFT)
    qtbot.keyClicks(screen._description, "bel 06-12345678")
    qtbot.mouseClick(_button(screen, "Dit is geen patiëntgegeven"), LEFT)
    qtbot.keyClicks(screen._error_text, "zie jan@example.org")
    assert not _button(screen, "Dit is geen patiëntgegeven").isChecked()
    assert not _save(screen).isEnabled()


def test_patient_safety_asks_for_the_vim_number_only(
    qtbot: QtBot, screen: IntakeScreen, db_path: Path
) -> None:
    qtbot.mouseClick(_tile(screen, "Medicatie & toediening"), LEFT)
    vim = screen.findChildren(QLineEdit)
    assert not screen._vim.isVisible()
    screen._safety.click()
    assert screen._vim.isVisible() and screen._vim in vim
    assert any("geen klinische gegevens" in t for t in _visible_texts(screen))
    qtbot.keyClicks(screen._vim, "VIM-2024-113")
    with qtbot.waitSignal(screen.issue_submitted):
        _scan_badge(qtbot, screen)
    assert _rows(db_path, "SELECT patient_safety, vim_reference, urgency FROM issues") == [
        (1, "VIM-2024-113", 1)
    ]


def test_a_missing_staff_number_is_shown_next_to_its_field(
    qtbot: QtBot, screen: IntakeScreen, db_path: Path
) -> None:
    _choose_printing(qtbot, screen)
    qtbot.mouseClick(_save(screen), LEFT)
    assert any(
        t.startswith("Scan je pas of typ je personeelsnummer") for t in _visible_texts(screen)
    )
    assert screen._staff.hasFocus()
    assert _rows(db_path, "SELECT COUNT(*) FROM issues") == [(0,)]


def test_the_receipt_shows_the_reference_and_new_report_resets(
    qtbot: QtBot, screen: IntakeScreen
) -> None:
    _choose_printing(qtbot, screen)
    qtbot.mouseClick(_button(screen, "Ja"), LEFT)
    with qtbot.waitSignal(screen.issue_submitted) as submitted:
        _scan_badge(qtbot, screen)
    texts = _visible_texts(screen)
    assert submitted.args[0] in texts
    assert "Opgeslagen op deze kar — wordt verzonden zodra er verbinding is" in texts
    qtbot.mouseClick(_button(screen, "Nieuwe melding"), LEFT)
    assert "Wat werkt er niet?" in _visible_texts(screen)
    assert not any(tile.isChecked() for tile in screen._tiles.values())
    assert screen._staff.text() == "" and screen._care.value() is None
    assert not _save(screen).isEnabled(), "no category chosen: nothing to save"
    assert "Tik eerst aan wat er niet werkt" in _visible_texts(screen)


def test_every_target_is_big_enough(qtbot: QtBot, screen: IntakeScreen) -> None:
    qtbot.mouseClick(_tile(screen, "EPD-applicatie (HiX)"), LEFT)
    qtbot.mouseClick(_button(screen, "Meer details  ▾"), LEFT)
    screen._safety.click()
    qtbot.keyClicks(screen._description, "bel 06-12345678")
    for tile in screen._tiles.values():
        assert tile.height() >= max(TILE, 96), f"{tile.label!r} is {tile.height()} px high"
    controls: list[QWidget] = [w for w in screen.findChildren(QPushButton) if w.isVisible()]
    controls += [w for w in screen.findChildren(QLineEdit) if w.isVisible()]
    assert len(controls) > 25
    for control in controls:
        assert control.height() >= MIN_TOUCH, f"{control!r} is {control.height()} px high"
        assert control.width() >= MIN_TOUCH, f"{control!r} is {control.width()} px wide"
    for box in (screen._safety, screen._privacy_incident):
        assert box.height() >= MIN_TOUCH


def test_the_language_switches_at_runtime(
    qtbot: QtBot, screen: IntakeScreen, translator: Translator
) -> None:
    _choose_printing(qtbot, screen)
    assert "Kan de zorg veilig doorgaan?" in _visible_texts(screen)
    assert "Wie heeft er last van?" in _visible_texts(screen)
    translator.switch("en")
    qtbot.waitUntil(lambda: "Can care continue safely?" in _visible_texts(screen), timeout=2000)
    assert "Who is affected?" in _visible_texts(screen)
    assert _tile(screen, "Printing & labels").isChecked(), "the choice survives the switch"
    assert _button(screen, "Wristband printer").isVisible()
