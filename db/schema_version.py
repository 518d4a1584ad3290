"""The schema revision this program expects, readable without loading Alembic (a second or so
of imports on a slow PC): a store already at head opens without it. ``tests/test_store.py``
checks :data:`HEAD` against the migrations folder."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

#: The newest migration in db/migrations/versions (its ``revision``).
HEAD = "0013"


def stored_revision(engine: Engine) -> str | None:
    """The store's Alembic revision, or None for a new (or pre-Alembic) file."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except OperationalError:  # no alembic_version table yet
        return None
