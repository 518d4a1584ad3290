"""The county's progress page in a real browser on a phone-sized screen: the query, the answer
masked, wrong and unknown numbers alike, the limits, the receipt's QR link, the phone rating.
Screenshots in ``screenshots/progress-*.png``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from app.cases import decisions as d
from app.evaluations.levels import Channel, Level, Reason
from app.evaluations.wire import EvaluationTerms
from county.progress.limits import ProgressLimits
from county.progress.pages import TOO_OFTEN, TRY_LATER, WRONG
from county.store.models import CountyEvaluation
from db.models import Applicant, Case
from tests.browser.conftest import SCREENSHOT_DIR, save_page
from tests.county.server import County, connected, running_county
from tests.county.stations import Station

DIBAO = "最低生活保障"
LIMITS = ProgressLimits(queries_per_minute=20, failures_per_number=5, ratings_per_day=3)


@dataclass
class Seeded:
    number: str
    password: str
    name: str
    id_number: str


@pytest.fixture
def county(tmp_path: Path) -> Iterator[County]:
    with running_county(tmp_path / "county", progress_limits=LIMITS) as running:
        yield running


@pytest.fixture
def seeded(county: County, tmp_path: Path) -> Seeded:
    """A case received and accepted at W01 and pushed to the county (the real apply path)."""
    with connected(county, "W01", data_dir=tmp_path) as (centre, transport):
        station = Station(centre, transport)
        received = centre.walk_in(DIBAO)
        d.accept(centre.ctx, centre.actor("clerk"), received.case_id)
        station.sync()
        with centre.store.reader() as session:
            case = session.get(Case, received.case_id)
            assert case is not None and case.official_no and case.query_password
            applicant = session.get(Applicant, case.applicant_id)
            assert applicant is not None and applicant.id_number
            return Seeded(
                case.official_no, case.query_password, applicant.name, applicant.id_number
            )


def wrong(password: str) -> str:
    return f"{(int(password) + 1) % 1_000_000:06d}"


def wait_for(driver: webdriver.Chrome, css: str) -> None:
    WebDriverWait(driver, 10).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def query(driver: webdriver.Chrome, county: County, number: str, password: str) -> None:
    driver.get(f"{county.url}/progress")
    wait_for(driver, "#query")
    driver.find_element(By.ID, "n").send_keys(number)
    driver.find_element(By.ID, "p").send_keys(password)
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "#query button").click()
    WebDriverWait(driver, 10).until(ec.staleness_of(old))


def text(driver: webdriver.Chrome) -> str:
    return str(driver.find_element(By.TAG_NAME, "body").text)


def test_the_right_password_on_a_phone_shows_the_case_masked(
    phone: webdriver.Chrome, county: County, seeded: Seeded
) -> None:
    phone.get(f"{county.url}/progress")
    wait_for(phone, "#query")
    assert phone.execute_script("return window.innerWidth") == 390
    width = phone.find_element(By.ID, "n").size["width"]
    assert width > 300  # one column: the input spans the phone's width
    save_page(phone, "progress-query-form")

    query(phone, county, seeded.number, seeded.password)
    wait_for(phone, "#progress")
    shown = text(phone)
    assert "已受理" in shown and "2026年3月2日" in shown and "承诺办结日期" in shown
    assert "清河镇便民服务中心综合窗口" in shown and seeded.number in shown
    masked = seeded.id_number[:6] + "********" + seeded.id_number[-4:]
    assert masked in shown and seeded.name[0] + "*" in shown
    source = phone.page_source
    assert seeded.id_number not in source and seeded.name not in source
    assert re.search(r"\d{17}[\dXx]", source) is None
    save_page(phone, "progress-answer")
    rate = phone.find_element(By.ID, "rate")
    phone.execute_script("arguments[0].scrollIntoView()", rate)
    assert rate.screenshot(str(SCREENSHOT_DIR / "progress-rating-form.png"))


def test_a_wrong_password_and_an_unknown_number_look_the_same(
    phone: webdriver.Chrome, county: County, seeded: Seeded
) -> None:
    unknown = seeded.number[:-4] + "9999"
    query(phone, county, seeded.number, wrong(seeded.password))
    wrong_text, wrong_source = text(phone), phone.page_source
    save_page(phone, "progress-wrong-password")
    query(phone, county, unknown, seeded.password)
    unknown_text, unknown_source = text(phone), phone.page_source
    assert WRONG in wrong_text and wrong_text == unknown_text
    assert wrong_source.replace(seeded.number, "N") == unknown_source.replace(unknown, "N")
    assert "已受理" not in wrong_source and seeded.name[0] + "*" not in wrong_source


def test_a_locked_number_shows_nothing_even_to_the_right_password(
    phone: webdriver.Chrome, county: County, seeded: Seeded
) -> None:
    for _ in range(LIMITS.failures_per_number):
        query(phone, county, seeded.number, wrong(seeded.password))
    query(phone, county, seeded.number, seeded.password)  # the right one, while locked
    shown = text(phone)
    assert WRONG in shown and TRY_LATER in shown and "已受理" not in phone.page_source
    save_page(phone, "progress-number-locked")


def test_a_flood_from_one_address_is_answered_429(
    phone: webdriver.Chrome, county: County, seeded: Seeded
) -> None:
    with httpx.Client(base_url=county.url) as client:  # the same address as the browser
        codes = [
            client.post("/progress", data={"n": f"X{i}", "p": "123456"}).status_code
            for i in range(30)
        ]
    limit = LIMITS.queries_per_minute
    assert codes == [403] * limit + [429] * (30 - limit)
    query(phone, county, seeded.number, seeded.password)  # the right one: no data either
    assert TOO_OFTEN in text(phone) and "已受理" not in phone.page_source
    save_page(phone, "progress-429")


def test_the_receipts_qr_link_fills_the_form_and_shows_the_case(
    phone: webdriver.Chrome, county: County, seeded: Seeded
) -> None:
    phone.get(f"{county.url}/progress#n={seeded.number}&p={seeded.password}")
    wait_for(phone, "#progress")
    assert "已受理" in text(phone)
    assert "#" not in phone.current_url and seeded.password not in phone.current_url
    save_page(phone, "progress-from-qr")


def _stored(county: County) -> list[EvaluationTerms]:
    with county.store.sessions() as session:
        rows = session.scalars(select(CountyEvaluation).order_by(CountyEvaluation.id))
        return [EvaluationTerms.model_validate(r.terms) for r in rows]


def _choose(driver: webdriver.Chrome, name: str, value: str) -> None:
    box = driver.find_element(By.CSS_SELECTOR, f'input[name="{name}"][value="{value}"]')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    box.click()


def _submit_rating(driver: webdriver.Chrome) -> None:
    old = driver.find_element(By.TAG_NAME, "html")
    button = driver.find_element(By.CSS_SELECTOR, "#rate button")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    WebDriverWait(driver, 10).until(ec.staleness_of(old))


def test_a_phone_rating_with_reasons_is_stored_and_one_without_refused(
    phone: webdriver.Chrome, county: County, seeded: Seeded
) -> None:
    query(phone, county, seeded.number, seeded.password)
    wait_for(phone, "#rate")
    _choose(phone, "level", str(Level.DISSATISFIED.value))
    _submit_rating(phone)  # no reason
    shown = text(phone)
    assert "不满意的原因" in shown and "请至少选择一项原因" in shown
    assert _stored(county) == []
    save_page(phone, "progress-rating-refused")

    _choose(phone, "level", str(Level.VERY_DISSATISFIED.value))  # the form kept its fields
    _choose(phone, "reasons", Reason.SLOW.value)
    _choose(phone, "reasons", Reason.NOT_TOLD_ONCE.value)
    phone.find_element(By.ID, "text").send_keys("补了两次材料才受理")
    _submit_rating(phone)
    wait_for(phone, "#thanks")
    assert "感谢您的评价" in text(phone) and "回访" in text(phone)
    save_page(phone, "progress-rating-thanks")
    [terms] = _stored(county)
    assert terms.channel is Channel.PHONE and terms.level is Level.VERY_DISSATISFIED
    assert terms.reasons == (Reason.SLOW, Reason.NOT_TOLD_ONCE) and not terms.anonymous
    assert terms.text == "补了两次材料才受理"
