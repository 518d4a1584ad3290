"""The cases behind each figure: as many entries as the figure, by the figure's own conditions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.actor import Actor
from app.cases import decisions as d
from app.cases import intake, queries
from app.errors import PermissionDenied, ValidationError
from app.reports.behind import BEHIND_FIGURES, Behind, cases_behind
from app.reports.figures import FigureRow, Grouping, figures
from app.reports.period import Period
from db.store import Store
from tests.centre import Centre
from tests.reports.demo_store import TODAY, actor_of, calendar_of, demo_store

PERIODS = (
    Period.month(TODAY.year, TODAY.month),
    Period(TODAY.replace(month=9, day=20), TODAY),  # the demo's whole history
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    yield from demo_store(tmp_path_factory)


def behind(
    store: Store,
    actor: Actor,
    name: str,
    period: Period,
    grouping: Grouping,
    key: str,
    *,
    limit: int = 1000,
    offset: int = 0,
) -> Behind:
    with store.reader() as session:
        return cases_behind(
            session,
            actor,
            name,
            period,
            grouping,
            key,
            today=TODAY,
            calendar=calendar_of(store),
            limit=limit,
            offset=offset,
        )


@pytest.mark.parametrize("grouping", list(Grouping))
def test_every_figure_has_as_many_cases_behind_it(demo: Store, grouping: Grouping) -> None:
    supervisor = actor_of(demo, "supervisor1")
    seen: set[str] = set()
    for period in PERIODS:
        with demo.reader() as session:
            found = figures(session, period, grouping, today=TODAY, calendar=calendar_of(demo))
        for row in found.rows:
            for name in BEHIND_FIGURES:
                figure = getattr(row, name)
                listed = behind(demo, supervisor, name, period, grouping, row.key)
                assert listed.figure == figure, (period.label, row.key, name)
                assert len(listed.listing.rows) == listed.listing.total, (row.key, name)
                if figure:
                    seen.add(name)
    # The demo has every kind of figure somewhere (else the loop above proves little).
    assert seen == set(BEHIND_FIGURES)


def test_the_lists_are_the_figures_own_cases(demo: Store) -> None:
    """Standing lists are the desks' own lists (app.cases.queries); names are masked."""
    supervisor = actor_of(demo, "supervisor1")
    month = PERIODS[0]
    with demo.reader() as session:
        overdue = {r.case_id for r in queries.overdue(session, supervisor, TODAY, limit=10_000)}
        nearly = queries.nearly_due(session, supervisor, TODAY, calendar_of(demo), limit=10_000)
        watchdog = queries.watchdog(session, supervisor, TODAY, limit=10_000)
        names = {r.case_id: r.applicant_name for r in nearly}
    listed = behind(demo, supervisor, "overdue", month, Grouping.CENTRE, "")
    assert overdue and {r.row.case_id for r in listed.listing.rows} == overdue
    assert all(r.status == "red" for r in listed.listing.rows)
    listed = behind(demo, supervisor, "nearly_due", month, Grouping.CENTRE, "")
    assert {r.row.case_id for r in listed.listing.rows} == set(names)
    for r in listed.listing.rows:
        full = names[r.row.case_id]
        assert r.row.applicant_name == full[0] + "*" * (len(full) - 1)
    listed = behind(demo, supervisor, "watchdog", month, Grouping.CENTRE, "")
    assert [r.row.case_id for r in listed.listing.rows] == [r.case_id for r in watchdog]


def test_pages_add_up_to_the_whole(demo: Store) -> None:
    supervisor = actor_of(demo, "supervisor1")
    period = PERIODS[1]
    whole = behind(demo, supervisor, "received", period, Grouping.CENTRE, "")
    assert whole.listing.total > 25
    pages = [
        behind(demo, supervisor, "received", period, Grouping.CENTRE, "", limit=10, offset=o)
        for o in range(0, whole.listing.total, 10)
    ]
    paged = [r.row.case_id for p in pages for r in p.listing.rows]
    assert paged == [r.row.case_id for r in whole.listing.rows]


def test_an_approver_may_list_only_their_own(demo: Store) -> None:
    approver = actor_of(demo, "approver1")
    month = PERIODS[1]
    own = behind(demo, approver, "decided", month, Grouping.PERSON, "approver1")
    assert own.figure > 0
    with pytest.raises(PermissionDenied):
        behind(demo, approver, "decided", month, Grouping.PERSON, "approver2")
    with pytest.raises(PermissionDenied):
        behind(demo, approver, "overdue", month, Grouping.CENTRE, "")
    with pytest.raises(PermissionDenied):
        behind(demo, actor_of(demo, "clerk1"), "overdue", month, Grouping.CENTRE, "")
    with pytest.raises(ValidationError) as refused:
        behind(demo, approver, "decision_working_days", month, Grouping.PERSON, "approver1")
    assert refused.value.field == "统计指标"


def test_a_case_told_twice_is_listed_at_each_notice(centre: Centre) -> None:
    """一次性告知 counts each notice: a case told, supplemented and told again is two entries."""
    c = centre
    clerk = c.actor("clerk")
    required = c.required_materials("最低生活保障")
    case_id = c.walk_in("最低生活保障", materials=required[:-1]).case_id
    missing = [{"name": required[-1], "how": "原件一份"}]
    d.request_supplement(c.ctx, clerk, case_id, missing)
    c.clock.advance(days=1)
    intake.supplement(c.ctx, clerk, case_id, [intake.MaterialIn(required[-1])])
    d.request_supplement(c.ctx, clerk, case_id, missing)
    period = Period.month(2026, 3)
    today = c.clock.now.date()
    with c.store.reader() as session:
        row: FigureRow = figures(
            session, period, Grouping.CENTRE, today=today, calendar=c.ctx.calendar
        ).total
        listed = cases_behind(
            session,
            c.actor("supervisor"),
            "supplement_requests",
            period,
            Grouping.CENTRE,
            "",
            today=today,
            calendar=c.ctx.calendar,
        )
    assert row.supplement_requests == 2 == listed.figure
    assert [r.row.case_id for r in listed.listing.rows] == [case_id, case_id]
    assert row.received == 1  # received again after 补正 is not counted again
