"""Sync with the county at scale: a workstation pushes N demo-like cases (every action of them) to
the county service on loopback, a fresh workstation pulls them all, and the desktop's sync worker
does the same while a timer on the UI thread measures how long the UI could not react.

    .venv/bin/python -m benchmarks.sync                        # 10,000 cases, SQLite and PostgreSQL
    .venv/bin/python -m benchmarks.sync --cases 2000 --backend sqlite --no-ui

The W01 store is built the way ``benchmarks/build_store.py`` builds stores (every action checked by
the workflow's own code), with the demo centre's people, every action at W01 and still in the
outbox. The county is its own process (``python -m county.cli serve``), started afresh for the
push and again for the pull so each has its own peak memory (Linux ``VmHWM``); the workstation's
side of each phase runs in a fresh process too. PostgreSQL: a throwaway cluster, started the way
the county tests start theirs (``tests/county/postgres.py``).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app import settings
from app.actor import Actor, Role
from app.demo.centre import DEMO_TOWN_CODE, prepare_demo
from app.demo.users import DEMO_USERS, seed_demo_users
from app.outbox.envelope import AUTHORIZATION, ActorRef, Envelope
from app.outbox.ids import new_uid
from benchmarks import build_store
from benchmarks.build_store import People, peak_rss_mib
from db.models import Applicant, Case, OutboxEntry, ProxyAuthorization, User
from db.store import Store, open_store

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CASES = 10_000
DEFAULT_OUT = Path(__file__).resolve().parent / "out" / "sync"
TARGET_S = 30.0
STALL_TARGET_MS = 50.0
TICK_MS = 5
BASELINE_S = 3.0
TAIL_S = 1.0  # the UI thread is watched this long after a round too
BACKENDS = ("sqlite", "postgresql")
W01 = "W01"


def log(message: str) -> None:
    print(message, flush=True)


# --- the W01 store -------------------------------------------------------------------------------


def demo_people(store: Store) -> People:
    """The demo centre's people (the accounts ``onewindow-county init-demo`` gives the county),
    all working at W01: the county takes a workstation's operations only as that workstation's."""
    with store.session() as session, session.begin():
        seed_demo_users(session)
        ids = {name: id_ for name, id_ in session.execute(select(User.username, User.id))}
    people = People([], [], None, [])  # type: ignore[arg-type]
    for user in DEMO_USERS:
        roles = frozenset({user.role})
        actor = Actor(ids[user.username], user.username, user.display_name, roles, W01)
        if user.role is Role.CLERK:
            people.clerks.append(actor)
        elif user.role is Role.APPROVER:
            people.approvers.append(actor)
        elif user.role is Role.SUPERVISOR:
            people.supervisor = actor
        elif user.role is Role.PROXY:
            people.proxies.append(actor)
    return people


def build_w01(out: Path, cases: int, *, seed: int, workers: int) -> tuple[int, int, int]:
    """W01's store in ``out`` with ``cases`` cases, every action pending in the outbox and no case
    numbered yet (the county gives the 办件编号). Returns (cases, actions, authorizations)."""
    result = build_store.build(
        out,
        cases,
        seed=seed,
        workers=workers,
        progress=lambda _: None,
        people_of=demo_people,
        all_pending=True,
        cache_mib=256,
    )
    store = build_store.open_bench_store(out)
    try:
        with store.session() as session, session.begin():
            session.execute(update(Case).values(official_no=None))
            authorizations = queue_authorizations(session)
    finally:
        store.close()
    return result.cases, result.actions, authorizations


def queue_authorizations(session: Session) -> int:
    """Queue each proxy filing's 代办委托书 just before the filing, as ``register_authorization``
    does (the county takes a filing only under an authorization it holds): the outbox ids are
    doubled, and each authorization takes the odd id before its case's first operation."""
    session.execute(update(OutboxEntry).values(id=-2 * OutboxEntry.id))
    session.execute(update(OutboxEntry).values(id=-OutboxEntry.id))
    first = (
        select(OutboxEntry.case_id, func.min(OutboxEntry.id).label("id"))
        .group_by(OutboxEntry.case_id)
        .subquery()
    )
    rows = session.execute(
        select(ProxyAuthorization, Applicant, User.username, first.c.id)
        .join(Case, Case.authorization_id == ProxyAuthorization.id)
        .join(Applicant, Applicant.id == ProxyAuthorization.applicant_id)
        .join(User, User.id == ProxyAuthorization.proxy_user_id)
        .join(first, first.c.case_id == Case.id)
    ).all()
    for auth, resident, proxy, before in rows:
        terms = {
            "authorization_no": auth.authorization_no,
            "proxy": proxy,
            "resident": {
                "kind": "natural_person",
                "name": resident.name,
                "id_number": resident.id_number,
                "phone": resident.phone or "",
            },
            "matters": list(auth.matters),
            "may_collect": auth.may_collect,
            "valid_from": auth.valid_from.isoformat(),
            "valid_until": auth.valid_until.isoformat(),
            "signed_on": auth.signed_on.isoformat(),
        }
        envelope = Envelope(
            op_id=new_uid(),
            kind=AUTHORIZATION,
            key=auth.authorization_no,
            occurred_at=auth.created_at,
            actor=ActorRef(username=proxy, role=Role.PROXY.value),
            workstation=W01,
            centre=DEMO_TOWN_CODE,
            payload=terms,
        )
        session.add(
            OutboxEntry(
                id=before - 1,
                op_id=envelope.op_id,
                key=envelope.key,
                kind=envelope.kind,
                payload=envelope.model_dump(mode="json"),
                created_at=auth.created_at,
            )
        )
    return len(rows)


