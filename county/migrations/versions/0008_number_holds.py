"""number_holds and given_numbers: 办件编号 across a restore from backup

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 04:30:00.000000

A county restored from an older backup has lost the 办件编号 it issued after the backup, while
the workstations that printed them still hold them. After a restore the county issues a centre no
new number until each of its workstations has given back the numbers it holds (``number_holds``);
the numbers given back are kept for their cases (``given_numbers``). See ``county/numbers.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.base import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "number_holds",
        sa.Column("centre_code", sa.String(length=12), nullable=False),
        sa.Column("workstation_code", sa.String(length=40), nullable=False),
        sa.Column("since", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_code"], ["centres.code"], name=op.f("fk_number_holds_centre_code_centres")
        ),
        sa.PrimaryKeyConstraint("centre_code", "workstation_code", name=op.f("pk_number_holds")),
    )
    op.create_table(
        "given_numbers",
        sa.Column("official_no", sa.String(length=64), nullable=False),
        sa.Column("case_uid", sa.String(length=36), nullable=False),
        sa.Column("centre_code", sa.String(length=12), nullable=False),
        sa.Column("given_by", sa.String(length=40), nullable=False),
        sa.Column("given_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_code"], ["centres.code"], name=op.f("fk_given_numbers_centre_code_centres")
        ),
        sa.PrimaryKeyConstraint("official_no", name=op.f("pk_given_numbers")),
        sa.UniqueConstraint("case_uid", name=op.f("uq_given_numbers_case_uid")),
    )


def downgrade() -> None:
    op.drop_table("given_numbers")
    op.drop_table("number_holds")
