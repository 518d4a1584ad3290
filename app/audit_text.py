"""The audit log's 详情 in words: one Chinese sentence per entry, for the auditor's screen.

:func:`describe` turns an entry's event kind, actor, subject and ``detail`` dict into a sentence
such as ``admin1 修改设置：将「无操作自动锁屏（分钟）」由 10 改为 15`` or
``clerk1 受理：最低生活保障，状态由「已收件」变为「已受理」；收件号 …（第 3 次操作）``.
Every event kind the code records has its own sentence (:data:`SENTENCES`; a test
enumerates :class:`app.audit.AuditEvent` and every case action); a detail key a sentence does
not use is still shown, as 「键：值」 pairs with the key named in Chinese where it is known — never
as raw JSON. Unknown event kinds (an entry written by a newer version) get the event's name and
the same pairs.

Nothing is unmasked or looked up: the sentence holds what the entry holds (the audit log keeps ids,
case numbers, item names, codes and reasons — never a full ID number, a phone number or a password).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Final

from app import settings
from app.actor import ROLE_LABELS
from app.audit import CASE_EVENT_PREFIX, AuditEvent, JsonValue, case_event, event_label
from app.evaluations.levels import LEVEL_LABELS, REASON_LABELS, SERVICE_LABELS
from app.evaluations.rectification import CALL_BACK_LABELS, STEP_LABELS, TASK_STATE_LABELS
from app.permissions import PERMISSION_LABELS
from app.printing.kinds import DOC_LABELS
from app.workflow.fold import CHINA_TZ
from app.workflow.states import ACTION_LABELS, STATE_LABELS, Action

__all__ = ["KEY_LABELS", "SENTENCES", "describe", "detail_json", "has_sentence"]

# Who wrote entries that no person made (app/sync/catalogue.py, app/demo/users.py).
ACTOR_LABELS: Final[Mapping[str, str]] = {
    "county": "县级系统",
    "demo-seed": "演示数据生成",
    "resident": "办事群众",  # a rating (好差评) at the window: the resident's, never an account's
}

#: Chinese names of the detail keys, for the 「键：值」 pairs of keys no sentence uses.
KEY_LABELS: Final[Mapping[str, str]] = {
    "user_id": "用户编号",
    "roles": "角色",
    "reason": "原因",
    "failures": "连续失败次数",
    "locked_until": "锁定至",
    "before": "变更前",
    "after": "变更后",
    "demo": "演示数据",
    "permission": "权限",
    "ok": "校验结果",
    "checked": "已校验条数",
    "first_broken_id": "首条异常记录",
    "purpose": "用途",
    "kind": "文书类型",
    "document_id": "文书存档编号",
    "sha256": "文书校验值（SHA-256）",
    "reprint": "补打",
    "reprint_of": "补打自存档编号",
    "release_id": "目录版本编号",
    "items": "事项数",
    "templates": "表单模板数",
    "files": "文件",
    "file": "文件",
    "county_release": "县级发布号",
    "year": "年份",
    "holidays": "节假日天数",
    "workdays": "调休上班天数",
    "source": "来源",
    "action": "操作",
    "county_url": "县级系统地址",
    "county_name": "县级系统名称",
    "case": "办件标识",
    "code": "代码",
    "message": "说明",
    "seq": "操作序号",
    "from": "原状态",
    "to": "新状态",
    "changed": "已修改",
    "item": "事项",
    "month": "统计月份",
}

_FAILURE_REASONS: Final[Mapping[str, str]] = {
    "wrong_password": "密码错误",
    "unknown_user": "用户名不存在",
    "locked": "账号处于锁定期",
    "disabled": "账号已停用",
    "no_roles": "账号未分配角色",
    "wrong_old_password": "原密码不正确",
}
_LOCK_REASONS: Final[Mapping[str, str]] = {"manual": "手动锁定", "idle": "无操作自动锁定"}
_PURPOSES: Final[Mapping[str, str]] = {"print": "打印", "save": "保存为PDF", "preview": "预览"}
_SOURCES: Final[Mapping[str, str]] = {"county": "县级系统下发", "admin": "管理员载入"}


class _Detail:
    """The entry's detail, remembering which keys the sentence used (the rest become pairs)."""

    def __init__(self, detail: Mapping[str, JsonValue]) -> None:
        self._detail = detail
        self.used: set[str] = set()

    def has(self, key: str) -> bool:
        return key in self._detail and self._detail[key] is not None

    def get(self, key: str) -> JsonValue:
        self.used.add(key)
        return self._detail.get(key)

    def text(self, key: str) -> str:
        return _value_text(self.get(key), key)

    def unused(self) -> list[str]:
        return [key for key in self._detail if key not in self.used]

    def rest(self) -> str:
        """The keys no sentence used, as 「键：值」 pairs joined by "；" ("" when none)."""
        return _pairs({key: self._detail[key] for key in self.unused()})


