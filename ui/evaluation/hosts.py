"""Where the resident rates: the 评价器 window full screen on the second screen, facing the
resident, when one is attached; otherwise a modal dialog on the clerk's screen that the clerk
turns towards the resident (「请群众本人评价」), with 「群众不评价」 for the clerk when the resident
declines — it records nothing, and the resident may still rate later by phone.

Both hold the same :class:`~ui.evaluation.panel.RatingPanel`; a :class:`RatingFlow` records
its choice in the background and, after the thank-you has shown a few seconds, says
``finished``: the dialog then closes, the window goes back to its welcome page.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QScreen
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.evaluations.service import Invitation
from ui.backend import DeskBackend
from ui.evaluation.panel import DIALOG_SIZE, WINDOW_SIZE, Rating, RatingPanel
from ui.evaluation.recording import record
from ui.worker import Runner

#: How long the thank-you stays before the dialog closes (the window: its welcome page).
THANKS_MS = 3_000
#: An invitation nobody answers on the second screen gives way to the welcome page.
UNANSWERED_MS = 180_000
WINDOW_NAME = "raterWindow"
DIALOG_NAME = "ratingDialog"


class RatingFlow(QObject):
    """Records what ``panel`` submits for the invitation it shows; ``finished`` once the
    thank-you has been seen."""

    finished = Signal()

    def __init__(self, runner: Runner, backend: DeskBackend, panel: RatingPanel) -> None:
        super().__init__(panel)
        self.runner = runner
        self.backend = backend
        self.panel = panel
        self.recorded = False
        self.closing = QTimer(self)
        self.closing.setSingleShot(True)
        self.closing.setInterval(THANKS_MS)
        self.closing.timeout.connect(self.finished)
        panel.submitted.connect(self._submitted)

    def start(self, invitation: Invitation) -> None:
        self.closing.stop()
        self.recorded = False
        self.panel.show_invitation(invitation)

    def _submitted(self, rating: Rating) -> None:
        invitation = self.panel.invitation
        if invitation is None:
            return
        backend = self.backend
        self.runner.write(
            lambda: record(backend, invitation, rating),
            lambda _none: self._recorded(invitation, rating),
            self._refused,
            owner=self.panel,
            changes_cases=False,  # no case list shows ratings
        )

    def _recorded(self, invitation: Invitation, rating: Rating) -> None:
        if self.panel.invitation is not invitation:
            return  # a newer service is being rated meanwhile
        self.recorded = True
        self.panel.show_thanks(rating)
        self.closing.start()

    def _refused(self, error: AppError) -> None:
        self.panel.show_error(error.message)  # for the resident: the words, not the code


# --- the second screen ----------------------------------------------------------------------


def second_screen(window: QWidget) -> QScreen | None:
    """The attached screen that is not ``window``'s (the resident's), or None."""
    own = window.screen()
    others = [s for s in QGuiApplication.screens() if s is not own and s != own]
    return others[0] if others else None


class RaterWindow(QWidget):
    """The 评价器: frameless, full screen on the resident's screen, for the sitting. It shows a
    welcome page until a service is to be rated, then the rating, then the welcome again."""

    def __init__(self, runner: Runner, backend: DeskBackend, owner: QWidget) -> None:
        super().__init__(owner, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setObjectName(WINDOW_NAME)
        self.setAccessibleName("评价器")
        self.setWindowTitle("服务评价")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        # Shown without taking the keyboard from the clerk, who goes on typing at the desk; a
        # touch on the resident's screen activates it as usual.
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        self.setStyleSheet(
            "#raterWindow { background: #f4f7fb; }"
            " #raterWelcome QLabel { color: #1f3b5c; }"
            " #raterWelcomeTitle { font-size: 34pt; font-weight: bold; }"
            " #raterWelcomeLine { font-size: 20pt; color: #37474f; }"
        )
        self.panel = RatingPanel(WINDOW_SIZE)
        self.flow = RatingFlow(runner, backend, self.panel)
        self.flow.finished.connect(self.welcome)
        self.unanswered = QTimer(self)
        self.unanswered.setSingleShot(True)
        self.unanswered.setInterval(UNANSWERED_MS)
        self.unanswered.timeout.connect(self._unanswered)

        self.welcome_page = QWidget()
        self.welcome_page.setObjectName("raterWelcome")
        title = QLabel("欢迎您！")
        title.setObjectName("raterWelcomeTitle")
        line = QLabel("业务办理完成后，请在此屏幕对工作人员的服务进行评价。")
        line.setObjectName("raterWelcomeLine")
        line.setWordWrap(True)
        welcome = QVBoxLayout(self.welcome_page)
        welcome.addStretch(1)
        for label in (title, line):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            welcome.addWidget(label)
        welcome.addStretch(1)

        self.pages = QStackedWidget()
        self.pages.addWidget(self.welcome_page)
        self.pages.addWidget(self.panel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 36, 48, 36)
        layout.addWidget(self.pages)

    @property
    def rating(self) -> bool:
        """A service is waiting for (or showing the thanks of) the resident's rating."""
        return self.pages.currentWidget() is self.panel

    def invite(self, invitation: Invitation, screen: QScreen) -> None:
        """Put ``invitation`` in front of the resident (a rating left unanswered gives way)."""
        self.flow.start(invitation)
        self.pages.setCurrentWidget(self.panel)
        self.unanswered.start()
        self.place(screen)

    def place(self, screen: QScreen) -> None:
        clerk_window = QApplication.activeWindow()
        focus = QApplication.focusWidget()
        if self.screen() is not screen:
            self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()
        # Where the clerk was typing, they go on typing (a platform that activates every window
        # it shows, whatever WA_ShowWithoutActivating says, is given the focus back).
        if clerk_window is not None and clerk_window is not self:
            clerk_window.activateWindow()
            if focus is not None and shiboken6.isValid(focus):
                focus.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def welcome(self) -> None:
        self.unanswered.stop()
        self.flow.closing.stop()
        self.panel.invitation = None
        self.pages.setCurrentWidget(self.welcome_page)

    def _unanswered(self) -> None:
        if not self.flow.recorded:
            self.welcome()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.unanswered.stop()
        super().closeEvent(event)


