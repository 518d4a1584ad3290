"""The demo county's clerk: a stand-in for the county's staff, in the demo only, so that the town's
delivery window gets results. It approves (准予) every case reported to the county while the
demo runs, a fixed delay after the report, as the county's own action (``county.decisions``),
under a name that says what it is: 演示县级审批员（演示）.

Cases reported before the clerk started (the demo centre's seeded history) are left with the
county, so the demo still shows cases waiting there. ``onewindow-county serve --demo-clerk``
runs it, and only on the demo county's store.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.workcalendar import WorkCalendar
from app.workflow.states import Action, CaseState
from county.calendar_years import CountyCalendar
from county.decisions import county_decision
from county.store.engine import CountyStore
from county.store.models import CaseActionRow, CountyCase
from db.base import utcnow

DEMO_CLERK = "演示县级审批员（演示）"
DEMO_OPINION = "同意。（演示县级审批员自动作出的演示决定，不具任何效力）"
POLL_SECONDS = 1.0


def demo_result_no(case: CountyCase, when: dt.datetime) -> str:
    return f"演示准字〔{when.year}〕{case.id:04d}号"


@dataclass(frozen=True)
class Decided:
    number: str  # the 办件编号 (or the 收件号 of a case not numbered yet)
    result_no: str


def decide_due(
    store: CountyStore,
    *,
    since: dt.datetime,
    delay: dt.timedelta,
    now: dt.datetime,
    calendar: WorkCalendar,
) -> list[Decided]:
    """Approve each case with the county whose report came at or after ``since`` and at least
    ``delay`` before ``now``; one transaction per case (a case a town workstation acted on in
    the meantime is simply no longer with the county, or is refused by the same guards)."""
    with store.sessions() as session:
        due = [
            (case.official_no or case.receipt_no, case)
            for case, row in session.execute(
                select(CountyCase, CaseActionRow)
                .join(
                    CaseActionRow,
                    (CaseActionRow.case_id == CountyCase.id)
                    & (CaseActionRow.county_seq == CountyCase.seq),
                )
                .where(CountyCase.state == CaseState.WITH_COUNTY.value)
                .order_by(CaseActionRow.id)
            )
            if row.envelope.get("action") == Action.REPORT_TO_COUNTY.value
            and since <= _occurred(row) <= now - delay
        ]
    decided = []
    for number, case in due:
        result_no = demo_result_no(case, now)
        with store.sessions() as session, session.begin():
            answer = county_decision(
                session,
                number,
                approve=True,
                opinion=DEMO_OPINION,
                result_no=result_no,
                by=DEMO_CLERK,
                calendar=calendar,
                now=now,
            )
        if answer.outcome == "applied":
            decided.append(Decided(number, result_no))
    return decided


def _occurred(row: CaseActionRow) -> dt.datetime:
    return dt.datetime.fromisoformat(str(row.envelope["occurred_at"]).replace("Z", "+00:00"))


class DemoClerk(threading.Thread):
    """Decides what is due every ``poll`` seconds until :meth:`stop`; prints one line a case."""

    def __init__(
        self, store: CountyStore, delay_seconds: float, *, poll: float = POLL_SECONDS
    ) -> None:
        super().__init__(name="demo-county-clerk", daemon=True)
        self.store = store
        self.delay = dt.timedelta(seconds=delay_seconds)
        self.poll = poll
        self.since = utcnow()
        self.calendar = CountyCalendar()  # the years the county published, as the service
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.poll):
            try:
                with self.store.sessions() as session:
                    calendar = self.calendar(session)
                decided = decide_due(
                    self.store,
                    since=self.since,
                    delay=self.delay,
                    now=utcnow(),
                    calendar=calendar,
                )
            except SQLAlchemyError as error:  # the store busy or gone for a moment: next poll
                print(
                    f"{DEMO_CLERK}：本轮未能读取县级库（{type(error).__name__}）", file=sys.stderr
                )
                continue
            for done in decided:
                print(
                    f"{DEMO_CLERK}：已准予 {done.number}（{done.result_no}），乡镇下次同步时收到。",
                    file=sys.stderr,
                    flush=True,
                )

    def stop(self) -> None:
        self._stop_event.set()
        self.join(10)