# --- values -------------------------------------------------------------------------------------


def _time_text(value: str) -> str | None:
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return None
    if at.tzinfo is None:
        return None
    return f"{at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}"


def _label(table: Mapping[str, str], value: str) -> str:
    return table.get(value, value)


def _value_text(value: JsonValue, key: str = "") -> str:
    """One value in words: 是/否, 无, lists joined by 、, roles and states by their names."""
    if value is None:
        return "无"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, str):
        if key == "roles" and value in _ROLES:
            return _ROLES[value]
        if key in ("from", "to") and value in _STATES:
            return _STATES[value]
        return (_time_text(value) if "T" in value else None) or value
    if isinstance(value, Mapping):
        return _pairs(value, inner=True) or "无"
    items = [_value_text(v, key) for v in value]
    return "、".join(items) if items else "无"


def _pairs(detail: Mapping[str, JsonValue], *, inner: bool = False) -> str:
    """「键：值」 pairs, keys in Chinese where known (nested mappings in （…）)."""
    parts = []
    for key, value in detail.items():
        name = KEY_LABELS.get(key) or _setting_label(key) or key
        text = _value_text(value, key)
        parts.append(f"{name}：{text}" if not isinstance(value, Mapping) else f"{name}（{text}）")
    return ("，" if inner else "；").join(parts)


_ROLES: Final[Mapping[str, str]] = {r.value: label for r, label in ROLE_LABELS.items()}
_STATES: Final[Mapping[str, str]] = {s.value: label for s, label in STATE_LABELS.items()}
_PERMISSIONS: Final[Mapping[str, str]] = {p.value: x for p, x in PERMISSION_LABELS.items()}
_DOCUMENTS: Final[Mapping[str, str]] = {k.value: x for k, x in DOC_LABELS.items()}


def _roles_text(value: JsonValue) -> str:
    if isinstance(value, list):
        names = [_label(_ROLES, str(v)) for v in value]
        return "、".join(names) if names else "无角色"
    return _value_text(value, "roles")


def _setting_label(key: str) -> str | None:
    """The admin screen's name of a setting (every Option declared in :mod:`app.settings`)."""
    for option in vars(settings).values():
        if isinstance(option, settings.Option) and option.key == key:
            return option.label
    return None


# --- sentences ----------------------------------------------------------------------------------

# (actor shown, subject, detail) -> the sentence after nothing else; the actor is already in words.
Sentence = Callable[[str, str, _Detail], str]


def _failure(d: _Detail) -> str:
    reason = _label(_FAILURE_REASONS, d.text("reason")) if d.has("reason") else "原因未记录"
    if d.has("failures"):
        reason += f"（连续第 {d.text('failures')} 次失败）"
    if d.has("locked_until"):
        reason += f"（锁定至 {d.text('locked_until')}）"
    return reason


def _login_failed(who: str, subject: str, d: _Detail) -> str:
    if d.get("reason") == "unknown_user":
        return f"以用户名 {subject or who} 登录失败：用户名不存在"
    return f"{who} 登录失败：{_failure(d)}"


def _roles_changed(who: str, subject: str, d: _Detail) -> str:
    return (
        f"{who} 将 {subject} 的角色由「{_roles_text(d.get('before'))}」"
        f"改为「{_roles_text(d.get('after'))}」"
    )


def _user_created(who: str, subject: str, d: _Detail) -> str:
    demo = "（演示账号）" if d.get("demo") is True else ""
    return f"{who} 新建用户 {subject}{demo}，角色：{_roles_text(d.get('roles'))}"


def _lockout_reset(who: str, subject: str, d: _Detail) -> str:
    was = d.get("locked_until")
    until = f"（原锁定至 {_value_text(was)}）" if isinstance(was, str) else ""
    return f"{who} 解除 {subject} 的登录锁定{until}"


