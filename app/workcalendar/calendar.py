"""The working-day calendar: which dates the service centre counts as working days.

For a date ``d`` of year ``y`` the first source that applies decides:

1. a spill-over entry for ``d`` in the explicit table of ``y + 1`` (a later notice adjusting the
   end of December);
2. the explicit table of ``y`` (admin / county / bundled — see :func:`merge_tables`);
3. the ``chinesecalendar`` library, if it covers ``y`` and ``use_library`` is on;
4. no data: the weekday rule (Mon–Fri work). Callers learn it through :meth:`has_data` /
   :meth:`missing_years`, and deadlines carry ``provisional=True``; nothing raises.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from app.system.paths import calendar_dir
from app.workcalendar.tables import (
    LIBRARY_YEARS,
    YearTable,
    library_day,
    load_year_tables,
    merge_tables,
)

__all__ = ["DataSource", "DayKind", "DayType", "WorkCalendar", "default_calendar"]

_ONE_DAY = dt.timedelta(days=1)
# No real calendar has a run of non-working days this long; hitting it means corrupt data.
_MAX_GAP_DAYS = 400
_DAY_BY_DAY = 62  # longer spans are counted from the years' running totals
REMEMBERED = 100_000  # results ``WorkCalendar.remembered`` keeps (deadlines: a few hundred bytes)
T = TypeVar("T")


class DayType(StrEnum):
    WORKING = "working"  # an ordinary Mon–Fri working day
    WEEKEND = "weekend"  # an ordinary Saturday or Sunday
    HOLIDAY = "holiday"  # a statutory holiday or 调休 day off (any weekday)
    MAKEUP_WORKDAY = "makeup_workday"  # a Saturday or Sunday worked because of 调休


class DataSource(StrEnum):
    TABLE = "table"  # an explicit year table
    LIBRARY = "library"  # the chinesecalendar package
    WEEKDAY_RULE = "weekday_rule"  # no data for the year: Mon–Fri assumed


@dataclass(frozen=True)
class DayKind:
    """What one date is, by which source, with the holiday's name where there is one."""

    date: dt.date
    kind: DayType
    name: str | None
    source: DataSource

    @property
    def is_working(self) -> bool:
        return self.kind in (DayType.WORKING, DayType.MAKEUP_WORKDAY)

    @property
    def provisional(self) -> bool:
        return self.source is DataSource.WEEKDAY_RULE

    @property
    def label(self) -> str:
        """A short Chinese description for screens, e.g. ``春节放假`` or ``春节调休上班``."""
        if self.kind is DayType.HOLIDAY:
            return f"{self.name}放假" if self.name else "节假日"
        if self.kind is DayType.MAKEUP_WORKDAY:
            return f"{self.name}调休上班" if self.name else "调休上班"
        text = "工作日" if self.kind is DayType.WORKING else "休息日"
        return f"{text}（未发布节假日安排，按周一至周五推算）" if self.provisional else text


def _as_date(d: dt.date) -> dt.date:
    return d.date() if isinstance(d, dt.datetime) else d


