"""roles: a PIN account is a technician or a manager (the manager sees only the dashboard)

Revision ID: 3b7c1e5a9d20
Revises: 3b7e1c9a5f20
Create Date: 2026-11-26 22:05:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3b7c1e5a9d20"
down_revision: str | None = "3b7e1c9a5f20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every account provisioned before roles existed was a technician, and stays one.
    with op.batch_alter_table("technicians") as batch_op:
        batch_op.add_column(
            sa.Column("role", sa.String(length=12), server_default="technician", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("technicians") as batch_op:
        batch_op.drop_column("role")
