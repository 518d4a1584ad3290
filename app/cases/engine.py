"""Performing one action on a case: check, append the action, update the projection, write the
outbox envelope and the audit entry — all in the caller's transaction, or nothing at all.

The rules are the item version the case was filed under (``cases.item_id`` names a version, and
versions never change), so a catalogue reload never moves a promised date already printed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app import audit
from app.actor import Actor
from app.cases.access import check_visible, require_case_role
from app.cases.changes import CaseChange
from app.cases.log import in_fold_order, next_local_seq
from app.outbox.enqueue import centre_code, enqueue_case_action
from app.outbox.envelope import ActorRef, CaseActionEnvelope, CaseRef
from app.outbox.ids import new_uid
from app.workcalendar import WorkCalendar
from app.workflow import guards, transitions
from app.workflow.fold import ActionRecord, Projection, apply, fold, local_date
from app.workflow.rules import ItemRules, MaterialRule, StepInfo
from app.workflow.states import Action
from db.models import Case, CaseAction, FormTemplateVersion, Item, User


def item_rules(item: Item) -> ItemRules:
    return ItemRules.of(
        item.promised_limit_days,
        item.promised_limit_unit,
        (StepInfo(s.step_key, s.name, s.role, s.level) for s in item.steps),
        (
            MaterialRule(m.material_key, m.name, m.required, m.deficiency_allowed)
            for m in item.materials
        ),
    )


def load_item(session: Session, item_id: int) -> Item:
    return session.scalars(
        select(Item)
        .where(Item.id == item_id)
        .options(selectinload(Item.steps), selectinload(Item.materials))
    ).one()


def records_of(session: Session, case_id: int) -> list[ActionRecord]:
    return _records(session.scalars(in_fold_order(case_id)).all())


def _records(rows: Sequence[CaseAction]) -> list[ActionRecord]:
    return [ActionRecord(Action(r.action), r.occurred_at, r.actor, r.payload) for r in rows]


def project(session: Session, case: Case, calendar: WorkCalendar) -> Projection:
    """Rebuild a case's projection from its actions (what the cases row must agree with); an
    empty one for a case whose foldable log does not open it (``opens``)."""
    records = records_of(session, case.id)
    if not opens(records):
        return Projection()
    return fold(records, item_rules(load_item(session, case.item_id)), calendar)


OPENING = frozenset({Action.CREATE_DRAFT, Action.RECEIVE})


def opens(records: Sequence[ActionRecord]) -> bool:
    """Whether a case's foldable log begins where a case begins. It may not, for another
    workstation's case whose opening actions a county restore lost (not folded until they come
    back, ``app/cases/log.py``) while actions taken here since wait on top: the case then has
    nothing to show but what its row last showed, and nothing can be taken on it meanwhile."""
    return not records or records[0].action in OPENING


def perform(
    session: Session,
    *,
    actor: Actor,
    case: Case,
    action: Action,
    payload: Mapping[str, Any],
    calendar: WorkCalendar,
    now: dt.datetime,
    from_county: str | None = None,
) -> CaseChange:
    """Take ``action`` on ``case`` (already added to the session for a new case).

    ``from_county``: the op_id of an action that arrived from the county; it is recorded under
    that id and writes no outbox row (it is already there).
    """
    require_case_role(actor)
    if case.id is not None:
        check_visible(actor, case)
    item = load_item(session, case.item_id)
    rules = item_rules(item)
    log = session.scalars(in_fold_order(case.id)).all() if case.id is not None else []
    records = _records(log)
    follows = log[-1].op_id if log else None  # the action this one follows (the envelope's)
    before = fold(records, rules, calendar) if opens(records) else Projection()
    row = transitions.find(action, before.state, actor)
    guards.check(
        guards.GuardContext(before, rules, payload, actor, calendar, local_date(now)), action
    )
    record = ActionRecord(action, now, actor.username, dict(payload))
    after = apply(before, record, rules, calendar)
    assert after.state is transitions.resolve_target(
        row, before.state, before.state_before_suspension
    )

    write_projection(session, case, after)
    session.add(case)
    session.flush()  # the case needs its id before its first action
    action_row = CaseAction(
        op_id=from_county or new_uid(),
        case_id=case.id,
        seq=next_local_seq(session, case.id),
        action=action.value,
        from_state=before.state.value if before.state else None,
        to_state=after.state.value,
        actor=actor.username,
        actor_role=",".join(sorted(r.value for r in actor.roles & row.roles)),
        workstation=actor.workstation,
        occurred_at=now,
        payload=dict(payload),
    )
    session.add(action_row)
    session.flush()
    if from_county is None:
        enqueue_case_action(
            session,
            _envelope(session, case, item, action_row, before.last_seq, follows),
            case.id,
            action_row.id,
        )
    audit.record_for(
        session,
        actor,
        f"case.{action.value}",
        subject=case.receipt_no,
        detail={
            "seq": action_row.seq,
            "from": action_row.from_state,
            "to": action_row.to_state,
            "item": item.name,  # for the auditor's sentence (app/audit_text.py)
        },
        at=now,
    )
    step = rules.steps[after.current_step] if after.current_step is not None else None
    return CaseChange(
        case.id, case.receipt_no, action, after.state, after.last_seq, step, after.due_date
    )


def _envelope(
    session: Session,
    case: Case,
    item: Item,
    action: CaseAction,
    base_seq: int,
    follows: str | None,
) -> CaseActionEnvelope:
    template = session.get(FormTemplateVersion, case.template_id)
    assert template is not None
    return CaseActionEnvelope(
        op_id=action.op_id,
        key=case.uid,
        occurred_at=action.occurred_at,
        actor=actor_ref_of(action),
        workstation=action.workstation,
        centre=centre_code(session),
        payload=action.payload,
        case=CaseRef(
            uid=case.uid,
            receipt_no=case.receipt_no,
            item_code=item.code,
            item_version=item.content_hash,
            template_key=template.template_key,
            template_version=template.version,
        ),
        base_seq=base_seq,
        seq=action.seq,
        after=follows,
        action=action.action,
        from_state=action.from_state,
        to_state=action.to_state,
    )


def actor_ref_of(action: CaseAction) -> ActorRef:
    return ActorRef(username=action.actor, role=action.actor_role)


def _projected_values(p: Projection) -> dict[str, Any]:
    """The ``cases`` columns that are a projection of the action log, as the fold says."""
    assert p.state is not None
    return {
        "state": p.state.value,
        "state_before_suspension": (
            p.state_before_suspension.value if p.state_before_suspension else None
        ),
        "current_step": p.current_step,
        "deficiency": p.deficiency,
        "deficiency_due": p.deficiency_due,
        "received_at": p.received_at,
        "watchdog_due": p.watchdog_due,
        "accepted_on": p.accepted_on,
        "due_date": p.due_date,
        "due_provisional": p.due_provisional,
        "extension_days": p.extension_days,
        "result": p.result,
        "result_no": p.result_no,
        "last_action_seq": p.last_seq,
    }


def _user_id(
    session: Session, username: str | None, users: Mapping[str, int] | None = None
) -> int | None:
    if username is None:
        return None
    if users is not None:
        return users.get(username)
    return session.scalar(select(User.id).where(User.username == username))


def write_projection(
    session: Session, case: Case, p: Projection, users: Mapping[str, int] | None = None
) -> None:
    """``users``: this store's user ids by username, when the caller read them already."""
    for column, value in projection_values(session, p, users).items():
        setattr(case, column, value)


def projection_values(
    session: Session, p: Projection, users: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """The ``cases`` columns the fold sets (``write_projection`` sets them on a row)."""
    values = _projected_values(p)
    # The log names people by username; the row keeps this store's ids for the queues.
    values["assignee_id"] = _user_id(session, p.assignee, users)
    # Written, not compared (projection_matches): a store taken down past 0010 and up again
    # lost the column while its log keeps the password.
    values["query_password"] = p.query_password
    if p.proxy is not None:
        values["proxy_user_id"] = _user_id(session, p.proxy, users)
    return values


def projection_matches(session: Session, case: Case, p: Projection) -> list[str]:
    """Columns where the stored case row disagrees with the fold (empty when they agree, and
    for a case with nothing to fold here: another workstation's whose every action a county
    restore lost, until its owner sends them again — its row keeps what it last showed, and no
    action can be taken on it meanwhile)."""
    if p.state is None:
        return []
    expected = {**_projected_values(p), "assignee_id": _user_id(session, p.assignee)}
    return [c for c, value in expected.items() if getattr(case, c) != value]
