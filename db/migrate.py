"""Schema upgrades with Alembic, run by the app on every start (idempotent at head)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(engine: Engine) -> None:
    migrate(engine, "head")


def migrate(engine: Engine, target: str, *, down: bool = False) -> None:
    """Upgrade (or, ``down``, downgrade) to ``target`` in one transaction, foreign keys off.

    Batch mode rebuilds a table by copying it and dropping the old one, which SQLite refuses
    while other tables' rows refer to it and foreign keys are enforced; SQLite's own recipe for
    such changes turns enforcement off around the transaction and checks the keys before commit.
    """
    config = alembic_config()
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")  # outside a transaction, or SQLite ignores it
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                if down:
                    command.downgrade(config, target)
                else:
                    command.upgrade(config, target)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                if broken is not None:
                    raise RuntimeError(f"migration left a broken foreign key: {tuple(broken)}")
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
