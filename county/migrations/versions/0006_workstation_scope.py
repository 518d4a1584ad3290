"""workstations.scope, cases.opened_at

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 19:40:00.000000

A workstation's scope: a window or back-office PC pulls its whole centre; a proxy agent's laptop
at a village 代办点 only the filings made on it (and its proxies' accounts and authorizations).
A case remembers the workstation it was opened at (NULL for cases from before: a proxy laptop
does not see them).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workstations") as batch:
        batch.add_column(
            sa.Column("scope", sa.String(length=10), nullable=False, server_default="centre")
        )
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("opened_at", sa.String(length=40), nullable=True))
        batch.create_index("ix_cases_centre_code_opened_at", ["centre_code", "opened_at"])


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_centre_code_opened_at")
        batch.drop_column("opened_at")
    with op.batch_alter_table("workstations") as batch:
        batch.drop_column("scope")
