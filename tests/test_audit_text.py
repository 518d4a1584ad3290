"""The audit log's 详情 in words: a Chinese sentence for every event kind, never raw JSON."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from app import audit
from app.audit import AuditEvent, JsonValue, case_event
from app.audit_text import SENTENCES, describe, detail_json, has_sentence
from app.settings.service import save_settings
from app.workflow.states import Action
from db.models import AuditEntry
from tests.centre import Centre, centre

__all__ = ["centre"]  # the fixture

APP = Path(__file__).resolve().parent.parent / "app"

# A detail such as the code records it, for each event kind (keys as in the use cases).
SAMPLES: dict[str, dict[str, JsonValue]] = {
    AuditEvent.LOGIN_OK: {"user_id": 3, "roles": ["clerk"]},
    AuditEvent.LOGIN_FAILED: {"reason": "wrong_password", "user_id": 3, "failures": 2},
    AuditEvent.LOGIN_LOCKED: {"user_id": 3, "locked_until": "2026-03-02T02:15:00+00:00"},
    AuditEvent.LOGOUT: {},
    AuditEvent.WORKSTATION_LOCKED: {"reason": "idle"},
    AuditEvent.WORKSTATION_UNLOCKED: {"user_id": 3, "roles": ["clerk"]},
    AuditEvent.UNLOCK_FAILED: {"reason": "wrong_password", "user_id": 3, "failures": 1},
    AuditEvent.PASSWORD_CHANGED: {"user_id": 3},
    AuditEvent.PASSWORD_CHANGE_FAILED: {"user_id": 3, "reason": "wrong_old_password"},
    AuditEvent.PASSWORD_RESET: {"user_id": 3},
    AuditEvent.USER_CREATED: {"user_id": 9, "roles": ["clerk", "approver"]},
    AuditEvent.ROLES_CHANGED: {"user_id": 9, "before": ["clerk"], "after": ["approver"]},
    AuditEvent.LOCKOUT_RESET: {"user_id": 9, "locked_until": "2026-03-02T02:15:00+00:00"},
    AuditEvent.USER_ENABLED: {"user_id": 9},
    AuditEvent.USER_DISABLED: {"user_id": 9},
    AuditEvent.PERMISSION_DENIED: {"permission": "audit_read", "roles": ["clerk"]},
    AuditEvent.AUDIT_VERIFIED: {"ok": True, "checked": 120, "first_broken_id": None},
    AuditEvent.FULL_ID_VIEW: {"purpose": "核验身份"},
    AuditEvent.PRINT: {
        "kind": "acceptance_notice",
        "document_id": 5,
        "sha256": "0f1e2d3c-4b5a6978",
        "reprint": False,
        "purpose": "print",
    },
    AuditEvent.EXPORT: {},
    AuditEvent.CATALOG_LOADED: {"release_id": 2, "items": 16, "templates": 16, "files": ["a"]},
    AuditEvent.CALENDAR_YEAR_ADDED: {"year": 2027, "holidays": 28, "workdays": 6, "file": "y"},
    AuditEvent.SETTINGS_CHANGED: {"idle_lock_minutes": {"before": 15, "after": 10}},
    AuditEvent.SYNC_WITHDRAWN: {"action": "accept", "reason": "重复录入"},
    AuditEvent.WORKSTATION_ACTIVATED: {"county_url": "http://county", "county_name": "示例县"},
    AuditEvent.ACTIVATION_REFUSED: {"county_url": "http://county"},
    AuditEvent.NUMBER_REFUSED: {"case": "c-1", "code": "taken", "message": "编号已被占用"},
    AuditEvent.EVALUATION_RECORDED: {
        "evaluation": "019a0000-0000-7000-8000-000000000001",
        "service": "intake",
        "level": 4,
        "reasons": ["attitude", "many_trips"],
        "anonymous": False,
        "staff": "clerk1",
        "task_due": "2026-03-09",
    },
    AuditEvent.RECTIFICATION_STEP: {
        "evaluation": "019a0000-0000-7000-8000-000000000001",
        "step": "call_back",
        "outcome": "basically_satisfied",
        "state": "to_close",
    },
    AuditEvent.MONTHLY_REPORT: {
        "month": "2026-11",
        "cases": 312,
        "full_ids": False,
        "workbook": "月度报表-2026-11.xlsx",
        "pdf": "月度报表-2026-11.pdf",
        "archived": [3, 4],
        "workbook_sha256": "0a1b2c3d-4e5f6a7b",
        "pdf_sha256": "1b2c3d4e-5f6a7b8c",
    },
    AuditEvent.FULL_ID_EXPORT: {
        "month": "2026-11",
        "applicants": 290,
        "workbook": "月度报表-2026-11-含完整身份证号.xlsx",
    },
}
CASE_DETAIL: dict[str, JsonValue] = {"seq": 2, "from": "received", "to": "accepted"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def every_kind() -> list[str]:
    """Every event kind the code can record: the named events and one per case action."""
    return [*(e.value for e in AuditEvent), *(case_event(a.value) for a in Action)]


def looks_like_json(text: str) -> bool:
    return any(mark in text for mark in ('{"', '":', "[", "]", "true", "false", "null"))


@pytest.mark.parametrize("event", every_kind())
def test_every_event_kind_has_a_chinese_sentence(event: str) -> None:
    assert has_sentence(event), f"no sentence for {event}"
    detail = SAMPLES.get(event, CASE_DETAIL)
    text = describe(event, "clerk1", "511899101000-W01-2026-000012", detail)
    assert text.startswith("clerk1 ")
    assert len(CJK.findall(text)) >= 3, text
    assert not looks_like_json(text), text
    assert "user_id" not in text and "_" not in text.replace("-", ""), text


def test_samples_cover_every_named_event() -> None:
    assert set(SAMPLES) == {e.value for e in AuditEvent}
    assert set(every_kind()) <= set(SENTENCES)


def test_every_event_the_code_records_is_a_named_kind() -> None:
    """``AuditEvent.X`` and ``case.…`` are how app/ names what it records; no bare strings."""
    used: set[str] = set()
    for path in APP.rglob("*.py"):
        used.update(re.findall(r"AuditEvent\.([A-Z_]+)", path.read_text(encoding="utf-8")))
        assert not re.search(r'event="[a-z_]+"', path.read_text(encoding="utf-8")), path
    assert used <= {e.name for e in AuditEvent}


def test_sentences_read_as_the_auditor_expects() -> None:
    assert describe("login_ok", "clerk1", "clerk1", SAMPLES["login_ok"]) == (
        "clerk1 登录成功，角色：窗口受理员"
    )
    assert describe("login_failed", "clerk1", "clerk1", SAMPLES["login_failed"]) == (
        "clerk1 登录失败：密码错误（连续第 2 次失败）"
    )
    assert describe("login_failed", "nobody", "nobody", {"reason": "unknown_user"}) == (
        "以用户名 nobody 登录失败：用户名不存在"
    )
    assert describe("login_locked", "clerk1", "clerk1", SAMPLES["login_locked"]) == (
        "clerk1 连续登录失败，账号锁定至 2026-03-02 10:15"  # China time
    )
    assert describe("settings_changed", "admin1", "settings", SAMPLES["settings_changed"]) == (
        "admin1 修改设置：将「无操作自动锁屏（分钟）」由 15 改为 10"
    )
    assert describe(
        "settings_changed", "admin1", "settings", {"complaint_phone": {"changed": True}}
    ) == ("admin1 修改设置：修改了「投诉监督电话」（内容不记入日志）")
    verified = SAMPLES["audit_verified"]
    assert describe("audit_verified", "auditor1", None, verified) == (
        "auditor1 校验审计日志：通过，共校验 120 条"
    )
    broken = {"ok": False, "checked": 7, "first_broken_id": 7}
    assert describe("audit_verified", "auditor1", None, broken) == (
        "auditor1 校验审计日志：未通过，第 7 条记录起不可信（已校验 7 条）"
    )
    assert describe("case.accept", "clerk1", "R-1", CASE_DETAIL) == (
        "clerk1 受理：状态由「已收件」变为「已受理」；收件号 R-1（第 2 次操作）"
    )
    assert describe("case.deliver", "clerk1", "R-1", {**CASE_DETAIL, "item": "高龄津贴"}) == (
        "clerk1 出件：高龄津贴，状态由「已收件」变为「已受理」；收件号 R-1（第 2 次操作）"
    )
    assert describe("roles_changed", "admin1", "clerk9", SAMPLES["roles_changed"]) == (
        "admin1 将 clerk9 的角色由「窗口受理员」改为「后台审批人员」"
    )
    assert describe("print", "clerk1", "R-1", {**SAMPLES["print"], "reprint": True}) == (
        "clerk1 补打「受理通知书」（收件号 R-1），文书存档编号 5"
    )
    assert describe(
        "catalog_loaded",
        "county",
        "catalog:2026.2",
        {"items": 3, "templates": 3, "county_release": 4},
    ) == ("县级系统 下发事项目录（版本 2026.2）：3 个事项、3 个表单模板，县级发布号 4")


def test_unknown_keys_and_kinds_read_as_pairs_never_json() -> None:
    text = describe("logout", "clerk1", "clerk1", {"reason": "idle", "extra": [1, 2], "n": None})
    assert text == "clerk1 退出登录；原因：idle；extra：1、2；n：无"
    newer = describe("report_made", "clerk1", None, {"rows": 3, "ok": True, "where": {"k": "v"}})
    assert newer == "clerk1 事件（report_made）；rows：3；校验结果：是；where（k：v）"
    assert detail_json({"b": 1, "a": "中"}) == '{"a": "中", "b": 1}'


def test_real_entries_of_a_centre_read_as_sentences(centre: Centre) -> None:
    """What the use cases really write: an intake and a settings change."""
    change = centre.walk_in("最低生活保障")
    with centre.store.session() as session:
        save_settings(session, centre.actor("admin"), {"idle_lock_minutes": 5})
    with centre.store.reader() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        sentences = [describe(e.event, e.actor, e.subject, e.detail) for e in entries]
        assert audit.verify(session).ok
    received = f"clerk 收件：最低生活保障，状态为「已收件」；收件号 {change.receipt_no}"
    received += "（第 1 次操作）"
    assert received in sentences
    assert "admin 修改设置：将「无操作自动锁屏（分钟）」由 10 改为 5" in sentences
    assert all(not looks_like_json(s) for s in sentences), sentences
