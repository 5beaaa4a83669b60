"""technicians: staff number, PIN hash, lock-out counters

Revision ID: df9efca4aced
Revises: 541618815077
Create Date: 2026-11-26 19:55:15.505398
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "df9efca4aced"
down_revision: str | None = "541618815077"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "technicians",
        sa.Column("staff_id", sa.String(length=12), nullable=False),
        sa.Column("pin_hash", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_technicians")),
    )


def downgrade() -> None:
    op.drop_table("technicians")
