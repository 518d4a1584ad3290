"""A glance at a data directory's store before SQLAlchemy is loaded.

Start-up shows the login window at once, then opens the store in the background. Loading
SQLAlchemy, the models and the sign-in use cases takes several times as long as showing a bare
window, and none of it decides whether the store can be opened. This module decides that with
the SQLCipher driver alone (a C extension): the key at hand opens the file (it decrypts), and
its schema is exactly at :data:`db.schema_version.HEAD`. It also reads the few settings the
login window shows. Then the login button can work while the rest loads behind it.

Whenever the glance cannot tell — no manifest or database yet, the key is not at hand, it does
not open the file, the schema is behind (to be migrated) or newer (refused) — it answers None and
start-up waits for :func:`db.store.open_store`, which explains each case as before. It never
writes: the connection is ``query_only``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.errors import AppError, StoreError
from db.keystore import KeySource, load_key, raw_key_literal
from db.schema_version import HEAD

MANIFEST_NAME = "store.json"
DB_NAME = "onewindow.db"
STORE_FORMAT = 1


@dataclass(frozen=True)
class Glance:
    """What the glance read: the settings asked for that the store holds (JSON values, as
    stored; a missing one is absent) and whether it holds any case."""

    settings: dict[str, Any]
    has_cases: bool


def glance(data_dir: Path, key_file: Path | None, setting_keys: Iterable[str]) -> Glance | None:
    """The store in ``data_dir`` opens with its key and is at HEAD: its settings; else None."""
    db_path = data_dir / DB_NAME
    try:
        store_id = manifest_store_id(data_dir / MANIFEST_NAME)
        if not db_path.is_file():
            return None
        key = load_key(KeySource(store_id, key_file))
    except AppError:
        return None
    import sqlcipher3  # the driver the engine uses; a C extension, quick to load

    try:
        conn = sqlcipher3.connect(str(db_path), timeout=1.0, check_same_thread=False)
    except sqlcipher3.Error:
        return None
    try:
        # The engine's raw-key form (db.engine): 32 random bytes need no passphrase KDF.
        conn.execute(f'PRAGMA key = "{raw_key_literal(key)}"')
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # wrong key: NOTADB
        (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if revision != HEAD:
            return None
        keys = list(setting_keys)
        marks = ",".join("?" * len(keys))
        rows = conn.execute(f"SELECT key, value FROM settings WHERE key IN ({marks})", keys)
        settings = {key: json.loads(value) for key, value in rows if value is not None}
        has_cases = conn.execute("SELECT 1 FROM cases LIMIT 1").fetchone() is not None
    except (sqlcipher3.Error, TypeError, ValueError):
        return None
    finally:
        conn.close()
    return Glance(settings, has_cases)


def manifest_store_id(path: Path) -> str:
    """The store id the data directory's manifest names (the store's and the glance's reader);
    :class:`StoreError` when it cannot be read or is of another format."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        store_id = data["store_id"]
        fmt = data["format"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StoreError(f"数据目录说明文件 {path} 已损坏，无法打开本地数据库。") from exc
    if fmt != STORE_FORMAT or not isinstance(store_id, str):
        raise StoreError(f"数据目录说明文件 {path} 的格式（{fmt}）不受本版本支持。")
    return store_id
