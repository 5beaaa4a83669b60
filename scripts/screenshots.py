"""Render every cart screen in Dutch and English at 1280×800, offscreen, on the demo month.

    .venv/bin/python scripts/screenshots.py                 # all screens → ./screenshots/
    .venv/bin/python scripts/screenshots.py --readme        # the README's set → docs/screenshots/
    .venv/bin/python scripts/screenshots.py --only intake technician-queue --lang nl

Each screen is one `Shot`: a name and a builder that gets a `Stage` (a fresh main window wired
like `cowapp.gui.launch` does, on a throwaway cart seeded by `cowapp.demo.seed_demo`) and returns
the widget to photograph, after tapping and typing its way there like a user. A new screen is one
more line in `SHOTS`. Files are named ``<shot>.<lang>.png``. Exit code 0 when every shot was
written, 1 when one failed (its error is printed; the others are still written).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import traceback
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's cowapp

from PySide6.QtCore import QCoreApplication, QEvent, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from cowapp import paths
from cowapp.composition import compose
from cowapp.demo import DEMO_MANAGER, DEMO_PIN, DEMO_TECHNICIANS, seed_demo
from cowapp.domain.issue import IssueStatus
from cowapp.settings import load_settings
from cowapp.ui.attention import AttentionView
from cowapp.ui.dashboard import DashboardScreen
from cowapp.ui.demo_banner import add_demo_banner
from cowapp.ui.i18n import Translator
from cowapp.ui.intake import IntakeScreen
from cowapp.ui.lock import LockScreen, TechnicianSignIn
from cowapp.ui.main_window import MainWindow
from cowapp.ui.technician import TechnicianScreen
from cowapp.ui.theme import DAY, NIGHT, Theme, apply_theme
from cowapp.wiring import Cart, open_cart

SIZE = (1280, 800)
LANGUAGES = ("nl", "en")
DEFAULT_OUT = Path("screenshots")
README_OUT = Path("docs/screenshots")
DEMO_CONFIG = '[cart]\nid = "COW-DEMO"\nward = "B4 Interne"\n'


class Stage:
    """What a builder works with: the demo cart, the language, the theme, and helpers to tap."""

    def __init__(self, app: QApplication, cart: Cart, language: str, theme: Theme) -> None:
        self.app, self.cart, self.language, self.theme = app, cart, language, theme
        self.widgets: list[QWidget] = []

    # -- building --------------------------------------------------------------------------------

    def window(self, banner: bool = False) -> MainWindow:
        """A fresh main window, composed by `cowapp.composition.compose` as the app does (sync
        off, so nothing leaves the machine), shown at 1280×800."""
        parts = compose(self.app, self.cart, None, sync=False)
        window = parts.window
        if banner:
            add_demo_banner(window, DEMO_TECHNICIANS[0], DEMO_PIN)
        self.show(window)
        return window

    def show(self, widget: QWidget) -> QWidget:
        """Show ``widget`` at the cart's screen size and let it lay itself out."""
        self.widgets.append(widget)
        widget.resize(*SIZE)
        widget.show()
        self.settle()
        return widget

    def settle(self) -> None:
        """Let posted events (layouts, re-translations, deferred fits) run."""
        for _ in range(3):
            QCoreApplication.processEvents()

    # -- acting like a user ----------------------------------------------------------------------

    def tap(self, button: QAbstractButton) -> None:
        """A finger on ``button``."""
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        self.settle()

    def type(self, widget: QWidget, text: str, enter: bool = False) -> None:
        """Keys typed into ``widget`` (a badge reader ends with Enter)."""
        widget.setFocus()
        QTest.keyClicks(widget, text)
        if enter:
            QTest.keyClick(widget, Qt.Key.Key_Return)
        self.settle()

    def label(self, category: str, subcategory: str | None = None) -> str:
        """A taxonomy label in the stage's language (what the tile or chip says)."""
        found = self.cart.settings.taxonomy.category(category)
        if subcategory is None:
            return found.label(self.language)
        return found.subcategory(subcategory).label(self.language)

    def signed_in(self) -> tuple[MainWindow, TechnicianScreen]:
        """A window with the first demo technician signed in with the demo PIN, on the pad."""
        window = self.window()
        window.show_technician()
        sign_in = window.findChild(TechnicianSignIn)
        self.type(sign_in.staff, DEMO_TECHNICIANS[0], enter=True)
        self.type(sign_in.pad, DEMO_PIN, enter=True)
        screen = window.findChild(TechnicianScreen)
        if screen is None:
            raise RuntimeError(f"the demo PIN did not sign in: {sign_in.message!r}")
        self.settle()
        return window, screen

    def close(self) -> None:
        """Close and drop every widget this stage made."""
        for widget in self.widgets:
            widget.close()
            widget.deleteLater()
        self.widgets.clear()
        # processEvents() leaves deferred deletes alone; without this every old window stays
        # alive and each theme change restyles all of them.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        self.settle()


