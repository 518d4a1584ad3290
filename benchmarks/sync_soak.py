"""Sync under faults, randomized: ``python -m benchmarks.sync_soak --runs N [--seed S]``.

Each run draws a schedule from its seed — work at W01 (window) and W02 (back office) through
the real use cases, syncs, the fault proxy's faults, workstation syncs killed at named points,
the county killed mid-push, its decisions, a backup and a restore of it — then heals
everything, syncs until quiet and checks the invariants (``benchmarks/soak/invariants.py``).
One line per batch of runs::

    runs=50 lost=0 duplicated=0 diverged=0 overwritten=0 parked=7 renumbered=0 errors=0

and, for a run that breaks an invariant, its seed, what broke and the schedule that did it. Exit
status 1 if any run did.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.soak.run import Run, one_run

BATCH = 50


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sync_soak", description=__doc__)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--seed", type=int, help="the first run's seed (default: random)")
    parser.add_argument("--batch", type=int, default=BATCH, help="runs per printed line")
    parser.add_argument("--show", action="store_true", help="print every run's schedule")
    args = parser.parse_args(argv)
    _memory_keyring()
    first = args.seed if args.seed is not None else random.randrange(1_000_000_000)
    print(f"seeds {first}..{first + args.runs - 1}", flush=True)
    totals = {"lost": 0, "duplicated": 0, "diverged": 0, "overwritten": 0, "parked": 0}
    totals["renumbered"] = 0  # a printed 办件编号 changed
    totals["errors"] = 0
    events = {"faults": 0, "syncs_killed": 0, "county_killed": 0, "restores": 0, "steps": 0}
    failed: list[Run] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="onewindow-soak-") as tmp:
        for n in range(args.runs):
            run = one_run(first + n, Path(tmp) / "run")
            verdict = run.verdict
            for kind in ("lost", "duplicated", "diverged", "overwritten", "renumbered", "errors"):
                totals[kind] += len(getattr(verdict, kind))
            totals["parked"] += verdict.parked
            events["faults"] += run.faults
            events["syncs_killed"] += run.killed
            events["county_killed"] += run.county_killed
            events["restores"] += run.restored
            events["steps"] += len(run.steps)
            if args.show:
                print(f"seed={run.seed}:\n{run.schedule()}", flush=True)
            if not verdict.ok:
                failed.append(run)
                print(f"FAILED seed={run.seed}:", flush=True)
                for problem in verdict.problems()[:10]:
                    print(f"  {problem}")
                print(f"  schedule:\n{run.schedule()}", flush=True)
            if (n + 1) % args.batch == 0 or n + 1 == args.runs:
                figures = " ".join(f"{k}={v}" for k, v in totals.items())
                seen = ", ".join(f"{k} {v}" for k, v in events.items())
                print(
                    f"runs={n + 1} {figures} ({time.perf_counter() - started:.0f} s; {seen})",
                    flush=True,
                )
    return 1 if failed else 0


def _memory_keyring() -> None:
    """The stores' keys and the workstations' secrets live in this process (and its forks)."""
    import keyring

    from tests.fakes import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())


if __name__ == "__main__":
    sys.exit(main())
