"""The GUI's start: paint the nurse's intake screen first, then open the store behind it.

A cart is switched on in front of a nurse who wants to report something now, so the first thing
on screen is the intake page, built from the settings alone (config, taxonomy, translations).
Only when it has been painted does `_CartStart` import and open the store (SQLAlchemy, the
migration check, the demo seed) and let `cowapp.composition` attach everything else: the
overview, the technician pages, the dashboard, the session rules and the sync worker. The screens
painted first reach the cart through a `CartLink`, bound when the store is open; a call that
comes earlier opens it then and there. The GUI thread runs both steps, so input that arrives
while the store opens is handled after it, never lost.

Lives beside `cowapp.app` rather than in `cowapp.ui`, because it wires the store to screens; the
screens themselves receive what they need through their constructors.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from cowapp import paths
from cowapp.cli import EXIT_ENVIRONMENT, EXIT_REFUSED
from cowapp.config import ConfigError
from cowapp.domain.taxonomy import TaxonomyError
from cowapp.settings import Settings, load_settings
from cowapp.storage.errors import StorageError
from cowapp.ui.i18n import DEFAULT_LANGUAGE, Translator
from cowapp.ui.intake import IntakeScreen, SubmitResult
from cowapp.ui.known_issue_suggestions import KnownIssueSource, KnownIssueSuggestions
from cowapp.ui.main_window import MainWindow
from cowapp.ui.sync_bar import SyncBar
from cowapp.ui.theme import DAY, apply_base, apply_theme

if TYPE_CHECKING:  # the store side: imported once the intake screen is on screen
    from cowapp.composition import CartWindow
    from cowapp.domain.intake import IssueDraft
    from cowapp.domain.known_issues import Suggestion
    from cowapp.wiring import Cart

log = logging.getLogger(__name__)

OPEN_STORE_LATEST_MS = 1000
"""Open the store this long after showing the window even if no paint was seen (a window that
is never exposed, e.g. on a locked kiosk session, must still sync)."""


def launch(home: Path, demo: bool = False, quit_after: int | None = None) -> int:
    """Run the cart screen until it is closed; return the process exit code."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName("cowapp")
    if quit_after:  # armed first, so a start-up dialog cannot hold an unattended run open
        QTimer.singleShot(quit_after * 1000, lambda: quit_everything(app))
    apply_base(app, DAY)  # the stylesheet once the first page is built: see `apply_base`
    translator = Translator(app, paths.resources_dir() / "translations")
    translator.switch(DEFAULT_LANGUAGE)  # Dutch until config.toml says otherwise
    try:
        settings = load_settings(home)
    except (ConfigError, TaxonomyError) as exc:
        log.error("cannot start: %s", exc)
        apply_theme(app, DAY)
        QMessageBox.critical(None, "cowapp", str(exc))
        return EXIT_REFUSED if isinstance(exc, ConfigError) else EXIT_ENVIRONMENT
    translator.switch(settings.config.language)
    start = _CartStart(app, settings, translator, demo)
    apply_theme(app, DAY)
    start.show()
    code = app.exec()
    return start.stop(code)


@dataclass(frozen=True)
class CartCalls:
    """What the first-painted screens call in the cart, once it is open.

    Attributes:
        submit: stores an intake draft (the same path as ``cowapp issue add``).
        known_issues: the known-issue suggestions' source.
    """

    submit: Callable[[IssueDraft], SubmitResult]
    known_issues: KnownIssueSource


class CartLink:
    """The intake screen's and its known-issue suggestions' way into the cart.

    They are built, and painted, before the store is open; `bind` connects them once it is.
    A call before that (a tap in the instant between the first paint and the store opening)
    runs ``open_now`` first, which opens the store and binds; known-issue suggestions simply
    wait for the next keystroke instead.

    Args:
        open_now: opens the store and calls `bind` (does nothing when already done).
    """

    def __init__(self, open_now: Callable[[], None]) -> None:
        self._open_now = open_now
        self._calls: CartCalls | None = None

    def bind(self, calls: CartCalls) -> None:
        """Route every call to the opened cart from now on."""
        self._calls = calls

    def submit(self, draft: IssueDraft) -> SubmitResult:
        """Store an intake draft; raises what the cart's submit raises."""
        return self._bound().submit(draft)

    def suggest(
        self, typed: str, category: str | None, language: str, limit: int = 3
    ) -> list[Suggestion]:
        """The best known issues for the text and category; none until the store is open."""
        if self._calls is None:
            return []
        return self._calls.known_issues.suggest(typed, category, language, limit)

    def self_solved(self, known_issue_id: str, category: str | None) -> None:
        """Record that a known issue's steps solved the problem."""
        self._bound().known_issues.self_solved(known_issue_id, category)

    def _bound(self) -> CartCalls:
        if self._calls is None:
            self._open_now()
        if self._calls is None:
            raise StorageError("the cart's store could not be opened; see the message on screen")
        return self._calls


