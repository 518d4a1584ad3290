"""items/item_steps.warn_at_working_days, alert_notices: alert thresholds and notices told once

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 15:00:00.000000

* ``items.warn_at_working_days``: an item's own 临近到期 threshold (working days before the
  promised date), overriding the ``yellow_at_working_days`` setting for its cases; NULL: the
  setting. From the catalogue file (``docs/catalog.md``).
* ``item_steps.warn_at_working_days``: a step's own warning threshold before its time limit;
  NULL: a step only turns 环节超时 (red), never yellow.
* ``alert_notices``: which alert each person has been told about (a case turning overdue, a
  step turning 超时), so that the notice is raised once — not again after a refresh, a new
  sign-in or a restart (``app/alerts/notices.py``, ``docs/alerts.md``). ``mark`` says which
  occurrence: the due date passed (a later extension that runs out is news again), or the step.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.base import UTCDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("items") as batch:
        batch.add_column(sa.Column("warn_at_working_days", sa.Integer(), nullable=True))
    with op.batch_alter_table("item_steps") as batch:
        batch.add_column(sa.Column("warn_at_working_days", sa.Integer(), nullable=True))
    op.create_table(
        "alert_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("mark", sa.String(length=20), nullable=False),
        sa.Column("told_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_alert_notices_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_notices")),
        sa.UniqueConstraint(
            "username",
            "kind",
            "case_id",
            "mark",
            name=op.f("uq_alert_notices_username_kind_case_id_mark"),
        ),
    )


def downgrade() -> None:
    op.drop_table("alert_notices")
    with op.batch_alter_table("item_steps") as batch:
        batch.drop_column("warn_at_working_days")
    with op.batch_alter_table("items") as batch:
        batch.drop_column("warn_at_working_days")
