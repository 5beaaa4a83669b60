"""Dutch and English: every string in the code is in the .ts files, translated, with its
placeholders; the shipped .qm files are the compiled .ts files; the language switches at runtime.

A developer who adds ``self.tr("...")`` and forgets scripts/translations.sh, or leaves the Dutch
unfinished, or drops a ``%1`` in the translation, gets a failing test that says which string.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from cowapp import paths
from cowapp.domain.taxonomy import load_taxonomy
from cowapp.sync.status import Connection, SyncStatus
from cowapp.ui.home import HomeSummary, HomeWindow, describe_sync
from cowapp.ui.i18n import LANGUAGES, Translator, arg, category_label, installed_language

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "cowapp" / "ui"
TRANSLATIONS = ROOT / "resources" / "translations"
PLACEHOLDER = re.compile(r"%(?:\d|n)|\{\w*\}")
# Text a user sees that needs no translation: the product's name.
UNTRANSLATED_OK = re.compile(r"^cowapp\b")


@dataclass(frozen=True)
class Message:
    """One <message> of a .ts file."""

    context: str
    source: str
    numerus: bool
    finished: bool
    forms: tuple[str, ...]


def _messages(ts: Path) -> list[Message]:
    messages = []
    for context in ET.parse(ts).getroot().iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            if translation.get("type") in ("vanished", "obsolete"):
                continue
            numerus = message.get("numerus") == "yes"
            forms = (
                tuple(f.text or "" for f in translation.iter("numerusform"))
                if numerus
                else (translation.text or "",)
            )
            messages.append(
                Message(
                    context.findtext("name", ""),
                    message.findtext("source", ""),
                    numerus,
                    translation.get("type") != "unfinished",
                    forms,
                )
            )
    return messages


@dataclass(frozen=True)
class Call:
    """A translatable string found in the code."""

    context: str
    source: str
    numerus: bool
    where: str


def _literal(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _counted(call: ast.Call, n_position: int) -> bool:
    return len(call.args) > n_position or any(k.arg == "n" for k in call.keywords)


class _Scanner(ast.NodeVisitor):
    """Finds self.tr(...), QCoreApplication.translate(...) and QT_TRANSLATE_NOOP(...) calls."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.classes: list[str] = []
        self.calls: list[Call] = []
        self.problems: list[str] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        where = f"{self.path.relative_to(ROOT)}:{node.lineno}"
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        first = node.args[0] if node.args else None
        second = node.args[1] if len(node.args) > 1 else None
        if name in ("tr", "QT_TR_NOOP"):
            source = _literal(first)
            if source is None:
                self.problems.append(f"{where}: {name}() needs a literal string, not code")
            elif not self.classes:
                self.problems.append(f"{where}: {name}() outside a class has no context")
            else:
                self.calls.append(Call(self.classes[-1], source, _counted(node, 2), where))
        elif name in ("translate", "QT_TRANSLATE_NOOP"):
            context, source = _literal(first), _literal(second)
            if isinstance(second, ast.JoinedStr | ast.BinOp) or context is None:
                self.problems.append(f"{where}: {name}() needs a literal context and string")
            elif source is not None:  # else: a QT_TRANSLATE_NOOP constant, checked where marked
                self.calls.append(Call(context, source, _counted(node, 3), where))
        elif name in _SHOWN and first is not None and _untranslated(first):
            self.problems.append(f"{where}: {name}() shows text without tr()")
        self.generic_visit(node)


# Calls whose first argument a user reads; a literal there must go through tr().
_SHOWN = {
    "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction",
    "setText", "setWindowTitle", "setPlaceholderText", "setToolTip", "setTitle",
    "information", "warning", "critical", "question", "addItem", "setTabText",
}  # fmt: skip


def _untranslated(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr):
        text = "".join(_literal(v) or "" for v in node.values if isinstance(v, ast.Constant))
    else:
        text = _literal(node) or ""
    return bool(re.search(r"[A-Za-z]", text)) and not UNTRANSLATED_OK.match(text)


SOURCES = sorted(UI.rglob("*.py"))


