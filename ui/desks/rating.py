"""The one hook the clerk's desks call after completing a service for a resident (收件受理,
一次性告知, 不予受理, 出件): the invitation is read in the background and, unless the service was
already rated, handed to ``env.dialogs.invite_rating`` — the 评价器 on the second screen, or
the resident-facing dialog (:mod:`ui.evaluation.hosts`; tests fake it). The desks themselves
hold no control that rates."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QWidget

from app.errors import AppError
from app.evaluations.levels import Service
from app.evaluations.service import Invitation, invitation_for
from ui.desk_base import DeskEnv

log = logging.getLogger(__name__)


def offer_rating(widget: QWidget, env: DeskEnv, case_id: int, service: Service) -> None:
    """Ask the resident to rate ``service`` just completed on the case by the signed-in clerk."""
    backend = env.backend

    def invite(invitation: Invitation | None) -> None:
        if invitation is not None:
            env.dialogs.invite_rating(widget, env.runner, backend, invitation)

    def unavailable(error: AppError) -> None:
        # The service itself is done and said; the resident can still rate by phone.
        log.warning("no window rating offered for case %s: %s", case_id, error.code)

    env.runner.read(
        lambda: backend.run(invitation_for, case_id, service), invite, unavailable, owner=widget
    )
