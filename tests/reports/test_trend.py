"""The trend: a period cut into days or months, each bucket the figures of its own dates; and who
sees which dashboard (app.reports.scope, app.reports.dashboard)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from app.errors import PermissionDenied
from app.reports.dashboard import TOP_ITEMS, dashboard
from app.reports.figures import STANDING, FigureRow, Grouping, Part, figures
from app.reports.period import Period
from app.reports.presets import Preset, period_of
from app.reports.scope import scope_of
from app.reports.trend import Bucketing, trend
from db.store import Store
from tests.reports.demo_store import TODAY, actor_of, calendar_of, demo_store

HISTORY = Period(dt.date(2026, 9, 1), TODAY)  # the demo's ~60 days and more: by month


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    yield from demo_store(tmp_path_factory)


def figures_of(store: Store, period: Period, grouping: Grouping, key: str = "") -> FigureRow:
    with store.reader() as session:
        found = figures(session, period, grouping, today=TODAY, calendar=calendar_of(store))
    return found.total if grouping is Grouping.CENTRE else found.row(key)


def test_each_day_of_a_month_is_that_days_figures(demo: Store) -> None:
    month = Period.month(2026, 11)
    with demo.reader() as session:
        series = trend(session, month)
    assert series.bucketing is Bucketing.DAY and len(series.points) == 30
    assert series.points[0].label == "11月1日" and series.points[-1].period == Period.day(month.end)
    busy = [p for p in series.points if p.received or p.decided or p.rated]
    assert len(busy) > 5
    for point in busy[:8]:
        day = figures_of(demo, point.period, Grouping.CENTRE)
        assert (point.received, point.accepted, point.decided) == (
            day.received,
            day.accepted,
            day.decided,
        )
        assert (point.rated, point.satisfied) == (day.rated, day.satisfied)
        assert point.decided_on_time == day.decided_on_time
        assert point.on_time_rate == day.on_time_rate
        assert point.completion_rate == day.completion_rate
        assert point.satisfaction == day.satisfaction
    whole = figures_of(demo, month, Grouping.CENTRE)
    assert sum(p.received for p in series.points) == whole.received
    assert sum(p.decided for p in series.points) == whole.decided


def test_a_long_range_is_cut_into_months_and_its_parts(demo: Store) -> None:
    with demo.reader() as session:
        series = trend(session, HISTORY)
    assert series.bucketing is Bucketing.MONTH
    assert [p.label for p in series.points] == ["2026年9月", "2026年10月", "2026年11月"]
    assert series.points[-1].period == Period(dt.date(2026, 11, 1), TODAY)  # the part inside
    for point in series.points:
        month = figures_of(demo, point.period, Grouping.CENTRE)
        assert (point.received, point.accepted, point.decided, point.rated) == (
            month.received,
            month.accepted,
            month.decided,
            month.rated,
        )
    with demo.reader() as session:
        year = trend(session, Period.year(2026))
    assert len(year.points) == 12 and sum(p.received for p in year.points) == sum(
        p.received for p in series.points
    )


def test_an_approver_trend_is_their_own_person_row(demo: Store) -> None:
    with demo.reader() as session:
        own = trend(session, HISTORY, grouping=Grouping.PERSON, key="approver1")
    row = figures_of(demo, HISTORY, Grouping.PERSON, "approver1")
    assert row.decided > 0
    assert sum(p.decided for p in own.points) == row.decided
    assert sum(p.decided_on_time for p in own.points) == row.decided_on_time
    assert sum(p.accepted for p in own.points) == row.accepted
    assert sum(p.rated for p in own.points) == row.rated


def test_the_supervisor_sees_the_centre_an_approver_their_own(demo: Store) -> None:
    supervisor, approver = actor_of(demo, "supervisor1"), actor_of(demo, "approver1")
    assert scope_of(supervisor).centre
    mine = scope_of(approver)
    assert (mine.grouping, mine.key, mine.label) == (Grouping.PERSON, "approver1", "本人（李强）")
    with pytest.raises(PermissionDenied):
        scope_of(actor_of(demo, "clerk1"))

    calendar = calendar_of(demo)
    with demo.reader() as session:
        centre = dashboard(session, supervisor, HISTORY, today=TODAY, calendar=calendar)
    with demo.reader() as session:
        own = dashboard(session, approver, HISTORY, today=TODAY, calendar=calendar)
    whole = figures_of(demo, HISTORY, Grouping.CENTRE)
    assert vars(centre.figures) == vars(whole)
    assert sum(r.overdue for r in centre.overdue_by_window) == whole.overdue
    assert sum(r.overdue for r in centre.overdue_by_person) == whole.overdue
    volumes = [r.received for r in centre.items_by_volume]
    assert 0 < len(volumes) <= TOP_ITEMS and volumes == sorted(volumes, reverse=True)

    person = figures_of(demo, HISTORY, Grouping.PERSON, "approver1")
    assert own.figures.label == "本人（李强）"
    assert {k: v for k, v in vars(own.figures).items() if k != "label"} == {
        k: v for k, v in vars(person).items() if k != "label"
    }
    assert own.figures.decided < whole.decided  # not the centre's
    assert (own.overdue_by_window, own.overdue_by_person, own.items_by_volume) == ((), (), ())


def test_the_ready_periods() -> None:
    wed = dt.date(2026, 1, 7)
    assert period_of(Preset.THIS_MONTH, wed) == Period.month(2026, 1)
    assert period_of(Preset.LAST_MONTH, wed) == Period.month(2025, 12)  # across the year
    assert period_of(Preset.THIS_WEEK, wed) == Period(dt.date(2026, 1, 5), dt.date(2026, 1, 11))
    assert period_of(Preset.TODAY, wed) == Period.day(wed)
    assert period_of(Preset.THIS_YEAR, wed) == Period.year(2026)
    assert [p.label for p in Preset] == ["本月", "上月", "本周", "今天", "本年"]


def test_the_trend_of_this_month_stops_today(demo: Store) -> None:
    supervisor = actor_of(demo, "supervisor1")
    month = Period.month(2026, 11)
    with demo.reader() as session:
        shown = dashboard(session, supervisor, month, today=TODAY, calendar=calendar_of(demo))
    assert shown.period == month and len(shown.trend.points) == TODAY.day
    assert sum(p.received for p in shown.trend.points) == shown.figures.received


def test_figures_of_some_parts_only(demo: Store) -> None:
    """``parts``: the kinds of figure asked for, counted as in the whole; the others left 0."""
    with demo.reader() as session:
        whole = figures(session, HISTORY, Grouping.PERSON, today=TODAY, calendar=calendar_of(demo))
        standing = figures(
            session,
            HISTORY,
            Grouping.PERSON,
            today=TODAY,
            calendar=calendar_of(demo),
            parts=[Part.STANDING],
        )
    assert standing.total.overdue == whole.total.overdue > 0
    for name in STANDING:
        assert {r.key: getattr(r, name) for r in standing.rows if getattr(r, name)} == {
            r.key: getattr(r, name) for r in whole.rows if getattr(r, name)
        }
    assert (standing.total.received, standing.total.decided, standing.total.rated) == (0, 0, 0)
