"""Timing the supervisor's figures (``app/reports/figures.py``) on a big store: p50 / p95.

Each figure's query (or the few queries one figure needs) is timed on its own, for a calendar
month and for a calendar year picked at random among those the store's cases cover, and then the
whole report (``figures``) per grouping. Each probe is one unit of work as the app does it: a
new reader Session (``Store.reader``), the queries, the counts added up. The store is the one
``benchmarks/build_store.py`` builds (``--out``, default ``benchmarks/out/``).

    .venv/bin/python -m benchmarks.build_store --build-only           # 1,000,000 cases, once
    .venv/bin/python -m benchmarks.figures                            # then the figures
    .venv/bin/python -m benchmarks.figures --out /tmp/b --probes 10 \\
        --try-index "CREATE INDEX ix_bench_actions_at ON case_actions (action, occurred_at)"

``--try-index`` creates a candidate index ad hoc (named ``ix_bench_…``), measures again and drops
it: the schema is the migrations' business.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.reports import figures as f
from app.reports.period import Period
from app.settings.calendar import work_calendar
from app.workcalendar import WorkCalendar
from app.workflow.fold import local_date
from benchmarks.build_store import DEFAULT_OUT, open_bench_store
from benchmarks.queries import Probe, Timing, candidate_indexes, explain, measure
from db.base import utcnow
from db.models import CaseAction
from db.store import Store

TARGET_MS = 500.0  # a report runs off the UI thread; past half a second its plan is printed


def _span(store: Store) -> tuple[dt.date, dt.date]:
    with store.reader() as session:
        first, last = session.execute(
            select(func.min(CaseAction.occurred_at), func.max(CaseAction.occurred_at))
        ).one()
    assert first is not None and last is not None, "the store has no cases"
    return local_date(first), local_date(last)


def periods(store: Store, rng: random.Random, probes: int) -> dict[str, list[Period]]:
    """Random calendar months and years within the store's actions (full ones where it can)."""
    first, last = _span(store)
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(Period.month(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    inner = months[1:-1] or months  # the first and last months are partly covered
    years = [Period.year(y) for y in range(first.year, last.year + 1)]
    full = [p for p in years if p.start >= first and p.end <= last] or years
    return {
        "month": [rng.choice(inner) for _ in range(probes)],
        "year": [rng.choice(full) for _ in range(probes)],
    }


Part = Callable[[Session, Period], int]


def parts(calendar: WorkCalendar, today: dt.date) -> dict[str, Part]:
    """Each figure (or group of figures one query gives) as a probe on its own."""

    def flows(session: Session, period: Period) -> int:
        tally: dict[str, Any] = defaultdict(f._Tally)
        f._flows(session, period, f.Grouping.CENTRE, tally)
        return len(tally)

    def decisions(session: Session, period: Period) -> int:
        tally: dict[str, Any] = defaultdict(f._Tally)
        f._decisions(session, period, f.Grouping.CENTRE, calendar, tally)
        return len(tally)

    def standing(name: str) -> Part:
        def run(session: Session, period: Period) -> int:
            tally: dict[str, Any] = defaultdict(f._Tally)
            f._standing(session, f.Grouping.CENTRE, today, calendar, tally, (name,))
            return len(tally)

        return run

    def ratings(session: Session, period: Period) -> int:
        tally: dict[str, Any] = defaultdict(f._Tally)
        f._ratings(session, period, f.Grouping.CENTRE, today, tally)
        return len(tally)

    def villages(session: Session, period: Period) -> int:
        return len(f.proxy_filings(session, period))

    def whole(grouping: f.Grouping) -> Part:
        def run(session: Session, period: Period) -> int:
            return len(f.figures(session, period, grouping, today=today, calendar=calendar).rows)

        return run

    found: dict[str, Part] = {
        "收件量 受理量 容缺受理 不予受理 一次性告知": flows,
        "办结量 按期办结 平均办理用时": decisions,
        "overdue now": standing("overdue"),
        "nearly due": standing("nearly_due"),
        "past the 收件 watchdog": standing("watchdog"),
        "容缺 pending": standing("deficiency_pending"),
        "容缺 overdue": standing("deficiency_overdue"),
        "满意度 差评 open/closed/overdue": ratings,
        "proxy filings by village": villages,
    }
    for grouping in f.Grouping:
        found[f"all figures, per {grouping.value}"] = whole(grouping)
    return found


def _probe(part: Part, period: Period) -> Probe:
    return lambda session: part(session, period)


def run_all(
    store: Store, *, probes: int, seed: int, out: Callable[[str], None], only: str | None = None
) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    with store.reader() as session:
        calendar = work_calendar(session)
    today = local_date(utcnow())
    spans = periods(store, rng, probes)
    results: list[dict[str, Any]] = []
    out(f"{'figure':<46} {'span':<6} {'probes':>6} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}")
    for name, part in parts(calendar, today).items():
        if only and only not in name:
            continue
        for span, chosen in spans.items():
            probe_list = [_probe(part, period) for period in chosen]
            timing: Timing = measure(store, name, probe_list)
            out(
                f"{name:<46} {span:<6} {timing.probes:>6} {timing.p50_ms:>9.1f} "
                f"{timing.p95_ms:>9.1f} {timing.max_ms:>9.1f}"
            )
            results.append({**asdict(timing), "span": span})
            if timing.p95_ms > TARGET_MS:
                for line in explain(store, probe_list[0]):
                    out(line)
    return results


def try_indexes(
    store: Store,
    ddls: Sequence[str],
    *,
    probes: int,
    seed: int,
    out: Callable[[str], None],
    only: str | None,
) -> list[dict[str, Any]]:
    with candidate_indexes(store, ddls, out, analyze=True):
        out("with the candidate indexes:")
        return run_all(store, probes=probes, seed=seed, out=out, only=only)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the built store's folder")
    parser.add_argument("--probes", type=int, default=20, help="periods per figure and span")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--only", help="only the figures whose name contains this")
    parser.add_argument("--try-index", action="append", default=[], metavar="DDL")
    parser.add_argument("--json", type=Path, help="also write the timings here")
    args = parser.parse_args(argv)

    def out(line: str) -> None:
        print(line, flush=True)

    store = open_bench_store(args.out)
    try:
        with store.reader() as session:
            actions = session.scalar(select(func.count()).select_from(CaseAction)) or 0
        first, last = _span(store)
        out(f"store {args.out}: {actions:,} actions from {first} to {last}")
        figures: dict[str, Any] = {
            "without": run_all(store, probes=args.probes, seed=args.seed, out=out, only=args.only)
        }
        if args.try_index:
            figures["with_indexes"] = try_indexes(
                store, args.try_index, probes=args.probes, seed=args.seed, out=out, only=args.only
            )
    finally:
        store.close()
    if args.json is not None:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
