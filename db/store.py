"""Opening the local store of a data directory: manifest, key, encrypted engine, schema upgrade.

A data directory holds ``store.json`` (the store id and format; nothing secret), the encrypted
``onewindow.db`` with its WAL files, and — in demo mode only — a clearly-labelled key file.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from db.engine import check_open, make_engine, make_session_factory
from db.errors import StoreError
from db.keystore import KeySource, create_key, load_key
from db.schema_version import HEAD, stored_revision

MANIFEST_NAME = "store.json"
DB_NAME = "onewindow.db"
STORE_FORMAT = 1


@dataclass
class Store:
    data_dir: Path
    store_id: str
    key_source: KeySource
    engine: Engine
    sessions: sessionmaker[Session] = field(repr=False)
    readers: sessionmaker[Session] = field(repr=False)

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_NAME

    def session(self) -> Session:
        """A new Session: one per user action (unit of work); never share it across threads.

        Its transactions take the write lock at once (``BEGIN IMMEDIATE``), so concurrent
        writers queue instead of failing. Use :meth:`reader` for queries.
        """
        return self.sessions()

    def reader(self) -> Session:
        """A Session for queries only: never waits for a writer (WAL snapshot)."""
        return self.readers()

    def close(self) -> None:
        self.engine.dispose()


def open_store(data_dir: Path, key_file: Path | None = None) -> Store:
    """Open (or create) the store in ``data_dir`` and upgrade its schema to the current head."""
    data_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = data_dir / MANIFEST_NAME
    db_path = data_dir / DB_NAME
    if manifest_path.exists():
        store_id = _read_manifest(manifest_path)
        if not db_path.exists():
            raise StoreError(f"数据目录 {data_dir} 中缺少数据库文件 {DB_NAME}，请从备份恢复。")
        key = load_key(KeySource(store_id, key_file))
    else:
        if db_path.exists():
            raise StoreError(
                f"数据目录 {data_dir} 中的数据库缺少说明文件 {MANIFEST_NAME}，无法确定其密钥。"
            )
        store_id = str(uuid.uuid4())
        key = create_key(KeySource(store_id, key_file))
        _write_manifest(manifest_path, store_id)
    engine = make_engine(db_path, key)
    try:
        check_open(engine)
        if stored_revision(engine) != HEAD:
            from db.migrate import upgrade_to_head  # Alembic: only when there is work for it

            upgrade_to_head(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(
        data_dir,
        store_id,
        KeySource(store_id, key_file),
        engine,
        make_session_factory(engine),
        make_session_factory(engine, read_only=True),
    )


def _read_manifest(path: Path) -> str:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        store_id = data["store_id"]
        fmt = data["format"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StoreError(f"数据目录说明文件 {path} 已损坏，无法打开本地数据库。") from exc
    if fmt != STORE_FORMAT or not isinstance(store_id, str):
        raise StoreError(f"数据目录说明文件 {path} 的格式（{fmt}）不受本版本支持。")
    return store_id


def _write_manifest(path: Path, store_id: str) -> None:
    manifest = {
        "format": STORE_FORMAT,
        "store_id": store_id,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "note": "OneWindow local store. The database key is NOT here: it is in the OS keyring.",
    }
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
