"""现场服务一次一评: the resident rates a service the window has just completed for them.

The clerk's desk asks :func:`invitation_for` after a service (收件受理, 一次性告知, 不予受理, 出件);
the 评价器 (second screen) or the resident-facing dialog then hands the resident's choice to
:func:`record_window_rating`. No call here takes the clerk as the rater: the rating is the
resident's, the clerk only served. A service is rated at the window at most once.

A 差评 opens its rectification task (差评整改) in the same transaction: due
:data:`app.settings.RECTIFY_DAYS` working days after the rating's local date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, settings
from app.actor import Actor, Role
from app.audit import AuditEvent
from app.errors import AppError, NotFound, ValidationError
from app.evaluations.levels import MAX_TEXT, Channel, Level, Reason, Service
from app.evaluations.rectification import TaskState
from app.evaluations.wire import EVALUATION, EvaluationTerms
from app.outbox.enqueue import enqueue
from app.outbox.ids import new_uid
from app.settings.calendar import work_calendar
from app.units.declare import reads, writes
from app.units.joined import in_transaction
from app.workcalendar import WorkCalendar, working_deadline
from app.workflow.fold import local_date
from app.workflow.states import Action
from db.models import Case, CaseAction, Evaluation, Item, User, UserRole

__all__ = [
    "RESIDENT",
    "SERVICE_ACTIONS",
    "Invitation",
    "RatingRefused",
    "invitation_for",
    "record_window_rating",
    "service_of",
    "task_due_after",
]

#: The audit log's actor of a rating: the resident, never an account.
RESIDENT: Final = "resident"

#: The case actions that complete each service rated at the window.
SERVICE_ACTIONS: Final[Mapping[Service, frozenset[Action]]] = {
    Service.INTAKE: frozenset(
        {
            Action.RECEIVE,
            Action.ACCEPT,
            Action.ACCEPT_WITH_DEFICIENCY,
            Action.SUPPLEMENT,
            Action.SUPPLY_DEFICIENT,
        }
    ),
    Service.NOTICE: frozenset({Action.REQUEST_SUPPLEMENT}),
    Service.REFUSAL: frozenset({Action.REFUSE}),
    Service.DELIVERY: frozenset({Action.DELIVER}),
    Service.CASE: frozenset(),  # the case as a whole is rated later, by phone (the county)
}


def service_of(action: Action | str) -> Service | None:
    """The service a case action completes, rated at the window (None: not one)."""
    return next((s for s, actions in SERVICE_ACTIONS.items() if action in actions), None)


class RatingRefused(AppError):
    """A rating that may not be recorded (the service was already rated at the window)."""

    code = "E800"


@dataclass(frozen=True)
class Invitation:
    """A completed service the resident may now rate at the window."""

    case_id: int
    case_uid: str
    receipt_no: str
    item_name: str
    service: Service
    service_op_id: str  # the CaseAction.op_id that completed the service
    staff: str  # who served: username
    staff_name: str  # … and display name
    window: str  # the workstation code


def _rated_at_window(session: Session, op_id: str) -> bool:
    found = session.scalar(
        select(Evaluation.id).where(
            Evaluation.service_op_id == op_id, Evaluation.channel == Channel.WINDOW.value
        )
    )
    return found is not None


@reads
def invitation_for(
    session: Session, actor: Actor, case_id: int, service: Service
) -> Invitation | None:
    """The latest action of ``service`` on the case, taken by ``actor``, for the resident to
    rate; None when there is none or it was already rated at the window."""
    actions = SERVICE_ACTIONS[service]
    if not actions:
        return None
    with in_transaction(session):
        row = session.execute(
            select(CaseAction, Case.uid, Case.receipt_no, Item.name)
            .join(Case, Case.id == CaseAction.case_id)
            .join(Item, Item.id == Case.item_id)
            .where(
                CaseAction.case_id == case_id,
                CaseAction.actor == actor.username,
                CaseAction.action.in_([a.value for a in actions]),
            )
            .order_by(CaseAction.seq.desc())
            .limit(1)
        ).one_or_none()
        if row is None:
            return None
        action, case_uid, receipt_no, item_name = row
        if _rated_at_window(session, action.op_id):
            return None
        return Invitation(
            case_id=case_id,
            case_uid=case_uid,
            receipt_no=receipt_no,
            item_name=item_name,
            service=service,
            service_op_id=action.op_id,
            staff=actor.username,
            staff_name=actor.display_name,
            window=actor.workstation,
        )


def task_due_after(
    session: Session, assessed_at: dt.datetime, calendar: WorkCalendar | None = None
) -> dt.date:
    """The day a 差评 given at ``assessed_at`` must be rectified by: the
    :data:`~app.settings.RECTIFY_DAYS`-th working day after the rating's local date."""
    days = settings.RECTIFY_DAYS.get(session)
    cal = calendar if calendar is not None else work_calendar(session)
    return working_deadline(cal, local_date(assessed_at), days).due


