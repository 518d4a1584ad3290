"""What a desk alerts its user about: the approver their own nearly-due, overdue and 环节超时
cases, the supervisor the centre's, the 收件 watchdog and overdue 差评整改 tasks."""

from __future__ import annotations

from app.alerts.desk_alerts import (
    Alert,
    AlertKind,
    DeskAlerts,
    alert_listing,
    desk_alerts,
)
from app.cases import queries
from tests.alerts.alert_cases import alert_cases
from tests.centre import Centre

K = AlertKind


def _of(alerts: DeskAlerts, kind: AlertKind) -> Alert:
    found = alerts.of(kind)
    assert found is not None, kind
    return found


def test_the_approver_is_alerted_about_their_own_cases_only(centre: Centre) -> None:
    made = alert_cases(centre)
    ids, cal = made.ids, centre.ctx.calendar
    with centre.store.reader() as session:
        mine = desk_alerts(session, centre.actor("approver"), cal, made.today)
        theirs = desk_alerts(session, centre.actor("approver2"), cal, made.today)
    assert not mine.centre
    assert [a.kind for a in mine.alerts] == [K.NEARLY_DUE, K.OVERDUE, K.STEP_OVERDUE]
    assert [c.case_id for c in _of(mine, K.OVERDUE).cases] == [ids["own_over"]]
    assert _of(mine, K.OVERDUE).count == 1
    assert [c.case_id for c in _of(mine, K.NEARLY_DUE).cases] == [ids["own_soon"]]
    assert _of(mine, K.NEARLY_DUE).text == "临近到期 1 件"
    assert _of(mine, K.OVERDUE).cases[0].receipt_no == made.receipts["own_over"]
    assert [c.case_id for c in _of(theirs, K.OVERDUE).cases] == [ids["other_over"]]
    assert _of(theirs, K.NEARLY_DUE).count == 0


def test_the_supervisor_is_alerted_about_the_centre(centre: Centre) -> None:
    made = alert_cases(centre)
    ids, cal = made.ids, centre.ctx.calendar
    supervisor = centre.actor("supervisor")
    with centre.store.reader() as session:
        found = desk_alerts(session, supervisor, cal, made.today)
        # the same as the queries nothing called before
        overdue = [r.case_id for r in queries.overdue(session, supervisor, made.today)]
        soon = [r.case_id for r in queries.nearly_due(session, supervisor, made.today, cal)]
        late = [r.case_id for r in queries.watchdog(session, supervisor, made.today)]
        listed = alert_listing(session, supervisor, cal, made.today, K.OVERDUE, limit=2)
        bad = alert_listing(session, supervisor, cal, made.today, K.RECTIFICATION_OVERDUE)
    assert found.centre
    counts = {a.kind: a.count for a in found.alerts}
    # 环节超时: every case in review has been in its first step (调查, 8 working days) longer
    assert counts == {
        K.NEARLY_DUE: 1,
        K.OVERDUE: 3,
        K.STEP_OVERDUE: 5,
        K.WATCHDOG: 1,
        K.RECTIFICATION_OVERDUE: 1,
    }
    got = {a.kind: [c.case_id for c in a.cases] for a in found.alerts}
    assert sorted(got[K.OVERDUE]) == sorted(
        [ids["own_over"], ids["other_over"], ids["unassigned_over"]]
    )
    assert got[K.OVERDUE] == overdue
    assert got[K.NEARLY_DUE] == soon == [ids["own_soon"]]
    assert got[K.WATCHDOG] == late == [ids["waiting"]]
    assert got[K.RECTIFICATION_OVERDUE] == [ids["bad_over"]]
    assert listed.total == 3 and [r.row.case_id for r in listed.rows] == overdue[:2]
    assert all(r.status == "red" for r in listed.rows)
    assert [r.row.case_id for r in bad.rows] == [ids["bad_over"]]


def test_the_approver_has_no_centre_alerts(centre: Centre) -> None:
    made = alert_cases(centre)
    with centre.store.reader() as session:
        listed = alert_listing(
            session, centre.actor("approver"), centre.ctx.calendar, made.today, K.WATCHDOG
        )
    assert listed.total == 0 and listed.rows == []
