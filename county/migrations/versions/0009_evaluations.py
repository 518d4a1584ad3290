"""evaluations, cases.query_hash: 好差评 at the county and the progress page's 查询密码

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 12:20:00.000000

The centres' evaluations (from the windows and from residents' phones), numbered per case, with
their 差评 rectification tasks; the hash of each case's 查询密码 for the progress page.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.base import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("centre_code", sa.String(length=12), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("assess_number", sa.Integer(), nullable=False),
        sa.Column("service_op_id", sa.String(length=36), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("task_state", sa.String(length=20), nullable=True),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("feed_seq", sa.Integer(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_evaluations_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["centre_code"], ["centres.code"], name=op.f("fk_evaluations_centre_code_centres")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluations")),
        sa.UniqueConstraint("uid", name=op.f("uq_evaluations_uid")),
        sa.UniqueConstraint(
            "case_id", "assess_number", name=op.f("uq_evaluations_case_id_assess_number")
        ),
        sa.UniqueConstraint(
            "service_op_id", "channel", name=op.f("uq_evaluations_service_op_id_channel")
        ),
    )
    op.create_index(op.f("ix_evaluations_case_id"), "evaluations", ["case_id"])
    op.create_index("ix_evaluations_centre_feed", "evaluations", ["centre_code", "feed_seq"])
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("query_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("query_hash")
    op.drop_index("ix_evaluations_centre_feed", table_name="evaluations")
    op.drop_index(op.f("ix_evaluations_case_id"), table_name="evaluations")
    op.drop_table("evaluations")
