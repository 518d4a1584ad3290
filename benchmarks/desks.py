"""How fast the desktop feels: launch to login window, queue on screen, largest form, and the
longest stall of the UI thread while background work runs — on the demo centre and on a store of
100,000 cases (built by ``benchmarks.build_store``).

    .venv/bin/python -m benchmarks.build_store --cases 100000 --out benchmarks/out/100k --build-only
    .venv/bin/python -m benchmarks.desks --store benchmarks/out/100k
    .venv/bin/python -m benchmarks.desks --demo-only           # just the demo centre

Targets: login window usable within 3× the time a bare PySide6 window takes (both launched in
the same run), queue < 300 ms, form < 100 ms, no UI-thread stall over 50 ms.
Figures are printed, never asserted (tests/test_benchmarks_smoke.py only checks it runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import (
    QElapsedTimer,
    QMessageLogContext,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.actor import Actor, Role
from app.cases import decisions, intake, queries
from app.cases.listing import Listing, badged, queue_listing, search_listing
from app.catalog.loader import bundled_catalog
from app.demo import centre as demo
from app.demo.forms import sample_form_data
from app.demo.start import ensure_demo_centre
from app.settings.calendar import work_calendar
from app.units.declare import reads
from app.workcalendar import WorkCalendar
from benchmarks.build_store import store_paths
from db.models import Case, Item, User
from db.store import Store, open_store
from ui.backend import DeskBackend
from ui.cases.list_model import CaseListModel
from ui.cases.table import CaseTable
from ui.fonts import install_bundled_fonts
from ui.form.form_view import FormView
from ui.memory import freeze_long_lived
from ui.refcounts import guard_singletons
from ui.worker import Runner

ROOT = Path(__file__).resolve().parents[1]
SHOWN_LINE = "smoke test: login window shown"
READY_LINE = "smoke test: login window ready"
LOADED_LINE = "smoke test: sign-in loaded"
BARE_LINE = "bare window shown"
# The yardstick: a bare PySide6 window started the same way (a new Python process that makes a
# QApplication, shows a plain QDialog and prints a line).
BARE_WINDOW = (
    "from PySide6.QtWidgets import QApplication, QDialog\n"
    "app = QApplication([])\n"
    "window = QDialog()\n"
    "window.show()\n"
    f"print({BARE_LINE!r}, flush=True)\n"
)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


# --- launch → login window ---------------------------------------------------------------------


@dataclass(frozen=True)
class Launch:
    """Wall times from spawning a process: the bare window shown; or the login window shown,
    usable (the store open and checked: the login button works) and the sign-in path loaded
    (a sign-in is answered without waiting for imports). ``loaded`` is ``ready`` for a build
    that enables the button only once everything is loaded."""

    shown: float
    ready: float = 0.0
    loaded: float = 0.0


def launch_env(pycache: Path) -> dict[str, str]:
    """The launched processes' environment: offscreen, smoke-test mode, and Python's bytecode
    cached in ``pycache`` (as an installed program has it: the frozen build carries compiled
    bytecode, a venv writes ``__pycache__`` on first import) even where the shell sets
    ``PYTHONDONTWRITEBYTECODE`` — without it every launch would compile SQLAlchemy and the app
    afresh, measuring the compiler rather than the start-up."""
    env = {**os.environ, "ONEWINDOW_SMOKE_TEST": "1", "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def _spawn(command: list[str], env: dict[str, str], marks: tuple[str, ...]) -> dict[str, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    seen: dict[str, float] = {}
    for line in proc.stdout:
        for mark in marks:
            if line.startswith(mark) and mark not in seen:
                seen[mark] = time.perf_counter() - start
    _, err = proc.communicate()
    if proc.returncode != 0 or marks[0] not in seen:
        raise SystemExit(f"launch failed ({' '.join(command[-3:])}): {err}")
    return seen


def bare_window(env: dict[str, str]) -> Launch:
    return Launch(_spawn([sys.executable, "-c", BARE_WINDOW], env, (BARE_LINE,))[BARE_LINE])


def login_window(args: list[str], env: dict[str, str]) -> Launch:
    seen = _spawn(
        [sys.executable, "-m", "ui.launcher", *args], env, (SHOWN_LINE, READY_LINE, LOADED_LINE)
    )
    if READY_LINE not in seen:
        raise SystemExit("launch failed: the login window never became usable")
    return Launch(seen[SHOWN_LINE], seen[READY_LINE], seen.get(LOADED_LINE, seen[READY_LINE]))


def launch_to_login(args: list[str], runs: int, env: dict[str, str]) -> list[tuple[Launch, Launch]]:
    """``runs`` pairs (bare window, login window), each pair launched one after the other so a
    busy machine slows both alike."""
    return [(bare_window(env), login_window(args, env)) for _ in range(runs)]


def _spread(values: list[float]) -> str:
    return f"best {ms(min(values))}, median {ms(statistics.median(values))}"


def print_launches(pairs: list[tuple[Launch, Launch]]) -> None:
    bare = [b.shown for b, _ in pairs]
    shown = [login.shown for _, login in pairs]
    ready = [login.ready for _, login in pairs]
    loaded = [login.loaded for _, login in pairs]
    print(f"bare PySide6 window shown: {_spread(bare)} ({len(pairs)} launches)")
    print(f"login window shown: {_spread(shown)}")
    print(f"login window usable (store open, login button works): {_spread(ready)}")
    print(f"sign-in path loaded (a sign-in needs no more imports): {_spread(loaded)}")
    for name, values in (("shown", shown), ("usable", ready), ("loaded", loaded)):
        best = min(values) / min(bare)
        median = statistics.median(values) / statistics.median(bare)
        per_pair = [v / b for v, b in zip(values, bare, strict=True)]
        print(
            f"  ratio {name}/bare: best {best:.1f}×, median {median:.1f}×, per launch "
            f"{min(per_pair):.1f}–{max(per_pair):.1f}× (target for usable: 3×)"
        )


# --- UI-thread stall meter ---------------------------------------------------------------------


@dataclass
class StallMeter:
    """A 2 ms timer on the UI thread; the longest gap between its ticks is the longest time the
    UI thread could not react (to a key, a paint)."""

    gaps: list[float] = field(default_factory=list)
    phase: str = ""
    worst: tuple[float, str] = (0.0, "")

    def __post_init__(self) -> None:
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setInterval(2)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        gap = self._clock.restart() / 1000
        self.gaps.append(gap)
        if gap > self.worst[0]:
            self.worst = (gap, self.phase)

    @contextmanager
    def running(self) -> Iterator[None]:
        self._clock.start()
        self._timer.start()
        try:
            yield
        finally:
            self._timer.stop()

    @property
    def longest(self) -> float:
        return max(self.gaps, default=0.0)


def pump_until(app: QApplication, done: Callable[[], bool], timeout: float = 60.0) -> float:
    start = time.perf_counter()
    while not done():
        app.processEvents()
        if time.perf_counter() - start > timeout:
            raise SystemExit("timed out waiting for the UI")
        time.sleep(0.0005)
    return time.perf_counter() - start


def pump_for(app: QApplication, seconds: float) -> None:
    """Let the event loop run (as a user pausing between scrolls) without blocking it."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.0005)


