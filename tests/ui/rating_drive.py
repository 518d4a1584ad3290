"""Driving the 评价器 as a resident does, shared by the 好差评 desk tests and the two-screen
child process (tests/ui/evaluation_two_screens.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.audit import authorize
from app.cases import decisions
from app.evaluations.levels import Level, Reason, Service
from app.evaluations.service import Invitation, invitation_for, record_window_rating
from app.units.runner import Units
from db.models import Evaluation
from tests.centre import Centre
from tests.ui.fake_dialogs import FakeDialogs
from ui.backend import DeskBackend
from ui.evaluation.hosts import RaterWindow, RatingDialog, show_rater
from ui.evaluation.panel import RatingPanel
from ui.worker import Runner

DIBAO = "最低生活保障"


class ResidentFacing(FakeDialogs):
    """Fake dialogs, except that the rating invitation shows the real 评价器 (second screen)
    or the real resident-facing dialog, as the application's dialogs do."""

    def invite_rating(
        self, parent: QWidget, runner: Runner, backend: DeskBackend, invitation: Invitation
    ) -> None:
        super().invite_rating(parent, runner, backend, invitation)
        show_rater(parent, runner, backend, invitation)


def accepted_case(centre: Centre, clerk: str = "clerk") -> int:
    """A 低保 walk-in taken in and accepted by ``clerk``: a 收件受理 to rate."""
    case = centre.walk_in(DIBAO, clerk=clerk)
    decisions.accept(centre.ctx, centre.actor(clerk), case.case_id)
    return case.case_id


def open_dialog() -> RatingDialog | None:
    found = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, RatingDialog) and w.isVisible()
    ]
    return found[0] if found else None


def rater_window() -> RaterWindow | None:
    found = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, RaterWindow) and w.isVisible()
    ]
    return found[0] if found else None


def level_button(panel: RatingPanel, level: Level) -> QPushButton:
    return panel.level_buttons[level]


def rate(qtbot: QtBot, panel: RatingPanel, level: Level) -> None:
    """Press one of the top three levels: it is sent at once."""
    assert not level.is_bad
    qtbot.mouseClick(level_button(panel, level), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.thanked, timeout=10_000)


def evaluations(centre: Centre) -> list[Evaluation]:
    with centre.store.reader() as session:
        rows = list(session.scalars(select(Evaluation).order_by(Evaluation.id)))
        session.expunge_all()
        return rows


def rated(
    centre: Centre,
    case_id: int,
    level: Level,
    reasons: tuple[Reason, ...] = (),
    text: str = "",
    *,
    anonymous: bool = False,
    clerk: str = "clerk",
) -> None:
    """The resident's window rating of the case's 收件受理, as the 评价器 records it."""
    units = Units(centre.store.session, centre.store.reader, authorize)
    invitation = units.run(centre.actor(clerk), invitation_for, case_id, Service.INTAKE)
    assert invitation is not None
    with centre.store.session() as session:
        record_window_rating(
            session, invitation, level, reasons, text, anonymous=anonymous, now=centre.clock()
        )
