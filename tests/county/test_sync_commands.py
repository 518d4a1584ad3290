"""``onewindow activate``, ``onewindow sync now`` and ``onewindow sync status`` against the real
county service on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cases import decisions as d
from app.cli import main
from app.sync.credential import KEYRING_SERVICE
from db.models import Setting
from db.store import Store
from tests.centre import Centre
from tests.county.server import ACTIVATION_CODES, County, running_county
from tests.fakes import MemoryKeyring


@pytest.fixture
def county(tmp_path: Path) -> Iterator[County]:
    with running_county(tmp_path / "county") as running:
        yield running


def run(store: Store, *args: str) -> int:
    return main(["--data-dir", str(store.data_dir), *args])


def test_activate_then_sync_now_and_status(
    centre: Centre,
    county: County,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = centre.store
    assert run(store, "sync", "status") == 0
    assert "县级系统：未激活" in capsys.readouterr().out
    assert run(store, "sync", "now") == 1
    assert "尚未激活" in capsys.readouterr().err

    assert run(store, "activate", "--county", county.url, "--code", "wrong-code") == 1
    assert "拒绝激活" in capsys.readouterr().err
    code = ACTIVATION_CODES["W01"].lower().replace("-", " - ")  # as a person might type it
    assert run(store, "activate", "--county", county.url, "--code", code) == 0
    assert "已激活" in capsys.readouterr().out
    secret = memory_keyring.passwords[(KEYRING_SERVICE, store.store_id)]
    with store.reader() as session:  # the secret is in the keyring only, not in the store
        values = [str(s.value) for s in session.scalars(select(Setting))]
    assert all(secret not in value for value in values)

    received = centre.walk_in("最低生活保障")
    d.accept(centre.ctx, centre.actor("clerk"), received.case_id)
    assert run(store, "sync", "status", "--json") == 0
    before = json.loads(capsys.readouterr().out)
    assert (before["queued"], before["parked"], before["last_sync"]) == (2, 0, None)
    assert before["county_url"] == county.url

    assert run(store, "sync", "now") == 0
    assert capsys.readouterr().out.strip() == (
        "已上传 2，重复确认 0，已下载 0，暂挂待处理 0，仍在队列 0"
    )
    assert run(store, "sync", "status", "--json") == 0
    after = json.loads(capsys.readouterr().out)
    assert (after["queued"], after["parked"]) == (0, 0) and after["last_sync"]
