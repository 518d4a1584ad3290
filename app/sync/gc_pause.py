"""No cyclic garbage collection while sync applies a page or records a batch.

A page of 1,000 changes (or a batch of 500 answers) lives for a fraction of a second as a few
hundred thousand Python objects: envelopes, rows, ORM states. They outlive the young
generations, so the collector promotes them and soon runs a full collection, which walks every
one of them holding the GIL — 40–80 ms during which the UI thread cannot run (measured:
``benchmarks/sync.py``'s UI phase). Reference counting frees them anyway when the page is done;
pausing the collector for that time means no full collection walks them. The pause is
process-wide, so it is short (one page) and nested pauses leave it to the outermost one.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_paused = 0  # how many pauses are open (threads may sync more than one store)
_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    global _paused, _was_enabled
    with _lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()
