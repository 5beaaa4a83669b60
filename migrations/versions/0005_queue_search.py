"""queue search: an FTS5 trigram index over the issues' searchable text, kept by triggers

Revision ID: 3b7e1c9a5f20
Revises: 6d0f2498ad76
Create Date: 2026-11-26 22:05:00.000000

The technician queue's text search was a ``LIKE '%...%'`` over every issue (55 ms p50 / 104 ms
p99 with 100,000 issues). ``issues_fts`` indexes the same four columns (reference, description,
room, asset tag) with the trigram tokenizer, so any substring of three or more characters is an
index lookup ("etiket" finds "Etikettenprinter"). It is an external-content table: the text lives
only in ``issues``, the index refers to it by rowid, and the triggers below keep it in step on
every insert, text change (a later edit, the retention purge) and delete.

Not an ORM model (tests/unit/storage/test_database.py leaves it out of the models comparison).
A later migration that rebuilds ``issues`` (a batch ALTER copies the table) drops these
triggers with it: it must create them again and run the ``rebuild`` command below.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "3b7e1c9a5f20"
down_revision: str | None = "6d0f2498ad76"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = "reference, description, room, asset_tag"
_NEW = "new.reference, new.description, new.room, new.asset_tag"
_OLD = "old.reference, old.description, old.room, old.asset_tag"
_FORGET = (
    f"INSERT INTO issues_fts(issues_fts, rowid, {_COLUMNS}) VALUES('delete', old.rowid, {_OLD});"
)
_ADD = f"INSERT INTO issues_fts(rowid, {_COLUMNS}) VALUES (new.rowid, {_NEW});"


def upgrade() -> None:
    op.execute(
        f"CREATE VIRTUAL TABLE issues_fts USING fts5({_COLUMNS},"
        " content='issues', content_rowid='rowid', tokenize='trigram')"
    )
    op.execute(f"CREATE TRIGGER issues_fts_insert AFTER INSERT ON issues BEGIN {_ADD} END")
    op.execute(f"CREATE TRIGGER issues_fts_delete AFTER DELETE ON issues BEGIN {_FORGET} END")
    # Only a change to the indexed text touches the index: claiming or resolving does not.
    op.execute(
        f"CREATE TRIGGER issues_fts_update AFTER UPDATE OF {_COLUMNS} ON issues"
        f" BEGIN {_FORGET} {_ADD} END"
    )
    # Index what is already there, in one pass over the table.
    op.execute("INSERT INTO issues_fts(issues_fts) VALUES('rebuild')")


def downgrade() -> None:
    for trigger in ("issues_fts_update", "issues_fts_delete", "issues_fts_insert"):
        op.execute(f"DROP TRIGGER {trigger}")
    op.execute("DROP TABLE issues_fts")
