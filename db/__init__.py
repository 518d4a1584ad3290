"""Local store: SQLAlchemy 2 models, encrypted engine, Alembic migrations. Never imports Qt."""
