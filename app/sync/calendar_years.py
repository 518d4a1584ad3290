"""The calendar years the county published, taken down at every sync and stored as this
workstation's county layer (``app.settings.calendar.store_year``), audited. A year the
workstation's administrator added still wins over the county's (``work_calendar``)."""

from __future__ import annotations

from app import settings
from app.audit import AuditEvent, record
from app.settings.calendar import store_year
from app.sync.catalogue import COUNTY_ACTOR
from app.sync.transport import Transport
from app.workcalendar import YearTable, YearTableError
from db.models import CalendarYear
from db.store import Store


def pull_calendar(store: Store, transport: Transport) -> list[int]:
    """Store every year the county published that differs from the one here; returns those
    years. A year that does not validate raises ``YearTableError`` and nothing is stored."""
    tables: list[YearTable] = []
    for copy in transport.calendar().years:
        try:
            table = YearTable.from_dict(copy.table)
        except YearTableError as error:
            raise YearTableError(
                [f"县级发布的 {copy.year}年 节假日安排：{p}" for p in error.problems]
            ) from error
        if table.year != copy.year:
            raise YearTableError([f"县级发布的 {copy.year}年 节假日安排实为 {table.year}年 的"])
        tables.append(table)
    changed: list[int] = []
    with store.session() as session, session.begin():
        workstation = settings.WORKSTATION_CODE.get(session)
        for table in tables:
            row = session.get(CalendarYear, (table.year, "county"))
            if row is not None and row.table == table.to_dict():
                continue
            store_year(session, table, "county", COUNTY_ACTOR)
            record(
                session,
                actor=COUNTY_ACTOR,
                workstation=workstation,
                event=AuditEvent.CALENDAR_YEAR_ADDED,
                subject=f"calendar:{table.year}",
                detail={
                    "year": table.year,
                    "holidays": len(table.holidays),
                    "workdays": len(table.workdays),
                    "source": "county",
                },
            )
            changed.append(table.year)
    return changed
