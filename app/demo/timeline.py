"""When the demo cases happen: the working days of the past ~60 days, and how a plan is anchored
in them (overdue, nearly due, fresh, or anywhere in the history) and each operation given its
day."""

from __future__ import annotations

import datetime as dt
import random

from app.demo.items import promised_due
from app.demo.plans import Plan
from app.workcalendar import WorkCalendar

HISTORY_DAYS = 60  # calendar days of history before today


def working_days_back(cal: WorkCalendar, day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day before ``day`` (``day`` itself for n=0)."""
    for _ in range(n):
        day -= dt.timedelta(days=1)
        while not cal.is_working_day(day):
            day -= dt.timedelta(days=1)
    return day


class Timeline:
    def __init__(self, rng: random.Random, cal: WorkCalendar, today: dt.date, yellow: int) -> None:
        self.rng = rng
        self.cal = cal
        self.today = today
        self.horizon = cal.add_working_days(today, yellow) if yellow > 0 else today
        self.window = cal.working_days_between(today - dt.timedelta(days=HISTORY_DAYS), today)

    def anchor(self, plan: Plan, index: int, back: int) -> None:
        plan.anchor, plan.anchor_back = index, back

    def anchor_start(self, plan: Plan) -> None:
        span = sum(op.gap for op in plan.ops[1:])
        slack = max(0, self.window - span - 1)
        self.anchor(plan, 0, 1 + span + self.rng.randint(0, slack))

    def anchor_clock(self, plan: Plan, accept_at: int, urgency: str) -> None:
        days, rng = plan.item.days, self.rng
        if urgency == "overdue":
            back = days + 1 + rng.randint(1, 8)
        elif urgency == "nearly":
            choices = [
                j
                for j in range(1, days + 3)
                if self.today
                <= promised_due(self.cal, plan.item, working_days_back(self.cal, self.today, j))
                <= self.horizon
            ]
            back = rng.choice(choices) if choices else 1
        elif urgency == "fresh":
            back = rng.randint(1, 2)
        else:
            back = rng.randint(1, min(self.window, days + 3))
        self.anchor(plan, accept_at, back)

    def schedule(self, plan: Plan) -> None:
        cal, ops = self.cal, plan.ops
        assert plan.anchor_back is not None
        last_day = working_days_back(cal, self.today, 1)
        days: list[dt.date] = [self.today] * len(ops)
        days[plan.anchor] = working_days_back(cal, self.today, plan.anchor_back)
        for i in range(plan.anchor - 1, -1, -1):
            days[i] = working_days_back(cal, days[i + 1], ops[i + 1].gap)
        for i in range(plan.anchor + 1, len(ops)):
            days[i] = min(cal.add_working_days(days[i - 1], ops[i].gap), last_day)
        plan.days = days
