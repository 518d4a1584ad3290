"""The 评价器 on real screen setups: with a second screen it opens there, full screen and
frameless, and the clerk's window stays usable; with one screen the resident-facing dialog opens
over the clerk's window. Qt reads its screens once per process, so each setup runs
``tests/ui/evaluation_screens.py`` in a child process (its docstring says how), which fails
naming anything cut off; here its verdict is checked and each screenshot is the size of the
resident's screen (the window) or fits it (the dialog)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.ui.screenshots import SCREENSHOT_DIR

ROOT = Path(__file__).resolve().parents[2]
SETUPS = ("1366x768+1920x1080", "1920x1080+1366x768", "1366x768", "1920x1080")


def _screens(setup: str) -> list[dict[str, object]]:
    screens: list[dict[str, object]] = []
    x = 0
    for number, size in enumerate(setup.split("+")):
        width, height = (int(n) for n in size.split("x"))
        name = "clerk" if number == 0 else "resident"
        screens.append(
            {"name": name, "x": x, "y": 0, "width": width, "height": height}
            | {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
        )
        x += width
    return screens


@pytest.mark.parametrize("setup", SETUPS)
def test_the_resident_rates_on_each_screen_setup(tmp_path: Path, setup: str) -> None:
    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": _screens(setup)}))
    kind = "window" if "+" in setup else "dialog"
    resident = setup.split("+")[-1]
    states = ("", "-reasons", "-thanks") + (("-welcome",) if kind == "window" else ())
    shots = [SCREENSHOT_DIR / f"evaluation-{kind}{state}-{resident}.png" for state in states]
    for shot in shots:
        shot.unlink(missing_ok=True)  # an earlier run's file proves nothing
    env = os.environ | {
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "ONEWINDOW_RATING_SCREENS": setup,
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:hypothesispytest",  # its late import warns (an error here) in a bare child
            "--basetemp",
            str(tmp_path / "run"),
            str(ROOT / "tests" / "ui" / "evaluation_screens.py"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "1 passed" in done.stdout, done.stdout[-2000:]
    width, height = (int(n) for n in resident.split("x"))
    for shot in shots:
        image = QImage(str(shot))
        assert not image.isNull(), shot.name
        if kind == "window":  # the whole resident's screen
            assert (image.width(), image.height()) == (width, height), shot.name
        else:  # a dialog inside the clerk's screen
            assert image.width() <= width and image.height() <= height, shot.name