class WorkCalendar:
    """Working days per the official arrangement; immutable once built (safe across threads)."""

    def __init__(
        self, tables: Mapping[int, YearTable] | None = None, use_library: bool = True
    ) -> None:
        self._tables: dict[int, YearTable] = merge_tables(tables or {})
        self._use_library = use_library
        self._cache: dict[dt.date, DayKind] = {}
        self._remembered: dict[Hashable, Any] = {}

    def __repr__(self) -> str:
        return f"WorkCalendar(tables={sorted(self._tables)}, use_library={self._use_library})"

    def remembered(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, kept under ``key``, for a result that depends on nothing but this
        calendar and the key (a deadline: the fold computes the same ones again and again). At
        most ``REMEMBERED`` are kept; then they are forgotten and kept afresh."""
        if key in self._remembered:
            found: T = self._remembered[key]
            return found
        result = compute()
        if len(self._remembered) >= REMEMBERED:
            self._remembered = {}
        self._remembered[key] = result
        return result

    # --- coverage ------------------------------------------------------------------------------

    def has_data(self, year: int) -> bool:
        """True when the year's official arrangement is known (table or library)."""
        return year in self._tables or (self._use_library and year in LIBRARY_YEARS)

    def known_years(self) -> tuple[int, ...]:
        years = set(self._tables)
        if self._use_library:
            years.update(LIBRARY_YEARS)
        return tuple(sorted(years))

    def missing_years(self, first: dt.date, last: dt.date) -> tuple[int, ...]:
        """Years between the two dates (inclusive, either order) that have no data."""
        low, high = sorted((_as_date(first).year, _as_date(last).year))
        return tuple(y for y in range(low, high + 1) if not self.has_data(y))

    def table(self, year: int) -> YearTable | None:
        """The explicit table in force for ``year``, if any."""
        return self._tables.get(year)

    # --- single days ---------------------------------------------------------------------------

    def day_kind(self, d: dt.date) -> DayKind:
        d = _as_date(d)
        cached = self._cache.get(d)
        if cached is None:
            cached = self._classify(d)
            self._cache[d] = cached
        return cached

    def _classify(self, d: dt.date) -> DayKind:
        later = self._tables.get(d.year + 1)
        if later is not None and later.covers(d):
            return self._from_table(d, later)
        table = self._tables.get(d.year)
        if table is not None:
            return self._from_table(d, table)
        if self._use_library and d.year in LIBRARY_YEARS:
            listed = library_day(d)
            if listed is not None:
                kind = DayType.HOLIDAY if listed[0] == "holiday" else DayType.MAKEUP_WORKDAY
                return DayKind(d, kind, listed[1], DataSource.LIBRARY)
            return self._weekday(d, DataSource.LIBRARY)
        return self._weekday(d, DataSource.WEEKDAY_RULE)

    @staticmethod
    def _from_table(d: dt.date, table: YearTable) -> DayKind:
        name = table.holiday_name(d)
        if name is not None:
            return DayKind(d, DayType.HOLIDAY, name, DataSource.TABLE)
        name = table.workday_name(d)
        if name is not None:
            return DayKind(d, DayType.MAKEUP_WORKDAY, name, DataSource.TABLE)
        return WorkCalendar._weekday(d, DataSource.TABLE)

    @staticmethod
    def _weekday(d: dt.date, source: DataSource) -> DayKind:
        kind = DayType.WORKING if d.weekday() < 5 else DayType.WEEKEND
        return DayKind(d, kind, None, source)

    def is_working_day(self, d: dt.date) -> bool:
        return self.day_kind(d).is_working

    # --- counting ------------------------------------------------------------------------------

    def next_working_day(self, d: dt.date) -> dt.date:
        """The first working day strictly after ``d``."""
        day = _as_date(d)
        for _ in range(_MAX_GAP_DAYS):
            day += _ONE_DAY
            if self.is_working_day(day):
                return day
        raise RuntimeError(f"no working day within {_MAX_GAP_DAYS} days after {d}")

    def working_day_on_or_after(self, d: dt.date) -> dt.date:
        """``d`` itself if it is a working day, else the next one (民法典 §203 roll-forward)."""
        d = _as_date(d)
        return d if self.is_working_day(d) else self.next_working_day(d)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start`` (``start`` itself never counts; n=0: start)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        day = _as_date(start)
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days ``d`` with ``a < d <= b``; negative when ``b`` is before ``a``.

        So ``working_days_between(s, add_working_days(s, n)) == n``. A long span (a case
        overdue for years) is counted from each year's running totals, not day by day."""
        a, b = _as_date(a), _as_date(b)
        if b < a:
            return -self.working_days_between(b, a)
        if (b - a).days > _DAY_BY_DAY:
            return self._by_year_totals(a, b)
        count = 0
        day = a
        while day < b:
            day += _ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count

    def _by_year_totals(self, a: dt.date, b: dt.date) -> int:
        """``working_days_between(a, b)`` for ``a <= b`` from each year's running totals."""
        first, last = self._year_prefix(a.year), self._year_prefix(b.year)
        through_a = first[a.timetuple().tm_yday - 1]
        through_b = last[b.timetuple().tm_yday - 1]
        if a.year == b.year:
            return through_b - through_a
        between = sum(self._year_prefix(y)[-1] for y in range(a.year + 1, b.year))
        return first[-1] - through_a + between + through_b

    def _year_prefix(self, year: int) -> list[int]:
        """Per day of ``year``: working days from 1 January through that day."""

        def compute() -> list[int]:
            totals, count = [], 0
            day = dt.date(year, 1, 1)
            while day.year == year:
                count += self.is_working_day(day)
                totals.append(count)
                day += _ONE_DAY
            return totals

        return self.remembered(("working_prefix", year), compute)


def default_calendar(*overrides: Mapping[int, YearTable]) -> WorkCalendar:
    """The calendar the app uses: bundled tables, then each override layer (later wins), library.

    Call as ``default_calendar(county_tables, admin_tables)``.
    """
    bundled = load_year_tables(calendar_dir())
    return WorkCalendar(merge_tables(bundled, *overrides))
