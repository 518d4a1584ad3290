"""The demo's clock, set by hand to each operation's moment, and the office-hours moments of a
plan's operations."""

from __future__ import annotations

import datetime as dt
import random

from app.demo.plans import Plan
from app.workflow.fold import CHINA_TZ, local_date


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def moments(plan: Plan, rng: random.Random) -> list[dt.datetime]:
    """Office-hours moments (China time, as UTC) for the plan's operations, strictly increasing."""
    result: list[dt.datetime] = []
    previous: dt.datetime | None = None
    for day in plan.days:
        if previous is not None and local_date(previous) == day:
            moment = previous + dt.timedelta(minutes=rng.randint(3, 12))
        else:
            start = dt.datetime.combine(day, dt.time(8, 30), CHINA_TZ)
            moment = start + dt.timedelta(minutes=rng.randint(0, 360))
        result.append(moment.astimezone(dt.UTC))
        previous = moment
    return result
