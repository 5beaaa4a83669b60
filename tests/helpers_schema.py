"""Taking a migrated test database back to an older schema, and reading what a table has.

For the tests that prove a database written before a migration upgrades and keeps working.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from alembic import command

from cowapp import paths
from cowapp.storage.db import Database
from cowapp.storage.migrate import alembic_config


def downgrade(db: Database, revision: str) -> None:
    """Migrate ``db`` down to ``revision`` (data kept, as alembic does it) and close it."""
    config = alembic_config(paths.migrations_dir())
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    db.dispose()


def column_names(path: Path, table: str) -> list[str]:
    """The columns ``table`` has in the SQLite file at ``path``."""
    with closing(sqlite3.connect(path)) as connection:
        return [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
