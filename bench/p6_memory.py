"""P6: peak memory (RSS) with 100,000 issues and the technician queue open and scrolled.

The technician screen in a fresh offscreen interpreter (`bench.qt_child queue`), scrolled through
2,000 rows; the baseline is a bare PySide6 window's peak RSS in the same kind of interpreter.
"""

from __future__ import annotations

from bench.carts import make_cart
from bench.common import Row, ratio, run_child, scratch


def run(quick: bool) -> list[Row]:
    """Peak RSS of the queue and of a bare window, in MB."""
    issues = 2_000 if quick else 100_000
    with scratch("p6") as home:
        make_cart(home, issues).close()
        peak = run_child("bench.qt_child", "queue", str(home))["rss_kb"] / 1024
    bare = run_child("bench.qt_child", "bare")["rss_kb"] / 1024
    return [Row("P6 peak RSS, queue open", peak, bare, ratio(peak, bare), "≤ 300 MB",
                peak <= 300, "MB", f"{issues:,} issues; baseline: bare window")]  # fmt: skip
