"""A March 2026 for the monthly report: cases spanning months, a suspended case, 容缺, ratings.

Wed 25 Feb  P 生育登记 clerk: received and accepted (due the same day); decided Mon 2 Mar,
            late — in the ledger (decided in March), counted in March's 办结量, not 收件量
Mon 2 Mar   A 生育登记 clerk: received, accepted, decided (on time)
            C 高龄津贴 clerk: 容缺受理 (bank card due Fri 6 Mar, still owed)
            D 高龄津贴 clerk2 at W02: accepted, review started; Wed 4 Mar suspended (挂起)
            R 生育登记 clerk: received; rated 满意 at once; S 生育登记 received, rated 不满意
            (差评, its task open)
Fri 27 Mar  E 高龄津贴 clerk2 at W02: received, accepted, reported to the county;
            decided Thu 2 Apr — spans the months
Thu 2 Apr   N 生育登记 clerk: received (April's: not in March's ledger)
Fri 3 Apr   the report is made (today)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from app.cases import decisions as d
from app.evaluations.levels import Level, Reason
from app.reports.period import Period
from tests.centre import Centre
from tests.evaluations.helpers import rate, served

SHENGYU = "生育登记"
GAOLING = "高龄津贴"
MARCH = Period.month(2026, 3)
TODAY = dt.date(2026, 4, 3)


@dataclass(frozen=True)
class March:
    cases: dict[str, int]  # letter → case id


def day(month: int, d_: int) -> dt.date:
    return dt.date(2026, month, d_)


def build_march(c: Centre) -> March:
    c.actors["clerk2"] = replace(c.actor("clerk2"), workstation="W02")
    clerk, clerk2, approver = c.actor("clerk"), c.actor("clerk2"), c.actor("approver")
    ids: dict[str, int] = {}
    c.clock.set_local(day(2, 25))
    ids["P"] = c.walk_in(SHENGYU).case_id
    d.accept(c.ctx, clerk, ids["P"])

    c.clock.set_local(day(3, 2))
    d.decide(c.ctx, clerk, ids["P"], approved=True)
    ids["A"] = c.walk_in(SHENGYU).case_id
    d.accept(c.ctx, clerk, ids["A"])
    d.decide(c.ctx, clerk, ids["A"], approved=True)
    ids["C"] = c.walk_in(GAOLING, materials=["application", "hukou", "id_card"]).case_id
    d.accept_with_deficiency(
        c.ctx, clerk, ids["C"], ["bank_card"], day(3, 6), commitment_signed=True
    )
    ids["D"] = c.walk_in(GAOLING, clerk="clerk2").case_id
    d.accept(c.ctx, clerk2, ids["D"])
    d.start_review(c.ctx, approver, ids["D"])
    happy = served(c)
    ids["R"] = happy.case_id
    rate(c, happy, Level.SATISFIED)
    unhappy = served(c)
    ids["S"] = unhappy.case_id
    rate(c, unhappy, Level.DISSATISFIED, (Reason.ATTITUDE,), "态度生硬")

    c.clock.set_local(day(3, 4))
    d.suspend(c.ctx, approver, ids["D"], "需组织现场核查", 5)

    c.clock.set_local(day(3, 27))
    ids["E"] = c.walk_in(GAOLING, clerk="clerk2").case_id
    d.accept(c.ctx, clerk2, ids["E"])
    d.start_review(c.ctx, approver, ids["E"])
    d.record_opinion(c.ctx, approver, ids["E"], "年满80周岁，户籍在本镇")
    d.report_to_county(c.ctx, approver, ids["E"])
    c.clock.set_local(day(4, 2))
    d.record_county_result(c.ctx, approver, ids["E"], approved=True)
    ids["N"] = c.walk_in(SHENGYU).case_id
    c.clock.set_local(TODAY)
    return March(ids)
