"""办件编号 given back by a workstation after the county was restored from a backup
(``POST /v1/numbers``; why: ``county/numbers.py``).

Each number comes with the county's seal on it and its case's uid, so no workstation can make one
up. A number is kept for its case (``given_numbers``) unless the county already gave the case
another number, or gave the number to another case; those are refused, with a code, for a person
to look into. The request marked ``last`` lets the centre's numbering go on as far as this
workstation is concerned.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.sync.protocol import GivenNumber as Given
from app.sync.protocol import NumberRefused, NumbersAnswer, NumbersGiven
from county.audit import record
from county.lock import one_at_a_time
from county.number_holds import let_go
from county.numbers import held
from county.refusals import logged, station_name
from county.seals import number_genuine
from county.store.models import CountyCase, GivenNumber, Meta, Workstation
from db.base import utcnow


def give_back(session: Session, workstation: Workstation, request: NumbersGiven) -> NumbersAnswer:
    """Keep the numbers ``workstation`` gives back, in the caller's transaction."""
    one_at_a_time(session)
    taking = _Taking(session, workstation, request.numbers)
    for given in request.numbers:
        taking.take(given)
    session.add_all(taking.new)
    centre, who = workstation.centre_code, station_name(workstation.centre_code, workstation.code)
    for refused in taking.refused:
        logged(who, refused.code, refused.message, refused.official_no)
    if request.last:
        let_go(session, centre, workstation.code)
    still_held = held(session, centre)
    if request.last or taking.new or taking.refused:
        detail = {"kept": taking.kept, "refused": len(taking.refused), "last": request.last}
        record(session, who, "numbers.give_back", centre, {**detail, "held": still_held}, utcnow())
    return NumbersAnswer(kept=taking.kept, refused=taking.refused, held=still_held)


class _Taking:
    """One request's numbers judged against what the county holds, read in three queries."""

    def __init__(self, session: Session, workstation: Workstation, numbers: list[Given]) -> None:
        self.centre, self.code = workstation.centre_code, workstation.code
        self.key = session.scalars(select(Meta.seal_key)).one()
        uids = {n.case_uid for n in numbers}
        nos = {n.official_no for n in numbers}
        self.given_no: dict[str, str] = {}  # official_no → case uid
        self.given_uid: dict[str, str] = {}  # case uid → official_no
        for no, uid in session.execute(
            select(GivenNumber.official_no, GivenNumber.case_uid).where(
                or_(GivenNumber.official_no.in_(nos), GivenNumber.case_uid.in_(uids))
            )
        ):
            self.given_no[no], self.given_uid[uid] = uid, no
        self.cases: dict[str, tuple[str, str | None]] = {}  # uid → centre, official_no
        self.numbered: dict[str, str] = {}  # official_no → case uid
        for uid_, centre, number in session.execute(
            select(CountyCase.uid, CountyCase.centre_code, CountyCase.official_no).where(
                or_(CountyCase.uid.in_(uids), CountyCase.official_no.in_(nos))
            )
        ):
            if uid_ in uids:
                self.cases[uid_] = (centre, number)
            if number is not None:
                self.numbered[number] = uid_
        self.kept = 0
        self.new: list[GivenNumber] = []
        self.refused: list[NumberRefused] = []

    def take(self, given: Given) -> None:
        uid, no = given.case_uid, given.official_no
        if not number_genuine(self.key, uid, no, given.seal):
            return self._refuse(given, "E403-SEAL", "办件编号的校验码不符：不是县级系统编发的。")
        centre, number = self.cases.get(uid, (self.centre, None))
        if centre != self.centre:
            return self._refuse(given, "E403-FORGED", "该办件不属于本中心。")
        if number == no or (number is None and self.given_uid.get(uid) == no):
            self.kept += 1
            return None
        if number is not None:
            message = f"县级系统已为该办件编号 {number}，与本机所存的 {no} 不同。"
            return self._refuse(given, "E409-NUMBER", message)
        if uid in self.given_uid:
            message = f"已有工作站为该办件交回编号 {self.given_uid[uid]}，与本机所存的不同。"
            return self._refuse(given, "E409-NUMBER", message)
        if no in self.given_no or no in self.numbered:
            return self._refuse(given, "E409-NUMBER", f"办件编号 {no} 已属于另一办件。")
        self.given_no[no], self.given_uid[uid] = uid, no
        self.new.append(
            GivenNumber(official_no=no, case_uid=uid, centre_code=self.centre, given_by=self.code)
        )
        self.kept += 1
        return None

    def _refuse(self, given: Given, code: str, message: str) -> None:
        self.refused.append(
            NumberRefused(
                case_uid=given.case_uid, official_no=given.official_no, code=code, message=message
            )
        )
