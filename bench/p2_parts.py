"""Where P2's cold start goes: the CPU time of each phase up to the first paint, app against bare.

``python -m bench.p2_parts [RUNS]`` (default 9) starts the real app (`cowapp.app.main`, as the
``cowapp`` command, on an existing data dir) and a bare PySide6 window alternately, each in a
fresh offscreen interpreter importing from bytecode, and prints the median CPU milliseconds
(user + system, from `resource.getrusage`, so other work on a busy machine counts less than in
wall time) of each phase, and the ratio of the totals. A diagnostic for bench/RESULTS.md, not a
benchmark row. The child is ``python -m bench.p2_parts child app|bare [HOME]``.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from collections.abc import Callable
from typing import Any

Marks = list[tuple[str, float]]


def _cpu_ms() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return (usage.ru_utime + usage.ru_stime) * 1000


def _report(marks: Marks) -> None:
    print(json.dumps({"phases": marks}), flush=True)
    os._exit(0)  # nothing after the first paint is measured


def _reporting_paint(marks: Marks) -> Any:
    """An event filter that marks the first paint it sees and reports the marks."""
    from PySide6.QtCore import QEvent, QObject

    class Painted(QObject):
        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                marks.append(("show, lay out, paint", _cpu_ms()))
                _report(marks)
            return False

    return Painted()


def _bare_child(marks: Marks) -> None:
    from PySide6.QtWidgets import QApplication, QWidget

    marks.append(("import PySide6 (QtCore, QtWidgets)", _cpu_ms()))

    app = QApplication(sys.argv)
    window = QWidget()
    watcher = _reporting_paint(marks)
    window.installEventFilter(watcher)
    window.resize(1280, 800)
    marks.append(("QApplication, window", _cpu_ms()))
    window.show()
    app.exec()


def _app_child(marks: Marks, home: str) -> None:
    import cowapp.app

    marks.append(("import cowapp.app (arguments, logging, config, domain)", _cpu_ms()))
    import cowapp.gui

    marks.append(("import cowapp.gui (PySide6, the intake screen's modules)", _cpu_ms()))
    from cowapp.ui.intake import IntakeScreen

    def timed(name: str, label: str, before: str | None = None) -> None:
        function: Callable[..., Any] = getattr(cowapp.gui, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if before is not None:
                marks.append((before, _cpu_ms()))
            result = function(*args, **kwargs)
            marks.append((label, _cpu_ms()))
            return result

        setattr(cowapp.gui, name, wrapper)

    timed("apply_base", "QApplication, style, palette", before="main: arguments, logging, checks")
    timed("load_settings", "translations, config.toml, taxonomy")
    timed("build_shell", "build the intake screen and the window")
    timed("apply_theme", "apply the stylesheet")

    watcher = _reporting_paint(marks)
    built = IntakeScreen.__init__

    def watched_init(self: IntakeScreen, *args: Any, **kwargs: Any) -> None:
        built(self, *args, **kwargs)
        self.installEventFilter(watcher)

    IntakeScreen.__init__ = watched_init  # type: ignore[method-assign]
    os.environ["COWAPP_HOME"] = home
    cowapp.app.main([])


def child(kind: str, home: str = "") -> None:
    """One start; prints ``{"phases": [[name, cumulative CPU ms], ...]}``."""
    marks: Marks = [("interpreter start", _cpu_ms())]
    if kind == "bare":
        _bare_child(marks)
    else:
        _app_child(marks, home)
    raise SystemExit("no paint seen")


def main(runs: int) -> None:
    """Alternate app and bare starts; print each phase's median CPU ms and the totals' ratio."""
    from bench.carts import make_cart
    from bench.common import compiled_env, median, run_child, scratch

    starts: dict[str, list[Marks]] = {"app": [], "bare": []}
    with scratch("p2-parts") as home, scratch("p2-parts-bytecode") as cache:
        make_cart(home, 0).close()
        env = compiled_env(cache)
        for warm in ("app", "bare"):  # fill the bytecode cache; not measured
            run_child("bench.p2_parts", "child", warm, str(home), env=env)
        for _ in range(runs):
            for kind in ("app", "bare"):
                result = run_child("bench.p2_parts", "child", kind, str(home), env=env)
                starts[kind].append([(name, float(at)) for name, at in result["phases"]])
    totals = {}
    for kind, runs_of_kind in starts.items():
        print(f"{kind}: median CPU ms of each phase over {runs} starts")
        names = [name for name, _ in runs_of_kind[0]]
        for index, name in enumerate(names):
            spans = [r[index][1] - (r[index - 1][1] if index else 0.0) for r in runs_of_kind]
            print(f"  {median(spans):7.1f}  {name}")
        totals[kind] = median([r[-1][1] for r in runs_of_kind])
        print(f"  {totals[kind]:7.1f}  total to the first paint")
    print(f"ratio app/bare (CPU to first paint): {totals['app'] / totals['bare']:.2f}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        child(*sys.argv[2:4])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
