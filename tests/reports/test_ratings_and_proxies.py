"""满意度, 差评 open / closed / overdue and the proxy filings by village, by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlalchemy import update

from app.cases import intake
from app.cases import proxy as p
from app.catalog.loader import bundled_catalog
from app.divisions.model import Division, DivisionList
from app.evaluations.figures import satisfaction
from app.evaluations.levels import Level, Reason
from app.evaluations.rectification import CallBackOutcome, Step
from app.reports.figures import Grouping, figures, proxy_filings
from app.reports.period import Period
from app.validators import id_check_digit
from db.models import Applicant, Case
from tests.cases.test_window import GAOLING, _proxy_form
from tests.centre import Centre
from tests.evaluations.helpers import rate, served
from tests.evaluations.test_tasks import step

MARCH = Period.month(2026, 3)


def test_satisfaction_and_bad_ratings(centre: Centre) -> None:
    """Mon 2 March (each rating a fresh 生育登记 walk-in's 收件受理, rated at once):
    clerk: 非常满意, 满意, 基本满意, 不满意 (差评 1); clerk2 at W02: 非常不满意 (差评 2).
    满意度 = (1 + 1) / 5 = 40 %; clerk 2/4 = 50 %, clerk2 0/1 = 0 %.
    Both 差评 tasks are due 5 working days after 2 March: Mon 9 March. 差评 1 is worked through
    to 办结 on 3 March; 差评 2 stays open: on Tue 10 March it is overdue (9 < 10), on 9 March not.
    Wed 1 April: a 满意 of a fresh walk-in — April's, not March's."""
    c = centre
    c.actors["clerk2"] = replace(c.actor("clerk2"), workstation="W02")
    for level in (Level.VERY_SATISFIED, Level.SATISFIED, Level.BASICALLY_SATISFIED):
        rate(c, served(c), level)
    first_bad = rate(c, served(c), Level.DISSATISFIED, (Reason.ATTITUDE,), "态度生硬")
    rate(c, served(c, "clerk2"), Level.VERY_DISSATISFIED, (Reason.ATTITUDE,), "等了很久")
    c.clock.set_local(dt.date(2026, 3, 3))
    step(c, first_bad, Step.VERIFY, "调取录像，属实", founded=True)
    step(c, first_bad, Step.RECTIFY, "批评教育")
    step(c, first_bad, Step.CALL_BACK, "电话回访", outcome=CallBackOutcome.SATISFIED)
    step(c, first_bad, Step.CLOSE, "办结")
    c.clock.set_local(dt.date(2026, 4, 1))
    rate(c, served(c), Level.SATISFIED)

    with c.store.reader() as session:
        centre_row = figures(
            session, MARCH, Grouping.CENTRE, today=dt.date(2026, 3, 10), calendar=c.ctx.calendar
        ).total
        by_person = figures(
            session, MARCH, Grouping.PERSON, today=dt.date(2026, 3, 10), calendar=c.ctx.calendar
        )
        by_window = figures(
            session, MARCH, Grouping.WINDOW, today=dt.date(2026, 3, 9), calendar=c.ctx.calendar
        )
        by_item = figures(
            session, MARCH, Grouping.ITEM, today=dt.date(2026, 3, 10), calendar=c.ctx.calendar
        )
        same = satisfaction(session, MARCH.start, MARCH.end)
    assert (centre_row.rated, centre_row.satisfied, centre_row.satisfaction) == (5, 2, 0.4)
    assert (centre_row.bad_open, centre_row.bad_closed, centre_row.bad_overdue) == (1, 1, 1)
    # The same definition as the 差评整改 desk's figures.
    assert same.total == centre_row.rated and same.share == centre_row.satisfaction
    assert (same.tasks_open, same.tasks_closed) == (centre_row.bad_open, centre_row.bad_closed)
    clerk, clerk2 = by_person.row("clerk"), by_person.row("clerk2")
    assert (clerk.rated, clerk.satisfaction, clerk.bad_closed, clerk.bad_open) == (4, 0.5, 1, 0)
    assert (clerk2.rated, clerk2.satisfaction, clerk2.bad_open, clerk2.bad_overdue) == (1, 0, 1, 1)
    assert by_window.row("W02").bad_open == 1 and by_window.total.bad_overdue == 0  # 9 March
    assert by_window.row("W01").rated == 4
    shengyu = by_item.row("DEMO-WJ-001")  # every rated service was a 生育登记's
    assert (shengyu.rated, shengyu.satisfied, shengyu.bad_open, shengyu.bad_closed) == (5, 2, 1, 1)


def _authorized_resident(c: Centre, first17: str, name: str) -> int:
    resident = {
        "name": name,
        "id_number": first17 + id_check_digit(first17),
        "phone": "13812345678",
    }
    gaoling = next(i for i in bundled_catalog().items if i.name == GAOLING)
    return intake.register_authorization(
        c.ctx, c.actor("proxy"), resident, [gaoling.code], dt.date(2026, 12, 31)
    ).authorization_id


def test_proxy_filings_by_village(centre: Centre) -> None:
    """On Mon 2 March the proxy files (and submits) two 高龄津贴 for 赵桂兰, whose 区划代码 is
    东湖村's, and one for 钱德明, who has none; a walk-in does not count; a draft the proxy has
    not submitted does not count. March: 东湖村 2, 未登记 1; February: none."""
    c = centre
    proxy = c.actor("proxy")
    zhao = _authorized_resident(c, "51189919440312002", "赵桂兰")
    qian = _authorized_resident(c, "51189919430705003", "钱德明")
    filed = [
        p.file_for_resident(c.ctx, proxy, c.item_id(GAOLING), _proxy_form(c), auth, submit=True)
        for auth in (zhao, zhao, qian)
    ]
    p.file_for_resident(c.ctx, proxy, c.item_id(GAOLING), _proxy_form(c), qian)  # a draft
    c.walk_in(GAOLING)
    village = "511899101201"
    with c.store.session() as session, session.begin():
        case = session.get(Case, filed[0].case_id)
        assert case is not None
        session.execute(
            update(Applicant).where(Applicant.id == case.applicant_id).values(division_code=village)
        )
    villages = DivisionList(
        "511899", "示例县", (Division(village, "东湖村", "511899101", "清河镇"),)
    )
    with c.store.reader() as session:
        march = proxy_filings(session, MARCH, villages)
        february = proxy_filings(session, Period.month(2026, 2), villages)
        unnamed = proxy_filings(session, MARCH)
    assert [(r.code, r.name, r.filings) for r in march] == [
        (village, "东湖村", 2),
        ("", "未登记村（社区）", 1),
    ]
    assert february == ()
    assert unnamed[0].name == village  # no list of villages: the code stands for the name
