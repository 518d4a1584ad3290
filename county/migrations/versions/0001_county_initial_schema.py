"""The county's initial schema: the tables of ``county/store/models.py``.

Revision ID: 0001
Revises:
Create Date: 2026-12-01 17:59:05.973196

Generated from the models, then tidied: indexes are made with plain ``CREATE INDEX`` (both SQLite
and PostgreSQL have it, no table copy needed), and the downgrade drops tables children first, their
indexes with them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "centres",
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("official_serial_prefix", sa.String(length=8), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_centres")),
    )
    op.create_table(
        "county_meta",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.String(length=36), nullable=False),
        sa.Column("county_name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_county_meta")),
    )
    op.create_table(
        "item_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("implementation_code", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_versions")),
        sa.UniqueConstraint(
            "code", "content_hash", name=op.f("uq_item_versions_code_content_hash")
        ),
    )
    op.create_table(
        "accounts",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("centre_code", sa.String(length=12), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_code"], ["centres.code"], name=op.f("fk_accounts_centre_code_centres")
        ),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_accounts")),
    )
    op.create_table(
        "workstations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("centre_code", sa.String(length=12), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("activation_hash", sa.String(length=64), nullable=True),
        sa.Column("secret_hash", sa.String(length=64), nullable=True),
        sa.Column("activated_at", db.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["centre_code"], ["centres.code"], name=op.f("fk_workstations_centre_code_centres")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workstations")),
        sa.UniqueConstraint("centre_code", "code", name=op.f("uq_workstations_centre_code_code")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_workstations_secret_hash")),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("centre_code", sa.String(length=12), nullable=False),
        sa.Column("receipt_no", sa.String(length=40), nullable=False),
        sa.Column("official_no", sa.String(length=64), nullable=True),
        sa.Column("item_version_id", sa.Integer(), nullable=False),
        sa.Column("template_key", sa.String(length=100), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("created_at", db.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_code"], ["centres.code"], name=op.f("fk_cases_centre_code_centres")
        ),
        sa.ForeignKeyConstraint(
            ["item_version_id"],
            ["item_versions.id"],
            name=op.f("fk_cases_item_version_id_item_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("official_no", name=op.f("uq_cases_official_no")),
        sa.UniqueConstraint("uid", name=op.f("uq_cases_uid")),
    )
    op.create_index(op.f("ix_cases_centre_code"), "cases", ["centre_code"])
    op.create_index(op.f("ix_cases_receipt_no"), "cases", ["receipt_no"])
    op.create_table(
        "case_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("op_id", sa.String(length=36), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("centre_code", sa.String(length=12), nullable=False),
        sa.Column("county_seq", sa.Integer(), nullable=False),
        sa.Column("envelope", sa.JSON(), nullable=False),
        sa.Column("applied_at", db.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_actions_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_actions")),
        sa.UniqueConstraint(
            "case_id", "county_seq", name=op.f("uq_case_actions_case_id_county_seq")
        ),
        sa.UniqueConstraint("op_id", name=op.f("uq_case_actions_op_id")),
    )
    op.create_index(op.f("ix_case_actions_case_id"), "case_actions", ["case_id"])
    # Named in the model (not by the convention): the change feed reads a centre's rows by id.
    op.create_index("ix_case_actions_centre_id", "case_actions", ["centre_code", "id"])


def downgrade() -> None:
    for table in (
        "case_actions",
        "cases",
        "workstations",
        "accounts",
        "item_versions",
        "county_meta",
        "centres",
    ):
        op.drop_table(table)
