"""A real, migrated SQLite file per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cowapp import paths
from cowapp.storage.db import Database
from cowapp.storage.issue_store import IssueStore
from cowapp.storage.migrate import open_database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """The cart's database, opened and migrated exactly as the app does."""
    opened = open_database(tmp_path / "cowapp.db", paths.migrations_dir())
    yield opened.db
    opened.db.dispose()


@pytest.fixture
def store(db: Database) -> IssueStore:
    """The issue repository on that database."""
    return IssueStore(db)
