"""Running use cases off the UI thread, with results posted back to it.

Every desk calls the store through one :class:`Runner`: reads go to a read thread, writes to a
single writer thread (so the window's own writes never contend for SQLite's write lock, as in
Anki's task manager). One read thread, not a pool: each extra Python thread competes with the
UI thread for the GIL, and measured on 2 cores a second reader raised the UI thread's p99 gap
while scrolling a 6,000-case queue from ~70 to ~110 ms; pages and searches take ~15 ms each.

Callbacks run on the UI thread. The caller is always released: an expected error
(:class:`AppError`) goes to its ``failed`` callback as it is; anything else is a bug, and the
caller's ``failed`` gets an :class:`InternalError` (E900) so the desk is usable again, then the
exception goes to the crash handler (``crash``, by default ``sys.excepthook``: the app installs
``ui.crash.CrashHandler`` there; under pytest-qt it fails the test). A bug in a ``done`` callback
is treated the same way, so a desk that set itself busy is never left so.
"""

from __future__ import annotations

import itertools
import logging
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeAlias, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from app.cases.changes import changed_cases
from app.errors import AppError, InternalError

T = TypeVar("T")
ExceptHook: TypeAlias = Callable[[type[BaseException], BaseException, TracebackType | None], None]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Changed:
    """What a write changed, for the views to decide whether to read again (STYLE: writes say
    what changed; views listen). ``cases`` None means any case may have."""

    cases: frozenset[int] | None
    lists: bool = True  # False: only what a case's detail shows (a document printed)
    from_sync: bool = False  # the county's changes arrived (nothing to push for them)

    def touches(self, case_id: int | None) -> bool:
        return case_id is not None and (self.cases is None or case_id in self.cases)


@dataclass
class _Pending:
    done: Callable[[Any], None] | None
    failed: Callable[[AppError], None] | None
    owner: QObject | None
    notify: bool
    cases: frozenset[int] | None = None
    lists: bool = True


class _Task(QRunnable):
    def __init__(self, runner: Runner, task_id: int, fn: Callable[[], Any]) -> None:
        super().__init__()
        self._runner = runner
        self._task_id = task_id
        self._fn = fn

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as error:  # reported on the UI thread, never lost here
            self._runner._finished.emit(self._task_id, None, error)
            return
        self._runner._finished.emit(self._task_id, result, None)


class Runner(QObject):
    """Submit work with :meth:`read` or :meth:`write`; ``busy_changed`` drives a busy cursor."""

    busy_changed = Signal(bool)
    cases_changed = Signal(object)  # a Changed, after a write that changed cases
    _finished = Signal(int, object, object)

    def __init__(
        self,
        parent: QObject | None = None,
        read_threads: int = 1,
        *,
        crash: ExceptHook | None = None,
    ) -> None:
        super().__init__(parent)
        # Where bugs go; None: whatever sys.excepthook is when one happens.
        self.crash = crash
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(read_threads)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        for pool in (self._reads, self._writes):
            # Keep threads (and their per-thread SQLite connections) alive for the session.
            pool.setExpiryTimeout(-1)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._finished.connect(self._on_finished)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def read(
        self,
        fn: Callable[[], T],
        done: Callable[[T], None] | None = None,
        failed: Callable[[AppError], None] | None = None,
        *,
        owner: QObject | None = None,
    ) -> None:
        """Run a query in the read pool. ``owner``: skip the callbacks once it is deleted."""
        self._submit(self._reads, fn, _Pending(done, failed, owner, notify=False))

    def write(
        self,
        fn: Callable[[], T],
        done: Callable[[T], None] | None = None,
        failed: Callable[[AppError], None] | None = None,
        *,
        owner: QObject | None = None,
        changes_cases: bool = True,
        cases: Iterable[int] | None = None,
        lists: bool = True,
    ) -> None:
        """Run a use case that writes, on the single writer thread. Afterwards
        ``cases_changed`` says which cases it changed: those its result names (a ``CaseChange``
        or an outcome carrying one), else ``cases``, else any; nothing when ``changes_cases``
        is False (a draft, a password: no view shows it). ``lists=False``: the change shows in
        a case's detail only (a document archived), not in any list."""
        named = frozenset(cases) if cases is not None else None
        self._submit(self._writes, fn, _Pending(done, failed, owner, changes_cases, named, lists))

    def _submit(self, pool: QThreadPool, fn: Callable[[], Any], pending: _Pending) -> None:
        task_id = next(self._ids)
        was_idle = not self._pending
        self._pending[task_id] = pending
        if was_idle:
            self.busy_changed.emit(True)
        pool.start(_Task(self, task_id, fn))

    @Slot(int, object, object)
    def _on_finished(self, task_id: int, result: object, error: object) -> None:
        pending = self._pending.pop(task_id)
        bugs: list[BaseException] = []
        try:
            alive = pending.owner is None or shiboken6.isValid(pending.owner)
            if isinstance(error, AppError):
                self._release(pending, alive, error, bugs)
            elif isinstance(error, BaseException):
                bugs.append(error)
                self._release(pending, alive, InternalError(), bugs)
            else:
                try:
                    if pending.notify:
                        named = changed_cases(result)
                        self.cases_changed.emit(
                            Changed(named if named is not None else pending.cases, pending.lists)
                        )
                    if alive and pending.done is not None:
                        pending.done(result)
                except Exception as bug:  # the work is done; its caller must not stay busy
                    bugs.append(bug)
                    self._release(pending, alive, InternalError(), bugs)
        finally:
            if not self._pending:
                self.busy_changed.emit(False)
        # Last, once the caller is usable again: the crash handler may show a modal dialog.
        for found in bugs:
            self._report(found)

    @staticmethod
    def _release(
        pending: _Pending, alive: bool, error: AppError, bugs: list[BaseException]
    ) -> None:
        """Hand ``error`` to the caller's ``failed``; a bug in ``failed`` joins ``bugs``."""
        if not alive:
            return  # its widget is gone: nobody is waiting
        if pending.failed is None:
            log.warning("unhandled %s in background task", error.code)
            return
        try:
            pending.failed(error)
        except Exception as bug:
            bugs.append(bug)

    def report(self, bug: BaseException) -> None:
        """Hand a bug met off the UI thread to the crash handler (on the UI thread)."""
        self._report(bug)

    def _report(self, bug: BaseException) -> None:
        hook = self.crash or sys.excepthook
        try:
            hook(type(bug), bug, bug.__traceback__)
        except Exception:  # a failing crash handler must not take the runner down with it
            log.exception("crash handler failed")

    def shutdown(self) -> None:
        """Wait for running work to finish (on close: a write is never cut off)."""
        self._writes.waitForDone()
        self._reads.waitForDone()
