"""默认好评 (``county/evaluation_defaults.py``, ``onewindow-county evaluations fill-defaults``): a
window service nobody rated within N working days gets an evaluation of channel ``default``,
level 满意, naming who served — once; a 收件 and its 受理 on one visit are one service; a service
rated at the window, or followed by a phone rating of its case, keeps its rating; one still inside
its N working days and the county's own decisions get none. On both backends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from app.evaluations.levels import Channel, Level, Reason, Service
from app.evaluations.wire import EvaluationTerms
from app.workcalendar import default_calendar
from county.cli import main as county_main
from county.evaluation_defaults import fill_defaults
from county.seals import COUNTY_STATION
from county.store.engine import CountyStore, open_county
from county.store.models import CountyEvaluation
from tests.county.evaluation_rows import action, case, rate, seed, uid

UTC = dt.UTC
NOW = dt.datetime(2026, 12, 2, 1, 0, tzinfo=UTC)  # Wednesday 2 December, 09:00 in Beijing
MONDAY = dt.datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # seven working days before


@pytest.fixture
def county(county_url: str) -> Iterator[CountyStore]:
    opened = open_county(county_url)
    yield opened
    opened.close()


def _evaluations(county: CountyStore) -> list[CountyEvaluation]:
    with county.sessions() as session:
        return list(session.scalars(select(CountyEvaluation).order_by(CountyEvaluation.id)))


def test_unrated_services_past_their_days_count_as_satisfied_once(county: CountyStore) -> None:
    with county.sessions() as session, session.begin():
        version, _ = seed(session)
        a = case(session, 1, version, state="accepted", receipt_no="A", official_no="N-A")
        action(session, a, 1, "receive", MONDAY, n=101)
        accept = action(session, a, 2, "accept", MONDAY + dt.timedelta(minutes=5), n=102)
        told = action(
            session, a, 3, "request_supplement", MONDAY + dt.timedelta(days=1), n=103,
            actor="clerk2",
        )  # fmt: skip
        rate(session, a, 201, Level.VERY_SATISFIED, MONDAY + dt.timedelta(days=1),
             service=Service.NOTICE, service_op_id=told)  # fmt: skip
        action(session, a, 4, "decide", MONDAY + dt.timedelta(days=2), n=104,
               workstation=COUNTY_STATION)  # fmt: skip
        recent = case(session, 2, version, state="received", receipt_no="B", official_no="N-B")
        action(session, recent, 1, "receive", dt.datetime(2026, 11, 30, 2, tzinfo=UTC), n=111)
        phoned = case(session, 3, version, state="received", receipt_no="C", official_no="N-C")
        action(session, phoned, 1, "receive", MONDAY, n=121)
        rate(session, phoned, 202, Level.DISSATISFIED, MONDAY + dt.timedelta(days=3),
             service=Service.CASE, channel=Channel.PHONE, reasons=(Reason.SLOW,))  # fmt: skip
    calendar = default_calendar()
    with county.sessions() as session, session.begin():
        filled = fill_defaults(session, calendar, 3, NOW)
    assert (filled.added, filled.rated) == (1, 2)
    given = _evaluations(county)[-1]
    terms = EvaluationTerms.model_validate(given.terms)
    assert (given.channel, given.level, given.task_state) == ("default", Level.SATISFIED, None)
    assert (terms.service, terms.service_op_id, terms.staff, terms.window) == (
        Service.INTAKE, accept, "clerk", "W01",
    )  # fmt: skip
    assert terms.assessed_at == NOW and terms.case_uid == uid(1)
    assert given.assess_number == 2  # the case's second evaluation
    with county.sessions() as session, session.begin():
        again = fill_defaults(session, calendar, 3, NOW)
    assert (again.added, again.rated) == (0, 3)
    # Two days on, the recent receipt's three working days have passed too.
    with county.sessions() as session, session.begin():
        later = fill_defaults(session, calendar, 3, NOW + dt.timedelta(days=2))
    assert later.added == 1
    assert len(_evaluations(county)) == 4  # two rated, two defaults


def test_the_command_fills_the_defaults_and_refuses_a_bad_day_count(
    county: CountyStore, county_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with county.sessions() as session, session.begin():
        version, _ = seed(session)
        old = case(session, 1, version, state="received", receipt_no="A", official_no=None)
        action(session, old, 1, "receive", dt.datetime(2020, 3, 2, 2, tzinfo=UTC), n=101)
    with pytest.raises(SystemExit) as refused:
        county_main(["evaluations", "fill-defaults", "--after-days", "0", "--database", county_url])
    assert refused.value.code == 2
    assert "工作日数应为1至60之间的整数" in capsys.readouterr().err
    assert _evaluations(county) == []
    assert county_main(["evaluations", "fill-defaults", "--after-days", "5",
                        "--database", county_url]) == 0  # fmt: skip
    assert "已为 1 次超期未评价的服务记默认“满意”评价" in capsys.readouterr().out
    (given,) = _evaluations(county)
    assert given.channel == Channel.DEFAULT.value
