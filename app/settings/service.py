"""The administrator's use cases for the centre's settings (``app.settings``) and for loading
the catalogue in force from files.

Saving settings is all-or-nothing: every value is checked first (each problem names its field),
then all are written with one audit entry in one transaction. Both need the administrator's
permission; a refusal is audited (``app.audit.authorize``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from app import settings
from app.actor import Actor
from app.audit import AuditEvent, JsonValue, authorize, record_for
from app.errors import ValidationError
from app.permissions import Permission, require
from app.units.declare import reads_guarded, writes
from app.validators import check_division_code, normalize_text

__all__ = [
    "EDITABLE",
    "SettingValue",
    "read_settings",
    "save_settings",
]

#: The options the admin screen edits, in the order it shows them.
EDITABLE: tuple[settings.Option[Any], ...] = (
    settings.CENTRE_NAME,
    settings.TOWN_CODE,
    settings.WORKSTATION_CODE,
    settings.LOCKOUT_MAX_FAILURES,
    settings.LOCKOUT_MINUTES,
    settings.IDLE_LOCK_MINUTES,
    settings.YELLOW_AT_WORKING_DAYS,
    settings.COMPLAINT_PHONE,
    settings.RECTIFY_DAYS,
    settings.PROGRESS_URL,
    settings.OUT_OF_COUNTY_CODES,
    settings.IDCARD_READER,
    settings.IDCARD_SIMULATOR_FILE,
    settings.IDCARD_SIMULATOR_PORT,
    settings.IDCARD_SDK_LIBRARY,
    settings.IDCARD_SDK_PORT,
)
_BY_KEY = {option.key: option for option in EDITABLE}

# Upper bounds that keep a typo (600 instead of 60) from locking a centre out for days.
_INT_RANGES: dict[str, tuple[int, int]] = {
    settings.LOCKOUT_MAX_FAILURES.key: (1, 20),
    settings.LOCKOUT_MINUTES.key: (1, 1440),
    settings.IDLE_LOCK_MINUTES.key: (1, 240),
    settings.YELLOW_AT_WORKING_DAYS.key: (1, 30),
    settings.RECTIFY_DAYS.key: (1, 30),
    settings.IDCARD_SDK_PORT.key: (1, 9999),
}
_WORKSTATION = re.compile(r"[A-Z0-9]{1,8}")
_HOTLINE = re.compile(r"[0-9]{3,12}(-[0-9]{3,8})?")
# Values that may hold personal data (a mobile number) stay out of the audit detail.
_NOT_AUDITED = {settings.COMPLAINT_PHONE.key}


@dataclass(frozen=True)
class SettingValue:
    key: str
    label: str
    value: str | int


def _text(option: settings.Option[Any], raw: Any, max_length: int) -> str:
    text = str(raw).strip() if raw is not None else ""
    if not text:
        raise ValidationError(option.label, f"请填写{option.label}")
    if len(text) > max_length:
        raise ValidationError(option.label, f"{option.label}不能超过{max_length}个字符")
    return text


def _positive_int(option: settings.Option[Any], raw: Any) -> int:
    low, high = _INT_RANGES[option.key]
    number: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        number = raw
    elif isinstance(raw, str) and normalize_text(raw).isdigit():
        number = int(normalize_text(raw))
    if number is None or number <= 0:
        raise ValidationError(option.label, f"{option.label}应为正整数")
    if not low <= number <= high:
        raise ValidationError(option.label, f"{option.label}应在{low}至{high}之间")
    return number


def _town_code(option: settings.Option[Any], raw: Any) -> str:
    check = check_division_code(str(raw or ""), option.label)
    if check.error:
        message = check.error + (f"（{check.suggestion}）" if check.suggestion else "")
        raise ValidationError(option.label, message)
    return check.value


def _workstation(option: settings.Option[Any], raw: Any) -> str:
    code = normalize_text(str(raw or ""))
    if not code:
        raise ValidationError(option.label, f"请填写{option.label}")
    if not _WORKSTATION.fullmatch(code):
        raise ValidationError(
            option.label, f"{option.label}应为1至8位英文字母或数字（如 W01），不含横线"
        )
    return code


def _hotline(option: settings.Option[Any], raw: Any) -> str:
    phone = normalize_text(str(raw or ""))
    if not phone:
        raise ValidationError(option.label, f"请填写{option.label}")
    if not _HOTLINE.fullmatch(phone):
        raise ValidationError(
            option.label, f"{option.label}应为电话号码（如 12345 或 0571-87654321）"
        )
    return phone


def _progress_url(option: settings.Option[Any], raw: Any) -> str:
    """The county's public address of the progress page; empty: the receipts carry no QR code."""
    url = str(raw or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.fragment:
        raise ValidationError(
            option.label, f"{option.label}应为 http:// 或 https:// 开头的网址（不含 # 及其后内容）"
        )
    if len(url) > 200:
        raise ValidationError(option.label, f"{option.label}不能超过200个字符")
    return url


_READER_KINDS = ("none", "simulator", "sdk")  # app.idcard.config.ReaderKind
OUT_OF_COUNTY_RULES = ("warn", "refuse")  # app.divisions.policy.OutOfCounty


def _out_of_county(option: settings.Option[Any], raw: Any) -> str:
    rule = str(raw or "").strip()
    if rule not in OUT_OF_COUNTY_RULES:
        raise ValidationError(option.label, f"{option.label}应为“提醒核对”或“不予通过”")
    return rule


def _reader_kind(option: settings.Option[Any], raw: Any) -> str:
    kind = str(raw or "").strip()
    if kind not in _READER_KINDS:
        raise ValidationError(option.label, f"{option.label}应为不使用、模拟读卡器或厂商阅读器")
    return kind


def _path(option: settings.Option[Any], raw: Any) -> str:
    """A file path; empty allowed (the simulator's demo cards, or no library yet)."""
    text = str(raw or "").strip()
    if len(text) > 260:
        raise ValidationError(option.label, f"{option.label}不能超过260个字符")
    return text


def _local_port(option: settings.Option[Any], raw: Any) -> int:
    text = normalize_text(str(raw if raw is not None else ""))
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise ValidationError(option.label, f"{option.label}应为0至65535之间的整数（0为不使用）")
    return int(text)


_CHECKS: dict[str, Callable[[settings.Option[Any], Any], str | int]] = {
    settings.CENTRE_NAME.key: lambda option, raw: _text(option, raw, 50),
    settings.TOWN_CODE.key: _town_code,
    settings.WORKSTATION_CODE.key: _workstation,
    settings.COMPLAINT_PHONE.key: _hotline,
    settings.OUT_OF_COUNTY_CODES.key: _out_of_county,
    settings.PROGRESS_URL.key: _progress_url,
    settings.IDCARD_READER.key: _reader_kind,
    settings.IDCARD_SIMULATOR_FILE.key: _path,
    settings.IDCARD_SIMULATOR_PORT.key: _local_port,
    settings.IDCARD_SDK_LIBRARY.key: _path,
    **{key: _positive_int for key in _INT_RANGES},
}


def _current(session: Session) -> list[SettingValue]:
    return [SettingValue(o.key, o.label, o.get(session)) for o in EDITABLE]


@reads_guarded(Permission.SETTINGS_EDIT)
def read_settings(session: Session, actor: Actor) -> list[SettingValue]:
    """Every editable setting with its current value (its default if never written)."""
    require(actor, Permission.SETTINGS_EDIT)  # a refusal is recorded by the guarded unit
    with session.begin():
        return _current(session)


def checked_values(values: Mapping[str, Any]) -> dict[str, str | int]:
    """The values cleaned, or :class:`ValidationError` for the first bad one (field named)."""
    cleaned: dict[str, str | int] = {}
    for key, raw in values.items():
        option = _BY_KEY.get(key)
        if option is None:
            raise ValidationError("设置项", f"没有“{key}”这一设置项")
        cleaned[key] = _CHECKS[key](option, raw)
    library = settings.IDCARD_SDK_LIBRARY
    if cleaned.get(settings.IDCARD_READER.key) == "sdk" and cleaned.get(library.key) == "":
        raise ValidationError(library.label, f"使用厂商阅读器时请填写{library.label}")
    return cleaned


@writes
def save_settings(session: Session, actor: Actor, values: Mapping[str, Any]) -> list[SettingValue]:
    """Check every value, then write them all (or nothing) and audit what changed."""
    authorize(session, actor, Permission.SETTINGS_EDIT)
    cleaned = checked_values(values)
    with session.begin():
        changes: dict[str, JsonValue] = {}
        for key, value in cleaned.items():
            option = _BY_KEY[key]
            before = option.get(session)
            if before == value:
                continue
            option.set(session, value)
            changes[key] = (
                {"changed": True} if key in _NOT_AUDITED else {"before": before, "after": value}
            )
        if changes:
            record_for(session, actor, AuditEvent.SETTINGS_CHANGED, "settings", changes)
        session.flush()
        return _current(session)
