"""Sync pauses the cyclic collector while it applies a page (``app/sync/gc_pause.py``): nested
pauses end with the outermost, and a collector someone else had turned off stays off."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from app.sync.gc_pause import paused_gc


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_inside_and_enabled_again_after_the_outermost() -> None:
    gc.enable()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer page is still being applied
    assert gc.isenabled()


def test_enabled_again_when_the_page_fails() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), paused_gc():
        raise RuntimeError("the page could not be written")
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off() -> None:
    gc.disable()
    with paused_gc():
        pass
    assert not gc.isenabled()
