"""county_meta.seal_key: the key of the county's seal on its own actions

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 01:50:00.000000

The county seals each of its own actions in the feed (``county/seals.py``), so that a
workstation can give back a decision a restore from an older backup lost. A store from before
gets a key of its own here.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("county_meta") as batch:
        batch.add_column(sa.Column("seal_key", sa.String(length=64), nullable=True))
    # A key of its own for the store's one row, made by the database (so that the offline SQL
    # a county's administrator reads runs as it is): 64 hex digits.
    if op.get_context().dialect.name == "postgresql":
        op.execute(
            "UPDATE county_meta SET seal_key = "
            "replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')"
        )
    else:
        op.execute("UPDATE county_meta SET seal_key = lower(hex(randomblob(32)))")
    with op.batch_alter_table("county_meta") as batch:
        batch.alter_column("seal_key", existing_type=sa.String(length=64), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("county_meta") as batch:
        batch.drop_column("seal_key")
