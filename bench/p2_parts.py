"""Where P2's cold start goes: each part in a fresh interpreter, painted at 1280x800 offscreen,
median of 5: a bare window; the intake screen alone (theme, translations, taxonomy; no storage);
the intake screen after importing and opening the store. Run: ``python -m bench.p2_parts``.
A diagnostic for bench/RESULTS.md, not a benchmark row.
"""

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parent.parent)
CHILD = r"""
import sys, time
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QWidget
from PySide6.QtCore import QTimer
app = QApplication([])
mode = sys.argv[1]
if mode == "bare":
    w = QWidget(); w.resize(1280, 800)
else:
    sys.path.insert(0, sys.argv[2])
    from cowapp import paths
    from cowapp.ui.theme import DAY, apply_theme
    from cowapp.ui.i18n import Translator
    apply_theme(app, DAY)
    Translator(app, paths.resources_dir() / "translations").switch("nl")
    from cowapp.domain.taxonomy import load_taxonomy
    tax = load_taxonomy(paths.resources_dir() / "taxonomy.json")
    if mode == "intake+store":
        import tempfile, pathlib
        from cowapp.settings import load_settings
        from cowapp.wiring import open_cart
        home = pathlib.Path(tempfile.mkdtemp())
        cart = open_cart(load_settings(home))
    from cowapp.ui.intake import IntakeScreen
    w = IntakeScreen(tax, lambda d: None, "B4")
    w.resize(1280, 800)
w.show()
w.grab()
app.processEvents()
print(round((time.perf_counter() - t0) * 1000, 1))
"""
res = {}
for mode in ("bare", "intake", "intake+store"):
    times = []
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, mode, ROOT],
            capture_output=True,
            text=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            check=True,
        )
        times.append(float(out.stdout.strip().splitlines()[-1]))
    res[mode] = statistics.median(times)
print(json.dumps(res))
print({k: round(v / res["bare"], 2) for k, v in res.items()})
