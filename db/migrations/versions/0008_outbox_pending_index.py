"""outbox pending index

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:45:00.000000

``outbox (status, id)`` indexed: the push reads the oldest pending rows, in queue order, 200 at a
time. Without it SQLite walked the outbox from its first row, past every row already
acknowledged, for each batch: a push of 86,000 operations spent more time finding its batches than
sending them (``benchmarks/sync.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_outbox_status_id", "outbox", ["status", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_outbox_status_id", table_name="outbox")
