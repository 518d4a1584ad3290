"""Desk tests: a centre (tests/centre.py) and a way to open any desk as any of its users."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.centre import Centre, centre
from tests.ui.fake_dialogs import FakeDialogs
from ui.backend import DeskBackend
from ui.desk_base import DeskEnv
from ui.refcounts import guard_singletons
from ui.style import apply_style
from ui.worker import Runner

__all__ = ["app_style", "centre", "desk_env", "qt_garbage_collected_here", "wait_idle"]


@pytest.fixture(autouse=True, scope="session")
def app_style(qapp: QApplication) -> None:
    """The app's look (and the bundled font: Chinese renders on a machine with no CJK fonts),
    and the guard the program runs at start (a test session makes many Qt calls too)."""
    guard_singletons()
    apply_style(qapp)


@pytest.fixture(autouse=True)
def qt_garbage_collected_here() -> Iterator[None]:
    """Collect each test's cyclic garbage when it ends, here on the UI thread (after pytest-qt
    closed its widgets). Qt objects a test leaves in a reference cycle — a ``Runner`` and its
    thread pools, a window — would otherwise be destroyed by whichever thread next triggers a
    collection, perhaps a later test's worker, and Qt aborts the process (seen once: "Fatal
    Python error: Aborted" while garbage-collecting in a read thread)."""
    yield
    gc.collect()


def wait_idle(qtbot: QtBot, runner: Runner, timeout: int = 10_000) -> None:
    """Wait until every background task has finished and its callback has run."""
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=timeout)


@pytest.fixture
def desk_env(centre: Centre, qtbot: QtBot) -> Iterator[Callable[[str], DeskEnv]]:
    """``desk_env("clerk")`` → the env a desk gets when that centre user is signed in (the
    centre's clock and calendar; dialogs faked and recorded in ``env.dialogs``)."""
    runner = Runner()

    def make(user: str) -> DeskEnv:
        backend = DeskBackend(centre.store, centre.ctx.calendar, centre.actor(user), centre.clock)
        return DeskEnv(backend, runner, FakeDialogs())

    yield make
    wait_idle(qtbot, runner)
    runner.shutdown()
