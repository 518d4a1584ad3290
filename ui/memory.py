"""Keeping the garbage collector off what lives as long as the sitting."""

from __future__ import annotations

import gc

#: Generation-1 collections between two full ones (CPython's default is 10). After
#: ``gc.freeze`` the 25 % rule that spaces full collections out compares against the few objects
#: left unfrozen, so they came every second or so of work, and each held the GIL for 20–70 ms on
#: the 2-core VM (measured with ``gc.callbacks`` while the 100,000-case list scrolled): the
#: longest stalls of the UI thread. Young garbage is still collected as before.
FULL_COLLECTION_EVERY = 100


def freeze_long_lived() -> None:
    """Move everything alive now (modules, the catalogue, the desks) out of the collector's
    sight: a full collection then scans only what the sitting itself allocates, and comes ten
    times less often (:data:`FULL_COLLECTION_EVERY`). Measured: a full collection of the loaded
    process took ~100 ms and stalled the UI thread (whichever thread triggers it holds the
    GIL); ``gc.freeze`` itself takes no time."""
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
