"""A sync round keeps the cyclic collector to its young generations (``app/sync/gc_pause.py``):
no full collection during the round, the usual thresholds back after it (after the last of
overlapping rounds, and after a failed round too)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

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


def test_no_full_pass_runs_while_a_round_allocates() -> None:
    """The guarantee itself: cyclic garbage enough for many full passes, none of them runs."""
    full_passes: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full_passes.append(1)

    def allocate() -> None:  # survivors that the young passes promote, as a round's rows
        kept: list[object] = []
        for _ in range(200_000):
            cycle: list[object] = []
            cycle.append(cycle)
            kept.append(cycle)

    gc.set_threshold(100, 2, 2)
    gc.callbacks.append(seen)
    try:
        with young_collections_only():
            allocate()
        during = len(full_passes)
        allocate()
    finally:
        gc.callbacks.remove(seen)
    assert during == 0
    assert len(full_passes) > 0  # the same allocations outside a round do run full passes
