"""The document benchmark still runs (one build per type; no timings asserted, DESIGN §9)."""

from __future__ import annotations

import pytest

from app.printing.kinds import DocKind
from benchmarks import documents


def test_the_benchmark_builds_every_kind(capsys: pytest.CaptureFixture[str]) -> None:
    assert documents.main(["--repeat", "1"]) == 0
    printed = capsys.readouterr().out
    for kind in DocKind:
        assert kind.value in printed
    assert "受理通知书 median" in printed
