"""Preparing the demo centre off the UI thread, with a progress dialog (seeding takes seconds)."""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from app.demo_seed import ensure_demo_centre
from app.errors import AppError
from db.store import Store


class _SeedWorker(QObject):
    progress = Signal(int, int)
    finished = Signal(str)  # empty on success, else the error text

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store

    def run(self) -> None:
        try:
            ensure_demo_centre(self._store, progress=self.progress.emit)
        except AppError as error:
            self.finished.emit(str(error))
            return
        self.finished.emit("")


class _Relay(QObject):
    """Receives the worker's signals in the UI thread (a plain function would run in the
    worker's thread and touch widgets from there)."""

    def __init__(self, bar: QProgressBar, thread: QThread) -> None:
        super().__init__()
        self._bar = bar
        self._thread = thread
        self.outcome: list[str] = []

    @Slot(int, int)
    def on_progress(self, done: int, total: int) -> None:
        self._bar.setRange(0, total)
        self._bar.setValue(done)

    @Slot(str)
    def on_finished(self, error: str) -> None:
        self.outcome.append(error)
        self._thread.quit()


def prepare_demo_with_progress(store: Store) -> str:
    """Seed the demo store in a worker thread; returns "" or the error text."""
    # A plain widget, not QProgressDialog: its setValue repaints synchronously, which re-enters
    # painting when progress arrives quickly through queued signals.
    dialog = QWidget()
    dialog.setObjectName("demoSeedProgress")
    dialog.setWindowTitle("一窗通 演示模式")
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel("正在准备演示中心的数据（首次启动约需十几秒）…"))
    bar = QProgressBar()
    bar.setRange(0, 0)
    layout.addWidget(bar)
    thread = QThread()
    worker = _SeedWorker(store)
    worker.moveToThread(thread)
    loop = QEventLoop()
    relay = _Relay(bar, thread)  # lives in this (the UI) thread, so its slots run here
    worker.progress.connect(relay.on_progress)
    worker.finished.connect(relay.on_finished)
    thread.started.connect(worker.run)
    thread.finished.connect(loop.quit)
    dialog.show()
    thread.start()
    loop.exec()
    thread.wait()
    dialog.close()
    return relay.outcome[0] if relay.outcome else "演示数据准备意外中止。"
