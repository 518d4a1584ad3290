"""Timing the real queries of ``app/cases/queries.py`` on a big store: p50 / p95 over random probes.

Each probe is one unit of work as the app does it: a new reader Session (``Store.reader``), the
query, its rows turned into the plain frozen rows the UI gets. Warm-up probes run first and are
not counted (the app is a long-running process; its first query after start-up is slower). A
query whose p95 misses the target has its SQL and ``EXPLAIN QUERY PLAN`` printed.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from app.actor import Actor, Role
from app.alerts.desk_alerts import desk_alerts
from app.cases import queries as q
from app.settings.calendar import work_calendar
from app.workcalendar import WorkCalendar
from app.workflow.fold import local_date
from db.base import utcnow
from db.models import Applicant, Case, Item, User
from db.store import Store

TARGET_MS = 50.0
WARMUP = 5
SLOW_AFTER, SLOW_MS = 20, 500.0  # a query this slow is measured with 20 probes only

Probe = Callable[[Session], int]  # runs one query, returns the number of rows it gave back


@dataclass(frozen=True)
class Timing:
    name: str
    probes: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    mean_rows: float

    @property
    def ok(self) -> bool:
        return self.p95_ms < TARGET_MS


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure(store: Store, name: str, probes: Sequence[Probe]) -> Timing:
    for probe in probes[: min(WARMUP, len(probes) // 4 + 1)]:
        with store.reader() as session:
            probe(session)
    times: list[float] = []
    rows = 0
    for probe in probes:
        started = time.perf_counter()
        with store.reader() as session:
            rows += probe(session)
        times.append((time.perf_counter() - started) * 1000)
        if len(times) == SLOW_AFTER and percentile(times, 0.5) > SLOW_MS:
            break  # hopelessly slow: a few probes tell enough (the probe count says how many)
    return Timing(
        name,
        len(times),
        round(percentile(times, 0.50), 2),
        round(percentile(times, 0.95), 2),
        round(max(times), 2),
        round(rows / len(times), 1),
    )


@contextmanager
def captured_sql(store: Store) -> Iterator[list[tuple[str, Any]]]:
    """The statements the engine sends while inside the block."""
    seen: list[tuple[str, Any]] = []

    def listener(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "EXPLAIN")):
            seen.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", listener)


def explain(store: Store, probe: Probe) -> list[str]:
    """The SQL of ``probe`` with SQLite's query plan for each statement."""
    with captured_sql(store) as seen, store.reader() as session:
        probe(session)
    lines: list[str] = []
    with store.engine.connect() as conn:
        for statement, params in seen:
            lines.append("    SQL: " + " ".join(statement.split()))
            raw = conn.connection.dbapi_connection
            assert raw is not None
            for row in raw.execute("EXPLAIN QUERY PLAN " + statement, params).fetchall():
                lines.append(f"      plan: {row[-1]}")
    return lines


# --- the probes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fixtures:
    clerk: Actor
    approver: Actor
    supervisor: Actor
    proxies: list[Actor]
    calendar: WorkCalendar
    today: dt.date
    receipt_nos: list[str]
    official_nos: list[str]
    id_numbers: list[str]
    names: list[str]
    item_terms: list[str]
    categories: list[str]
    case_ids: list[int]


def _actor(session: Session, user: User) -> Actor:
    roles = frozenset(Role(r.role_code) for r in user.roles)
    return Actor(user.id, user.username, user.display_name, roles, "W01")


