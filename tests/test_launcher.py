"""The real entry point, run as a process the way a newcomer runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from db.store import DB_NAME

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ONEWINDOW_SMOKE_TEST="1")
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "ui.launcher", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


DATA_DIR_LINE = "演示中心的数据目录："


def printed_data_dir(stderr: str) -> Path:
    """The data directory the demo says it uses (one line on stderr, before the window)."""
    (line,) = [line for line in stderr.splitlines() if line.startswith(DATA_DIR_LINE)]
    return Path(line.removeprefix(DATA_DIR_LINE).split("（")[0].strip())


def test_demo_launch_creates_an_encrypted_store_and_shows_the_window(tmp_path: Path) -> None:
    # No --data-dir: a fresh directory (under TMPDIR), which the demo names on stderr.
    result = _run("--demo", extra_env={"TMPDIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "login window shown" in result.stdout
    assert "login window ready" in result.stdout  # the store opened behind it
    data_dir = printed_data_dir(result.stderr)
    assert data_dir.parent == tmp_path and data_dir.name.startswith("onewindow-demo-")
    db_bytes = (data_dir / DB_NAME).read_bytes()
    assert not db_bytes.startswith(b"SQLite format 3")
    assert "最低生活保障".encode() not in db_bytes
    assert (data_dir / "DEMO-KEY-NOT-SECRET.key").exists()
    # A second launch on the same directory reopens it (key file, schema already at head), and
    # names the directory it was given.
    again = _run("--demo", "--data-dir", str(data_dir))
    assert again.returncode == 0, again.stderr
    assert printed_data_dir(again.stderr) == data_dir
    # The login button works (a glance: the key opens the store at head) before the sign-in
    # path has loaded behind it (ui/startup.py).
    assert again.stdout.index("login window ready") < again.stdout.index("sign-in loaded")


def test_launch_without_keyring_explains_the_way_forward(tmp_path: Path) -> None:
    result = _run(
        "--data-dir",
        str(tmp_path / "real"),
        extra_env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    )
    assert result.returncode == 1
    assert "没有可用的系统密钥环" in result.stderr
    assert "--key-file" in result.stderr
    assert not (tmp_path / "real" / DB_NAME).exists()
