"""Alembic environment of the county's store (its own history, apart from a workstation's).

Online, the caller passes an open connection in ``config.attributes`` — ``county.store.engine``
when it opens a store, the tests when they move the schema — so this file never builds an engine
or reads a URL of its own. Offline (``sql=True``), it writes the SQL for a dialect instead, by
default PostgreSQL's: a script for a county's database administrator to read before running.
"""

from __future__ import annotations

from typing import Any

from alembic import context

from county.store.models import CountyBase

OPTIONS: dict[str, Any] = {
    "target_metadata": CountyBase.metadata,
    "render_as_batch": True,  # SQLite cannot ALTER most things; batch mode copies the table
    "compare_type": True,
}

if context.is_offline_mode():
    dialect = context.config.attributes.get("dialect_name", "postgresql")
    context.configure(dialect_name=dialect, literal_binds=True, **OPTIONS)
else:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run the county's migrations through county.store.engine.upgrade")
    context.configure(connection=connection, **OPTIONS)
with context.begin_transaction():
    context.run_migrations()
