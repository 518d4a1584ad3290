"""Alembic environment. The app always passes an open connection (``config.attributes``)."""

from __future__ import annotations

from alembic import context

import db.models  # noqa: F401  (registers every table on the metadata)
from db.base import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through db.migrate, which supplies the connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
