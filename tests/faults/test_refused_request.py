"""A request the county refuses whole (413, 422) is an error the sync round reports, in the
county's words — never an exception past the round that would leave the desktop's sync stuck."""

from __future__ import annotations

import pytest

from app.sync.session import transport_for
from app.sync.transport import CountyRefused
from benchmarks.soak.world import World


def test_a_refused_request_is_reported_with_the_countys_code(soak: World) -> None:
    transport = transport_for(soak.stations["W01"].store)
    try:
        with pytest.raises(CountyRefused) as refused:
            transport.push([{}] * 501)  # more than a batch may hold
        with pytest.raises(CountyRefused) as malformed:
            transport.push_json(["not json"])
    finally:
        transport.close()
    assert refused.value.code == "E617"
    assert "HTTP 413" in refused.value.message and "E413-BATCH" in refused.value.message
    assert "HTTP 422" in malformed.value.message and "E422-FORMAT" in malformed.value.message