def _scan(path: Path) -> _Scanner:
    scanner = _Scanner(path)
    scanner.visit(ast.parse(path.read_text(encoding="utf-8")))
    return scanner


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


# --- the .ts files against the code ------------------------------------------------------------


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_every_translatable_string_in_the_code_is_in_the_dutch_ts(path: Path) -> None:
    scanner = _scan(path)
    assert not scanner.problems, "lupdate cannot see these strings:\n" + "\n".join(scanner.problems)
    in_ts = {(m.context, m.source): m for m in _messages(TRANSLATIONS / "cowapp_nl.ts")}
    missing = [
        f"{c.where}: [{c.context}] {c.source!r}"
        for c in scanner.calls
        if (c.context, c.source) not in in_ts
    ]
    assert not missing, "run scripts/translations.sh, then translate:\n" + "\n".join(missing)
    wrong_kind = [
        f"{c.where}: {c.source!r}"
        for c in scanner.calls
        if in_ts[c.context, c.source].numerus != c.numerus
    ]
    assert not wrong_kind, f"plural (n=) and .ts numerus disagree, run the script: {wrong_kind}"


def test_the_scanner_finds_the_home_windows_strings() -> None:
    # The overview's status words live in the shared labels table (QT_TRANSLATE_NOOP).
    calls = _scan(UI / "home.py").calls + _scan(UI / "labels.py").calls
    assert len(calls) >= 15
    found = [Call(c.context, c.source, c.numerus, "") for c in calls]
    assert Call("HomeWindow", "%n issue(s) on this cart", True, "") in found
    assert Call("IssueStatus", "Resolved at the bedside", False, "") in found


def test_the_ts_has_no_strings_the_code_no_longer_uses() -> None:
    used = {(c.context, c.source) for path in SOURCES for c in _scan(path).calls}
    stale = {(m.context, m.source) for m in _messages(TRANSLATIONS / "cowapp_nl.ts")} - used
    assert not stale, f"run scripts/translations.sh to drop: {sorted(stale)}"


def test_every_dutch_message_is_finished_and_keeps_its_placeholders() -> None:
    messages = _messages(TRANSLATIONS / "cowapp_nl.ts")
    assert messages
    for m in messages:
        label = f"[{m.context}] {m.source!r}"
        assert m.finished, f"{label} has no finished Dutch translation"
        assert m.forms and all(form.strip() for form in m.forms), f"{label}: empty translation"
        if m.numerus:
            assert len(m.forms) == 2, f"{label}: Dutch has a singular and a plural form"
        for form in m.forms:
            assert _placeholders(form) == _placeholders(m.source), (
                f"{label}: translation {form!r} does not keep the placeholders of the source"
            )


def test_english_plurals_are_finished() -> None:
    messages = _messages(TRANSLATIONS / "cowapp_en.ts")
    dutch_plurals = {
        (m.context, m.source) for m in _messages(TRANSLATIONS / "cowapp_nl.ts") if m.numerus
    }
    assert {(m.context, m.source) for m in messages} == dutch_plurals
    for m in messages:
        assert m.finished and all(f.strip() for f in m.forms), f"{m.source!r} lacks English forms"
        assert all(_placeholders(f) == _placeholders(m.source) for f in m.forms), m.source


def test_placeholder_check_catches_a_dropped_placeholder() -> None:
    assert _placeholders("Kar %1 · %2") == _placeholders("Cart %1 · %2")
    assert _placeholders("Kar %1") != _placeholders("Cart %1 · %2")
    assert _placeholders("{ward}: %n") == ["%n", "{ward}"]


# --- the compiled .qm files ---------------------------------------------------------------------


def _lrelease() -> str:
    found = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent))
    found = found or shutil.which("pyside6-lrelease")
    assert found, "pyside6-lrelease (part of PySide6) is needed to check the .qm files"
    return found


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_shipped_qm_is_the_compiled_ts(language: str, tmp_path: Path) -> None:
    ts, qm = TRANSLATIONS / f"cowapp_{language}.ts", TRANSLATIONS / f"cowapp_{language}.qm"
    fresh = tmp_path / qm.name
    subprocess.run([_lrelease(), "-silent", str(ts), "-qm", str(fresh)], check=True, timeout=60)
    assert qm.read_bytes() == fresh.read_bytes(), f"{qm.name} is stale: run scripts/translations.sh"


