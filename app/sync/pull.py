"""Pulling the county's changes: the centre's confirmed case actions, page by page, each page and
the cursor after it in one transaction.

An action of ours comes back confirmed (its ack may have been lost: the pull acknowledges it).
Another workstation's (or the county's) action is added to the case — the case itself first, if
this workstation has not seen it — with its county sequence, and written without an outbox row.
The case is then folded again: confirmed actions in county order, our pending ones on top; a
pending action that no longer fits (another window moved the case on) is parked, never dropped
and never applied silently.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import settings
from app.actor import Actor, Role
from app.cases.engine import item_rules, load_item, write_projection
from app.cases.intake import applicant_from
from app.cases.log import PARKED, confirmed_now, in_fold_order, next_local_seq
from app.cases.proxy import authorization_named
from app.catalog.schema import FormTemplate
from app.errors import AppError
from app.outbox.envelope import CaseActionEnvelope
from app.sync.protocol import Change
from app.sync.push import ACKED, confirm
from app.sync.transport import Transport
from app.workcalendar import WorkCalendar
from app.workflow import guards, transitions
from app.workflow.fold import ActionRecord, Projection, apply, local_date
from app.workflow.rules import ItemRules
from app.workflow.states import Action
from db.models import (
    ActionConfirmation,
    Case,
    CaseAction,
    FormTemplateVersion,
    Item,
    MaterialReceived,
    OutboxEntry,
    User,
)
from db.store import Store

PAGE = 500


class CatalogueBehind(AppError):
    """A pulled case is filed under an item or template version this store does not have."""

    code = "E613"


@dataclass(frozen=True)
class Pulled:
    confirmed: int  # our own actions the county confirmed
    added: int  # actions of other workstations (or the county) added here
    parked: int  # our pending actions that no longer fit after them
    cases: frozenset[int] = frozenset()  # this store's ids of the cases that changed


def pull_changes(
    store: Store, transport: Transport, calendar: WorkCalendar, *, page: int = PAGE
) -> Pulled:
    """Pull until the county has nothing more for this workstation."""
    confirmed = added = parked = 0
    cases: set[int] = set()
    while True:
        with store.reader() as session:
            cursor = settings.SYNC_CURSOR.get(session)
            epoch = settings.COUNTY_EPOCH.get(session) or None
        answer = transport.changes(cursor, epoch, page)
        with store.session() as session, session.begin():
            page_memo = _Page.read(session, answer.changes)
            touched: dict[int, None] = {}  # in the order the page first touched them
            with session.no_autoflush:  # what the page reads, _Page holds
                for change, envelope in zip(answer.changes, page_memo.envelopes, strict=True):
                    case_id, (own, new) = apply_change(session, change, envelope, page_memo)
                    confirmed, added = confirmed + own, added + new
                    touched[case_id] = None
            page_memo.confirm_added(session)
            for case_id in touched:  # once per case and page, on its whole log so far
                case = session.get(Case, case_id)
                assert case is not None
                parked += refold(session, case, calendar)
            cases.update(touched)
            settings.SYNC_CURSOR.set(session, answer.cursor)
            settings.COUNTY_EPOCH.set(session, answer.epoch)
        if not answer.more:
            return Pulled(confirmed, added, parked, frozenset(cases))


@dataclass
class _Page:
    """What a page's changes look up, read for the whole page in a few queries rather than once
    per change: the actions already here (by op_id), the cases (by uid), the outbox rows of our
    own actions, each case's next local sequence and its materials."""

    envelopes: list[CaseActionEnvelope]
    actions: dict[str, CaseAction]
    cases: dict[str, Case]
    outbox: dict[int, list[OutboxEntry]]
    next_seq: dict[int, int] = field(default_factory=dict)
    materials: dict[int, dict[str, MaterialReceived]] = field(default_factory=dict)
    added: list[tuple[CaseAction, int]] = field(default_factory=list)  # to confirm at the end

    @classmethod
    def read(cls, session: Session, changes: list[Change]) -> _Page:
        envelopes = [CaseActionEnvelope.model_validate(c.envelope) for c in changes]
        op_ids = [e.op_id for e in envelopes]
        actions = {
            a.op_id: a
            for a in session.scalars(select(CaseAction).where(CaseAction.op_id.in_(op_ids)))
        }
        uids = {e.case.uid for e in envelopes}
        cases = {c.uid: c for c in session.scalars(select(Case).where(Case.uid.in_(uids)))}
        outbox: dict[int, list[OutboxEntry]] = {}
        if actions:
            ids = [a.id for a in actions.values()]
            for row in session.scalars(select(OutboxEntry).where(OutboxEntry.action_id.in_(ids))):
                assert row.action_id is not None
                outbox.setdefault(row.action_id, []).append(row)
        return cls(envelopes, actions, cases, outbox)

    def seq_for(self, session: Session, case_id: int) -> int:
        seq = self.next_seq.get(case_id) or next_local_seq(session, case_id)
        self.next_seq[case_id] = seq + 1
        return seq

    def materials_of(self, session: Session, case_id: int) -> dict[str, MaterialReceived]:
        if case_id not in self.materials:
            self.materials[case_id] = {
                m.material_key: m
                for m in session.scalars(
                    select(MaterialReceived).where(MaterialReceived.case_id == case_id)
                )
            }
        return self.materials[case_id]

    def confirm_added(self, session: Session) -> None:
        """Flush what the page added, then confirm the other workstations' actions it added at
        their county sequences (their ids are known only now)."""
        session.flush()
        for action, county_seq in self.added:
            session.add(ActionConfirmation(action_id=action.id, county_seq=county_seq))
        session.flush()


