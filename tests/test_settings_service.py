"""Centre settings saved by the administrator: checked, all-or-nothing, audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app import settings
from app.audit import AuditEvent, authorize
from app.catalog.service import catalog_status, load_catalog_as
from app.errors import CatalogRejected, PermissionDenied, ValidationError
from app.settings.service import EDITABLE, read_settings, save_settings
from app.system.paths import catalog_dir
from app.units.runner import Units
from db.models import AuditEntry
from tests.centre import TOWN, Centre, centre

__all__ = ["centre"]


def _values(centre: Centre) -> dict[str, object]:
    with centre.store.session() as session:
        return {s.key: s.value for s in read_settings(session, centre.actor("admin"))}


def _audit(centre: Centre, event: str) -> list[AuditEntry]:
    with centre.store.reader() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.event == event)))


def test_read_shows_every_setting_with_defaults(centre: Centre) -> None:
    values = _values(centre)
    assert values["town_code"] == TOWN
    assert values["centre_name"] == "便民服务中心"
    assert values["lockout_max_failures"] == 5
    assert values["idcard_reader"] == "none"  # no ID-card reader until one is set up
    assert list(values) == [option.key for option in EDITABLE]


def test_save_writes_all_values_and_audits_the_changes(centre: Centre) -> None:
    with centre.store.session() as session:
        saved = save_settings(
            session,
            centre.actor("admin"),
            {
                "centre_name": " 城关镇便民服务中心 ",
                "town_code": "330106001000",
                "workstation_code": "w02",
                "lockout_minutes": "30",
                "complaint_phone": "13800138000",
                "rectify_days": "15",
                "progress_url": " https://zwfw.example.gov.cn/progress ",
            },
        )
    by_key = {s.key: s.value for s in saved}
    assert by_key["centre_name"] == "城关镇便民服务中心"
    assert by_key["workstation_code"] == "W02"
    assert by_key["lockout_minutes"] == 30
    assert by_key["rectify_days"] == 15
    assert by_key["progress_url"] == "https://zwfw.example.gov.cn/progress"
    with centre.store.reader() as session:
        assert settings.TOWN_CODE.get(session) == "330106001000"
        assert settings.COMPLAINT_PHONE.get(session) == "13800138000"
    (entry,) = _audit(centre, AuditEvent.SETTINGS_CHANGED)
    assert entry.detail["town_code"] == {"before": TOWN, "after": "330106001000"}
    assert entry.detail["complaint_phone"] == {"changed": True}  # no phone number in the log
    assert "13800138000" not in json.dumps(entry.detail)


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"town_code": "12345"}, "乡镇区划代码", "12位"),
        ({"town_code": "990106001000"}, "乡镇区划代码", "省级"),
        ({"lockout_max_failures": 0}, "连续登录失败几次后锁定", "正整数"),
        ({"idle_lock_minutes": "十"}, "无操作自动锁屏（分钟）", "正整数"),
        ({"lockout_minutes": 100000}, "锁定时长（分钟）", "之间"),
        ({"workstation_code": "W-1"}, "工作站编号", "字母或数字"),
        ({"centre_name": "  "}, "中心名称", "请填写"),
        ({"complaint_phone": "投诉"}, "投诉监督电话", "电话"),
        ({"rectify_days": 0}, "差评整改期限（工作日）", "正整数"),
        ({"rectify_days": 31}, "差评整改期限（工作日）", "1至30"),
        ({"progress_url": "县政务网/progress"}, "办件进度查询网址", "http"),
        ({"progress_url": "https://x.example/progress#n=1"}, "办件进度查询网址", "#"),
        ({"colour": "red"}, "设置项", "colour"),
    ],
)
def test_bad_value_refused_naming_the_field_and_nothing_saved(
    centre: Centre, values: dict[str, object], field: str, words: str
) -> None:
    before = _values(centre)
    with centre.store.session() as session, pytest.raises(ValidationError) as refused:
        save_settings(session, centre.actor("admin"), {"centre_name": "新名称", **values})
    assert refused.value.field == field
    assert field in refused.value.message or field == "设置项"
    assert words in refused.value.message
    assert _values(centre) == before
    assert _audit(centre, AuditEvent.SETTINGS_CHANGED) == []


@pytest.mark.parametrize("user", ["clerk", "supervisor", "auditor", "proxy"])
def test_only_the_administrator_reads_or_saves(centre: Centre, user: str) -> None:
    with centre.store.session() as session, pytest.raises(PermissionDenied):
        save_settings(session, centre.actor(user), {"centre_name": "x"})
    with pytest.raises(PermissionDenied):
        Units(centre.store.session, centre.store.reader, authorize).run(
            centre.actor(user), read_settings
        )
    assert len(_audit(centre, AuditEvent.PERMISSION_DENIED)) == 2
    with centre.store.reader() as session:
        assert settings.CENTRE_NAME.get(session) == "便民服务中心"


def test_catalogue_loaded_by_admin_is_audited_and_bad_one_refused(
    centre: Centre, tmp_path: Path
) -> None:
    files = sorted(catalog_dir().glob("*.json"))
    with centre.store.reader() as session:
        before = catalog_status(session)
    with centre.store.session() as session:
        status = load_catalog_as(session, centre.actor("admin"), files)
    assert before is not None and status.item_count == before.item_count
    (entry,) = _audit(centre, AuditEvent.CATALOG_LOADED)
    assert entry.actor == "admin" and entry.detail["items"] == status.item_count

    data = json.loads((catalog_dir() / "dibao.json").read_text(encoding="utf-8"))
    data["templates"][0]["sections"][0]["fields"][0]["type"] = "signature_pad"
    bad = tmp_path / "dibao-bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with centre.store.session() as session, pytest.raises(CatalogRejected):
        load_catalog_as(session, centre.actor("admin"), [bad])
    with centre.store.session() as session, pytest.raises(PermissionDenied):
        load_catalog_as(session, centre.actor("clerk"), files)
    assert len(_audit(centre, AuditEvent.CATALOG_LOADED)) == 1
