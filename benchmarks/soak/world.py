"""One soak run's world, on loopback: the county service as a process of its own (forked, so it
starts in a fraction of a second and can be killed mid-request), the fault proxy before it, and
the centre's workstations — W01 at the front window, W02 in the back office, V01 a proxy agent's
laptop at a village 代办点 (it pulls only the filings made on it) — each its own encrypted store,
activated through the proxy.

A workstation's sync can run in a forked child armed with a failpoint
(``app/sync/failpoints.py``): the child kills itself there with SIGKILL, and the workstation goes
on from whatever the crash left on disk, as a PC switched off and on again would.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import uvicorn

from app.errors import AppError
from app.sync import failpoints
from app.sync.session import SyncRound, activate, sync_round
from benchmarks.soak.proxy import FaultProxy
from benchmarks.sync import free_port
from county.api import create_app
from county.store.engine import CountyStore, open_county
from db.store import Store, open_store
from tests.centre import Centre, make_centre
from tests.county.server import ACTIVATION_CODES, seed_county

TIMEOUT_S = 5.0  # the workstations' HTTP timeout here: a blackholed request ends after it. Not
# less: on a loaded 2-core CI machine a first push to a county just started took over 2 s.
STATIONS = {  # who works where
    "W01": ("clerk", "clerk2", "supervisor"),
    "W02": ("approver", "approver2"),
    "V01": ("proxy",),  # a proxy agent's laptop at a village 代办点: pulls only its filings
}


class CountyProcess:
    """``county.api`` under uvicorn in a forked child, on a fixed loopback port (so the proxy
    before it keeps its address across restarts)."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.port = free_port()
        self.pid: int | None = None
        self.armed: str | None = None
        self.deaths = 0  # killed by a failpoint, or by ``kill``

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, failpoint: str | None = None) -> None:
        assert self.pid is None, "the county is running"
        pid = os.fork()
        if pid == 0:  # the county's process
            code = 0
            try:
                _serve(self.database, self.port, failpoint)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        self.pid, self.armed = pid, failpoint
        deadline = time.monotonic() + 20
        while True:
            if not self.alive():
                raise RuntimeError("the county service exited as it started")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/v1/accounts", timeout=1).status_code == 401:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError("the county service did not start")
            time.sleep(0.02)

    def alive(self) -> bool:
        if self.pid is None:
            return False
        done, _status = os.waitpid(self.pid, os.WNOHANG)
        if done:
            self.pid = None
            self.deaths += 1
            return False
        return True

    def exited(self, timeout: float = 10.0) -> bool:
        """Whether the process ends within ``timeout`` seconds. A process dying at a crash point
        closes its sockets while it exits, so a client can see the connection drop a moment
        before the process is gone: ``alive()`` right then may still say True."""
        deadline = time.monotonic() + timeout
        while self.alive():
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)
        return True

    def kill(self) -> None:
        """kill -9, as a power cut would."""
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = None
            self.deaths += 1

    def restart(self, failpoint: str | None = None) -> None:
        self.kill()
        self.start(failpoint)

    def heal(self) -> None:
        """Running and unarmed."""
        if not self.alive() or self.armed is not None:
            self.restart()


def _serve(database: str, port: int, failpoint: str | None) -> None:
    logging.getLogger("county").setLevel(logging.ERROR)  # its refusals are the runs' business
    if failpoint:
        os.environ[failpoints.VARIABLE] = failpoint
    else:
        os.environ.pop(failpoints.VARIABLE, None)
    store = open_county(database)
    config = uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="critical")
    uvicorn.Server(config).run()


@dataclass
class Workstation:
    code: str
    data_dir: Path
    store: Store
    centre: Centre
    people: tuple[str, ...]
    crashes: int = 0

    @property
    def whole_centre(self) -> bool:
        """Whether it pulls every case of the centre (a proxy's laptop: only its own)."""
        return not self.code.startswith("V")

    def sync(self) -> SyncRound:
        """The desktop's round (``sync_round``): errors are reported in it, not raised."""
        return sync_round(self.store, self.centre.ctx.calendar, timeout=TIMEOUT_S)

    def sync_killed_at(self, point: str) -> bool:
        """A round in a child process armed to ``kill -9`` itself at ``point``; True if it died
        there (it may finish first: the point was not on its way)."""
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                os.environ[failpoints.VARIABLE] = point
                store = open_store(self.data_dir)
                sync_round(store, self.centre.ctx.calendar, timeout=TIMEOUT_S)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        self.crashes += killed
        return killed


@dataclass
class World:
    root: Path
    county: CountyProcess
    proxy: FaultProxy
    stations: dict[str, Workstation] = field(default_factory=dict)

    def county_store(self) -> CountyStore:
        return open_county(self.county.database)

    def heal(self) -> None:
        self.proxy.clear()
        self.county.heal()

    def close(self) -> None:
        for station in self.stations.values():
            station.store.close()
        self.county.kill()


@contextlib.contextmanager
def world(root: Path, database: str | None = None) -> Iterator[World]:
    """A fresh county (seeded with the test centre), its proxy, and W01, W02 and V01 activated
    through the proxy. ``database``: an empty county database (default a SQLite file)."""
    root.mkdir(parents=True, exist_ok=True)
    database = database or f"sqlite:///{root / 'county.db'}"
    seeding = open_county(database)
    try:
        seed_county(seeding)
    finally:
        seeding.close()
    county = CountyProcess(database)
    county.start()
    with FaultProxy(county.url) as proxy:
        made = World(root, county, proxy)
        try:
            for code, people in STATIONS.items():
                made.stations[code] = _workstation(root, code, people, proxy.url)
            yield made
        finally:
            made.close()


def _workstation(root: Path, code: str, people: tuple[str, ...], url: str) -> Workstation:
    data_dir = root / code.lower()
    shutil.rmtree(data_dir, ignore_errors=True)
    store = open_store(data_dir)
    centre = make_centre(store, code)
    try:
        activate(store, url, ACTIVATION_CODES[code])
    except AppError:
        store.close()
        raise
    return Workstation(code, data_dir, store, centre, people)