# -- the screens ---------------------------------------------------------------------------------


def intake(stage: Stage) -> QWidget:
    """The start page: twelve category tiles, nothing chosen."""
    return stage.window()


def demo_start(stage: Stage) -> QWidget:
    """What ``cowapp --demo`` opens on: the intake with the demo banner."""
    return stage.window(banner=True)


def _intake_with(stage: Stage, description: str = "") -> tuple[MainWindow, IntakeScreen]:
    window = stage.window()
    screen = window.findChild(IntakeScreen)
    stage.tap(screen._tiles["printing"])
    stage.tap(screen._chip_buttons["wristband_printer"])
    stage.tap(screen._care.buttons["workaround"])
    stage.tap(screen._affected.buttons["colleagues"])
    if description:
        stage.tap(screen._details_toggle)
        stage.type(screen._description, description)
        screen._scroll.ensureWidgetVisible(screen._description)  # as a tap on it would
    stage.type(screen._staff, "104233")
    return window, screen


def intake_category(stage: Stage) -> QWidget:
    """Printing tapped, a chip and both questions answered, staff number scanned."""
    return _intake_with(stage)[0]


def intake_privacy_warning(stage: Stage) -> QWidget:
    """A phone number typed: the guard asks for "this is no patient data"."""
    return _intake_with(stage, "Printer geeft storing, bel mij op 06-12345678")[0]


def intake_bsn_block(stage: Stage) -> QWidget:
    """A number that passes the BSN 11-test: saving is blocked with a plain explanation."""
    return _intake_with(stage, "Etiket print verkeerd nummer 111222333")[0]


def intake_receipt(stage: Stage) -> QWidget:
    """After saving: the big reference and "saved on this cart"."""
    window, screen = _intake_with(stage, "Papier loopt vast")
    stage.tap(screen._save)
    return window


def overview(stage: Stage) -> QWidget:
    """The overview page: counts on this cart and the sync state."""
    window = stage.window()
    window.show_overview()
    stage.settle()
    return window


def technician_sign_in(stage: Stage) -> QWidget:
    """The technician page before sign-in: the staff number field."""
    window = stage.window()
    window.show_technician()
    stage.settle()
    return window


def technician_pin(stage: Stage) -> QWidget:
    """Staff number scanned, two digits of the PIN on the pad."""
    window = stage.window()
    window.show_technician()
    sign_in = window.findChild(TechnicianSignIn)
    stage.type(sign_in.staff, DEMO_TECHNICIANS[0], enter=True)
    stage.type(sign_in.pad, DEMO_PIN[:2])
    return window


def technician_queue(stage: Stage) -> QWidget:
    """Signed in: the open queue, the first issue chosen."""
    window, screen = stage.signed_in()
    screen.select_row(0)
    stage.settle()
    return window


def technician_categories(stage: Stage) -> QWidget:
    """The queue filtered to "All", with the category chips unfolded."""
    window, screen = stage.signed_in()
    stage.tap(screen.status_chips["all"])
    stage.tap(screen.categories_toggle)
    stage.tap(screen.category_chips["printing"])
    return window


def _select(stage: Stage, screen: TechnicianScreen, wanted: Callable[..., bool]) -> None:
    """Select the first queue row whose stored issue satisfies ``wanted``."""
    for row in range(screen.model.total_count()):
        if wanted(stage.cart.issues.get(screen.model.issue_id(row))):
            screen.select_row(row)
            screen.view.scrollTo(screen.model.index(row, 0))
            stage.settle()
            return
    raise LookupError("no issue in the queue fits this screenshot")


def issue_detail_read_back(stage: Stage) -> QWidget:
    """An escalated issue the central system resolved: ticket number and timeline."""
    window, screen = stage.signed_in()
    stage.tap(screen.status_chips["resolved"])
    _select(stage, screen, lambda i: i.status is IssueStatus.REMOTE_RESOLVED and i.notes)
    return window


