"""Each fault the proxy injects, on the push and on the pull: the round that meets it fails or
succeeds as it should, and after healing nothing is lost, duplicated or diverged."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from app.sync.transport import CountyUnreachable
from benchmarks.soak.proxy import Fault
from benchmarks.soak.world import World
from db.models import Case
from tests.faults.conftest import county_ops, healed_and_checked, walk_in_and_accept

NOT_FORWARDED = {Fault.DROP_REQUEST, Fault.ANSWER_429, Fault.ANSWER_500, Fault.ANSWER_503}
NOT_FORWARDED |= {Fault.BLACKHOLE}
ANSWER_LOST = {Fault.DROP_RESPONSE, Fault.RESET_MID_BODY}  # the county committed; no answer
GOES_THROUGH = {Fault.DUPLICATE, Fault.DELAY, Fault.REORDER}
FAULTS = sorted(NOT_FORWARDED | ANSWER_LOST | GOES_THROUGH, key=lambda f: f.value)


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.value)
def test_a_fault_on_the_push(soak: World, fault: Fault) -> None:
    w01 = soak.stations["W01"]
    walk_in_and_accept(w01.centre)
    soak.proxy.next(fault, path="/v1/ops")
    first = w01.sync()
    assert [entry.fault for entry in soak.proxy.faults_done()] == [fault]
    if fault in GOES_THROUGH:
        assert first.error is None
        assert first.summary is not None and first.summary.queued == 0
        # a duplicate's second answer says the county had them already
        assert first.summary.replayed == (2 if fault is Fault.DUPLICATE else 0)
    else:
        assert isinstance(first.error, CountyUnreachable)
        assert first.status.queued == 2  # nothing taken as sent
        assert county_ops(soak) == (0 if fault in NOT_FORWARDED else 2)
    healed_and_checked(soak)
    assert county_ops(soak) == 2


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.value)
def test_a_fault_on_the_pull(soak: World, fault: Fault) -> None:
    w01, w02 = soak.stations["W01"], soak.stations["W02"]
    walk_in_and_accept(w01.centre)
    assert w01.sync().error is None
    soak.proxy.next(fault, path="/v1/changes")
    first = w02.sync()
    assert [entry.fault for entry in soak.proxy.faults_done()] == [fault]
    assert (first.error is None) == (fault in GOES_THROUGH)
    healed_and_checked(soak)
    with w02.store.reader() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 1


def test_a_request_held_back_is_overtaken_by_another_workstations(soak: World) -> None:
    """W01's push is held until W02's pull has gone ahead of it; both rounds succeed."""
    w01, w02 = soak.stations["W01"], soak.stations["W02"]
    walk_in_and_accept(w01.centre)
    soak.proxy.hold_s = 5.0
    soak.proxy.next(Fault.REORDER, path="/v1/ops")
    soak.proxy.log.clear()
    pushing = threading.Thread(target=w01.sync)
    pushing.start()
    deadline = time.monotonic() + 10
    while not soak.proxy.waiting:  # W01's push reached the proxy first, and is held
        assert time.monotonic() < deadline, "the push never reached the proxy"
        time.sleep(0.01)
    assert w02.sync().error is None
    pushing.join(10)
    order = [(entry.method, entry.target.split("?")[0]) for entry in soak.proxy.log]
    order = [request for request in order if request[1] != "/v1/numbers"]  # once per epoch
    assert order[0] == ("GET", "/v1/accounts")  # W02's round's first request went ahead
    assert ("POST", "/v1/ops") in order[1:]
    healed_and_checked(soak)


def test_the_proxy_stops_cleanly_with_connections_still_arriving() -> None:
    """Connections opened as the proxy stops (one still in its request, others only just
    accepted) are each closed by their handler: no socket is left open (a ResourceWarning
    would fail this test, as it once failed the soak in CI)."""
    import gc
    import socket

    from benchmarks.soak.proxy import FaultProxy

    clients: list[socket.socket] = []
    with FaultProxy("http://127.0.0.1:9") as proxy:
        for _ in range(30):
            client = socket.create_connection(("127.0.0.1", proxy.port))
            client.sendall(b"GET /v1/changes HTTP/1.1\r\n")  # the rest never comes
            clients.append(client)
    for client in clients:
        client.close()
    gc.collect()  # an unclosed transport would warn here
