"""Sync under faults: the fault proxy, crash points, randomized schedules and their invariants
(``python -m benchmarks.sync_soak``; the tests in ``tests/faults/`` use the same pieces)."""