def apply_change(
    session: Session, change: Change, envelope: CaseActionEnvelope, page: _Page
) -> tuple[int, tuple[int, int]]:
    """The case's id here, and (own confirmed, added) for one change, inside the page's
    transaction. The caller folds the case again (``refold``) once the page is applied: the
    fold is a function of the whole log, so once per case and page gives what once per change
    did, and an own pending action the county applied later in the same page is not parked on
    the way."""
    mine = page.actions.get(envelope.op_id)
    if mine is not None:  # ours (or another's already here): confirmed, in this epoch
        confirm(session, mine.id, change.county_seq)
        for row in page.outbox.get(mine.id, []):
            if row.status != PARKED:
                row.status, row.last_error = ACKED, None
        case = session.get(Case, mine.case_id)
        assert case is not None
        _numbered(case, change.official_no)
        return case.id, (1, 0)
    case = page.cases.get(envelope.case.uid)
    if case is None:
        case = page.cases[envelope.case.uid] = _open_case(session, envelope)
    action = CaseAction(
        op_id=envelope.op_id,
        case_id=case.id,
        seq=page.seq_for(session, case.id),
        action=envelope.action,
        from_state=envelope.from_state,
        to_state=envelope.to_state,
        actor=envelope.actor.username,
        actor_role=envelope.actor.role,
        workstation=envelope.workstation,
        occurred_at=envelope.occurred_at,
        payload=envelope.payload,
    )
    session.add(action)
    page.actions[envelope.op_id] = action
    page.added.append((action, change.county_seq))
    _record_materials(session, case, envelope, page.materials_of(session, case.id))
    _numbered(case, change.official_no)
    return case.id, (0, 1)


def refold(session: Session, case: Case, calendar: WorkCalendar) -> int:
    """Fold the case again and write its row; park our pending actions that no longer fit.
    Returns how many were parked."""
    rules = item_rules(_item(session, case.item_id))
    confirmed = {
        c.action_id
        for c in session.scalars(
            select(ActionConfirmation)
            .join(CaseAction, confirmed_now())
            .where(CaseAction.case_id == case.id)
        )
    }
    projection, parked = Projection(), 0
    for row in session.scalars(in_fold_order(case.id)).all():
        record = ActionRecord(Action(row.action), row.occurred_at, row.actor, row.payload)
        if row.id not in confirmed:
            reason = _unfit(session, projection, rules, row, calendar)
            if reason is not None:
                _park(session, row, reason)
                parked += 1
                continue
        projection = apply(projection, record, rules, calendar)
    write_projection(session, case, projection)
    return parked


