"""The hash-chained audit log (DESIGN §8): every case action, login, print, export and full-ID view.

Each entry stores the SHA-256 of the entry before it (``prev_hash``; 64 zeros for the first) and
its own hash over the canonical JSON of all its fields including ``prev_hash`` — so changing,
removing or reordering an entry breaks the chain at that point, and :func:`verify` names the
first broken entry. The table is append-only (SQLite triggers refuse UPDATE and DELETE) and
``prev_hash`` is unique, so two writers can never fork the chain.

Limits, stated plainly: someone holding the store key can drop the triggers and rewrite the whole
chain from some entry onwards, or cut entries off its end; only a copy of the newest hash kept
elsewhere (``AuditVerification.head_hash``, e.g. sent to the county) can reveal that.

Entries are written inside the caller's transaction, so an action and its audit entry commit or
roll back together. ``detail`` holds ids, case numbers, codes and reasons — never a full ID number,
a phone number or a password (:func:`record` refuses those as a programming error).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeAlias

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from app.actor import Actor
from app.errors import PermissionDenied, ValidationError
from app.permissions import Permission, require
from app.units.declare import reads_guarded, writes
from app.validators import id_check_digit
from app.workflow.states import Action
from db.base import utcnow
from db.models import AuditEntry

__all__ = [
    "GENESIS_HASH",
    "AuditEvent",
    "AuditRow",
    "AuditVerification",
    "JsonValue",
    "authorize",
    "case_event",
    "entry_hash",
    "event_label",
    "find_personal_data",
    "read_entries",
    "record",
    "record_for",
    "verify",
    "verify_as",
]

JsonValue: TypeAlias = (
    str | int | float | bool | Sequence["JsonValue"] | Mapping[str, "JsonValue"] | None
)

GENESIS_HASH = "0" * 64
MAX_PAGE = 1000
# Column widths of ``audit_log`` (SQLite would not enforce them; we do).
_WIDTHS = {"actor": 64, "workstation": 40, "event": 40, "subject": 100}


class AuditEvent(StrEnum):
    LOGIN_OK = "login_ok"
    LOGIN_FAILED = "login_failed"  # every refused attempt; detail.reason says why
    LOGIN_LOCKED = "login_locked"  # the account has just been locked
    LOGOUT = "logout"
    # The workstation's idle or manual lock and its unlock by the same user: not a sign-in.
    WORKSTATION_LOCKED = "workstation_locked"  # detail.reason: manual | idle
    WORKSTATION_UNLOCKED = "workstation_unlocked"
    UNLOCK_FAILED = "unlock_failed"  # a refused unlock; counts towards the lockout like a login
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_CHANGE_FAILED = "password_change_failed"
    PASSWORD_RESET = "password_reset"
    USER_CREATED = "user_created"
    ROLES_CHANGED = "roles_changed"
    LOCKOUT_RESET = "lockout_reset"
    USER_ENABLED = "user_enabled"
    USER_DISABLED = "user_disabled"
    PERMISSION_DENIED = "permission_denied"
    AUDIT_VERIFIED = "audit_verified"
    FULL_ID_VIEW = "full_id_view"
    PRINT = "print"
    EXPORT = "export"
    CATALOG_LOADED = "catalog_loaded"
    CALENDAR_YEAR_ADDED = "calendar_year_added"
    SETTINGS_CHANGED = "settings_changed"
    SYNC_WITHDRAWN = "sync_withdrawn"  # a parked action withdrawn by a person
    WORKSTATION_ACTIVATED = "workstation_activated"  # linked to the county (desktop)
    ACTIVATION_REFUSED = "activation_refused"  # the county refused the activation code
    NUMBER_REFUSED = "number_refused"  # a 办件编号 given back after a restore, not taken
    # 好差评: a resident's rating at the window (actor "resident"), a step of a 差评's task.
    EVALUATION_RECORDED = "evaluation_recorded"
    RECTIFICATION_STEP = "rectification_step"
    # The monthly report (workbook + PDF) made and archived; a report asked for with full IDs.
    MONTHLY_REPORT = "monthly_report"
    FULL_ID_EXPORT = "full_id_export"


EVENT_LABELS: Mapping[str, str] = {
    AuditEvent.LOGIN_OK: "登录成功",
    AuditEvent.LOGIN_FAILED: "登录失败",
    AuditEvent.LOGIN_LOCKED: "账号锁定",
    AuditEvent.LOGOUT: "退出登录",
    AuditEvent.WORKSTATION_LOCKED: "锁定工作站",
    AuditEvent.WORKSTATION_UNLOCKED: "解锁工作站",
    AuditEvent.UNLOCK_FAILED: "解锁失败",
    AuditEvent.PASSWORD_CHANGED: "修改密码",
    AuditEvent.PASSWORD_CHANGE_FAILED: "修改密码失败",
    AuditEvent.PASSWORD_RESET: "重置密码",
    AuditEvent.USER_CREATED: "新建用户",
    AuditEvent.ROLES_CHANGED: "变更角色",
    AuditEvent.LOCKOUT_RESET: "解除锁定",
    AuditEvent.USER_ENABLED: "启用账号",
    AuditEvent.USER_DISABLED: "停用账号",
    AuditEvent.PERMISSION_DENIED: "越权操作被拒绝",
    AuditEvent.AUDIT_VERIFIED: "校验审计日志",
    AuditEvent.FULL_ID_VIEW: "查看完整身份证号",
    AuditEvent.PRINT: "打印",
    AuditEvent.EXPORT: "导出",
    AuditEvent.CATALOG_LOADED: "载入事项目录",
    AuditEvent.CALENDAR_YEAR_ADDED: "载入节假日安排",
    AuditEvent.SETTINGS_CHANGED: "修改设置",
    AuditEvent.SYNC_WITHDRAWN: "撤回暂挂的同步操作",
    AuditEvent.WORKSTATION_ACTIVATED: "激活工作站",
    AuditEvent.ACTIVATION_REFUSED: "激活被县级系统拒绝",
    AuditEvent.NUMBER_REFUSED: "县级系统未收回办件编号",
    AuditEvent.EVALUATION_RECORDED: "群众评价",
    AuditEvent.RECTIFICATION_STEP: "差评整改",
    AuditEvent.MONTHLY_REPORT: "生成月度报表",
    AuditEvent.FULL_ID_EXPORT: "导出完整身份证号",
}

CASE_EVENT_PREFIX = "case."


def case_event(action: str) -> str:
    """The event name of a case action, e.g. ``case.accept`` (the workflow engine's entries)."""
    return f"{CASE_EVENT_PREFIX}{action}"


def event_label(event: str) -> str:
    """Chinese name of an event for screens and the verifier's report."""
    if event in EVENT_LABELS:
        return EVENT_LABELS[event]
    if event.startswith(CASE_EVENT_PREFIX):
        action = event.removeprefix(CASE_EVENT_PREFIX)
        known = {a.value: a.label for a in Action}
        return f"办件操作：{known[action]}" if action in known else f"办件操作（{action}）"
    return event


# --- writing ------------------------------------------------------------------------------------


def _utc_text(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def _canonical_json(value: object) -> str:
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )


def entry_hash(
    *,
    occurred_at: datetime,
    actor: str,
    workstation: str,
    event: str,
    subject: str | None,
    detail: Mapping[str, JsonValue],
    prev_hash: str,
) -> str:
    """SHA-256 (hex) of the canonical JSON of every field of an entry except its id and hash."""
    fields = {
        "occurred_at": _utc_text(occurred_at),
        "actor": actor,
        "workstation": workstation,
        "event": event,
        "subject": subject,
        "detail": detail,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(_canonical_json(fields).encode("utf-8")).hexdigest()


# Personal data that must never reach ``detail`` (a bug in the caller, not a user error).
_ID_NUMBER = re.compile(r"(?<![0-9])([0-9]{17})([0-9Xx])(?![0-9])")
_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
_SECRET_KEYS = ("password", "passwd", "secret", "密码")
# A global identity (a case's, an operation's, an evaluation's uid): its hex digits may run to
# eleven that look like a mobile number, but it is a machine's id, never a person's data.
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def find_personal_data(value: JsonValue, key: str = "") -> str | None:
    """What in ``value`` looks like personal data (a valid ID number, a mobile number, a
    password-like key, or a non-finite number), or None."""
    if any(word in key.lower() for word in _SECRET_KEYS):
        return f"key {key!r} looks like a password"
    if isinstance(value, str):
        if _UUID.fullmatch(value):
            return None
        for match in _ID_NUMBER.finditer(value):
            if id_check_digit(match.group(1)) == match.group(2).upper():
                return f"{key or 'value'} holds an ID number"
        if _MOBILE.search(value):
            return f"{key or 'value'} holds a mobile number"
    elif isinstance(value, Mapping):
        for k, v in value.items():
            found = find_personal_data(v, str(k))
            if found:
                return found
    elif isinstance(value, list):
        for v in value:
            found = find_personal_data(v, key)
            if found:
                return found
    elif isinstance(value, float) and not math.isfinite(value):
        return f"{key or 'value'} is not a finite number"
    return None


def record(
    session: Session,
    *,
    actor: str,
    workstation: str,
    event: str,
    subject: str | None = None,
    detail: Mapping[str, JsonValue] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Append one entry to the chain, inside the caller's transaction (flushed, not committed).

    Raises ``ValueError`` for a programming error: a field too long for its column, a naive
    ``at``, or personal data (an ID number, a mobile number, a password-like key) in ``detail``.
    """
    for name, text in (("actor", actor), ("workstation", workstation), ("event", event)):
        if not text or len(text) > _WIDTHS[name]:
            raise ValueError(f"audit {name} must be 1..{_WIDTHS[name]} characters: {text!r}")
    if subject is not None and len(subject) > _WIDTHS["subject"]:
        raise ValueError(f"audit subject longer than {_WIDTHS['subject']} characters")
    occurred_at = utcnow() if at is None else at
    if occurred_at.tzinfo is None:
        raise ValueError("audit time must be timezone-aware")
    occurred_at = occurred_at.astimezone(UTC)
    # Round-trip through JSON: what is hashed is exactly what the column will give back.
    clean: dict[str, JsonValue] = json.loads(_canonical_json(dict(detail or {})))
    problem = find_personal_data(clean)
    if problem:
        raise ValueError(f"personal data must not go into the audit detail: {problem}")
    session.flush()  # earlier entries of this transaction first, so the chain order is the id order
    prev = session.scalar(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1))
    prev_hash = prev or GENESIS_HASH
    fields: dict[str, Any] = {
        "occurred_at": occurred_at,
        "actor": actor,
        "workstation": workstation,
        "event": event,
        "subject": subject,
        "detail": clean,
        "prev_hash": prev_hash,
    }
    entry = AuditEntry(**fields, entry_hash=entry_hash(**fields))
    session.add(entry)
    session.flush()
    return entry


def record_for(
    session: Session,
    actor: Actor,
    event: str,
    subject: str | None = None,
    detail: Mapping[str, JsonValue] | None = None,
    *,
    at: datetime | None = None,
) -> AuditEntry:
    """:func:`record` for a signed-in user at their workstation."""
    return record(
        session,
        actor=actor.username,
        workstation=actor.workstation,
        event=event,
        subject=subject,
        detail=detail,
        at=at,
    )


def authorize(
    session: Session, actor: Actor, permission: Permission, *, subject: str | None = None
) -> None:
    """:func:`app.permissions.require`, recording a refusal in the audit log before raising.

    Call it before opening the use case's transaction: the refusal is committed in its own.
    """
    try:
        require(actor, permission)
    except PermissionDenied:
        with session.begin():
            record_for(
                session,
                actor,
                AuditEvent.PERMISSION_DENIED,
                subject,
                {"permission": permission.value, "roles": sorted(r.value for r in actor.roles)},
            )
        raise


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRow:
    id: int
    occurred_at: datetime
    actor: str
    workstation: str
    event: str
    subject: str | None
    detail: Mapping[str, JsonValue] = field(hash=False)

    @property
    def event_label(self) -> str:
        return event_label(self.event)


@reads_guarded(Permission.AUDIT_READ)
def read_entries(
    session: Session,
    actor: Actor,
    *,
    limit: int,
    before_id: int | None = None,
    event: str | None = None,
) -> list[AuditRow]:
    """The newest entries first (older than ``before_id`` when paging), optionally of one event.

    Only the auditor may read the log (:attr:`Permission.AUDIT_READ`).
    """
    require(actor, Permission.AUDIT_READ)  # a refusal is recorded by the guarded unit
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError("每页条数", f"每页条数应在1至{MAX_PAGE}之间")
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    if event is not None:
        query = query.where(AuditEntry.event == event)
    return [
        AuditRow(
            id=e.id,
            occurred_at=e.occurred_at,
            actor=e.actor,
            workstation=e.workstation,
            event=e.event,
            subject=e.subject,
            detail=dict(e.detail),
        )
        for e in session.scalars(query)
    ]


# --- verifying ----------------------------------------------------------------------------------

REASON_MODIFIED = "内容被修改"
REASON_LINK_BROKEN = "链接断开"
REASON_MISSING = "缺失"


@dataclass(frozen=True)
class AuditVerification:
    ok: bool
    checked: int  # entries read, up to and including the first broken one
    first_broken_id: int | None = None
    first_broken_at: datetime | None = None
    first_broken_event: str | None = None
    reason: str | None = None  # 内容被修改 | 链接断开 | 缺失 (plus a short explanation)
    head_hash: str | None = None  # entry_hash of the newest entry, when the chain is whole

    @property
    def message(self) -> str:
        if self.ok:
            return f"审计日志校验通过：共 {self.checked} 条"
        when = (
            self.first_broken_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            if self.first_broken_at is not None
            else "时间无法读取"
        )
        event = self.first_broken_event or "未知事件"
        return (
            f"审计日志校验未通过：第 {self.first_broken_id} 条记录"
            f"（{when}，{event_label(event)} {event}）{self.reason}。"
            f"已校验 {self.checked} 条，此后的记录不再可信。"
        )


_RAW_COLUMNS = (
    AuditEntry.id,
    type_coerce(AuditEntry.occurred_at, String),
    AuditEntry.actor,
    AuditEntry.workstation,
    AuditEntry.event,
    AuditEntry.subject,
    type_coerce(AuditEntry.detail, String),
    AuditEntry.prev_hash,
    AuditEntry.entry_hash,
)


def _parse_time(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    except ValueError:
        return None


def _broken(
    checked: int, entry_id: int, at: datetime | None, event: str, reason: str
) -> AuditVerification:
    return AuditVerification(False, checked, entry_id, at, event, reason)


def verify(session: Session) -> AuditVerification:
    """Walk the whole chain in id order and name the first entry that does not hold.

    Reads raw column text, so an entry an attacker filled with garbage is reported, not crashed on.
    """
    expected_prev = GENESIS_HASH
    previous_id = 0
    checked = 0
    query = select(*_RAW_COLUMNS).order_by(AuditEntry.id).execution_options(yield_per=2000)
    for (
        entry_id,
        time_text,
        actor,
        workstation,
        event,
        subject,
        detail_text,
        prev,
        stored,
    ) in session.execute(query):
        checked += 1
        at = _parse_time(time_text)
        try:
            detail = json.loads(detail_text) if detail_text is not None else None
        except ValueError:
            detail = None
        if at is None or not isinstance(detail, dict):
            return _broken(checked, entry_id, at, event, f"{REASON_MODIFIED}（时间或详情无法读取）")
        computed = entry_hash(
            occurred_at=at,
            actor=actor,
            workstation=workstation,
            event=event,
            subject=subject,
            detail=detail,
            prev_hash=prev,
        )
        if computed != stored:
            return _broken(checked, entry_id, at, event, f"{REASON_MODIFIED}（内容与其校验值不符）")
        if prev != expected_prev:
            if entry_id != previous_id + 1:
                gap = "开头" if previous_id == 0 else f"第 {previous_id} 条之后"
                reason = f"之前的记录{REASON_MISSING}（{gap}的记录被删除）"
            else:
                reason = f"{REASON_LINK_BROKEN}（与前一条记录的校验值不符）"
            return _broken(checked, entry_id, at, event, reason)
        expected_prev = stored
        previous_id = entry_id
    return AuditVerification(True, checked, head_hash=None if checked == 0 else expected_prev)


@writes
def verify_as(session: Session, actor: Actor) -> AuditVerification:
    """:func:`verify` for the auditor's screen: needs ``AUDIT_VERIFY`` and is itself audited.

    One unit of work (the command line's ``onewindow audit verify`` uses :func:`verify` directly:
    whoever holds the store key can run it).
    """
    authorize(session, actor, Permission.AUDIT_VERIFY)
    with session.begin():
        result = verify(session)
        record_for(
            session,
            actor,
            AuditEvent.AUDIT_VERIFIED,
            detail={
                "ok": result.ok,
                "checked": result.checked,
                "first_broken_id": result.first_broken_id,
            },
        )
    return result
