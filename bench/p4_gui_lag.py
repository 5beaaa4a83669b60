"""P4: how late the GUI's event loop runs while the sync worker drains a backlog.

The real app (`cowapp.gui.launch`, offscreen) with its main window open and thousands of
queued issues draining to the 20 ms TOPdesk fake (`bench.slow_itsm`), while a 10 ms timer
measures how late each tick fires. The baseline is the same app with sync off (idle lag).
"""

from __future__ import annotations

from bench.app_home import app_home
from bench.common import Row, percentile, run_child, scratch
from bench.slow_itsm import slow_itsm


def run(quick: bool) -> list[Row]:
    """p99 and max lag while draining, against idle."""
    queued, seconds = (300, 3.0) if quick else (5_000, 20.0)
    with scratch("p4-idle") as home:
        env = app_home(home, 0, None)
        idle = run_child("bench.qt_child", "app", str(home), str(seconds), env=env)["lags_ms"]
    with scratch("p4") as home, slow_itsm(0.020) as url:
        env = app_home(home, queued, url)
        busy = run_child("bench.qt_child", "app", str(home), str(seconds), env=env)["lags_ms"]
    p99, base99 = percentile(busy, 0.99), percentile(idle, 0.99)
    worst, base_worst = max(busy), max(idle)
    note = f"{queued:,} queued, {seconds:.0f} s of draining, {len(busy)} ticks"
    return [
        Row("P4 GUI lag p99 while draining", p99, base99, None, "≤ 50 ms", p99 <= 50, "ms", note),
        Row("P4 GUI lag max while draining", worst, base_worst, None, "≤ 200 ms", worst <= 200,
            "ms", note),
    ]  # fmt: skip
