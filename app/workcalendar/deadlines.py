"""Deadlines of cases: working-day and natural-day limits, suspensions, extensions, alert colours.

Rules (行政许可法 §82, 民法典 §201/§203, DESIGN §3):

* The start day (受理日) never counts; a limit of N working days ends on the N-th working day after
  it. A 0-day limit (即办件) is due on the acceptance day itself.
* Suspensions (特别程序 / 挂起) are :class:`Interval` ``[start, end)``: the days from ``start``
  up to the day before ``end`` (the resume day) do not count. Resuming on the day of suspending
  costs nothing. Overlapping intervals count once.
* An open suspension (``end=None``) is counted as if the case resumed on ``as_of`` (default: today):
  the result has ``suspended=True`` and ``due`` is the earliest possible deadline; every further day
  of suspension moves it later.
* Approved extensions (延期) add working days (natural days for natural limits).
* Natural-day limits whose last day is not a working day end on the next working day (§203).
* ``provisional`` is True when a year consulted for the count has no official arrangement; the
  count used Mon–Fri there and ``provisional_years`` says which years.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from app.workcalendar.calendar import WorkCalendar

__all__ = [
    "Deadline",
    "DeadlineStatus",
    "Interval",
    "deadline_status",
    "natural_deadline",
    "remaining_working_days",
    "working_deadline",
]

_ONE_DAY = dt.timedelta(days=1)

DeadlineStatus = Literal["green", "yellow", "red"]


@dataclass(frozen=True)
class Interval:
    """A suspension: from ``start`` (first day not counted) until ``end`` (the resume day, which
    counts again); ``end=None`` while still suspended."""

    start: dt.date
    end: dt.date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"suspension ends ({self.end}) before it starts ({self.start})")


@dataclass(frozen=True)
class Deadline:
    """A computed due date and how it was reached.

    ``basis`` is a Chinese sentence for screens and notices. ``suspended`` means an open
    suspension: ``due`` assumes the case resumes on ``as_of`` and will move later.
    ``paused_days`` counts the days (working or natural, as the limit) not counted because of
    suspensions; ``extension_days`` the approved extension included.
    """

    due: dt.date
    provisional: bool
    provisional_years: tuple[int, ...]
    basis: str
    suspended: bool = False
    paused_days: int = 0
    extension_days: int = 0


def _closed_spans(
    suspensions: Sequence[Interval], as_of: dt.date | None
) -> tuple[list[tuple[dt.date, dt.date]], bool]:
    """Suspensions as half-open ``(start, end)`` pairs, open ones ended at ``as_of``."""
    spans: list[tuple[dt.date, dt.date]] = []
    still_open = False
    for interval in suspensions:
        end = interval.end
        if end is None:
            still_open = True
            end = max(as_of or dt.date.today(), interval.start)
        spans.append((interval.start, end))
    return spans, still_open


def _paused(d: dt.date, spans: list[tuple[dt.date, dt.date]]) -> bool:
    return any(start <= d < end for start, end in spans)


def _provisional_note(years: tuple[int, ...]) -> str:
    if not years:
        return ""
    listed = "、".join(str(y) for y in years)
    return f"；其中{listed}年的节假日安排尚未发布，按周一至周五推算，日期仅供参考"


def working_deadline(
    cal: WorkCalendar,
    accepted_on: dt.date,
    working_days: int,
    suspensions: Sequence[Interval] = (),
    extension_working_days: int = 0,
    *,
    as_of: dt.date | None = None,
) -> Deadline:
    """The due date of a limit of ``working_days`` working days from ``accepted_on``."""
    if working_days < 0 or extension_working_days < 0:
        raise ValueError("working days and extension must be >= 0")
    spans, still_open = _closed_spans(suspensions, as_of)
    key = ("working", accepted_on, working_days, tuple(spans), still_open, extension_working_days)
    return cal.remembered(
        key,
        lambda: _working_deadline(
            cal, accepted_on, working_days, spans, still_open, extension_working_days
        ),
    )


def _working_deadline(
    cal: WorkCalendar,
    accepted_on: dt.date,
    working_days: int,
    spans: list[tuple[dt.date, dt.date]],
    still_open: bool,
    extension_working_days: int,
) -> Deadline:
    total = working_days + extension_working_days
    day = accepted_on
    counted = paused = 0
    while counted < total:
        day = cal.next_working_day(day)
        if _paused(day, spans):
            paused += 1
        else:
            counted += 1
    missing = cal.missing_years(accepted_on + _ONE_DAY, day) if total else ()
    if total == 0:
        basis = f"即办，受理当日（{accepted_on.isoformat()}）办结"
    else:
        basis = f"自受理日（{accepted_on.isoformat()}）次日起算{working_days}个工作日"
        if extension_working_days:
            basis += f"，批准延期{extension_working_days}个工作日"
        if paused:
            basis += f"，特别程序（挂起）期间{paused}个工作日不计"
        if still_open:
            basis += "，目前仍在挂起中，恢复后顺延"
    return Deadline(
        due=day,
        provisional=bool(missing),
        provisional_years=missing,
        basis=basis + _provisional_note(missing),
        suspended=still_open,
        paused_days=paused,
        extension_days=extension_working_days,
    )


def natural_deadline(
    cal: WorkCalendar,
    start: dt.date,
    days: int,
    suspensions: Sequence[Interval] = (),
    extension_days: int = 0,
    *,
    as_of: dt.date | None = None,
) -> Deadline:
    """The due date of a limit of ``days`` natural days from ``start`` (start day not counted).

    If the last day is not a working day, the next working day is the due date (民法典 §203).
    """
    if days < 0 or extension_days < 0:
        raise ValueError("days and extension must be >= 0")
    spans, still_open = _closed_spans(suspensions, as_of)
    key = ("natural", start, days, tuple(spans), still_open, extension_days)
    return cal.remembered(
        key, lambda: _natural_deadline(cal, start, days, spans, still_open, extension_days)
    )


def _natural_deadline(
    cal: WorkCalendar,
    start: dt.date,
    days: int,
    spans: list[tuple[dt.date, dt.date]],
    still_open: bool,
    extension_days: int,
) -> Deadline:
    total = days + extension_days
    day = start
    counted = paused = 0
    while counted < total:
        day += _ONE_DAY
        if _paused(day, spans):
            paused += 1
        else:
            counted += 1
    due = cal.working_day_on_or_after(day) if total else day
    missing = cal.missing_years(day, due) if total else ()
    if total == 0:
        basis = f"即办，当日（{start.isoformat()}）办结"
    else:
        basis = f"自{start.isoformat()}次日起算{days}个自然日"
        if extension_days:
            basis += f"，批准延期{extension_days}日"
        if paused:
            basis += f"，特别程序（挂起）期间{paused}日不计"
        if still_open:
            basis += "，目前仍在挂起中，恢复后顺延"
        if due != day:
            basis += f"；期限末日{day.isoformat()}为休息日，顺延至其后第一个工作日"
    return Deadline(
        due=due,
        provisional=bool(missing),
        provisional_years=missing,
        basis=basis + _provisional_note(missing),
        suspended=still_open,
        paused_days=paused,
        extension_days=extension_days,
    )


def remaining_working_days(cal: WorkCalendar, today: dt.date, due: dt.date) -> int:
    """Working days left until ``due`` (0 on the due day itself); negative once overdue.

    Overdue counts the working days since ``due`` but at least 1, so a case due on Friday is
    already -1 on Saturday.
    """
    if today <= due:
        return cal.working_days_between(today, due)
    return -max(1, cal.working_days_between(due, today))


def deadline_status(
    cal: WorkCalendar, today: dt.date, due: dt.date, yellow_at: int = 2
) -> DeadlineStatus:
    """``red`` when overdue, ``yellow`` when at most ``yellow_at`` working days are left."""
    if today > due:
        return "red"
    if remaining_working_days(cal, today, due) <= yellow_at:
        return "yellow"
    return "green"
