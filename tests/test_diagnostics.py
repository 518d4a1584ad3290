"""The diagnostics bundle: its members, the store's health, and no personal data in any of it."""

from __future__ import annotations

import json
import logging
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.system.diagnostics import NAME_MASK, build_bundle, scrub_names
from app.system.logs import ID_MASK, MOBILE_MASK, current_log_file
from db.models import Applicant, Case, OutboxEntry
from db.schema_version import HEAD
from db.store import DB_NAME, Store
from tests.app_log import app_log
from tests.centre import Centre, centre

__all__ = ["app_log", "centre"]

DIBAO = "最低生活保障"
MEMBERS = ["README.txt", "versions.json", "store_health.json", "logs/onewindow.log"]


def read_bundle(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as bundle:
        return {name: bundle.read(name).decode("utf-8") for name in bundle.namelist()}


def test_the_bundle_holds_versions_health_and_the_log_but_no_personal_data(
    centre: Centre, app_log: Path, tmp_path: Path
) -> None:
    case_id = centre.walk_in(DIBAO).case_id
    with centre.store.reader() as session:
        applicant = session.scalars(
            select(Applicant)
            .join(Case, Case.applicant_id == Applicant.id)
            .where(Case.id == case_id)
        ).one()
        pending = session.scalar(
            select(func.count()).select_from(OutboxEntry).where(OutboxEntry.status == "pending")
        )
    name, id_number, phone = applicant.name, applicant.id_number, applicant.phone
    assert name and id_number and phone  # the demo data's made-up resident
    # What a careless log line or an exception's text could carry.
    careless = logging.getLogger("app.careless")
    careless.info("受理申请人%s，身份证号 %s，电话 %s", name, id_number, phone)
    try:
        raise ValueError(f"申请人{name}的材料校验失败")
    except ValueError:
        careless.exception("intake failed")

    dest = tmp_path / "bundle.zip"
    members = build_bundle(
        dest, store=centre.store, log_file=current_log_file(), extra_versions={"Qt": "6.x"}
    )
    assert members == MEMBERS
    files = read_bundle(dest)
    assert list(files) == MEMBERS
    for member, content in files.items():
        for secret in (name, id_number, phone):
            assert secret not in content, f"{secret} in {member}"

    log = files["logs/onewindow.log"]
    assert "Traceback" in log and "材料校验失败" in log  # still useful to support
    assert NAME_MASK in log and ID_MASK in log and MOBILE_MASK in log
    versions = json.loads(files["versions.json"])
    assert {"OneWindow", "Python", "PySide6", "SQLAlchemy", "sqlcipher3", "platform"} <= set(
        versions
    )
    assert versions["Qt"] == "6.x" and versions["SQLCipher"].startswith("4.")
    health = json.loads(files["store_health.json"])
    assert health["schema_revision"] == health["expected_schema_revision"] == HEAD
    assert health["quick_check"] == ["ok"]
    assert health["sqlcipher_version"].startswith("4.") and health["journal_mode"] == "wal"
    assert health["rows"]["cases"] == 1 and health["rows"]["applicants"] == 1
    assert health["outbox_pending"] == pending
    assert DB_NAME in health["files"]
    assert "不含个人信息" in files["README.txt"]


def test_a_damaged_store_still_gives_a_bundle_with_what_went_wrong(
    store: Store, tmp_path: Path
) -> None:
    store.engine.dispose()
    with store.db_path.open("r+b") as handle:
        handle.write(b"\x55" * 100)  # the header: no connection opens any more
    build_bundle(tmp_path / "b.zip", store=store, log_file=None)
    files = read_bundle(tmp_path / "b.zip")
    assert list(files) == ["README.txt", "versions.json", "store_health.json"]  # no log yet
    health = json.loads(files["store_health.json"])
    assert "[E323]" in health["error"]  # 本地数据库文件已损坏
    assert DB_NAME in health["files"]


def test_no_store_at_all(tmp_path: Path) -> None:
    build_bundle(tmp_path / "b.zip", store=None, log_file=None)
    health = json.loads(read_bundle(tmp_path / "b.zip")["store_health.json"])
    assert health == {"error": "本地数据库未打开"}


def test_scrub_names() -> None:
    names = {"张秀英", "王明", "欧阳·娜娜", "ACME 有限公司"}
    text = "申请人张秀英、王明和欧阳·娜娜；王明明不是；单位 ACME 有限公司；张秀不变"
    assert scrub_names(text, names) == (
        f"申请人{NAME_MASK}、{NAME_MASK}和{NAME_MASK}；{NAME_MASK}明不是；"
        f"单位 {NAME_MASK}；张秀不变"
    )
    assert scrub_names("无姓名", set()) == "无姓名"


def test_the_command_line_writes_the_bundle_with_or_without_a_store(
    centre: Centre, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``onewindow diagnostics``: the bundle the crash dialog saves, for the IT person at the
    command line (or the Start-menu entry); without a store it still writes one, and makes none."""
    out = tmp_path / "bundle.zip"
    assert main(["--data-dir", str(centre.store.data_dir), "diagnostics", "--out", str(out)]) == 0
    assert "已保存诊断包" in capsys.readouterr().out
    health = json.loads(read_bundle(out)["store_health.json"])
    assert health["schema_revision"] == HEAD
    empty = tmp_path / "no-store"
    empty.mkdir()
    lone = tmp_path / "lone.zip"
    assert main(["--data-dir", str(empty), "diagnostics", "--out", str(lone)]) == 0
    assert "没有本地数据库" in capsys.readouterr().err
    assert json.loads(read_bundle(lone)["store_health.json"]) == {"error": "本地数据库未打开"}
    assert not (empty / DB_NAME).exists()
