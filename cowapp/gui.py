"""The GUI's composition root: creates the QApplication, opens the cart and shows the window.

Lives beside `cowapp.app` rather than in `cowapp.ui`, because it wires storage to screens; the
screens themselves receive what they need through their constructors.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from cowapp import paths
from cowapp.attention_actions import OutboxAttention
from cowapp.bedside_actions import StoreBedsideActions
from cowapp.cli import EXIT_ENVIRONMENT, EXIT_OK, EXIT_REFUSED
from cowapp.config import ConfigError
from cowapp.domain import bedside
from cowapp.domain.intake import IssueDraft, create_issue
from cowapp.domain.session import CartSession
from cowapp.domain.taxonomy import TaxonomyError
from cowapp.domain.technician import PinOutcome
from cowapp.known_issue_actions import StoreKnownIssues
from cowapp.storage.errors import StorageError
from cowapp.storage.issue_query import IssueQuery
from cowapp.storage.known_issue_store import KnownIssueStore
from cowapp.storage.outbox_store import OutboxStore
from cowapp.storage.technician_store import TechnicianStore
from cowapp.ui.attention import AttentionView
from cowapp.ui.dashboard import DashboardScreen
from cowapp.ui.home import HomeSummary, HomeWindow
from cowapp.ui.i18n import DEFAULT_LANGUAGE, Translator, category_label
from cowapp.ui.intake import IntakeScreen, SubmitResult
from cowapp.ui.known_issue_panel import KnownIssuePanel
from cowapp.ui.known_issue_suggestions import KnownIssueSuggestions
from cowapp.ui.lock import LockScreen, SignInResult, TechnicianSignIn, pin_message
from cowapp.ui.main_window import MainWindow
from cowapp.ui.session_control import SessionControl
from cowapp.ui.sync_bar import SyncBar
from cowapp.ui.sync_bridge import SyncStatusBridge
from cowapp.ui.technician import TechnicianScreen
from cowapp.ui.theme import DAY, THEMES, apply_theme
from cowapp.wiring import Cart, load_settings, open_cart, open_sync, outcomes, utc_now

if TYPE_CHECKING:  # imported when sync is on (it brings httpx): most starts paint without it
    from cowapp.sync.worker import SyncWorker

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
        parts = compose(app, cart, translator)
        window, worker = parts.window, parts.worker
        parts.session.start()
        if worker is not None:
            worker.start()  # after everything listens: the first status reaches every screen
        if demo:
            _show_demo_banner(window)
        window.show()
        for notice in cart.notices:
            QMessageBox.warning(window, "cowapp", notice)
        app.exec()
        parts.session.stop()
        parts.dashboard.wait_idle()
        if worker is not None and not worker.stop(timeout=3.0):
            log.warning("sync worker still busy at exit; its item is looked up at next start")
    finally:
        cart.close()
    return EXIT_OK


@dataclass(frozen=True)
class CartWindow:
    """The composed cart screen and the parts a caller starts, stops or drives.

    Attributes:
        window: the main window (not shown yet).
        intake: the nurse intake screen (its first page).
        session: the shared-cart rules; call ``start()`` to watch input and idle time.
        worker: the sync worker, not started yet; None when sync is off or not wanted.
        dashboard: the outcome dashboard (wait for its background count before closing).
    """

    window: MainWindow
    intake: IntakeScreen
    session: SessionControl
    worker: SyncWorker | None
    dashboard: DashboardScreen


def compose(
    app: QApplication,
    cart: Cart,
    translator: Translator | None,
    sync: bool = True,
    clock: Callable[[], datetime] = utc_now,
) -> CartWindow:
    """Build the whole cart screen on ``cart`` as the app runs it (also for screenshots).

    Args:
        app: the application (the theme switch applies to it).
        cart: the opened cart.
        translator: switched by the language buttons (None: they switch nothing).
        sync: whether to create the sync worker (when the config enables it).
        clock: the clock of the shared-cart rules (idle lock, session end); tests move it.
    """
    overview = HomeWindow(_summary(cart), theme=DAY.key)
    overview.theme_chosen.connect(lambda key: apply_theme(app, THEMES[key]))
    bridge = SyncStatusBridge(overview)
    bridge.status_changed.connect(overview.show_sync)
    worker = _sync_worker(cart, bridge) if sync else None
    intake = IntakeScreen(
        cart.settings.taxonomy,
        _submitter(cart, worker),
        cart.settings.config.ward,
        suggestions=KnownIssueSuggestions(_known_issues(cart)),
    )
    dashboard = _dashboard(cart)
    sign_in = TechnicianSignIn(_verifier(cart))
    lock = LockScreen()
    bar = SyncBar(worker is not None)
    window = MainWindow(
        intake,
        overview,
        lambda: _summary(cart),
        sign_in,
        _technician_screen(cart),
        lock=lock,
        sync_bar=bar,
        dashboard=dashboard,
    )
    if translator is not None:
        overview.language_chosen.connect(translator.switch)
        window.language_chosen.connect(translator.switch)
    session = _session_control(cart, window, intake, lock, sign_in, clock)
    connect_sync_bar(cart, window, bar, bridge, worker)
    return CartWindow(window, intake, session, worker, dashboard)


def _submitter(cart: Cart, worker: SyncWorker | None) -> Callable[[IssueDraft], SubmitResult]:
    """The intake screen's save: the same domain path as ``cowapp issue add``, then a wake-up."""

    def submit(draft: IssueDraft) -> SubmitResult:
        policy = cart.settings.config.intake_policy()
        issue, report = create_issue(draft, cart.settings.taxonomy, policy, utc_now())
        audit = bedside.privacy_audit(report)
        if draft.known_issue:  # "Ik heb dit ook": the same issue, linked to the known issue
            stored = KnownIssueStore(cart.db, cart.issues).report_me_too(
                issue, draft.known_issue, audit
            )
        else:
            stored = cart.issues.add(issue, audit)
        if worker is not None:
            worker.wake()
        return SubmitResult(stored.reference)

    return submit


