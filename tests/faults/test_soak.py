"""The randomized runs (``python -m benchmarks.sync_soak``), a bounded share of them: fresh
seeds on every run of the suite (replayed by the same ``--randomly-seed``), and the seeds whose
schedules once found a bug. A failure names the seed, what broke and the schedule."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from benchmarks.soak.run import one_run

RUNS = 50
#: The runs in tests of ten, so that the suite's workers (pytest-xdist) share them out instead of
#: one worker spending minutes on all fifty while the other waits at the end.
SHARES = 5
# Seeds whose schedules found bugs (docs/faults.md). A seed's schedule changes whenever the
# workload does, so each bug is also written out as a scenario (test_found_by_soak.py,
# test_parked_refold.py, test_restore.py); the seeds stay as more schedules of the same kind.
FOUND_BUGS = (
    1028,  # W02's review parked by the push after a restore's re-snapshot: the case not refolded
    2000,  # (one of 2000-2049) a parked action's refold met a pending one that no longer fit
    10001,  # another workstation's action a restore lost, folded on top of a later one
    20017,  # an action built on a refused one applied where its count happened to fit
    30141,  # another's case every action of which a restore lost: nothing to fold, the row raised
    40140,  # (the same)
    60035,  # an own action on such a case: its fold began with 挂起 ("not legal from None")
    70002,  # (the same)
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


@pytest.mark.parametrize("share", range(SHARES))
def test_randomized_runs_lose_duplicate_diverge_and_overwrite_nothing(
    share: int, tmp_path: Path
) -> None:
    """Each share draws its own first seed (pytest-randomly seeds ``random`` per test id)."""
    first = random.randrange(1_000_000_000)
    for seed in range(first, first + RUNS // SHARES):
        _run(seed, tmp_path / "run")
