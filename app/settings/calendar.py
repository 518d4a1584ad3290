"""Use cases over the working-day calendar kept in the store.

Precedence, highest first: a year added by an admin, a year pushed by the county, the bundled
tables in ``resources/calendar/``, the chinesecalendar library; a year none of them covers is
counted Mon–Fri and every deadline touching it is marked provisional.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.audit import AuditEvent, authorize, record_for
from app.errors import InputFileError
from app.permissions import Permission
from app.workcalendar import WorkCalendar, YearTable, YearTableError, default_calendar
from db.base import utcnow
from db.models import CalendarYear

Source = Literal["admin", "county"]


@dataclass(frozen=True)
class StoredYear:
    year: int
    source: str
    holiday_count: int
    workday_count: int
    table_source: str
    updated_at: datetime
    updated_by: str


def work_calendar(session: Session) -> WorkCalendar:
    """The calendar in force on this workstation. Build it once and reuse it (it reads files)."""
    layers: dict[str, dict[int, YearTable]] = {"county": {}, "admin": {}}
    for row in session.scalars(select(CalendarYear)):
        layers[row.source][row.year] = YearTable.from_dict(row.table)
    return default_calendar(layers["county"], layers["admin"])


def store_year(session: Session, table: YearTable, source: Source, by: str) -> None:
    """Add or replace one year's table from ``source`` (inside the caller's transaction)."""
    row = session.get(CalendarYear, (table.year, source))
    if row is None:
        row = CalendarYear(year=table.year, source=source)
        session.add(row)
    row.table = table.to_dict()
    row.updated_by = by
    row.updated_at = utcnow()


def add_year_as(session: Session, actor: Actor, path: Path) -> YearTable:
    """An admin adds (or replaces) a year's table from a JSON file, audited; a bad file raises
    ``YearTableError`` naming it and saves nothing."""
    authorize(session, actor, Permission.CALENDAR_EDIT)
    table = _read_year(path)
    with session.begin():
        store_year(session, table, "admin", actor.username)
        record_for(
            session,
            actor,
            AuditEvent.CALENDAR_YEAR_ADDED,
            f"calendar:{table.year}",
            {
                "year": table.year,
                "holidays": len(table.holidays),
                "workdays": len(table.workdays),
                "file": path.name,
            },
        )
    return table


def _read_year(path: Path) -> YearTable:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"无法读取节假日表文件 {path}：{exc}") from exc
    try:
        table = YearTable.from_json(text)
    except YearTableError as exc:
        raise YearTableError([f"{path}：{problem}" for problem in exc.problems]) from exc
    return table


def stored_years(session: Session) -> list[StoredYear]:
    rows = session.scalars(select(CalendarYear).order_by(CalendarYear.year, CalendarYear.source))
    result = []
    for row in rows:
        table = YearTable.from_dict(row.table)
        result.append(
            StoredYear(
                row.year,
                row.source,
                len(table.holidays),
                len(table.workdays),
                table.source,
                row.updated_at,
                row.updated_by,
            )
        )
    return result
