"""Named points in sync where the fault tests kill the process (``kill -9``), to prove that a
crash at any of them loses nothing and duplicates nothing.

Off unless ``ONEWINDOW_FAILPOINT`` names a point (``push.answered``, or ``push.answered@3`` for
its third time); then the process sends itself SIGKILL there: no ``finally``, no rollback, no
flush — as if the PC were switched off. The benchmarks' soak runner and ``tests/faults/`` set it
in a child process; nothing else does. The check is one dictionary lookup per batch or page.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

VARIABLE = "ONEWINDOW_FAILPOINT"

# The workstation's points (app/sync) and the county's (county/api.py).
POINTS = {
    "push.before-send": "本地已提交，尚未发送",  # a pass read its batch; nothing sent yet
    "push.answered": "县级已答复，答复尚未记下",  # the county answered a batch; not recorded
    "pull.mid-page": "拉取的一页写到一半",  # half a page's changes written, not committed
    "pull.page-written": "一页已写入，下一页之前",  # a page committed, the next not yet
    "county.judged": "县级已审核一批，尚未提交",  # the county judged a push, not committed
    "county.committed": "县级已提交一批，尚未答复",  # the county committed, not answered
}

_hits: Counter[str] = Counter()


def armed(point: str) -> bool:
    """Whether ``ONEWINDOW_FAILPOINT`` names ``point`` (to prepare what the crash should find)."""
    return (os.environ.get(VARIABLE) or "").partition("@")[0] == point


def reached(point: str) -> None:
    """Kill this process here if ``ONEWINDOW_FAILPOINT`` says so."""
    wanted = os.environ.get(VARIABLE)
    if not wanted:
        return
    name, _, nth = wanted.partition("@")
    if name != point:
        return
    _hits[point] += 1
    if _hits[point] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
