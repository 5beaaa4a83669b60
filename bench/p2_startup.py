"""P2: cold start of the cart app to its intake screen painted, against a bare PySide6 window.

Each start is a fresh interpreter (`bench.qt_child`, offscreen): the time runs from spawning the
process to the first paint of the intake screen (the real `cowapp.gui.launch` on an existing,
migrated data dir, as every morning) or of the bare window. Runs alternate; medians compared.
"""

from __future__ import annotations

import time

from bench.carts import make_cart
from bench.common import Row, median, ms, ratio, run_child, scratch


def run(quick: bool) -> list[Row]:
    """Median start-to-painted time of the app and of a bare window."""
    runs = 3 if quick else 7
    app: list[float] = []
    bare: list[float] = []
    with scratch("p2") as home:
        make_cart(home, 0).close()  # an existing cart: the migration ran on an earlier day
        for _ in range(runs):
            app.append(_start("app", str(home), "0"))
            bare.append(_start("bare"))
    value, base = median(app), median(bare)
    share = ratio(value, base)
    return [Row("P2 cold start to intake painted", value, base, share, "ratio ≤ 2.0",
                (share or 99) <= 2.0, "ms", f"median of {runs} starts each")]  # fmt: skip


def _start(*args: str) -> float:
    spawned = time.time()
    painted = run_child("bench.qt_child", *args)["painted_at"]
    return ms(float(painted) - spawned)
