"""What a document says about a case, read from the store as plain text: the layout's
``{placeholders}`` and the lists its tables show. ID numbers are masked here, before anything
reaches the renderer, so no full number can end up in a PDF.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import settings
from app.accounts.identity import masked
from app.cases.decisions import get_case
from app.cases.log import in_fold_order
from app.workflow.fold import local_date
from app.workflow.states import Action
from db.models import Applicant, Case, Item, MaterialReceived, ProxyAuthorization, User

FACT_NAMES = frozenset(
    {
        "title",
        "reprint_mark",
        "centre_name",
        "complaint_phone",
        "consult_phone",
        "case_no",
        "receipt_no",
        "provisional",
        "item_name",
        "item_code",
        "handling_kind",
        "implementing_body",
        "handling_location",
        "item_result",
        "promised_limit",
        "legal_limit",
        "applicant_name",
        "applicant_id_label",
        "applicant_id",
        "received_on",
        "accepted_on",
        "due_date",
        "due_note",
        "issued_on",
        "printed_by",
        "materials_count",
        "deficiency_due",
        "competent_organ",
        "extension_kind",
        "extension_days",
        "extension_reason",
        "decision_result",
        "result_no",
        "decided_on",
        "delivered_on",
        "delivery_method",
        "collector_name",
        "collector_id",
        "tracking_no",
        "mail_address",
        "authorization_no",
        "proxy_name",
        "proxy_valid",
        "proxy_collect",
        "signed_on",
        "query_password",
        "progress_url",
        "progress_link",
    }
)


@dataclass(frozen=True)
class MaterialFact:
    name: str
    form: str  # 原件 / 复印件 / …
    copies: int
    pending: bool  # 容缺: still to be supplied
    due_on: str  # "" unless pending


@dataclass(frozen=True)
class DocumentFacts:
    values: dict[str, str]
    materials: list[MaterialFact] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (material, what / how)
    reasons: list[str] = field(default_factory=list)  # 不予受理理由
    decision_reasons: list[str] = field(default_factory=list)
    matters: list[str] = field(default_factory=list)  # 代办事项 (item names)

    def lists(self, source: str) -> list[str]:
        chosen: list[str] = getattr(self, source)
        return chosen


def cn_date(day: dt.date | None) -> str:
    """``2026年4月7日`` (the form printed on notices); "" for no date."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _limit(days: int, unit: str) -> str:
    if days == 0:
        return "即办"
    return f"{days}个{'工作日' if unit == 'working' else '自然日'}"


def _last_actions(
    session: Session, case_id: int
) -> tuple[dict[Action, dict[str, Any]], dict[Action, dt.date]]:
    """The payload and local date of the latest action of each kind in the case's log."""
    payloads: dict[Action, dict[str, Any]] = {}
    days: dict[Action, dt.date] = {}
    for row in session.scalars(in_fold_order(case_id)):
        action, payload, at = row.action, row.payload, row.occurred_at
        payloads[Action(action)] = dict(payload or {})
        days[Action(action)] = local_date(at)
    return payloads, days


