"""global identities, immutable item versions, outbox envelopes

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 17:30:00.000000

- ``items``: one immutable row per item *version* (``version``, ``content_hash``; at most one
  ``active`` per code), so a case keeps the rules it was filed under.
- ``cases.uid``: the case's global id (UUIDv7).
- ``case_actions``: ``op_id`` (the operation's global id) and ``actor`` (username) instead of the
  local ``actor_id``; payloads name people by username and authorizations by number.
- ``outbox``: ``key`` and a self-contained envelope (version 1) as the payload.

Existing rows are converted. The item hashes of an upgraded store are taken over the stored item
as published (defaults included), so the next load of the same catalogue adds one identical new
version of each item: harmless, and cases keep the version they were filed under.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
import uuid6
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = "case_actions"
# Payload keys that held this store's integer ids, and the global reference that replaces each.
_REFERENCES = {
    "proxy_user_id": ("proxy", "users", "username"),
    "assignee_id": ("assignee", "users", "username"),
    "authorization_id": ("authorization_no", "proxy_authorizations", "authorization_no"),
}


def _triggers(create: bool) -> None:
    for verb in ("update", "delete"):
        name = f"{APPEND_ONLY}_no_{verb}"
        if create:
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {verb.upper()} ON {APPEND_ONLY} "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY} is append-only'); END"
            )
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _iso(moment: Any) -> str:
    """The envelope's UTC timestamp (as pydantic writes it) from a stored naive-UTC value."""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return str(moment.replace(tzinfo=None).isoformat()) + "Z"