# --- the county, as a process of its own ---------------------------------------------------------


def county_command(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "county.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"onewindow-county {args[0]} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def activation_code(url: str, workstation: str) -> str:
    out = county_command(
        "activation-code", "--database", url, "--centre", DEMO_TOWN_CODE,
        "--workstation", workstation,
    )  # fmt: skip
    return out.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def vm_hwm_mib(pid: int) -> float:
    """A live process's peak resident set (Linux ``VmHWM``), in MiB; 0 where /proc has none."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a live process has used so far; 0 where /proc has none."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class RunningCounty:
    url: str
    process: subprocess.Popen[bytes]
    peak_rss_mib: float = 0.0
    cpu_s: float = 0.0


@contextlib.contextmanager
def county_service(database: str, log_file: Path) -> Iterator[RunningCounty]:
    """``onewindow-county serve`` over ``database`` on a free loopback port; its peak RSS is read
    just before it is stopped."""
    port = free_port()
    with log_file.open("ab") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "county.cli", "serve", "--database", database,
             "--port", str(port)],
            cwd=ROOT,
            stdout=sink,
            stderr=sink,
        )  # fmt: skip
    county = RunningCounty(f"http://127.0.0.1:{port}", process)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"the county service exited; see {log_file}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{county.url}/v1/accounts", timeout=2).status_code == 401:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"the county service did not start; see {log_file}")
            time.sleep(0.1)
        county.cpu_s = -cpu_seconds(process.pid)  # what it uses from now on
        yield county
    finally:
        county.peak_rss_mib = vm_hwm_mib(process.pid)
        county.cpu_s += cpu_seconds(process.pid)
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def county_database(backend: str, work: Path) -> Iterator[str]:
    """An empty county database: a SQLite file in ``work``, or a database of a throwaway
    PostgreSQL cluster (stopped and removed afterwards)."""
    if backend == "sqlite":
        yield f"sqlite:///{work / 'county.db'}"
        return
    from tests.county.postgres import throwaway_server  # starts initdb/pg_ctl; dev-only

    with throwaway_server() as server:
        yield server.url(server.create_database())


# --- the workstation's phases, each in a fresh process -------------------------------------------


def run_phase(*args: str) -> dict[str, Any]:
    """``python -m benchmarks.sync --phase …`` in a fresh process; its figures (its last line)."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.sync", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")},
    )
    if done.returncode != 0:
        raise SystemExit(f"phase {args[1]} failed:\n{done.stdout}{done.stderr}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _memory_keyring() -> None:
    """The secret activation gives is kept in a keyring that lives in this process only."""
    import keyring

    from tests.fakes import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())


