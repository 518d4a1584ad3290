"""The alert thresholds per item and per step, on a real store: an item's own
``warn_at_working_days`` decides what is 临近到期 (the desk's count, the lists' badge, the case
detail and the supervisor's figures agree); a case in review whose current step has run past
its limit is 环节超时 (yellow within the step's own threshold)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update

from app.alerts.desk_alerts import AlertKind, alert_listing, desk_alerts
from app.cases import decisions as d
from app.cases import queries
from app.cases.listing import ListedCase, queue_listing
from app.cases.thresholds import item_warnings, step_due
from app.catalog.loader import bundled_catalog
from app.catalog.service import install_catalog
from app.reports.figures import Grouping, figures
from app.reports.period import Period
from db.models import Item
from tests.centre import Centre

K = AlertKind
OWN = "特困人员救助供养"  # 25 working days; warns 5 before (catalogue); 调查 13 days, warns 3
PLAIN = "最低生活保障"  # 25 working days; the setting's threshold (2); 调查 8 days, no warning


@dataclass(frozen=True)
class Pair:
    own: int
    plain: int
    accepted: dt.date
    due: dt.date
    plain_item: int  # the item version 低保 was filed under


def _in_review(c: Centre, item: str) -> int:
    case_id = c.walk_in(item).case_id
    d.accept(c.ctx, c.actor("clerk"), case_id)
    d.start_review(c.ctx, c.actor("approver"), case_id)
    return case_id


def pair(c: Centre) -> Pair:
    """One case of each item, accepted and in review on Mon 2 March 2026."""
    accepted = dt.date(2026, 3, 2)
    c.clock.set_local(accepted)
    own, plain = _in_review(c, OWN), _in_review(c, PLAIN)
    with c.store.reader() as session:
        due = d.get_case(session, own).due_date
    assert due is not None and due == c.ctx.calendar.add_working_days(accepted, 25)
    return Pair(own, plain, accepted, due, c.item_id(PLAIN))


def listed(c: Centre, user: str, today: dt.date) -> dict[int, ListedCase]:
    with c.store.reader() as session:
        page = queue_listing(session, c.actor(user), c.ctx.calendar, today)
    return {r.row.case_id: r for r in page.rows}


def nearly_due(c: Centre, user: str, today: dt.date) -> list[int]:
    with c.store.reader() as session:
        found = alert_listing(session, c.actor(user), c.ctx.calendar, today, K.NEARLY_DUE)
    return [r.row.case_id for r in found.rows]


def test_the_catalogue_threshold_is_installed_for_every_version_of_the_item(
    centre: Centre,
) -> None:
    with centre.store.reader() as session:
        warns = item_warnings(session)
    assert warns[centre.item_id(OWN)] == 5
    assert centre.item_id(PLAIN) not in warns


def test_an_items_own_threshold_decides_what_is_nearly_due(centre: Centre) -> None:
    made = pair(centre)
    cal = centre.ctx.calendar
    # 4 working days before the due day: within the item's 5, not the setting's 2
    today = cal.add_working_days(made.accepted, 21)
    assert nearly_due(centre, "approver", today) == [made.own]
    rows = listed(centre, "approver", today)
    assert (rows[made.own].remaining, rows[made.own].status) == (4, "yellow")
    assert (rows[made.plain].remaining, rows[made.plain].status) == (4, "green")
    with centre.store.reader() as session:
        supervisor = centre.actor("supervisor")
        detail = queries.case_detail(session, supervisor, made.own, cal, today)
        plain = queries.case_detail(session, supervisor, made.plain, cal, today)
        listed_soon = [r.case_id for r in queries.nearly_due(session, supervisor, today, cal)]
        # an explicit window still overrides every threshold
        within_5 = queries.nearly_due(session, supervisor, today, cal, within_working_days=5)
    assert detail.deadlines.status == "yellow" and plain.deadlines.status == "green"
    assert listed_soon == [made.own]
    assert sorted(r.case_id for r in within_5) == sorted([made.own, made.plain])
    # 2 working days before: both (the setting's threshold reached too)
    later = cal.add_working_days(made.accepted, 23)
    assert sorted(nearly_due(centre, "approver", later)) == sorted([made.own, made.plain])
    # the item's threshold removed: only the setting's decides
    with centre.store.session() as session, session.begin():
        session.execute(update(Item).where(Item.name == OWN).values(warn_at_working_days=None))
    assert nearly_due(centre, "approver", today) == []
    assert listed(centre, "approver", today)[made.own].status == "green"


def test_figures_nearly_due_agrees_with_the_alert_count(centre: Centre) -> None:
    made = pair(centre)
    cal = centre.ctx.calendar
    counts = []
    for days in (19, 21, 23, 25):  # 6, 4, 2, 0 working days left
        today = cal.add_working_days(made.accepted, days)
        with centre.store.reader() as session:
            alerts = desk_alerts(session, centre.actor("supervisor"), cal, today)
            found = figures(
                session, Period.month(2026, 3), Grouping.CENTRE, today=today, calendar=cal
            )
        count = alerts.of(K.NEARLY_DUE)
        assert count is not None
        assert found.total.nearly_due == count.count, today
        counts.append(count.count)
    assert counts == [0, 1, 2, 2]  # 特困 from 5 working days before, 低保 from 2


def test_a_step_past_its_limit_is_flagged(centre: Centre) -> None:
    made = pair(centre)
    cal = centre.ctx.calendar
    supervisor = centre.actor("supervisor")

    def step_alert(today: dt.date, user: str = "supervisor") -> list[int]:
        with centre.store.reader() as session:
            found = desk_alerts(session, centre.actor(user), cal, today)
        alert = found.of(K.STEP_OVERDUE)
        assert alert is not None
        assert alert.count == len(alert.cases)
        return sorted(c.case_id for c in alert.cases)

    # 低保's 调查 (8 working days, no warning of its own): in time on its last day, late after
    last_day = step_due(cal, made.accepted, 8, "working")
    assert step_alert(last_day) == []
    rows = listed(centre, "approver", last_day)
    assert rows[made.plain].step is not None and rows[made.plain].step_status is None
    day_after = cal.add_working_days(made.accepted, 9)
    assert step_alert(day_after) == [made.plain]
    assert step_alert(day_after, "approver") == [made.plain]
    assert step_alert(day_after, "approver2") == []  # not theirs
    late = listed(centre, "approver", day_after)[made.plain]
    assert (late.status, late.step_status, late.badge) == ("green", "red", "red")
    assert late.deadline_text == "环节超时 1 个工作日"
    assert late.deadline_tip is not None and "家庭经济状况核对与入户调查" in late.deadline_tip
    # 特困's 调查 (13 days) warns 3 working days before its end: yellow, not yet late
    own = listed(centre, "approver", cal.add_working_days(made.accepted, 10))[made.own]
    assert (own.status, own.step_status, own.badge) == ("green", "yellow", "yellow")
    assert own.deadline_text == "环节剩余 3 个工作日"
    own = listed(centre, "approver", cal.add_working_days(made.accepted, 9))[made.own]
    assert own.step_status is None and own.deadline_text == "剩余 16 个工作日"
    fourteen = cal.add_working_days(made.accepted, 14)
    assert step_alert(fourteen) == sorted([made.own, made.plain])
    # the next step starts its own clock: 特困 moves on to 乡镇审核意见 (2 working days)
    centre.clock.set_local(fourteen)
    d.record_opinion(centre.ctx, centre.actor("approver"), made.own, "情况属实", then_next=True)
    assert step_alert(fourteen) == [made.plain]
    assert step_alert(cal.add_working_days(fourteen, 2)) == [made.plain]
    assert step_alert(cal.add_working_days(fourteen, 3)) == sorted([made.own, made.plain])
    # a suspended case is not in review: its step is not flagged; resumed, it counts afresh
    d.suspend(centre.ctx, supervisor, made.plain, "入户调查需县级协查", 5)
    assert step_alert(fourteen) == []
    centre.clock.set_local(cal.add_working_days(fourteen, 1))
    d.resume(centre.ctx, supervisor, made.plain)
    assert made.plain not in step_alert(cal.add_working_days(fourteen, 9))
    assert made.plain in step_alert(cal.add_working_days(fourteen, 10))


def test_a_new_catalogue_threshold_applies_to_cases_of_older_versions(centre: Centre) -> None:
    made = pair(centre)
    cal = centre.ctx.calendar
    today = cal.add_working_days(made.accepted, 21)  # 4 working days left
    assert nearly_due(centre, "approver", today) == [made.own]
    catalog = bundled_catalog()
    items = [
        i.model_copy(update={"warn_at_working_days": 4}) if i.name == PLAIN else i
        for i in catalog.items
    ]
    with centre.store.session() as session, session.begin():
        install_catalog(session, catalog.model_copy(update={"items": items}), loaded_by="test")
    assert centre.item_id(PLAIN) != made.plain_item  # a new version is in force
    assert sorted(nearly_due(centre, "approver", today)) == sorted([made.own, made.plain])
    assert listed(centre, "approver", today)[made.plain].status == "yellow"
