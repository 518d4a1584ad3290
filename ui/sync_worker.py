"""The desktop's sync with the county, on a thread of its own: after the window's own writes (a
moment later, so a burst of them goes up together), on a timer, and at sign-in. The UI thread
never waits on the network; it hears the outcome and shows it in the status bar, and the desks
hear which cases the county's changes touched.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from app.errors import InternalError
from app.sync.backoff import retry_after
from app.sync.session import SyncRound, SyncStatus, sync_round
from app.sync.transport import CountyUnreachable
from app.workcalendar import WorkCalendar
from db.base import utcnow
from db.store import Store
from ui.worker import Changed, Runner

SOON_MS = 1_500  # after a write: wait for the rest of the burst
EVERY_MS = 30_000


class _Round(QRunnable):
    def __init__(self, worker: SyncWorker) -> None:
        super().__init__()
        self._worker = worker
        self._store = worker.store
        self._calendar = worker.calendar

    def run(self) -> None:
        try:
            outcome = sync_round(self._store, self._calendar)
        except Exception as bug:  # a bug: the round still ends, and the crash handler hears it
            self._worker._broken.emit(bug)
            return
        self._worker._finished.emit(outcome)


class SyncWorker(QObject):
    """``status_text`` for the status bar after every round."""

    status_text = Signal(str)
    _finished = Signal(object)
    _broken = Signal(object)  # the round raised: a bug

    def __init__(
        self,
        store: Store,
        calendar: WorkCalendar,
        runner: Runner,
        *,
        every_ms: int = EVERY_MS,
        soon_ms: int = SOON_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store, self.calendar, self.runner = store, calendar, runner
        self.last_round: SyncRound | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._running = self._again = self._stopped = False
        self._failures = 0  # rounds in a row that could not reach the county
        self._soon_ms = soon_ms
        self._soon = QTimer(self, singleShot=True, interval=soon_ms)
        self._soon.timeout.connect(self.sync)
        self._timer = QTimer(self, interval=every_ms)
        self._timer.timeout.connect(self.sync)
        self._finished.connect(self._round_done)
        self._broken.connect(self._round_broke)
        runner.cases_changed.connect(self._written)

    def start(self) -> None:
        self._timer.start()
        self.sync()

    def stop(self) -> None:
        """No more rounds. One under way finishes on its own thread (the UI thread never waits
        on the network); its outcome is still shown, then the worker goes."""
        self._timer.stop()
        self._soon.stop()
        self._stopped = True
        if not self._running:
            self.deleteLater()

    def wait(self) -> None:
        """Wait for a round under way (the application's exit: its write must not be cut off)."""
        self._pool.waitForDone()

    @Slot()
    def sync(self) -> None:
        """A round now, or right after the one under way."""
        if self._stopped:
            return
        if self._running:
            self._again = True
            return
        self._running = True
        self._pool.start(_Round(self))

    def _written(self, changed: Changed) -> None:
        if not changed.from_sync and not self._stopped:
            self._soon.start(self._soon_ms)  # not a backoff's wait: a write goes up soon

    @Slot(object)
    def _round_broke(self, bug: Exception) -> None:
        """A round that raised ends like one that failed (the worker is not left running for
        good), with what the status bar last showed, then goes to the crash handler."""
        status = self.last_round.status if self.last_round is not None else _NO_STATUS
        self._round_done(SyncRound(status, None, InternalError("同步时出现程序错误，已记录。")))
        self.runner.report(bug)

    @Slot(object)
    def _round_done(self, outcome: SyncRound) -> None:
        self._running = False
        self.last_round = outcome
        self.status_text.emit(status_text(outcome, utcnow()))
        if outcome.summary is not None and outcome.summary.cases:
            self.runner.cases_changed.emit(Changed(outcome.summary.cases, from_sync=True))
        unreachable = isinstance(outcome.error, CountyUnreachable)
        self._failures = self._failures + 1 if unreachable else 0
        if self._stopped:
            self.deleteLater()
        elif self._again:
            self._again = False
            self.sync()
        elif unreachable:  # try again sooner than the timer, but back off (full jitter)
            self._soon.start(int(retry_after(self._failures) * 1000))


def status_text(outcome: SyncRound, now: dt.datetime) -> str:
    """县级系统：已连接 · 队列 2 条（最早 3 分钟前）· 暂挂 1 条 · 最近同步 10:32"""
    status = outcome.status
    if not status.county_url:
        link = "县级系统：未激活（离线办理，数据保存在本机）"
    elif outcome.error is not None:
        link = "县级系统：无法连接（离线办理，恢复后自动上传）"
    else:
        link = "县级系统：已连接"
    parts = [link]
    if status.queued:
        age = ""
        if status.oldest_queued is not None:
            minutes = max(0, int((now - status.oldest_queued).total_seconds() // 60))
            age = f"（最早 {minutes} 分钟前）" if minutes else "（刚刚）"
        parts.append(f"待上传 {status.queued} 条{age}")
    if status.parked:
        parts.append(f"暂挂 {status.parked} 条待处理")
    if status.last_sync:
        last = dt.datetime.fromisoformat(status.last_sync).astimezone(_CHINA)
        parts.append(f"最近同步 {last:%H:%M}")
    return " · ".join(parts)


_CHINA = dt.timezone(dt.timedelta(hours=8))
_NO_STATUS = SyncStatus("", 0, None, 0, "")
