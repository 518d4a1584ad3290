"""Assertions shared by the case tests."""

from __future__ import annotations

from sqlalchemy import func, select

from app import audit
from app.cases.engine import project, projection_matches
from app.workcalendar import WorkCalendar
from db.models import Case, CaseAction, OutboxEntry
from db.store import Store


def assert_consistent(store: Store, calendar: WorkCalendar) -> None:
    """Every case equals the fold of its actions; one outbox row per action; the chain verifies."""
    with store.session() as session:
        for case in session.scalars(select(Case)):
            mismatched = projection_matches(case, project(session, case, calendar))
            assert mismatched == [], f"case {case.receipt_no}: {mismatched}"
        actions = session.scalar(select(func.count()).select_from(CaseAction))
        outbox = session.scalar(select(func.count()).select_from(OutboxEntry))
        assert actions == outbox
        result = audit.verify(session)
        assert result.ok, result


def action_count(store: Store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(CaseAction)) or 0


def case_row(store: Store, case_id: int) -> Case:
    with store.session() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case
