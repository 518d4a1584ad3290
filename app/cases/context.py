"""What every case use case needs besides the actor: sessions, the calendar, the clock."""

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
    calendar: WorkCalendar
    clock: Callable[[], datetime] = field(default=utcnow)
