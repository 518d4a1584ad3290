"""archived reports

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 15:10:00.000000

``archived_reports``: the exact bytes of each report made (the monthly workbook and its PDF) and
their SHA-256, kept in the encrypted store and written in the same transaction as the report's
audit entry, as ``printed_documents`` keeps a case's documents (whose rows need a case).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "archived_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("full_ids", sa.Boolean(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("made_by", sa.Integer(), nullable=True),
        sa.Column("workstation", sa.String(length=40), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["made_by"], ["users.id"], name=op.f("fk_archived_reports_made_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archived_reports")),
    )
    op.create_index("ix_archived_reports_kind_period", "archived_reports", ["kind", "period"])


def downgrade() -> None:
    op.drop_index("ix_archived_reports_kind_period", table_name="archived_reports")
    op.drop_table("archived_reports")
