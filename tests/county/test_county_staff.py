"""County-level work over HTTP against the real service on loopback, on SQLite and PostgreSQL: a
staff member signs in, reads the queue of reported cases, decides or returns one, issues a
centre's account — and every wrong credential (a bad password, an expired sign-in, a
workstation's secret at the county's endpoints, a staff token at a workstation's) is refused with
a code and a Chinese message, with nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from app.accounts import service as accounts
from app.actor import Role
from app.cases import decisions as d
from app.cases import delivery
from app.catalog.loader import bundled_catalog
from app.workflow.states import CaseState
from county.cli import main as county_main
from county.credentials import digest
from county.staff import add_staff
from county.store.models import Account, CountyAuditRow, CountyCase, StaffToken
from db.models import Case, CaseAction
from tests.cases.helpers import applicant_of
from tests.centre import TOWN
from tests.county.server import County, running_county
from tests.county.stations import Station
from tests.county.test_sync_loop import GAOLING

STAFF, PASSWORD = "chen.shenpi", "County12345"


@pytest.fixture
def county(tmp_path: Path, county_url: str) -> Iterator[County]:
    with running_county(tmp_path / "county", county_url) as running:
        with running.store.sessions() as session, session.begin():
            add_staff(session, STAFF, "陈审批", PASSWORD)
        yield running


@pytest.fixture
def staff(county: County) -> Iterator[httpx.Client]:
    """A client signed in as the county's staff member."""
    with county.client() as client:
        answer = client.post("/v1/county/signin", json={"username": STAFF, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    with county.client(answer.json()["token"]) as signed_in:
        yield signed_in


def refusal(answer: httpx.Response) -> tuple[int, str]:
    detail = answer.json()["detail"]
    assert isinstance(detail["message"], str) and detail["message"]
    return answer.status_code, str(detail["code"])


def written(county: County) -> tuple[int, int, int, list[tuple[str, int]]]:
    """What county-level work can write: tokens, audit rows, accounts, each case's sequence."""
    with county.store.sessions() as session:
        tokens = session.scalar(select(func.count()).select_from(StaffToken)) or 0
        audit = session.scalar(select(func.count()).select_from(CountyAuditRow)) or 0
        held = session.scalar(select(func.count()).select_from(Account)) or 0
        cases = [
            (c.uid, c.seq) for c in session.scalars(select(CountyCase).order_by(CountyCase.id))
        ]
    return tokens, audit, held, cases


def reported(w01: Station, w02: Station) -> str:
    """A 高龄津贴 case accepted at W01, reviewed and reported to the county at W02, synced by
    both; its uid."""
    c1, c2 = w01.centre, w02.centre
    received = c1.walk_in(GAOLING)
    d.accept(c1.ctx, c1.actor("clerk"), received.case_id)
    w01.sync()
    w02.sync()
    with c1.store.reader() as session:
        uid = session.get(Case, received.case_id).uid  # type: ignore[union-attr]
    at_w02 = w02.case(uid).id
    d.start_review(c2.ctx, c2.actor("approver"), at_w02)
    d.record_opinion(c2.ctx, c2.actor("approver"), at_w02, "符合高龄津贴条件")
    d.report_to_county(c2.ctx, c2.actor("approver"), at_w02)
    assert w02.sync() == (3, 0, 0)
    return uid


def test_a_staff_member_signs_in_and_the_county_keeps_only_the_tokens_digest(
    county: County,
) -> None:
    before = dt.datetime.now(dt.UTC)
    with county.client() as client:
        answer = client.post(
            "/v1/county/signin", json={"username": " Chen.Shenpi ", "password": PASSWORD}
        )
    assert answer.status_code == 200, answer.text
    signed = answer.json()
    assert (signed["username"], signed["display_name"]) == (STAFF, "陈审批")
    expires = dt.datetime.fromisoformat(signed["expires_at"])
    assert before + dt.timedelta(hours=9) < expires < before + dt.timedelta(hours=11)
    with county.store.sessions() as session:
        (token,) = session.scalars(select(StaffToken))
        (audit,) = session.scalars(select(CountyAuditRow))
    assert token.token_hash == digest(signed["token"]) != signed["token"]
    assert (audit.actor, audit.action) == (STAFF, "signin")

    with county.client(signed["token"]) as client:
        assert client.get("/v1/county/cases").json() == {"cases": []}
        assert client.post("/v1/county/signout").status_code == 204
        assert refusal(client.get("/v1/county/cases")) == (401, "E401-STAFF")


def test_wrong_credentials_are_refused_with_a_code_and_nothing_is_written(
    county: County, staff: httpx.Client, w01: Station, w02: Station
) -> None:
    uid = reported(w01, w02)
    number = w02.case(uid).official_no
    decision = {"result": "approved", "opinion": "同意", "result_no": "示民高龄〔2026〕9号"}
    before = written(county)

    with county.client() as client:
        for password in ("wrong-password1", ""):
            answer = client.post(
                "/v1/county/signin", json={"username": STAFF, "password": password}
            )
            assert answer.status_code in (401, 422)
        unknown = client.post(
            "/v1/county/signin", json={"username": "nobody", "password": PASSWORD}
        )
        assert refusal(unknown) == (401, "E401-SIGNIN")
        wrong = client.post("/v1/county/signin", json={"username": STAFF, "password": "x1234567"})
        assert refusal(wrong) == (401, "E401-SIGNIN")
        assert "用户名或密码错误" in wrong.json()["detail"]["message"]
        no_token = client.post(f"/v1/county/cases/{number}/decision", json=decision)
        assert refusal(no_token) == (401, "E401-STAFF")

    # The workstation's own secret opens its sync, never the county's work.
    with county.client(_secret_of(w02)) as client:
        refused = client.post(f"/v1/county/cases/{number}/decision", json=decision)
        assert refusal(refused) == (403, "E403-WORKSTATION")
        assert "工作站凭证不能用于县级业务" in refused.json()["detail"]["message"]
        assert refusal(client.get("/v1/county/cases")) == (403, "E403-WORKSTATION")
        own = client.get("/v1/changes", params={"cursor": -1})  # the sync's own answer stays
        assert own.status_code == 422 and isinstance(own.json()["detail"], list)

    # A staff token opens no workstation's sync.
    token = _token_of(staff)
    with county.client(token) as client:
        assert refusal(client.get("/v1/changes")) == (403, "E403-STAFF")
        assert refusal(client.post("/v1/ops", json={"ops": []})) == (403, "E403-STAFF")

    # An expired sign-in.
    with county.store.sessions() as session, session.begin():
        session.execute(
            update(StaffToken).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
        )
    expired = staff.post(f"/v1/county/cases/{number}/decision", json=decision)
    assert refusal(expired) == (401, "E401-EXPIRED")
    assert written(county) == before
    assert w01.sync() == (0, 3, 0)  # W02's town steps only: no decision came down
    assert w01.case(uid).state == CaseState.WITH_COUNTY.value


def _token_of(client: httpx.Client) -> str:
    return client.headers["Authorization"].removeprefix("Bearer ")


def _secret_of(station: Station) -> str:
    return station.transport._client.headers["Authorization"].removeprefix("Bearer ")


def test_the_queue_and_a_decision_over_http_reach_the_window_which_delivers(
    county: County, staff: httpx.Client, w01: Station, w02: Station
) -> None:
    """W01 受理 → W02 审批 and 上报县级 → the county's staff 准予 over HTTP → W01 出件."""
    c1 = w01.centre
    uid = reported(w01, w02)
    case = w02.case(uid)
    queue = staff.get("/v1/county/cases", params={"state": "with_county"}).json()["cases"]
    assert [(q["uid"], q["receipt_no"], q["official_no"], q["item_name"]) for q in queue] == [
        (uid, case.receipt_no, case.official_no, GAOLING)
    ]
    assert (queue[0]["centre"], queue[0]["seq"], queue[0]["state"]) == (TOWN, 5, "with_county")
    assert staff.get("/v1/county/cases", params={"state": "decided"}).json() == {"cases": []}
    bad_state = staff.get("/v1/county/cases", params={"state": "no-such"})
    assert refusal(bad_state) == (422, "E422-FORMAT")
    assert bad_state.json()["detail"]["field"] == "state"

    before = written(county)
    denial = staff.post(
        f"/v1/county/cases/{case.official_no}/decision", json={"result": "denied", "opinion": ""}
    )
    assert refusal(denial) == (422, "E422-E100")  # a denial needs its reasons
    unknown = staff.post("/v1/county/cases/NO-SUCH/decision", json={"result": "approved"})
    for body, field, words in (
        ({"opinion": "同意"}, "result", "缺少必填项"),
        ({"result": "maybe"}, "result", "取值不在允许的范围内"),
        ({"result": "approved", "by": "someone-else"}, "by", "不认识的字段"),
    ):
        malformed = staff.post(f"/v1/county/cases/{case.official_no}/decision", json=body)
        assert refusal(malformed) == (422, "E422-FORMAT")
        assert malformed.json()["detail"]["field"] == field
        assert words in malformed.json()["detail"]["message"]
    assert refusal(unknown) == (404, "E404-CASE")
    assert written(county) == before

    decided = staff.post(
        f"/v1/county/cases/{case.official_no}/decision",
        json={"result": "approved", "opinion": "同意发放", "result_no": "示民高龄〔2026〕1号"},
    )
    assert decided.status_code == 200, decided.text
    assert decided.json() == {
        "receipt_no": case.receipt_no,
        "official_no": case.official_no,
        "state": "decided",
        "county_seq": 6,
    }
    assert staff.get("/v1/county/cases").json() == {"cases": []}
    with county.store.sessions() as session:
        audit = session.scalars(select(CountyAuditRow).where(CountyAuditRow.action != "signin"))
        assert [(a.actor, a.action, a.subject, a.detail["result"]) for a in audit] == [
            (STAFF, "case.decide", case.official_no, "approved")
        ]

    assert w01.sync() == (0, 4, 0)  # W02's three town actions and the county's decision
    at_w01 = w01.case(uid)
    assert (at_w01.state, at_w01.result, at_w01.result_no) == (
        CaseState.DECIDED.value,
        "approved",
        "示民高龄〔2026〕1号",
    )
    d.mark_ready(c1.ctx, c1.actor("clerk"), at_w01.id)
    name, card = applicant_of(c1.store, at_w01.id)
    delivery.deliver_to_applicant(c1.ctx, c1.actor("clerk"), at_w01.id, name, card)
    assert w01.sync() == (2, 0, 0)
    assert w01.case(uid).state == CaseState.DELIVERED.value
    with c1.store.reader() as session:
        actors = {
            (a.actor, a.actor_role, a.workstation) for a in session.scalars(select(CaseAction))
        }
    assert (STAFF, "county", "COUNTY") in actors  # the staff member, not a made-up name


def test_the_county_returns_a_case_over_http_and_the_town_reviews_again(
    county: County, staff: httpx.Client, w01: Station, w02: Station
) -> None:
    uid = reported(w01, w02)
    number = w02.case(uid).receipt_no  # the 收件号 finds it too
    empty = staff.post(f"/v1/county/cases/{number}/return", json={"reason": "  "})
    assert refusal(empty) == (422, "E422-FIELD") and empty.json()["detail"]["field"] == "reason"
    back = staff.post(f"/v1/county/cases/{number}/return", json={"reason": "缺少户籍证明"})
    assert back.status_code == 200, back.text
    assert (back.json()["state"], back.json()["county_seq"]) == ("in_review", 6)
    assert w02.sync() == (0, 1, 0)
    assert w02.case(uid).state == CaseState.IN_REVIEW.value
    with county.store.sessions() as session:
        actions = list(session.scalars(select(CountyAuditRow.action).order_by(CountyAuditRow.id)))
    assert actions == ["signin", "case.return"]


def test_an_account_issued_over_http_signs_in_at_a_workstation_after_sync(
    county: County, staff: httpx.Client, w02: Station
) -> None:
    account: dict[str, Any] = {
        "centre": TOWN,
        "username": "Clerk9",
        "display_name": "新办事员",
        "roles": ["clerk"],
        "password": "Initial12345",
    }
    before = written(county)
    for change, status, code in (
        ({"roles": ["county"]}, 422, "E422-ROLE"),
        ({"roles": ["admin", "clerk"]}, 422, "E422-FIELD"),  # separation of duties
        ({"centre": "999999999999"}, 404, "E404-CENTRE"),
        ({"username": "clerk"}, 409, "E409-ACCOUNT"),
        ({"username": "9x"}, 422, "E422-FIELD"),
        ({"password": "short1"}, 422, "E422-FIELD"),
    ):
        answer = staff.post("/v1/county/accounts", json=account | change)
        assert refusal(answer) == (status, code), change
    weak = staff.post("/v1/county/accounts", json=account | {"password": "onlyletters"})
    assert weak.json()["detail"]["field"] == "初始密码"
    assert written(county) == before

    issued = staff.post("/v1/county/accounts", json=account)
    assert issued.status_code == 201, issued.text
    assert issued.json() == {
        "centre": TOWN,
        "username": "clerk9",
        "display_name": "新办事员",
        "roles": ["clerk"],
        "must_change_password": True,
    }
    with county.store.sessions() as session:
        (audit,) = session.scalars(
            select(CountyAuditRow).where(CountyAuditRow.action == "account.issue")
        )
        assert (audit.actor, audit.subject) == (STAFF, "clerk9")
        held = session.get(Account, "clerk9")
        assert held is not None and held.password_hash.startswith("$argon2id$")

    w02.sync()
    with w02.centre.store.session() as session:
        there = accounts.authenticate(session, "clerk9", "Initial12345", "W02")
        assert there.roles == {Role.CLERK}
        assert accounts.password_change_required(session, there)


def test_staff_add_makes_an_account_that_signs_in(
    county: County,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = county.store.engine.url.render_as_string(hide_password=False)
    secret = tmp_path / "password.txt"
    secret.write_text("Wang12345abc\nignored\n", encoding="utf-8")
    add = ["staff-add", "--database", url, "--username", "wang", "--name", "王县级"]
    assert county_main([*add, "--password-file", str(secret)]) == 0
    assert "已添加县级工作人员 wang（王县级）" in capsys.readouterr().out
    assert county_main([*add, "--password-file", str(secret)]) == 1
    assert "wang 已存在" in capsys.readouterr().err

    typed = iter(["Li123456789", "Li123456789"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    assert (
        county_main(["staff-add", "--database", url, "--username", "li.na", "--name", "李娜"]) == 0
    )
    capsys.readouterr()
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "short")
    assert county_main(["staff-add", "--database", url, "--username", "zhao", "--name", "赵"]) == 1
    assert "密码至少需要8个字符" in capsys.readouterr().err
    missing = ["--password-file", str(tmp_path / "none.txt")]
    assert (
        county_main(["staff-add", "--database", url, "--username", "x1y", "--name", "某", *missing])
        == 1
    )
    assert "无法读取密码文件" in capsys.readouterr().err

    with county.client() as client:
        for username, password in (("wang", "Wang12345abc"), ("li.na", "Li123456789")):
            answer = client.post(
                "/v1/county/signin", json={"username": username, "password": password}
            )
            assert answer.status_code == 200, answer.text


def test_the_county_publishes_a_catalogue_and_a_calendar_year_over_http(
    county: County, staff: httpx.Client, w01: Station
) -> None:
    """Through the same functions as publish-catalogue / publish-calendar; the workstations'
    feeds (GET /v1/catalogue, /v1/calendar) carry them; bad input writes nothing."""
    document = bundled_catalog().model_dump(mode="json") | {"catalog_version": "2026.2-county"}
    before = written(county)
    broken = staff.post("/v1/county/catalogue", json={"catalogue": {"catalog_version": "x"}})
    assert refusal(broken) == (422, "E422-E200")
    assert "上传的目录" in broken.json()["detail"]["message"]
    elsewhere = staff.post(
        "/v1/county/catalogue", json={"catalogue": document, "centre": "999999999999"}
    )
    assert refusal(elsewhere) == (422, "E422-E100")
    assert elsewhere.json()["detail"]["field"] == "centre"
    assert refusal(staff.post("/v1/county/calendar-years", json={"year": 1800})) == (
        422,
        "E422-E100",
    )
    with county.client(_secret_of(w01)) as station:
        refused = station.post("/v1/county/catalogue", json={"catalogue": document})
        assert refusal(refused) == (403, "E403-WORKSTATION")
        assert written(county) == before

        published = staff.post("/v1/county/catalogue", json={"catalogue": document, "centre": TOWN})
        assert published.status_code == 200, published.text
        release = published.json()
        assert (release["catalog_version"], release["centre"], release["new"]) == (
            "2026.2-county",
            TOWN,
            True,
        )
        feed = station.get("/v1/catalogue", params={"since": 0}).json()
        assert (feed["release"], feed["catalogue"]["catalog_version"]) == (
            release["release"],
            "2026.2-county",
        )

        year = staff.post("/v1/county/calendar-years", json={"year": 2026})
        assert year.status_code == 200, year.text
        assert year.json()["new"] and year.json()["holidays"] > 0
        again = staff.post("/v1/county/calendar-years", json={"year": 2026})
        assert not again.json()["new"]
        years = station.get("/v1/calendar").json()["years"]
        assert [y["year"] for y in years] == [2026]
    with county.store.sessions() as session:
        audit = session.scalars(select(CountyAuditRow).where(CountyAuditRow.action != "signin"))
        assert [(a.actor, a.action, a.subject) for a in audit] == [
            (STAFF, "catalogue.publish", "2026.2-county"),
            (STAFF, "calendar.publish", "2026"),
        ]
