"""The cart screen paints the nurse's intake page before it opens the store, and nothing is lost
or hidden by that: the store opens right after, a problem with it still reaches the screen and
the exit code, and the pages behind the intake page arrive once it is open.

Each start is a real ``cowapp`` process (offscreen) watched from inside by a small script, so
what is imported and what is on disk at the first paint are the process's own.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from cowapp import paths
from tests.conftest import run_cowapp

# Runs `cowapp.app.main` as the ``cowapp`` command does, and notes at the intake page's first
# paint and when the other pages are attached what the process has imported and what is on disk.
WATCH = r"""
import json, os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
from cowapp.app import main
from cowapp.ui.intake import IntakeScreen

db = os.path.join(os.environ["COWAPP_HOME"], "cowapp.db")
seen = {}
app = QApplication(sys.argv)

# What the first paint must not wait for (a plain start: no time zone set, COWAPP_HOME set).
HEAVY = ("sqlalchemy", "alembic", "httpx", "keyring", "PySide6.QtCharts", "logging.handlers",
         "_hashlib", "zoneinfo", "platformdirs")

def state():
    return {"sqlalchemy": "sqlalchemy" in sys.modules, "db": os.path.exists(db),
            "heavy": [name for name in HEAVY if name in sys.modules]}

def ready():
    seen["ready"] = state()
    app.quit()

class Watch(QObject):
    def eventFilter(self, obj, event):
        if isinstance(obj, IntakeScreen) and event.type() == QEvent.Type.Paint:
            if "painted" not in seen:
                seen["painted"] = state()
                seen["ready_at_paint"] = obj.window().ready
                obj.window().pages_attached.connect(ready)
        return False

watch = Watch()
app.installEventFilter(watch)
seen["code"] = main(["--quit-after", "20"])
print(json.dumps(seen))
"""


def watched_start(home: Path) -> dict[str, object]:
    env = {**os.environ, "COWAPP_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-c", WATCH]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_intake_is_painted_before_the_store_is_opened_then_the_rest_follows(
    cowapp_home: Path,
) -> None:
    seen = watched_start(cowapp_home)

    painted, ready = seen["painted"], seen["ready"]
    assert isinstance(painted, dict) and isinstance(ready, dict)
    assert (painted["sqlalchemy"], painted["db"]) == (False, False), "store opened before the paint"
    assert painted["heavy"] == [], "the first paint waited for these imports"
    assert seen["ready_at_paint"] is False
    assert (ready["sqlalchemy"], ready["db"]) == (True, True), "the store never opened"
    assert seen["code"] == 0


def test_a_database_from_a_newer_cowapp_is_refused_on_screen_too(cowapp_home: Path) -> None:
    assert run_cowapp(cowapp_home, "issue", "list").code == 0  # creates and migrates the store
    db = cowapp_home / paths.DB_NAME
    with closing(sqlite3.connect(db)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = 'fffffffffff0'")
    before = db.read_bytes()

    result = run_cowapp(cowapp_home, "--quit-after", "3", timeout=30)

    assert result.code == 4, result.err
    assert "newer" in (cowapp_home / "logs" / "cowapp.log").read_text(encoding="utf-8")
    assert db.read_bytes() == before
