"""The dashboard's ready periods — 本月, 上月, 本周, 今天, 本年 — judged on a given today."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from app.reports.period import Period

__all__ = ["Preset", "period_of"]


class Preset(StrEnum):
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    THIS_WEEK = "this_week"
    TODAY = "today"
    THIS_YEAR = "this_year"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Preset.THIS_MONTH: "本月",
    Preset.LAST_MONTH: "上月",
    Preset.THIS_WEEK: "本周",
    Preset.TODAY: "今天",
    Preset.THIS_YEAR: "本年",
}


def period_of(preset: Preset, today: dt.date) -> Period:
    if preset is Preset.THIS_MONTH:
        return Period.month(today.year, today.month)
    if preset is Preset.LAST_MONTH:
        last = today.replace(day=1) - dt.timedelta(days=1)
        return Period.month(last.year, last.month)
    if preset is Preset.THIS_WEEK:
        return Period.week(today)
    if preset is Preset.TODAY:
        return Period.day(today)
    return Period.year(today.year)
