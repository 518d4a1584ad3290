"""No full (oldest-generation) garbage collection while a sync round runs.

A round of thousands of changes allocates millions of short-lived objects (envelopes, rows, ORM
states) on the sync thread. With the collector's default thresholds they keep promoting objects to
the oldest generation, and every so often a full collection walks all of them holding the GIL:
20–80 ms during which the UI thread cannot run (measured with ``benchmarks/sync.py``'s UI phase).
Turning the collector off instead is worse: everything allocated meanwhile, on every thread, piles
up in the youngest generation, and the first collection after the pause walks it in one go (gen-0
passes of 10–60 ms, 151 of them over 10 ms in one large round).

So during a round only the young generations are collected, as usual: each such pass walks at
most a few thousand objects (well under a millisecond). The oldest generation is left alone until
the round ends, when the usual thresholds come back. Reference counting frees the round's objects
anyway; only reference cycles wait for the next full collection. The setting is process-wide, so
overlapping rounds (two stores) leave it to the last one to end.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

NEVER = 1_000_000_000  # young collections before a full one: not during a round

_lock = threading.Lock()
_rounds = 0  # how many rounds are under way (threads may sync more than one store)
_thresholds = (0, 0, 0)


@contextmanager
def young_collections_only() -> Iterator[None]:
    global _rounds, _thresholds
    with _lock:
        if _rounds == 0:
            _thresholds = gc.get_threshold()
            gc.set_threshold(_thresholds[0], _thresholds[1], NEVER)
        _rounds += 1
    try:
        yield
    finally:
        with _lock:
            _rounds -= 1
            if _rounds == 0:
                gc.set_threshold(*_thresholds)
