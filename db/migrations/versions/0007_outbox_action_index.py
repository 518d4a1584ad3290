"""outbox action index

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 20:20:00.000000

``outbox.action_id`` indexed: sync looks a case action's outbox row up by it (the pull confirming
or parking one of this workstation's own actions, the push asking whether an earlier action of
the case is still unconfirmed). Without it each look-up read the whole outbox, one row per
action ever taken here: pushing and pulling back 10,000 cases went quadratic
(``benchmarks/sync.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_outbox_action_id", "outbox", ["action_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_outbox_action_id", table_name="outbox")
