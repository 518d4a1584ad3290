"""The README is the newcomer's contract: its demo accounts and commands must be the real ones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.cli import build_parser
from app.demo.users import DEMO_PASSWORD, DEMO_USERS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_demo_user_and_the_password() -> None:
    assert f"`{DEMO_PASSWORD}`" in README
    for user in DEMO_USERS:
        assert f"`{user.username}`" in README, user.username
        assert user.display_name in README, user.display_name


def test_readme_commands_exist() -> None:
    """Every ``uv run onewindow GROUP ACTION`` line in the README parses (``--help`` exits 0)."""
    checked = 0
    for line in README.splitlines():
        if not line.startswith("uv run onewindow "):
            continue
        words = [w for w in line.split("#")[0].split()[3:] if not w.startswith("-")][:2]
        if not words:
            continue
        with pytest.raises(SystemExit) as leaving:
            build_parser().parse_args([*words, "--help"])
        assert leaving.value.code == 0, line
        checked += 1
    assert checked >= 8
    assert "./dev demo" in README and "./dev test" in README


def test_readme_and_docs_stand_on_their_own() -> None:
    """A clone has only this repository: no page sends the reader outside it, and every
    repository path a page names in backticks exists."""
    root = Path(__file__).resolve().parent.parent
    pages = [root / "README.md", *sorted((root / "docs").glob("*.md"))]
    pages.append(root / "benchmarks" / "README.md")
    made_by_runs = {line.strip().strip("/") for line in (root / ".gitignore").read_text().split()}
    missing = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "../shared" not in text and "DESIGN.md" not in text, page.name
        for path in re.findall(r"`((?:app|ui|db|tests|benchmarks|resources)/[\w/.-]+)`", text):
            # a file or folder, or ``ui/worker.Runner``: a name in the module ui/worker.py
            module = path.rsplit(".", 1)[0] + ".py"
            if path.strip("/") in made_by_runs:
                continue  # an output folder, made when the scripts run
            if not ((root / path).exists() or (root / module).exists()):
                missing.append(f"{page.name}: {path}")
    assert missing == []