# --- the dialog on the clerk's screen -------------------------------------------------------


class RatingDialog(QDialog):
    """Modal on the clerk's window. ``skip`` (「群众不评价」, or Esc) rejects it and records
    nothing; a recorded rating accepts it once the thank-you has shown."""

    def __init__(
        self, runner: Runner, backend: DeskBackend, invitation: Invitation, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setObjectName(DIALOG_NAME)
        self.setAccessibleName("服务评价")
        self.setWindowTitle("服务评价 · 请群众本人评价")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setStyleSheet(
            "#ratingDialogTurn { font-size: 15pt; font-weight: bold; color: #b26a00; }"
            " #ratingDialog QPushButton#ratingSkip { font-size: 12pt; padding: 4px 16px; }"
        )
        self.turn = QLabel("请将屏幕转向群众，请群众本人评价")
        self.turn.setObjectName("ratingDialogTurn")
        self.turn.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.turn.setWordWrap(True)
        self.panel = RatingPanel(DIALOG_SIZE)
        self.flow = RatingFlow(runner, backend, self.panel)
        self.flow.finished.connect(self.accept)
        self.skip = QPushButton("群众不评价（跳过）")
        self.skip.setObjectName("ratingSkip")
        self.skip.setAccessibleName("群众不评价，跳过")
        self.skip.setToolTip(
            "群众不愿评价时由工作人员点击：不记录任何评价，群众之后仍可扫码评价（Esc）"
        )
        self.skip.setAutoDefault(False)
        self.skip.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.skip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 16)
        layout.addWidget(self.turn)
        layout.addWidget(self.panel, 1)
        layout.addLayout(bottom)
        self.flow.start(invitation)
        self._fit(parent)

    def _fit(self, parent: QWidget) -> None:
        """Large, yet inside the clerk's screen: most of it, up to what the panel needs."""
        screen = parent.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry()
        width = min(max(self.sizeHint().width(), 1000), round(room.width() * 0.92))
        height = min(max(self.sizeHint().height(), 600), round(room.height() * 0.9))
        self.resize(width, height)

    def done(self, result: int) -> None:
        self.flow.closing.stop()
        self.setObjectName("")  # closing: a newer rating's dialog is the one findChild finds
        super().done(result)


# --- choosing the host ----------------------------------------------------------------------


def show_rater(
    parent: QWidget, runner: Runner, backend: DeskBackend, invitation: Invitation
) -> QWidget:
    """Ask the resident to rate ``invitation``: on the second screen when there is one, else in
    the dialog on the clerk's screen (one at a time: a rating still open gives way)."""
    window = parent.window()
    screen = second_screen(window)
    if screen is not None:
        rater = window.findChild(RaterWindow, WINDOW_NAME)
        if rater is None or not shiboken6.isValid(rater):
            rater = RaterWindow(runner, backend, window)
        rater.invite(invitation, screen)
        return rater
    old = window.findChild(RatingDialog, DIALOG_NAME)
    if old is not None and old.isVisible():
        old.reject()
    dialog = RatingDialog(runner, backend, invitation, window)
    dialog.open()
    return dialog
