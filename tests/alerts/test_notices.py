"""A case turning red, or its step turning 超时, is announced to each person once: not again on
the next read, nor after a restart (what was told is in the store); a new occurrence (an
extension that runs out again, the next step running out) is news again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.alerts.desk_alerts import AlertKind, desk_alerts
from app.alerts.notices import Notice, notice_text, take_notices
from app.cases import decisions as d
from db.store import open_store
from tests.alerts.alert_cases import alert_cases
from tests.centre import Centre

K = AlertKind


def told(c: Centre, user: str, today: dt.date) -> list[Notice]:
    with c.store.session() as session:
        return take_notices(session, c.actor(user), c.ctx.calendar, today)


def untold(c: Centre, user: str, today: dt.date) -> int:
    with c.store.reader() as session:
        return desk_alerts(session, c.actor(user), c.ctx.calendar, today).untold


def test_an_overdue_case_is_told_once_per_person(centre: Centre, tmp_path: Path) -> None:
    made = alert_cases(centre)
    r, today = made.receipts, made.today
    assert untold(centre, "approver", today) == 1 + 3  # own_over; 3 of theirs 环节超时
    first = told(centre, "approver", today)
    assert [(n.kind, n.count) for n in first] == [(K.OVERDUE, 1), (K.STEP_OVERDUE, 3)]
    assert first[0].receipts == (r["own_over"],)
    assert notice_text(first) == (
        f"办件 {r['own_over']} 已超期；办件 {r['own_over']}、{r['own_soon']}、{r['green']} 环节超时"
    )
    # told: the next read finds nothing untold, the next take nothing new
    assert untold(centre, "approver", today) == 0
    assert told(centre, "approver", today) == []
    # each person for themselves: the supervisor is told the centre's, once
    centre_notices = told(centre, "supervisor", today)
    assert [(n.kind, n.count) for n in centre_notices] == [(K.OVERDUE, 3), (K.STEP_OVERDUE, 5)]
    assert centre_notices[1].text.endswith("等 5 件环节超时")
    assert told(centre, "supervisor", today) == []
    # a restart: the same store opened afresh remembers who was told
    again = open_store(tmp_path / "data")
    try:
        with again.session() as session:
            assert take_notices(session, centre.actor("approver"), centre.ctx.calendar, today) == []
    finally:
        again.close()


def test_a_new_occurrence_is_news_again(centre: Centre) -> None:
    made = alert_cases(centre)
    cal, today = centre.ctx.calendar, made.today
    told(centre, "approver", today)
    # two working days on, the nearly-due case is overdue too: it alone is news
    later = cal.add_working_days(today, 2)
    news = told(centre, "approver", later)
    assert [(n.kind, n.receipts) for n in news] == [(K.OVERDUE, (made.receipts["own_soon"],))]
    # an extension moves own_over's date on; when that passes too, it is news again
    centre.clock.set_local(later)
    d.extend(centre.ctx, centre.actor("supervisor"), made.ids["own_over"], 3, "需补充调查")
    assert told(centre, "approver", later) == []  # no longer overdue
    after = cal.add_working_days(later, 4)
    news = told(centre, "approver", after)
    assert [(n.kind, n.receipts) for n in news] == [(K.OVERDUE, (made.receipts["own_over"],))]
    # the next step running out is news too
    d.record_opinion(
        centre.ctx, centre.actor("approver"), made.ids["own_over"], "属实", then_next=True
    )
    publicity_late = cal.add_working_days(later, 6)  # 民主评议与公示: 5 working days
    news = told(centre, "approver", publicity_late)
    assert (K.STEP_OVERDUE, (made.receipts["own_over"],)) in [(n.kind, n.receipts) for n in news]
