"""Opening the county's store: SQLite (a file, the embedded default) or PostgreSQL
(``postgresql+psycopg://…``), brought to the current schema on open."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_S = 15.0
#: The county's own Alembic history (``alembic_version`` in the county's database).
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


@dataclass
class CountyStore:
    engine: Engine
    sessions: sessionmaker[Session]

    def close(self) -> None:
        self.engine.dispose()


def open_county(url: str) -> CountyStore:
    """The store at ``url``, its schema brought to head."""
    engine = create_engine(url, hide_parameters=True, **_sqlite_options(url))
    if engine.dialect.name == "sqlite":
        _sqlite_writers_queue(engine)
    upgrade(engine)
    return CountyStore(engine, sessionmaker(engine, expire_on_commit=False))


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest of ``county/migrations`` (nothing to do at head), in one
    transaction: PostgreSQL and SQLite both take DDL back if a step fails.

    On SQLite foreign keys are off around that transaction (and checked before it commits):
    batch mode rebuilds a table by copying it and dropping the old one, which SQLite refuses
    while other tables' rows refer to it. The pragma must run outside a transaction.
    """
    from alembic import command  # loaded only here: nothing else in the service needs it
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None  # an open connection always has its driver's
        if sqlite:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("a county migration left a broken foreign key")
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys=ON")


def _sqlite_options(url: str) -> dict[str, Any]:
    if not url.startswith("sqlite"):
        return {}
    return {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False}}


def _sqlite_writers_queue(engine: Engine) -> None:
    """SQLite: WAL, foreign keys, and every transaction takes the write lock at once, so two
    requests applying operations queue instead of failing with "database is locked"."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
