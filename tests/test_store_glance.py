"""The glance at a store before SQLAlchemy is loaded (db/glance.py): it answers only for a store
that opens with its key and is exactly at head; everything else waits for ``open_store``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from app import settings
from db.glance import glance
from db.models import Setting
from db.store import DB_NAME, open_store
from tests.fakes import MemoryKeyring

KEYS = ("centre_name", "workstation_code", "town_code")


def _made(data_dir: Path) -> None:
    store = open_store(data_dir)
    with store.session() as session, session.begin():
        session.add(Setting(key="centre_name", value="清河镇便民服务中心"))
    store.close()


def test_a_store_at_head_answers_its_settings_without_sqlalchemy(tmp_path: Path) -> None:
    _made(tmp_path / "d")
    seen = glance(tmp_path / "d", None, KEYS)
    assert seen is not None
    assert seen.settings == {"centre_name": "清河镇便民服务中心"}  # the others are defaults
    assert not seen.has_cases
    # The glance loads neither SQLAlchemy nor the models: that is what makes it quick.
    probe = (
        "import sys; import db.glance; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'app')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"


def test_a_wrong_key_a_missing_manifest_or_no_database_wait_for_the_full_open(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    _made(tmp_path / "d")
    (entry,) = memory_keyring.passwords
    right = memory_keyring.passwords[entry]
    memory_keyring.passwords[entry] = "A" * 43 + "="  # 32 bytes, not this store's key
    assert glance(tmp_path / "d", None, KEYS) is None
    del memory_keyring.passwords[entry]  # no key at all
    assert glance(tmp_path / "d", None, KEYS) is None
    memory_keyring.passwords[entry] = right
    assert glance(tmp_path / "d", None, KEYS) is not None
    assert glance(tmp_path / "new", None, KEYS) is None  # nothing made yet
    assert not (tmp_path / "new").exists()  # and nothing written


@pytest.mark.parametrize("revision", ["0001", "0099"])
def test_a_store_behind_or_ahead_of_head_waits_for_the_full_open(
    tmp_path: Path, revision: str
) -> None:
    """Behind: open_store migrates it; ahead: open_store refuses it (tests/test_store.py)."""
    store = open_store(tmp_path / "d")
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    store.close()
    before = (tmp_path / "d" / DB_NAME).read_bytes()
    assert glance(tmp_path / "d", None, KEYS) is None
    assert (tmp_path / "d" / DB_NAME).read_bytes() == before  # query_only: nothing written


def test_the_login_windows_settings_agree_with_app_settings() -> None:
    from ui.startup import CENTRE_NAME, WORKSTATION_CODE

    assert (settings.CENTRE_NAME.key, settings.CENTRE_NAME.default) == CENTRE_NAME
    assert (settings.WORKSTATION_CODE.key, settings.WORKSTATION_CODE.default) == WORKSTATION_CODE
