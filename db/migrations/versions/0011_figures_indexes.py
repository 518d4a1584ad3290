"""figures indexes

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 15:00:00.000000

The supervisor's figures (``app/reports/figures.py``) count the case log's actions of a period
grouped by window or person, the 容缺 cases still pending, and the period's ratings:

* ``case_actions (action, occurred_at, case_id, workstation, actor)`` covers the flows and the
  decisions: a month's actions are a range of the index and the groups are read from it, without
  the table. Without it SQLite walked the whole log (``benchmarks/figures.py``);
* ``cases (deficiency, state, deficiency_due)``: 容缺待补 and 容缺逾期 without a scan of the cases;
* ``evaluations (assessed_at)``: a period's ratings.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIONS = ["action", "occurred_at", "case_id", "workstation", "actor"]


def upgrade() -> None:
    op.create_index("ix_case_actions_action_at", "case_actions", ACTIONS, unique=False)
    op.create_index(
        "ix_cases_deficiency_state",
        "cases",
        ["deficiency", "state", "deficiency_due"],
        unique=False,
    )
    op.create_index("ix_evaluations_assessed_at", "evaluations", ["assessed_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_evaluations_assessed_at", table_name="evaluations")
    op.drop_index("ix_cases_deficiency_state", table_name="cases")
    op.drop_index("ix_case_actions_action_at", table_name="case_actions")