def _session_control(
    cart: Cart,
    window: MainWindow,
    intake: IntakeScreen,
    lock: LockScreen,
    sign_in: TechnicianSignIn,
    clock: Callable[[], datetime],
) -> SessionControl:
    """The shared-cart rules (idle lock, session end, drafts) on ``clock`` and the audit log."""
    config = cart.settings.config
    technicians = TechnicianStore(cart.db, config.lockout_policy())
    session = CartSession(clock, config.session_policy())
    return SessionControl(
        session,
        window,
        intake,
        lock,
        _verifier(cart),
        technicians.record_session_events,
        sign_in,
        clock,
    )


def _verifier(cart: Cart) -> Callable[[str, str], SignInResult]:
    """The sign-in's PIN check on the cart's technicians (counted and audited in the store)."""
    technicians = TechnicianStore(cart.db, cart.settings.config.lockout_policy())

    def verify(staff_id: str, pin: str) -> SignInResult:
        check = technicians.verify(staff_id, pin, utc_now())
        if check.outcome is PinOutcome.OK:
            role = check.role.value if check.role is not None else "technician"
            return SignInResult(ok=True, role=role)
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
        screen = TechnicianScreen(
            IssueQuery(cart.db),
            cart.issues.get,
            actions,
            config.escalation_groups,
            staff_id,
            cart.settings.taxonomy,
        )
        panel = KnownIssuePanel(_known_issues(cart), staff_id)
        screen.detail.add_section(panel)
        screen.detail.issue_shown.connect(panel.show_issue)
        return screen

    return open_screen


def _show_demo_banner(window: MainWindow) -> None:
    """Tell whoever tries the demo that nothing is real, and how to sign in as a technician."""
    from cowapp.demo import DEMO_PIN, DEMO_TECHNICIANS
    from cowapp.ui.demo_banner import add_demo_banner

    add_demo_banner(window, DEMO_TECHNICIANS[0], DEMO_PIN)


def _dashboard(cart: Cart) -> DashboardScreen:
    return DashboardScreen(lambda: outcomes(cart), _category_label(cart))


def _known_issues(cart: Cart) -> StoreKnownIssues:
    config = cart.settings.config
    return StoreKnownIssues(
        KnownIssueStore(cart.db, cart.issues),
        cart.settings.catalogue,
        cart.settings.taxonomy,
        config.cart_id,
        config.ward,
        utc_now,
    )


def _quit_everything(app: QApplication) -> None:
    """End the run: close dialogs (their own event loops ignore quit()) and the main loop."""
    app.closeAllWindows()
    app.quit()


def _sync_worker(cart: Cart, bridge: SyncStatusBridge) -> SyncWorker | None:
    """The worker (not started yet), publishing through ``bridge``; None when sync is off."""
    settings = cart.settings.config.sync
    if not settings.enabled:
        return None
    from cowapp.sync.worker import SyncWorker

    return SyncWorker(
        lambda: open_sync(cart),
        OutboxStore(cart.db),
        bridge.publish,
        utc_now,
        probe_interval=settings.probe_interval_seconds,
        concurrency=settings.concurrency,
    )


def connect_sync_bar(
    cart: Cart,
    window: MainWindow,
    bar: SyncBar,
    bridge: SyncStatusBridge,
    worker: SyncWorker | None,
) -> AttentionView:
    """Feed the strip from the worker's status, and let its buttons wake the worker and open
    the needs-attention list (built here on the cart's outbox, over ``window``)."""
    wake = worker.wake if worker is not None else lambda: None
    actions = OutboxAttention(
        OutboxStore(cart.db), cart.issues, lambda: window.technician, wake, utc_now
    )
    attention = AttentionView(actions, _category_label(cart), window)
    bridge.status_changed.connect(bar.show_status)
    bridge.status_changed.connect(lambda _status: _refresh_if_open(attention))
    bar.sync_requested.connect(wake)
    bar.attention_requested.connect(attention.open)
    return attention


def _refresh_if_open(attention: AttentionView) -> None:
    if attention.isVisible():
        attention.refresh()


def _category_label(cart: Cart) -> Callable[[str], str]:
    """A category code as the taxonomy names it, in the language installed now."""

    return functools.partial(category_label, cart.settings.taxonomy)


def _summary(cart: Cart) -> HomeSummary:
    config = cart.settings.config
    counts = {status.value: n for status, n in cart.issues.status_counts().items()}
    pending = cart.issues.outbox_counts().get("pending", 0)
    return HomeSummary(
        config.cart_id, config.ward, config.language, counts, pending, config.sync.enabled
    )
