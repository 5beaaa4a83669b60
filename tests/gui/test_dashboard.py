"""The dashboard shows the hand-counted numbers, loads off the GUI thread, and stays responsive
with 100,000 issues; on the demo data its tiles agree with counts taken straight from SQLite."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from cowapp.app import DEMO_CONFIG
from cowapp.composition import _dashboard
from cowapp.demo import seed_demo
from cowapp.domain.metrics import Outcomes
from cowapp.settings import load_settings
from cowapp.ui.dashboard import DashboardScreen
from cowapp.ui.i18n import Translator
from cowapp.wiring import Cart, open_cart, outcomes
from tests.helpers_bulk import T_END, bulk_issues
from tests.helpers_metrics import insert_facts
from tests.helpers_metrics_fixture import FACTS, NOW

CONFIG = '[metrics]\ngo_live = 2026-11-01\nbaseline_per_day = 10\ntimezone = "UTC"\n'


def _cart(home: Path, config: str) -> Cart:
    (home / "config.toml").write_text(config, encoding="utf-8")
    return open_cart(load_settings(home))


@pytest.fixture
def cart(tmp_path: Path) -> Iterator[Cart]:
    opened = _cart(tmp_path, CONFIG)
    yield opened
    opened.close()


def _loaded(qtbot: QtBot, screen: DashboardScreen) -> Outcomes:
    with qtbot.waitSignal(screen.loaded, timeout=60_000) as blocker:
        screen.show()
    assert isinstance(blocker.args[0], Outcomes)
    return blocker.args[0]


def test_tiles_match_the_hand_count_of_the_fixture(
    qtbot: QtBot, cart: Cart, translator: Translator
) -> None:
    insert_facts(cart.db, FACTS)
    screen = DashboardScreen(lambda: outcomes(cart, clock=lambda: NOW), lambda code: code)
    qtbot.addWidget(screen)
    _loaded(qtbot, screen)
    # Hand count in tests/unit/domain/test_metrics.py: 3 today, 3 of 5 at the bedside,
    # 2 of 5 escalated, 3 open, claim median 0.375 h, 5/7 a day against 10 before the carts.
    assert screen.tile_value("today") == "3"
    assert screen.tile_value("bedside") == "60%"
    assert screen.tile_value("escalated") == "40%"
    assert screen.tile_value("open") == "3"
    assert screen.tile_value("claim") == "0,4 u"
    assert screen.tile_value("baseline") == "-93%"
    screen.wait_idle()


def test_loading_runs_in_a_worker_thread(qtbot: QtBot, cart: Cart) -> None:
    threads: list[int] = []

    def load() -> Outcomes:
        threads.append(threading.get_ident())
        return outcomes(cart, clock=lambda: NOW)

    screen = DashboardScreen(load, lambda code: code)
    qtbot.addWidget(screen)
    _loaded(qtbot, screen)
    assert threads and threads[0] != threading.get_ident()
    screen.wait_idle()


@pytest.mark.slow
def test_stays_responsive_while_counting_100k_issues(qtbot: QtBot, cart: Cart) -> None:
    bulk_issues(cart.db, 100_000, seed=3)
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    screen = DashboardScreen(lambda: outcomes(cart, clock=lambda: T_END), lambda code: code)
    qtbot.addWidget(screen)
    out = _loaded(qtbot, screen)
    timer.stop()
    assert out.total == 100_000
    assert ticks, "the GUI thread's event loop did not run while the numbers were counted"
    screen.wait_idle()


def test_demo_dashboard_agrees_with_counts_straight_from_sqlite(
    qtbot: QtBot, tmp_path: Path, translator: Translator
) -> None:
    demo = _cart(tmp_path, DEMO_CONFIG)
    try:
        seed_demo(demo)
        screen = _dashboard(demo)
        qtbot.addWidget(screen)
        out = _loaded(qtbot, screen)
        with sqlite3.connect(demo.db.path) as db:
            total, bedside, escalated, still_open = db.execute(
                "SELECT count(*),"
                " sum(status IN ('resolved', 'instructed', 'no_fault_found')),"
                " sum(status IN ('escalated', 'remote_resolved', 'remote_closed')),"
                " sum(status IN ('new', 'in_progress')) FROM issues"
            ).fetchone()
            solved, me_too = db.execute(
                "SELECT (SELECT count(*) FROM known_issue_deflections),"
                " (SELECT count(*) FROM known_issue_reports)"
            ).fetchone()
        assert out.total == total
        assert screen.tile_value("open") == str(still_open)
        assert screen.tile_value("bedside") == f"{bedside / (bedside + escalated) * 100:.0f}%"
        assert screen.tile_value("escalated") == f"{escalated / (bedside + escalated) * 100:.0f}%"
        assert solved > 0 and me_too > 0, "the demo shows nurses answering suggestions"
        assert screen.tile_value("self_solved") == str(solved)
        assert (out.self_solved, out.me_too) == (solved, me_too)
        screen.wait_idle()
    finally:
        demo.close()


def test_today_on_the_demo_counts_issues_since_local_midnight(qtbot: QtBot, tmp_path: Path) -> None:
    demo = _cart(tmp_path, DEMO_CONFIG.replace("[metrics]", '[metrics]\ntimezone = "UTC"'))
    try:
        seed_demo(demo)
        now = datetime.now(UTC)
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        out = outcomes(demo, clock=lambda: now)
        with sqlite3.connect(demo.db.path) as db:
            (today,) = db.execute(
                "SELECT count(*) FROM issues WHERE created_at >= ?",
                (midnight.replace(tzinfo=None).isoformat(sep=" "),),
            ).fetchone()
            (yesterday,) = db.execute(
                "SELECT count(*) FROM issues WHERE created_at >= ? AND created_at < ?",
                (
                    (midnight - timedelta(days=1)).replace(tzinfo=None).isoformat(sep=" "),
                    midnight.replace(tzinfo=None).isoformat(sep=" "),
                ),
            ).fetchone()
        assert (out.today_count, out.yesterday_count) == (today, yesterday)
    finally:
        demo.close()
