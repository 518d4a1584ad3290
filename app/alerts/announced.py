"""Which overdue cases each person has been told about, so that a case turning red is
announced once, not on every refresh.

Kept in memory for the program's run (per username): a person who signs in again in the same
run is not told again; after a restart, cases overdue then are announced once more.
"""

from __future__ import annotations

from collections.abc import Iterable
from threading import Lock

from app.alerts.desk_alerts import AlertCase


class Announcements:
    def __init__(self) -> None:
        self._told: dict[str, set[int]] = {}
        self._lock = Lock()

    def news(self, username: str, overdue: Iterable[AlertCase]) -> list[AlertCase]:
        """The cases in ``overdue`` not yet announced to ``username``, now marked announced."""
        with self._lock:
            told = self._told.setdefault(username, set())
            fresh = [case for case in overdue if case.case_id not in told]
            told.update(case.case_id for case in fresh)
            return fresh

    def forget(self) -> None:
        with self._lock:
            self._told.clear()


ANNOUNCED = Announcements()  # the program's, for its run


def notice_text(fresh: list[AlertCase], shown: int = 3) -> str:
    """「办件 〈收件号〉 已超期」, a few numbers and the count when there are more."""
    numbers = "、".join(case.receipt_no for case in fresh[:shown])
    if len(fresh) > shown:
        return f"办件 {numbers} 等 {len(fresh)} 件已超期"
    return f"办件 {numbers} 已超期"
