"""A guard against PySide6 6.12.0's lost references on CPython 3.11.

PySide6 6.12.0, on CPython 3.11, gives back one reference to ``None`` it never took on every Qt
call that returns nothing (``setText``, ``setObjectName``…) and one to ``True``/``False`` on
every signal it emits with one. Each such call lowers the singleton's reference count by one;
when it reaches zero CPython aborts the process ("Fatal Python error: none_dealloc"). A desk
starts with some 59,000 references to ``None``, and 100,000 ``setText`` calls in a row abort a
bare script: a window clerk's day makes far more. PySide6 6.11.3 does not do it; on CPython 3.12
and later these singletons are immortal (PEP 683) and the lost references do no harm.

:func:`guard_singletons` measures the loss (1,000 ``setObjectName`` calls) and, when there is
one, makes the three singletons immortal as CPython 3.12 does: their reference count is raised
by 2**40, a trillion calls' worth. They are never freed anyway; nothing else changes. Run once
at start, before the first window (``ui.application``, the tests' conftest).
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject

#: What the guard adds to each singleton's count: more calls than a PC makes in its life.
IMMORTAL = 1 << 40
_PROBE_CALLS = 1000
_guarded = False


def lost_per_call() -> float:
    """References to ``None`` a Qt call returning nothing loses (0 on a sound binding)."""
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(_PROBE_CALLS):
        probe.setObjectName("probe")
    return (before - sys.getrefcount(None)) / _PROBE_CALLS


def guard_singletons() -> bool:
    """Make ``None``, ``True`` and ``False`` immortal when Qt calls lose references to them
    (CPython before 3.12 only); returns whether it did (once per process)."""
    global _guarded
    if _guarded:
        return True
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    if lost_per_call() < 0.5:
        return False
    for singleton in (None, True, False):
        # CPython 3.11: ob_refcnt, a Py_ssize_t, is the object's first field. The GIL is held
        # here, so no other thread changes it in between.
        count = ctypes.c_ssize_t.from_address(id(singleton))
        count.value += IMMORTAL
    _guarded = True
    return True
