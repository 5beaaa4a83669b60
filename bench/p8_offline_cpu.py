"""P8: CPU the running app uses while offline with 1,000 issues queued.

The real app (`cowapp.gui.launch`, offscreen, main window open) configured to sync to a
loopback address nobody listens on, so it is offline and probes every probe interval. After a
warm-up, the process's CPU time over 60 s is measured (all threads), as a share of one core.
The child runs without P4's 10 ms lag timer (``quiet``): that timer alone costs about 0.8 % of a
core, which would be the benchmark measuring itself rather than the app.
"""

from __future__ import annotations

from bench.app_home import app_home, dead_url
from bench.common import Row, run_child, scratch


def run(quick: bool) -> list[Row]:
    """CPU share while offline."""
    seconds, warmup = (5.0, 2.0) if quick else (60.0, 5.0)
    with scratch("p8") as home:
        env = app_home(home, 1_000, dead_url())
        result = run_child(
            "bench.qt_child",
            "app",
            str(home),
            str(seconds),
            str(warmup),
            "quiet",
            env=env,
            timeout=300,
        )
    share = 100.0 * result["cpu_s"] / result["span_s"]
    note = f"1,000 queued, {result['span_s']:.0f} s measured after {warmup:.0f} s warm-up"
    return [Row("P8 CPU while offline", share, None, None, "≤ 1 %", share <= 1.0, "% of a core",
                note)]  # fmt: skip
