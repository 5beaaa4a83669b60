"""The installed PySide6 must not lose references to None or True: 6.12.0 on Python 3.11 does,
once per void call and per signal emit, and a cart app running all day then aborts with
"Fatal Python error: bool_dealloc". Checked in a child process, because the bug kills it."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from PySide6.QtCore import QObject, Signal

class Source(QObject):
    changed = Signal()

obj, source = QObject(), Source()
none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
for _ in range(3000):
    obj.setObjectName("x")
    source.changed.emit()
print(none_before - sys.getrefcount(None), true_before - sys.getrefcount(True))
"""


def test_void_calls_and_signal_emits_keep_their_references() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, f"the probe died: {done.stderr.strip()[-300:]}"
    none_lost, true_lost = (int(n) for n in done.stdout.split())
    assert abs(none_lost) < 50 and abs(true_lost) < 50, (none_lost, true_lost)
