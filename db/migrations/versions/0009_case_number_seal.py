"""cases.official_no_seal: the county's seal on a case's 办件编号

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 05:00:00.000000

A county restored from an older backup has lost the numbers it issued after the backup. The
workstation keeps the county's seal on each number it learns, and gives the numbers back with
their seals at its first sync after the restore (``app/sync/give_back.py``). Numbers learned
before this revision have no seal; the county's next change of the case brings it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("official_no_seal", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("official_no_seal")