def issue_detail_resolve(stage: Stage) -> QWidget:
    """An open issue claimed, the resolve panel open with a code chosen."""
    window, screen = stage.signed_in()
    _select(stage, screen, lambda i: i.status is IssueStatus.NEW)
    detail = screen.detail
    stage.tap(detail._buttons["claim"])
    stage.tap(detail._buttons["resolve"])
    stage.tap(detail._code.buttons["restarted"])
    stage.type(detail._resolve_text.edit, "Sessie afgesloten en opnieuw ingelogd")
    return window


def issue_detail_escalate(stage: Stage) -> QWidget:
    """An open issue, the escalate panel open: group chosen, reason typed."""
    window, screen = stage.signed_in()
    _select(stage, screen, lambda i: i.status is IssueStatus.NEW)
    detail = screen.detail
    stage.tap(detail._buttons["claim"])
    stage.tap(detail._buttons["escalate"])
    stage.tap(detail._group.buttons["Applicatiebeheer HiX"])
    stage.type(detail._reason.edit, "Fout reproduceerbaar op twee karren")
    return window


def lock(stage: Stage) -> QWidget:
    """The privacy screen after the one-tap lock: who is signed in, Continue or Someone else."""
    window, _screen = stage.signed_in()
    stage.tap(window._lock_button)
    return window


def lock_pin(stage: Stage) -> QWidget:
    """The privacy screen after "Continue": the technician's PIN pad."""
    window = lock(stage)
    stage.tap(window.findChild(LockScreen)._continue)
    return window


def issue_detail_duplicate(stage: Stage) -> QWidget:
    """Closing an issue as a duplicate: the open issues of its category as one-tap chips."""
    window, screen = stage.signed_in()
    _select(stage, screen, lambda i: i.status is IssueStatus.NEW)
    stage.tap(screen.detail._buttons["duplicate"])
    return window


def needs_attention(stage: Stage) -> QWidget:
    """The needs-attention list (from the strip): the server's message, retry or discard."""
    window, _screen = stage.signed_in()
    attention = window.findChild(AttentionView)
    attention.open()
    attention.refresh()
    stage.show(attention)
    return attention


def dashboard(stage: Stage) -> QWidget:
    """The outcome dashboard on the demo month as the demo manager sees it after the PIN
    (counted off the GUI thread, then shown)."""
    window = stage.window()
    window.show_technician()
    sign_in = window.findChild(TechnicianSignIn)
    stage.type(sign_in.staff, DEMO_MANAGER, enter=True)
    stage.type(sign_in.pad, DEMO_PIN, enter=True)
    if window.manager != DEMO_MANAGER:
        raise RuntimeError(f"the demo manager did not sign in: {sign_in.message!r}")
    screen = window.findChild(DashboardScreen)
    screen.wait_idle()
    stage.settle()
    return window


@dataclass(frozen=True)
class Shot:
    """One screenshot: a file name stem, how to get there, and the theme to show it in."""

    name: str
    build: Callable[[Stage], QWidget]
    theme: Theme = DAY


SHOTS: list[Shot] = [
    Shot("intake", intake),
    Shot("demo-start", demo_start),
    Shot("intake-category", intake_category),
    Shot("intake-privacy-warning", intake_privacy_warning),
    Shot("intake-bsn-block", intake_bsn_block),
    Shot("intake-receipt", intake_receipt),
    Shot("overview", overview),
    Shot("technician-sign-in", technician_sign_in),
    Shot("technician-pin", technician_pin),
    Shot("technician-queue", technician_queue),
    Shot("technician-categories", technician_categories),
    Shot("issue-detail-read-back", issue_detail_read_back),
    Shot("issue-detail-resolve", issue_detail_resolve),
    Shot("issue-detail-escalate", issue_detail_escalate),
    Shot("issue-detail-duplicate", issue_detail_duplicate),
    Shot("needs-attention", needs_attention),
    Shot("dashboard", dashboard),
    Shot("lock", lock),
    Shot("lock-pin", lock_pin),
    Shot("intake-category-night", intake_category, NIGHT),
    Shot("technician-queue-night", technician_queue, NIGHT),
    Shot("lock-night", lock, NIGHT),
]
"""Every screen, in the order they are written. Add a screen with one more line."""

README_SET = [
    ("intake-category", "nl"),
    ("intake-privacy-warning", "en"),
    ("technician-queue-night", "nl"),
    ("issue-detail-escalate", "en"),
    ("lock-pin", "nl"),
    ("needs-attention", "en"),
    ("dashboard", "nl"),
    ("issue-detail-duplicate", "en"),
]
"""The few the README shows (both languages between them)."""


# -- running -------------------------------------------------------------------------------------


