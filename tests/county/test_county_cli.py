"""``onewindow-county``: init-demo fills an empty store with the demo county (and a second run
changes nothing), activation-code hands out a one-time code the service accepts, serve serves, and
what a person can get wrong exits 1 with a Chinese message. The commands run on both backends: a
SQLite file and a database of a throwaway PostgreSQL server (tests/county/postgres.py)."""

from __future__ import annotations

import hashlib
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from app.accounts.passwords import verify_password
from app.catalog.loader import bundled_catalog
from app.catalog.service import install_catalog
from app.demo.centre import DEMO_CENTRE_NAME, DEMO_TOWN_CODE
from app.demo.users import DEMO_PASSWORD, DEMO_USERS
from county.cli import DEMO_COUNTY_NAME, main
from county.store.engine import CountyStore, open_county
from county.store.models import Account, Centre, ItemVersion, Meta, Workstation
from db.models import Item
from db.store import Store
from tests.county.postgres import BACKENDS, PostgresServer

ROOT = Path(__file__).resolve().parents[2]
CODE = re.compile(r"^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){7}$")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo county, made once for the module (hashing nine passwords takes a while)."""
    path = tmp_path_factory.mktemp("county") / "county.db"
    assert main(["init-demo", "--database", f"sqlite:///{path}"]) == 0
    return path


@pytest.fixture(scope="module")
def demo_database(postgres: PostgresServer) -> Iterator[str]:
    """The demo county in a PostgreSQL database, made once for the module."""
    name = postgres.create_database()
    assert main(["init-demo", "--database", postgres.url(name)]) == 0
    yield name
    postgres.drop_database(name)


@pytest.fixture(params=BACKENDS)
def demo_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A copy of the demo county of its own for each test, on each backend in turn: a copy of
    the file, or a database made from the demo one as its template (both closed by now)."""
    if request.param == "sqlite":
        copy = tmp_path / "county.db"
        shutil.copyfile(request.getfixturevalue("demo_file"), copy)
        yield f"sqlite:///{copy}"
        return
    postgres: PostgresServer = request.getfixturevalue("postgres")
    name = postgres.create_database(template=request.getfixturevalue("demo_database"))
    yield postgres.url(name)
    postgres.drop_database(name)


@pytest.fixture
def county(demo_url: str) -> Iterator[CountyStore]:
    opened = open_county(demo_url)
    yield opened
    opened.close()


def _snapshot(store: CountyStore) -> dict[str, Any]:
    with store.sessions() as session:
        return {
            "meta": [(m.id, m.epoch, m.county_name) for m in session.scalars(select(Meta))],
            "centres": [(c.code, c.name) for c in session.scalars(select(Centre))],
            "accounts": [
                (a.username, a.centre_code, a.display_name, a.roles, a.password_hash, a.active)
                for a in session.scalars(select(Account).order_by(Account.username))
            ],
            "items": [
                (v.id, v.code, v.content_hash)
                for v in session.scalars(select(ItemVersion).order_by(ItemVersion.id))
            ],
            "workstations": [
                (w.id, w.centre_code, w.code)
                for w in session.scalars(select(Workstation).order_by(Workstation.id))
            ],
        }


