"""What a write changed, as the views hear it. Light to import (no SQLAlchemy): the runner that
tells the views imports it before the login window is up."""

from __future__ import annotations

from dataclasses import dataclass

from app.workflow.states import Action, CaseState


@dataclass(frozen=True)
class CaseChange:
    """What a write changed; views listen for it and refresh (STYLE.md: writes say what changed)."""

    case_id: int
    receipt_no: str
    action: Action
    state: CaseState
    seq: int


def changed_cases(result: object) -> frozenset[int] | None:
    """The cases a use case's result says it changed (a ``CaseChange``, or an outcome with one
    as ``change``); None when it does not say."""
    change = result if isinstance(result, CaseChange) else getattr(result, "change", None)
    return frozenset({change.case_id}) if isinstance(change, CaseChange) else None
