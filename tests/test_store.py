"""The encrypted local store: key handling, pragmas, migrations, append-only tables."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError, IntegrityError

from app.errors import DataDirError, NewerStoreError, NoKeyringError, StoreError, WrongKeyError
from db.base import Base
from db.keystore import KEYRING_SERVICE
from db.migrate import current_revision, head_revision
from db.models import Applicant, AuditEntry, Role, Setting
from db.schema_version import HEAD, stored_revision
from db.store import DB_NAME, Store, open_store
from tests.fakes import MemoryKeyring

RESIDENT = "欧阳翠花"


def test_resident_name_is_not_in_the_files_bytes(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = open_store(data_dir)
    with store.session() as session, session.begin():
        session.add(Applicant(kind="natural", name=RESIDENT, id_number="11010519491231002X"))
    # The row is readable through the app…
    with store.session() as session:
        assert session.scalars(select(Applicant.name)).one() == RESIDENT
    store.close()
    needles = [RESIDENT.encode("utf-8"), b"11010519491231002X", b"SQLite format 3"]
    files = [p for p in data_dir.iterdir() if p.name.startswith(DB_NAME)]
    assert files, "the store wrote no database file"
    for path in files:
        blob = path.read_bytes()
        for needle in needles:
            assert needle not in blob, f"{needle!r} found in plain bytes of {path.name}"


def test_connection_pragmas(tmp_path: Path) -> None:
    store = open_store(tmp_path / "d")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA cipher_version").scalar()
    store.close()


def test_key_lives_in_the_keyring_and_reopens(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    data_dir = tmp_path / "d"
    store = open_store(data_dir)
    store_id = store.store_id
    with store.session() as session, session.begin():
        session.add(Setting(key="centre_name", value="某镇便民服务中心"))
    store.close()
    assert (KEYRING_SERVICE, store_id) in memory_keyring.passwords
    assert not any("key" in p.name.lower() for p in data_dir.iterdir())
    reopened = open_store(data_dir)
    with reopened.session() as session:
        assert session.get(Setting, "centre_name") is not None
    reopened.close()


def test_wrong_key_is_refused_plainly(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    data_dir = tmp_path / "d"
    open_store(data_dir).close()
    (entry,) = memory_keyring.passwords
    memory_keyring.passwords[entry] = "A" * 43 + "="  # 32 bytes, but not this store's key
    with pytest.raises(WrongKeyError) as caught:
        open_store(data_dir)
    assert "密钥" in str(caught.value)


def test_missing_key_is_not_replaced_by_a_new_one(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    data_dir = tmp_path / "d"
    open_store(data_dir).close()
    memory_keyring.passwords.clear()
    with pytest.raises(StoreError, match="找不到"):
        open_store(data_dir)
    assert not memory_keyring.passwords, "a new key must not be made for an existing store"


def test_no_keyring_backend_says_so_and_names_the_way_forward(
    tmp_path: Path, no_keyring: None
) -> None:
    with pytest.raises(NoKeyringError) as caught:
        open_store(tmp_path / "d")
    message = str(caught.value)
    assert "没有可用的系统密钥环" in message
    assert "--key-file" in message
    assert not (tmp_path / "d" / DB_NAME).exists(), "nothing may be written without a key"


def test_key_file_works_without_keyring(tmp_path: Path, no_keyring: None) -> None:
    key_file = tmp_path / "d" / "DEMO-KEY-NOT-SECRET.key"
    store = open_store(tmp_path / "d", key_file=key_file)
    store.close()
    text_of_file = key_file.read_text(encoding="utf-8")
    assert "NOT SECRET" in text_of_file and "演示" in text_of_file
    open_store(tmp_path / "d", key_file=key_file).close()


def test_migrations_reach_head_and_match_the_models(store: Store) -> None:
    assert current_revision(store.engine) == head_revision()
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"


def test_the_head_known_without_alembic_is_the_migrations_head(store: Store) -> None:
    assert head_revision() == HEAD
    assert stored_revision(store.engine) == HEAD


def test_a_store_behind_head_is_upgraded_on_open(tmp_path: Path) -> None:
    from alembic import command

    from db.migrate import alembic_config

    store = open_store(tmp_path / "d")
    config = alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
    assert stored_revision(store.engine) == "0001"
    store.close()
    store = open_store(tmp_path / "d")
    assert stored_revision(store.engine) == HEAD
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    store.close()


def test_upgrade_is_idempotent_on_reopen(tmp_path: Path) -> None:
    open_store(tmp_path / "d").close()
    store = open_store(tmp_path / "d")
    assert current_revision(store.engine) == head_revision()
    store.close()


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor='x'", "DELETE FROM audit_log"])
def test_audit_log_is_append_only(store: Store, statement: str) -> None:
    with store.session() as session, session.begin():
        session.add(
            AuditEntry(
                occurred_at=datetime.now(UTC),
                actor="clerk1",
                workstation="WS01",
                event="login",
                detail={},
                prev_hash="0" * 64,
                entry_hash="1" * 64,
            )
        )
    with (
        pytest.raises((DatabaseError, IntegrityError), match="append-only"),
        store.engine.begin() as conn,
    ):
        conn.execute(text(statement))


def test_roles_from_the_design_are_seeded(store: Store) -> None:
    with store.session() as session:
        roles = {code: name for code, name in session.execute(select(Role.code, Role.name_zh))}
    assert roles == {
        "clerk": "窗口受理员",
        "approver": "后台审批人员",
        "proxy": "代办员",
        "supervisor": "中心负责人",
        "admin": "系统管理员",
        "auditor": "审计员",
    }


def test_migrations_downgrade_to_base_and_up_again(store: Store) -> None:
    from alembic import command

    from db.migrate import alembic_config, upgrade_to_head

    config = alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    with store.engine.connect() as conn:
        query = "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')"
        tables = {row[0] for row in conn.exec_driver_sql(query)}
    assert tables <= {"alembic_version"}
    upgrade_to_head(store.engine)
    assert current_revision(store.engine) == head_revision()


def test_a_store_written_by_a_newer_program_is_refused_untouched(tmp_path: Path) -> None:
    """A downgrade: the store's schema is newer than this program's. It is not opened, not
    migrated, not changed; the message names the way forward."""
    store = open_store(tmp_path / "d")
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    store.close()
    before = (tmp_path / "d" / DB_NAME).read_bytes()
    with pytest.raises(NewerStoreError) as caught:
        open_store(tmp_path / "d")
    message = str(caught.value)
    assert "较新版本的一窗通" in message and "0099" in message and f"版本 {HEAD}" in message
    assert "不要用旧版本覆盖安装新版本" in message
    assert (tmp_path / "d" / DB_NAME).read_bytes() == before


def test_a_data_directory_that_cannot_be_written_is_refused_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    with pytest.raises(DataDirError) as caught:
        open_store(blocker / "data")
    assert "无法创建数据目录" in str(caught.value) and "--data-dir" in str(caught.value)
    locked = tmp_path / "locked"
    locked.mkdir()
    monkeypatch.setattr("db.store.os.access", lambda path, mode: False)  # as root, chmod is moot
    with pytest.raises(DataDirError) as caught:
        open_store(locked)
    assert "不可写" in str(caught.value) and "读写权限" in str(caught.value)
    assert list(locked.iterdir()) == []  # nothing written


def test_a_data_directory_copied_from_another_pc_says_whose_it_is(
    tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store belongs to another workstation: made on PC "W01-PC", its key in that PC's
    keyring; opened on this PC it is refused untouched, naming that PC and the way forward."""
    monkeypatch.setattr("db.store.platform.node", lambda: "W01-PC")
    data_dir = tmp_path / "d"
    open_store(data_dir).close()
    memory_keyring.passwords.clear()  # this PC's keyring: not the one the key was kept in
    monkeypatch.setattr("db.store.platform.node", lambda: "W02-PC")
    before = {p.name: p.read_bytes() for p in data_dir.iterdir()}
    with pytest.raises(StoreError) as caught:
        open_store(data_dir)
    message = str(caught.value)
    assert "另一台电脑（W01-PC）" in message and "重新激活" in message
    assert {p.name: p.read_bytes() for p in data_dir.iterdir()} == before
