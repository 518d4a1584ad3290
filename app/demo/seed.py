"""The demo centre with a history: users for every role, proxy authorizations, and a few hundred
cases in every state of DESIGN §3, over the past ~60 days.

Every case is made by the real use cases (``app.cases``) acting as the demo users, with the case
context's clock driven through the past: each case's actions, projection, outbox rows and audit
entries are exactly what the centre would have written that day. Nothing is inserted behind the
engine's back.

How it works: first every case gets a *plan* — a target state, an item that can reach it, and
the list of operations (收件, 受理, 审查意见, 上报, 办结, 出件 …) with gaps in working days
between them. Cases that should end in a running clock state are anchored on their acceptance
day so that some are overdue, some nearly due and some fresh; cases left at 已收件 are anchored
on their receipt so that some are past the 5-working-day watchdog. Then all operations of all
cases are put in time order and performed one by one, the clock set to each operation's moment
(office hours, China time, working days only, never later than the last working day before
today).

The whole seeding is one transaction (each use case runs in a savepoint inside it): a failure
leaves the data directory as it was, and seeding does not pay one disk sync per action.

This module holds the entry point and its report; the parts are in :mod:`app.demo.items` and
:mod:`app.demo.people` (what is loaded), :mod:`app.demo.plans` and :mod:`app.demo.planning` (which
cases, and their operations), :mod:`app.demo.timeline` (the days of those operations),
:mod:`app.demo.clock`, :mod:`app.demo.replay`, :mod:`app.demo.operations` and
:mod:`app.demo.wording` (performing them through the use cases, in time order).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import settings
from app.cases.context import CaseContext
from app.demo import centre as demo
from app.demo.clock import Clock
from app.demo.items import load_items
from app.demo.people import load_people
from app.demo.planning import Planner
from app.demo.ratings import rate_history
from app.demo.replay import register_authorizations, replay
from app.demo.timeline import Timeline, working_days_back
from app.demo.users import DEMO_PASSWORD, DEMO_USERS, seed_demo_users
from app.errors import AppError, ValidationError
from app.settings.calendar import work_calendar
from app.workflow.fold import local_date
from app.workflow.states import CaseState
from db.base import utcnow
from db.models import Case, CaseAction, User
from db.store import Store

__all__ = [
    "DEFAULT_CASES",
    "DEFAULT_SEED",
    "MIN_CASES",
    "DemoAlreadySeeded",
    "SeedReport",
    "seed_demo_centre",
]

DEFAULT_CASES = 300
DEFAULT_SEED = 20260301
MIN_CASES = len(CaseState)  # one case per state at least


class DemoAlreadySeeded(AppError):
    """The data directory already has cases (or real accounts): the demo is not seeded into it."""

    code = "E310"


@dataclass(frozen=True)
class SeedReport:
    cases: int
    actions: int
    authorizations: int
    ratings: int
    users_created: tuple[str, ...]
    by_state: Mapping[str, int]
    first_day: dt.date
    last_day: dt.date

    def summary(self) -> str:
        states = "，".join(
            f"{state.label} {self.by_state.get(state.value, 0)}" for state in CaseState
        )
        users = "、".join(u.username for u in DEMO_USERS)
        return (
            f"已生成演示中心“{demo.DEMO_CENTRE_NAME}”：{self.cases} 件办件、"
            f"{self.actions} 条办件操作"
            f"（{self.first_day.isoformat()} 至 {self.last_day.isoformat()}），"
            f"{self.authorizations} 份代办委托书，{self.ratings} 条窗口评价。\n各状态：{states}。\n"
            f"演示账号：{users}，密码均为 {DEMO_PASSWORD}（仅限演示，切勿用于真实业务）。"
        )


def _refusal(session: Session) -> str | None:
    """Why this store must not get demo data, or None."""
    cases = session.scalar(select(func.count()).select_from(Case)) or 0
    if cases:
        return (
            f"该数据目录中已有 {cases} 件办件，演示数据只生成在空的数据目录中；未做任何改动。"
            "如需重新生成，请换一个新的数据目录。"
        )
    demo_names = {u.username for u in DEMO_USERS}
    others = sorted(set(session.scalars(select(User.username))) - demo_names)
    if others:
        return (
            f"该数据目录中已有非演示账号（{'、'.join(others[:3])}），不像演示数据目录；"
            "演示账号使用公开的密码，为安全起见不生成演示数据。"
        )
    return None


@contextmanager
def _one_transaction(store: Store) -> Iterator[Callable[[], Session]]:
    """Sessions that each run in a savepoint of one outer transaction, committed at the end."""
    with store.engine.connect() as connection:
        outer = connection.begin()

        def sessions() -> Session:
            return Session(
                bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
            )

        try:
            yield sessions
        except BaseException:
            outer.rollback()
            raise
        outer.commit()


def seed_demo_centre(
    store: Store,
    *,
    cases: int = DEFAULT_CASES,
    seed: int = DEFAULT_SEED,
    now: dt.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SeedReport:
    """Make ``store`` the demo centre: catalogue, settings, demo users, proxy authorizations, and
    ``cases`` cases in every state over the past ~60 days, all through the real use cases.

    Refuses (``DemoAlreadySeeded``, nothing changed) when the store already has cases or
    non-demo accounts. ``progress(done, total)`` is called now and then (for a progress bar).
    """
    if cases < MIN_CASES:
        raise ValidationError("办件数", f"演示办件数至少为 {MIN_CASES}（每种状态至少一件）。")
    with store.reader() as session:
        refusal = _refusal(session)
    if refusal:
        raise DemoAlreadySeeded(refusal)
    demo.prepare_demo(store)
    now = now or utcnow()
    today = local_date(now)
    rng = random.Random(seed)
    with _one_transaction(store) as sessions:
        with sessions() as session, session.begin():
            refusal = _refusal(session)  # checked again inside the transaction that writes
            if refusal:
                raise DemoAlreadySeeded(refusal)
            created = seed_demo_users(session)
            workstation = settings.WORKSTATION_CODE.get(session)
            yellow = settings.YELLOW_AT_WORKING_DAYS.get(session)
            calendar = work_calendar(session)
            items = load_items(session)
            people = load_people(session, workstation)
        timeline = Timeline(rng, calendar, today, yellow)
        planner = Planner(rng, timeline, items, people)
        plans = [planner.plan(n, target) for n, target in enumerate(planner.targets(cases))]
        for plan in plans:
            timeline.schedule(plan)
        first_day = min(plan.days[0] for plan in plans)
        clock = Clock(now)
        ctx = CaseContext(sessions, sessions, calendar, clock)
        register_authorizations(
            ctx, clock, planner.authorizations, working_days_back(calendar, first_day, 1)
        )
        replay(ctx, clock, people, rng, plans, progress)
        ratings = rate_history(sessions, people.supervisors[0], calendar, rng, now)
        with sessions() as session:
            by_state = {
                state: count
                for state, count in session.execute(
                    select(Case.state, func.count()).group_by(Case.state)
                )
            }
            actions = session.scalar(select(func.count()).select_from(CaseAction)) or 0
    return SeedReport(
        cases=sum(by_state.values()),
        actions=actions,
        authorizations=len(planner.authorizations),
        ratings=ratings,
        users_created=tuple(created),
        by_state=by_state,
        first_day=first_day,
        last_day=max(plan.days[-1] for plan in plans),
    )
