"""The county's 好差评 export: each evaluation the county recorded in a period, in the shape of the
national 好差评 evaluation interface (``../shared/research/county-exchange.md`` §3) — first the
service is registered, then its evaluation submitted:

- ``service``: ``projectNo`` (办件编号: the case's official number, else its 收件号),
  ``serviceNumber`` (the rated service: the projectNo and the county sequence of the action rated,
  ``-0`` for the case as a whole), ``taskCode`` (the item's 实施编码, else its code), ``proStatus``
  (1 受理 2 办理中 3 办结, from the case's state), ``proChannel`` (办件渠道), ``areaCode`` (the
  centre's 区划代码);
- ``evaluation``: ``projectNo``, ``pf`` (评价渠道), ``satisfaction`` (the NATIONAL code: 1 = 非常
  不满意 … 5 = 非常满意, converted from the stored GB/T 39046 A.8 level by
  :func:`app.evaluations.levels.to_national`, never ``6 - level``), ``evalDetail`` (the 差评's
  reason codes, comma-separated), ``writingEvaluation`` (文字评价), ``assessTime`` (``yyyy-MM-dd
  HH:mm:ss``, Beijing time), ``assessNumber`` (评价次数: the case's evaluations, 1, 2, … —
  the interface refuses a repeat of projectNo and assessNumber).

The interface takes form fields, so every value is a string. A period is the days (Beijing time)
the county *recorded* the evaluations on, so consecutive periods export each evaluation once, even
one a window PC synced days late.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.evaluations.levels import Channel, Level, to_national
from app.evaluations.wire import EvaluationTerms
from app.workflow.fold import CHINA_TZ
from app.workflow.states import CaseState
from county.store.models import CaseActionRow, CountyCase, CountyEvaluation, ItemVersion

__all__ = ["PF_CODES", "PRO_STATUS", "export_records", "hcp_record"]

#: 评价渠道 (``pf``). Provinces number their channels differently (some add 12345 热线, 短信,
#: 自助终端 …); this is the table this program sends, for a province's adapter to map where its
#: own differs:
#: 1 PC端, 2 移动端 (扫码评价), 3 现场评价器 (窗口), 9 其他 (超期未评价, 系统默认满意).
PF_CODES: Final[Mapping[Channel, str]] = MappingProxyType(
    {Channel.WINDOW: "3", Channel.PHONE: "2", Channel.DEFAULT: "9"}
)

#: 办件状态 (``proStatus``): 1 受理, 2 办理中, 3 办结 — from the case's state at the county. A case
#: refused (不予受理), withdrawn or terminated has ended: 办结.
PRO_STATUS: Final[Mapping[CaseState, str]] = MappingProxyType(
    {
        CaseState.DRAFT: "1",
        CaseState.SUBMITTED: "1",
        CaseState.RECEIVED: "1",
        CaseState.ACCEPTED: "1",
        CaseState.AWAITING_SUPPLEMENT: "1",
        CaseState.IN_REVIEW: "2",
        CaseState.WITH_COUNTY: "2",
        CaseState.SUSPENDED: "2",
        CaseState.DECIDED: "3",
        CaseState.AWAITING_DELIVERY: "3",
        CaseState.DELIVERED: "3",
        CaseState.ARCHIVED: "3",
        CaseState.REFUSED: "3",
        CaseState.WITHDRAWN: "3",
        CaseState.TERMINATED: "3",
    }
)

#: 办件渠道 (``proChannel``): 1 窗口, 2 网上, 3 快递. Every case at the county was taken in at a
#: centre's window (or by its proxy agent, on the resident's paper authorization): 1.
PRO_CHANNEL_WINDOW: Final = "1"

ASSESS_TIME: Final = "%Y-%m-%d %H:%M:%S"


def hcp_record(
    evaluation: CountyEvaluation,
    case: CountyCase,
    version: ItemVersion,
    service_seq: int | None,
) -> dict[str, dict[str, str]]:
    """One evaluation as the national interface takes it: the service, then the evaluation.
    ``service_seq``: the county sequence of the action rated (None: the case as a whole)."""
    terms = EvaluationTerms.model_validate(evaluation.terms)
    project_no = case.official_no or case.receipt_no
    return {
        "service": {
            "projectNo": project_no,
            "serviceNumber": f"{project_no}-{service_seq or 0}",
            "taskCode": version.implementation_code or version.code,
            "proStatus": PRO_STATUS[CaseState(case.state)],
            "proChannel": PRO_CHANNEL_WINDOW,
            "areaCode": case.centre_code,
        },
        "evaluation": {
            "projectNo": project_no,
            "pf": PF_CODES[terms.channel],
            "satisfaction": str(to_national(Level(evaluation.level))),
            "evalDetail": ",".join(reason.value for reason in terms.reasons),
            "writingEvaluation": terms.text,
            "assessTime": terms.assessed_at.astimezone(CHINA_TZ).strftime(ASSESS_TIME),
            "assessNumber": str(evaluation.assess_number),
        },
    }


def export_records(session: Session, first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    """The records of the evaluations the county recorded from ``first`` to ``last`` (Beijing
    days, both included), in the order it recorded them."""
    start = dt.datetime.combine(first, dt.time(), CHINA_TZ)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), CHINA_TZ)
    rows = session.execute(
        select(CountyEvaluation, CountyCase, ItemVersion, CaseActionRow.county_seq)
        .join(CountyCase, CountyCase.id == CountyEvaluation.case_id)
        .join(ItemVersion, ItemVersion.id == CountyCase.item_version_id)
        .outerjoin(CaseActionRow, CaseActionRow.op_id == CountyEvaluation.service_op_id)
        .where(CountyEvaluation.recorded_at >= start, CountyEvaluation.recorded_at < end)
        .order_by(CountyEvaluation.recorded_at, CountyEvaluation.id)
    ).all()
    return [hcp_record(evaluation, case, version, seq) for evaluation, case, version, seq in rows]
