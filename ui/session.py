"""One sitting at the workstation: login → the user's desks → sign out → login again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.accounts.preferences import TextSize
from db.base import utcnow
from db.store import Store
from ui.backend import DeskBackend, SignedIn, Workstation
from ui.desk_base import DeskEnv
from ui.desks.sync_desk import SyncDesk
from ui.dialogs import Dialogs
from ui.main_window import MainWindow
from ui.memory import freeze_long_lived
from ui.signin.login_dialog import LoginDialog
from ui.sync_worker import SyncWorker
from ui.text_size import apply_text_size
from ui.worker import Runner


class SessionController(QObject):
    """Owns the runner, the login window and, once signed in, the main window."""

    window_opened = Signal(object)  # MainWindow

    def __init__(
        self,
        store: Store,
        dialogs: Dialogs,
        runner: Runner,
        station: Workstation,
        *,
        demo: bool,
        store_text: str,
        store_tip: str,
        idle_lock_ms: int | None = None,
        window_size: tuple[int, int] = (1366, 768),
        clock: Callable[[], dt.datetime] = utcnow,
        save_diagnostics: Callable[[QWidget | None], object] | None = None,
    ) -> None:
        super().__init__()
        self.save_diagnostics = save_diagnostics  # the crash handler's: 帮助 → 保存诊断信息包
        self.store = store
        self.dialogs = dialogs
        self.demo = demo
        self.store_text = store_text
        self.store_tip = store_tip
        self.idle_lock_ms = idle_lock_ms  # None: the centre's setting
        self.window_size = window_size
        self.clock = clock  # the use cases' clock (tests move it; the app uses real time)
        self.runner = runner
        self.station = station
        self.login: LoginDialog | None = None
        self.window: MainWindow | None = None
        self.sync: SyncWorker | None = None

    def start(self, login: LoginDialog | None = None) -> LoginDialog:
        """Show the login window (or take over the one start-up already shows)."""
        self.login = login or LoginDialog(self.runner, demo=self.demo)
        self.login.signed_in.connect(self._signed_in)
        self.login.set_ready(self.station, self.store)
        self.login.show()
        return self.login

    def _diagnostics(self, window: MainWindow) -> None:
        if self.save_diagnostics is not None:
            self.save_diagnostics(window)

    def _signed_in(self, signed: SignedIn) -> None:
        backend = DeskBackend(self.store, signed.calendar, signed.actor, self.clock)
        env = DeskEnv(backend, self.runner, self.dialogs)
        from ui.desks.registry import desk_classes  # loaded behind the login window

        desks = [desk(env) for desk in desk_classes(signed.actor)]
        idle = self.idle_lock_ms or signed.idle_lock_minutes * 60_000
        window = MainWindow(
            env,
            desks,
            centre_name=self.station.centre_name,
            store_text=self.store_text,
            store_tip=self.store_tip,
            demo=self.demo,
            idle_lock_ms=idle,
            text_size=signed.text_size,
        )
        apply_text_size(signed.text_size)  # as the 视图 › 字号 menu does, before it shows
        freeze_long_lived()  # the desks just built live as long as the sitting
        window.sign_out_requested.connect(self.sign_out)
        window.diagnostics_requested.connect(lambda: self._diagnostics(window))
        window.resize(*self.window_size)
        window.show()
        self.window = window
        self.sync = SyncWorker(self.store, signed.calendar, self.runner, parent=self)
        self.sync.status_text.connect(window.online_label.setText)
        for desk in desks:
            if isinstance(desk, SyncDesk):
                desk.set_sync_now(self.sync.sync)
        self.sync.start()
        if self.login is not None:
            self.login.close()
            self.login.deleteLater()
            self.login = None
        if signed.must_change_password:
            window.change_password(required=True)
        self.window_opened.emit(window)

    def sign_out(self) -> None:
        window = self.window
        if window is None:
            return
        backend = window.env.backend
        kept = window.keep_unsaved()  # written before the sign-out: one write thread, in order
        self._stop_sync()
        self.runner.write(backend.sign_out)
        self.window = None
        window.close()
        window.deleteLater()
        apply_text_size(TextSize.STANDARD)  # the login window's size
        login = self.start()
        if kept:
            login.set_notice("\n".join(kept))

    def shutdown(self) -> None:
        if self.sync is not None:
            self.sync.wait()
        self._stop_sync()
        if self.window is not None:
            self.window.keep_unsaved()  # the window closed with a form half filled in
            self.runner.write(self.window.env.backend.sign_out)
        self.runner.shutdown()

    def _stop_sync(self) -> None:
        if self.sync is not None:
            self.sync.stop()  # it goes once a round under way has finished
            self.sync = None
