"""county epochs

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 19:45:00.000000

``county_epochs``: the county epochs this store has synced in (a county restored from a backup
has a new one); ``action_confirmations`` gains ``epoch_id`` (part of its key), so an action the
county confirmed before a restore and again after has a row for each, and only the newest epoch's
count. Existing confirmations belong to the first epoch (the one in the settings, or "").
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "action_confirmations"
EPOCHS = "county_epochs"


def _triggers(verb: str) -> None:
    for what in ("update", "delete"):
        if verb == "create":
            op.execute(
                f"CREATE TRIGGER {TABLE}_no_{what} BEFORE {what.upper()} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END"
            )
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_{what}")


def _confirmations(name: str, *, with_epoch: bool) -> None:
    columns: list[sa.Column[object]] = [sa.Column("action_id", sa.Integer(), nullable=False)]
    keys = ["action_id"]
    if with_epoch:
        columns.append(sa.Column("epoch_id", sa.Integer(), nullable=False))
        keys.append("epoch_id")
    op.create_table(
        name,
        *columns,
        sa.Column("county_seq", sa.Integer(), nullable=False),
        sa.Column("confirmed_at", db.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["case_actions.id"], name=f"fk_{TABLE}_action_id_case_actions"
        ),
        *(
            [
                sa.ForeignKeyConstraint(
                    ["epoch_id"], [f"{EPOCHS}.id"], name=f"fk_{TABLE}_epoch_id_{EPOCHS}"
                )
            ]
            if with_epoch
            else []
        ),
        sa.PrimaryKeyConstraint(*keys, name=f"pk_{TABLE}"),
    )


def upgrade() -> None:
    op.create_table(
        EPOCHS,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.String(length=36), nullable=False),
        sa.Column("began_at", db.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{EPOCHS}")),
    )
    conn = op.get_bind()
    stored = conn.execute(sa.text("SELECT value FROM settings WHERE key = 'county_epoch'")).scalar()
    epoch = json.loads(stored) if isinstance(stored, str) else ""
    conn.execute(
        sa.text(f"INSERT INTO {EPOCHS} (id, epoch, began_at) VALUES (1, :e, CURRENT_TIMESTAMP)"),
        {"e": epoch if isinstance(epoch, str) else ""},
    )
    _triggers("drop")
    _confirmations(f"{TABLE}_new", with_epoch=True)
    op.execute(
        f"INSERT INTO {TABLE}_new (action_id, epoch_id, county_seq, confirmed_at) "
        f"SELECT action_id, 1, county_seq, confirmed_at FROM {TABLE}"
    )
    op.drop_table(TABLE)
    op.rename_table(f"{TABLE}_new", TABLE)
    _triggers("create")


def downgrade() -> None:
    _triggers("drop")
    _confirmations(f"{TABLE}_old", with_epoch=False)
    op.execute(
        f"INSERT INTO {TABLE}_old (action_id, county_seq, confirmed_at) "
        f"SELECT action_id, county_seq, confirmed_at FROM {TABLE} "
        f"WHERE epoch_id = (SELECT MAX(id) FROM {EPOCHS})"
    )
    op.drop_table(TABLE)
    op.rename_table(f"{TABLE}_old", TABLE)
    _triggers("create")
    op.drop_table(EPOCHS)
