"""The supervisor's 审批台 opens on what needs action, most urgent first — a first run found
待出件 and 已办结 on top (their promised dates are the oldest). The order is the SQL query's
(``queries.ROLE_QUEUE_ORDER``), served page by page; the case list model only shows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pytestqt.qtbot import QtBot
from sqlalchemy import select, text

from app.cases import decisions as d
from app.cases import queries
from app.workflow.states import CaseState
from db.models import Case
from tests.centre import Centre
from tests.ui.conftest import wait_idle
from tests.ui.screenshots import save_screenshots
from tests.ui.test_review_desk import open_desk
from ui.desk_base import DeskEnv

S = CaseState
QUICK = "《就业创业证》申领"  # decided at the window
PROMISED = "最低生活保障"  # 承诺件: accepted, reviewed, reported


def _cases(centre: Centre) -> dict[str, int]:
    """Cases in every state of the supervisor's queue, the finished ones made first, so that
    their promised dates are the oldest."""
    c = centre
    clerk, approver = c.actor("clerk"), c.actor("approver")
    made: dict[str, int] = {}
    c.clock.set_local(dt.date(2026, 3, 2))
    made["delivery"] = c.walk_in(QUICK).case_id
    made["decided"] = c.walk_in(QUICK).case_id
    for key in ("delivery", "decided"):
        d.accept(c.ctx, clerk, made[key])
        d.decide(c.ctx, clerk, made[key], approved=True, result_no=f"JY-{key}")
    d.mark_ready(c.ctx, clerk, made["delivery"])
    made["suspended"] = c.walk_in(PROMISED).case_id
    d.accept(c.ctx, clerk, made["suspended"])
    d.suspend(c.ctx, approver, made["suspended"], "需入户核查家庭经济状况", 5)

    c.clock.set_local(dt.date(2026, 3, 9))
    made["received"] = c.walk_in(PROMISED).case_id  # waits to be accepted: no promised date
    made["accepted_late"] = c.walk_in(PROMISED).case_id
    c.clock.set_local(dt.date(2026, 3, 5))
    made["in_review_soon"] = c.walk_in(PROMISED).case_id
    d.accept(c.ctx, clerk, made["in_review_soon"])
    d.start_review(c.ctx, approver, made["in_review_soon"])
    c.clock.set_local(dt.date(2026, 3, 9))
    d.accept(c.ctx, clerk, made["accepted_late"])
    return made


def test_the_supervisor_queue_opens_on_what_needs_action_most_urgent_first(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    made = _cases(centre)
    env = desk_env("supervisor")
    desk = open_desk(qtbot, env)
    wait_idle(qtbot, env.runner)
    model = desk.queue.model
    qtbot.waitUntil(lambda: model.total == len(made))
    listed = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    states = [model.data(model.index(r, 4)) for r in range(model.rowCount())]
    assert states[:2] == ["审查中", "已受理"], states  # the clock runs: due soonest first
    assert states[2:4] == ["已收件", "挂起（特别程序）"], states
    assert sorted(states[4:]) == sorted(["已办结", "待出件"]), states  # only delivery left
    with centre.store.reader() as session:
        first = queries.my_queue(session, centre.actor("supervisor"), limit=2)
    assert [row.case_id for row in first.rows] == [made["in_review_soon"], made["accepted_late"]]
    assert listed[0] == first.rows[0].receipt_no
    save_screenshots(desk, "desk-review-supervisor-queue")


def test_role_queues_rank_every_state_the_desks_lists_keep_due_date_order(centre: Centre) -> None:
    made = _cases(centre)
    supervisor = centre.actor("supervisor")
    with centre.store.reader() as session:
        whole = queries.my_queue(session, supervisor).rows
        # A page boundary inside a rank: paging gives the same order as one long page.
        paged = [
            row
            for offset in range(0, len(made), 2)
            for row in queries.my_queue(session, supervisor, limit=2, offset=offset).rows
        ]
        own = queries.my_queue(session, supervisor, states=(S.DECIDED, S.IN_REVIEW)).rows
    assert [r.case_id for r in paged] == [r.case_id for r in whole]
    ranks = [queries.ACTION_RANK[r.state] for r in whole]
    assert ranks == sorted(ranks)
    # A desk's own list (e.g. 出件台's 待出件) keeps plain due-date order.
    assert [r.case_id for r in own] == [made["decided"], made["in_review_soon"]]
    assert set(queries.ACTION_RANK) | {
        S.DELIVERED,
        S.ARCHIVED,
        S.REFUSED,
        S.WITHDRAWN,
        S.TERMINATED,
    } == set(CaseState)


def test_the_queue_reads_through_the_state_index(centre: Centre) -> None:
    """The rank orders the rows the state index found (no scan of every case)."""
    _cases(centre)
    supervisor = centre.actor("supervisor")
    condition = queries._queue_filter(supervisor, None)
    ids = select(Case.id).where(condition).order_by(*queries.ROLE_QUEUE_ORDER).limit(50)
    with centre.store.reader() as session:
        compiled = ids.compile(
            dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
        )
        plan = [row[-1] for row in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]
    assert any("INDEX ix_cases_state_due (state=?)" in step for step in plan), plan
    assert not any(step.startswith("SCAN cases") for step in plan), plan
