"""Replaying the plans through the use cases: the residents' 代办委托书 signed before the history
starts, then every operation of every case in time order, the clock set to its moment."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence

from sqlalchemy import select

from app.cases import intake
from app.cases.context import CaseContext
from app.demo.clock import Clock, moments
from app.demo.operations import Performer
from app.demo.people import People
from app.demo.plans import Authorization, Plan
from app.workflow.fold import CHINA_TZ
from db.models import ProxyAuthorization


def register_authorizations(
    ctx: CaseContext, clock: Clock, authorizations: Sequence[Authorization], day: dt.date
) -> None:
    """The residents sign their 代办委托书 before the history starts (valid for a year)."""
    start = dt.datetime.combine(day, dt.time(8, 10), CHINA_TZ).astimezone(dt.UTC)
    for n, auth in enumerate(authorizations):
        clock.now = start + dt.timedelta(minutes=3 * n)
        auth.id = intake.register_authorization(
            ctx, auth.proxy, auth.resident, auth.matters, day + dt.timedelta(days=365)
        ).authorization_id
    with ctx.sessions() as session:
        numbers = {
            auth_id: number
            for auth_id, number in session.execute(
                select(ProxyAuthorization.id, ProxyAuthorization.authorization_no)
            )
        }
    for auth in authorizations:
        assert auth.id is not None
        auth.number = numbers[auth.id]


def replay(
    ctx: CaseContext,
    clock: Clock,
    people: People,
    rng: random.Random,
    plans: Sequence[Plan],
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Perform every operation of every plan in time order; ``progress(done, total)`` now and
    then. ``plans[i].index`` must be ``i``."""
    events = sorted(
        (moment, plan.index, n) for plan in plans for n, moment in enumerate(moments(plan, rng))
    )
    performer = Performer(ctx, clock, people, rng)
    for done, (moment, index, n) in enumerate(events, 1):
        clock.now = moment
        performer.perform(plans[index], plans[index].ops[n])
        if progress is not None and (done % 100 == 0 or done == len(events)):
            progress(done, len(events))
