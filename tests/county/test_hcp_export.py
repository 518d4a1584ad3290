"""The county's 好差评 export (``county/hcp_export.py``, ``onewindow-county evaluations export``)
matches the national evaluation interface field for field: a hand-written fixture pins every
record of a few evaluations — window ratings of two services, a 差评 with its reasons and text, a
phone rating of the whole case, a default 满意 — and the satisfaction codes are pinned both ways
(GB/T 39046 A.8 1 = 非常满意 is the national interface's 5; its 1 = 非常不满意 is A.8's 5). On both
backends."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.evaluations.levels import Channel, Level, Reason, Service, from_national
from county.cli import main as county_main
from county.hcp_export import export_records
from county.store.engine import CountyStore, open_county
from tests.county.evaluation_rows import action, case, rate, seed

FIXTURE = Path(__file__).parent / "fixtures" / "hcp_export.json"
UTC = dt.UTC

#: Each level, by its A.8 code, and the national interface's code for it — written out, not
#: computed, so that a table turned the wrong way fails.
BOTH_WAYS = {
    Level.VERY_SATISFIED: "5",  # A.8 1 非常满意
    Level.SATISFIED: "4",
    Level.BASICALLY_SATISFIED: "3",
    Level.DISSATISFIED: "2",
    Level.VERY_DISSATISFIED: "1",  # A.8 5 非常不满意
}


@pytest.fixture
def county(county_url: str) -> Iterator[CountyStore]:
    opened = open_county(county_url)
    yield opened
    opened.close()


def _rated_cases(county: CountyStore) -> None:
    with county.sessions() as session, session.begin():
        with_code, bare = seed(session)
        first = case(
            session,
            1,
            with_code,
            state="delivered",
            receipt_no="QH-20261201-0001",
            official_no="511899101000-XK-20261201-0001",
        )
        received = action(
            session, first, 1, "receive", dt.datetime(2026, 12, 1, 1, 50, tzinfo=UTC), n=101
        )
        delivered = action(
            session, first, 4, "deliver", dt.datetime(2026, 12, 8, 6, tzinfo=UTC), n=104
        )
        rate(
            session,
            first,
            201,
            Level.VERY_SATISFIED,
            dt.datetime(2026, 12, 1, 2, tzinfo=UTC),
            service_op_id=received,
        )
        rate(
            session,
            first,
            202,
            Level.VERY_DISSATISFIED,
            dt.datetime(2026, 12, 8, 6, 5, 30, tzinfo=UTC),
            service=Service.DELIVERY,
            service_op_id=delivered,
            reasons=(Reason.ATTITUDE, Reason.WAITING),
            text="等了一个多小时，态度也不好",
        )
        rate(
            session,
            first,
            203,
            Level.SATISFIED,
            dt.datetime(2026, 12, 8, 16, 20, tzinfo=UTC),  # 00:20 the next day in Beijing
            service=Service.CASE,
            channel=Channel.PHONE,
        )
        second = case(
            session, 2, bare, state="received", receipt_no="QH-20261203-0002", official_no=None
        )
        its_receipt = action(
            session, second, 1, "receive", dt.datetime(2026, 12, 3, 3, tzinfo=UTC), n=111
        )
        rate(
            session,
            second,
            204,
            Level.SATISFIED,
            dt.datetime(2026, 12, 11, 1, tzinfo=UTC),
            service_op_id=its_receipt,
            channel=Channel.DEFAULT,
        )


def test_the_export_matches_the_national_interface_field_for_field(
    county: CountyStore, county_url: str, tmp_path: Path
) -> None:
    _rated_cases(county)
    out = tmp_path / "hcp.json"
    code = county_main(
        ["evaluations", "export", "--from", "2020-01-01", "--to", "2099-12-31",
         "--out", str(out), "--database", county_url]
    )  # fmt: skip
    assert code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(
        FIXTURE.read_text(encoding="utf-8")
    )


def test_a_period_holds_the_evaluations_recorded_in_it(county: CountyStore) -> None:
    _rated_cases(county)
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    with county.sessions() as session:
        assert len(export_records(session, today, today)) == 4
        assert (
            export_records(session, today + dt.timedelta(days=1), today + dt.timedelta(days=9))
            == []
        )
        assert (
            export_records(session, today - dt.timedelta(days=9), today - dt.timedelta(days=1))
            == []
        )


def test_the_satisfaction_codes_are_converted_both_ways(county: CountyStore) -> None:
    with county.sessions() as session, session.begin():
        version, _ = seed(session)
        for n, level in enumerate(Level, start=1):
            rated = case(
                session, n, version, state="accepted", receipt_no=f"R{n}", official_no=None
            )
            at = dt.datetime(2026, 12, 1, 2, tzinfo=UTC)
            op_id = action(session, rated, 1, "receive", at, n=100 + n)
            reasons = (Reason.OTHER,) if level.is_bad else ()
            rate(session, rated, 200 + n, level, at, service_op_id=op_id, reasons=reasons)
    with county.sessions() as session:
        records = export_records(session, dt.date(2020, 1, 1), dt.date(2099, 12, 31))
    exported = {r["service"]["projectNo"]: r["evaluation"]["satisfaction"] for r in records}
    assert exported == {f"R{level.value}": BOTH_WAYS[level] for level in Level}
    assert exported["R1"] == "5" and exported["R5"] == "1"  # A.8 1 非常满意 ↔ national 5
    for projected, national in exported.items():  # and back: the national code means the level
        assert from_national(int(national)) is Level(int(projected[1:]))


def test_a_reversed_period_is_refused_in_chinese(
    county_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = county_main(
        ["evaluations", "export", "--from", "2026-12-09", "--to", "2026-12-01",
         "--out", str(tmp_path / "x.json"), "--database", county_url]
    )  # fmt: skip
    assert code == 1
    assert "截止日期 2026-12-01 早于起始日期 2026-12-09" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()
