"""The report's month from text: ``2026-11`` (also ``2026-1``, ``2026年11月``)."""

from __future__ import annotations

import datetime as dt
import re

from app.errors import ValidationError
from app.reports.period import Period

__all__ = ["MONTH_FIELD", "last_month", "month_code", "month_label", "parse_month"]

MONTH_FIELD = "统计月份"
_MONTH = re.compile(r"\s*(\d{4})\s*(?:-|/|年)\s*(\d{1,2})\s*月?\s*")


def parse_month(text: str) -> Period:
    """The calendar month ``text`` names; :class:`ValidationError` naming 统计月份 otherwise."""
    match = _MONTH.fullmatch(text)
    if match is None:
        raise ValidationError(
            MONTH_FIELD, f"统计月份应写作 年-月，如 2026-11；收到「{text.strip()}」。"
        )
    year, month = int(match.group(1)), int(match.group(2))
    if not 2000 <= year <= 2099:
        raise ValidationError(MONTH_FIELD, f"统计月份的年份应在 2000 至 2099 之间，收到 {year}。")
    return Period.month(year, month)


def last_month(today: dt.date) -> Period:
    """The calendar month before ``today``'s (the report a supervisor makes at a month's start)."""
    first = today.replace(day=1) - dt.timedelta(days=1)
    return Period.month(first.year, first.month)


def month_label(period: Period) -> str:
    """``2026年11月``."""
    return f"{period.start.year}年{period.start.month}月"


def month_code(period: Period) -> str:
    """``2026-11`` (file names, the audit entry)."""
    return f"{period.start:%Y-%m}"
