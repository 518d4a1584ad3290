"""The benchmark scripts still run, and what they build is what the engine would have written.

A small store (2,000 cases) built the benchmark's way; no timings are asserted (DESIGN §9).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from app import audit
from app.accounts import passwords
from app.cases.engine import project, projection_matches
from app.settings.calendar import work_calendar
from app.workflow.states import CaseState
from benchmarks import build_store, queries, sync
from db.models import AuditEntry, Case, CaseAction, OutboxEntry
from db.store import Store
from tests.cases.helpers import assert_outbox_mirrors_actions

CASES = 2_000


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Store]]:
    out = tmp_path_factory.mktemp("bench")
    with pytest.MonkeyPatch.context() as patch:  # the demo users' Argon2 hashes, made quick
        patch.setattr(
            passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        )
        result = build_store.build(out, CASES, workers=0, progress=lambda _: None)
    assert result.cases == CASES and result.actions > 4 * CASES
    store = build_store.open_bench_store(out)
    yield out, store
    store.close()


def test_the_built_cases_are_what_the_engine_would_have_written(
    bench: tuple[Path, Store],
) -> None:
    _, store = bench
    with store.session() as session:
        calendar = work_calendar(session)
        states = set(session.scalars(select(Case.state).distinct()))
        sample = session.scalars(select(Case).where(Case.id % 7 == 0)).all()
        for case in sample:  # a sample: folding every case takes a while
            assert projection_matches(session, case, project(session, case, calendar)) == [], (
                case.id
            )
        actions = session.scalar(select(func.count()).select_from(CaseAction))
        outbox = session.scalar(select(func.count()).select_from(OutboxEntry))
        assert_outbox_mirrors_actions(session)
        case_entries = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.event.startswith("case."))
        )
        verification = audit.verify(session)
    assert actions == outbox == case_entries
    assert verification.ok, verification.message
    assert {CaseState.ARCHIVED.value, CaseState.IN_REVIEW.value} <= states


def test_the_real_queries_are_measured_and_an_index_tried(bench: tuple[Path, Store]) -> None:
    _, store = bench
    lines: list[str] = []
    figures = queries.run_all(store, probes=3, seed=1, out=lines.append)
    names = {f["name"] for f in figures}
    assert any(n.startswith("search: ID number") for n in names)
    assert {"case detail", "overdue list", "queue: proxy, first page"} <= names
    assert all(f["p95_ms"] >= f["p50_ms"] > 0 for f in figures)
    ddl = "CREATE INDEX ix_bench_smoke ON cases (category, due_date)"
    tried = queries.try_indexes(store, [ddl], probes=2, seed=1, out=lines.append, only="queue")
    assert tried and all(f["name"].startswith("queue") for f in tried)
    with store.engine.connect() as conn:  # the ad hoc index is gone again
        left = conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE name LIKE 'ix_bench_%'"
        ).scalar()
    assert left == 0


def test_the_command_line_queries_an_existing_store(
    bench: tuple[Path, Store], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = bench
    figures = tmp_path / "figures.json"
    code = build_store.main(["--reuse", "--out", str(out), "--probes", "2", "--json", str(figures)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "p95 ms" in printed and "peak RSS" in printed
    assert '"queries"' in figures.read_text(encoding="utf-8")


def test_the_sync_benchmark_pushes_pulls_and_measures_the_ui(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A few cases through the real county service (SQLite): every action applied, the fresh
    workstation holding what W01 holds (the script's own checks), and the figures printed."""
    figures = tmp_path / "sync.json"
    with pytest.MonkeyPatch.context() as patch:  # the demo users' Argon2 hashes, made quick
        patch.setattr(
            passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        )
        code = sync.main(
            ["--cases", "20", "--backend", "sqlite", "--workers", "0", "--out",
             str(tmp_path / "work"), "--json", str(figures)]
        )  # fmt: skip
    printed = capsys.readouterr().out
    results = json.loads(figures.read_text(encoding="utf-8"))
    assert code == 0 and results["problems"] == [], results["problems"]
    push, pull = results["sqlite"]["push"], results["sqlite"]["pull"]
    assert push["applied"] == push["ops"] == results["actions"] + results["authorizations"]
    assert pull["added"] == results["actions"] > 4 * 20
    assert sum(pull["states"].values()) == 20 and pull["numbered"] == push["numbered"] > 0
    assert results["ui"]["w03_first_sync"]["states"] == pull["states"]
    assert "first pull (fresh W02)" in printed and "longest gap" in printed
