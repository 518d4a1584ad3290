"""Full-jitter backoff: the wait grows with failures, is random below its ceiling, and is capped."""

from __future__ import annotations

import random

from app.sync.backoff import BASE_S, CAP_S, retry_after


def test_the_wait_is_random_below_a_ceiling_that_doubles_and_is_capped() -> None:
    rng = random.Random(1)
    for failures, ceiling in ((1, BASE_S), (2, 2 * BASE_S), (3, 4 * BASE_S), (30, CAP_S)):
        waits = [retry_after(failures, rng) for _ in range(500)]
        assert all(0.0 <= w <= ceiling for w in waits)
        assert max(waits) > 0.8 * ceiling and min(waits) < 0.2 * ceiling  # spread, not fixed