# --- in-process measurements -------------------------------------------------------------------


def actor_for(store: Store, role: Role) -> Actor:
    with store.reader() as session:
        users = session.scalars(select(User).options(selectinload(User.roles))).all()
        for user in users:
            roles = frozenset(Role(r.role_code) for r in user.roles)
            if role in roles:
                return Actor(user.id, user.username, user.display_name, roles, "W01")
    raise SystemExit(f"no {role} user in the store")


def queue_on_screen(app: QApplication, runner: Runner, backend: DeskBackend) -> tuple[float, int]:
    """From asking for the actor's queue to its first rows painted in the desk's table."""
    model = CaseListModel(runner)
    table = CaseTable(model, "benchQueue", "队列")
    table.resize(1300, 650)
    table.show()
    calendar, today = backend.calendar, backend.today()

    def fetch(offset: int, limit: int) -> Listing:
        return backend.run(queue_listing, calendar, today, limit=limit, offset=offset)

    start = time.perf_counter()
    model.set_fetch(fetch)
    loaded: list[bool] = []
    model.loaded.connect(lambda: loaded.append(True))
    pump_until(app, lambda: bool(loaded))
    table.viewport().repaint()
    elapsed = time.perf_counter() - start
    total = model.total
    table.close()
    return elapsed, total


