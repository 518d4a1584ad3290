"""``onewindow calendar …``: an admin adds a year's table; anyone lists a year's special days."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TextIO

from app import calendar_service
from app.errors import AppError
from app.paths import default_data_dir
from app.workcalendar import DayType
from db.store import Store, open_store


def _open(args: argparse.Namespace) -> Store:
    return open_store(args.data_dir or default_data_dir(), args.key_file)


def run_add_year(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        store = _open(args)
    except AppError as error:
        print(error, file=err)
        return 1
    try:
        with store.session() as session:
            table = calendar_service.add_year_from_file(session, args.file, args.by)
    except AppError as error:  # YearTableError lists every problem in Chinese
        print(f"{args.file}：{error}", file=err)
        return 1
    except OSError as error:
        print(f"无法读取 {args.file}：{error.strerror}", file=err)
        return 1
    finally:
        store.close()
    print(
        f"{table.year}年 已载入：放假 {len(table.holidays)} 天，调休上班 {len(table.workdays)} 天"
        f"（来源：{table.source}）",
        file=out,
    )
    return 0


def run_show(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        store = _open(args)
    except AppError as error:
        print(error, file=err)
        return 1
    try:
        with store.session() as session:
            calendar = calendar_service.work_calendar(session)
    finally:
        store.close()
    year: int = args.year
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
