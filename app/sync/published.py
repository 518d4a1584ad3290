"""What the county publishes to the centre — the catalogue and the calendar years — taken down
before the cases are pulled: a case another workstation filed under a newly published item
version finds it here, and the cases folded in this round count by the years just published."""

from __future__ import annotations

from app.settings.calendar import work_calendar
from app.sync.calendar_years import pull_calendar
from app.sync.catalogue import pull_catalogue
from app.sync.transport import Transport
from app.workcalendar import WorkCalendar
from db.store import Store


def pull_published(store: Store, transport: Transport, calendar: WorkCalendar) -> WorkCalendar:
    """Install what the county published since the last sync; returns the calendar to count by
    from now on (``calendar`` itself when no year changed)."""
    pull_catalogue(store, transport)
    if not pull_calendar(store, transport):
        return calendar
    with store.reader() as session:
        return work_calendar(session)