@dataclass(frozen=True)
class Shell:
    """The window as first painted: the intake page, the top bar and the sync strip.

    Attributes:
        window: the main window, with only its intake page until `MainWindow.attach`.
        intake: the nurse intake screen.
        sync_bar: the sync status strip.
        link: what the screens above call in the cart (bind it when the store is open).
    """

    window: MainWindow
    intake: IntakeScreen
    sync_bar: SyncBar
    link: CartLink


def build_shell(
    settings: Settings,
    link: CartLink,
    translator: Translator | None,
    sync: bool = True,
) -> Shell:
    """The first-painted window on ``settings`` alone (nothing here touches the store).

    Args:
        settings: the cart's config and taxonomy.
        link: the screens' way into the cart, bound later.
        translator: switched by the language button (None: it switches nothing).
        sync: whether the sync worker will run (when the config enables it).
    """
    intake = IntakeScreen(
        settings.taxonomy,
        link.submit,
        settings.config.ward,
        suggestions=KnownIssueSuggestions(link),
    )
    bar = SyncBar(sync and settings.config.sync.enabled)
    window = MainWindow(intake, sync_bar=bar, expect_sign_in_and_lock=True)
    if translator is not None:
        window.language_chosen.connect(translator.switch)
    return Shell(window, intake, bar, link)


def quit_everything(app: QApplication) -> None:
    """End the run: close dialogs (their own event loops ignore quit()) and the main loop."""
    app.closeAllWindows()
    app.quit()


class _FirstPaint(QObject):
    """Calls ``then`` (on the next pass of the event loop) after ``watched`` is first painted."""

    def __init__(self, then: Callable[[], None]) -> None:
        super().__init__()
        self._then: Callable[[], None] | None = then

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Note the first paint; never swallows the event."""
        if self._then is not None and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self._then)
            self._then = None
            watched.removeEventFilter(self)
        return False


class _CartStart:
    """One run of the cart screen: the intake page painted first, then the store and the rest.

    Not thread-safe: everything runs on the GUI thread.
    """

    def __init__(
        self, app: QApplication, settings: Settings, translator: Translator, demo: bool
    ) -> None:
        self._app, self._settings, self._translator, self._demo = app, settings, translator, demo
        self._cart: Cart | None = None
        self._parts: CartWindow | None = None
        self._opening = False
        self._error: BaseException | None = None
        self._painted = _FirstPaint(self.open_store)
        self.shell = build_shell(settings, CartLink(self.open_store), translator)

    def show(self) -> None:
        """Show the window; the store opens once the intake page has been painted."""
        self.shell.intake.installEventFilter(self._painted)
        QTimer.singleShot(OPEN_STORE_LATEST_MS, self.open_store)
        self.shell.window.show()

    def open_store(self) -> None:
        """Open (check, back up, migrate) the store and attach the rest; at most once."""
        if self._opening:
            return
        self._opening = True
        from cowapp.composition import complete  # SQLAlchemy and the rest, after the paint
        from cowapp.wiring import open_cart

        try:
            self._cart = open_cart(self._settings)
        except StorageError as exc:
            log.error("cannot start: %s", exc)
            QMessageBox.critical(self.shell.window, "cowapp", str(exc))
            self._app.exit(EXIT_ENVIRONMENT)
            return
        try:
            if self._demo:
                from cowapp.demo import seed_demo

                seed_demo(self._cart)
            self._parts = complete(self._app, self.shell, self._cart, self._translator)
            self._start(self._cart, self._parts)
        except BaseException as exc:  # re-raised by `stop`, as if it had happened before exec
            self._error = exc
            self._app.exit(EXIT_ENVIRONMENT)

    def stop(self, code: int) -> int:
        """After the event loop: stop the session and the worker, close the store."""
        try:
            if self._parts is not None:
                self._parts.session.stop()
                self._parts.dashboard.wait_idle()
                worker = self._parts.worker
                if worker is not None and not worker.stop(timeout=3.0):
                    log.warning("sync worker still busy at exit; its item is looked up at start")
        finally:
            if self._cart is not None:
                self._cart.close()
        if self._error is not None:
            raise self._error
        return code

    def _start(self, cart: Cart, parts: CartWindow) -> None:
        if self._demo:
            from cowapp.demo import DEMO_PIN, DEMO_TECHNICIANS
            from cowapp.ui.demo_banner import add_demo_banner

            add_demo_banner(parts.window, DEMO_TECHNICIANS[0], DEMO_PIN)
        parts.session.start()
        if parts.worker is not None:
            parts.worker.start()  # after everything listens: the first status reaches every screen
        for notice in cart.notices:
            QMessageBox.warning(parts.window, "cowapp", notice)
