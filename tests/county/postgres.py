"""A throwaway PostgreSQL server for the county tests, and a database of its own for each test.

Once per test session: ``initdb`` into a temporary directory, ``pg_ctl start`` on 127.0.0.1 at a
free port (its unix socket in that directory too), and at the end ``pg_ctl stop`` and the
directory removed. The binaries are found through ``pg_config --bindir``, Debian's
/usr/lib/postgresql/<version>/bin or the PATH. PostgreSQL refuses to run as root: as root, the
server runs as the ``postgres`` system user (Debian's package makes it), which owns the directory.

Where PostgreSQL must be there the tests that need it fail, never skip: on CI (``CI`` set), under
``./dev test`` (it installs Debian's ``postgresql`` and sets ``ONEWINDOW_REQUIRE_POSTGRES``) and as
root on Debian (where ``./dev test`` installs it). Elsewhere a machine without it skips them, saying
so. Binaries that are there but do not start a server always fail the tests, with the server's log.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import psycopg
import pytest
from psycopg import sql

SUPERUSER = "onewindow"  # the cluster's own superuser (initdb -U), trusted on loopback only
SERVER_USER = "postgres"  # the system user the server runs as when the tests run as root
START_TRIES = 3  # a free port may be taken between finding it and the server binding it
#: Settings for a server whose data nobody keeps: no waiting for the disk.
FAST = ("fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=200")


def required() -> str | None:
    """Why this run must have PostgreSQL (None: it may skip the tests that need it)."""
    if os.environ.get("ONEWINDOW_REQUIRE_POSTGRES"):
        return "ONEWINDOW_REQUIRE_POSTGRES is set (./dev test)"
    if os.environ.get("CI"):
        return "CI is set"
    if sys.platform != "win32" and os.geteuid() == 0 and Path("/etc/debian_version").exists():
        return "root on Debian, where ./dev test installs it"
    return None


def find_bindir() -> Path | None:
    """The directory of the server's programs (initdb, pg_ctl), the newest version first."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config is not None:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=30
            ).stdout
            candidates.append(Path(out.strip()))
    debian = Path("/usr/lib/postgresql").glob("*/bin")
    candidates += sorted(debian, key=_version, reverse=True)
    initdb = shutil.which("initdb")
    if initdb is not None:
        candidates.append(Path(initdb).resolve().parent)
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    return None


def _version(bindir: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", bindir.parent.name))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class ServerUser:
    """The system user the server runs as (when the tests run as root)."""

    uid: int
    gid: int
    name: str


@dataclass
class PostgresServer:
    """A running throwaway cluster: databases made and dropped on demand."""

    bindir: Path
    root: Path
    port: int = 0
    as_user: ServerUser | None = None

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """One of the server's programs, as the server's user."""
        options: dict[str, Any] = {}
        if self.as_user is not None:
            options = {
                "user": self.as_user.uid,
                "group": self.as_user.gid,
                "extra_groups": [],
                "env": {**os.environ, "HOME": str(self.root), "USER": self.as_user.name},
            }
        return subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            **options,
        )

    def start(self) -> None:
        made = self._run(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "--no-sync",
            "--encoding=UTF8", "--locale=C",
        )  # fmt: skip
        if made.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{made.stdout}{made.stderr}")
        for _ in range(START_TRIES):
            self.port = _free_port()
            settings = " ".join(f"-c {setting}" for setting in FAST)
            socket_dir = shlex.quote(str(self.root))
            server_options = f"-h 127.0.0.1 -p {self.port} -k {socket_dir} {settings}"
            started = self._run(
                "pg_ctl", "start", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                "-o", server_options,
            )  # fmt: skip
            if started.returncode == 0:
                return
        log = self.log.read_text(errors="replace") if self.log.exists() else ""
        raise RuntimeError(f"pg_ctl start failed:\n{started.stdout}{started.stderr}\n{log[-3000:]}")

    def stop(self) -> None:
        if self.data.exists():
            self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w")

    def _admin(self) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True
        )

    def create_database(self, template: str | None = None) -> str:
        """A new empty database (or a copy of ``template``, which nobody may be connected to)."""
        name = f"county_{uuid.uuid4().hex[:16]}"
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with self._admin() as conn:
            conn.execute(statement)
        return name

    def drop_database(self, name: str) -> None:
        """Drop it, closing whatever connection a test left open to it (PostgreSQL 13+)."""
        with self._admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _unavailable(problem: str) -> NoReturn:
    why = required()
    if why is not None:
        pytest.fail(
            f"PostgreSQL is required here ({why}), but {problem}. `./dev test` installs Debian's "
            "postgresql package; elsewhere install a PostgreSQL server (initdb, pg_ctl).",
            pytrace=False,
        )
    pytest.skip(f"no PostgreSQL server here ({problem}); `./dev test` installs and starts one")


@contextlib.contextmanager
def throwaway_server() -> Iterator[PostgresServer]:
    bindir = find_bindir()
    if bindir is None:
        _unavailable("initdb and pg_ctl were not found (pg_config, /usr/lib/postgresql, PATH)")
    as_user = None
    if sys.platform != "win32" and os.geteuid() == 0:
        import pwd  # POSIX only

        try:
            entry = pwd.getpwnam(SERVER_USER)
        except KeyError:
            _unavailable(f"running as root, and there is no '{SERVER_USER}' user to run it as")
        as_user = ServerUser(entry.pw_uid, entry.pw_gid, entry.pw_name)
    root = Path(tempfile.mkdtemp(prefix="onewindow-pg-"))
    if as_user is not None:
        os.chown(root, as_user.uid, as_user.gid)
    server = PostgresServer(bindir, root, as_user=as_user)
    try:
        try:
            server.start()
        except (RuntimeError, OSError, subprocess.SubprocessError) as error:
            pytest.fail(f"PostgreSQL from {bindir} did not start: {error}", pytrace=False)
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """The session's throwaway PostgreSQL server (started by the first test that needs it)."""
    with throwaway_server() as server:
        yield server


@pytest.fixture
def postgres_url(postgres: PostgresServer) -> Iterator[str]:
    """A new empty database of the session's server, for one test; dropped after it."""
    name = postgres.create_database()
    yield postgres.url(name)
    postgres.drop_database(name)


BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def county_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty county database on each backend in turn: a SQLite file in the test's directory,
    then a PostgreSQL database of its own."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'county.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url
