"""What a write changed, as the views hear it. Light to import (no SQLAlchemy): the runner that
tells the views imports it before the login window is up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.workflow.rules import StepInfo
from app.workflow.states import Action, CaseState


@dataclass(frozen=True)
class CaseChange:
    """What a write changed, and where the case now stands as the screen says it (its step, its
    promised date), so the desk need not read the case again to say so."""

    case_id: int
    receipt_no: str
    action: Action
    state: CaseState
    seq: int
    step: StepInfo | None = None  # the step the case is at now
    due_date: dt.date | None = None  # 承诺办结日 now


def changed_cases(result: object) -> frozenset[int] | None:
    """The cases a use case's result says it changed (a ``CaseChange``, or an outcome with one
    as ``change``); None when it does not say."""
    change = result if isinstance(result, CaseChange) else getattr(result, "change", None)
    return frozenset({change.case_id}) if isinstance(change, CaseChange) else None
