"""county staff: accounts, sign-in tokens, the audit of county-level work

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 19:50:00.000000

The county's staff sign in over HTTP for county-level work (decisions, returns, issuing accounts,
publishing); their tokens are kept as digests with an expiry, and every such write is audited.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.base import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "county_staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_county_staff")),
        sa.UniqueConstraint("username", name=op.f("uq_county_staff_username")),
    )
    op.create_table(
        "county_staff_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["county_staff.id"],
            name=op.f("fk_county_staff_tokens_staff_id_county_staff"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_county_staff_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_county_staff_tokens_token_hash")),
    )
    op.create_index(
        op.f("ix_county_staff_tokens_staff_id"), "county_staff_tokens", ["staff_id"], unique=False
    )
    op.create_table(
        "county_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_county_audit")),
    )


def downgrade() -> None:
    op.drop_table("county_audit")
    op.drop_index(op.f("ix_county_staff_tokens_staff_id"), table_name="county_staff_tokens")
    op.drop_table("county_staff_tokens")
    op.drop_table("county_staff")
