"""The demo's whole loop, the way ``onewindow --demo`` runs it (``app.demo.county``): W01 starts
the demo county as a subprocess (here on a free port, the clerk's delay one second) and is
activated against it, W02 and the proxy laptop V01 find it and are activated too; a case goes
W01 受理 → W02 审批 and 上报 → the demo county clerk 准予 → W01 出件, all through the app's use
cases and the real sync."""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from app import settings
from app.actor import Actor, Role
from app.cases import decisions as d
from app.cases import delivery, intake, queries
from app.cases.context import CaseContext
from app.catalog.loader import bundled_catalog
from app.demo.centre import demo_key_file
from app.demo.county import DemoCountyLink, probe
from app.demo.forms import sample_form_data
from app.demo.seed import MIN_CASES
from app.demo.start import ensure_demo_centre
from app.errors import ValidationError
from app.settings.calendar import work_calendar
from app.sync.credential import DEMO_SECRET_FILE
from app.sync.session import SyncSummary, sync_round
from app.workflow.states import CaseState
from county.cli import main as county_main
from county.demo_clerk import DEMO_CLERK
from db.base import utcnow
from db.models import Case, CaseAction, Item, User
from db.store import Store, open_store
from tests.cases.helpers import applicant_of
from tests.county.server import running_county

GAOLING = "高龄津贴"  # one town review step, then the county decides
CLERK_DELAY = 1.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class DemoStation:
    """A demo workstation as ``onewindow --demo [--workstation …]`` makes it, without the GUI."""

    def __init__(self, root: Path, code: str, port: int) -> None:
        data_dir = root / code
        self.store: Store = open_store(data_dir, demo_key_file(data_dir))
        self.lines: list[tuple[str, bool]] = []
        self.link = DemoCountyLink(
            data_dir,
            code,
            port=port,
            clerk_delay=CLERK_DELAY,
            done=lambda line, failed: self.lines.append((line, failed)),
        )
        self.link.start()  # the county starts while the store is prepared, as in the GUI
        ensure_demo_centre(self.store, cases=MIN_CASES, workstation=code)
        self.link.store_opened(self.store)
        with self.store.reader() as session:
            self.calendar = work_calendar(session)
        self.ctx = CaseContext(self.store.session, self.store.reader, self.calendar, utcnow)

    def connected(self) -> str:
        assert self.link.wait(120), "the demo county link did not finish"
        ((line, failed),) = self.lines
        assert not failed, line
        return line

    def sync(self) -> SyncSummary:
        outcome = sync_round(self.store, self.calendar)
        assert outcome.error is None, outcome.error
        assert outcome.summary is not None
        return outcome.summary

    def actor(self, username: str) -> Actor:
        with self.store.reader() as session:
            user = session.scalars(select(User).where(User.username == username)).one()
            roles = frozenset(Role(r.role_code) for r in user.roles)
            code = settings.WORKSTATION_CODE.get(session)
            return Actor(user.id, user.username, user.display_name, roles, code)

    def case(self, uid: str) -> Case:
        with self.store.reader() as session:
            found: Case = session.scalars(select(Case).where(Case.uid == uid)).one()
            return found

    def states(self) -> dict[str, int]:
        with self.store.reader() as session:
            rows = session.execute(select(Case.state, func.count()).group_by(Case.state))
            return {state: count for state, count in rows}

    def close(self) -> None:
        self.link.stop()
        self.store.close()


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def w01(tmp_path: Path, port: int) -> Iterator[DemoStation]:
    station = DemoStation(tmp_path, "W01", port)
    yield station
    station.close()


def test_w01_accepts_w02_reports_the_demo_clerk_approves_w01_delivers(
    tmp_path: Path, port: int, w01: DemoStation
) -> None:
    assert "激活本工作站" in w01.connected()
    county = w01.link.county
    assert county is not None and county.started_here
    assert (tmp_path / "W01" / "county" / "county.db").exists()
    assert (tmp_path / "W01" / DEMO_SECRET_FILE).exists()  # no keyring needed for the demo
    seeded = w01.states()
    first = w01.sync()  # the seeded centre goes up
    with w01.store.reader() as session:
        actions = session.scalar(select(func.count()).select_from(CaseAction))
    assert (first.parked, first.queued) == (0, 0)
    assert actions is not None and first.pushed >= actions  # (and the proxies' authorizations)

    w02 = DemoStation(tmp_path, "W02", port)
    v01 = DemoStation(tmp_path, "V01", port)
    try:
        for other in (w02, v01):
            assert "激活本工作站" in other.connected()
            assert other.link.county is not None and not other.link.county.started_here
            assert other.states() == {}  # no seeded cases of its own
            assert other.sync().parked == 0
        assert w02.states() == seeded  # the same centre as W01's (V01, a proxy's laptop, may
        # take only its own filings down)
        walk_the_loop(w01, w02)
    finally:
        w02.close()
        v01.close()

    # The seeded cases reported before the clerk started are still with the county.
    assert w01.states()[CaseState.WITH_COUNTY.value] == seeded[CaseState.WITH_COUNTY.value]
    # Another W01 (another data directory) does not take over this demo county.
    other = DemoStation(tmp_path / "again", "W01", port)
    try:
        assert other.link.wait(60)
        ((line, failed),) = other.lines
        assert failed and "另一个演示中心的县级服务" in line
    finally:
        other.close()
    w01.link.stop()  # the window that started the county exits: the county goes with it
    assert probe(county.url) is None


