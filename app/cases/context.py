"""What every case use case needs besides the actor: its units of work, the calendar, the clock.

``sessions`` opens write units (the write lock from the start); ``readers`` read-only ones
(a snapshot, ``query_only``) for a case use case that only reads, such as building a document
for the screen or the printer before anything is archived."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from app.workcalendar import WorkCalendar
from db.base import utcnow


@dataclass(frozen=True)
class CaseContext:
    sessions: Callable[[], Session]
    readers: Callable[[], Session]
    calendar: WorkCalendar
    clock: Callable[[], datetime] = field(default=utcnow)
