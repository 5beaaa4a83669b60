"""The GUI's composition root: creates the QApplication, opens the cart and shows the window.

Lives beside `cowapp.app` rather than in `cowapp.ui`, because it wires storage to screens; the
screens themselves receive what they need through their constructors.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from cowapp import paths
from cowapp.bedside_actions import StoreBedsideActions
from cowapp.cli import EXIT_ENVIRONMENT, EXIT_OK, EXIT_REFUSED
from cowapp.config import ConfigError
from cowapp.domain import bedside
from cowapp.domain.intake import IssueDraft, create_issue
from cowapp.domain.taxonomy import TaxonomyError
from cowapp.domain.technician import PinOutcome
from cowapp.storage.errors import StorageError
from cowapp.storage.issue_query import IssueQuery
from cowapp.storage.outbox_store import OutboxStore
from cowapp.storage.technician_store import TechnicianStore
from cowapp.sync.worker import SyncWorker
from cowapp.ui.home import HomeSummary, HomeWindow
from cowapp.ui.i18n import DEFAULT_LANGUAGE, Translator
from cowapp.ui.intake import IntakeScreen, SubmitResult
from cowapp.ui.lock import SignInResult, TechnicianSignIn, pin_message
from cowapp.ui.main_window import MainWindow
from cowapp.ui.sync_bridge import SyncStatusBridge
from cowapp.ui.technician import TechnicianScreen
from cowapp.ui.theme import DAY, THEMES, apply_theme
from cowapp.wiring import Cart, load_settings, open_cart, open_sync, utc_now

log = logging.getLogger(__name__)


def launch(home: Path, demo: bool = False, quit_after: int | None = None) -> int:
    """Run the cart screen until it is closed; return the process exit code."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName("cowapp")
    if quit_after:  # armed first, so a start-up dialog cannot hold an unattended run open
        QTimer.singleShot(quit_after * 1000, lambda: _quit_everything(app))
    apply_theme(app, DAY)
    translator = Translator(app, paths.resources_dir() / "translations")
    translator.switch(DEFAULT_LANGUAGE)  # Dutch until config.toml says otherwise
    try:
        settings = load_settings(home)
        translator.switch(settings.config.language)
        cart = open_cart(settings)
    except (ConfigError, TaxonomyError, StorageError) as exc:
        log.error("cannot start: %s", exc)
        QMessageBox.critical(None, "cowapp", str(exc))
        return EXIT_REFUSED if isinstance(exc, ConfigError) else EXIT_ENVIRONMENT
    try:
        if demo:
            from cowapp.demo import seed_demo

            seed_demo(cart)
        overview = HomeWindow(_summary(cart), theme=DAY.key)
        overview.language_chosen.connect(translator.switch)
        overview.theme_chosen.connect(lambda key: apply_theme(app, THEMES[key]))
        worker = _start_sync(cart, overview)
        intake = IntakeScreen(
            cart.settings.taxonomy, _submitter(cart, worker), cart.settings.config.ward
        )
        sign_in = TechnicianSignIn(_verifier(cart))
        window = MainWindow(
            intake, overview, lambda: _summary(cart), sign_in, _technician_screen(cart)
        )
        window.show()
        for notice in cart.notices:
            QMessageBox.warning(window, "cowapp", notice)
        app.exec()
        if worker is not None and not worker.stop(timeout=3.0):
            log.warning("sync worker still busy at exit; its item is looked up at next start")
    finally:
        cart.close()
    return EXIT_OK


def _submitter(cart: Cart, worker: SyncWorker | None) -> Callable[[IssueDraft], SubmitResult]:
    """The intake screen's save: the same domain path as ``cowapp issue add``, then a wake-up."""

    def submit(draft: IssueDraft) -> SubmitResult:
        policy = cart.settings.config.intake_policy()
        issue, report = create_issue(draft, cart.settings.taxonomy, policy, utc_now())
        stored = cart.issues.add(issue, bedside.privacy_audit(report))
        if worker is not None:
            worker.wake()
        return SubmitResult(stored.reference)

    return submit


def _verifier(cart: Cart) -> Callable[[str, str], SignInResult]:
    """The sign-in's PIN check on the cart's technicians (counted and audited in the store)."""
    technicians = TechnicianStore(cart.db, cart.settings.config.lockout_policy())

    def verify(staff_id: str, pin: str) -> SignInResult:
        check = technicians.verify(staff_id, pin, utc_now())
        if check.outcome is PinOutcome.OK:
            return SignInResult(ok=True)
        # No attempt count: it would tell a passer-by which staff numbers are technicians.
        return SignInResult(
            ok=False, message=pin_message(check.outcome.value, None, check.locked_until)
        )

    return verify


def _technician_screen(cart: Cart) -> Callable[[str], QWidget]:
    """Builds the technician screen for the person who signed in."""
    config = cart.settings.config

    def open_screen(staff_id: str) -> QWidget:
        actions = StoreBedsideActions(cart.issues, config.intake_policy(), staff_id, utc_now)
        return TechnicianScreen(
            IssueQuery(cart.db),
            cart.issues.get,
            actions,
            config.escalation_groups,
            staff_id,
            cart.settings.taxonomy,
        )

    return open_screen


def _quit_everything(app: QApplication) -> None:
    """End the run: close dialogs (their own event loops ignore quit()) and the main loop."""
    app.closeAllWindows()
    app.quit()


def _start_sync(cart: Cart, window: HomeWindow) -> SyncWorker | None:
    settings = cart.settings.config.sync
    if not settings.enabled:
        return None
    bridge = SyncStatusBridge(window)
    bridge.status_changed.connect(window.show_sync)
    worker = SyncWorker(
        lambda: open_sync(cart),
        OutboxStore(cart.db),
        bridge.publish,
        utc_now,
        probe_interval=settings.probe_interval_seconds,
        concurrency=settings.concurrency,
    )
    worker.start()
    return worker


def _summary(cart: Cart) -> HomeSummary:
    config = cart.settings.config
    counts = {status.value: n for status, n in cart.issues.status_counts().items()}
    pending = cart.issues.outbox_counts().get("pending", 0)
    return HomeSummary(
        config.cart_id, config.ward, config.language, counts, pending, config.sync.enabled
    )