def _permission_denied(who: str, subject: str, d: _Detail) -> str:
    permission = _label(_PERMISSIONS, d.text("permission"))
    on = f"（对象：{subject}）" if subject else ""
    return f"{who} 无「{permission}」权限，操作被拒绝{on}；当前角色：{_roles_text(d.get('roles'))}"


def _audit_verified(who: str, subject: str, d: _Detail) -> str:
    checked = d.text("checked")
    broken = d.get("first_broken_id")
    if d.get("ok") is True:
        return f"{who} 校验审计日志：通过，共校验 {checked} 条"
    where = f"第 {_value_text(broken)} 条记录起不可信" if broken is not None else "记录不可信"
    return f"{who} 校验审计日志：未通过，{where}（已校验 {checked} 条）"


def _full_id_view(who: str, subject: str, d: _Detail) -> str:
    whom = subject.removeprefix("applicant:")
    whom = f"申请人（编号 {whom}）" if whom != subject else subject or "申请人"
    return f"{who} 查看{whom}的完整身份证号，原因：{d.text('purpose')}"


def _print(who: str, subject: str, d: _Detail) -> str:
    kind = _label(_DOCUMENTS, d.text("kind"))
    how = _label(_PURPOSES, d.text("purpose")) if d.has("purpose") else "打印"
    if d.get("reprint") is True:  # a 补打: printed or saved again
        how = "补打" if how == "打印" else f"补打（{how}）"
    of = f"，补打自存档编号 {d.text('reprint_of')}" if d.has("reprint_of") else ""
    d.get("sha256")  # the digest stays in the tooltip's raw record: too long for a sentence
    return f"{who} {how}「{kind}」（收件号 {subject}），文书存档编号 {d.text('document_id')}{of}"


def _catalog_loaded(who: str, subject: str, d: _Detail) -> str:
    version = subject.removeprefix("catalog:")
    files = f"，文件：{d.text('files')}" if d.has("files") else ""
    release = f"，县级发布号 {d.text('county_release')}" if d.has("county_release") else ""
    verb = "下发" if d.has("county_release") else "载入"
    return (
        f"{who} {verb}事项目录（版本 {version}）：{d.text('items')} 个事项、"
        f"{d.text('templates')} 个表单模板{files}{release}"
    )


def _calendar_year(who: str, subject: str, d: _Detail) -> str:
    year = d.text("year") if d.has("year") else subject.removeprefix("calendar:")
    file = f"，文件：{d.text('file')}" if d.has("file") else ""
    source = f"（{_label(_SOURCES, d.text('source'))}）" if d.has("source") else ""
    return (
        f"{who} 载入 {year} 年节假日安排{source}：节假日 {d.text('holidays')} 天、"
        f"调休上班 {d.text('workdays')} 天{file}"
    )


def _settings_changed(who: str, subject: str, d: _Detail) -> str:
    changes = []
    for key in sorted(d.unused()):
        change = d.get(key)
        name = _setting_label(key) or KEY_LABELS.get(key) or key
        if isinstance(change, Mapping) and "before" in change and "after" in change:
            before, after = (_value_text(change[k], key) for k in ("before", "after"))
            changes.append(f"将「{name}」由 {before or '（空）'} 改为 {after or '（空）'}")
        elif isinstance(change, Mapping) and change.get("changed") is True:
            changes.append(f"修改了「{name}」（内容不记入日志）")
        else:
            changes.append(f"「{name}」：{_value_text(change, key)}")
    return f"{who} 修改设置：{'；'.join(changes) or '无变化'}"


def _sync_withdrawn(who: str, subject: str, d: _Detail) -> str:
    action = _label(_ACTIONS, d.text("action"))
    return f"{who} 撤回暂挂的同步操作「{action}」（收件号 {subject}），原因：{d.text('reason')}"


def _activated(who: str, subject: str, d: _Detail) -> str:
    name = d.text("county_name") if d.has("county_name") else "县级系统"
    return f"{who} 将工作站 {subject} 激活到 {name}（{d.text('county_url')}）"


def _activation_refused(who: str, subject: str, d: _Detail) -> str:
    return f"{who} 激活工作站 {subject} 被县级系统拒绝（{d.text('county_url')}）"


def _number_refused(who: str, subject: str, d: _Detail) -> str:
    why = d.text("message") if d.has("message") else "未说明原因"
    code = f"（{d.text('code')}）" if d.has("code") else ""
    return f"{who} 未收回交回的办件编号 {subject}：{why}{code}"


