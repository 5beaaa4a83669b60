"""known issues: catalogue, "me too" links, self-solved deflections, FTS5 search index

Revision ID: 6d0f2498ad76
Revises: df9efca4aced
Create Date: 2026-11-26 21:25:29.486179
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6d0f2498ad76"
down_revision: str | None = "df9efca4aced"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "known_issues",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("title_nl", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=False),
        sa.Column("symptom_nl", sa.Text(), nullable=False),
        sa.Column("symptom_en", sa.Text(), nullable=False),
        sa.Column("steps_nl", sa.Text(), nullable=False),
        sa.Column("steps_en", sa.Text(), nullable=False),
        sa.Column("keywords", sa.Text(), nullable=False),
        sa.Column("revision", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=12), nullable=False),
        sa.Column("from_issue", sa.Uuid(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_issue"], ["issues.id"], name=op.f("fk_known_issues_from_issue_issues")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_known_issues")),
    )
    with op.batch_alter_table("known_issues", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_known_issues_category"), ["category"], unique=False)

    op.create_table(
        "known_issue_deflections",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("known_issue_id", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("cart_id", sa.String(length=40), nullable=False),
        sa.Column("ward", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["known_issue_id"],
            ["known_issues.id"],
            name=op.f("fk_known_issue_deflections_known_issue_id_known_issues"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_known_issue_deflections")),
    )
    with op.batch_alter_table("known_issue_deflections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_known_issue_deflections_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_known_issue_deflections_known_issue_id"),
            ["known_issue_id"],
            unique=False,
        )

    op.create_table(
        "known_issue_reports",
        sa.Column("issue_id", sa.Uuid(), nullable=False),
        sa.Column("known_issue_id", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["issue_id"], ["issues.id"], name=op.f("fk_known_issue_reports_issue_id_issues")
        ),
        sa.ForeignKeyConstraint(
            ["known_issue_id"],
            ["known_issues.id"],
            name=op.f("fk_known_issue_reports_known_issue_id_known_issues"),
        ),
        sa.PrimaryKeyConstraint("issue_id", name=op.f("pk_known_issue_reports")),
    )
    with op.batch_alter_table("known_issue_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_known_issue_reports_known_issue_id"), ["known_issue_id"], unique=False
        )

    # Not an ORM model (tests/unit/storage/test_database.py ignores it): an FTS5 index with one
    # row per known issue, Dutch and English text together. The trigram tokenizer matches any
    # part of a word, so "etiket" finds "etikettenprinter" (Dutch glues words together).
    op.execute(
        "CREATE VIRTUAL TABLE known_issues_fts USING fts5("
        "known_issue_id UNINDEXED, category UNINDEXED, title, symptom, steps, keywords,"
        " tokenize='trigram')"
    )


def downgrade() -> None:
    op.execute("DROP TABLE known_issues_fts")
    with op.batch_alter_table("known_issue_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_known_issue_reports_known_issue_id"))

    op.drop_table("known_issue_reports")
    with op.batch_alter_table("known_issue_deflections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_known_issue_deflections_known_issue_id"))
        batch_op.drop_index(batch_op.f("ix_known_issue_deflections_at"))

    op.drop_table("known_issue_deflections")
    with op.batch_alter_table("known_issues", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_known_issues_category"))

    op.drop_table("known_issues")