def checked_reasons(level: Level, reasons: Sequence[Reason], text: str) -> tuple[Reason, ...]:
    """The reasons, once each, or :class:`ValidationError` naming the field."""
    if len(text) > MAX_TEXT:
        raise ValidationError("文字评价", f"文字评价不能超过{MAX_TEXT}个字（现有{len(text)}个字）")
    unique = tuple(dict.fromkeys(Reason(r) for r in reasons))
    if level.is_bad and not unique:
        raise ValidationError("差评原因", "差评须至少选择一项原因")
    if not level.is_bad and unique:
        raise ValidationError("差评原因", "只有“不满意”和“非常不满意”才需选择原因")
    return unique


def _staff_actor(session: Session, invitation: Invitation) -> Actor:
    """The serving staff's account, as the envelope's actor (the rating is sent up in their
    name, at their window; the audit entry names the resident)."""
    user = session.scalar(select(User).where(User.username == invitation.staff))
    if user is None:
        raise NotFound(f"未找到经办人账号 {invitation.staff}，无法记录评价。")
    codes = session.scalars(select(UserRole.role_code).where(UserRole.user_id == user.id))
    known = {r.value for r in Role}
    roles = frozenset(Role(code) for code in codes if code in known)
    return Actor(user.id, user.username, user.display_name, roles, invitation.window)


@writes
def record_window_rating(
    session: Session,
    invitation: Invitation,
    level: Level,
    reasons: Sequence[Reason],
    text: str,
    *,
    anonymous: bool,
    now: dt.datetime,
    calendar: WorkCalendar | None = None,
) -> Evaluation:
    """Record the resident's rating of ``invitation``'s service: the evaluation, its outbox
    row, its audit entry and, for a 差评, its rectification task — together or not at all.

    Refused: a second window rating of the service (:class:`RatingRefused`), a 差评 without a
    reason, reasons on a rating that is not a 差评, text over 500 characters
    (:class:`ValidationError`). Commits in a transaction of its own, or, when the caller has one
    open on ``session``, writes in it and leaves the commit to the caller."""
    level = Level(level)
    text = text.strip()
    chosen = checked_reasons(level, reasons, text)
    if invitation.service is Service.CASE:
        raise ValidationError("评价对象", "窗口现场评价须针对一项具体服务")
    with in_transaction(session):
        action = session.scalar(
            select(CaseAction).where(
                CaseAction.op_id == invitation.service_op_id,
                CaseAction.case_id == invitation.case_id,
            )
        )
        if (
            action is None
            or action.action not in SERVICE_ACTIONS[invitation.service]
            or action.actor != invitation.staff
        ):
            raise NotFound("未找到所评价的服务记录，无法记录评价。")
        if _rated_at_window(session, invitation.service_op_id):
            raise RatingRefused("该项服务已评价过，每项服务只能在窗口评价一次（一次一评）。")
        staff = _staff_actor(session, invitation)
        terms = EvaluationTerms(
            uid=new_uid(),
            case_uid=invitation.case_uid,
            service=invitation.service,
            service_op_id=invitation.service_op_id,
            channel=Channel.WINDOW,
            level=level,
            reasons=chosen,
            text=text,
            anonymous=anonymous,
            staff=invitation.staff,
            window=invitation.window,
            assessed_at=now,
        )
        due = task_due_after(session, now, calendar) if level.is_bad else None
        evaluation = Evaluation(
            uid=terms.uid,
            case_uid=terms.case_uid,
            case_id=invitation.case_id,
            service=terms.service.value,
            service_op_id=terms.service_op_id,
            channel=terms.channel.value,
            level=level.value,
            reasons=[r.value for r in chosen],
            text=text,
            anonymous=anonymous,
            staff=terms.staff,
            window=terms.window,
            assessed_at=now,
            task_state=TaskState.TO_VERIFY.value if level.is_bad else None,
            task_due=due,
        )
        session.add(evaluation)
        enqueue(session, staff, EVALUATION, terms.uid, terms.model_dump(mode="json"), now=now)
        audit.record(
            session,
            actor=RESIDENT,
            workstation=invitation.window,
            event=AuditEvent.EVALUATION_RECORDED,
            subject=invitation.receipt_no,
            detail={
                "evaluation": terms.uid,
                "service": terms.service.value,
                "level": level.value,
                "reasons": [r.value for r in chosen],
                "anonymous": anonymous,
                "staff": invitation.staff,
                **({"task_due": due.isoformat()} if due is not None else {}),
            },
            at=now,
        )
        session.flush()
        return evaluation