def _states(store: Store) -> dict[str, int]:
    with store.reader() as session:
        rows = session.execute(select(Case.state, func.count()).group_by(Case.state))
        return {state: count for state, count in rows}


def _numbered(store: Store) -> int:
    with store.reader() as session:
        return session.scalar(select(func.count()).where(Case.official_no.is_not(None))) or 0


def _outbox(store: Store) -> dict[str, int]:
    with store.reader() as session:
        rows = session.execute(
            select(OutboxEntry.status, func.count()).group_by(OutboxEntry.status)
        )
        return {status: count for status, count in rows}


def _parked_reasons(store: Store, limit: int = 5) -> list[str]:
    with store.reader() as session:
        return list(
            session.scalars(
                select(OutboxEntry.last_error).where(OutboxEntry.status == "parked").limit(limit)
            )
        )


def phase_push(store_dir: Path, county: str, code: str) -> dict[str, Any]:
    from app.sync.push import BATCH, push_all
    from app.sync.session import activate, transport_for

    _memory_keyring()
    store = build_store.open_bench_store(store_dir)
    try:
        activate(store, county, code)
        transport = transport_for(store)
        started, cpu = time.perf_counter(), time.process_time()
        pushed = push_all(store, transport)  # what sync_now does
        applied, replayed, parked = pushed.applied, pushed.replayed, pushed.parked
        batches = -(-pushed.sent // BATCH)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        transport.close()
        return {
            "seconds": seconds,
            "cpu_s": cpu,
            "ops": applied + replayed + parked,
            "applied": applied,
            "replayed": replayed,
            "parked": parked,
            "batches": batches,
            "parked_reasons": _parked_reasons(store),
            "states": _states(store),
            "numbered": _numbered(store),
            "outbox": _outbox(store),
            "rss_mib": peak_rss_mib(),
        }
    finally:
        store.close()


def fresh_workstation(data_dir: Path, workstation: str) -> Store:
    """A new store of the demo centre at ``workstation``: the catalogue and settings, no cases."""
    store = open_store(data_dir / "store", data_dir / "KEY-NOT-SECRET.key")
    prepare_demo(store)
    with store.session() as session, session.begin():
        settings.WORKSTATION_CODE.set(session, workstation)
    return store


def phase_pull(data_dir: Path, county: str, code: str, workstation: str = "W02") -> dict[str, Any]:
    """W02's first sync (``sync_now``: nothing to push; the case actions, accounts and the rest
    come down)."""
    from app.settings.calendar import work_calendar
    from app.sync.session import activate, sync_now, transport_for

    _memory_keyring()
    store = fresh_workstation(data_dir, workstation)
    try:
        activate(store, county, code)
        transport = transport_for(store)
        with store.reader() as session:
            calendar = work_calendar(session)
        started, cpu = time.perf_counter(), time.process_time()
        summary = sync_now(store, transport, calendar)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        transport.close()
        return {
            "seconds": seconds,
            "cpu_s": cpu,
            "ops": summary.pulled,
            "added": summary.pulled,
            "parked": summary.parked,
            "states": _states(store),
            "numbered": _numbered(store),
            "rss_mib": peak_rss_mib(),
        }
    finally:
        store.close()


# --- the desktop: the sync worker, and a timer on the UI thread ----------------------------------


def phase_ui(store_dir: Path, data_dir: Path, county: str, codes: Sequence[str]) -> dict[str, Any]:
    """A QApplication with the desktop's sync worker: W01 (``store_dir``) syncs its cases (push,
    then the pull that confirms them), then a fresh W03 syncs for the first time (pulls them all);
    a 5 ms timer on the UI thread records the gaps between its ticks (during each round and for
    ``TAIL_S`` after it), and a baseline with no sync is measured first in the same process."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from app.settings.calendar import work_calendar
    from app.sync.session import activate
    from ui.memory import freeze_long_lived
    from ui.refcounts import guard_singletons
    from ui.sync_worker import SyncWorker
    from ui.worker import Runner

    _memory_keyring()
    guard_singletons()  # as the program does at start (ui/refcounts.py)
    app = QApplication.instance() or QApplication([])
    gaps: list[float] = []
    clock = QElapsedTimer()

    def tick() -> None:
        gaps.append(float(clock.restart()))  # ms

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    gc_passes = GcPasses()
    gc.callbacks.append(gc_passes.callback)

    def measure(run: Any) -> tuple[list[float], float]:
        """Gaps (ms) while ``run(loop)`` works until it quits the loop; and its wall time."""
        gaps.clear()
        gc_passes.passes.clear()
        loop = QEventLoop()
        clock.start()
        timer.start()
        started = time.perf_counter()
        QTimer.singleShot(0, lambda: run(loop))
        loop.exec()
        seconds = time.perf_counter() - started
        timer.stop()
        return list(gaps), seconds

    figures: dict[str, Any] = {}
    stores = [build_store.open_bench_store(store_dir), fresh_workstation(data_dir, "W03")]
    runner = Runner()
    try:
        for store, code in zip(stores, codes, strict=True):
            activate(store, county, code)
        freeze_long_lived()  # as the desktop does once it is up
        baseline, _ = measure(lambda loop: QTimer.singleShot(int(BASELINE_S * 1000), loop.quit))
        figures["baseline"] = _gap_figures(baseline)
        for name, store in zip(("w01_sync", "w03_first_sync"), stores, strict=True):
            with store.reader() as session:
                calendar = work_calendar(session)
            worker = SyncWorker(store, calendar, runner, every_ms=3_600_000)

            times: list[float] = []  # the round's start and end

            def run(
                loop: QEventLoop, worker: SyncWorker = worker, times: list[float] = times
            ) -> None:
                def round_done(_text: str) -> None:  # and a second more: the collector after it
                    times.append(time.perf_counter())
                    QTimer.singleShot(int(TAIL_S * 1000), loop.quit)

                worker.status_text.connect(round_done)
                times.append(time.perf_counter())
                worker.start()

            stalls, _ = measure(run)
            seconds = times[1] - times[0]
            outcome = worker.last_round
            assert outcome is not None
            if outcome.error is not None or outcome.summary is None:
                raise SystemExit(f"the sync round failed: {outcome.error}")
            worker.stop()
            figures[name] = {
                **_gap_figures(stalls),
                **gc_passes.figures(),
                "seconds": seconds,
                "summary": outcome.summary.line(),
                "states": _states(store),
            }
            app.processEvents()
    finally:
        gc.callbacks.remove(gc_passes.callback)
        runner.shutdown()
        for store in stores:
            store.close()
    figures["rss_mib"] = peak_rss_mib()
    return figures


class GcPasses:
    """The cyclic collector's passes over 10 ms (any thread's: they hold the GIL, so the UI thread
    waits them out), to tell a stall the collector caused from one it did not."""

    def __init__(self) -> None:
        self.passes: list[tuple[int, float]] = []  # (generation, ms)
        self._started = 0.0

    def callback(self, phase: str, info: dict[str, int]) -> None:
        now = time.perf_counter()
        if phase == "start":
            self._started = now
        elif (took := (now - self._started) * 1000) > 10:
            self.passes.append((info["generation"], took))

    def figures(self) -> dict[str, Any]:
        return {
            "gc_over_10ms": len(self.passes),
            "gc_longest_ms": max((ms for _, ms in self.passes), default=0.0),
            "gc_over_10ms_by_generation": [
                sum(1 for g, _ in self.passes if g == generation) for generation in range(3)
            ],
        }


def _gap_figures(gaps_ms: list[float]) -> dict[str, float]:
    ordered = sorted(gaps_ms)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0
    return {"ticks": len(ordered), "longest_ms": max(ordered, default=0.0), "p99_ms": p99}


# --- the whole run -------------------------------------------------------------------------------


@dataclass
class Figures:
    backend: str
    push: dict[str, Any]
    pull: dict[str, Any]
    county_push_rss_mib: float
    county_pull_rss_mib: float
    county_push_cpu_s: float
    county_pull_cpu_s: float


def run_backend(backend: str, pristine: Path, work: Path) -> Figures:
    """Push W01's cases to a new county on ``backend``, then W02's first pull of them (each
    phase's line printed as soon as it is done)."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copytree(pristine, work / "w01")
    log(f"{backend}: (load average {load()})")
    with county_database(backend, work) as database:
        county_command("init-demo", "--database", database)
        codes = [activation_code(database, ws) for ws in (W01, "W02")]
        with county_service(database, work / "county.log") as county:
            push = run_phase("--phase", "push", "--store", str(work / "w01"),
                             "--county", county.url, "--code", codes[0])  # fmt: skip
        log(phase_line("push (W01)", push, county))
        with county_service(database, work / "county.log") as again:
            pull = run_phase("--phase", "pull", "--store", str(work / "w02"),
                             "--county", again.url, "--code", codes[1])  # fmt: skip
        log(phase_line("first pull (fresh W02)", pull, again))
    return Figures(
        backend, push, pull, county.peak_rss_mib, again.peak_rss_mib, county.cpu_s, again.cpu_s
    )


def run_ui(pristine: Path, work: Path) -> tuple[dict[str, Any], float]:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copytree(pristine, work / "w01")
    with county_database("sqlite", work) as database:
        county_command("init-demo", "--database", database)
        codes = [activation_code(database, ws) for ws in (W01, "W03")]
        with county_service(database, work / "county.log") as county:
            ui = run_phase("--phase", "ui", "--store", str(work / "w01"), "--data",
                           str(work / "w03"), "--county", county.url, "--code", *codes)  # fmt: skip
    return ui, county.peak_rss_mib


def check(cases: int, actions: int, figures: Figures) -> list[str]:
    """What went wrong, if anything: every action applied, W02 holding what W01 holds."""
    problems = []
    push, pull = figures.push, figures.pull
    if push["parked"] or push["applied"] != push["ops"]:
        problems.append(f"push: {push['parked']} parked, e.g. {push['parked_reasons']}")
    if push["numbered"] != pull["numbered"]:
        problems.append(f"numbered cases: W01 {push['numbered']}, W02 {pull['numbered']}")
    if push["states"] != pull["states"] or sum(pull["states"].values()) != cases:
        problems.append(f"states differ: W01 {push['states']}, W02 {pull['states']}")
    if pull["added"] != actions or pull["parked"]:
        problems.append(f"pull: {pull['added']} added of {actions}, {pull['parked']} parked")
    return problems


def phase_line(what: str, phase: dict[str, Any], county: RunningCounty) -> str:
    seconds = phase["seconds"]
    mark = "" if seconds < TARGET_S else f"  (MISSES the {TARGET_S:.0f} s target)"
    return (
        f"  {what:<22} {phase['ops']:,} ops in {seconds:.1f} s, {phase['ops'] / seconds:,.0f} "
        f"ops/s; peak RSS workstation {phase['rss_mib']:.0f} MiB, county "
        f"{county.peak_rss_mib:.0f} MiB; CPU workstation {phase['cpu_s']:.1f} s, county "
        f"{county.cpu_s:.1f} s (load average {load()}){mark}"
    )


def load() -> str:
    """The machine's 1-minute load average (other work competing for the CPU), if known."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "unknown"


def report_ui(ui: dict[str, Any], county_rss: float) -> list[str]:
    base = ui["baseline"]
    lines = [
        f"UI thread ({TICK_MS} ms timer, offscreen), county on SQLite:",
        f"  baseline, no sync ({BASELINE_S:.0f} s): longest gap {base['longest_ms']:.1f} ms, "
        f"p99 {base['p99_ms']:.1f} ms",
    ]
    for key, what in (("w01_sync", "W01 syncs (push + confirmations)"),
                      ("w03_first_sync", "fresh W03's first sync")):  # fmt: skip
        phase = ui[key]
        ratio = phase["longest_ms"] / base["longest_ms"] if base["longest_ms"] else 0.0
        mark = "" if phase["longest_ms"] <= STALL_TARGET_MS else "  (over the 50 ms target)"
        lines.append(
            f"  {what:<33} {phase['seconds']:6.1f} s: longest gap {phase['longest_ms']:.1f} ms "
            f"({ratio:.1f}× baseline), p99 {phase['p99_ms']:.1f} ms{mark}; GC passes over 10 ms: "
            f"{phase['gc_over_10ms']} (longest {phase['gc_longest_ms']:.1f} ms; by generation "
            f"{'/'.join(map(str, phase['gc_over_10ms_by_generation']))})"
        )
    lines.append(
        f"  peak RSS: desktop process {ui['rss_mib']:.0f} MiB, county {county_rss:.0f} MiB"
    )
    return lines


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.sync",
        description="Push N demo-like cases to the county on loopback, pull them at a fresh "
        "workstation, and measure the UI thread while the desktop syncs them.",
    )
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES, help="default 10,000")
    parser.add_argument(
        "--backend",
        choices=(*BACKENDS, "both", "none"),
        default="both",
        help="the county's store for push and pull (none: only the UI measurement)",
    )
    parser.add_argument("--no-ui", action="store_true", help="skip the UI-thread measurement")
    parser.add_argument("--out", type=Path, help="work directory (default: a temporary one)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    # One phase, in its own process (the orchestrating run starts these).
    parser.add_argument("--phase", choices=("push", "pull", "ui"), help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--county", help=argparse.SUPPRESS)
    parser.add_argument("--code", nargs="+", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.phase is not None:
        if args.phase == "push":
            figures = phase_push(args.store, args.county, args.code[0])
        elif args.phase == "pull":
            figures = phase_pull(args.store, args.county, args.code[0])
        else:
            figures = phase_ui(args.store, args.data, args.county, args.code)
        print(json.dumps(figures, ensure_ascii=False))
        return 0
    results = run(args)
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 1 if results["problems"] else 0


def run(args: argparse.Namespace) -> dict[str, Any]:
    """The whole benchmark; returns its figures (``problems``: what failed its checks)."""
    backends = {"both": BACKENDS, "none": ()}.get(args.backend, (args.backend,))
    results: dict[str, Any] = {"cases": args.cases, "problems": []}
    with contextlib.ExitStack() as stack:
        if args.out is None:
            out = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="onewindow-sync-")))
        else:
            out = args.out
            shutil.rmtree(out, ignore_errors=True)
        pristine = out / "w01-built"
        started = time.perf_counter()
        cases, actions, authorizations = build_w01(
            pristine, args.cases, seed=args.seed, workers=args.workers
        )
        log(
            f"W01's store built: {cases:,} cases, {actions:,} actions and {authorizations:,} proxy "
            f"authorizations queued in its outbox ({time.perf_counter() - started:.1f} s)"
        )
        results["actions"], results["authorizations"] = actions, authorizations
        for backend in backends:
            figures = run_backend(backend, pristine, out / backend)
            problems = check(cases, actions, figures)
            for problem in problems:
                log(f"  PROBLEM: {problem}")
            results["problems"] += [f"{backend}: {p}" for p in problems]
            results[backend] = {
                "push": figures.push,
                "pull": figures.pull,
                "county_push_rss_mib": figures.county_push_rss_mib,
                "county_pull_rss_mib": figures.county_pull_rss_mib,
                "county_push_cpu_s": figures.county_push_cpu_s,
                "county_pull_cpu_s": figures.county_pull_cpu_s,
            }
        if not args.no_ui:
            ui, county_rss = run_ui(pristine, out / "ui")
            for line in report_ui(ui, county_rss):
                log(line)
            results["ui"] = {**ui, "county_rss_mib": county_rss}
    return results


if __name__ == "__main__":
    sys.exit(main())
