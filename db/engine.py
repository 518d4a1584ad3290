"""The encrypted SQLite engine: SQLCipher via SQLAlchemy's ``sqlite+pysqlcipher`` dialect.

The store key is 32 random bytes, handed to SQLCipher as a raw key (``x'…'``), so opening a
connection skips the passphrase KDF. Every connection gets WAL, foreign keys and
``synchronous=FULL`` (a clerk's accepted case must survive a power cut).

SQLite's environment errors (locked, full, read-only, I/O, corrupt) leave the engine as typed
store errors with a Chinese message (``handle_error`` below, ``db/sqlite_errors.py``), so every
unit of work gets them without a ``try`` of its own.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from db.errors import StoreCorrupt, WrongKeyError
from db.keystore import raw_key_literal
from db.sqlite_errors import CORRUPT_MESSAGE, SQLITE_NOTADB, sqlite_code, store_error_for

READ_ONLY_OPTION = "onewindow_read_only"
#: Seconds a connection waits for another connection's write lock before the action fails with
#: ``StoreBusy``. Long enough for any unit of work of this program; tests lower it.
BUSY_TIMEOUT_S = 15.0
WRONG_KEY_MESSAGE = (
    "本地数据库无法用当前密钥打开（密钥不符或文件已损坏）。请确认使用的是本工作站的密钥，"
    "或联系系统管理员从备份恢复。"
)

log = logging.getLogger(__name__)


def make_engine(db_path: Path, key: bytes, *, busy_timeout: float | None = None) -> Engine:
    """An engine on the encrypted file at ``db_path`` (created if missing); ``busy_timeout``
    in seconds, :data:`BUSY_TIMEOUT_S` when not given."""
    timeout = BUSY_TIMEOUT_S if busy_timeout is None else busy_timeout
    url = URL.create("sqlite+pysqlcipher", password=raw_key_literal(key), database=str(db_path))
    # A pool that does not tie connections to threads: the desks' worker threads are Qt
    # threads, whose Python thread-locals do not last from one task to the next, so the
    # pysqlcipher default (SingletonThreadPool) kept opening connections and, past five,
    # closed ones other threads were still using.
    engine = create_engine(
        url,
        poolclass=QueuePool,
        # Statement parameters carry names and ID numbers: keep them out of error messages,
        # which reach the log and the crash handler.
        hide_parameters=True,
        connect_args={"timeout": timeout, "check_same_thread": False},
    )
    # A file that does not decrypt on the first connection means the wrong key; once one
    # connection has opened it with this key, the same failure means the file was damaged.
    opened_once = False

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        nonlocal opened_once
        # Take transaction control away from the DB-API module so SQLAlchemy's BEGIN is real
        # (the SQLAlchemy docs' recipe for pysqlite; needed for transactional DDL in migrations).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        # SQLCipher would otherwise print its own decrypt errors to stderr; we raise a typed error.
        cursor.execute("PRAGMA cipher_log_level = NONE")
        try:
            cursor.execute("SELECT count(*) FROM sqlite_master")
        except Exception as exc:
            if sqlite_code(exc) != SQLITE_NOTADB:
                raise  # locked, I/O…: SQLAlchemy wraps it and _on_error types it
            if opened_once:
                raise StoreCorrupt(CORRUPT_MESSAGE) from exc
            raise WrongKeyError(WRONG_KEY_MESSAGE) from exc
        opened_once = True
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock up front (IMMEDIATE): two units of work that read then
        # write would otherwise fail with "database is locked" instead of waiting their turn.
        # Read-only sessions (``reader``) begin deferred and never wait for a writer (WAL), and
        # their connection refuses writes (query_only), so a read unit can never write by
        # mistake. Pooled connections serve both kinds: the flag is set at every begin.
        read_only = conn.get_execution_options().get(READ_ONLY_OPTION, False)
        if read_only:
            conn.exec_driver_sql("PRAGMA query_only = ON")
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("PRAGMA query_only = OFF")
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        error = store_error_for(context.original_exception)
        if error is None:
            return  # not the environment's fault: SQLAlchemy's own exception, a bug to report
        # SQLite's own words only: the statement and its parameters may carry personal data.
        log.warning("store error %s: %s", error.code, context.original_exception)
        raise error  # replaces SQLAlchemy's exception (chained from the driver's)

    return engine


def make_session_factory(engine: Engine, *, read_only: bool = False) -> sessionmaker[Session]:
    bind = engine.execution_options(**{READ_ONLY_OPTION: True}) if read_only else engine
    return sessionmaker(bind, expire_on_commit=False)


def check_open(engine: Engine) -> None:
    """Open one connection now so a wrong key fails at start-up, not at the first query."""
    with engine.connect():
        pass
