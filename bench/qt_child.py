"""The GUI side of the benchmarks, run in a fresh, offscreen interpreter (`bench.common.run_child`).

``python -m bench.qt_child MODE ...`` prints one JSON line:

- ``bare``: a bare PySide6 window (1280x800) until it is painted: ``painted_at`` (epoch
  seconds) and ``rss_kb`` (peak).
- ``app HOME SECONDS [WARMUP [quiet]]``: the real app, started as the ``cowapp`` command starts
  it (`cowapp.app.main`) on data dir ``HOME``: ``painted_at`` of the intake screen and
  ``ready_at``, when the store is open and every page attached (`MainWindow.pages_attached`);
  with SECONDS > 0 it keeps running that long while a 10 ms timer measures event-loop lag after
  WARMUP seconds from ready (``lags_ms``) and the process's CPU time over the same span
  (``cpu_s``, ``span_s``); with SECONDS = 0 it quits once ready. ``quiet``: no lag timer (it
  alone costs ~0.8 % of a core: 100 Python wake-ups a second), for measuring the app's own CPU.
- ``queue HOME``: the technician screen on ``HOME``'s cart: ``first_rows_ms`` from building the
  screen to its queue painted with rows, then it scrolls through 2,000 rows; ``rss_kb`` (peak).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QWidget

# No Qt at the top: the app child must import `cowapp.app` before Qt, as the ``cowapp`` command
# does (PySide6 inspects the source of every module imported after it; the order changes costs).


def _rss_kb() -> int:
    """Peak RSS of this process: ``VmHWM`` (``ru_maxrss`` would carry the parent's peak over
    the fork before exec, so a child of a big benchmark process would report the parent's)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def bare() -> dict[str, Any]:
    """A bare window, shown until painted."""
    from PySide6.QtWidgets import QApplication, QWidget

    from bench.qt_probes import FirstPaint

    app = QApplication(sys.argv)
    window = QWidget()
    watcher = FirstPaint(QWidget, app.quit)
    window.installEventFilter(watcher)
    window.resize(1280, 800)
    window.show()
    app.exec()
    return {"painted_at": watcher.at, "rss_kb": _rss_kb()}


def app_run(home: Path, seconds: float, warmup: float, lag_probe: bool = True) -> dict[str, Any]:
    """The real app; see the module docstring."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from bench.qt_probes import FirstPaint, LagProbe
    from cowapp.app import main as cowapp_main
    from cowapp.gui import quit_everything
    from cowapp.ui.intake import IntakeScreen

    app = QApplication(sys.argv)
    probe, marks = LagProbe(), {}

    def begin() -> None:
        marks["cpu0"], marks["t0"] = time.process_time(), time.perf_counter()
        if lag_probe:
            probe.start()

    def end() -> None:
        marks["cpu1"], marks["t1"] = time.process_time(), time.perf_counter()
        quit_everything(app)

    def ready() -> None:
        marks["ready_at"] = time.time()
        if seconds <= 0:
            quit_everything(app)
            return
        QTimer.singleShot(int(warmup * 1000), begin)
        QTimer.singleShot(int((warmup + seconds) * 1000), end)

    def painted() -> None:
        assert watcher.widget is not None
        window = watcher.widget.window()
        if window.ready:  # type: ignore[attr-defined]  # (a MainWindow)
            ready()
        else:
            window.pages_attached.connect(ready)  # type: ignore[attr-defined]

    watcher = FirstPaint(IntakeScreen, painted)
    _watch_each(IntakeScreen, watcher)
    os.environ["COWAPP_HOME"] = str(home)
    cowapp_main([])
    result: dict[str, Any] = {
        "painted_at": watcher.at,
        "ready_at": marks.get("ready_at"),
        "lags_ms": probe.lags,
    }
    if "cpu1" in marks:
        result["cpu_s"] = marks["cpu1"] - marks["cpu0"]
        result["span_s"] = marks["t1"] - marks["t0"]
    return result


def _watch_each(kind: type[QWidget], watcher: QObject) -> None:
    """Install ``watcher`` on every ``kind`` widget as it is built: on that object only, as on
    the bare window (an application-wide filter would run Python for each of the thousands of
    events of a start-up and bill its cost to the app)."""
    built = kind.__init__

    def init(self: QWidget, *args: Any, **kwargs: Any) -> None:
        built(self, *args, **kwargs)
        self.installEventFilter(watcher)

    kind.__init__ = init  # type: ignore[method-assign]


def queue(home: Path) -> dict[str, Any]:
    """The technician screen over a big cart; see the module docstring."""
    from PySide6.QtWidgets import QApplication, QTableView, QWidget

    from bench.qt_probes import FirstPaint
    from cowapp.composition import _technician_screen
    from cowapp.settings import load_settings
    from cowapp.wiring import open_cart

    app = QApplication(sys.argv)
    cart = open_cart(load_settings(home))
    started = time.perf_counter()
    screen = _technician_screen(cart)("T2041")
    screen.resize(1280, 800)
    watcher = FirstPaint(QWidget, app.quit)
    view = screen.findChild(QTableView)
    assert view is not None
    view.viewport().installEventFilter(watcher)
    screen.show()
    app.exec()
    first_rows = (time.perf_counter() - started) * 1000
    rows = screen.model.rowCount()
    for _ in range(10):  # a technician scrolling: ten pages of ids, rows painted on the way
        view.scrollToBottom()
        if screen.model.canFetchMore(view.rootIndex()):
            screen.model.fetchMore(view.rootIndex())
        app.processEvents()
    result = {"first_rows_ms": first_rows, "rows_at_first_paint": rows, "rss_kb": _rss_kb()}
    cart.close()
    return result


def main() -> None:
    """Dispatch on the mode and print the JSON result."""
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "bare":
        result = bare()
    elif mode == "app":
        import cowapp.app  # noqa: F401  # first and without Qt, as the ``cowapp`` command starts

        warmup = float(args[2]) if len(args) > 2 else 1.0
        result = app_run(Path(args[0]), float(args[1]), warmup, args[3:4] != ["quiet"])
    elif mode == "queue":
        result = queue(Path(args[0]))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
