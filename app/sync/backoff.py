"""When to try the county again after it could not be reached: full-jitter exponential backoff,
capped (a random wait between nothing and ``base · 2^failures``, never over ``cap``), so the
windows of a centre whose link comes back do not all knock at once."""

from __future__ import annotations

import random

BASE_S = 5.0
CAP_S = 300.0


def retry_after(failures: int, rng: random.Random | None = None) -> float:
    """Seconds to wait after ``failures`` failed rounds in a row (≥ 1)."""
    ceiling = min(CAP_S, BASE_S * 2 ** max(0, failures - 1))
    return (rng or random).uniform(0.0, ceiling)
