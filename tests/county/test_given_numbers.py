"""办件编号 across a restore of the county from an older backup (``county/numbers.py``): the
restore holds each centre's numbering until every one of its workstations has given back the
numbers it holds (``app/sync/give_back.py``); a case whose number was given back takes it again,
no other case is given its serial, a forged or conflicting number is refused with a code and
nothing written, and the administrator can let a lost workstation go. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cases import decisions as d
from app.sync.protocol import GivenNumber as Given
from app.sync.protocol import NumbersGiven
from app.sync.push import PENDING
from app.sync.session import activate, sync_round
from app.sync.transport import EpochChanged
from app.workcalendar import default_calendar
from county.cli import main as county_main
from county.seals import number_seal
from county.store.models import CountyAuditRow, CountyCase, GivenNumber, Meta, NumberHold
from db.models import Case, OutboxEntry
from db.store import open_store
from tests.centre import TOWN, Centre, make_centre
from tests.county.server import County, connected
from tests.county.test_backup_restore import DIBAO, Station, url_of


@pytest.fixture
def s01(county: County, centre: Centre) -> Iterator[Station]:
    with connected(county, "W01", centre=centre) as (centre, transport):
        yield Station(centre, transport)


@pytest.fixture
def s02(county: County, tmp_path: Path) -> Iterator[Station]:
    with connected(county, "W02", data_dir=tmp_path) as (centre, transport):
        yield Station(centre, transport)


def accepted(station: Station) -> int:
    c = station.centre
    case = c.walk_in(DIBAO)
    d.accept(c.ctx, c.actor("clerk"), case.case_id)
    return case.case_id


def number_of(station: Station, case_id: int) -> str | None:
    with station.centre.store.reader() as session:
        return session.scalars(select(Case.official_no).where(Case.id == case_id)).one()


def holds(county: County) -> list[str]:
    with county.store.sessions() as session:
        return list(
            session.scalars(select(NumberHold.workstation_code).order_by("workstation_code"))
        )


def given(county: County) -> dict[str, str]:
    with county.store.sessions() as session:
        return {g.case_uid: g.official_no for g in session.scalars(select(GivenNumber))}


def backed_up_and_restored(county: County, tmp_path: Path) -> Path:
    backup = tmp_path / "county-backup.jsonl.gz"
    assert county_main(["backup", "--database", url_of(county.store), "--out", str(backup)]) == 0
    return backup


def restore(county: County, backup: Path) -> None:
    assert county_main(["restore", "--database", url_of(county.store), "--from", str(backup)]) == 0


def test_numbering_waits_for_every_workstation_and_no_number_is_issued_twice(
    county: County, s01: Station, s02: Station, tmp_path: Path
) -> None:
    first = accepted(s01)
    s01.sync()
    s02.sync()
    backup = backed_up_and_restored(county, tmp_path)
    second = accepted(s01)  # numbered after the backup: the restore loses it
    s01.sync()
    s02.sync()
    second_uid = s01.uid(second)
    lost = number_of(s01, second)
    assert lost is not None and lost == number_of(s02, s02.case(second_uid).id)

    restore(county, backup)
    assert holds(county) == ["W01", "W02"]
    # W02 comes back first with a new case of the same item and day: it gives back what it
    # holds (the second case's number among it), and its acceptance waits, still queued.
    third = accepted(s02)
    s02.sync()
    assert given(county) == {second_uid: lost}
    assert holds(county) == ["W01"]
    assert number_of(s02, third) is None
    with s02.centre.store.reader() as session:
        waiting = session.scalars(
            select(OutboxEntry).where(OutboxEntry.status == PENDING).order_by(OutboxEntry.id)
        ).all()
    errors = [str(row.last_error).split("]")[0] for row in waiting]
    assert errors == ["[E503-NUMBERING", "[E409-GAP"]  # 收件 held; 受理, after it, waits
    assert s02.outbox() == {PENDING: 2}

    # W01 comes back: gives back, re-sends the second case, which takes its number again.
    s01.sync()
    assert holds(county) == []
    s02.sync()  # the acceptance goes up now and takes the next serial, not the lost one
    s01.sync()
    with county.store.sessions() as session:
        numbers = dict(session.execute(select(CountyCase.uid, CountyCase.official_no)).all())
    third_uid = s02.uid(third)
    assert numbers[second_uid] == lost
    assert numbers[s01.uid(first)] == number_of(s01, first)
    new = numbers[third_uid]
    assert new is not None and new[:-4] == lost[:-4] and int(new[-4:]) > int(lost[-4:])
    assert number_of(s02, third) == new == number_of(s01, s01.case(third_uid).id)
    assert number_of(s02, s02.case(second_uid).id) == lost == number_of(s01, second)


def test_a_forged_or_conflicting_number_is_refused_and_nothing_written(
    county: County, s01: Station, tmp_path: Path
) -> None:
    case = accepted(s01)
    s01.sync()
    uid, number = s01.uid(case), number_of(s01, case)
    assert number is not None
    with county.store.sessions() as session:
        key, epoch = session.execute(select(Meta.seal_key, Meta.epoch)).one()
    other = "01900000-0000-7000-8000-000000000001"
    other_no = number[:-4] + "9999"
    offers = [
        Given(case_uid=other, official_no=other_no, seal="0" * 64),  # made up
        Given(case_uid=uid, official_no=other_no, seal=number_seal(key, uid, other_no)),
        Given(case_uid=other, official_no=number, seal=number_seal(key, other, number)),
        Given(case_uid=uid, official_no=number, seal=number_seal(key, uid, number)),  # its own
    ]
    answer = s01.transport.numbers(NumbersGiven(numbers=offers, last=False), epoch)
    assert [(r.official_no, r.code) for r in answer.refused] == [
        (other_no, "E403-SEAL"),
        (other_no, "E409-NUMBER"),
        (number, "E409-NUMBER"),
    ]
    assert "已属于另一办件" in answer.refused[2].message
    assert answer.kept == 1 and answer.held is False
    assert given(county) == {}  # nothing written
    with pytest.raises(EpochChanged):  # given to another epoch of the county: refused whole
        s01.transport.numbers(NumbersGiven(numbers=offers[-1:], last=True), "another-epoch")
    with county.store.sessions() as session:
        audit = session.scalars(select(CountyAuditRow.action)).all()
    assert "numbers.give_back" in audit


def test_the_administrator_lets_a_workstation_that_will_not_come_back_go(
    county: County, s01: Station, s02: Station, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s01.sync()
    s02.sync()
    backup = backed_up_and_restored(county, tmp_path)
    restore(county, backup)
    case = accepted(s01)
    s01.sync()
    assert number_of(s01, case) is None  # W02 has not given back yet
    url = url_of(county.store)
    capsys.readouterr()
    assert county_main(["numbers", "--database", url]) == 0
    assert f"中心 {TOWN} 暂停赋号，等待这些工作站同步交回办件编号：W02" in capsys.readouterr().out
    assert county_main(["numbers", "--database", url, "--release", f"{TOWN}/W09"]) == 1
    assert "没有等待工作站" in capsys.readouterr().err
    assert county_main(["numbers", "--database", url, "--release", f"{TOWN}/W02"]) == 0
    out = capsys.readouterr().out
    assert "已不再等待工作站" in out and "各中心均可正常赋号" in out
    s01.sync()
    assert number_of(s01, case) is not None


def test_a_new_pc_in_a_lost_ones_place_lifts_its_hold(
    county: County, s01: Station, s02: Station, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """W02 is lost after the backup; a new PC activated as W02 has no number to give back, and
    its first sync lifts W02's hold all the same."""
    s01.sync()
    s02.sync()
    restore(county, backed_up_and_restored(county, tmp_path))
    s01.sync()
    assert holds(county) == ["W02"]
    url = url_of(county.store)
    capsys.readouterr()
    issue = ["activation-code", "--database", url, "--centre", TOWN, "--workstation", "W02"]
    assert county_main(issue) == 0
    code = capsys.readouterr().out.splitlines()[-1].strip()
    store = open_store(tmp_path / "new-w02")
    try:
        make_centre(store, "W02")
        activate(store, county.url, code)
        assert sync_round(store, default_calendar()).error is None
    finally:
        store.close()
    assert holds(county) == []
