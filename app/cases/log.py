"""A case's log as this workstation folds it: the county's confirmed actions in county order, then
this workstation's own pending actions in the order they were taken. An own action the county
refused or found stale is *parked* (its outbox row says so): kept, shown to a person, never
folded and never dropped; a person may then *withdraw* it (audited), which keeps it set aside."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from db.models import ActionConfirmation, CaseAction, OutboxEntry
from db.models.sync import current_epoch_id

PARKED = "parked"
WITHDRAWN = "withdrawn"  # a parked action a person withdrew: kept, audited, never folded or sent
SET_ASIDE = (PARKED, WITHDRAWN)
Ts = TypeVarTuple("Ts")


def confirmed_now() -> ColumnElement[bool]:
    """Joins an action to its confirmation in the current county epoch: one the county gave
    before it was restored from a backup no longer counts (it is sent again if need be)."""
    return and_(
        ActionConfirmation.action_id == CaseAction.id,
        ActionConfirmation.epoch_id == current_epoch_id(),
    )


def in_fold_order(case_id: int) -> Select[CaseAction]:
    return _foldable(select(CaseAction), CaseAction.case_id == case_id).order_by(*_FOLD_ORDER)


def fold_logs(case_ids: Collection[int]) -> Select[*tuple[Any, ...]]:
    """The logs of several cases in one query, case by case, each in fold order: what the fold
    reads of each action, and its county sequence (None: our own, still pending)."""
    columns = (
        CaseAction.case_id, CaseAction.id, CaseAction.action, CaseAction.occurred_at,
        CaseAction.actor, CaseAction.actor_role, CaseAction.workstation, CaseAction.payload,
        ActionConfirmation.county_seq,
    )  # fmt: skip
    return _foldable(select(*columns), CaseAction.case_id.in_(case_ids)).order_by(
        CaseAction.case_id, *_FOLD_ORDER
    )


_FOLD_ORDER = (
    ActionConfirmation.county_seq.is_(None),
    ActionConfirmation.county_seq,
    CaseAction.seq,
)


def _foldable(query: Select[*Ts], cases: ColumnElement[bool]) -> Select[*Ts]:
    """``query`` over the actions the fold takes: confirmed in the current epoch, or our own
    (an outbox row: ours, or the county's kept to give back) and not set aside. Another
    workstation's action the county lost in a restore is not folded until it comes back
    confirmed: until then the case is as the county has it (its owner may yet find it refused)."""
    return (
        query.select_from(CaseAction)
        .outerjoin(ActionConfirmation, confirmed_now())
        .outerjoin(OutboxEntry, OutboxEntry.action_id == CaseAction.id)
        .where(
            cases,
            or_(
                ActionConfirmation.county_seq.is_not(None),
                OutboxEntry.status.not_in(SET_ASIDE),  # (no outbox row: NULL, not folded)
            ),
        )
    )


def next_local_seq(session: Session, case_id: int | None) -> int:
    """This workstation's next number for an action of the case (its own order of arrival,
    unique per case; the fold's order is :func:`in_fold_order`)."""
    if case_id is None:
        return 1
    last = session.scalar(select(func.max(CaseAction.seq)).where(CaseAction.case_id == case_id))
    return (last or 0) + 1
