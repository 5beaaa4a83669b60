"""Where cowapp keeps its data and finds its shipped files, from source, a wheel or a bundle.

The data dir is ``COWAPP_HOME`` when set, else the platform's per-user data dir. Resources and
migrations are found next to the package in a source checkout, inside the package in a wheel,
and under ``sys._MEIPASS`` in a PyInstaller bundle.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DB_NAME = "cowapp.db"
CONFIG_NAME = "config.toml"


def data_dir() -> Path:
    """The data dir (created if missing)."""
    home = os.environ.get("COWAPP_HOME")
    if home:
        path = Path(home).expanduser()
    else:  # imported only here: ~10 ms of a start, which a machine-wide COWAPP_HOME saves
        import platformdirs

        path = Path(platformdirs.user_data_dir("cowapp", False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _shipped(name: str) -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    candidates = [Path(frozen_root) / name] if frozen_root else []
    package = Path(__file__).resolve().parent
    candidates += [package.parent / name, package / f"_{name}"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cowapp's {name} folder is missing (looked in {candidates})")


def resources_dir() -> Path:
    """The shipped ``resources/`` folder (taxonomy, translations, icons)."""
    return _shipped("resources")


def migrations_dir() -> Path:
    """The shipped alembic ``migrations/`` folder."""
    return _shipped("migrations")
