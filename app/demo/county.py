"""The demo's county: for ``onewindow --demo``, the county service runs beside the app on
loopback, and this workstation is activated against it.

Who runs it. The demo's front window (W01, the workstation that holds the seeded centre) starts
the demo county — ``onewindow-county serve`` as a subprocess over a SQLite store in its own data
directory (``county/county.db``, filled by ``init-demo`` the first time), with the demo county
clerk — on 127.0.0.1 at a fixed demo port, and the county stops when that window exits (the
county watches the pipe to its standard input: a crash of the window stops it too). Reopening
the same W01 data directory starts the county again over the same store. The other demo
workstations (``--workstation W02`` / ``V01``) never start one: they look for it at the demo port
and wait for it, and go on offline (as any workstation does) while W01 is closed.

A W01 never uses a county it did not start from its own data directory: two W01 stores on one
county would each send their own seeded centre (the same 收件号, other cases).

Activation takes the one-time code from the county's store directly (``onewindow-county
activation-code``): it is the demo. A store that is already activated against the demo county
is left as it is.

Everything here blocks (subprocesses, the network): run it off the UI thread.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
from pydantic import BaseModel, ValidationError

from app import settings
from app.demo.stations import COUNTY_OWNER, DEMO_CLERK_SECONDS, DEMO_COUNTY_PORT
from app.errors import AppError
from app.sync.credential import NoCredential, load_secret, secret_file
from app.sync.session import activate
from db.store import Store

DEMO_ENDPOINT = "/demo"
COUNTY_STORE = Path("county") / "county.db"
START_TIMEOUT_S = 90.0
FIND_EVERY_S = 2.0


class DemoCountyError(AppError):
    code = "E311"


class DemoCountyInfo(BaseModel):
    """What ``GET /demo`` of the demo county answers."""

    county_name: str
    database: str  # the store's URL, for taking activation codes from it
    clerk_delay: float


def county_database(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / COUNTY_STORE).resolve().as_posix()}"


def county_url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def county_command(*args: str) -> list[str]:
    """``onewindow-county ARGS`` run by this very Python — or, in the frozen build, by its
    console executable, which takes ``-m county.cli`` to mean the county's command line
    (``build_scripts/entry.py``)."""
    if getattr(sys, "frozen", False):
        console = "onewindow-cli.exe" if sys.platform == "win32" else "onewindow-cli"
        return [str(Path(sys.executable).with_name(console)), "-m", "county.cli", *args]
    return [sys.executable, "-m", "county.cli", *args]


# A console child of the windowed executable opens no console window of its own (Windows).
NO_WINDOW = getattr(subprocess, "CREATE_NO_WINDOW", 0)


def probe(url: str) -> DemoCountyInfo | None:
    """The demo county answering at ``url``; None when nothing listens there. Something else
    listening there is a :class:`DemoCountyError`."""
    try:
        answer = httpx.get(f"{url}{DEMO_ENDPOINT}", timeout=3)
    except httpx.HTTPError:
        return None
    try:
        answer.raise_for_status()
        return DemoCountyInfo.model_validate(answer.json())
    except (httpx.HTTPError, ValueError, ValidationError):
        raise DemoCountyError(
            f"演示县级服务的端口已被其他程序占用（{url}）：本窗口离线办理。"
        ) from None


@dataclass(frozen=True)
class DemoCounty:
    url: str
    info: DemoCountyInfo
    started_here: bool


class DemoCountyLink:
    """The demo county and this workstation's activation, on a thread of its own.

    :meth:`start` at launch (the county starts while the store opens), :meth:`store_opened`
    once the store is open (then the workstation is activated), :meth:`stop` at exit (stops the
    county if this window started it). ``workstation`` None: a reopened data directory, whose
    store says which workstation it is (the county then starts once the store is open).
    ``done(message, failed)`` is called once, from that thread: the line to show, and whether
    it failed (the window then works offline)."""

    def __init__(
        self,
        data_dir: Path,
        workstation: str | None,
        *,
        port: int = DEMO_COUNTY_PORT,
        clerk_delay: float = DEMO_CLERK_SECONDS,
        done: Callable[[str, bool], None] | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.workstation = workstation
        self.port = port
        self.clerk_delay = clerk_delay
        self.done = done or (lambda message, failed: None)
        self.county: DemoCounty | None = None
        self._store: Store | None = None
        self._store_ready = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._children: list[subprocess.Popen[bytes]] = []
        self._server: subprocess.Popen[bytes] | None = None
        self._thread = threading.Thread(target=self.run, name="demo-county", daemon=True)

    def start(self) -> None:
        """:meth:`run` on a thread of its own."""
        self._thread.start()

    def store_opened(self, store: Store) -> None:
        self._store = store
        self._store_ready.set()

    def stop(self) -> None:
        """Stop the county this window started (and anything still starting); waits for it."""
        with self._lock:
            self._stopping.set()
            children = list(self._children)
        self._store_ready.set()
        for child in children:
            _stop_process(child)
        if self._thread.ident is not None:
            self._thread.join(30)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the thread to be done (activated, failed or stopped)."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def run(self) -> None:
        """Bring the county up (or find it), then activate once the store is open; blocks."""
        try:
            if self.workstation is None:  # a data directory reopened: the store says which
                self._store_ready.wait()
                if self._stopping.is_set() or self._store is None:
                    return
                with self._store.reader() as session:
                    self.workstation = settings.WORKSTATION_CODE.get(session)
            county = self._bring_up()
            if county is None:
                return
            self.county = county
            self._store_ready.wait()
            if self._stopping.is_set() or self._store is None:
                return
            activated = activate_demo(self._store, county)
            name = county.info.county_name
            self.done(
                f"已在{name}激活本工作站（{county.url}）"
                if activated
                else f"已连接{name}（{county.url}）",
                False,
            )
        except AppError as error:
            if not self._stopping.is_set():
                self.done(error.message, True)
        except OSError as error:  # the county command could not be run at all
            if not self._stopping.is_set():
                self.done(f"无法启动演示县级服务：{error}", True)

    def _bring_up(self) -> DemoCounty | None:
        url = county_url(self.port)
        if self.workstation != COUNTY_OWNER:
            while not self._stopping.is_set():
                info = probe(url)
                if info is not None:
                    return DemoCounty(url, info, started_here=False)
                self._stopping.wait(FIND_EVERY_S)
            return None
        database = county_database(self.data_dir)
        info = probe(url)
        if info is not None:
            if info.database == database:  # left from this data directory's last window
                return DemoCounty(url, info, started_here=False)
            raise DemoCountyError(
                f"端口 {self.port} 上已有另一个演示中心的县级服务在运行：本窗口不连接它，"
                "离线办理。请先关闭另一个演示窗口（W01），再重新启动演示。"
            )
        (self.data_dir / COUNTY_STORE).parent.mkdir(parents=True, exist_ok=True)
        if self._call("init-demo", "--database", database) is None:
            return None
        server = self._spawn(
            county_command(
                "serve",
                "--database",
                database,
                "--port",
                str(self.port),
                "--demo-clerk",
                f"{self.clerk_delay:g}",
                "--until-stdin-closes",
            ),
            stdin=subprocess.PIPE,
            stdout=None,
            stderr=None,
        )
        if server is None:
            return None
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._stopping.is_set():
            info = probe(url)
            if info is not None:
                return DemoCounty(url, info, started_here=True)
            if server.poll() is not None:
                raise DemoCountyError(
                    f"演示县级服务未能启动（退出码 {server.returncode}）：本窗口离线办理。"
                )
            if time.monotonic() > deadline:
                raise DemoCountyError("演示县级服务启动超时：本窗口离线办理。")
            self._stopping.wait(0.2)
        return None

    def _call(self, *args: str) -> str | None:
        """Run one county command to its end; its standard output, or None when stopping."""
        child = self._spawn(
            county_command(*args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=None
        )
        if child is None:
            return None
        out, _ = child.communicate()
        with self._lock:
            self._children.remove(child)
        if self._stopping.is_set():
            return None
        if child.returncode != 0:
            raise DemoCountyError(
                f"演示县级服务的命令 {args[0]} 未能完成（退出码 {child.returncode}）。"
            )
        return out.decode("utf-8", "replace")

    def _spawn(
        self, command: list[str], *, stdin: int, stdout: int | None, stderr: IO[bytes] | None
    ) -> subprocess.Popen[bytes] | None:
        with self._lock:
            if self._stopping.is_set():
                return None
            child = subprocess.Popen(
                command, stdin=stdin, stdout=stdout, stderr=stderr, creationflags=NO_WINDOW
            )
            self._children.append(child)
            return child


def _stop_process(child: subprocess.Popen[bytes]) -> None:
    """Close its standard input (the demo county stops on its own), then insist."""
    if child.stdin is not None:
        child.stdin.close()
    try:
        child.wait(10)
    except subprocess.TimeoutExpired:
        child.terminate()
        try:
            child.wait(5)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def activate_demo(store: Store, county: DemoCounty) -> bool:
    """Activate this workstation against the demo county unless it already is; True if it was
    activated now. The code comes from the county's store, as only the demo may."""
    with store.reader() as session:
        current = settings.COUNTY_URL.get(session)
        town = settings.TOWN_CODE.get(session)
        station = settings.WORKSTATION_CODE.get(session)
    point_receipts_at(store, county)
    if current == county.url:
        try:
            load_secret(store.store_id, secret_file(store))
            return False
        except NoCredential:
            pass
    code = activation_code(county.info.database, town, station)
    activate(store, county.url, code)
    return True


def point_receipts_at(store: Store, county: DemoCounty) -> None:
    """The demo's receipts carry the demo county's progress page (its QR code opens the case
    there, on this PC), unless someone set another address; a restarted demo county may sit on
    another port, so a loopback address is followed."""
    page = f"{county.url}/progress"
    with store.session() as session, session.begin():
        current = settings.PROGRESS_URL.get(session)
        if current != page and (not current or current.startswith("http://127.0.0.1:")):
            settings.PROGRESS_URL.set(session, page)


def activation_code(database: str, town: str, station: str) -> str:
    """A one-time code for ``station``, from the county's store (``activation-code``)."""
    result = subprocess.run(
        county_command(
            "activation-code", "--database", database, "--centre", town, "--workstation", station
        ),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
        creationflags=NO_WINDOW,
    )
    lines = result.stdout.decode("utf-8", "replace").strip().splitlines()
    if result.returncode != 0 or not lines:
        detail = result.stderr.decode("utf-8", "replace").strip()
        raise DemoCountyError(f"未能从演示县级库取得工作站 {station} 的激活码：{detail}")
    return lines[-1].strip()