def _unfit(
    session: Session, before: Projection, rules: ItemRules, row: CaseAction, calendar: WorkCalendar
) -> str | None:
    """Why our pending ``row`` no longer fits on ``before``, or None."""
    user_id = session.scalar(select(User.id).where(User.username == row.actor)) or 0
    roles = frozenset(Role(r) for r in row.actor_role.split(",") if r in set(Role))
    actor = Actor(user_id, row.actor, row.actor, roles, row.workstation)
    action = Action(row.action)
    try:
        transitions.find(action, before.state, actor)
        guards.check(
            guards.GuardContext(
                before, rules, row.payload, actor, calendar, local_date(row.occurred_at)
            ),
            action,
        )
    except AppError as error:
        return f"[{error.code}] 其他工作站已先办理了该件，本操作不再适用：{error.message}"
    return None


def _park(session: Session, row: CaseAction, reason: str) -> None:
    for entry in session.scalars(select(OutboxEntry).where(OutboxEntry.action_id == row.id)):
        entry.status, entry.last_error = PARKED, reason


def _numbered(case: Case, official_no: str | None) -> None:
    if official_no and case.official_no != official_no:
        case.official_no = official_no


def _open_case(session: Session, envelope: CaseActionEnvelope) -> Case:
    """A case another workstation opened: made here from what its first action carries."""
    ref = envelope.case
    item = session.scalar(
        select(Item).where(Item.code == ref.item_code, Item.content_hash == ref.item_version)
    )
    template = session.scalar(
        select(FormTemplateVersion).where(
            FormTemplateVersion.template_key == ref.template_key,
            FormTemplateVersion.version == ref.template_version,
        )
    )
    if item is None or template is None:
        raise CatalogueBehind(
            f"办件 {ref.receipt_no} 所用的事项或表单版本本机尚无，请先更新事项目录后再同步。"
        )
    form = dict(envelope.payload.get("form_data") or {})
    applicant = applicant_from(FormTemplate.model_validate(template.content), form)
    session.add(applicant)
    session.flush()
    auth = authorization_named(session, envelope.payload.get("authorization_no"))
    case = Case(
        uid=ref.uid,
        receipt_no=ref.receipt_no,
        item_id=item.id,
        category=item.category,
        template_id=template.id,
        applicant_id=applicant.id,
        workstation=envelope.workstation,
        state="draft",
        form_data=form,
        authorization_id=auth.id if auth is not None else None,
        proxy_user_id=auth.proxy_user_id if auth is not None else None,
    )
    session.add(case)
    session.flush()
    return case


def _item(session: Session, item_id: int) -> Item:
    """The item with its steps and materials, read once per page: a page touches a few items
    hundreds of times, and an item version never changes."""
    items: dict[int, Item] = session.info.setdefault("pull_items", {})
    if item_id not in items:
        items[item_id] = load_item(session, item_id)
    return items[item_id]


def _record_materials(
    session: Session,
    case: Case,
    envelope: CaseActionEnvelope,
    held: dict[str, MaterialReceived],
) -> None:
    """The materials the action says were handed over (or are still owed under 容缺); ``held``:
    the case's material rows here, by key (kept up to date)."""
    action = Action(envelope.action)
    payload = envelope.payload
    if action in (Action.RECEIVE, Action.SUPPLEMENT):
        owed, keys = False, list(payload.get("materials", []))
    elif action is Action.ACCEPT_WITH_DEFICIENCY:
        owed, keys = True, list(payload.get("pending_materials", []))
    else:
        return
    specs = {m.material_key: m for m in _item(session, case.item_id).materials}
    copies = payload.get("copies") or {}
    due = payload.get("deficiency_due")
    for key in keys:
        spec = specs.get(key)
        if spec is None:
            continue
        row = held.get(key)
        if row is None:
            row = held[key] = MaterialReceived(case_id=case.id, material_key=key)
        row.name, row.form = spec.name, spec.form
        row.copies = int(copies.get(key, spec.copies))
        row.pending = owed
        row.received_at = None if owed else envelope.occurred_at
        row.due_on = dt.date.fromisoformat(due) if owed and isinstance(due, str) else None
        session.add(row)
