"""Working-day calendar and case deadlines (行政许可法 §82; see docs/calendar.md)."""

from __future__ import annotations

from app.workcalendar.calendar import DataSource, DayKind, DayType, WorkCalendar, default_calendar
from app.workcalendar.deadlines import (
    Deadline,
    DeadlineStatus,
    Interval,
    deadline_status,
    natural_deadline,
    remaining_working_days,
    working_deadline,
)
from app.workcalendar.tables import (
    LIBRARY_YEARS,
    NamedDay,
    YearTable,
    YearTableError,
    library_year_table,
    load_year_tables,
    merge_tables,
)

__all__ = [
    "LIBRARY_YEARS",
    "DataSource",
    "DayKind",
    "DayType",
    "Deadline",
    "DeadlineStatus",
    "Interval",
    "NamedDay",
    "WorkCalendar",
    "YearTable",
    "YearTableError",
    "deadline_status",
    "default_calendar",
    "library_year_table",
    "load_year_tables",
    "merge_tables",
    "natural_deadline",
    "remaining_working_days",
    "working_deadline",
]
