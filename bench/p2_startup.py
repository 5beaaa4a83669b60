"""P2: cold start of the cart app to its intake screen painted, against a bare PySide6 window.

Each start is a fresh interpreter (`bench.qt_child`, offscreen) running the app as the ``cowapp``
command does (`cowapp.app.main`: arguments, logging, the provisioning check, then the screen) on
an existing, migrated data dir, as every morning. The time runs from spawning the process to the
first paint of the intake screen, or of the bare window. The app paints the intake screen before
it opens the store (`cowapp.gui`); a second row says when the store is open and every page is
attached (the moment a tap is handled), against the same bare window, for information. Runs
alternate; medians compared. Both import from bytecode, as the bundle does (`compiled_env`):
one unmeasured start of each fills the cache first.
"""

from __future__ import annotations

import time

from bench.carts import make_cart
from bench.common import Row, compiled_env, median, ms, ratio, run_child, scratch


def run(quick: bool) -> list[Row]:
    """Median start-to-painted (and start-to-ready) time of the app and of a bare window."""
    runs = 3 if quick else 7
    painted: list[float] = []
    ready: list[float] = []
    bare: list[float] = []
    with scratch("p2") as home, scratch("p2-bytecode") as cache:
        make_cart(home, 0).close()  # an existing cart: the migration ran on an earlier day
        env = compiled_env(cache)
        run_child("bench.qt_child", "app", str(home), "0", env=env)  # fills the bytecode cache
        run_child("bench.qt_child", "bare", env=env)
        for _ in range(runs):
            spawned = time.time()
            result = run_child("bench.qt_child", "app", str(home), "0", env=env)
            painted.append(ms(float(result["painted_at"]) - spawned))
            ready.append(ms(float(result["ready_at"]) - spawned))
            spawned = time.time()
            bare_start = run_child("bench.qt_child", "bare", env=env)
            bare.append(ms(float(bare_start["painted_at"]) - spawned))
    value, base, whole = median(painted), median(bare), median(ready)
    share = ratio(value, base)
    note = f"median of {runs} starts each"
    return [
        Row("P2 cold start to intake painted", value, base, share, "ratio ≤ 2.0",
            (share or 99) <= 2.0, "ms", note),
        Row("P2 cold start to store open, every page ready", whole, base, ratio(whole, base),
            "-", None, "ms", f"{note}; information: a tap is handled from here"),
    ]  # fmt: skip
