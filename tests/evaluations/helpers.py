"""A served resident ready to rate, and what the store holds afterwards."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from app.evaluations.levels import Level, Reason, Service
from app.evaluations.rating import Invitation, invitation_for, record_window_rating
from db.models import AuditEntry, Evaluation, OutboxEntry
from tests.centre import Centre

ITEM = "生育登记"
CST = dt.timezone(dt.timedelta(hours=8))


def served(c: Centre, clerk: str = "clerk") -> Invitation:
    """A walk-in received by ``clerk``: the 收件受理 the resident may rate."""
    case = c.walk_in(ITEM, clerk=clerk)
    with c.store.reader() as session:
        invitation = invitation_for(session, c.actor(clerk), case.case_id, Service.INTAKE)
    assert invitation is not None
    return invitation


def rate(
    c: Centre,
    invitation: Invitation,
    level: Level,
    reasons: tuple[Reason, ...] = (),
    text: str = "",
    *,
    anonymous: bool = False,
    at: dt.datetime | None = None,
) -> int:
    """Record the rating; the evaluation's id."""
    with c.store.session() as session:
        evaluation = record_window_rating(
            session,
            invitation,
            level,
            reasons,
            text,
            anonymous=anonymous,
            now=at or c.clock(),
            calendar=c.ctx.calendar,
        )
        return evaluation.id


def bad(c: Centre, *, anonymous: bool = False, at: dt.datetime | None = None) -> int:
    """A 差评 of a fresh walk-in: its evaluation id (the task's)."""
    return rate(
        c, served(c), Level.DISSATISFIED, (Reason.ATTITUDE,), "等了很久", anonymous=anonymous, at=at
    )


def counts(c: Centre) -> tuple[int, int, int]:
    """Evaluations, outbox rows and audit entries in the store."""
    with c.store.reader() as session:
        return (
            session.scalar(select(func.count()).select_from(Evaluation)) or 0,
            session.scalar(select(func.count()).select_from(OutboxEntry)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        )


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """China local time, as UTC."""
    return dt.datetime.combine(day, dt.time(hour, minute), CST).astimezone(dt.UTC)
