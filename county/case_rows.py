"""Cases as the county's judging holds them: plain rows read for a whole push request in one
query and written back in two statements (the cases opened, the cases moved on), rather than
ORM objects flushed one by one."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, and_, bindparam, insert, select, update
from sqlalchemy.orm import Session

from county.store.models import CaseActionRow, CountyCase


@dataclass
class CaseRow:
    """A county case: its identity, its numbers, where its log stands. ``id`` None: opened by
    the request, not yet written."""

    uid: str
    centre_code: str
    receipt_no: str
    item_version_id: int
    template_key: str
    template_version: int
    state: str
    opened_at: str | None
    seq: int = 0
    official_no: str | None = None
    id: int | None = None
    changed: bool = False  # moved on since read or written
    last_op: str | None = None  # the op_id at ``seq``: what the next action must follow
    query_hash: str | None = None  # of the 查询密码 the opening action carried (written on insert)


CASES = cast(Table, CountyCase.__table__)
_COLUMNS = (
    CountyCase.id, CountyCase.uid, CountyCase.centre_code, CountyCase.receipt_no,
    CountyCase.item_version_id, CountyCase.template_key, CountyCase.template_version,
    CountyCase.state, CountyCase.opened_at, CountyCase.seq, CountyCase.official_no,
)  # fmt: skip


def read_cases(session: Session, uids: Collection[str]) -> list[CaseRow]:
    rows = session.execute(select(*_COLUMNS).where(CountyCase.uid.in_(uids)))
    last = {
        uid: op_id
        for uid, op_id in session.execute(
            select(CountyCase.uid, CaseActionRow.op_id)
            .join(
                CaseActionRow,
                and_(
                    CaseActionRow.case_id == CountyCase.id,
                    CaseActionRow.county_seq == CountyCase.seq,
                ),
            )
            .where(CountyCase.uid.in_(uids))
        )
    }
    return [
        CaseRow(
            uid=r.uid,
            centre_code=r.centre_code,
            receipt_no=r.receipt_no,
            item_version_id=r.item_version_id,
            template_key=r.template_key,
            template_version=r.template_version,
            state=r.state,
            opened_at=r.opened_at,
            seq=r.seq,
            official_no=r.official_no,
            id=r.id,
            last_op=last.get(r.uid),
        )
        for r in rows
    ]


def write_cases(session: Session, cases: Iterable[CaseRow]) -> None:
    """Insert the cases opened (they take their ids) and update the ones moved on. A case the
    session also holds as an ORM object (a county decision loads it) is expired, so it is read
    afresh."""
    opened = [c for c in cases if c.id is None]
    moved = [c for c in cases if c.id is not None and c.changed]
    if opened:
        ids = session.scalars(
            insert(CountyCase).returning(CountyCase.id, sort_by_parameter_order=True),
            [
                {
                    "uid": c.uid,
                    "centre_code": c.centre_code,
                    "receipt_no": c.receipt_no,
                    "item_version_id": c.item_version_id,
                    "template_key": c.template_key,
                    "template_version": c.template_version,
                    "state": c.state,
                    "opened_at": c.opened_at,
                    "seq": c.seq,
                    "official_no": c.official_no,
                    "query_hash": c.query_hash,
                }
                for c in opened
            ],
        ).all()
        for case, id_ in zip(opened, ids, strict=True):
            case.id, case.changed = id_, False
    if moved:
        session.connection().execute(  # Core: one executemany
            update(CASES)
            .where(CASES.c.id == bindparam("c_id"))
            .values(
                seq=bindparam("c_seq"), state=bindparam("c_state"), official_no=bindparam("c_no")
            ),
            [
                {"c_id": c.id, "c_seq": c.seq, "c_state": c.state, "c_no": c.official_no}
                for c in moved
            ],
        )
        for case in moved:
            case.changed = False
            held = session.identity_map.get(session.identity_key(CountyCase, case.id))
            if held is not None:
                session.expire(held)
