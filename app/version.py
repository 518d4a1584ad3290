"""The program's version: ``pyproject.toml``'s, and the git commit it was made from.

A frozen build carries both in ``build_info.json`` beside its resources (written by
``build_scripts/onewindow.spec``); a source checkout reads ``pyproject.toml`` and asks git; an
installed wheel has its package metadata and no commit."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from app.system.paths import resources_dir

BUILD_INFO = "build_info.json"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Version:
    version: str
    commit: str  # short hash, "unknown" when not known

    def line(self) -> str:
        return f"一窗通 OneWindow {self.version}（提交 {self.commit}）"


def current() -> Version:
    root = resources_dir().parent  # the bundle's folder, or the checkout
    bundled = root / BUILD_INFO
    if getattr(sys, "frozen", False) and bundled.is_file():
        info = json.loads(bundled.read_text(encoding="utf-8"))
        return Version(str(info["version"]), str(info["commit"]))
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        version = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
        return Version(str(version), git_commit(root))
    try:
        return Version(metadata.version("onewindow"), UNKNOWN)
    except metadata.PackageNotFoundError:
        return Version(UNKNOWN, UNKNOWN)


def git_commit(root: Path) -> str:
    """The checkout's commit (short; "+" when files are changed), or "unknown"."""
    try:
        head = _git(root, "rev-parse", "--short", "HEAD")
        dirty = _git(root, "status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return UNKNOWN
    return f"{head}+" if dirty else head or UNKNOWN


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, timeout=10, check=True
    )
    return done.stdout.strip()
