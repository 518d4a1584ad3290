"""Calendar years as the county publishes them to all its centres: a year's holidays and adjusted
workdays (``app.workcalendar.YearTable``), which every workstation takes down at its next sync
(``GET /v1/calendar``) and counts working days by, above its bundled tables and the library and
below a year its own administrator added.

Publishing is a plain function for every way in (the command line, the staff's HTTP interface):
bad input raises an :class:`app.errors.AppError` with a Chinese message, and the caller's
transaction writes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import InputFileError, ValidationError
from app.sync.protocol import CalendarYears, PublishedYear
from app.system.paths import calendar_dir
from app.workcalendar import (
    WorkCalendar,
    YearTable,
    YearTableError,
    default_calendar,
    library_year_table,
    load_year_tables,
)
from county.catalogue import COUNTY_PUBLISHER
from county.store.models import PublishedYear as PublishedYearRow
from db.base import utcnow


@dataclass(frozen=True)
class CalendarPublication:
    year: int
    holidays: int
    workdays: int
    source: str
    new: bool  # False: the county had published this very table already

    def line(self) -> str:
        if not self.new:
            return f"{self.year}年 节假日安排与已发布的相同，未做任何更改。"
        return (
            f"已向全县各便民服务中心发布 {self.year}年 节假日安排：放假 {self.holidays} 天，"
            f"调休上班 {self.workdays} 天（来源：{self.source}），各工作站下次同步时载入。"
        )


def read_year_file(path: Path) -> YearTable:
    """A year table from a JSON file in the format ``onewindow calendar add`` reads."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"无法读取节假日安排表文件 {path}：{exc}") from exc
    try:
        return YearTable.from_json(text)
    except YearTableError as exc:
        raise YearTableError([f"{path}：{problem}" for problem in exc.problems]) from exc


def known_year(year: int) -> YearTable:
    """The year as the program already knows it (a bundled table, else the chinesecalendar
    library); a year neither covers must be published from a file."""
    table = load_year_tables(calendar_dir()).get(year) or library_year_table(year)
    if table is None:
        raise ValidationError(
            "year",
            f"程序内置数据中没有 {year}年 的节假日安排，请提供按国务院通知编制的节假日安排表文件。",
        )
    return table


def publish_calendar_year(
    session: Session, year: int, table: YearTable | None = None, *, by: str = COUNTY_PUBLISHER
) -> CalendarPublication:
    """Publish ``year``'s holidays and adjusted workdays to every centre, in the caller's
    transaction: ``table`` (read from a file), or the year as the program knows it. Publishing
    a year again replaces it. Raises ``ValidationError`` naming the field on bad input."""
    if isinstance(year, bool) or not 1949 <= year <= 2200:
        raise ValidationError("year", f"年份应为1949至2200之间的整数，而不是“{year}”。")
    chosen = known_year(year) if table is None else table
    if chosen.year != year:
        raise ValidationError(
            "year", f"节假日安排表是 {chosen.year}年 的，与要发布的年份 {year} 不一致。"
        )
    content = chosen.to_dict()
    row = session.get(PublishedYearRow, year)
    new = row is None or row.table != content
    if row is None:
        row = PublishedYearRow(year=year, table=content, published_by=by)
        session.add(row)
    elif new:
        row.table, row.published_by, row.published_at = content, by, utcnow()
    session.flush()
    return CalendarPublication(year, len(chosen.holidays), len(chosen.workdays), chosen.source, new)


def calendar_answer(session: Session) -> CalendarYears:
    """``GET /v1/calendar``: every year the county published, in year order."""
    rows = session.scalars(select(PublishedYearRow).order_by(PublishedYearRow.year))
    return CalendarYears(years=[PublishedYear(year=r.year, table=r.table) for r in rows])


class CountyCalendar:
    """The calendar the county judges by, read from its published years at each use and rebuilt
    only when they changed (a year published while the service runs counts from the next
    operation on). ``fixed``: a calendar given instead (the tests' own)."""

    def __init__(self, fixed: WorkCalendar | None = None) -> None:
        self._fixed = fixed
        self._built: tuple[tuple[tuple[int, str], ...], WorkCalendar] | None = None

    def __call__(self, session: Session) -> WorkCalendar:
        if self._fixed is not None:
            return self._fixed
        rows = session.execute(
            select(PublishedYearRow.year, PublishedYearRow.table).order_by(PublishedYearRow.year)
        ).all()
        key = tuple((year, json.dumps(table, sort_keys=True)) for year, table in rows)
        built = self._built
        if built is None or built[0] != key:
            calendar = default_calendar({y: YearTable.from_dict(t) for y, t in rows})
            built = self._built = (key, calendar)  # one assignment: safe across threads
        return built[1]
