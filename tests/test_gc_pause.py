"""A sync round keeps the cyclic collector to its young generations (``app/sync/gc_pause.py``):
no full collection during the round, the usual thresholds back after it (after the last of
overlapping rounds, and after a failed round too)."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.sync.gc_pause import NEVER, young_collections_only


@pytest.fixture(autouse=True)
def thresholds_restored() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


def test_no_full_collection_during_a_round_and_the_thresholds_back_after() -> None:
    gc.set_threshold(700, 10, 10)
    with young_collections_only():
        assert gc.get_threshold() == (700, 10, NEVER)
        assert gc.isenabled()  # young collections still run
    assert gc.get_threshold() == (700, 10, 10)


def test_overlapping_rounds_restore_after_the_last() -> None:
    gc.set_threshold(500, 8, 12)
    with young_collections_only():
        with young_collections_only():
            assert gc.get_threshold() == (500, 8, NEVER)
        assert gc.get_threshold() == (500, 8, NEVER)  # the other store's round goes on
    assert gc.get_threshold() == (500, 8, 12)


def test_restored_when_the_round_fails() -> None:
    gc.set_threshold(700, 10, 10)
    with pytest.raises(RuntimeError), young_collections_only():
        raise RuntimeError("the county could not be reached")
    assert gc.get_threshold() == (700, 10, 10)


#: Run in a fresh interpreter: the collector's thresholds are process-wide, and in the test run a
#: sync thread of another test (a round still ending, or a ``gc.collect``) could change them.
_ALLOCATING_ROUND = """
import gc, json
from app.sync.gc_pause import young_collections_only

full_passes = []

def seen(phase, info):
    if phase == "start" and info["generation"] == 2:
        full_passes.append(1)

def allocate():  # survivors that the young passes promote, as a round's rows
    kept = []
    for _ in range(200_000):
        cycle = []
        cycle.append(cycle)
        kept.append(cycle)

gc.set_threshold(100, 2, 2)
gc.callbacks.append(seen)
with young_collections_only():
    allocate()
during = len(full_passes)
allocate()
print(json.dumps({"during": during, "after": len(full_passes) - during}))
"""


def test_no_full_pass_runs_while_a_round_allocates() -> None:
    """The guarantee itself: cyclic garbage enough for many full passes, none of them runs."""
    done = subprocess.run(
        [sys.executable, "-c", _ALLOCATING_ROUND],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    passes = json.loads(done.stdout)
    assert passes["during"] == 0
    assert passes["after"] > 0  # the same allocations outside a round do run full passes
