"""SQLite's environment errors reach the program as typed store errors with a Chinese message.

Each condition is produced for real on an encrypted store where SQLite can produce it (a lock
held by another connection, a size limit, a read-only connection, a damaged file); the disk I/O
error, which needs a failing disk, is checked on the driver's exception alone."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError, OperationalError

from app.errors import (
    AppError,
    StoreBusy,
    StoreCorrupt,
    StoreError,
    StoreFull,
    StoreIOError,
    StoreReadOnly,
    WrongKeyError,
)
from db import engine as engine_module
from db import errors as store_errors
from db.models import Role
from db.sqlite_errors import store_error_for
from db.store import Store, open_store
from tests.store_lock import write_lock_held

PAGE = 4096  # SQLCipher 4's page size


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A store whose writers wait 0.2 s for a lock (15 s in the app)."""
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_S", 0.2)
    opened = open_store(tmp_path / "data")
    yield opened
    opened.close()


def write_a_row(store: Store) -> None:
    with store.session() as session, session.begin():
        session.execute(text("CREATE TABLE IF NOT EXISTS probe (x TEXT)"))
        session.execute(text("INSERT INTO probe VALUES ('written')"))


def on_every_connection(store: Store, pragma: str) -> None:
    """Run ``pragma`` on each new connection of the store (the pool is emptied first)."""

    @event.listens_for(store.engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute(pragma)

    store.engine.dispose()


def test_a_held_write_lock_is_store_busy_and_the_store_works_once_released(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    with write_lock_held(store):
        with pytest.raises(StoreBusy) as caught:
            write_a_row(store)
        # Readers are not held up by a writer (WAL).
        with store.reader() as session:
            assert session.scalar(text("SELECT count(*) FROM roles")) > 0
    assert caught.value.code == "E320"
    assert "本地数据库正忙" in str(caught.value) and "请稍后重试" in str(caught.value)
    assert isinstance(caught.value.__cause__, sqlcipher3.OperationalError)
    assert "store error E320: database is locked" in caplog.text
    write_a_row(store)  # the lock is gone: the next action goes through


def test_the_busy_timeout_is_the_engines_setting(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15_000
    finally:
        store.close()


def test_a_full_database_is_store_full(store: Store) -> None:
    # SQLite's own size limit: max_page_count cannot go below the current size, so any
    # growth of the file is refused with SQLITE_FULL, as on a full disk.
    on_every_connection(store, "PRAGMA max_page_count = 1")
    with pytest.raises(StoreFull) as caught, store.session() as session, session.begin():
        session.execute(text("CREATE TABLE filler (x BLOB)"))
        session.execute(text("INSERT INTO filler VALUES (randomblob(200000))"))
    assert caught.value.code == "E321"
    assert "磁盘空间已满" in caught.value.message


def test_a_read_only_database_is_store_read_only(store: Store) -> None:
    # The tests run as root, whom file permissions do not stop: SQLite's own read-only switch
    # instead, set after the engine's own begin (which clears it for write units).
    @event.listens_for(store.engine, "begin")
    def _read_only(conn: Any) -> None:
        conn.exec_driver_sql("PRAGMA query_only = ON")

    with pytest.raises(StoreReadOnly) as caught:
        write_a_row(store)
    assert caught.value.code == "E322"
    assert "只读" in caught.value.message


def _fill_scratch_table(store: Store) -> None:
    with store.session() as session, session.begin():
        session.execute(text("CREATE TABLE scratch (x BLOB)"))
        session.execute(
            text(
                "INSERT INTO scratch WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1"
                " FROM n WHERE i < 200) SELECT randomblob(3000) FROM n"
            )
        )
    store.engine.dispose()  # the last connection checkpoints the WAL into the file


def _overwrite(path: Path, offset: int, length: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(b"\x55" * length)


def test_a_damaged_page_is_store_corrupt(store: Store) -> None:
    _fill_scratch_table(store)
    size = store.db_path.stat().st_size
    _overwrite(store.db_path, (size // PAGE - 20) * PAGE, 200)  # a page of scratch's blobs
    with pytest.raises(StoreCorrupt) as caught, store.reader() as session:
        session.execute(text("SELECT sum(length(x)) FROM scratch")).scalar()
    assert caught.value.code == "E323"
    assert "已损坏" in caught.value.message


def test_a_damaged_header_after_opening_is_store_corrupt_not_a_wrong_key(store: Store) -> None:
    store.engine.dispose()
    _overwrite(store.db_path, 0, 100)
    with pytest.raises(StoreCorrupt), store.reader() as session:
        session.execute(text("SELECT count(*) FROM roles")).scalar()
    # Opened afresh, a file that does not decrypt may as well be the wrong key: it says both.
    store.close()
    with pytest.raises(WrongKeyError, match="密钥不符或文件已损坏"):
        open_store(store.data_dir)


@pytest.mark.parametrize(
    ("code", "message", "kind"),
    [
        (778, "disk I/O error", StoreIOError),  # SQLITE_IOERR_WRITE
        (10, "disk I/O error", StoreIOError),
        (14, "unable to open database file", StoreIOError),
        (5, "database is locked", StoreBusy),
        (13, "database or disk is full", StoreFull),
        (8, "attempt to write a readonly database", StoreReadOnly),
        (11, "database disk image is malformed", StoreCorrupt),
        (26, "file is not a database", StoreCorrupt),
        (None, "disk I/O error", StoreIOError),  # a driver without error codes
        (None, "database is locked", StoreBusy),
    ],
)
def test_driver_errors_map_to_their_store_error(
    code: int | None, message: str, kind: type[StoreError]
) -> None:
    error = sqlcipher3.OperationalError(message)
    if code is not None:
        error.sqlite_errorcode = code
    translated = store_error_for(error)
    assert type(translated) is kind
    assert translated is not None and translated.message
    assert str(translated).startswith(f"[{kind.code}] ")


def test_errors_that_are_not_the_environment_stay_sqlalchemys(store: Store) -> None:
    with pytest.raises(OperationalError, match="no such table"), store.reader() as session:
        session.execute(text("SELECT * FROM no_such_table"))
    with pytest.raises(IntegrityError), store.session() as session, session.begin():
        session.add(Role(code="clerk", name_zh="重复"))
    assert store_error_for(sqlcipher3.IntegrityError("UNIQUE constraint failed")) is None


def test_statement_parameters_stay_out_of_error_messages(store: Store) -> None:
    with pytest.raises(IntegrityError) as caught, store.session() as session, session.begin():
        session.execute(
            text("INSERT INTO roles (code, name_zh) VALUES (:code, :name)"),
            {"code": "clerk", "name": "欧阳翠花"},
        )
    assert "欧阳翠花" not in str(caught.value)


def test_every_store_error_is_an_app_error_with_a_unique_code() -> None:
    kinds = [StoreBusy, StoreFull, StoreReadOnly, StoreCorrupt, StoreIOError]
    assert all(issubclass(k, AppError) for k in kinds)
    assert len({k.code for k in kinds}) == len(kinds)


def test_the_store_imports_nothing_from_app() -> None:
    """Layers are ui → app → db: the store's errors live in db/errors.py, app re-exports them."""
    root = Path(__file__).resolve().parent.parent
    offenders = []
    for path in sorted((root / "db").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and node.level == 0
                else []
            )
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "app"]
    assert offenders == []
    assert StoreBusy is store_errors.StoreBusy  # one class, whichever module names it
