"""Who sees the dashboard: nobody while the cart is in nurse mode; a technician beside their
screen; a manager, who signs in with a PIN on the same page, sees only the read-only dashboard
(no queue, no bedside actions). A manager's session follows the shared-cart rules of a
technician's: the privacy screen asks for the PIN, the session ends after the idle time, and every
step is in the audit log with the role."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cowapp.domain.session import Role
from cowapp.settings import load_settings
from cowapp.storage.technician_store import TechnicianStore
from cowapp.ui.dashboard import DashboardScreen
from cowapp.ui.i18n import Translator
from cowapp.ui.issue_detail import IssueDetail
from cowapp.ui.technician import TechnicianScreen
from cowapp.wiring import Cart, open_cart
from tests.gui.wired_cart import WiredCart

TECH, MANAGER, PIN, WRONG = "20411", "30017", "4719", "5820"


@pytest.fixture
def cart(tmp_path: Path) -> Iterator[Cart]:
    (tmp_path / "config.toml").write_text(
        '[cart]\nid = "COW-07"\nward = "B4 Interne"\n'
        "[session]\nlock_after_seconds = 120\nend_after_seconds = 600\n"
    )
    opened = open_cart(load_settings(tmp_path))
    store = TechnicianStore(opened.db)
    store.add(TECH, PIN, datetime.now(UTC), "test")
    store.add(MANAGER, PIN, datetime.now(UTC), "test", role="manager")
    yield opened
    opened.close()


@pytest.fixture
def wired(
    qtbot: QtBot, themed: QApplication, cart: Cart, translator: Translator
) -> Iterator[WiredCart]:
    wired = WiredCart(qtbot, themed, cart, translator)
    yield wired
    wired.close()


def _loaded(qtbot: QtBot, dashboard: DashboardScreen) -> None:
    qtbot.waitUntil(lambda: dashboard.outcomes is not None, timeout=30_000)


def test_in_nurse_mode_there_is_no_dashboard_button(wired: WiredCart) -> None:
    assert not wired.dashboard_button.isVisible()
    wired.window.show_dashboard()  # e.g. a stray shortcut: it opens nothing
    assert wired.on_screen() is wired.intake
    assert not wired.dashboard.isVisible()


def test_a_manager_signs_in_with_a_pin_and_sees_only_the_dashboard(wired: WiredCart) -> None:
    wired.signs_in(MANAGER, PIN)
    assert wired.on_screen() is wired.dashboard and wired.dashboard.isVisible()
    _loaded(wired.qtbot, wired.dashboard)
    assert wired.dashboard_button.isVisible() and wired.dashboard_button.isChecked()
    assert not wired.technician_button.isVisible(), "no way to the technician page"
    assert wired.window.manager == MANAGER and wired.window.technician is None
    assert not wired.window.findChildren(TechnicianScreen), "no queue was built"
    assert not wired.window.findChildren(IssueDetail), "no bedside actions anywhere"
    assert wired.session.role is Role.MANAGER
    assert wired.session_audit() == [(MANAGER, "session.signed_in", "role=manager")]


def test_a_manager_signing_out_takes_the_dashboard_button_along(wired: WiredCart) -> None:
    wired.signs_in(MANAGER, PIN)
    _loaded(wired.qtbot, wired.dashboard)
    wired.qtbot.mouseClick(wired.window._sign_out, Qt.MouseButton.LeftButton)
    assert wired.on_screen() is wired.intake
    assert not wired.dashboard_button.isVisible()
    assert wired.technician_button.isVisible()
    assert wired.window.manager is None and wired.session.user is None
    assert wired.session_audit()[-1] == (
        MANAGER,
        "session.ended",
        "role=manager;reason=sign_out",
    )


def test_a_managers_locked_session_continues_only_with_the_pin(wired: WiredCart) -> None:
    wired.signs_in(MANAGER, PIN)
    _loaded(wired.qtbot, wired.dashboard)
    wired.idle(120)
    assert wired.window.locked
    wired.qtbot.mouseClick(wired.lock._continue, Qt.MouseButton.LeftButton)
    assert wired.lock.pad.isVisible(), "a PIN, as for a technician, not a badge scan"
    wired.tap_pin(wired.lock.pad.keys, WRONG)
    assert wired.window.locked
    wired.tap_pin(wired.lock.pad.keys, PIN)
    assert not wired.window.locked
    assert wired.on_screen() is wired.dashboard
    assert wired.session_audit() == [
        (MANAGER, "session.signed_in", "role=manager"),
        (MANAGER, "session.locked", "role=manager;reason=idle"),
        (MANAGER, "session.resumed", "role=manager"),
    ]


def test_a_managers_idle_session_ends_like_a_technicians(wired: WiredCart) -> None:
    wired.signs_in(MANAGER, PIN)
    _loaded(wired.qtbot, wired.dashboard)
    wired.idle(600)
    assert not wired.window.locked
    assert wired.on_screen() is wired.intake
    assert not wired.dashboard_button.isVisible() and wired.window.manager is None
    assert wired.session_audit()[-1] == (MANAGER, "session.ended", "role=manager;reason=idle")


def test_a_technician_has_their_screen_and_the_dashboard(wired: WiredCart) -> None:
    wired.signs_in(TECH, PIN)
    assert wired.window.findChildren(TechnicianScreen)
    assert wired.technician_button.isVisible() and wired.dashboard_button.isVisible()
    wired.qtbot.mouseClick(wired.dashboard_button, Qt.MouseButton.LeftButton)
    assert wired.on_screen() is wired.dashboard
    _loaded(wired.qtbot, wired.dashboard)
    wired.qtbot.mouseClick(wired.technician_button, Qt.MouseButton.LeftButton)
    assert isinstance(wired.window._tech_pages.currentWidget(), TechnicianScreen)
    assert wired.session_audit() == [(TECH, "session.signed_in", "role=technician")]
