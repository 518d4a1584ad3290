"""Pulling the county's changes: the centre's confirmed case actions, page by page, each page and
the cursor after it in one transaction.

An action of ours comes back confirmed (its ack may have been lost: the pull acknowledges it).
Another workstation's (or the county's) action is added to the case — the case itself first, if
this workstation has not seen it — with its county sequence, and written without an outbox row.
The cases a page touched are then folded again (``refold.py``): a pending action of ours that no
longer fits is parked, never dropped and never applied silently.

A page reads what its changes look up in a few queries (``_Page``), opens the cases it is the
first to bring in one flush, and writes its actions and their confirmations in bulk.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Connection, Integer, Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session, load_only

from app import settings
from app.cases.intake import applicant_from
from app.cases.log import PARKED
from app.cases.proxy import authorization_named
from app.catalog.schema import FormTemplate
from app.errors import AppError
from app.outbox.envelope import REFEED, SEAL, CaseActionEnvelope
from app.sync.failpoints import armed, reached
from app.sync.protocol import Change
from app.sync.push import ACKED
from app.sync.refold import ItemFacts, Items, PageOfCase, Refolds
from app.sync.transport import Transport
from app.workcalendar import WorkCalendar
from app.workflow.fold import ActionRecord
from app.workflow.states import Action
from db.base import UTCDateTime, utcnow
from db.models import (
    ActionConfirmation,
    Case,
    CaseAction,
    FormTemplateVersion,
    Item,
    MaterialReceived,
    OutboxEntry,
)
from db.models.sync import current_epoch_id
from db.store import Store

PAGE = 500  # per page asked (the county allows up to county.api.MAX_PAGE)
ACTIONS = cast(Table, CaseAction.__table__)
MATERIALS = cast(Table, MaterialReceived.__table__)


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
    """Pull until the county has nothing more for this workstation. The next page is fetched
    while this one is written (the county says where it begins); if writing a page fails, the
    page fetched ahead is dropped and the cursor stays before the failed one."""
    confirmed = added = parked = 0
    cases: set[int] = set()
    items = Items()
    refolds = Refolds(calendar, items)
    filed = _Filed()
    with store.reader() as session:
        cursor = settings.SYNC_CURSOR.get(session)
        epoch = settings.COUNTY_EPOCH.get(session) or None
    with ThreadPoolExecutor(1, thread_name_prefix="onewindow-pull") as fetcher:
        ahead = fetcher.submit(transport.changes, cursor, epoch, page)
        while True:
            answer = ahead.result()
            if answer.more:
                ahead = fetcher.submit(transport.changes, answer.cursor, answer.epoch, page)
            with store.session() as session, session.begin():
                touched: dict[int, Case] = {}  # in the order the page first touched them
                with session.no_autoflush:  # what the page reads, _Page holds
                    page_memo = _Page.read(session, answer.changes)
                    for opened in page_memo.open_cases(session, filed):
                        refolds.opened(opened.id)
                    middle = len(answer.changes) // 2
                    for at, (change, envelope) in enumerate(
                        zip(answer.changes, page_memo.envelopes, strict=True)
                    ):
                        if at == middle and armed("pull.mid-page"):
                            session.flush()  # half the page in the database, not committed
                            reached("pull.mid-page")
                        case, (own, new) = apply_change(session, change, envelope, page_memo, items)
                        confirmed, added = confirmed + own, added + new
                        touched[case.id] = case
                page_memo.confirm_added(session)
                # once per case and page
                parked += refolds.refold(session, list(touched.values()), page_memo.of_case)
                cases.update(touched)
                settings.SYNC_CURSOR.set(session, answer.cursor)
                settings.COUNTY_EPOCH.set(session, answer.epoch)
            reached("pull.page-written")
            if not answer.more:
                return Pulled(confirmed, added, parked, frozenset(cases))


@dataclass
class _Page:
    """What a page's changes look up, read for the whole page in a few queries rather than once
    per change: the actions already here (by op_id) and which of them are confirmed, the cases
    (by uid), the outbox rows of our own actions, each case's next local sequence and its
    materials."""

    envelopes: list[CaseActionEnvelope]
    actions: dict[str, CaseAction]
    cases: dict[str, Case]
    outbox: dict[int, list[OutboxEntry]]
    confirmed: set[int]  # actions here already confirmed in the current epoch
    next_seq: dict[int, int]  # by case id; a case not in it has no action here yet
    materials: dict[int, dict[str, dict[str, Any]]]  # rows by case id, then material key
    of_case: dict[int, PageOfCase] = field(default_factory=dict)  # what it did to each case
    # Other workstations' actions, to write and confirm at the end: row, county sequence.
    added: list[tuple[dict[str, Any], int]] = field(default_factory=list)
    # The county's own actions among them, as it sealed them (``keep_sealed``).
    sealed: list[Change] = field(default_factory=list)

    @classmethod
    def read(cls, session: Session, changes: list[Change]) -> _Page:
        envelopes = [CaseActionEnvelope.model_validate(c.envelope) for c in changes]
        op_ids = [e.op_id for e in envelopes]
        actions = {
            a.op_id: a
            for a in session.scalars(select(CaseAction).where(CaseAction.op_id.in_(op_ids)))
        }
        uids = {e.case.uid for e in envelopes}
        cases = {  # what the page needs of them (not their form data, for instance)
            c.uid: c
            for c in session.scalars(
                select(Case)
                .options(
                    load_only(
                        Case.id, Case.uid, Case.item_id, Case.official_no, Case.official_no_seal
                    )
                )
                .where(Case.uid.in_(uids))
            )
        }
        ids = [a.id for a in actions.values()]
        outbox: dict[int, list[OutboxEntry]] = {}
        for row in session.scalars(select(OutboxEntry).where(OutboxEntry.action_id.in_(ids))):
            assert row.action_id is not None
            outbox.setdefault(row.action_id, []).append(row)
        confirmed = set(
            session.scalars(
                select(ActionConfirmation.action_id).where(
                    ActionConfirmation.action_id.in_(ids),
                    ActionConfirmation.epoch_id == current_epoch_id(),
                )
            )
        )
        case_ids = [c.id for c in cases.values()]
        next_seq = {
            case_id: last + 1
            for case_id, last in session.execute(
                select(CaseAction.case_id, func.max(CaseAction.seq))
                .where(CaseAction.case_id.in_(case_ids))
                .group_by(CaseAction.case_id)
            )
        }
        # the material rows of the cases whose actions here hand materials over (or owe them)
        handing = {cases[e.case.uid].id for e in envelopes if e.case.uid in cases and _hands(e)}
        materials: dict[int, dict[str, dict[str, Any]]] = {c: {} for c in handing}
        for m in session.execute(
            select(
                MaterialReceived.id, MaterialReceived.case_id, MaterialReceived.material_key
            ).where(MaterialReceived.case_id.in_(handing))
        ):
            materials[m.case_id][m.material_key] = {"id": m.id}
        return cls(envelopes, actions, cases, outbox, confirmed, next_seq, materials)

    def open_cases(self, session: Session, filed: _Filed) -> list[Case]:
        """Make the cases this page is the first to bring (each from its first action here),
        written in one flush."""
        opened: list[Case] = []
        for envelope in self.envelopes:
            uid = envelope.case.uid
            if envelope.op_id not in self.actions and uid not in self.cases:
                self.cases[uid] = _open_case(session, envelope, filed)
                opened.append(self.cases[uid])
        if opened:
            session.flush()
            for case in opened:
                self.materials[case.id] = {}
        return opened

    def seq_for(self, case_id: int) -> int:
        seq = self.next_seq.get(case_id, 1)
        self.next_seq[case_id] = seq + 1
        return seq

    def page_of(self, case_id: int) -> PageOfCase:
        """What this page did to the case so far (the entry made the first time it is asked)."""
        page = self.of_case.get(case_id)
        if page is None:
            start = self.next_seq.get(case_id, 1)
            page = self.of_case[case_id] = PageOfCase(next_seq_before=start, next_seq_after=start)
        return page

    def confirm_added(self, session: Session) -> None:
        """Flush what the page changed, then write the other workstations' actions it added
        and confirm them at their county sequences (found by op_id), a statement each; their
        epoch: the current one."""
        session.flush()
        connection = session.connection()  # Core: one statement, run once per row
        _write_materials(connection, self.materials)
        if not self.added:
            return
        connection.execute(insert(ACTIONS), [row for row, _ in self.added])
        confirm = insert(ActionConfirmation).from_select(
            ["action_id", "epoch_id", "county_seq", "confirmed_at"],
            select(
                CaseAction.id,
                current_epoch_id(),
                bindparam("county_seq", type_=Integer),
                bindparam("confirmed_at", type_=UTCDateTime),
            ).where(CaseAction.op_id == bindparam("op_id")),
        )
        now = utcnow()
        connection.execute(
            confirm,
            [
                {"op_id": r["op_id"], "county_seq": seq, "confirmed_at": now}
                for r, seq in self.added
            ],
        )
        if self.sealed:
            _keep_sealed(connection, self.sealed, now)


def _keep_sealed(connection: Connection, changes: list[Change], now: dt.datetime) -> None:
    """Keep each of the county's own actions as the county sealed it, in the outbox as
    acknowledged: if the county is restored from an older backup that lacks it, ``resnapshot``
    queues it again like our own acknowledged operations, and the county takes back what it
    had decided (``county/seals.py``); one the county refuses then is parked, so no longer
    folded here, and a person sees it in 同步."""
    here = {
        op_id: (action_id, case_id)
        for op_id, action_id, case_id in connection.execute(
            select(CaseAction.op_id, CaseAction.id, CaseAction.case_id).where(
                CaseAction.op_id.in_([c.envelope["op_id"] for c in changes])
            )
        )
    }
    rows = []
    for change in changes:
        action_id, case_id = here[change.envelope["op_id"]]
        rows.append(
            {
                "op_id": change.envelope["op_id"],
                "key": change.envelope["key"],
                "case_id": case_id,
                "action_id": action_id,
                "kind": REFEED,
                "payload": {**change.envelope, SEAL: change.seal},
                "status": ACKED,
                "created_at": now,
            }
        )
    connection.execute(insert(OutboxEntry), rows)


def apply_change(
    session: Session, change: Change, envelope: CaseActionEnvelope, page: _Page, items: Items
) -> tuple[Case, tuple[int, int]]:
    """The case here, and (own confirmed, added) for one change, inside the page's transaction.
    The caller folds the case again (``refold``) once the page is applied: the fold is a
    function of the whole log, so once per case and page gives what once per change did, and an
    own pending action the county applied later in the same page is not parked on the way."""
    case = page.cases[envelope.case.uid]
    done = page.page_of(case.id)
    mine = page.actions.get(envelope.op_id)
    if mine is not None:  # ours (or another's already here): confirmed, in this epoch
        done.confirmed_own = True
        if mine.id not in page.confirmed:
            page.confirmed.add(mine.id)
            session.add(ActionConfirmation(action_id=mine.id, county_seq=change.county_seq))
        for row in page.outbox.get(mine.id, []):
            if row.status != PARKED:
                row.status, row.last_error = ACKED, None
        _numbered(case, change.official_no, change.number_seal)
        return case, (1, 0)
    page.added.append(
        (
            {
                "op_id": envelope.op_id,
                "case_id": case.id,
                "seq": page.seq_for(case.id),
                "action": envelope.action,
                "from_state": envelope.from_state,
                "to_state": envelope.to_state,
                "actor": envelope.actor.username,
                "actor_role": envelope.actor.role,
                "workstation": envelope.workstation,
                "occurred_at": envelope.occurred_at,
                "payload": envelope.payload,
            },
            change.county_seq,
        )
    )
    done.appended.append(
        ActionRecord(
            Action(envelope.action),
            envelope.occurred_at,
            envelope.actor.username,
            envelope.payload,
        )
    )
    done.next_seq_after = page.next_seq[case.id]
    if change.seal is not None:
        page.sealed.append(change)
    if _hands(envelope):
        _record_materials(
            session, case, envelope, page.materials[case.id], items(session, case.item_id)
        )
    _numbered(case, change.official_no, change.number_seal)
    return case, (0, 1)


def _numbered(case: Case, official_no: str | None, seal: str | None) -> None:
    if official_no and case.official_no != official_no:
        case.official_no = official_no
    if official_no and seal and case.official_no_seal != seal:
        case.official_no_seal = seal


def _open_case(session: Session, envelope: CaseActionEnvelope, filed: _Filed) -> Case:
    """A case another workstation opened: made here from what its first action carries (added
    to the session with its applicant; the caller flushes)."""
    ref = envelope.case
    item = filed.item(session, ref.item_code, ref.item_version)
    template = filed.template(session, ref.template_key, ref.template_version)
    if item is None or template is None:
        raise CatalogueBehind(
            f"办件 {ref.receipt_no} 所用的事项或表单版本本机尚无，请先更新事项目录后再同步。"
        )
    form = dict(envelope.payload.get("form_data") or {})
    applicant = applicant_from(template[1], form)
    auth = authorization_named(session, envelope.payload.get("authorization_no"))
    case = Case(
        uid=ref.uid,
        receipt_no=ref.receipt_no,
        item_id=item[0],
        category=item[1],
        template_id=template[0],
        applicant=applicant,
        workstation=envelope.workstation,
        state="draft",
        form_data=form,
        authorization_id=auth.id if auth is not None else None,
        proxy_user_id=auth.proxy_user_id if auth is not None else None,
    )
    session.add(case)
    return case


class _Filed:
    """The item and form template versions cases are filed under, looked up once per pull (a
    version never changes): an item's id and category, a template's id and model."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, str], tuple[int, str] | None] = {}
        self._templates: dict[tuple[str, int], tuple[int, FormTemplate] | None] = {}

    def item(self, session: Session, code: str, content_hash: str) -> tuple[int, str] | None:
        if (code, content_hash) not in self._items:
            row = session.execute(
                select(Item.id, Item.category).where(
                    Item.code == code, Item.content_hash == content_hash
                )
            ).first()
            self._items[(code, content_hash)] = (row.id, row.category) if row else None
        return self._items[(code, content_hash)]

    def template(self, session: Session, key: str, version: int) -> tuple[int, FormTemplate] | None:
        if (key, version) not in self._templates:
            row = session.execute(
                select(FormTemplateVersion.id, FormTemplateVersion.content).where(
                    FormTemplateVersion.template_key == key, FormTemplateVersion.version == version
                )
            ).first()
            model = (row.id, FormTemplate.model_validate(row.content)) if row else None
            self._templates[(key, version)] = model
        return self._templates[(key, version)]


