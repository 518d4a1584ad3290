"""Opening the local store of a data directory: manifest, key, encrypted engine, schema upgrade.

A data directory holds ``store.json`` (the store id and format; nothing secret), the encrypted
``onewindow.db`` with its WAL files, and — in demo mode only — a clearly-labelled key file.
"""

from __future__ import annotations

import json
import os
import platform
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from db.engine import check_open, make_engine, make_session_factory
from db.errors import DataDirError, NewerStoreError, NoKeyringError, StoreError, WrongKeyError
from db.glance import DB_NAME, MANIFEST_NAME, STORE_FORMAT, manifest_store_id
from db.keystore import KeySource, create_key, load_key
from db.schema_version import HEAD, stored_revision

__all__ = ["DB_NAME", "MANIFEST_NAME", "STORE_FORMAT", "Store", "open_store"]


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
    """Open (or create) the store in ``data_dir`` and upgrade its schema to the current head.

    Refused with nothing written: a data directory that cannot be made or written
    (:class:`DataDirError`), a store written by a newer program (:class:`NewerStoreError`)."""
    _writable(data_dir)
    manifest_path = data_dir / MANIFEST_NAME
    db_path = data_dir / DB_NAME
    if manifest_path.exists():
        store_id = manifest_store_id(manifest_path)
        if not db_path.exists():
            raise StoreError(f"数据目录 {data_dir} 中缺少数据库文件 {DB_NAME}，请从备份恢复。")
        key = _key_of(data_dir, KeySource(store_id, key_file))
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
        revision = stored_revision(engine)
        if revision is not None and revision > HEAD:  # revisions are 0001, 0002…
            raise NewerStoreError(newer_store_message(data_dir, revision))
        if revision != HEAD:
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


def newer_store_message(data_dir: Path, revision: str) -> str:
    return (
        f"数据目录 {data_dir} 中的本地数据库由较新版本的一窗通写入（数据结构版本 {revision}），"
        f"本程序只认识到版本 {HEAD}，为免损坏数据不予打开，也未做任何更改。\n"
        "解决办法：安装与写入它的版本相同或更新的一窗通（请县级信息化人员提供安装包）；"
        "不要用旧版本覆盖安装新版本。"
    )


def _writable(data_dir: Path) -> None:
    """Make ``data_dir`` if it is not there, and check this program may write in it."""
    way = (
        "解决办法：请系统管理员给当前 Windows/Linux 账户该目录的读写权限，"
        "或用 --data-dir 指定一个可写的目录。"
    )
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise DataDirError(
            f"无法创建数据目录 {data_dir}（{reason}），未做任何更改。\n{way}"
        ) from exc
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise DataDirError(f"数据目录 {data_dir} 不可写（权限不足），未做任何更改。\n{way}")


def _made_on(path: Path) -> str:
    """The computer the store was made on (its manifest's ``machine``; "" if not recorded)."""
    try:
        machine = json.loads(path.read_text(encoding="utf-8")).get("machine", "")
    except (OSError, ValueError, AttributeError):
        return ""
    return machine if isinstance(machine, str) else ""


def _key_of(data_dir: Path, source: KeySource) -> bytes:
    """The store's key. A data directory copied from another PC (its key stays in that PC's
    keyring) says so, rather than only that the key is missing."""
    try:
        return load_key(source)
    except (NoKeyringError, WrongKeyError):
        raise
    except StoreError as missing:
        machine = _made_on(data_dir / MANIFEST_NAME)
        if source.key_file is None and machine and machine != platform.node():
            raise StoreError(
                f"数据目录 {data_dir} 中的本地数据库是在另一台电脑（{machine}）上建立的，"
                "它的密钥保存在那台电脑的系统密钥环中，本机无法读取，未做任何更改。\n"
                "每台电脑应是一个独立的工作站：请在本机使用新的数据目录并向县级系统激活本机；"
                "如果是更换电脑，请在旧电脑上先同步完毕，再在新电脑上重新激活。"
            ) from missing
        raise


def _write_manifest(path: Path, store_id: str) -> None:
    manifest = {
        "format": STORE_FORMAT,
        "store_id": store_id,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": platform.node(),  # the PC it was made on (its key is in that PC's keyring)
        "note": "OneWindow local store. The database key is NOT here: it is in the OS keyring.",
    }
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