def walk_the_loop(w01: DemoStation, w02: DemoStation) -> None:
    clerk, approver = w01.actor("clerk1"), w02.actor("approver1")
    with w01.store.reader() as session:
        item_id = session.scalars(select(Item.id).where(Item.name == GAOLING, Item.active)).one()
    item = next(i for i in bundled_catalog().items if i.name == GAOLING)
    form = sample_form_data(bundled_catalog().template_for(item), random.Random(3))
    materials = [intake.MaterialIn(m.id) for m in item.materials if m.required]
    received = intake.receive_walk_in(w01.ctx, clerk, item_id, form, materials)
    d.accept(w01.ctx, clerk, received.case_id)  # W01 受理
    with w01.store.reader() as session:
        uid = session.get(Case, received.case_id).uid  # type: ignore[union-attr]
    assert w01.sync().pushed == 2
    assert w02.sync().pulled == 2

    at_w02 = w02.case(uid).id  # W02 审批 and 上报县级
    d.start_review(w02.ctx, approver, at_w02)
    d.record_opinion(w02.ctx, approver, at_w02, "符合高龄津贴条件")
    d.report_to_county(w02.ctx, approver, at_w02)
    assert w02.sync().pushed == 3

    decided = wait_for(w01, uid, CaseState.DECIDED)  # the demo clerk, a second later
    assert decided.result == "approved"
    assert decided.result_no is not None and decided.result_no.startswith("演示准字〔")
    with w01.store.reader() as session:
        decision = session.scalars(
            select(CaseAction).where(CaseAction.case_id == received.case_id).order_by(CaseAction.id)
        ).all()[-1]
    assert (decision.actor, decision.actor_role, decision.workstation) == (
        DEMO_CLERK,
        Role.COUNTY.value,
        "COUNTY",
    )

    d.mark_ready(w01.ctx, clerk, received.case_id)  # ready for 出件 at the window
    with w01.store.reader() as session:
        waiting = [row.receipt_no for row in queries.my_queue(session, clerk).rows]
    assert received.receipt_no in waiting
    name, card = applicant_of(w01.store, received.case_id)
    delivery.deliver_to_applicant(w01.ctx, clerk, received.case_id, name, card)  # W01 出件
    assert w01.sync().pushed == 2
    w02.sync()
    assert w02.case(uid).state == CaseState.DELIVERED.value

    # The receipt's progress link: the demo county's page, the case found by its 收件号 and
    # 查询密码 (as its QR code opens it on this PC).
    case = w01.case(uid)
    with w01.store.reader() as session:
        page = settings.PROGRESS_URL.get(session)
    assert page == f"{w01.link.county.url}/progress"  # type: ignore[union-attr]
    answer = httpx.post(page, data={"n": case.receipt_no, "p": case.query_password or ""})
    assert answer.status_code == 200 and "已出件" in answer.text
    assert name not in answer.text  # masked


def wait_for(station: DemoStation, uid: str, state: CaseState) -> Case:
    """Sync until the case reaches ``state`` (the clerk works on its own clock)."""
    deadline = time.monotonic() + 60
    while True:
        station.sync()
        case = station.case(uid)
        if case.state == state.value or time.monotonic() > deadline:
            assert case.state == state.value
            return case
        threading.Event().wait(0.5)


def test_the_demo_clerk_is_refused_on_a_real_county(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with running_county(tmp_path / "county") as county:
        url = str(county.store.engine.url)
        assert county_main(["serve", "--database", url, "--demo-clerk", "1"]) == 1
    assert "只用于演示县" in capsys.readouterr().err


def test_a_second_demo_workstation_has_the_centre_but_no_cases_and_keeps_its_code(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "W02"
    store = open_store(data_dir, demo_key_file(data_dir))
    try:
        assert ensure_demo_centre(store, workstation="W02") is None  # nothing seeded
        with store.reader() as session:
            assert session.scalar(select(func.count()).select_from(Case)) == 0
            assert settings.WORKSTATION_CODE.get(session) == "W02"
            assert "approver1" in set(session.scalars(select(User.username)))
        assert ensure_demo_centre(store) is None  # reopened as what it is
        with pytest.raises(ValidationError, match="属于工作站 W02"):
            ensure_demo_centre(store, workstation="W01")
    finally:
        store.close()


def test_workstation_is_for_the_demo_only(capsys: pytest.CaptureFixture[str]) -> None:
    from ui.launcher import main

    assert main(["--workstation", "W02"]) == 2  # before any window or store
    assert "只用于演示模式" in capsys.readouterr().err
