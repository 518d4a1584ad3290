"""``onewindow --version``: pyproject's version and the commit, from a checkout and from the
frozen build's ``build_info.json``."""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

import pytest

from app import version as v
from app.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_the_checkout_prints_pyprojects_version_and_its_commit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    expected = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"一窗通 OneWindow {expected['version']}（提交 ")
    commit = line.removeprefix(f"一窗通 OneWindow {expected['version']}（提交 ").rstrip("）")
    assert commit == v.git_commit(ROOT) and commit  # a hash (+ when changed) or "unknown"


def test_the_frozen_build_reads_what_was_stamped_into_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "resources").mkdir()
    info = {"version": "9.8.7", "commit": "abc1234", "built_at": "2026-12-02T00:00:00+00:00"}
    (tmp_path / v.BUILD_INFO).write_text(json.dumps(info), encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert v.current() == v.Version("9.8.7", "abc1234")
    assert v.current().line() == "一窗通 OneWindow 9.8.7（提交 abc1234）"


def test_no_git_means_an_unknown_commit_not_an_error(tmp_path: Path) -> None:
    assert v.git_commit(tmp_path) == v.UNKNOWN  # not a checkout
