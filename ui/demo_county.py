"""The demo county beside the demo window (``app.demo.county``): started on a thread of its own
at launch, so the login window shows at once and the UI thread never waits for it; the line it
ends with (activated, connected, or why it could not) comes back as a signal."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from app.demo.county import DemoCountyLink
    from db.store import Store


class DemoCountyStarter(QObject):
    finished = Signal(str, bool)  # the line to show; True: it failed (the window works offline)

    def __init__(
        self,
        data_dir: Path,
        workstation: str | None,
        *,
        port: int,
        clerk_delay: float,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir, self.workstation = data_dir, workstation
        self.port, self.clerk_delay = port, clerk_delay
        self._lock = threading.Lock()
        self._stopped = False
        self._store: Store | None = None
        self._link: DemoCountyLink | None = None
        self._thread = threading.Thread(target=self._run, name="demo-county", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def store_opened(self, store: Store) -> None:
        with self._lock:
            self._store = store
            link = self._link
        if link is not None:
            link.store_opened(store)

    def stop(self) -> None:
        """At the application's exit: the county this window started stops with it."""
        with self._lock:
            self._stopped = True
            link = self._link
        if link is not None:
            link.stop()
        if self._thread.ident is not None:
            self._thread.join(30)

    def _run(self) -> None:
        from app.demo.county import DemoCountyLink  # heavy (httpx, the sync engine): here

        link = DemoCountyLink(
            self.data_dir,
            self.workstation,
            port=self.port,
            clerk_delay=self.clerk_delay,
            done=self.finished.emit,
        )
        with self._lock:
            if self._stopped:
                return
            self._link = link
            if self._store is not None:
                link.store_opened(self._store)
        link.run()
