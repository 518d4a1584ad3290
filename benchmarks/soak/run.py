"""One randomized soak run: a schedule of work, syncs, faults and crashes drawn from a seed,
then healing, syncing until quiet, and the invariants (``invariants.py``).

The same seed gives the same schedule; each step is logged as it is taken, so a failing run
prints what reproduces it.
"""

from __future__ import annotations

import random
import shutil
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.sync.transport import CountyUnreachable
from benchmarks.soak import workload
from benchmarks.soak.invariants import History, Verdict, check
from benchmarks.soak.proxy import Fault, Request
from benchmarks.soak.world import World, world
from county.backup import restore_backup, take_backup

STATION_POINTS = ("push.before-send", "push.answered", "pull.mid-page", "pull.page-written")
COUNTY_POINTS = ("county.judged", "county.committed")
FAULTS = [f for f in Fault if f is not Fault.PASS]
QUIET_PASSES = 8  # heal: sync every workstation until a pass changes nothing (at most this)


@dataclass
class Run:
    seed: int
    steps: list[str] = field(default_factory=list)
    verdict: Verdict = field(default_factory=Verdict)
    faults: int = 0  # requests the proxy faulted
    killed: int = 0  # workstation syncs killed at a failpoint
    county_killed: int = 0  # county processes killed at a failpoint or for a restore
    restored: int = 0

    def schedule(self) -> str:
        return "\n".join(f"  {n:3d}. {step}" for n, step in enumerate(self.steps, 1))


def one_run(seed: int, root: Path, *, steps: tuple[int, int] = (20, 60)) -> Run:
    """The run of ``seed``; an exception the sync raised on the way is its failure too (with
    the traceback's last lines), not the end of the batch."""
    run = Run(seed)
    try:
        _run(run, root, steps)
    except Exception:  # a bug the run found: reported with its seed and schedule
        lines = traceback.format_exc().strip().splitlines()
        run.verdict.errors.append(" | ".join(lines[-3:]))
    shutil.rmtree(root, ignore_errors=True)
    return run


def _run(run: Run, root: Path, steps: tuple[int, int]) -> None:
    rng = random.Random(run.seed)
    shutil.rmtree(root, ignore_errors=True)
    with world(root) as w:
        history = History()
        backup: tuple[Path, set[str]] | None = None  # the file, and the decisions before it
        restored = False
        for _ in range(rng.randint(*steps)):
            done = _step(w, rng, history)
            if done == "backup":
                path = root / f"backup-{len(run.steps)}.jsonl.gz"
                store = w.county_store()
                try:
                    take_backup(store, path)
                finally:
                    store.close()
                backup = (path, set(history.decisions))
            elif done == "restore":
                if backup is None or restored:
                    continue
                w.county.kill()
                store = w.county_store()
                try:
                    restore_backup(store, backup[0])
                finally:
                    store.close()
                w.county.start()
                history.restored_after |= set(history.decisions) - backup[1]
                history.restores += 1
                restored = True
                run.restored += 1
            if done:
                run.steps.append(done)
        run.steps.append("heal, then sync until quiet")
        heal(w, history)
        run.verdict = check(w, history)
        run.faults = len(w.proxy.faults_done())
        run.killed = sum(s.crashes for s in w.stations.values())
        run.county_killed = w.county.deaths


def _step(w: World, rng: random.Random, history: History) -> str | None:
    kinds: list[tuple[float, Callable[[], str | None]]] = [
        (2, lambda: workload.walk_in(w.stations["W01"], rng)),
        (0.7, lambda: workload.proxy_files(w.stations["V01"], rng)),
        (0.7, lambda: workload.pick_up(w.stations["W01"], rng)),
        (9, lambda: workload.move(rng.choice(list(w.stations.values())), rng)),
        (4, lambda: _sync(w, rng.choice(list(w.stations)), history)),
        (1.2, lambda: _crash(w, rng, history)),
        (1, lambda: _faults(w, rng)),
        (0.8, lambda: _calm(w)),
        (1, lambda: _decide(w, rng, history)),
        (0.5, lambda: _county_crash(w, rng)),
        (0.4, lambda: "backup"),
        (0.6, lambda: "restore"),
        (0.8, lambda: _time_passes(w, rng)),
    ]
    weights = [weight for weight, _ in kinds]
    (_, chosen) = rng.choices(kinds, weights)[0]
    return chosen()


def _sync(w: World, code: str, history: History) -> str:
    if not w.county.alive():  # the county's IT person starts it again
        w.county.start()
    outcome = w.stations[code].sync()
    history.saw(w.stations[code])
    error = outcome.error
    if error is not None and not isinstance(error, CountyUnreachable):
        return f"sync {code}: {type(error).__name__} {error.message}"
    if error is not None:
        return f"sync {code}: county unreachable"
    return f"sync {code}: {outcome.summary.line() if outcome.summary else ''}"


def _crash(w: World, rng: random.Random, history: History) -> str:
    code = rng.choice(list(w.stations))
    point = rng.choice(STATION_POINTS)
    killed = w.stations[code].sync_killed_at(point)
    history.saw(w.stations[code])
    return f"sync {code} killed at {point}" if killed else f"sync {code} (not killed: {point})"


def _faults(w: World, rng: random.Random) -> str:
    if rng.random() < 0.5:
        fault = rng.choice(FAULTS)
        path = rng.choice(("", "/v1/ops", "/v1/changes"))
        w.proxy.next(fault, path=path)
        return f"proxy: next request to {path or 'any path'} → {fault.value}"
    share = rng.choice((0.2, 0.4))
    chooser_rng = random.Random(rng.getrandbits(32))

    def chooser(_request: Request) -> Fault:
        return chooser_rng.choice(FAULTS) if chooser_rng.random() < share else Fault.PASS

    w.proxy.chooser = chooser
    return f"proxy: {share:.0%} of requests faulted at random"


def _calm(w: World) -> str:
    w.proxy.clear()
    return "proxy: calm"


def _decide(w: World, rng: random.Random, history: History) -> str | None:
    decided = workload.county_decides(w, rng)
    if decided is None:
        return None
    op_id, uid, seq = decided
    history.decisions[op_id] = (uid, seq)
    return f"county decides {uid} (#{seq})"


def _county_crash(w: World, rng: random.Random) -> str:
    point = rng.choice(COUNTY_POINTS)
    w.county.restart(f"{point}@{rng.randint(1, 2)}")
    return f"county restarted, to die at {point}"


def _time_passes(w: World, rng: random.Random) -> str:
    days = rng.randint(1, 3)
    for station in w.stations.values():
        station.centre.clock.advance(days=days)
    return f"{days} days pass"


def heal(w: World, history: History) -> None:
    w.heal()
    waited = False  # a pass that moved nothing while work was still queued: one more, once
    for _ in range(QUIET_PASSES):
        changed = queued = False
        for station in w.stations.values():
            outcome = station.sync()
            history.saw(station)
            summary = outcome.summary
            if outcome.error is not None:
                changed = True
                w.county.heal()
            elif summary is not None and (summary.pushed or summary.replayed or summary.pulled):
                changed = True
            queued = queued or outcome.status.queued > 0
        if not changed and queued and not waited:  # e.g. held until the last PC gave back
            waited = True
            continue
        if not changed:
            return
        waited = False
    history.problems.append(f"lost: still not quiet after {QUIET_PASSES} passes")
