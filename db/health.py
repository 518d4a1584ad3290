"""The store's health as support needs it after a failure: counts and SQLite's own reports only.

Nothing here reads a row's content: the schema revision, ``PRAGMA quick_check``, the files'
sizes, SQLite's page figures, how many rows each table has and how many outbox rows wait to be
sent. Each figure is read on its own, so a damaged or locked store still yields the others and
the error in place of the one that failed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar

from sqlalchemy import Connection, text

from db.errors import AppError
from db.schema_version import HEAD
from db.store import DB_NAME, Store

T = TypeVar("T")
Health = dict[str, object]

#: quick_check stops after this many problems: enough to see the damage, short enough to read.
QUICK_CHECK_LIMIT = 20


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _figure(read: Callable[[], T]) -> T | dict[str, str]:
    """``read()``, or what went wrong instead of it (the other figures are still worth having)."""
    try:
        return read()
    except AppError as error:
        return {"error": str(error)}
    except Exception as error:  # hide_parameters keeps row values out of the text
        return {"error": f"{type(error).__name__}: {error}"}


def file_sizes(store: Store) -> dict[str, int]:
    """Bytes of the database file and its WAL and shared-memory files."""
    return {
        path.name: path.stat().st_size
        for path in sorted(store.data_dir.glob(f"{DB_NAME}*"))
        if path.is_file()
    }


def _tables(conn: Connection) -> list[str]:
    rows = conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name"
    )
    return [str(name) for (name,) in rows]


def _row_counts(conn: Connection) -> dict[str, int]:
    return {
        table: int(conn.exec_driver_sql(f"SELECT count(*) FROM {_quoted(table)}").scalar_one())
        for table in _tables(conn)
    }


def _pragma(conn: Connection, name: str) -> object:
    return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def store_health(store: Store) -> Health:
    """The figures above, JSON-ready."""
    health: Health = {
        "expected_schema_revision": HEAD,
        "files": _figure(lambda: file_sizes(store)),
    }
    try:
        with store.reader() as session:
            conn = session.connection()
            health["schema_revision"] = _figure(
                lambda: conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            )
            health["sqlite_version"] = _figure(
                lambda: conn.exec_driver_sql("SELECT sqlite_version()").scalar()
            )
            health["sqlcipher_version"] = _figure(lambda: _pragma(conn, "cipher_version"))
            for pragma in ("journal_mode", "page_size", "page_count", "freelist_count"):
                health[pragma] = _figure(partial(_pragma, conn, pragma))
            health["quick_check"] = _figure(
                lambda: [
                    str(row[0])
                    for row in conn.exec_driver_sql(f"PRAGMA quick_check({QUICK_CHECK_LIMIT})")
                ]
            )
            health["rows"] = _figure(lambda: _row_counts(conn))
            health["outbox_pending"] = _figure(
                lambda: conn.exec_driver_sql(
                    "SELECT count(*) FROM outbox WHERE status = 'pending'"
                ).scalar()
            )
    except AppError as error:  # not even a connection: locked, damaged, wrong key
        health["error"] = str(error)
    return health
