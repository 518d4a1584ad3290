"""``onewindow calendar …``: an admin adds a year's table; anyone lists a year's special days."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TextIO

from sqlalchemy.orm import Session

from app.actor import Actor
from app.settings import calendar as calendar_service
from app.workcalendar import DayType


def add_year(session: Session, actor: Actor, path: Path, out: TextIO) -> int:
    table = calendar_service.add_year_as(session, actor, path)
    print(
        f"{table.year}年 已载入：放假 {len(table.holidays)} 天，调休上班 {len(table.workdays)} 天"
        f"（来源：{table.source}）",
        file=out,
    )
    return 0


def show_year(session: Session, year: int, out: TextIO) -> int:
    calendar = calendar_service.work_calendar(session)
    if not calendar.has_data(year):
        print(f"{year}年 没有节假日数据：按周一至周五计算工作日，期限标记为“暂定”。", file=out)
        return 0
    day = dt.date(year, 1, 1)
    while day.year == year:
        kind = calendar.day_kind(day)
        if kind.kind in (DayType.HOLIDAY, DayType.MAKEUP_WORKDAY):
            print(f"{day.isoformat()}  {kind.label}", file=out)
        day += dt.timedelta(days=1)
    return 0
