"""What the county needs to judge an action on a case: the item version's rules and the case's
projection (the fold of its confirmed log), read once and kept while they cannot change.

An item version never changes, so its rules are kept for the process. A case's log is
append-only within an epoch, so the projection at a given county sequence is the same until the
county is restored from a backup (a new epoch) or judges by another calendar (a year
published): :class:`Folds` keeps the projections the service's own committed requests left, and
forgets them all when either changes.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from threading import Lock
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.schema import DEFER_RULES
from app.catalog.schema import Item as CatalogItem
from app.workcalendar import WorkCalendar
from app.workflow.fold import ActionRecord, Projection
from app.workflow.rules import ItemRules, MaterialRule, StepInfo
from app.workflow.states import Action
from county.store.models import CaseActionRow, ItemVersion

KEPT = 20_000  # projections kept (a few KiB each): more than a centre's open cases


def rules_of(version: ItemVersion) -> ItemRules:
    """What the workflow needs of an item version, read from the item as published (once per
    version and process: an item version never changes)."""
    key = (version.code, version.content_hash)
    known = _RULES.get(key)
    if known is None:
        known = _RULES[key] = _read_rules(version)
    return known


_RULES: dict[tuple[str, str], ItemRules] = {}


def _read_rules(version: ItemVersion) -> ItemRules:
    item = CatalogItem.model_validate(version.detail, context={DEFER_RULES: True})
    return ItemRules.of(
        item.promised_limit.days,
        str(item.promised_limit.unit.value),
        (StepInfo(s.id, s.name, str(s.role.value), str(s.level.value)) for s in item.steps),
        (MaterialRule(m.id, m.name, m.required, m.deficiency_allowed) for m in item.materials),
    )


def record_of(envelope: Mapping[str, Any]) -> ActionRecord:
    """A confirmed action as the fold sees it, from the envelope the county stored."""
    return ActionRecord(
        Action(envelope["action"]),
        dt.datetime.fromisoformat(str(envelope["occurred_at"]).replace("Z", "+00:00")),
        envelope["actor"]["username"],
        envelope["payload"],
    )


def logs_of(session: Session, case_ids: Iterable[int]) -> dict[int, list[ActionRecord]]:
    """The confirmed logs of some cases, in county order, in one query."""
    logs: dict[int, list[ActionRecord]] = {}
    wanted = list(set(case_ids))
    if not wanted:
        return logs
    rows = session.execute(
        select(CaseActionRow.case_id, CaseActionRow.envelope)
        .where(CaseActionRow.case_id.in_(wanted))
        .order_by(CaseActionRow.case_id, CaseActionRow.county_seq)
    )
    for case_id, envelope in rows:
        logs.setdefault(case_id, []).append(record_of(envelope))
    return logs


class Folds:
    """Projections by (case id, county sequence), as the service's committed requests left them
    (the least recently used forgotten past ``KEPT``), and the item versions judging read (by id
    and by item code and content hash; only found ones). Shared by the service's request
    threads."""

    def __init__(self, kept: int = KEPT) -> None:
        self._kept = kept
        self._lock = Lock()
        self._under: tuple[str, WorkCalendar] | None = None
        self._projections: OrderedDict[tuple[int, int], Projection] = OrderedDict()
        self.versions: dict[int, ItemVersion] = {}
        self.named: dict[tuple[str, str], ItemVersion] = {}

    def under(self, epoch: str, calendar: WorkCalendar) -> None:
        """Judging from now on happens in ``epoch`` by ``calendar``: if either is not the one the
        kept projections were folded in and by, they are forgotten."""
        with self._lock:
            if self._under is None or self._under[0] != epoch or self._under[1] is not calendar:
                self._projections.clear()
                if self._under is None or self._under[0] != epoch:
                    self.versions, self.named = {}, {}  # a restored store numbers them anew
                self._under = (epoch, calendar)

    def get(self, case_id: int, seq: int) -> Projection | None:
        with self._lock:
            found = self._projections.get((case_id, seq))
            if found is not None:
                self._projections.move_to_end((case_id, seq))
            return found

    def keep(self, epoch: str, calendar: WorkCalendar, committed: Mapping[int, Projection]) -> None:
        """Keep what a request judged in ``epoch`` by ``calendar`` left, once it committed (never
        before: a rolled-back projection at sequence n would stand for whatever is applied at n
        later), unless judging has moved to another epoch or calendar since."""
        with self._lock:
            if self._under is None or self._under[0] != epoch or self._under[1] is not calendar:
                return
            for case_id, projection in committed.items():
                self._projections[(case_id, projection.last_seq)] = projection
                self._projections.move_to_end((case_id, projection.last_seq))
            while len(self._projections) > self._kept:
                self._projections.popitem(last=False)
