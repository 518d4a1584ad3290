"""办件编号: an item's 31-character 实施编码, the day (YYYYMMDD) and a 4-digit serial of that item
and day, issued by the county when a case is received.

The serials a transaction may need are read in one query before it judges (the prefixes its
operations could number under), then kept in memory: the county-wide lock it holds keeps every
other transaction from issuing numbers meanwhile. A new number takes the serial after the highest
issued or given back under its prefix.

**Across a restore from backup.** A county restored from an older backup has lost the numbers it
issued after the backup, and the workstations that printed them still hold them. Were it to go on
numbering, it could give a lost number's serial to another case, or give a case whose number it
lost a second one, on another day. So a restore holds numbering (``number_holds``: one row per
activated workstation of each centre): a centre's action that would number a case is answered
``held`` and stays queued at its workstation, until every workstation of the centre has given back
the numbers it holds (``POST /v1/numbers``, each under the county's seal: ``given_numbers``). A
case whose number was given back takes it again when its actions come back; the serials given back
are never issued to another case. A workstation that will not come back (lost, broken) is let go
by the county's administrator (``onewindow-county numbers --release CENTRE/W03``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from county.store.models import CountyCase, GivenNumber, ItemVersion, NumberHold


def prefix_of(version: ItemVersion, day: dt.date) -> str:
    return f"{version.implementation_code or version.code}{day:%Y%m%d}"


class Serials:
    """The last serial issued per prefix, for one transaction holding the county-wide lock."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._last: dict[str, int] = {}

    def count(self, prefixes: Iterable[str]) -> None:
        """Read, in one query, the highest serial issued or given back under each prefix not yet
        known: per item, the range from the first day to the last (ranges the unique indexes
        find, and few of them, so the statement's shape repeats)."""
        wanted = {p for p in prefixes if p not in self._last}
        if not wanted:
            return
        self._last.update(dict.fromkeys(wanted, 0))
        days: dict[str, list[str]] = {}  # 实施编码 → the days wanted
        for prefix in wanted:
            days.setdefault(prefix[:-8], []).append(prefix[-8:])
        ranges = [
            (f"{code}{min(each)}0000", f"{code}{max(each)}9999") for code, each in days.items()
        ]
        issued = select(CountyCase.official_no).where(
            or_(*(CountyCase.official_no.between(low, high) for low, high in ranges))
        )
        given = select(GivenNumber.official_no).where(
            or_(*(GivenNumber.official_no.between(low, high) for low, high in ranges))
        )
        # the same on both backends: no LIKE involved
        for number in self._session.scalars(issued.union_all(given)):
            assert number is not None
            prefix = number[:-4]  # exact, whatever the collation does with dashes
            if prefix in wanted and number[-4:].isdigit():
                self._last[prefix] = max(self._last[prefix], int(number[-4:]))

    def next(self, version: ItemVersion, day: dt.date) -> str:
        prefix = prefix_of(version, day)
        self.count([prefix])
        self._last[prefix] += 1
        return f"{prefix}{self._last[prefix]:04d}"


def held(session: Session, centre_code: str) -> bool:
    """Whether the county issues the centre no new number: a workstation of it has yet to give
    back the numbers it holds since a restore."""
    return bool(session.scalar(select(exists().where(NumberHold.centre_code == centre_code))))


def given_for(session: Session, uids: Iterable[str]) -> dict[str, str]:
    """The numbers given back for these cases, by case uid."""
    rows = session.execute(
        select(GivenNumber.case_uid, GivenNumber.official_no).where(
            GivenNumber.case_uid.in_(list(uids))
        )
    )
    return {uid: number for uid, number in rows}