def upgrade() -> None:
    conn = op.get_bind()
    _triggers(create=False)

    # items: versions
    with op.batch_alter_table("items", recreate="always") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("content_hash", sa.String(length=64), nullable=True))
        batch.drop_constraint("uq_items_code", type_="unique")
    for item_id, detail in conn.execute(sa.text("SELECT id, detail FROM items")).all():
        canonical = json.dumps(
            _json(detail), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        conn.execute(
            sa.text("UPDATE items SET version = 1, content_hash = :h WHERE id = :id"),
            {"h": hashlib.sha256(canonical.encode("utf-8")).hexdigest(), "id": item_id},
        )
    with op.batch_alter_table("items") as batch:
        batch.alter_column("version", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("content_hash", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint(batch.f("uq_items_code_version"), ["code", "version"])
        batch.create_unique_constraint(
            batch.f("uq_items_code_content_hash"), ["code", "content_hash"]
        )
        batch.create_index(batch.f("ix_items_code"), ["code"], unique=False)
    op.create_index(
        "uq_items_code_active", "items", ["code"], unique=True, sqlite_where=sa.text("active")
    )

    # cases: uid
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("uid", sa.String(length=36), nullable=True))
    for (case_id,) in conn.execute(sa.text("SELECT id FROM cases ORDER BY id")).all():
        conn.execute(
            sa.text("UPDATE cases SET uid = :u WHERE id = :id"),
            {"u": str(uuid6.uuid7()), "id": case_id},
        )
    with op.batch_alter_table("cases") as batch:
        batch.alter_column("uid", existing_type=sa.String(length=36), nullable=False)
        batch.create_unique_constraint(batch.f("uq_cases_uid"), ["uid"])

    # case_actions: op_id, actor, global references in payloads
    with op.batch_alter_table("case_actions") as batch:
        batch.add_column(sa.Column("op_id", sa.String(length=36), nullable=True))
        batch.add_column(sa.Column("actor", sa.String(length=64), nullable=True))
    lookups: dict[str, dict[Any, Any]] = {
        table: dict(conn.execute(sa.text(f"SELECT id, {column} FROM {table}")).all())
        for _, table, column in _REFERENCES.values()
    }
    usernames = lookups["users"]
    op_ids: dict[Any, Any] = dict(conn.execute(sa.text("SELECT action_id, op_id FROM outbox")).all())
    rows = conn.execute(sa.text("SELECT id, actor_id, payload FROM case_actions")).all()
    for action_id, actor_id, payload in rows:
        converted = {}
        for key, value in _json(payload).items():
            if key in _REFERENCES:
                name, table, _ = _REFERENCES[key]
                converted[name] = lookups[table].get(value)
            else:
                converted[key] = value
        conn.execute(
            sa.text("UPDATE case_actions SET op_id = :o, actor = :a, payload = :p WHERE id = :id"),
            {
                "o": op_ids.get(action_id) or str(uuid6.uuid7()),
                "a": usernames.get(actor_id, "system"),
                "p": json.dumps(converted, ensure_ascii=False),
                "id": action_id,
            },
        )
    with op.batch_alter_table("case_actions") as batch:
        batch.drop_constraint("fk_case_actions_actor_id_users", type_="foreignkey")
        batch.drop_column("actor_id")
        batch.alter_column("op_id", existing_type=sa.String(length=36), nullable=False)
        batch.alter_column("actor", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint(batch.f("uq_case_actions_op_id"), ["op_id"])
    _triggers(create=True)

    # outbox: key and envelope
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("key", sa.String(length=64), nullable=True))
    centre = conn.execute(sa.text("SELECT value FROM settings WHERE key = 'town_code'")).scalar()
    centre = _json(centre) if centre is not None else "000000000000"
    entries = conn.execute(
        sa.text(
            "SELECT o.id, o.op_id, a.seq, a.action, a.from_state, a.to_state, a.actor,"
            " a.actor_role, a.workstation, a.occurred_at, a.payload, c.uid, c.receipt_no,"
            " i.code, i.content_hash, t.template_key, t.version"
            " FROM outbox o JOIN case_actions a ON a.id = o.action_id"
            " JOIN cases c ON c.id = a.case_id JOIN items i ON i.id = c.item_id"
            " JOIN form_templates t ON t.id = c.template_id"
        )
    ).all()
    for e in entries:
        envelope = {
            "envelope_version": 1,
            "op_id": e.op_id,
            "kind": "case.action",
            "key": e.uid,
            "occurred_at": _iso(e.occurred_at),
            "actor": {"username": e.actor, "role": e.actor_role},
            "workstation": e.workstation,
            "centre": centre,
            "payload": _json(e.payload),
            "case": {
                "uid": e.uid,
                "receipt_no": e.receipt_no,
                "item_code": e.code,
                "item_version": e.content_hash,
                "template_key": e.template_key,
                "template_version": e.version,
            },
            "base_seq": e.seq - 1,
            "seq": e.seq,
            "action": e.action,
            "from_state": e.from_state,
            "to_state": e.to_state,
        }
        conn.execute(
            sa.text("UPDATE outbox SET key = :k, payload = :p WHERE id = :id"),
            {"k": e.uid, "p": json.dumps(envelope, ensure_ascii=False), "id": e.id},
        )
    with op.batch_alter_table("outbox") as batch:
        batch.alter_column("key", existing_type=sa.String(length=64), nullable=False)
        batch.create_index("ix_outbox_status_key", ["status", "key", "id"], unique=False)


def downgrade() -> None:
    conn = op.get_bind()
    versions = conn.execute(sa.text("SELECT count(*) FROM items WHERE version > 1")).scalar()
    if versions:
        raise RuntimeError("this store holds several versions of an item; 0002 cannot hold them")
    _triggers(create=False)

    # 0002 queued case actions only: other operations queued since cannot be expressed there.
    conn.execute(sa.text("DELETE FROM outbox WHERE kind != 'case.action'"))
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_status_key")
        batch.drop_column("key")
    for outbox_id, payload in conn.execute(sa.text("SELECT id, payload FROM outbox")).all():
        envelope = _json(payload)
        old = {
            "receipt_no": envelope["case"]["receipt_no"],
            "seq": envelope["seq"],
            "action": envelope["action"],
            "occurred_at": envelope["occurred_at"],
            "workstation": envelope["workstation"],
            "payload": envelope["payload"],
        }
        conn.execute(
            sa.text("UPDATE outbox SET payload = :p WHERE id = :id"),
            {"p": json.dumps(old, ensure_ascii=False), "id": outbox_id},
        )

    with op.batch_alter_table("case_actions") as batch:
        batch.add_column(sa.Column("actor_id", sa.Integer(), nullable=True))
    reverse = {
        name: {
            v: k
            for k, v in conn.execute(sa.text(f"SELECT id, {column} FROM {table}")).all()
        }
        for name, table, column in _REFERENCES.values()
    }
    old_key = {name: key for key, (name, _, _) in _REFERENCES.items()}
    rows = conn.execute(sa.text("SELECT id, actor, payload FROM case_actions")).all()
    for action_id, actor, payload in rows:
        restored = {
            old_key.get(k, k): reverse[k].get(v) if k in reverse else v
            for k, v in _json(payload).items()
        }
        conn.execute(
            sa.text("UPDATE case_actions SET actor_id = :a, payload = :p WHERE id = :id"),
            {
                "a": reverse["proxy"].get(actor),
                "p": json.dumps(restored, ensure_ascii=False),
                "id": action_id,
            },
        )
    with op.batch_alter_table("case_actions") as batch:
        batch.drop_constraint("uq_case_actions_op_id", type_="unique")
        batch.drop_column("op_id")
        batch.drop_column("actor")
        batch.create_foreign_key(
            "fk_case_actions_actor_id_users", "users", ["actor_id"], ["id"]
        )
    _triggers(create=True)

    with op.batch_alter_table("cases") as batch:
        batch.drop_constraint("uq_cases_uid", type_="unique")
        batch.drop_column("uid")

    op.drop_index("uq_items_code_active", table_name="items")
    with op.batch_alter_table("items") as batch:
        batch.drop_index("ix_items_code")
        batch.drop_constraint("uq_items_code_content_hash", type_="unique")
        batch.drop_constraint("uq_items_code_version", type_="unique")
        batch.drop_column("content_hash")
        batch.drop_column("version")
        batch.create_unique_constraint("uq_items_code", ["code"])
