"""Queues, search, detail, overdue / nearly due and the 收件 watchdog, as each role sees them."""

from __future__ import annotations

import datetime as dt

import pytest

from app.cases import decisions as d
from app.cases import queries as q
from app.workflow.states import Action, CaseState
from db.models import Applicant
from tests.centre import Centre

DIBAO = "最低生活保障"
GAOLING = "高龄津贴"


def test_queues_follow_the_role(centre: Centre) -> None:
    c = centre
    received = c.walk_in(DIBAO)
    accepted = c.walk_in(GAOLING)
    d.accept(c.ctx, c.actor("clerk"), accepted.case_id)
    with c.store.session() as s:
        clerk_q = q.my_queue(s, c.actor("clerk"))
        approver_q = q.my_queue(s, c.actor("approver"))
        approver_cat = q.my_queue(s, c.actor("approver"), category="社会救助")
        admin_q = q.my_queue(s, c.actor("admin"))
        proxy_q = q.my_queue(s, c.actor("proxy"))
        tabs = q.queue_categories(s, c.actor("approver"))
    assert [r.case_id for r in clerk_q.rows] == [received.case_id] and clerk_q.total == 1
    assert [r.case_id for r in approver_q.rows] == [accepted.case_id]
    assert approver_q.rows[0].due_date is not None
    assert approver_cat.rows == []  # 高龄津贴 is 养老服务, not 社会救助
    assert tabs == [("养老服务", 1)]
    assert admin_q.rows == [] and proxy_q.rows == []


def test_search_by_number_id_name_and_item(centre: Centre) -> None:
    c = centre
    case = c.walk_in(DIBAO)
    with c.store.session() as s:
        applicant = s.get(
            Applicant,
            q.case_detail(
                s, c.actor("clerk"), case.case_id, c.ctx.calendar, dt.date(2026, 3, 2)
            ).applicant_id,
        )
        assert applicant is not None and applicant.id_number is not None
        by_number = q.search(s, c.actor("clerk"), case.receipt_no[:-2])
        by_id = q.search(s, c.actor("clerk"), applicant.id_number.lower())
        by_name = q.search(s, c.actor("clerk"), applicant.name[:1])
        by_item = q.search(s, c.actor("clerk"), "zdshbz")
        by_nothing = q.search(s, c.actor("clerk"), "不存在的人")
        by_admin = q.search(s, c.actor("admin"), case.receipt_no)
    for rows in (by_number, by_id, by_name, by_item):
        assert [r.case_id for r in rows] == [case.case_id]
    assert by_nothing == [] and by_admin == []
    shown = by_id[0].applicant_id_masked
    assert shown == applicant.id_number[:6] + "********" + applicant.id_number[-4:]


def test_detail_has_timeline_deadlines_and_masked_ids(centre: Centre) -> None:
    c = centre
    case = c.walk_in(DIBAO)
    d.accept(c.ctx, c.actor("clerk"), case.case_id)
    with c.store.session() as s:
        detail = q.case_detail(
            s, c.actor("approver"), case.case_id, c.ctx.calendar, dt.date(2026, 3, 3)
        )
        applicant = s.get(Applicant, detail.applicant_id)
    assert applicant is not None and applicant.id_number is not None
    assert [e.action for e in detail.timeline] == [Action.RECEIVE, Action.ACCEPT]
    assert detail.timeline[1].to_state is CaseState.ACCEPTED
    assert detail.deadlines.due_date == dt.date(2026, 4, 7)
    assert detail.deadlines.remaining_working_days == 24
    assert detail.deadlines.status == "green"
    assert applicant.id_number not in repr(detail)  # masked in form data and payloads
    assert applicant.id_number[:6] + "********" in repr(detail)
    assert {m.key for m in detail.materials} == set(c.required_materials(DIBAO))


def test_overdue_nearly_due_and_watchdog(centre: Centre) -> None:
    c = centre
    waiting = c.walk_in(DIBAO)  # received Mon 2 March, never accepted
    quick = c.walk_in("老年人优待证办理")  # 5 working days promised
    d.accept(c.ctx, c.actor("clerk"), quick.case_id)  # due Mon 9 March
    clerk = c.actor("supervisor")
    with c.store.session() as s:
        assert q.watchdog(s, clerk, dt.date(2026, 3, 9)) == []  # due that day: not late yet
        late = q.watchdog(s, clerk, dt.date(2026, 3, 10))
        near = q.nearly_due(s, clerk, dt.date(2026, 3, 5), c.ctx.calendar)
        not_near = q.nearly_due(s, clerk, dt.date(2026, 3, 2), c.ctx.calendar)
        over = q.overdue(s, clerk, dt.date(2026, 3, 10))
        detail = q.case_detail(s, clerk, quick.case_id, c.ctx.calendar, dt.date(2026, 3, 10))
    assert [r.case_id for r in late] == [waiting.case_id]
    assert [r.case_id for r in near] == [quick.case_id] and not_near == []
    assert [r.case_id for r in over] == [quick.case_id]
    assert detail.deadlines.status == "red" and detail.deadlines.remaining_working_days == -1
    # A suspended case is paused: not overdue while suspended.
    d.start_review(c.ctx, c.actor("approver"), quick.case_id)
    d.suspend(c.ctx, c.actor("approver"), quick.case_id, "等待户籍核查", 3)
    with c.store.session() as s:
        assert q.overdue(s, clerk, dt.date(2026, 3, 10)) == []


def test_proxy_sees_only_their_own_filings_in_search(centre: Centre) -> None:
    c = centre
    case = c.walk_in(DIBAO)
    with c.store.session() as s:
        assert q.search(s, c.actor("proxy"), case.receipt_no) == []


def test_search_by_a_common_name_prefix_takes_the_scan_path(
    centre: Centre, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past COMMON_NAME namesakes, search walks the newest cases instead; same answers."""
    c = centre
    cases = [c.walk_in(DIBAO), c.walk_in(GAOLING)]
    with c.store.session() as s:
        names = {
            case.case_id: q.case_detail(
                s, c.actor("clerk"), case.case_id, c.ctx.calendar, dt.date(2026, 3, 2)
            ).row.applicant_name
            for case in cases
        }
        expected = {q_.case_id for q_ in q.search(s, c.actor("clerk"), names[cases[0].case_id][:1])}
        monkeypatch.setattr(q, "COMMON_NAME", 1)
        scanned = {q_.case_id for q_ in q.search(s, c.actor("clerk"), names[cases[0].case_id][:1])}
        by_item = q.search(s, c.actor("clerk"), "gljt")
    assert cases[0].case_id in expected
    assert scanned == expected
    assert [r.case_id for r in by_item] == [cases[1].case_id]
