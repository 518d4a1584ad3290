"""What the county publishes comes down to every workstation of the centre at its next sync: a
catalogue version (open cases keep the item version they were filed under, new cases take the new
one) and calendar years (due dates computed afterwards count by them). Through the real county
service on loopback, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app import settings
from app.audit import AuditEvent
from app.cases import decisions as d
from app.cases.context import CaseContext
from app.catalog.loader import bundled_catalog
from app.catalog.schema import Catalog
from app.errors import CatalogRejected, ValidationError
from app.settings.calendar import work_calendar
from app.sync.catalogue import COUNTY_ACTOR
from app.sync.session import sync_now
from app.sync.transport import HttpTransport
from app.workcalendar import (
    DayType,
    NamedDay,
    YearTable,
    default_calendar,
    library_year_table,
    working_deadline,
)
from app.workflow.states import CaseState
from county.calendar_years import publish_calendar_year
from county.catalogue import publish_catalogue
from county.store.models import CatalogueRelease, Centre, ItemVersion, PublishedYear
from db.models import AuditEntry, CalendarYear, Case, CatalogRelease, Item
from tests.centre import Centre as Workstation
from tests.county.server import County, connected

DIBAO, DIBAO_CODE = "最低生活保障", "DEMO-MZ-001"
OTHER_TOWN = "511899102000"


@pytest.fixture
def w01(county: County, centre: Workstation) -> Iterator[tuple[Workstation, HttpTransport]]:
    with connected(county, "W01", centre=centre) as (centre, transport):
        yield centre, transport


@pytest.fixture
def w02(county: County, tmp_path: Path) -> Iterator[tuple[Workstation, HttpTransport]]:
    with connected(county, "W02", data_dir=tmp_path) as (centre, transport):
        yield centre, transport


Station = tuple[Workstation, HttpTransport]


def sync(station: Station) -> None:
    centre, transport = station
    sync_now(centre.store, transport, centre.ctx.calendar)


def revised_catalogue() -> Catalog:
    """The bundled catalogue with 最低生活保障 promised in 23 working days instead of 25 (its
    publicity step shortened from 5 to 3)."""
    data: dict[str, Any] = bundled_catalog().model_dump(mode="json")
    item = next(i for i in data["items"] if i["code"] == DIBAO_CODE)
    item["promised_limit"]["days"] = 23
    next(s for s in item["steps"] if s["id"] == "publicity")["time_limit"]["days"] = 3
    data["catalog_version"] = "2026.2-demo"
    return Catalog.model_validate(data)


def publish(county: County, catalog: Catalog, centre: str | None = None) -> int:
    with county.store.sessions() as session, session.begin():
        return publish_catalogue(session, catalog, centre, by="test").release


def in_force(centre: Workstation) -> str:
    with centre.store.reader() as session:
        return session.scalars(
            select(Item.content_hash).where(Item.code == DIBAO_CODE, Item.active)
        ).one()


def filed_under(centre: Workstation, uid: str) -> tuple[str, int, dt.date | None]:
    """The item version a case is filed under (its content hash), its promised days, due date."""
    with centre.store.reader() as session:
        case = session.scalars(select(Case).where(Case.uid == uid)).one()
        item = session.get(Item, case.item_id)
        assert item is not None
        return item.content_hash, item.promised_limit_days, case.due_date


def accepted(centre: Workstation) -> str:
    received = centre.walk_in(DIBAO)
    d.accept(centre.ctx, centre.actor("clerk"), received.case_id)
    with centre.store.reader() as session:
        case = session.get(Case, received.case_id)
        assert case is not None
        return case.uid


def releases(centre: Workstation) -> int:
    with centre.store.reader() as session:
        return session.scalar(select(func.count()).select_from(CatalogRelease)) or 0


def test_a_published_version_reaches_both_workstations_and_open_cases_keep_theirs(
    county: County, w01: Station, w02: Station
) -> None:
    c1, c2 = w01[0], w02[0]
    old = bundled_catalog().item(DIBAO_CODE)
    assert old is not None
    first = accepted(c1)  # filed under the bundled version
    sync(w01)

    new = revised_catalogue()
    publish(county, new)
    new_hash = new.item(DIBAO_CODE).content_hash()  # type: ignore[union-attr]
    sync(w01)
    assert in_force(c1) == new_hash  # the county's version is the one in force
    assert filed_under(c1, first)[:2] == (old.content_hash(), 25)  # the open case kept its own
    second = accepted(c1)  # a new case takes the new version
    hash_two, days_two, due_two = filed_under(c1, second)
    assert (hash_two, days_two) == (new_hash, 23)
    due_one = filed_under(c1, first)[2]
    assert due_one is not None and due_two is not None
    assert c1.ctx.calendar.working_days_between(due_two, due_one) == 2  # the same day, 25 vs 23
    sync(w01)

    # W02 takes the catalogue and both cases in one round (the catalogue first: the second
    # case's version must be here before the case).
    sync(w02)
    assert in_force(c2) == new_hash
    assert filed_under(c2, first) == filed_under(c1, first)
    assert filed_under(c2, second) == filed_under(c1, second)
    for centre in (c1, c2):
        with centre.store.reader() as session:
            (entry,) = session.scalars(
                select(AuditEntry).where(AuditEntry.event == AuditEvent.CATALOG_LOADED)
            )
            assert (entry.actor, entry.subject) == (COUNTY_ACTOR, "catalog:2026.2-demo")

    # The open case goes on under its own rules: W02's review of it is applied by the county
    # (which judges by the version it was filed under) and comes back to W01.
    d.start_review(c2.ctx, c2.actor("approver"), _id(c2, first))
    sync(w02)
    sync(w01)
    assert filed_under(c1, first)[:2] == (old.content_hash(), 25)
    with c1.store.reader() as session:
        case = session.scalars(select(Case).where(Case.uid == first)).one()
        assert case.state == CaseState.IN_REVIEW.value and case.official_no is not None

    before = releases(c1), releases(c2)
    sync(w01)
    sync(w02)
    assert (releases(c1), releases(c2)) == before  # a release is installed once


def test_a_workstation_activated_later_takes_every_release_and_the_cases_filed_under_each(
    county: County, w01: Station, w02: Station
) -> None:
    """W02 comes to the county after two releases: it installs both, oldest first, so a case
    filed under the first (which the second replaced) comes down with its own rules."""
    c1, c2 = w01[0], w02[0]
    first_catalogue = revised_catalogue()  # 23 days
    publish(county, first_catalogue)
    sync(w01)
    first = accepted(c1)
    sync(w01)
    data: dict[str, Any] = first_catalogue.model_dump(mode="json")
    next(i for i in data["items"] if i["code"] == DIBAO_CODE)["promised_limit"]["days"] = 24
    data["catalog_version"] = "2026.3-demo"
    second_catalogue = Catalog.model_validate(data)
    publish(county, second_catalogue)

    sync(w02)
    first_hash = first_catalogue.item(DIBAO_CODE).content_hash()  # type: ignore[union-attr]
    assert filed_under(c2, first) == filed_under(c1, first)
    assert filed_under(c2, first)[:2] == (first_hash, 23)
    assert in_force(c2) == second_catalogue.item(DIBAO_CODE).content_hash()  # type: ignore[union-attr]


def _id(centre: Workstation, uid: str) -> int:
    with centre.store.reader() as session:
        return session.scalars(select(Case.id).where(Case.uid == uid)).one()


def test_a_catalogue_for_another_centre_does_not_reach_this_one(
    county: County, w01: Station
) -> None:
    c1 = w01[0]
    with county.store.sessions() as session, session.begin():
        session.add(Centre(code=OTHER_TOWN, name="柳林镇便民服务中心"))
    bundled = in_force(c1)
    publish(county, revised_catalogue(), OTHER_TOWN)
    sync(w01)
    assert in_force(c1) == bundled and releases(c1) == 1  # make_centre's own load only
    release = publish(county, revised_catalogue(), "511899101000")
    sync(w01)
    assert in_force(c1) != bundled
    with c1.store.reader() as session:
        assert settings.CATALOGUE_RELEASE.get(session) == release


def test_a_release_that_does_not_match_its_hash_is_refused_and_the_catalogue_stays(
    county: County, w01: Station
) -> None:
    c1 = w01[0]
    publish(county, revised_catalogue())
    with county.store.sessions() as session, session.begin():
        row = session.scalars(select(CatalogueRelease)).one()
        content = dict(row.content)
        content["issuer"] = "冒名发布者"
        row.content = content
    bundled = in_force(c1)
    with pytest.raises(CatalogRejected, match="校验值不符"):
        sync(w01)
    assert in_force(c1) == bundled and releases(c1) == 1


def test_publishing_refuses_bad_input_and_writes_nothing(county: County) -> None:
    with county.store.sessions() as session:
        with pytest.raises(ValidationError, match="没有区划代码为 999999999999"), session.begin():
            publish_catalogue(session, revised_catalogue(), "999999999999")
        with session.begin():
            publish_catalogue(session, revised_catalogue())
        # A template version published before may not change its content.
        data: dict[str, Any] = bundled_catalog().model_dump(mode="json")
        data["templates"][0]["title"] = data["templates"][0]["title"] + "（改）"
        changed = Catalog.model_validate(data)
        with pytest.raises(CatalogRejected, match="模板版本不可修改"), session.begin():
            publish_catalogue(session, changed)
        with pytest.raises(ValidationError, match="与要发布的年份 2027 不一致"), session.begin():
            publish_calendar_year(session, 2027, library_year_table(2026))
        with pytest.raises(ValidationError, match="没有 2031年 的节假日安排"), session.begin():
            publish_calendar_year(session, 2031)
    with county.store.sessions() as session:
        assert session.scalar(select(func.count()).select_from(CatalogueRelease)) == 1
        assert session.scalar(select(func.count()).select_from(PublishedYear)) == 0
    with county.store.sessions() as session, session.begin():  # the same again: nothing new
        again = publish_catalogue(session, revised_catalogue())
        assert not again.new and "未做任何更改" in again.line()
        versions = session.scalar(select(func.count()).select_from(ItemVersion))
    assert versions == len(bundled_catalog().items) + 1


def march_break() -> YearTable:
    """2026 as the library has it, plus a made-up three-day break on 4–6 March."""
    known = library_year_table(2026)
    assert known is not None
    extra = tuple(NamedDay(dt.date(2026, 3, day), "测试假期") for day in (4, 5, 6))
    return YearTable(
        year=2026,
        holidays=tuple(sorted(known.holidays + extra, key=lambda n: n.date)),
        workdays=known.workdays,
        source="县级测试通知",
        published=dt.date(2026, 2, 1),
    )


def test_a_published_calendar_year_reaches_the_workstations_and_due_dates_use_it(
    county: County, w01: Station, w02: Station
) -> None:
    c1, c2 = w01[0], w02[0]
    with county.store.sessions() as session, session.begin():
        done = publish_calendar_year(session, 2026, march_break(), by="test")
    assert done.new and done.holidays == len(march_break().holidays)
    sync(w01)
    with c1.store.reader() as session:
        calendar = work_calendar(session)
        row = session.get(CalendarYear, (2026, "county"))
        assert row is not None and row.updated_by == COUNTY_ACTOR
        assert session.scalars(
            select(AuditEntry.subject).where(AuditEntry.event == AuditEvent.CALENDAR_YEAR_ADDED)
        ).all() == ["calendar:2026"]
    assert calendar.day_kind(dt.date(2026, 3, 4)).kind is DayType.HOLIDAY

    # A due date computed afterwards counts the break: 25 working days from Mon 2 March end on
    # Tue 7 April without it, on Fri 10 April with it.
    c1.ctx = CaseContext(c1.store.session, c1.store.reader, calendar, c1.clock)
    after = accepted(c1)
    due_after = filed_under(c1, after)[2]
    assert working_deadline(default_calendar(), dt.date(2026, 3, 2), 25).due == dt.date(2026, 4, 7)
    assert due_after == dt.date(2026, 4, 10)

    # W02 takes the year and the case in one round: the case's promise is the same as W01's
    # (the round folds what it pulls by the year it has just taken).
    sync(w01)
    sync(w02)
    assert filed_under(c2, after)[2] == due_after
    with c2.store.reader() as session:
        assert work_calendar(session).day_kind(dt.date(2026, 3, 5)).kind is DayType.HOLIDAY
    entries = _calendar_entries(c2)
    sync(w02)
    assert _calendar_entries(c2) == entries  # an unchanged year is not stored again


def _calendar_entries(centre: Workstation) -> int:
    with centre.store.reader() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.event == AuditEvent.CALENDAR_YEAR_ADDED)
            )
            or 0
        )


def test_the_county_judges_by_the_years_it_published(county: County, w01: Station) -> None:
    """容缺受理 with the materials owed until the promised day that only the published break
    makes possible (10 April, not 7 April): the county, counting by the same year, applies it."""
    c1 = w01[0]
    with county.store.sessions() as session, session.begin():
        publish_calendar_year(session, 2026, march_break(), by="test")
    sync(w01)
    with c1.store.reader() as session:
        c1.ctx = CaseContext(c1.store.session, c1.store.reader, work_calendar(session), c1.clock)
    required = c1.required_materials(DIBAO)
    owed = ["income_proof", "photo"]
    case = c1.walk_in(DIBAO, materials=[m for m in required if m not in owed])
    d.accept_with_deficiency(
        c1.ctx, c1.actor("clerk"), case.case_id, owed, dt.date(2026, 4, 10), commitment_signed=True
    )
    centre, transport = w01
    summary = sync_now(centre.store, transport, centre.ctx.calendar)
    assert (summary.pushed, summary.parked) == (2, 0)
