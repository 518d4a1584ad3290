"""printed document numbers

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 19:50:00.000000

``printed_documents.case_no``: the case number a document printed (the county's 办件编号, else
the 收件号), so a reprint can say the county has numbered the case since. Documents archived
before: those of a case still unnumbered printed its 收件号; on a numbered case it is unknown
(NULL) which number they carry.
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
    op.add_column("printed_documents", sa.Column("case_no", sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE printed_documents SET case_no = (SELECT cases.receipt_no FROM cases "
        "WHERE cases.id = printed_documents.case_id AND cases.official_no IS NULL)"
    )


def downgrade() -> None:
    with op.batch_alter_table("printed_documents", schema=None) as batch_op:
        batch_op.drop_column("case_no")