def largest_form(app: QApplication) -> tuple[str, float, list[float]]:
    catalog = bundled_catalog()
    timings: dict[str, list[float]] = {}
    for _ in range(5):
        for template in catalog.templates:
            start = time.perf_counter()
            view = FormView(template)
            view.resize(900, 700)
            view.show()
            app.processEvents()
            view.repaint()
            timings.setdefault(template.title, []).append(time.perf_counter() - start)
            view.close()
            view.deleteLater()
            app.processEvents()
    medians = {title: statistics.median(values[1:]) for title, values in timings.items()}
    worst = max(medians, key=lambda t: medians[t])
    return worst, medians[worst], sorted(medians.values())


@reads
def every_case(
    session: Session,
    actor: Actor,
    calendar: WorkCalendar,
    today: dt.date,
    *,
    limit: int,
    offset: int,
) -> Listing:
    """Every case in the store, oldest first: the biggest list a lazy table could be given
    (no desk lists this; the real queues are measured beside it)."""
    ids = select(Case.id).order_by(Case.id).limit(limit).offset(offset)
    rows = queries._page(session, ids, (Case.id,))
    total = session.scalar(select(func.count()).select_from(Case)) or 0
    return Listing(badged(session, calendar, today, rows), total)


def stall_while_working(
    app: QApplication,
    runner: Runner,
    store: Store,
    backend: DeskBackend,
    clerk: DeskBackend,
    listing: Callable[..., Listing] = queue_listing,
) -> tuple[StallMeter, dict[str, int]]:
    """Background reads and writes while the UI scrolls a whole list; the meter watches."""
    meter = StallMeter()
    model = CaseListModel(runner)
    table = CaseTable(model, "benchStall", "队列")
    table.resize(1300, 650)
    table.show()
    calendar, today = backend.calendar, backend.today()
    model.set_fetch(
        lambda offset, limit: backend.run(listing, calendar, today, limit=limit, offset=offset)
    )
    counts = {"pages": 0, "searches": 0, "writes": 0, "rows": 0}
    with store.reader() as session:
        items = session.scalars(select(Item).where(Item.active)).all()
        dibao = next(i for i in items if i.name == "最低生活保障")
    catalog = bundled_catalog()
    dibao_spec = next(i for i in catalog.items if i.name == dibao.name)
    template = catalog.template_for(dibao_spec)
    required = [m.id for m in dibao_spec.materials if m.required]
    rng = random.Random(1)

    def walk_in_and_accept() -> None:
        change = clerk.act(
            intake.receive_walk_in,
            dibao.id,
            sample_form_data(template, rng),
            [intake.MaterialIn(k) for k in required],
        )
        clerk.act(decisions.accept, change.case_id)

    with meter.running():
        meter.phase = "first page"
        loaded: list[bool] = []
        model.loaded.connect(lambda: loaded.append(True))
        pump_until(app, lambda: bool(loaded))
        bar = table.verticalScrollBar()
        steps = 60
        for step in range(steps + 1):
            meter.phase = f"scroll step {step}"
            bar.setValue(bar.maximum() * step // steps)
            table.viewport().repaint()  # offscreen, paint as a screen would: rows ask for data
            app.processEvents()
            if step % 10 == 0:
                runner.write(walk_in_and_accept)
                counts["writes"] += 1
                runner.read(
                    lambda: backend.run(search_listing, calendar, today, "王"),
                )
                counts["searches"] += 1
            pump_for(app, 0.01)
        meter.phase = "waiting for the writes"
        pump_until(app, lambda: runner.pending == 0, timeout=120)
        counts["pages"] = model.pages_requested
        meter.phase = "reloading the list"
        model.reload()
        pump_until(app, lambda: runner.pending == 0, timeout=120)
        counts["rows"] = model.total
    table.close()
    return meter, counts


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def p99(gaps: list[float]) -> float:
    ordered = sorted(gaps)
    return ordered[int(len(ordered) * 0.99)] if ordered else 0.0


def measure_store(
    app: QApplication,
    label: str,
    store: Store,
    launch_args: list[str],
    env: dict[str, str],
    *,
    launches: int = 5,
    stall_runs: int = 3,
) -> None:
    print(f"\n== {label} ==")
    print_launches(launch_to_login(launch_args, launches, env))
    with store.reader() as session:
        calendar = work_calendar(session)
    freeze_long_lived()  # as the app does once the store is open and again after sign-in
    runner = Runner()
    for role in (Role.APPROVER, Role.SUPERVISOR, Role.CLERK):
        backend = DeskBackend(store, calendar, actor_for(store, role))
        times = []
        total = 0
        for _ in range(5):
            elapsed, total = queue_on_screen(app, runner, backend)
            times.append(elapsed)
        print(
            f"queue on screen, {role.label}: median {ms(statistics.median(times[1:]))}, "
            f"max {ms(max(times[1:]))} ({total:,} cases in the queue; target 300 ms)"
        )
    supervisor = DeskBackend(store, calendar, actor_for(store, Role.SUPERVISOR))
    clerk = DeskBackend(store, calendar, actor_for(store, Role.CLERK))
    for label, listing in (("the supervisor's queue", queue_listing), ("every case", every_case)):
        longest, p99s = [], []
        for run in range(stall_runs):
            start = time.perf_counter()
            meter, counts = stall_while_working(app, runner, store, supervisor, clerk, listing)
            longest.append(meter.longest)
            p99s.append(p99(meter.gaps))
            print(
                f"UI thread while scrolling {label} ({counts['rows']:,} rows at the end) top to "
                f"bottom in 60 jumps with {counts['writes']} walk-in+accept writes, "
                f"{counts['searches']} searches and {counts['pages']} page fetches in the "
                f"background ({ms(time.perf_counter() - start)} in all), run {run + 1}: longest "
                f"stall {ms(meter.longest)} (during: {meter.worst[1]}), p99 tick gap "
                f"{ms(p99s[-1])}"
            )
        print(
            f"  longest UI stall over {label}: {_spread(longest)}; p99 {_spread(p99s)} "
            f"({stall_runs} runs; target: no stall over 50 ms)"
        )
    runner.shutdown()
    print(f"peak RSS of this process so far: {rss_mib():,.0f} MiB")


def _quiet_offscreen(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """The offscreen platform's size-hint notice is noise here; everything else is shown."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="a benchmarks.build_store --out directory")
    parser.add_argument("--demo-only", action="store_true")
    parser.add_argument("--launches", type=int, default=5, help="bare/login pairs (default 5)")
    parser.add_argument("--stall-runs", type=int, default=3, help="per list (default 3)")
    args = parser.parse_args(argv)
    qInstallMessageHandler(_quiet_offscreen)
    guard_singletons()  # as the program does at start (ui/refcounts.py)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    install_bundled_fonts(app)

    worst, worst_time, all_times = largest_form(app)
    print(
        f"form rendered (build + show + paint), median of 4: largest is “{worst}” "
        f"{ms(worst_time)}; all {len(all_times)} forms {ms(all_times[0])}–{ms(all_times[-1])} "
        "(target 100 ms)"
    )

    with tempfile.TemporaryDirectory(prefix="onewindow-bench-") as tmp:
        env = launch_env(Path(tmp) / "pycache")
        data_dir = Path(tmp) / "demo"
        demo_args = ["--demo", "--data-dir", str(data_dir)]
        cold_bare = bare_window(env)
        first = login_window(demo_args, env)
        print(
            f"\nfirst launches (bytecode compiled, demo seeded): bare window "
            f"{ms(cold_bare.shown)}; login window shown {ms(first.shown)}, usable (300 cases "
            f"seeded) {ms(first.ready)}"
        )
        runs = {"launches": args.launches, "stall_runs": args.stall_runs}
        store = open_store(data_dir, demo.demo_key_file(data_dir))
        try:
            ensure_demo_centre(store)
            measure_store(app, "demo centre (300 cases)", store, demo_args, env, **runs)
        finally:
            store.close()
        if args.store and not args.demo_only:
            data_dir, key_file = store_paths(args.store)
            store = open_store(data_dir, key_file)
            try:
                measure_store(
                    app,
                    f"store of {args.store.name}",
                    store,
                    ["--data-dir", str(data_dir), "--key-file", str(key_file)],
                    env,
                    **runs,
                )
            finally:
                store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