_LEVELS: Final[Mapping[str, str]] = {str(k.value): x for k, x in LEVEL_LABELS.items()}
_REASONS: Final[Mapping[str, str]] = {k.value: x for k, x in REASON_LABELS.items()}
_SERVICES: Final[Mapping[str, str]] = {k.value: x for k, x in SERVICE_LABELS.items()}
_STEPS: Final[Mapping[str, str]] = {k.value: x for k, x in STEP_LABELS.items()}
_TASK_STATES: Final[Mapping[str, str]] = {k.value: x for k, x in TASK_STATE_LABELS.items()}
_OUTCOMES: Final[Mapping[str, str]] = {k.value: x for k, x in CALL_BACK_LABELS.items()}


def _evaluation_recorded(who: str, subject: str, d: _Detail) -> str:
    service = _label(_SERVICES, d.text("service"))
    staff = f"（经办人 {d.text('staff')}）" if d.has("staff") else ""
    level = _label(_LEVELS, d.text("level"))
    reasons = d.get("reasons")
    why = ""
    if isinstance(reasons, list) and reasons:
        why = "，原因：" + "、".join(_label(_REASONS, str(r)) for r in reasons)
    named = "，匿名（不接受回访）" if d.get("anonymous") is True else ""
    task = f"；转中心负责人整改，期限 {d.text('task_due')}" if d.has("task_due") else ""
    d.get("evaluation")  # the uid: in the raw record, too long for a sentence
    number = f"收件号 {subject or '（无）'}"
    return f"{who} 评价「{service}」{staff}：{level}{why}{named}{task}；{number}"


def _rectification_step(who: str, subject: str, d: _Detail) -> str:
    step = _label(_STEPS, d.text("step"))
    found = d.get("founded")
    finding = "" if found is None else ("：属实" if found is True else "：不属实")
    outcome = f"：{_label(_OUTCOMES, d.text('outcome'))}" if d.has("outcome") else ""
    state = f"，整改状态变为「{_label(_TASK_STATES, d.text('state'))}」" if d.has("state") else ""
    d.get("evaluation")
    return f"{who} 差评整改「{step}」{finding}{outcome}{state}；收件号 {subject or '（无）'}"


def _month_text(d: _Detail) -> str:
    month = d.text("month")
    year, _, number = month.partition("-")
    return f"{year}年{int(number)}月" if number.isdigit() else month


def _monthly_report(who: str, subject: str, d: _Detail) -> str:
    ids = "含完整身份证号" if d.get("full_ids") is True else "身份证号已隐藏中间位"
    d.get("workbook_sha256")  # the digests stay in the tooltip's raw record
    d.get("pdf_sha256")
    kept = d.get("archived")
    numbers = "、".join(str(n) for n in kept) if isinstance(kept, list) else ""
    return (
        f"{who} 生成 {_month_text(d)} 月度报表（办件台账 {d.text('cases')} 件，{ids}），"
        f"存档：{d.text('workbook')}、{d.text('pdf')}"
        + (f"（报表存档编号 {numbers}）" if numbers else "")
    )


def _full_id_export(who: str, subject: str, d: _Detail) -> str:
    return (
        f"{who} 导出含完整身份证号的 {_month_text(d)} 月度报表"
        f"（{d.text('applicants')} 名申请人的完整身份证号），文件：{d.text('workbook')}"
    )


def _simple(text: str) -> Sentence:
    """The sentence ``{who} {text}``, ``{subject}`` in ``text`` replaced by the entry's subject."""

    def sentence(who: str, subject: str, d: _Detail) -> str:
        return f"{who} {text.format(subject=subject)}"

    return sentence


_ACTIONS: Final[Mapping[str, str]] = {a.value: label for a, label in ACTION_LABELS.items()}


def _case_action(action: Action) -> Sentence:
    """``clerk1 受理：最低生活保障，状态由「已收件」变为「已受理」；收件号 …（第 2 次操作）`` — what
    happened first, the number (also in the desk's 对象 column) after it."""

    def sentence(who: str, subject: str, d: _Detail) -> str:
        parts = [d.text("item")] if d.has("item") else []
        before, after = d.get("from"), d.get("to")
        if isinstance(after, str):
            after_text = _label(_STATES, after)
            if isinstance(before, str) and before != after:
                parts.append(f"状态由「{_label(_STATES, before)}」变为「{after_text}」")
            elif before is None:
                parts.append(f"状态为「{after_text}」")
            else:
                parts.append(f"状态仍为「{after_text}」")
        seq = f"（第 {d.text('seq')} 次操作）" if d.has("seq") else ""
        number = f"收件号 {subject or '（无）'}{seq}"
        what = f"{'，'.join(parts)}；" if parts else ""
        return f"{who} {action.label}：{what}{number}"

    return sentence


