"""proxy_authorizations, applied_ops

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 19:40:00.000000

The proxy authorizations (代办委托) workstations register, which every workstation of the centre
takes down; and the op_ids of the operations other than case actions the county applied (account
operations, authorizations), so a reused op_id with another payload is refused.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.base import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "proxy_authorizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("authorization_no", sa.String(length=40), nullable=False),
        sa.Column("centre_code", sa.String(length=12), nullable=False),
        sa.Column("workstation", sa.String(length=40), nullable=False),
        sa.Column("proxy", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("registered_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_code"],
            ["centres.code"],
            name=op.f("fk_proxy_authorizations_centre_code_centres"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proxy_authorizations")),
        sa.UniqueConstraint(
            "authorization_no", name=op.f("uq_proxy_authorizations_authorization_no")
        ),
    )
    op.create_index(
        op.f("ix_proxy_authorizations_centre_code"),
        "proxy_authorizations",
        ["centre_code"],
        unique=False,
    )
    op.create_table(
        "applied_ops",
        sa.Column("op_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("centre_code", sa.String(length=12), nullable=False),
        sa.Column("applied_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_code"], ["centres.code"], name=op.f("fk_applied_ops_centre_code_centres")
        ),
        sa.PrimaryKeyConstraint("op_id", name=op.f("pk_applied_ops")),
    )


def downgrade() -> None:
    op.drop_table("applied_ops")
    op.drop_index(op.f("ix_proxy_authorizations_centre_code"), table_name="proxy_authorizations")
    op.drop_table("proxy_authorizations")