def test_qm_files_are_found_where_the_app_looks() -> None:
    directory = paths.resources_dir() / "translations"
    for language in LANGUAGES:
        assert QTranslator().load(f"cowapp_{language}", str(directory)), language


# --- switching at runtime -----------------------------------------------------------------------


def _texts(window: HomeWindow) -> list[str]:
    return [label.text() for label in window.findChildren(QLabel)]


def test_language_switches_at_runtime(qtbot: QtBot, translator: Translator) -> None:
    summary = HomeSummary("COW-07", "B4", "nl", {"new": 1, "escalated": 1}, pending=0)
    window = HomeWindow(summary)
    qtbot.addWidget(window)
    window.show()
    assert "2 meldingen op deze kar" in _texts(window)
    assert "Nieuw: 1" in _texts(window)
    translator.switch("en")
    qtbot.waitUntil(lambda: "2 issues on this cart" in _texts(window), timeout=2000)
    assert "New: 1" in _texts(window) and "Escalated: 1" in _texts(window)
    assert "No central service desk set up: issues stay on this cart" in _texts(window)
    translator.switch("nl")
    qtbot.waitUntil(lambda: "2 meldingen op deze kar" in _texts(window), timeout=2000)
    assert "Doorgezet: 1" in _texts(window)


def test_plurals_in_both_languages(qtbot: QtBot, translator: Translator) -> None:
    now = datetime.now(UTC)
    one = SyncStatus(Connection.OFFLINE, 1, 1, now, None, None, now)
    two = SyncStatus(Connection.OFFLINE, 2, 2, now, None, None, now)
    assert describe_sync(one).endswith("· 1 vraagt aandacht")
    assert describe_sync(two).endswith("· 2 vragen aandacht")
    translator.switch("en")
    assert describe_sync(one).endswith("· 1 needs attention")
    assert describe_sync(two).endswith("· 2 need attention")


def test_unknown_language_is_refused(qapp: QApplication) -> None:
    with pytest.raises(ValueError, match="unknown language"):
        Translator(qapp, TRANSLATIONS).switch("de")


def test_missing_translations_fall_back_to_english(qapp: QApplication, tmp_path: Path) -> None:
    translator = Translator(qapp, tmp_path)
    try:
        assert translator.switch("nl") is False
        assert translator.language is None
        assert QCoreApplication.translate("IssueStatus", "New") == "New"
    finally:
        translator.uninstall()


def test_arg_fills_placeholders_in_one_pass() -> None:
    assert arg("Kar %1 · %2", "COW-07", "B4") == "Kar COW-07 · B4"
    assert arg("%2, %1", "a", "b") == "b, a"
    assert arg("%1", "%2", "x") == "%2", "a value is not filled again"
    assert arg("%1 and %3", "a") == "a and %3"


def test_numbers_and_dates_follow_the_language(qapp: QApplication) -> None:
    before = QLocale().name()
    translator = Translator(qapp, TRANSLATIONS)
    assert translator.switch("nl")
    assert QLocale().name() == "nl_NL"
    translator.uninstall()
    assert QLocale().name() == before


def test_categories_are_named_in_the_installed_language(translator: Translator) -> None:
    taxonomy = load_taxonomy(paths.resources_dir() / "taxonomy.json")
    assert installed_language() == "nl"
    assert category_label(taxonomy, "printing", "label_printer") == (
        "Printen & etiketten › Etikettenprinter"
    )
    translator.switch("en")
    assert installed_language() == "en"
    assert category_label(taxonomy, "printing") == "Printing & labels"
    # An issue from an older taxonomy keeps its codes rather than breaking the screen.
    assert category_label(taxonomy, "retired", "gone") == "retired › gone"
