"""catalogue_releases, calendar_years

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 19:35:00.000000

What the county publishes to its centres: whole catalogues (to the county or to one centre) and
calendar years (a year's holidays and adjusted workdays, to every centre).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.base import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalogue_releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("centre_code", sa.String(length=12), nullable=True),
        sa.Column("catalog_version", sa.String(length=64), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=False),
        sa.Column("published_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_code"],
            ["centres.code"],
            name=op.f("fk_catalogue_releases_centre_code_centres"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_releases")),
    )
    op.create_index(
        op.f("ix_catalogue_releases_centre_code"), "catalogue_releases", ["centre_code"]
    )
    op.create_table(
        "calendar_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("table", sa.JSON(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=False),
        sa.Column("published_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_calendar_years")),
    )


def downgrade() -> None:
    op.drop_table("calendar_years")
    op.drop_index(op.f("ix_catalogue_releases_centre_code"), table_name="catalogue_releases")
    op.drop_table("catalogue_releases")
