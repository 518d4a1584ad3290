"""A report's period: a day, a week (Monday to Sunday), a month or a range of local dates.

Dates are China local dates (``app.workflow.fold.CHINA_TZ``), both ends included; the log's
``occurred_at`` is UTC, so a period is turned into a half-open UTC interval for the queries.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from app.errors import ValidationError
from app.workflow.fold import CHINA_TZ

__all__ = ["Period"]


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(
                "统计期间", f"结束日期（{self.end}）早于开始日期（{self.start}）。"
            )

    @classmethod
    def day(cls, day: dt.date) -> Period:
        return cls(day, day)

    @classmethod
    def week(cls, day: dt.date) -> Period:
        """The week (Monday to Sunday) holding ``day``."""
        monday = day - dt.timedelta(days=day.weekday())
        return cls(monday, monday + dt.timedelta(days=6))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise ValidationError("统计月份", f"月份应在 1 至 12 之间，收到 {month}。")
        last = calendar.monthrange(year, month)[1]
        return cls(dt.date(year, month, 1), dt.date(year, month, last))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @property
    def label(self) -> str:
        if self.start == self.end:
            return f"{self.start:%Y年%m月%d日}"
        return f"{self.start:%Y年%m月%d日}至{self.end:%Y年%m月%d日}"

    def utc_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """``[from, until)`` in UTC: local midnight of ``start`` to local midnight after ``end``."""
        return _utc_midnight(self.start), _utc_midnight(self.end + dt.timedelta(days=1))


def _utc_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), CHINA_TZ).astimezone(dt.UTC)
