"""The cart screen's composition: the store-backed pages, the session rules and the sync
worker, attached to the window `cowapp.gui` painted first (`complete`), or built in one go
(`compose`, for screenshots and tests).

Imported only once the intake page is on screen: it brings the store (SQLAlchemy) and every
screen behind the first page. The screens receive what they need through their constructors.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QWidget

from cowapp.attention_actions import OutboxAttention
from cowapp.bedside_actions import StoreBedsideActions
from cowapp.domain import bedside
from cowapp.domain.intake import IssueDraft, create_issue
from cowapp.domain.session import CartSession
from cowapp.domain.technician import PinOutcome
from cowapp.gui import CartCalls, CartLink, Shell, build_shell
from cowapp.known_issue_actions import StoreKnownIssues
from cowapp.storage.issue_query import IssueQuery
from cowapp.storage.known_issue_store import KnownIssueStore
from cowapp.storage.outbox_store import OutboxStore
from cowapp.storage.technician_store import TechnicianStore
from cowapp.ui.attention import AttentionView
from cowapp.ui.dashboard import DashboardScreen
from cowapp.ui.home import HomeSummary, HomeWindow
from cowapp.ui.i18n import Translator, category_label
from cowapp.ui.intake import IntakeScreen, SubmitResult
from cowapp.ui.known_issue_panel import KnownIssuePanel
from cowapp.ui.lock import LockScreen, SignInResult, TechnicianSignIn, pin_message
from cowapp.ui.main_window import MainWindow
from cowapp.ui.session_control import SessionControl
from cowapp.ui.sync_bar import SyncBar
from cowapp.ui.sync_bridge import SyncStatusBridge
from cowapp.ui.technician import TechnicianScreen
from cowapp.ui.theme import DAY, THEMES, apply_theme
from cowapp.wiring import Cart, open_sync, outcomes, utc_now

if TYPE_CHECKING:  # imported when sync is on (it brings httpx): most starts run without it
    from cowapp.sync.worker import SyncWorker

log = logging.getLogger(__name__)


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
    """Build the whole cart screen on ``cart`` as the app runs it, in one go (screenshots and
    tests; the app paints `cowapp.gui.build_shell` first and calls `complete` after).

    Args:
        app: the application (the theme switch applies to it).
        cart: the opened cart.
        translator: switched by the language buttons (None: they switch nothing).
        sync: whether to create the sync worker (when the config enables it).
        clock: the clock of the shared-cart rules (idle lock, session end); tests move it.
    """
    shell = build_shell(cart.settings, CartLink(lambda: None), translator, sync)
    return complete(app, shell, cart, translator, sync, clock)


def complete(
    app: QApplication,
    shell: Shell,
    cart: Cart,
    translator: Translator | None,
    sync: bool = True,
    clock: Callable[[], datetime] = utc_now,
) -> CartWindow:
    """Attach everything that needs the opened ``cart`` to the first-painted ``shell``.

    Args:
        app: the application (the theme switch applies to it).
        shell: the window built by `cowapp.gui.build_shell` on the same settings.
        cart: the opened cart.
        translator: switched by the overview's language buttons (None: they switch nothing).
        sync: whether to create the sync worker (when the config enables it).
        clock: the clock of the shared-cart rules (idle lock, session end); tests move it.
    """
    overview = HomeWindow(_summary(cart), theme=DAY.key)
    overview.theme_chosen.connect(lambda key: apply_theme(app, THEMES[key]))
    bridge = SyncStatusBridge(overview)
    bridge.status_changed.connect(overview.show_sync)
    worker = _sync_worker(cart, bridge) if sync else None
    shell.link.bind(CartCalls(_submitter(cart, worker), _known_issues(cart)))
    dashboard = _dashboard(cart)
    sign_in = TechnicianSignIn(_verifier(cart))
    lock = LockScreen()
    window = shell.window
    summary = functools.partial(_summary, cart)
    window.attach(overview, summary, _technician_screen(cart), dashboard, sign_in, lock)
    if translator is not None:
        overview.language_chosen.connect(translator.switch)
    session = _session_control(cart, window, shell.intake, lock, sign_in, clock)
    connect_sync_bar(cart, window, shell.sync_bar, bridge, worker)
    return CartWindow(window, shell.intake, session, worker, dashboard)


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
