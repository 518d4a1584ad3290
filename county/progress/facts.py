"""What the progress page tells a resident who has the case's number and 查询密码: the case's
current step in plain words, its dates, what to bring, where to collect, and whose case it is
with the name and ID number masked. Nothing else of the case leaves here (no form data).

A number is a 收件号 or a 办件编号. A wrong password and an unknown number take the same work
(an unknown number is checked against a dummy hash) and get the same answer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.evaluations.query import matches, query_hash
from app.validators import mask_id_number, mask_name
from app.workcalendar import WorkCalendar
from app.workflow.fold import ActionRecord, Projection, fold, local_date
from app.workflow.rules import ItemRules
from app.workflow.states import Action, CaseState
from county.folds import logs_of, rules_of
from county.store.models import Centre, CountyCase, ItemVersion

MAX_NUMBER: Final = 64  # characters of a number worth looking up (the columns' width)
_DUMMY_UID: Final = "00000000-0000-0000-0000-000000000000"
_DUMMY_HASH: Final = query_hash(_DUMMY_UID, "------")  # matched by no password of digits
COLLECT_WINDOW: Final = "综合窗口"
PROVISIONAL: Final = "（节假日安排未发布，仅供参考）"

#: The step in plain words, beside the state's label.
STATE_NOTES: Final[Mapping[CaseState, str]] = {
    CaseState.DRAFT: "代办员正在填写申请，尚未提交。",
    CaseState.SUBMITTED: "申请已提交，等待窗口收件。",
    CaseState.RECEIVED: "窗口已收到您的材料，正在审查是否受理。",
    CaseState.ACCEPTED: "申请已受理，等待审查。",
    CaseState.AWAITING_SUPPLEMENT: "材料需要补正，请按下列清单一次性补齐后到窗口提交。",
    CaseState.REFUSED: "申请不予受理，理由见不予受理通知书。",
    CaseState.IN_REVIEW: "正在审查。",
    CaseState.WITH_COUNTY: "已上报县级部门审批。",
    CaseState.DECIDED: "已办结，等待出件。",
    CaseState.AWAITING_DELIVERY: "已办结，请到下列地点领取办理结果。",
    CaseState.DELIVERED: "办理结果已送达或领取。",
    CaseState.ARCHIVED: "已办结并归档。",
    CaseState.SUSPENDED: "办理时限暂停计算（特别程序），恢复后继续办理。",
    CaseState.WITHDRAWN: "申请已撤回。",
    CaseState.TERMINATED: "办理已终止。",
}


@dataclass(frozen=True)
class ProgressFacts:
    """The whole answer of a successful query (plain text; the page escapes it)."""

    number: str  # the 办件编号, else the 收件号
    receipt_no: str
    item_name: str
    state_label: str
    state_note: str
    step_name: str  # the review step under way ("" when none)
    received_on: str
    accepted_on: str
    due_on: str
    finished_on: str
    to_bring: tuple[str, ...]
    to_bring_title: str  # what the list is ("" when nothing is to be brought)
    collect_at: str
    applicant_name: str  # masked
    applicant_id: str  # masked ("" when the case names none)


def normalized(number: str) -> str:
    """The number as looked up: no spaces, upper case, cut to the columns' width."""
    return "".join(number.split()).upper()[:MAX_NUMBER]


def find_case(session: Session, number: str, password: str) -> CountyCase | None:
    """The case ``number`` names if ``password`` is its 查询密码; None otherwise, after the same
    hashing whether or not the number is known."""
    found = (
        session.scalars(
            select(CountyCase)
            .where(or_(CountyCase.receipt_no == number, CountyCase.official_no == number))
            .order_by(CountyCase.id)
            .limit(1)
        ).first()
        if number
        else None
    )
    if found is None or found.query_hash is None:
        matches(_DUMMY_UID, password, _DUMMY_HASH)  # the same work as a known number
        return None
    return found if matches(found.uid, password, found.query_hash) else None


def facts_of(session: Session, case: CountyCase, calendar: WorkCalendar) -> ProgressFacts:
    version = session.get(ItemVersion, case.item_version_id)
    centre = session.get(Centre, case.centre_code)
    assert version is not None and centre is not None  # foreign keys
    rules = rules_of(version)
    records = logs_of(session, [case.id]).get(case.id, [])
    p = fold(records, rules, calendar)
    state = p.state or CaseState(case.state)
    name, id_number = _applicant(records)
    title, to_bring = _to_bring(p, rules, records)
    return ProgressFacts(
        number=case.official_no or case.receipt_no,
        receipt_no=case.receipt_no,
        item_name=str(version.detail.get("name") or ""),
        state_label=state.label,
        state_note=STATE_NOTES[state],
        step_name=_step(p, rules),
        received_on=cn_date(local_date(p.received_at) if p.received_at else None),
        accepted_on=cn_date(p.accepted_on),
        due_on=cn_date(p.due_date)
        + ("（节假日安排未发布，仅供参考）" if p.due_provisional else ""),
        finished_on=cn_date(_last_day(records, Action.DECIDE)),
        to_bring=to_bring,
        to_bring_title=title,
        collect_at=f"{centre.name}{COLLECT_WINDOW}",
        applicant_name=mask_name(name),
        applicant_id=mask_id_number(id_number) if id_number else "",
    )


def cn_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _step(p: Projection, rules: ItemRules) -> str:
    if p.current_step is None or p.state not in (CaseState.IN_REVIEW, CaseState.WITH_COUNTY):
        return ""
    return rules.steps[p.current_step].name


def _last_day(records: Sequence[ActionRecord], action: Action) -> dt.date | None:
    days = [local_date(r.occurred_at) for r in records if r.action is action]
    return days[-1] if days else None


def _to_bring(
    p: Projection, rules: ItemRules, records: Sequence[ActionRecord]
) -> tuple[str, tuple[str, ...]]:
    """What the resident still has to bring: the 一次性告知 list while 待补正, the 容缺 materials
    still pending after a 容缺受理."""
    if p.state is CaseState.AWAITING_SUPPLEMENT:
        notices = [r for r in records if r.action is Action.REQUEST_SUPPLEMENT]
        missing = notices[-1].payload.get("missing", []) if notices else []
        lines = tuple(
            scrub(f"{m.get('name', '')}{'：' + how if (how := _how(m)) else ''}")
            for m in missing
            if isinstance(m, Mapping)
        )
        return "需补正的材料（一次性告知）", lines
    if p.deficiency and p.pending_materials:
        names = rules.material_names
        due = f"（请于{cn_date(p.deficiency_due)}前补交）" if p.deficiency_due else ""
        return f"容缺受理后待补交的材料{due}", tuple(names.get(k, k) for k in p.pending_materials)
    return "", ()


def _how(entry: Mapping[str, Any]) -> str:
    return str(entry.get("how") or entry.get("reason") or "")


def _applicant(records: Sequence[ActionRecord]) -> tuple[str, str]:
    """The applicant's name and ID number (or 统一社会信用代码) from the opening action's form."""
    if not records:
        return "", ""
    form = records[0].payload.get("form_data") or {}
    for block in form.values() if isinstance(form, Mapping) else ():
        if isinstance(block, Mapping) and "kind" in block and "name" in block:
            number = block.get("id_number") or block.get("uscc") or ""
            return str(block["name"] or ""), str(number)
    return "", ""


_ID_IN_TEXT = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def scrub(text: str) -> str:
    """Free text (a clerk's, a resident's) with any full ID number in it masked."""
    return _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0)), text)
