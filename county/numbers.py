"""办件编号: an item's 31-character 实施编码, the day (YYYYMMDD) and a 4-digit serial of that item
and day, issued by the county when a case is received.

The serials a transaction may need are counted in one query before it judges (the prefixes its
operations could number under), then kept in memory: the county-wide lock it holds keeps every
other transaction from issuing numbers meanwhile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from county.store.models import CountyCase, ItemVersion


def prefix_of(version: ItemVersion, day: dt.date) -> str:
    return f"{version.implementation_code or version.code}{day:%Y%m%d}"


class Serials:
    """The last serial issued per prefix, for one transaction holding the county-wide lock."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._last: dict[str, int] = {}

    def count(self, prefixes: Iterable[str]) -> None:
        """Count, in one query, the numbers already issued under the prefixes not yet known: per
        item, the range from the first day to the last (ranges the unique index finds, and few
        of them, so the statement's shape repeats)."""
        wanted = {p for p in prefixes if p not in self._last}
        if not wanted:
            return
        self._last.update(dict.fromkeys(wanted, 0))
        days: dict[str, list[str]] = {}  # 实施编码 → the days wanted
        for prefix in wanted:
            days.setdefault(prefix[:-8], []).append(prefix[-8:])
        numbers = self._session.scalars(  # the same on both backends: no LIKE involved
            select(CountyCase.official_no).where(
                or_(
                    *(
                        CountyCase.official_no.between(
                            f"{code}{min(each)}0000", f"{code}{max(each)}9999"
                        )
                        for code, each in days.items()
                    )
                )
            )
        )
        for number in numbers:
            assert number is not None
            prefix = number[:-4]  # exact, whatever the collation does with dashes
            if prefix in wanted:
                self._last[prefix] += 1

    def next(self, version: ItemVersion, day: dt.date) -> str:
        prefix = prefix_of(version, day)
        self.count([prefix])
        self._last[prefix] += 1
        return f"{prefix}{self._last[prefix]:04d}"
