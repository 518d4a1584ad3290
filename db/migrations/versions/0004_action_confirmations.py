"""action confirmations

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 18:00:00.000000

Which case actions the county confirmed, and their county sequence (append-only).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "action_confirmations"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("county_seq", sa.Integer(), nullable=False),
        sa.Column("confirmed_at", db.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["case_actions.id"],
            name=op.f("fk_action_confirmations_action_id_case_actions"),
        ),
        sa.PrimaryKeyConstraint("action_id", name=op.f("pk_action_confirmations")),
    )
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_{verb.lower()} BEFORE {verb} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END"
        )


def downgrade() -> None:
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_{verb}")
    op.drop_table(TABLE)
