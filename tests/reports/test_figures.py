"""The supervisor's figures (docs/figures.md) against hand-computed fixtures.

The cases are made through the real use cases with the test clock (tests/centre.py: Mon 2 March
2026, 10:00 China time). March 2026 has no holiday; 清明 is Sat 4 – Mon 6 April 2026.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from app.cases import decisions as d
from app.errors import ValidationError
from app.reports.figures import FigureRow, Figures, Grouping, figures
from app.reports.period import Period
from tests.centre import Centre

SHENGYU = "生育登记"  # 即办件 (0 working days), 卫生健康, DEMO-WJ-001
GAOLING = "高龄津贴"  # 15 working days, 养老服务, DEMO-MZ-004; decided by the county
YOUDAI = "老年人优待证办理"  # 5 working days, 养老服务, DEMO-MZ-006
DIBAO = "最低生活保障"  # 25 working days, 社会救助, DEMO-MZ-001

MARCH = Period.month(2026, 3)
APRIL = Period.month(2026, 4)


def day(month: int, d_: int) -> dt.date:
    return dt.date(2026, month, d_)


def report(c: Centre, period: Period, grouping: Grouping, today: dt.date) -> Figures:
    with c.store.reader() as session:
        return figures(session, period, grouping, today=today, calendar=c.ctx.calendar)


def counts(row: FigureRow) -> dict[str, int]:
    return {k: v for k, v in vars(row).items() if k not in ("key", "label")}


def _to_county_and_decide(c: Centre, case_id: int) -> None:
    approver = c.actor("approver")
    d.record_opinion(c.ctx, approver, case_id, "年满80周岁，户籍在本镇")
    d.report_to_county(c.ctx, approver, case_id)
    d.record_county_result(c.ctx, approver, case_id, approved=True)


def test_an_empty_store_and_an_empty_period(centre: Centre) -> None:
    c = centre
    # Nothing at all: every count 0, every rate None, no group rows.
    empty = report(c, MARCH, Grouping.PERSON, day(3, 10))
    assert empty.rows == () and set(counts(empty.total).values()) == {0}
    assert empty.total.completion_rate is None and empty.total.on_time_rate is None
    assert empty.total.average_working_days is None and empty.total.satisfaction is None
    # One case received Mon 2 March; February is empty of flows but the standing figures
    # (as of today, whatever the period) still see the case: received 2 March, not acted on,
    # its watchdog day is 5 working days later, Mon 9 March; on Tue 10 March it is past it.
    c.walk_in(DIBAO)
    feb = report(c, Period.month(2026, 2), Grouping.CENTRE, day(3, 10))
    assert feb.total.received == 0 and feb.total.accepted == 0 and feb.total.decided == 0
    assert feb.total.watchdog == 1
    assert report(c, Period.month(2026, 2), Grouping.CENTRE, day(3, 9)).total.watchdog == 0


def test_a_month_of_cases_centre_person_window_item_category(centre: Centre) -> None:
    """The fixture, by hand (all at 10:00 China time unless said):

    Mon 2 Mar  A 生育登记 clerk/W01: received, accepted, decided (due 2 Mar: 0 days) — on time, 0 wd
               B 生育登记 clerk/W01: received, accepted (due 2 Mar)
               C 高龄津贴 clerk/W01: received without the bank card, 容缺受理 (card due Fri 6 Mar);
                 due 15 wd after 2 Mar = Mon 23 Mar
               D 高龄津贴 clerk2/W02: received, accepted (due 23 Mar); approver starts review
               F 低保 clerk/W01: received short of two materials, 一次性告知
               G 低保 clerk/W01: received, 不予受理
               H 低保 clerk2/W02: received, nothing more (watchdog day: Mon 9 Mar)
               I 优待证 clerk/W01: received, accepted (due 5 wd = Mon 9 Mar); approver2 reviews
    Tue 3 Mar  B decided by clerk at 07:30 (Mon 2 Mar 23:30 UTC) — a day late in China's date
               (due 2 Mar), 1 wd
    Wed 4 Mar  D suspended (特别程序); J 优待证 clerk2/W02: received, accepted (due Wed 11 Mar)
    Tue 10 Mar (standing, as of today): overdue I (due 9 < 10, approver2's, W01);
               nearly due J (10 <= 11 <= 12 = 2 wd later; unassigned, W02);
               watchdog H (W02, unassigned); 容缺 pending C (W01), and its card overdue (6 < 10);
               D suspended: neither overdue nor nearly due
    Wed 11 Mar D resumed: paused Wed 4 – Tue 10 = 5 wd, due 23 Mar + 5 wd = Mon 30 Mar
    Fri 27 Mar D decided (county result recorded by approver at W01): on time only because of
               the suspension (27 <= 30; the first due date, 23 Mar, had passed); 受理 2 Mar to
               27 Mar = 4 + 5 + 5 + 5 = 19 wd
               E 高龄津贴 clerk2/W02: received, accepted (due: 30, 31 Mar, 1–3 Apr, [4–6 清明],
               7–10, 13–17, 20 Apr = 15 wd → Mon 20 Apr), reported to the county
    Thu 2 Apr  E decided by approver: spans the months; on time; 27 Mar → 2 Apr = 30, 31 Mar,
               1, 2 Apr = 4 wd

    March: received A B C D F G H I J E = 10; accepted A B C D I J E = 7, 容缺 1 (C); 不予受理 1;
           一次性告知 1; decided A B D = 3, on time A D = 2; wd 0 + 1 + 19 = 20 (avg 20/3);
           办结率 3/7; 按期办结率 2/3.
    April: decided E = 1, on time 1, 4 wd; nothing received or accepted: 办结率 None.
    """
    c = centre
    c.actors["clerk2"] = replace(c.actor("clerk2"), workstation="W02")
    clerk, clerk2, approver = c.actor("clerk"), c.actor("clerk2"), c.actor("approver")

    a = c.walk_in(SHENGYU).case_id
    d.accept(c.ctx, clerk, a)
    d.decide(c.ctx, clerk, a, approved=True)
    b = c.walk_in(SHENGYU).case_id
    d.accept(c.ctx, clerk, b)
    case_c = c.walk_in(GAOLING, materials=["application", "hukou", "id_card"]).case_id
    d.accept_with_deficiency(c.ctx, clerk, case_c, ["bank_card"], day(3, 6), commitment_signed=True)
    case_d = c.walk_in(GAOLING, clerk="clerk2").case_id
    d.accept(c.ctx, clerk2, case_d)
    d.start_review(c.ctx, approver, case_d)
    required = c.required_materials(DIBAO)
    f = c.walk_in(DIBAO, materials=required[:-2]).case_id
    d.request_supplement(c.ctx, clerk, f, [{"name": k, "how": "原件一份"} for k in required[-2:]])
    g = c.walk_in(DIBAO).case_id
    d.refuse(c.ctx, clerk, g, ["申请人户籍不在本镇"])
    c.walk_in(DIBAO, clerk="clerk2")  # H
    i = c.walk_in(YOUDAI).case_id
    d.accept(c.ctx, clerk, i)
    d.start_review(c.ctx, c.actor("approver2"), i)

    c.clock.set_local(day(3, 3), hour=7)
    c.clock.now += dt.timedelta(minutes=30)
    d.decide(c.ctx, clerk, b, approved=True)
    c.clock.set_local(day(3, 4))
    d.suspend(c.ctx, approver, case_d, "需组织现场核查", 5)
    j = c.walk_in(YOUDAI, clerk="clerk2").case_id
    d.accept(c.ctx, clerk2, j)

    c.clock.set_local(day(3, 10))
    standing = report(c, MARCH, Grouping.CENTRE, day(3, 10)).total
    assert (standing.overdue, standing.nearly_due, standing.watchdog) == (1, 1, 1)
    assert (standing.deficiency_pending, standing.deficiency_overdue) == (1, 1)
    on_the_day = report(c, MARCH, Grouping.CENTRE, day(3, 6)).total  # the card's own day
    assert (on_the_day.deficiency_pending, on_the_day.deficiency_overdue) == (1, 0)
    due_today = report(c, MARCH, Grouping.CENTRE, day(3, 11)).total  # J is due on Wed 11 Mar
    assert (due_today.nearly_due, due_today.overdue) == (1, 1)
    by_person = report(c, MARCH, Grouping.PERSON, day(3, 10))
    assert by_person.row("approver2").overdue == 1
    assert by_person.row("").nearly_due == 1 and by_person.row("").watchdog == 1
    assert by_person.row("").label == "未分派"
    by_window = report(c, MARCH, Grouping.WINDOW, day(3, 10))
    assert (by_window.row("W01").overdue, by_window.row("W01").deficiency_pending) == (1, 1)
    assert (by_window.row("W02").nearly_due, by_window.row("W02").watchdog) == (1, 1)
    assert by_window.row("W02").overdue == 0

    c.clock.set_local(day(3, 11))
    d.resume(c.ctx, approver, case_d)
    c.clock.set_local(day(3, 27))
    _to_county_and_decide(c, case_d)
    e = c.walk_in(GAOLING, clerk="clerk2").case_id
    d.accept(c.ctx, clerk2, e)
    d.start_review(c.ctx, approver, e)
    d.record_opinion(c.ctx, approver, e, "年满80周岁，户籍在本镇")
    d.report_to_county(c.ctx, approver, e)
    c.clock.set_local(day(4, 2))
    d.record_county_result(c.ctx, approver, e, approved=True)

    march = report(c, MARCH, Grouping.CENTRE, day(4, 2))
    t = march.total
    assert (t.received, t.accepted, t.accepted_with_deficiency) == (10, 7, 1)
    assert (t.refused, t.supplement_requests) == (1, 1)
    assert (t.decided, t.decided_on_time, t.decision_working_days) == (3, 2, 20)
    assert t.completion_rate == pytest.approx(3 / 7)
    assert t.on_time_rate == pytest.approx(2 / 3)
    assert t.average_working_days == pytest.approx(20 / 3)
    assert march.rows == (t,)

    april = report(c, APRIL, Grouping.CENTRE, day(4, 2)).total
    assert (april.received, april.accepted, april.decided, april.decided_on_time) == (0, 0, 1, 1)
    assert april.average_working_days == 4 and april.completion_rate is None
    assert april.on_time_rate == 1.0

    # Per person (flows: who took the action). clerk: received A B C F G I, accepted A B C I
    # (容缺 C), refused G, told F, decided A (on time, 0 wd) B (late, 1 wd). clerk2: received
    # D H J E, accepted D J E. approver: decided D (on time, 19 wd).
    people = report(c, MARCH, Grouping.PERSON, day(4, 2))
    clerk_row, clerk2_row, approver_row = (people.row(k) for k in ("clerk", "clerk2", "approver"))
    assert (clerk_row.received, clerk_row.accepted, clerk_row.accepted_with_deficiency) == (6, 4, 1)
    assert (clerk_row.refused, clerk_row.supplement_requests) == (1, 1)
    assert (clerk_row.decided, clerk_row.decided_on_time, clerk_row.decision_working_days) == (
        2,
        1,
        1,
    )
    assert (clerk2_row.received, clerk2_row.accepted, clerk2_row.decided) == (4, 3, 0)
    assert (approver_row.received, approver_row.decided, approver_row.decided_on_time) == (0, 1, 1)
    assert approver_row.average_working_days == 19
    assert counts(people.total) == counts(t)  # the rows add up to the centre's

    # Per window: W01 received A B C F G I (6), accepted A B C I (4), decided A B and D (the
    # approver sits at W01); W02 received D H J E (4), accepted D J E (3).
    windows = report(c, MARCH, Grouping.WINDOW, day(4, 2))
    w01, w02 = windows.row("W01"), windows.row("W02")
    assert (w01.received, w01.accepted, w01.decided, w01.decided_on_time) == (6, 4, 3, 2)
    assert (w02.received, w02.accepted, w02.decided) == (4, 3, 0)

    # Per category: 卫生健康 A B; 养老服务 C D E I J; 社会救助 F G H.
    categories = report(c, MARCH, Grouping.CATEGORY, day(4, 2))
    health, elderly, relief = (categories.row(k) for k in ("卫生健康", "养老服务", "社会救助"))
    assert (health.received, health.accepted, health.decided, health.decided_on_time) == (
        2,
        2,
        2,
        1,
    )
    assert (elderly.received, elderly.accepted, elderly.accepted_with_deficiency) == (5, 5, 1)
    assert (elderly.decided, elderly.decision_working_days) == (1, 19)
    assert (relief.received, relief.accepted, relief.refused, relief.supplement_requests) == (
        3,
        0,
        1,
        1,
    )

    # Per item: 高龄津贴 C D E (容缺 C, decided D); 优待证 I J.
    items = report(c, MARCH, Grouping.ITEM, day(4, 2))
    gaoling, youdai = items.row("DEMO-MZ-004"), items.row("DEMO-MZ-006")
    assert gaoling.label == GAOLING
    assert (gaoling.received, gaoling.accepted, gaoling.accepted_with_deficiency) == (3, 3, 1)
    assert (gaoling.decided, gaoling.decided_on_time) == (1, 1)
    assert (youdai.received, youdai.accepted, youdai.decided) == (2, 2, 0)
    assert sum(r.received for r in items.rows) == 10


def test_the_period_is_counted_in_china_local_dates(centre: Centre) -> None:
    """Received Tue 31 March 23:30 China time = 15:30 UTC: March's, not April's; the week of
    Wed 1 April is Mon 30 March – Sun 5 April and holds it."""
    c = centre
    cst = dt.timezone(dt.timedelta(hours=8))
    c.clock.now = dt.datetime(2026, 3, 31, 23, 30, tzinfo=cst).astimezone(dt.UTC)
    c.walk_in(SHENGYU)
    assert report(c, MARCH, Grouping.CENTRE, day(4, 1)).total.received == 1
    assert report(c, APRIL, Grouping.CENTRE, day(4, 1)).total.received == 0
    assert report(c, Period.day(day(3, 31)), Grouping.CENTRE, day(4, 1)).total.received == 1
    assert report(c, Period.day(day(4, 1)), Grouping.CENTRE, day(4, 1)).total.received == 0
    week = Period.week(day(4, 1))
    assert (week.start, week.end) == (day(3, 30), day(4, 5))
    assert report(c, week, Grouping.CENTRE, day(4, 1)).total.received == 1
    assert report(c, Period(day(3, 1), day(3, 30)), Grouping.CENTRE, day(4, 1)).total.received == 0


def test_a_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError, match="结束日期") as raised:
        Period(day(3, 2), day(3, 1))
    assert raised.value.field == "统计期间"
    with pytest.raises(ValidationError, match="月份"):
        Period.month(2026, 13)