def load_fixtures(store: Store, probes: int, seed: int) -> Fixtures:
    rng = random.Random(seed)
    with store.reader() as session:
        users = {u.username: u for u in session.scalars(select(User))}
        proxies = [
            _actor(session, u)
            for u in users.values()
            if any(r.role_code == Role.PROXY.value for r in u.roles)
        ]
        max_id = session.scalar(select(Case.id).order_by(Case.id.desc()).limit(1)) or 0
        ids = [rng.randint(1, max_id) for _ in range(probes)]
        cases = {
            c.id: c
            for c in session.scalars(select(Case).where(Case.id.in_(ids)))  # the probes' cases
        }
        applicants = {
            a.id: a
            for a in session.scalars(
                select(Applicant).where(Applicant.id.in_({c.applicant_id for c in cases.values()}))
            )
        }
        picked = [cases[i] for i in ids if i in cases]
        people = [applicants[c.applicant_id] for c in picked]
        items = list(session.execute(select(Item.name, Item.pinyin_initials, Item.category)))
        return Fixtures(
            clerk=_actor(session, users["clerk1"]),
            approver=_actor(session, users["approver1"]),
            supervisor=_actor(session, users["supervisor1"]),
            proxies=proxies,
            calendar=work_calendar(session),
            today=local_date(utcnow()),
            receipt_nos=[c.receipt_no for c in picked],
            official_nos=[c.official_no for c in picked if c.official_no],
            id_numbers=[a.id_number for a in people if a.id_number],
            names=[a.name for a in people],
            item_terms=[rng.choice([name, initials]) for name, initials, _ in items if initials]
            * (probes // max(1, len(items)) + 1),
            categories=sorted({category for _, _, category in items}),
            case_ids=[c.id for c in picked],
        )


def _search(actor: Actor, needle: str) -> Probe:
    return lambda s: len(q.search(s, actor, needle))


def _queue(actor: Actor, category: str | None = None) -> Probe:
    return lambda s: len(q.my_queue(s, actor, category=category).rows)


def _detail(actor: Actor, case_id: int, cal: WorkCalendar, today: dt.date) -> Probe:
    return lambda s: len(q.case_detail(s, actor, case_id, cal, today).timeline)


def probe_sets(f: Fixtures, probes: int, rng: random.Random) -> dict[str, list[Probe]]:
    def take(values: Sequence[str]) -> list[str]:
        return [rng.choice(values) for _ in range(probes)] if values else []

    def take_ids(values: Sequence[int]) -> list[int]:
        return [rng.choice(values) for _ in range(probes)] if values else []

    sup, cal, today = f.supervisor, f.calendar, f.today
    return {
        "search: 收件号 (receipt no.)": [_search(f.clerk, v) for v in take(f.receipt_nos)],
        "search: 办件编号 (official no.)": [_search(f.clerk, v) for v in take(f.official_nos)],
        "search: ID number": [_search(f.clerk, v) for v in take(f.id_numbers)],
        "search: applicant name": [_search(f.clerk, v) for v in take(f.names)],
        "search: item (name / pinyin)": [_search(f.clerk, v) for v in take(f.item_terms)],
        "search: surname only (worst case)": [_search(f.clerk, v[0]) for v in take(f.names)],
        "queue: clerk, first page": [_queue(f.clerk)] * probes,
        "queue: approver, first page": [_queue(f.approver)] * probes,
        "queue: approver, one category": [_queue(f.approver, c) for c in take(f.categories)],
        "queue: supervisor, first page": [_queue(sup)] * probes,
        "queue: proxy, first page": [_queue(rng.choice(f.proxies)) for _ in range(probes)],
        "overdue list": [lambda s: len(q.overdue(s, sup, today))] * probes,
        "nearly-due list": [lambda s: len(q.nearly_due(s, sup, today, cal))] * probes,
        "watchdog list": [lambda s: len(q.watchdog(s, sup, today))] * probes,
        "desk alerts: supervisor": [lambda s: len(desk_alerts(s, sup, cal, today).alerts)] * probes,
        "desk alerts: approver": [lambda s: len(desk_alerts(s, f.approver, cal, today).alerts)]
        * probes,
        "case detail": [_detail(sup, i, cal, today) for i in take_ids(f.case_ids)],
    }


def print_table(timings: Sequence[Timing], out: Callable[[str], None]) -> None:
    out(f"  {'query':<34} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'rows':>6}")
    for t in timings:
        flag = "" if t.ok else f"   MISSES p95 < {TARGET_MS:.0f} ms"
        out(
            f"  {t.name:<34} {t.p50_ms:>8.2f} {t.p95_ms:>8.2f} {t.max_ms:>8.2f} "
            f"{t.mean_rows:>6.1f}{flag}"
        )


def run_all(
    store: Store,
    *,
    probes: int,
    seed: int,
    out: Callable[[str], None],
    explain_misses: bool = True,
    only: str | None = None,
) -> list[dict[str, Any]]:
    fixtures = load_fixtures(store, probes, seed)
    sets = probe_sets(fixtures, probes, random.Random(seed + 1))
    if only:
        sets = {name: ps for name, ps in sets.items() if only in name}
    timings = [measure(store, name, ps) for name, ps in sets.items() if ps]
    out(f"queries ({probes} probes each, today {fixtures.today}):")
    print_table(timings, out)
    if explain_misses:
        for t in timings:
            if not t.ok:
                out(f"  why {t.name!r} is slow:")
                for line in explain(store, sets[t.name][0]):
                    out(line)
    return [asdict(t) | {"ok": t.ok} for t in timings]


# --- the store --------------------------------------------------------------------------------


def store_figures(session: Session, store: Store) -> dict[str, Any]:
    def count(table: str) -> int:
        return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())

    by_state: dict[str, int] = {
        state: n
        for state, n in session.execute(text("SELECT state, count(*) FROM cases GROUP BY state"))
    }
    files = [store.db_path, *store.db_path.parent.glob(store.db_path.name + "-*")]
    return {
        "cases": count("cases"),
        "case_actions": count("case_actions"),
        "outbox": count("outbox"),
        "audit_log": count("audit_log"),
        "applicants": count("applicants"),
        "materials_received": count("materials_received"),
        "by_state": by_state,
        "file_mib": round(sum(f.stat().st_size for f in files if f.exists()) / 2**20, 1),
    }