def _texts(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _applicant(applicant: Applicant) -> dict[str, str]:
    if applicant.id_number:
        return {"applicant_id_label": "身份证号", "applicant_id": masked(applicant.id_number)}
    return {"applicant_id_label": "统一社会信用代码", "applicant_id": applicant.uscc or ""}


def _number(case: Case) -> dict[str, str]:
    if case.official_no:
        return {"case_no": case.official_no, "provisional": ""}
    return {"case_no": f"{case.receipt_no}（收件号，待县级系统确认）", "provisional": "是"}


def _progress(url: str, case: Case) -> dict[str, str]:
    """The 查询密码 and, where the county's page has an address, the link its QR code holds:
    the 收件号 (known from the first print on) and the password after ``#``, which a browser
    never sends, so neither reaches a server log."""
    password = case.query_password or ""
    link = ""
    if url and password:
        link = f"{url}#{urlencode({'n': case.receipt_no, 'p': password})}"
    return {"query_password": password, "progress_url": url, "progress_link": link}


def _extension(last: dict[Action, dict[str, Any]], case: Case) -> dict[str, str]:
    extend, suspend = last.get(Action.EXTEND), last.get(Action.SUSPEND)
    if extend is not None and (suspend is None or case.extension_days):
        return {
            "extension_kind": "延期",
            "extension_days": f"{extend.get('days', case.extension_days)}个工作日",
            "extension_reason": str(extend.get("reason", "")),
        }
    if suspend is not None:
        kind = "受理后补正" if suspend.get("kind") == "supplement" else "特别程序"
        return {
            "extension_kind": kind,
            "extension_days": f"预计{suspend.get('expected_days', '')}个工作日（不计入办理时限）",
            "extension_reason": str(suspend.get("reason", "")),
        }
    return {"extension_kind": "", "extension_days": "", "extension_reason": ""}


_METHODS = {"window": "窗口本人领取", "mail": "邮寄送达", "proxy": "代办员代领"}


def _delivery(payload: dict[str, Any] | None) -> dict[str, str]:
    p = payload or {}
    return {
        "delivery_method": _METHODS.get(str(p.get("method", "")), ""),
        "collector_name": str(p.get("collector_name", "")),
        "collector_id": str(p.get("collector_id", "")),
        "tracking_no": str(p.get("tracking_no", "")),
        "mail_address": str(p.get("address", "")),
    }


def _proxy(session: Session, case: Case) -> tuple[dict[str, str], list[str]]:
    auth = session.get(ProxyAuthorization, case.authorization_id) if case.authorization_id else None
    if auth is None:
        blank = {"authorization_no": "", "proxy_name": "", "proxy_valid": "", "signed_on": ""}
        return blank | {"proxy_collect": ""}, []
    proxy = session.get(User, auth.proxy_user_id)
    query = select(Item.code, Item.name).where(Item.code.in_(auth.matters))
    names = {code: name for code, name in session.execute(query)}
    return {
        "authorization_no": auth.authorization_no,
        "proxy_name": proxy.display_name if proxy else "",
        "proxy_valid": f"{cn_date(auth.valid_from)}至{cn_date(auth.valid_until)}",
        "proxy_collect": "是（可代为领取办理结果）" if auth.may_collect else "否",
        "signed_on": cn_date(auth.signed_on),
    }, [names.get(code, code) for code in auth.matters]


def gather(
    session: Session, case_id: int, *, title: str, reprint: bool, printed_by: str, today: dt.date
) -> DocumentFacts:
    """Everything any document of the case can print (the caller has checked visibility)."""
    case = get_case(session, case_id)
    item = session.get(Item, case.item_id)
    applicant = session.get(Applicant, case.applicant_id)
    assert item is not None and applicant is not None  # foreign keys
    detail = item.detail or {}
    last, days = _last_actions(session, case_id)
    refused = last.get(Action.REFUSE, {})
    decided = last.get(Action.DECIDE, {})
    proxy_values, matters = _proxy(session, case)
    rows = session.scalars(
        select(MaterialReceived)
        .where(MaterialReceived.case_id == case_id)
        .order_by(MaterialReceived.id)
    )
    materials = [
        MaterialFact(m.name, m.form, m.copies, m.pending, cn_date(m.due_on) if m.pending else "")
        for m in rows
    ]
    due_note = "（节假日安排未发布，日期仅供参考）" if case.due_provisional else ""
    values = {
        "title": title,
        "reprint_mark": "（补打）" if reprint else "",
        "centre_name": settings.CENTRE_NAME.get(session),
        "complaint_phone": settings.COMPLAINT_PHONE.get(session),
        "consult_phone": str(detail.get("consult_phone") or ""),
        "receipt_no": case.receipt_no,
        "item_name": item.name,
        "item_code": item.code,
        "handling_kind": item.handling_kind,
        "implementing_body": str(detail.get("implementing_body") or ""),
        "handling_location": str(detail.get("handling_location") or ""),
        "item_result": str(detail.get("result") or ""),
        "promised_limit": _limit(item.promised_limit_days, item.promised_limit_unit),
        "legal_limit": _limit(item.legal_limit_days, item.legal_limit_unit),
        "applicant_name": applicant.name,
        "received_on": cn_date(local_date(case.received_at) if case.received_at else None),
        "accepted_on": cn_date(case.accepted_on),
        "due_date": cn_date(case.due_date),
        "due_note": due_note,
        "issued_on": cn_date(today),
        "printed_by": printed_by,
        "materials_count": str(sum(1 for m in materials if not m.pending)),
        "deficiency_due": cn_date(case.deficiency_due),
        "competent_organ": str(refused.get("competent_organ") or ""),
        "decision_result": {"approved": "准予", "denied": "不予"}.get(case.result or "", ""),
        "result_no": case.result_no or "",
        "decided_on": cn_date(days.get(Action.DECIDE)),
        "delivered_on": cn_date(days.get(Action.DELIVER)),
    }
    values |= _number(case) | _applicant(applicant) | _extension(last, case)
    values |= _progress(settings.PROGRESS_URL.get(session).strip(), case)
    values |= _delivery(last.get(Action.DELIVER)) | proxy_values
    missing = [
        (str(m.get("name", "")), str(m.get("how", "") or m.get("reason", "")))
        for m in last.get(Action.REQUEST_SUPPLEMENT, {}).get("missing", [])
        if isinstance(m, dict)
    ]
    assert set(values) == FACT_NAMES, set(values) ^ FACT_NAMES
    return DocumentFacts(
        values={k: scrub(v) for k, v in values.items()},
        materials=materials,
        missing=[(scrub(name), scrub(how)) for name, how in missing],
        reasons=[scrub(r) for r in _texts(refused.get("reasons"))],
        decision_reasons=[scrub(r) for r in _texts(decided.get("reasons"))],
        matters=matters,
    )


_ID_IN_TEXT = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def scrub(text: str) -> str:
    """``text`` with any full ID number masked (free text typed at the window may hold one)."""
    return _ID_IN_TEXT.sub(lambda m: masked(m.group(0)), text)
