"""What every desk is given and the little it shares: the backend, the runner, dialogs, and a
status line for the outcome of the last action."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from PySide6.QtWidgets import QLabel, QWidget

from app.errors import AppError
from ui.backend import DeskBackend
from ui.dialogs import Dialogs
from ui.worker import Changed, Runner


@dataclass(frozen=True)
class DeskEnv:
    backend: DeskBackend
    runner: Runner
    dialogs: Dialogs


class Desk(QWidget):
    """A tab of the main window. Subclasses set ``title`` and ``object_name``."""

    title: ClassVar[str] = ""
    object_name: ClassVar[str] = ""

    def __init__(self, env: DeskEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.setObjectName(self.object_name)
        self.setAccessibleName(self.title)
        self.notice = QLabel()
        self.notice.setObjectName(f"{self.object_name}Notice")
        self.notice.setWordWrap(True)

    def activate(self) -> None:
        """The desk became the current tab: refresh what it shows."""

    def keep_unsaved(self) -> str | None:
        """The sitting ends or the workstation locks: keep what the user entered and has not
        saved (as a draft), at once; a sentence saying what was kept, or None."""
        return None

    def follow_cases(self) -> None:
        """Hear what writes change (``cases_changed``) while on screen; a desk off screen
        hears nothing and reads again when it is activated."""
        self.env.runner.cases_changed.connect(self._heard)

    def cases_changed(self, changed: Changed) -> None:
        """Cases changed while the desk is on screen: read again what shows them."""

    def _heard(self, changed: Changed) -> None:
        if self.isVisible():
            self.cases_changed(changed)

    def say(self, text: str, *, error: bool = False) -> None:
        """Outcome of the last action, shown in the desk itself (no modal for routine news)."""
        self.notice.setText(text)
        self.notice.setProperty("error", error)
        self.notice.setStyleSheet("color:#b3261e;" if error else "color:#1b5e20;")

    def failed(self, error: AppError) -> None:
        """An expected error from a use case: say it plainly, nothing was changed."""
        self.say(str(error), error=True)