def describe_store(figures: dict[str, Any]) -> str:
    states = ", ".join(f"{state} {n:,}" for state, n in sorted(figures["by_state"].items()))
    return (
        f"store: {figures['cases']:,} cases, {figures['case_actions']:,} actions, "
        f"{figures['outbox']:,} outbox rows, {figures['audit_log']:,} audit entries, "
        f"{figures['applicants']:,} applicants, {figures['materials_received']:,} materials; "
        f"{figures['file_mib']:,.1f} MiB\n  states: {states}"
    )


# --- candidate indexes, tried ad hoc ----------------------------------------------------------


def try_indexes(
    store: Store,
    ddls: Sequence[str],
    *,
    probes: int,
    seed: int,
    out: Callable[[str], None],
    only: str | None = None,
) -> list[dict[str, Any]]:
    """Create candidate indexes (``CREATE INDEX ix_bench_… ON …``), measure again, and drop
    them afterwards: the schema itself is the migrations' business."""
    with candidate_indexes(store, ddls, out):
        out("with the candidate indexes:")
        return run_all(store, probes=probes, seed=seed, out=out, only=only)


@contextmanager
def candidate_indexes(
    store: Store, ddls: Sequence[str], out: Callable[[str], None], *, analyze: bool = False
) -> Iterator[None]:
    """The indexes ``ddls`` create (each named ``ix_bench_…``, so recognisably ad hoc) while
    the block runs, dropped after it; ``analyze``: ANALYZE once they are made."""
    names = [ddl.split()[2] for ddl in ddls]  # CREATE INDEX <name> ON …
    if not all(name.startswith("ix_bench_") for name in names):
        raise ValueError("name candidate indexes ix_bench_… so they are recognisably ad hoc")
    with store.engine.connect() as conn:
        for ddl in ddls:
            started = time.perf_counter()
            conn.execute(text(ddl))
            out(f"  created ad hoc in {time.perf_counter() - started:.1f} s: {ddl}")
        if analyze:
            conn.execute(text("ANALYZE"))
        conn.commit()
    try:
        yield
    finally:
        with store.engine.connect() as conn:
            for name in names:
                conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
            conn.commit()