_E = AuditEvent
#: Every event kind the code records, with its sentence (a test checks none is missing).
SENTENCES: Final[Mapping[str, Sentence]] = {
    _E.LOGIN_OK: lambda who, subject, d: f"{who} 登录成功，角色：{_roles_text(d.get('roles'))}",
    _E.LOGIN_FAILED: _login_failed,
    _E.LOGIN_LOCKED: lambda who, subject, d: (
        f"{who} 连续登录失败，账号锁定至 {d.text('locked_until')}"
    ),
    _E.LOGOUT: _simple("退出登录"),
    _E.WORKSTATION_LOCKED: lambda who, subject, d: (
        f"{who} 锁定工作站（{_label(_LOCK_REASONS, d.text('reason'))}）"
    ),
    _E.WORKSTATION_UNLOCKED: _simple("输入密码解锁工作站"),
    _E.UNLOCK_FAILED: lambda who, subject, d: f"{who} 解锁工作站失败：{_failure(d)}",
    _E.PASSWORD_CHANGED: _simple("修改了本人密码"),
    _E.PASSWORD_CHANGE_FAILED: lambda who, subject, d: f"{who} 修改本人密码失败：{_failure(d)}",
    _E.PASSWORD_RESET: _simple("重置了 {subject} 的密码（首次登录须修改）"),
    _E.USER_CREATED: _user_created,
    _E.ROLES_CHANGED: _roles_changed,
    _E.LOCKOUT_RESET: _lockout_reset,
    _E.USER_ENABLED: _simple("启用账号 {subject}"),
    _E.USER_DISABLED: _simple("停用账号 {subject}"),
    _E.PERMISSION_DENIED: _permission_denied,
    _E.AUDIT_VERIFIED: _audit_verified,
    _E.FULL_ID_VIEW: _full_id_view,
    _E.PRINT: _print,
    _E.EXPORT: _simple("导出数据（对象：{subject}）"),
    _E.CATALOG_LOADED: _catalog_loaded,
    _E.CALENDAR_YEAR_ADDED: _calendar_year,
    _E.SETTINGS_CHANGED: _settings_changed,
    _E.SYNC_WITHDRAWN: _sync_withdrawn,
    _E.WORKSTATION_ACTIVATED: _activated,
    _E.ACTIVATION_REFUSED: _activation_refused,
    _E.NUMBER_REFUSED: _number_refused,
    _E.EVALUATION_RECORDED: _evaluation_recorded,
    _E.RECTIFICATION_STEP: _rectification_step,
    _E.MONTHLY_REPORT: _monthly_report,
    _E.FULL_ID_EXPORT: _full_id_export,
    **{case_event(a.value): _case_action(a) for a in Action},
}
# Keys a sentence says in words of its own, or which would say nothing to the auditor.
_QUIET_KEYS: Final[frozenset[str]] = frozenset({"user_id"})


def has_sentence(event: str) -> bool:
    return event in SENTENCES


def actor_text(actor: str) -> str:
    return ACTOR_LABELS.get(actor, actor)


def describe(event: str, actor: str, subject: str | None, detail: Mapping[str, JsonValue]) -> str:
    """The entry in one Chinese sentence; detail keys the sentence did not use follow as pairs."""
    d = _Detail(detail)
    d.used.update(_QUIET_KEYS)
    who = actor_text(actor)
    sentence = SENTENCES.get(event)
    if sentence is None:
        on = f"（对象：{subject}）" if subject else ""
        text = f"{who} {_unknown_label(event)}{on}"
    else:
        text = sentence(who, subject or "", d)
    rest = d.rest()
    return f"{text}；{rest}" if rest else text


def _unknown_label(event: str) -> str:
    if event.startswith(CASE_EVENT_PREFIX):
        return event_label(event)
    label = event_label(event)
    return label if label != event else f"事件（{event}）"


def detail_json(detail: Mapping[str, JsonValue]) -> str:
    """The raw detail as stored, for the auditor's tooltip."""
    return json.dumps(dict(detail), ensure_ascii=False, sort_keys=True)