def _issue(url: str, workstation: str, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    args = ["activation-code", "--database", url, "--centre", DEMO_TOWN_CODE]
    assert main([*args, "--workstation", workstation]) == 0
    return capsys.readouterr().out.splitlines()[-1]


def _hash_of(store: CountyStore, workstation: str) -> str | None:
    with store.sessions() as session:
        return session.scalars(
            select(Workstation.activation_hash).where(
                Workstation.centre_code == DEMO_TOWN_CODE, Workstation.code == workstation
            )
        ).one()


def test_init_demo_makes_the_county_the_centre_and_its_workstations(county: CountyStore) -> None:
    with county.sessions() as session:
        meta = session.scalars(select(Meta)).one()
        centre = session.get(Centre, DEMO_TOWN_CODE)
        stations = session.scalars(select(Workstation).order_by(Workstation.code)).all()
    assert meta.county_name == DEMO_COUNTY_NAME == "示例县政务服务管理局（演示）"
    assert uuid.UUID(meta.epoch).version == 4
    assert centre is not None and centre.name == DEMO_CENTRE_NAME
    assert [(s.centre_code, s.code) for s in stations] == [
        (DEMO_TOWN_CODE, "V01"),
        (DEMO_TOWN_CODE, "W01"),
        (DEMO_TOWN_CODE, "W02"),
    ]
    assert all(s.secret_hash is None and s.activated_at is None for s in stations)


def test_init_demo_makes_the_demo_accounts_with_their_roles(county: CountyStore) -> None:
    with county.sessions() as session:
        accounts = {a.username: a for a in session.scalars(select(Account))}
    assert len(accounts) == 9
    assert {name: a.roles for name, a in accounts.items()} == {
        user.username: [user.role.value] for user in DEMO_USERS
    }
    assert {a.display_name for a in accounts.values()} == {u.display_name for u in DEMO_USERS}
    assert all(a.centre_code == DEMO_TOWN_CODE and a.active for a in accounts.values())
    assert verify_password(accounts["clerk1"].password_hash, DEMO_PASSWORD)


def test_the_item_versions_are_what_a_workstation_installs(
    county: CountyStore, store: Store
) -> None:
    with store.session() as session, session.begin():
        install_catalog(session, bundled_catalog(), loaded_by="test")
    with store.session() as session:
        workstation = {
            (i.code, i.content_hash, i.implementation_code, repr(i.detail))
            for i in session.scalars(select(Item))
        }
    with county.sessions() as session:
        stored = {
            (v.code, v.content_hash, v.implementation_code, repr(v.detail))
            for v in session.scalars(select(ItemVersion))
        }
    assert len(stored) == 16
    assert stored == workstation


def test_a_second_init_demo_changes_nothing(
    demo_url: str, county: CountyStore, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _snapshot(county)
    capsys.readouterr()
    assert main(["init-demo", "--database", demo_url]) == 0
    assert capsys.readouterr().out.strip() == "演示县的数据已齐全，未做任何更改。"
    assert _snapshot(county) == before


def test_init_demo_refuses_another_countys_store(
    county_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = county_url
    real = open_county(url)
    with real.sessions() as session, session.begin():
        session.add(Meta(id=1, epoch=str(uuid.uuid4()), county_name="某县政务服务管理局"))
    real.close()
    assert main(["init-demo", "--database", url]) == 1
    assert "某县政务服务管理局" in capsys.readouterr().err


def test_activation_code_prints_a_code_whose_hash_alone_is_stored(
    demo_url: str, county: CountyStore, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _issue(demo_url, "W02", capsys)
    assert CODE.match(code), code
    assert _hash_of(county, "W02") == hashlib.sha256(code.encode()).hexdigest()
    again = _issue(demo_url, "w02", capsys)  # typed in lower case: the same workstation
    assert again != code
    assert _hash_of(county, "W02") == hashlib.sha256(again.encode()).hexdigest()


def test_activation_code_registers_a_workstation_not_seen_yet(
    demo_url: str, county: CountyStore, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _issue(demo_url, "W07", capsys)
    assert _hash_of(county, "W07") == hashlib.sha256(code.encode()).hexdigest()


def test_a_proxy_laptop_is_registered_with_its_narrow_scope(
    demo_url: str, county: CountyStore, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    args = ["--database", demo_url, "--centre", DEMO_TOWN_CODE, "--workstation", "V07"]
    assert main(["activation-code", *args, "--proxy-laptop"]) == 0
    assert "代办点笔记本" in capsys.readouterr().out
    assert main(["activation-code", *args]) == 0  # a new code keeps the scope
    assert "代办点笔记本" in capsys.readouterr().out
    with county.sessions() as session:
        scopes = {
            code: scope
            for code, scope in session.execute(select(Workstation.code, Workstation.scope))
        }
    assert scopes["V07"] == "proxy" and scopes["V01"] == "proxy" and scopes["W02"] == "centre"


def test_activation_code_refuses_an_unknown_centre(
    demo_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    args = ["--database", demo_url, "--centre", "511899999000", "--workstation", "W02"]
    assert main(["activation-code", *args]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "县级库中没有区划代码为 511899999000 的便民服务中心" in err


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("county.db", "无法识别的数据库地址"),
        ("mysql://someone@somewhere/county", "无法识别的数据库地址"),
        ("postgresql+psycopg://someone@somewhere:port/county", "无法识别的数据库地址"),
        ("sqlite:////no/such/folder/county.db", "无法打开数据库"),
    ],
)
def test_a_database_that_cannot_be_used_exits_1_in_chinese(
    url: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init-demo", "--database", url]) == 1
    assert message in capsys.readouterr().err


def test_serve_runs_the_service_and_a_printed_code_activates(
    demo_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _issue(demo_url, "V01", capsys)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "county.cli", "serve", "--database", demo_url]
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        request = {"centre": DEMO_TOWN_CODE, "workstation": "V01", "code": code}
        answer = _post_when_up(f"http://127.0.0.1:{port}/v1/activate", request, server)
        assert answer.status_code == 200, answer.text
        assert answer.json()["county_name"] == DEMO_COUNTY_NAME
    finally:
        server.terminate()
        server.wait(timeout=30)


def _post_when_up(
    url: str, body: dict[str, str], server: subprocess.Popen[bytes]
) -> httpx.Response:
    deadline = time.monotonic() + 60
    while True:
        try:
            return httpx.post(url, json=body, timeout=10)
        except httpx.TransportError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)
