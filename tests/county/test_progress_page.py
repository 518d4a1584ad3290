"""The progress page over HTTP (the real service on loopback, both backends): a right number and
password show the case's step, dates, what to bring and where — masked; a wrong password and an
unknown number get the same answer; the limits hold; a phone rating is stored or refused whole.
The same in a real browser: ``tests/browser/test_progress_browser.py``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from app.cases import decisions as d
from app.evaluations.levels import Channel, Level, Reason
from app.evaluations.wire import EvaluationTerms
from app.validators import mask_name
from county.progress.limits import AddressBuckets, NumberLocks, ProgressLimits
from county.progress.pages import TOO_OFTEN, TRY_LATER, WRONG
from county.store.models import CountyCase, CountyEvaluation
from db.models import Applicant, Case
from tests.county.server import County, running_county
from tests.county.stations import Station

DIBAO = "最低生活保障"
SMALL = ProgressLimits(
    queries_per_minute=1000, failures_per_number=3, ratings_per_day=2, lockout=3600
)


@pytest.fixture
def county(tmp_path: Path, county_url: str) -> Iterator[County]:
    with running_county(tmp_path / "county", county_url, progress_limits=SMALL) as running:
        yield running


@dataclass
class Seeded:
    number: str  # the 办件编号
    receipt_no: str
    password: str
    name: str
    id_number: str


def seed(w01: Station) -> Seeded:
    """A case received and accepted at W01, pushed to the county."""
    c = w01.centre
    received = c.walk_in(DIBAO)
    d.accept(c.ctx, c.actor("clerk"), received.case_id)
    w01.sync()
    with c.store.reader() as session:
        case = session.get(Case, received.case_id)
        assert case is not None and case.official_no and case.query_password
        applicant = session.get(Applicant, case.applicant_id)
        assert applicant is not None and applicant.id_number
        return Seeded(
            case.official_no,
            case.receipt_no,
            case.query_password,
            applicant.name,
            applicant.id_number,
        )


def ask(county: County, number: str, password: str) -> httpx.Response:
    with county.client() as client:
        return client.post("/progress", data={"n": number, "p": password})


def wrong_password(password: str) -> str:
    return f"{(int(password) + 1) % 1_000_000:06d}"


def test_the_right_password_shows_the_step_dates_and_place_masked(
    county: County, w01: Station
) -> None:
    case = seed(w01)
    for number in (case.number, case.receipt_no, f" {case.number.lower()} "):
        page = ask(county, number, case.password)
        assert page.status_code == 200, page.text
        text = page.text
        assert "已受理" in text and "2026年3月2日" in text and "承诺办结日期" in text
        assert "清河镇便民服务中心综合窗口" in text and case.number in text
    assert case.id_number not in text and case.name not in text
    masked_id = case.id_number[:6] + "********" + case.id_number[-4:]
    assert masked_id in text and f"{case.name[0]}*" in text
    assert re.search(r"\d{17}[\dX]", text) is None  # no full ID number anywhere
    for header, value in {
        "cache-control": "no-store",
        "x-frame-options": "DENY",
        "referrer-policy": "no-referrer",
    }.items():
        assert page.headers[header] == value
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


def test_a_wrong_password_and_an_unknown_number_get_the_same_answer(
    county: County, w01: Station
) -> None:
    case = seed(w01)
    wrong = ask(county, case.number, wrong_password(case.password))
    unknown = ask(county, case.number[:-4] + "9999", case.password)
    assert wrong.status_code == unknown.status_code == 403
    assert WRONG in wrong.text
    # The same page but for the number echoed back into its input.
    assert wrong.text.replace(case.number, "N") == unknown.text.replace(
        case.number[:-4] + "9999", "N"
    )
    assert "已受理" not in wrong.text and case.name[0] + "*" not in wrong.text


def test_wrong_passwords_lock_a_number_known_or_not(county: County, w01: Station) -> None:
    case = seed(w01)
    for number in (case.number, "NO-SUCH-NUMBER"):
        answers = [
            ask(county, number, "000000").status_code for _ in range(SMALL.failures_per_number)
        ]
        assert answers == [403] * SMALL.failures_per_number
        locked = ask(county, number, case.password)  # even the right one, while locked
        assert locked.status_code == 429 and WRONG in locked.text and TRY_LATER in locked.text
        assert "已受理" not in locked.text
    assert ask(county, case.receipt_no, case.password).status_code == 200  # another key


def test_a_case_without_a_password_is_never_found(county: County, w01: Station) -> None:
    case = seed(w01)
    with county.store.sessions() as session, session.begin():
        row = session.scalars(select(CountyCase).where(CountyCase.official_no == case.number)).one()
        row.query_hash = None  # as an older workstation's case
    assert ask(county, case.number, case.password).status_code == 403


def rate(county: County, case: Seeded, **fields: str | list[str]) -> httpx.Response:
    with county.client() as client:
        return client.post("/progress/rate", data={"n": case.number, "p": case.password, **fields})


def stored(county: County) -> list[EvaluationTerms]:
    with county.store.sessions() as session:
        rows = session.scalars(select(CountyEvaluation).order_by(CountyEvaluation.id))
        return [EvaluationTerms.model_validate(r.terms) for r in rows]


def test_a_phone_rating_is_stored_and_a_bad_one_without_a_reason_refused(
    county: County, w01: Station
) -> None:
    case = seed(w01)
    refused = rate(county, case, level="5", text="等了很久")
    assert refused.status_code == 422 and "不满意的原因" in refused.text
    assert "请至少选择一项原因" in refused.text and "等了很久" in refused.text  # kept
    assert rate(county, case, level="9").status_code == 422
    assert rate(county, case, level="2", reasons="slow").status_code == 422  # 好评, no reasons
    assert rate(county, case, level="4", reasons="no-such").status_code == 422
    assert rate(county, case, level="1", text="长" * 501).status_code == 422
    assert stored(county) == []
    wrong = rate(county, case, level="1", p=wrong_password(case.password))
    assert wrong.status_code == 403 and stored(county) == []

    thanks = rate(county, case, level="4", reasons=["slow", "many_trips"], anonymous="1")
    assert thanks.status_code == 200 and "感谢您的评价" in thanks.text
    [terms] = stored(county)
    assert terms.channel is Channel.PHONE and terms.level is Level.DISSATISFIED
    assert terms.reasons == (Reason.SLOW, Reason.MANY_TRIPS) and terms.anonymous
    assert terms.service_op_id is None
    assert rate(county, case, level="1").status_code == 200
    full = rate(county, case, level="1")  # ratings_per_day = 2
    assert full.status_code == 429 and "评价次数已满" in full.text
    assert len(stored(county)) == 2


def test_the_address_bucket_refills_and_the_lock_expires() -> None:
    now = [0.0]
    buckets = AddressBuckets(2, clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(3)] == [True, True, False]
    assert buckets.take("b")
    now[0] += 30  # one token back
    assert [buckets.take("a") for _ in range(2)] == [True, False]
    locks = NumberLocks(2, window=60, lockout=100, clock=lambda: now[0])
    assert not locks.failed("X") and not locks.locked("X")
    now[0] += 61  # the first failure left the window
    assert not locks.failed("X")
    assert locks.failed("X") and locks.locked("X")
    now[0] += 101
    assert not locks.locked("X")


def test_a_flood_from_one_address_is_answered_429(tmp_path: Path) -> None:
    limits = ProgressLimits(queries_per_minute=5)
    with running_county(tmp_path / "flood", progress_limits=limits) as county:
        answers = [ask(county, f"N{i}", "123456") for i in range(8)]
        with county.client() as client:
            rating = client.post("/progress/rate", data={"n": "N0", "p": "123456", "level": "1"})
    assert [a.status_code for a in answers] == [403] * 5 + [429] * 3
    assert TOO_OFTEN in answers[-1].text and rating.status_code == 429


def test_names_are_masked_keeping_the_first_and_last_character() -> None:
    assert [mask_name(n) for n in ("张三丰", "欧阳娜娜", "李四", "王", "", " 张 三 丰 ")] == [
        "张*丰",
        "欧**娜",
        "李*",
        "*",
        "",
        "张*丰",
    ]
