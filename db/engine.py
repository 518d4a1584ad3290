"""The encrypted SQLite engine: SQLCipher via SQLAlchemy's ``sqlite+pysqlcipher`` dialect.

The store key is 32 random bytes, handed to SQLCipher as a raw key (``x'…'``), so opening a
connection skips the passphrase KDF. Every connection gets WAL, foreign keys and
``synchronous=FULL`` (a clerk's accepted case must survive a power cut).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from app.errors import WrongKeyError

KEY_BYTES = 32
READ_ONLY_OPTION = "onewindow_read_only"


def _raw_key_literal(key: bytes) -> str:
    if len(key) != KEY_BYTES:
        raise ValueError(f"store key must be {KEY_BYTES} bytes")
    return f"x'{key.hex()}'"


def make_engine(db_path: Path, key: bytes) -> Engine:
    """An engine on the encrypted file at ``db_path`` (created if missing)."""
    url = URL.create("sqlite+pysqlcipher", password=_raw_key_literal(key), database=str(db_path))
    # A pool that does not tie connections to threads: the desks' worker threads are Qt
    # threads, whose Python thread-locals do not last from one task to the next, so the
    # pysqlcipher default (SingletonThreadPool) kept opening connections and, past five,
    # closed ones other threads were still using.
    engine = create_engine(
        url,
        poolclass=QueuePool,
        connect_args={"timeout": 15, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from the DB-API module so SQLAlchemy's BEGIN is real
        # (the SQLAlchemy docs' recipe for pysqlite; needed for transactional DDL in migrations).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        # SQLCipher would otherwise print its own decrypt errors to stderr; we raise a typed error.
        cursor.execute("PRAGMA cipher_log_level = NONE")
        try:
            cursor.execute("SELECT count(*) FROM sqlite_master")
        except Exception as exc:  # sqlcipher3.DatabaseError: file is not a database
            raise WrongKeyError(
                "本地数据库无法用当前密钥打开（密钥不符或文件已损坏）。请确认使用的是本工作站的密钥，"
                "或联系系统管理员从备份恢复。"
            ) from exc
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock up front (IMMEDIATE): two units of work that read then
        # write would otherwise fail with "database is locked" instead of waiting their turn.
        # Read-only sessions (``reader``) begin deferred and never wait for a writer (WAL).
        read_only = conn.get_execution_options().get(READ_ONLY_OPTION, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def make_session_factory(engine: Engine, *, read_only: bool = False) -> sessionmaker[Session]:
    bind = engine.execution_options(**{READ_ONLY_OPTION: True}) if read_only else engine
    return sessionmaker(bind, expire_on_commit=False)


def check_open(engine: Engine) -> None:
    """Open one connection now so a wrong key fails at start-up, not at the first query."""
    try:
        with engine.connect():
            pass
    except DatabaseError as exc:
        if isinstance(exc.orig, WrongKeyError):
            raise exc.orig from exc
        raise
