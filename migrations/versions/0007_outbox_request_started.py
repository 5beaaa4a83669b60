"""outbox: when the request that may still be in flight started (settle before a lookup)

Revision ID: 978e07035815
Revises: 3b7c1e5a9d20
Create Date: 2026-12-07 00:01:01.000000

``request_started_at`` is set when an item is marked ``sending`` and cleared when its outcome is
recorded. Still set on a later try means the process that sent it died (kill -9) before it heard
the answer; the server may still be working on that request, so the engine waits one request
timeout from that moment before it looks the issue up. Rows from before this revision have no
start time: they are tried as before (an old item left ``sending`` is looked up at once).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "978e07035815"
down_revision: str | None = "3b7c1e5a9d20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_started_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("request_started_at")
