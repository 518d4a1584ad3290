"""Giving the county back the 办件编号 this workstation holds, once per county epoch.

A county restored from an older backup has lost the numbers it issued after the backup; the
residents hold them on printed notices, and so do the workstations that learned them. Until each
workstation of the centre has given back what it holds, the restored county issues the centre no
new number (``county/numbers.py``: an action that would number a case is answered ``held`` and
stays queued here). So, at the first sync in a new epoch, before anything is pushed, this
workstation sends every number it holds with the county's seal on it, in requests of
``MAX_NUMBERS``, the last one marked so — even when it holds none: a PC re-activated under its
old code, or a new one put in its place, lifts the hold the restore set for it. Only then is the
epoch written down as done: a round cut short gives them all again (the county keeps each
once). A number the county does not take back (it gave the case or the number to another
meanwhile) is written to the audit log for a person.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app import settings
from app.audit import AuditEvent, record
from app.sync.catalogue import COUNTY_ACTOR
from app.sync.protocol import MAX_NUMBERS, GivenNumber, NumberRefused, NumbersGiven
from app.sync.transport import Transport
from db.models import Case
from db.store import Store


@dataclass(frozen=True)
class GivenBack:
    kept: int
    refused: tuple[NumberRefused, ...]
    held: bool  # whether the county still waits for another workstation of the centre


def give_back_numbers(store: Store, transport: Transport) -> GivenBack | None:
    """Give back this workstation's numbers if not yet done in the county's current epoch
    (None: done already, or not activated)."""
    with store.reader() as session:
        epoch = settings.COUNTY_EPOCH.get(session)
        if not epoch or settings.NUMBERS_GIVEN_EPOCH.get(session) == epoch:
            return None
    kept, refused, held, after = 0, list[NumberRefused](), False, 0
    while True:
        with store.reader() as session:
            rows = session.execute(
                select(Case.id, Case.uid, Case.official_no, Case.official_no_seal)
                .where(Case.id > after, Case.official_no_seal.is_not(None))
                .order_by(Case.id)
                .limit(MAX_NUMBERS)
            ).all()
        last = len(rows) < MAX_NUMBERS
        numbers = [
            GivenNumber(case_uid=uid, official_no=number, seal=seal)
            for _, uid, number, seal in rows
            if number is not None and seal is not None
        ]
        answer = transport.numbers(NumbersGiven(numbers=numbers, last=last), epoch)
        kept, held = kept + answer.kept, answer.held
        refused.extend(answer.refused)
        if last:
            break
        after = rows[-1].id
    with store.session() as session, session.begin():
        workstation = settings.WORKSTATION_CODE.get(session)
        for each in refused:
            record(
                session,
                actor=COUNTY_ACTOR,
                workstation=workstation,
                event=AuditEvent.NUMBER_REFUSED,
                subject=each.official_no,
                detail={"case": each.case_uid, "code": each.code, "message": each.message},
            )
        settings.NUMBERS_GIVEN_EPOCH.set(session, epoch)
    return GivenBack(kept, tuple(refused), held)
