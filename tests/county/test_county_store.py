"""The county's store: its own Alembic history brings a new store to head, matching the models;
reopening changes nothing; the history goes down to nothing and up again. Each on both backends
(``county_url``): a SQLite file and a database of a throwaway PostgreSQL server."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from county.store.engine import MIGRATIONS_DIR, CountyStore, open_county, upgrade
from county.store.models import Centre, CountyBase

MODEL_TABLES = set(CountyBase.metadata.tables)


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _head() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()


@pytest.fixture
def county(county_url: str) -> Iterator[CountyStore]:
    opened = open_county(county_url)
    yield opened
    opened.close()


def test_a_new_store_reaches_head_and_matches_the_models(county: CountyStore) -> None:
    # One head (get_current_head raises on a branch), the newest file of the history.
    newest = max(path.name[:4] for path in (MIGRATIONS_DIR / "versions").glob("0*.py"))
    assert _head() == newest
    assert _revision(county.engine) == newest
    with county.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), CountyBase.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"
    assert set(inspect(county.engine).get_table_names()) == MODEL_TABLES | {"alembic_version"}


def test_reopening_a_store_at_head_changes_nothing(county_url: str) -> None:
    first = open_county(county_url)
    with first.sessions() as session, session.begin():
        session.add(Centre(code="511899101000", name="示例县清河镇便民服务中心"))
    first.close()
    again = open_county(county_url)
    upgrade(again.engine)
    assert _revision(again.engine) == _head()
    with again.sessions() as session:
        assert session.get(Centre, "511899101000") is not None
    again.close()


def test_the_history_goes_down_to_base_and_up_again(county: CountyStore) -> None:
    config = _config()
    with county.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    assert set(inspect(county.engine).get_table_names()) <= {"alembic_version"}
    assert _revision(county.engine) is None
    upgrade(county.engine)
    assert _revision(county.engine) == _head()
    with county.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), CountyBase.metadata) == []


def test_the_history_renders_for_postgresql() -> None:
    """PostgreSQL is the production store: the whole history, up and down, compiles for it (the
    SQL a county's database administrator can read before running it)."""
    config = _config()
    config.output_buffer = io.StringIO()
    command.upgrade(config, "head", sql=True)
    command.downgrade(config, "head:base", sql=True)
    script = config.output_buffer.getvalue()
    for table in MODEL_TABLES:
        assert f"CREATE TABLE {table} " in script
        assert f"DROP TABLE {table};" in script
    assert "id SERIAL NOT NULL" in script
    assert "envelope JSON NOT NULL" in script
    assert "PRAGMA" not in script


def test_a_store_from_before_the_seal_gets_a_key_of_its_own(county: CountyStore) -> None:
    """0007: the one ``county_meta`` row of an existing store gets a seal key (64 hex digits),
    made by the database itself; the key is never shared between two stores."""
    from sqlalchemy import text

    config = _config()
    keys = []
    for _ in range(2):
        with county.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0006")
            conn.execute(text("DELETE FROM county_meta"))
            conn.execute(
                text("INSERT INTO county_meta (id, epoch, county_name) VALUES (1, 'e', '示例县')")
            )
            command.upgrade(config, "head")
            keys.append(conn.execute(text("SELECT seal_key FROM county_meta")).scalar_one())
    assert all(len(key) == 64 and int(key, 16) >= 0 for key in keys)
    assert keys[0] != keys[1]
