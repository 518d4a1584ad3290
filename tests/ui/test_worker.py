"""The runner always releases its caller: every exception reaches ``failed``, busy is cleared,
and a bug (anything not an ``AppError``) also reaches the crash handler."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.cases.changes import CaseChange
from app.errors import INTERNAL_ERROR_MESSAGE, AppError, InternalError, NotFound
from app.workflow.states import Action, CaseState
from tests.ui.conftest import wait_idle
from ui.worker import Changed, Runner

Crash = tuple[type[BaseException], BaseException, TracebackType | None]


class Caller:
    """What a desk hands the runner, recording what came back."""

    def __init__(self) -> None:
        self.done: list[object] = []
        self.failed: list[AppError] = []
        self.crashes: list[Crash] = []
        self.busy: list[bool] = []
        self.notices: list[Changed] = []

    @property
    def changed(self) -> int:
        return len(self.notices)

    def crash(self, kind: type[BaseException], error: BaseException, tb: Any) -> None:
        self.crashes.append((kind, error, tb))


@pytest.fixture
def caller(qtbot: QtBot) -> Caller:
    return Caller()


@pytest.fixture
def runner(qtbot: QtBot, caller: Caller) -> Runner:
    made = Runner(crash=caller.crash)
    made.busy_changed.connect(caller.busy.append)

    made.cases_changed.connect(caller.notices.append)
    return made


def boom() -> object:
    raise RuntimeError("the bug")


def run(qtbot: QtBot, runner: Runner, submit: Callable[[], None]) -> None:
    submit()
    wait_idle(qtbot, runner)


@pytest.mark.parametrize("kind", ["read", "write"])
def test_a_bug_in_the_task_goes_to_failed_as_e900_and_to_the_crash_handler(
    qtbot: QtBot, runner: Runner, caller: Caller, kind: str
) -> None:
    submit = runner.read if kind == "read" else runner.write
    run(qtbot, runner, lambda: submit(boom, caller.done.append, caller.failed.append))
    assert caller.done == []
    [error] = caller.failed
    assert isinstance(error, InternalError) and error.code == "E900"
    assert str(error) == f"[E900] {INTERNAL_ERROR_MESSAGE}"
    assert "程序内部错误，本次操作未完成，已记录日志" in error.message
    [(crash_kind, crashed, tb)] = caller.crashes
    assert crash_kind is RuntimeError and str(crashed) == "the bug" and tb is not None
    assert caller.busy == [True, False]
    assert caller.changed == 0  # nothing was written


def test_an_expected_error_goes_to_failed_as_it_is_and_is_no_crash(
    qtbot: QtBot, runner: Runner, caller: Caller
) -> None:
    refusal = NotFound("办件不存在。")

    def refuse() -> None:
        raise refusal

    run(qtbot, runner, lambda: runner.write(refuse, caller.done.append, caller.failed.append))
    assert caller.failed == [refusal]
    assert caller.crashes == [] and caller.busy == [True, False]


def test_a_bug_in_done_releases_the_caller_through_failed(
    qtbot: QtBot, runner: Runner, caller: Caller
) -> None:
    def done(_: object) -> None:
        raise KeyError("column")

    run(qtbot, runner, lambda: runner.write(lambda: 1, done, caller.failed.append))
    assert [type(e) for e in caller.failed] == [InternalError]
    assert [kind for kind, _, _ in caller.crashes] == [KeyError]
    assert caller.changed == 1  # the write itself succeeded
    assert caller.busy == [True, False]


def test_a_bug_in_failed_is_reported_and_busy_still_clears(
    qtbot: QtBot, runner: Runner, caller: Caller
) -> None:
    def failed(_: AppError) -> None:
        raise ValueError("in the callback")

    run(qtbot, runner, lambda: runner.read(boom, caller.done.append, failed))
    assert [kind for kind, _, _ in caller.crashes] == [RuntimeError, ValueError]
    assert caller.busy == [True, False] and runner.pending == 0


def test_a_bug_with_no_failed_callback_is_still_reported(
    qtbot: QtBot, runner: Runner, caller: Caller
) -> None:
    run(qtbot, runner, lambda: runner.write(boom))
    assert len(caller.crashes) == 1 and caller.busy == [True, False]


def test_a_gone_owner_gets_no_callback_but_the_bug_is_reported(
    qtbot: QtBot, runner: Runner, caller: Caller
) -> None:
    owner = QWidget()
    gone = threading.Event()

    def after_the_owner_is_gone() -> object:
        gone.wait(5)
        return boom()

    runner.write(after_the_owner_is_gone, caller.done.append, caller.failed.append, owner=owner)
    shiboken6.delete(owner)  # the desk was closed while its task ran
    gone.set()
    wait_idle(qtbot, runner)
    assert caller.failed == [] and len(caller.crashes) == 1


def test_without_a_crash_handler_bugs_go_to_sys_excepthook(qtbot: QtBot, caller: Caller) -> None:
    runner = Runner()
    previous = sys.excepthook
    sys.excepthook = caller.crash
    try:
        run(qtbot, runner, lambda: runner.write(boom, failed=caller.failed.append))
    finally:
        sys.excepthook = previous
    assert len(caller.crashes) == 1 and len(caller.failed) == 1
    runner.shutdown()


def test_a_write_says_which_cases_it_changed(qtbot: QtBot, runner: Runner, caller: Caller) -> None:
    change = CaseChange(7, "R-7", Action.ACCEPT, CaseState.ACCEPTED, 2)
    run(qtbot, runner, lambda: runner.write(lambda: change))  # the result names its case
    run(qtbot, runner, lambda: runner.write(lambda: "已归档", cases=(3,), lists=False))
    run(qtbot, runner, lambda: runner.write(lambda: None))  # says nothing: any case
    run(qtbot, runner, lambda: runner.write(lambda: None, changes_cases=False))  # a draft
    assert caller.notices == [
        Changed(frozenset({7})),
        Changed(frozenset({3}), lists=False),
        Changed(None),
    ]
    assert caller.notices[0].touches(7) and not caller.notices[0].touches(8)
    assert caller.notices[2].touches(8) and not caller.notices[2].touches(None)
