"""evaluations, rectification_steps, cases.query_password: 好差评 and the receipt's 查询密码

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 12:20:00.000000

The resident's ratings (现场一次一评 at the window, later ones by phone taken down from the county)
and the steps of each 差评's rectification task; the 查询密码 printed on a case's receipts.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.base import UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("case_uid", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("service", sa.String(length=20), nullable=False),
        sa.Column("service_op_id", sa.String(length=36), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("staff", sa.String(length=64), nullable=True),
        sa.Column("window", sa.String(length=40), nullable=True),
        sa.Column("assessed_at", UTCDateTime(), nullable=False),
        sa.Column("assess_number", sa.Integer(), nullable=True),
        sa.Column("task_state", sa.String(length=20), nullable=True),
        sa.Column("task_due", sa.Date(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_evaluations_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluations")),
        sa.UniqueConstraint("uid", name=op.f("uq_evaluations_uid")),
        sa.UniqueConstraint(
            "service_op_id", "channel", name=op.f("uq_evaluations_service_op_id_channel")
        ),
    )
    op.create_index(op.f("ix_evaluations_case_uid"), "evaluations", ["case_uid"])
    op.create_index(op.f("ix_evaluations_case_id"), "evaluations", ["case_id"])
    op.create_index("ix_evaluations_task_state_due", "evaluations", ["task_state", "task_due"])
    op.create_table(
        "rectification_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("op_id", sa.String(length=36), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("founded", sa.Boolean(), nullable=True),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("taken_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluations.id"],
            name=op.f("fk_rectification_steps_evaluation_id_evaluations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification_steps")),
        sa.UniqueConstraint("op_id", name=op.f("uq_rectification_steps_op_id")),
    )
    op.create_index(
        op.f("ix_rectification_steps_evaluation_id"), "rectification_steps", ["evaluation_id"]
    )
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("query_password", sa.String(length=12), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("query_password")
    op.drop_index(op.f("ix_rectification_steps_evaluation_id"), table_name="rectification_steps")
    op.drop_table("rectification_steps")
    op.drop_index("ix_evaluations_task_state_due", table_name="evaluations")
    op.drop_index(op.f("ix_evaluations_case_id"), table_name="evaluations")
    op.drop_index(op.f("ix_evaluations_case_uid"), table_name="evaluations")
    op.drop_table("evaluations")
