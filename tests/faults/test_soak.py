"""The randomized runs (``python -m benchmarks.sync_soak``), a bounded share of them: fresh
seeds on every run of the suite (replayed by the same ``--randomly-seed``), and the seeds whose
schedules once found a bug. A failure names the seed, what broke and the schedule."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from benchmarks.soak.run import one_run

RUNS = 50
# Schedules that found bugs (the closing note of issue 11 says which): kept as they are.
FOUND_BUGS = (
    1028,  # W02's review parked by the push after a restore's re-snapshot: the case not refolded
)


def _run(seed: int, root: Path) -> None:
    run = one_run(seed, root)
    assert run.verdict.ok, (
        f"seed {seed}: {run.verdict.problems()[:5]}\nschedule:\n{run.schedule()}\n"
        f"reproduce: python -m benchmarks.sync_soak --runs 1 --seed {seed} --show"
    )


@pytest.mark.parametrize("seed", FOUND_BUGS)
def test_a_schedule_that_once_found_a_bug(seed: int, tmp_path: Path) -> None:
    _run(seed, tmp_path / "run")


def test_randomized_runs_lose_duplicate_diverge_and_overwrite_nothing(tmp_path: Path) -> None:
    first = random.randrange(1_000_000_000)
    for seed in range(first, first + RUNS):
        _run(seed, tmp_path / "run")
