"""How often the progress page answers: per client address (a token bucket) and per case number
(wrong passwords lock the number for a while, whoever tries it). Both in memory, thread-safe:
FastAPI runs the page's handlers in its thread pool. A restart forgets them — a guesser gains a
few tries per restart, still one chance in a million each.

The per-number counter counts any number typed, known or not, so that a lockout never tells
whether a number exists.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from threading import Lock
from typing import Final

MAX_KEYS: Final = 50_000  # addresses or numbers remembered; the idle ones go first when full


@dataclass(frozen=True)
class ProgressLimits:
    """The page's limits (``create_app(progress_limits=…)``; the tests use small ones)."""

    queries_per_minute: int = 10  # per client address: queries and ratings together
    failures_per_number: int = 5  # wrong passwords per number within ``failure_window``
    failure_window: float = 3600.0  # seconds
    lockout: float = 3600.0  # seconds a number stays locked after its last allowed failure
    ratings_per_day: int = 3  # phone ratings of one case in 24 hours


@dataclass
class _Bucket:
    tokens: float
    at: float


class AddressBuckets:
    """A token bucket per client address: ``per_minute`` tokens, refilled evenly."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._capacity = float(per_minute)
        self._rate = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = Lock()

    def take(self, address: str) -> bool:
        """Whether ``address`` may ask now (one token taken if so)."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(address)
            if bucket is None:
                if len(self._buckets) >= MAX_KEYS:
                    self._forget_full(now)
                bucket = self._buckets[address] = _Bucket(self._capacity, now)
            bucket.tokens = min(self._capacity, bucket.tokens + (now - bucket.at) * self._rate)
            bucket.at = now
            if bucket.tokens < 1:
                return False
            bucket.tokens -= 1
            return True

    def _forget_full(self, now: float) -> None:
        """Drop the buckets that have refilled (they hold nothing worth keeping); if none has,
        the oldest half."""
        full = [
            a
            for a, b in self._buckets.items()
            if b.tokens + (now - b.at) * self._rate >= self._capacity
        ]
        if not full:
            full = sorted(self._buckets, key=lambda a: self._buckets[a].at)[: MAX_KEYS // 2]
        for address in full:
            del self._buckets[address]


@dataclass
class _Failures:
    times: list[float] = field(default_factory=list)
    locked_until: float = 0.0


class NumberLocks:
    """Wrong passwords per case number: ``limit`` within ``window`` seconds lock the number for
    ``lockout`` seconds, whoever asks."""

    def __init__(
        self,
        limit: int,
        window: float,
        lockout: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limit, self._window, self._lockout = limit, window, lockout
        self._clock = clock
        self._numbers: dict[str, _Failures] = {}
        self._lock = Lock()

    def locked(self, number: str) -> bool:
        now = self._clock()
        with self._lock:
            known = self._numbers.get(number)
            return known is not None and known.locked_until > now

    def failed(self, number: str) -> bool:
        """Count a wrong password for ``number``; whether it is locked now."""
        now = self._clock()
        with self._lock:
            known = self._numbers.get(number)
            if known is None:
                if len(self._numbers) >= MAX_KEYS:
                    self._forget_idle(now)
                known = self._numbers[number] = _Failures()
            known.times = [t for t in known.times if now - t < self._window] + [now]
            if len(known.times) >= self._limit:
                known.locked_until = now + self._lockout
            return known.locked_until > now

    def _forget_idle(self, now: float) -> None:
        idle = [
            n
            for n, f in self._numbers.items()
            if f.locked_until <= now and all(now - t >= self._window for t in f.times)
        ]
        if not idle:
            idle = sorted(self._numbers, key=lambda n: max(self._numbers[n].times, default=0.0))
            idle = idle[: MAX_KEYS // 2]
        for number in idle:
            del self._numbers[number]
