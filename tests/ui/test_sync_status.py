"""The desktop syncs on its own thread and says so in the status bar: queued → synced after the
window's own write, offline when the county is gone (the work waits, counted), and the desks hear
the cases the county's changes touched."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.cases import intake
from app.demo.forms import sample_form_data
from app.errors import AppError
from app.intake.window import Decision, Kind, receive_and_decide
from app.sync.session import activate
from county.store.models import CaseActionRow
from tests.centre import Centre
from tests.county.server import ACTIVATION_CODES, County, running_county
from tests.ui.conftest import wait_idle
from tests.ui.drive import main_window
from tests.ui.screenshots import save_screenshots
from ui.desk_base import DeskEnv
from ui.desks.search_desk import SearchDesk
from ui.sync_worker import SyncWorker
from ui.worker import Changed

DIBAO = "最低生活保障"


def confirmed(county: County) -> int:
    with county.store.sessions() as session:
        return session.scalar(select(func.count()).select_from(CaseActionRow)) or 0


def error_of(worker: SyncWorker) -> AppError | None:
    """The last round's error (a function: what an earlier assert narrowed is read again)."""
    assert worker.last_round is not None
    return worker.last_round.error


def test_the_status_bar_follows_sync_from_queued_to_synced_and_offline(
    qtbot: QtBot, centre: Centre, desk_env: Callable[[str], DeskEnv], tmp_path: Path
) -> None:
    c = centre
    env = desk_env("clerk")
    window = main_window(env, [SearchDesk(env)], idle_lock_ms=600_000)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    worker = SyncWorker(c.store, c.ctx.calendar, env.runner, every_ms=600_000, soon_ms=50)
    worker.status_text.connect(window.online_label.setText)
    heard: list[Changed] = []
    env.runner.cases_changed.connect(heard.append)
    label = window.online_label
    form = sample_form_data(c.template(DIBAO), c.rng)
    materials = [intake.MaterialIn(k) for k in c.required_materials(DIBAO)]

    def take_in(kind: Kind) -> None:
        env.runner.write(
            lambda: env.backend.act(
                receive_and_decide, c.item_id(DIBAO), form, materials, Decision(kind)
            )
        )
        wait_idle(qtbot, env.runner)

    worker.start()  # not activated yet: says so, tries nothing
    qtbot.waitUntil(lambda: "未激活" in label.text())
    with running_county(tmp_path / "county") as county:
        activate(c.store, county.url, ACTIVATION_CODES["W01"])
        worker.sync()
        qtbot.waitUntil(lambda: label.text().startswith("县级系统：已连接"))
        take_in(Kind.ACCEPT)
        # The write asked for a round a moment later: both actions went up, nothing waits.
        # the round that sent them told the desks (the case has its 办件编号 now)
        qtbot.waitUntil(lambda: any(h.from_sync for h in heard))
        assert confirmed(county) == 2
        assert "最近同步" in label.text() and "待上传" not in label.text()
        assert error_of(worker) is None
        save_screenshots(window, "status-bar-synced")

    take_in(Kind.RECEIVE)  # the county is gone: the work is kept and counted
    qtbot.waitUntil(lambda: "无法连接" in label.text() and "待上传 1 条" in label.text())
    assert error_of(worker) is not None
    save_screenshots(window, "status-bar-offline")
    worker.stop()


def test_a_round_that_raises_ends_reported_and_the_next_round_runs(
    qtbot: QtBot,
    centre: Centre,
    desk_env: Callable[[str], DeskEnv],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bug in a round (an exception, not an expected error) goes to the crash handler, the
    status bar hears the round end, and the worker takes the next round: it is never left
    'running' for good."""
    import ui.sync_worker as sync_worker

    env = desk_env("clerk")
    bugs: list[BaseException] = []
    env.runner.crash = lambda _kind, bug, _tb: bugs.append(bug)
    calls: list[int] = []

    def broken(*_args: object, **_kwargs: object) -> object:
        calls.append(1)
        raise RuntimeError("a bug in the sync")

    monkeypatch.setattr(sync_worker, "sync_round", broken)
    worker = SyncWorker(centre.store, centre.ctx.calendar, env.runner, every_ms=600_000)
    texts: list[str] = []
    worker.status_text.connect(texts.append)
    with qtbot.waitSignal(worker.status_text, timeout=10_000):
        worker.sync()
    assert [str(b) for b in bugs] == ["a bug in the sync"]
    assert error_of(worker) is not None and error_of(worker).code == "E900"  # type: ignore[union-attr]
    with qtbot.waitSignal(worker.status_text, timeout=10_000):
        worker.sync()  # not refused as "a round is under way"
    assert len(calls) == 2
    worker.stop()