def _hands(envelope: CaseActionEnvelope) -> bool:
    """Whether the action hands materials over (or records them owed under 容缺)."""
    return Action(envelope.action) in _HANDING


_HANDING = frozenset({Action.RECEIVE, Action.SUPPLEMENT, Action.ACCEPT_WITH_DEFICIENCY})


def _record_materials(
    session: Session,
    case: Case,
    envelope: CaseActionEnvelope,
    held: dict[str, dict[str, Any]],
    item: ItemFacts,
) -> None:
    """The materials the action says were handed over (or are still owed under 容缺); ``held``:
    the case's material rows here, by key (kept up to date, written by ``_write_materials``);
    ``item``: the case's item."""
    action = Action(envelope.action)
    payload = envelope.payload
    if action in (Action.RECEIVE, Action.SUPPLEMENT):
        owed, keys = False, list(payload.get("materials", []))
    elif action is Action.ACCEPT_WITH_DEFICIENCY:
        owed, keys = True, list(payload.get("pending_materials", []))
    else:
        return
    copies = payload.get("copies") or {}
    due = payload.get("deficiency_due")
    for key in keys:
        spec = item.materials.get(key)
        if spec is None:
            continue
        name, form, usual_copies = spec
        row = held.setdefault(key, {"id": None})
        row.update(
            case_id=case.id,
            material_key=key,
            name=name,
            form=form,
            copies=int(copies.get(key, usual_copies)),
            pending=owed,
            received_at=None if owed else envelope.occurred_at,
            due_on=dt.date.fromisoformat(due) if owed and isinstance(due, str) else None,
        )


def _write_materials(connection: Connection, held: dict[int, dict[str, dict[str, Any]]]) -> None:
    """The material rows a page recorded: new ones inserted, the others updated (a row read but
    not recorded again is left as it is)."""
    rows = [row for case in held.values() for row in case.values() if "material_key" in row]
    new = [{k: v for k, v in row.items() if k != "id"} for row in rows if row["id"] is None]
    if new:
        connection.execute(insert(MATERIALS), new)
    again = [{f"m_{k}": v for k, v in row.items()} for row in rows if row["id"] is not None]
    if again:
        columns = MATERIALS.c
        connection.execute(
            update(MATERIALS)
            .where(columns.id == bindparam("m_id", type_=columns.id.type))
            .values(
                {
                    c: bindparam(f"m_{c}", type_=columns[c].type)
                    for c in ("name", "form", "copies", "pending", "received_at", "due_on")
                }
            ),
            again,
        )