@contextmanager
def demo_home() -> Iterator[Path]:
    """A throwaway data dir with the demo month in it (closed), removed afterwards."""
    home = Path(tempfile.mkdtemp(prefix="cowapp-screenshots-"))
    try:
        (home / "seeded").mkdir()
        (home / "seeded" / paths.CONFIG_NAME).write_text(DEMO_CONFIG, encoding="utf-8")
        cart = open_cart(load_settings(home / "seeded"))
        try:
            seed_demo(cart)
        finally:
            cart.close()
        yield home / "seeded"
    finally:
        shutil.rmtree(home, ignore_errors=True)


@contextmanager
def fresh_copy(seeded: Path) -> Iterator[Cart]:
    """The demo cart as seeded, for one shot: what one shot saves or claims, the next never sees."""
    home = seeded.with_name(f"shot-{uuid.uuid4().hex[:8]}")
    shutil.copytree(seeded, home)
    cart = open_cart(load_settings(home))
    try:
        yield cart
    finally:
        cart.close()
        shutil.rmtree(home, ignore_errors=True)


def render(
    seeded: Path,
    out: Path,
    wanted: Sequence[tuple[Shot, str]],
    app: QApplication,
    notes: list[str] | None = None,
) -> list[str]:
    """Write each (shot, language) as ``<out>/<name>.<lang>.png``; return the failures.

    A screen that will not shrink to the cart's 1280×800 is cut to what the cart would show,
    and said so in ``notes``.
    """
    notes = [] if notes is None else notes
    out.mkdir(parents=True, exist_ok=True)
    translator = Translator(app, paths.resources_dir() / "translations")
    failures: list[str] = []
    theme: Theme | None = None
    try:
        for shot, language in wanted:
            translator.switch(language)
            if shot.theme is not theme:  # restyling the application is the slowest step
                apply_theme(app, theme := shot.theme)
            with fresh_copy(seeded) as cart:
                failure = _render_one(Stage(app, cart, language, shot.theme), shot, out, notes)
            if failure:
                failures.append(failure)
    finally:
        translator.uninstall()
    return failures


def _render_one(stage: Stage, shot: Shot, out: Path, notes: list[str]) -> str | None:
    """Build, check and save one shot; return its failure (with traceback) or None."""
    language = stage.language
    try:
        widget = shot.build(stage)
        if widget.width() > SIZE[0] or widget.height() > SIZE[1]:
            notes.append(
                f"{shot.name}.{language}: needs {widget.width()}×{widget.height()} px, "
                f"more than the cart's {SIZE[0]}×{SIZE[1]}; the picture shows what fits"
            )
        image = widget.grab(QRect(0, 0, *SIZE))
        path = out / f"{shot.name}.{language}.png"
        if not image.save(str(path)):
            raise OSError(f"could not write {path}")
    except Exception:  # one broken screen must not cost the others their picture
        return f"{shot.name}.{language}: {traceback.format_exc()}"
    finally:
        stage.close()
    return None


def selection(
    only: Sequence[str], languages: Sequence[str], readme: bool
) -> list[tuple[Shot, str]]:
    """The (shot, language) pairs asked for; unknown names raise ValueError."""
    by_name = {shot.name: shot for shot in SHOTS}
    if readme:
        return [(by_name[name], language) for name, language in README_SET]
    unknown = sorted(set(only) - set(by_name))
    if unknown:
        raise ValueError(f"unknown screen(s): {', '.join(unknown)}; known: {', '.join(by_name)}")
    shots = [by_name[name] for name in only] if only else SHOTS
    return [(shot, language) for shot in shots for language in languages]


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, seed a demo cart, write the screenshots; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help=f"folder (default {DEFAULT_OUT}/)")
    parser.add_argument("--readme", action="store_true", help=f"the README set into {README_OUT}/")
    parser.add_argument("--only", nargs="+", default=[], metavar="SHOT", help="these shots only")
    parser.add_argument("--lang", nargs="+", default=list(LANGUAGES), choices=LANGUAGES)
    args = parser.parse_args(argv)
    try:
        wanted = selection(args.only, args.lang, args.readme)
    except ValueError as error:
        print(f"screenshots: {error}", file=sys.stderr)
        return 2
    out = args.out or (README_OUT if args.readme else DEFAULT_OUT)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    notes: list[str] = []
    with demo_home() as seeded:
        failures = render(seeded, out, wanted, app, notes)
    for note in notes:
        print(f"screenshots: warning: {note}", file=sys.stderr)
    for failure in failures:
        print(f"screenshots: {failure}", file=sys.stderr)
    print(f"{len(wanted) - len(failures)} of {len(wanted)} screenshots written to {out}/")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
