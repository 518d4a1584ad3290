"""Window PCs at 125 % and 150 % scaling, and staff with 特大 text: the main screens at 1366×768
and 1920×1080 fit the screen and nothing on them is cut off.

Qt's scale factor is fixed when the QApplication is made, so each screen size and scale runs
``tests/ui/scaled_screens.py`` with pytest in a child process (its docstring says how); that
module signs every desk's user in, measures each screen (``tests/ui/clipping.py``) and saves
``screenshots/<screen>-<size>-x<scale>.png``. Here the child's verdict is checked and each
PNG is the physical screen's size: 150 % of a 911×512 logical window is the 1366×768 screen.
"""

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
SCREENS = ("login", "intake", "review", "queue", "admin-settings")
RUNS = [
    pytest.param(size, scale, "standard", id=f"{size}-x{scale}")
    for size in ("1366x768", "1920x1080")
    for scale in ("1", "1.25", "1.5")
] + [pytest.param("1366x768", "1", "largest", id="1366x768-x1-text-largest")]


@pytest.mark.parametrize(("size", "scale", "text"), RUNS)
def test_the_main_screens_fit_the_screen(tmp_path: Path, size: str, scale: str, text: str) -> None:
    width, height = (int(n) for n in size.split("x"))
    config = tmp_path / "screen.json"
    screen = {"name": "window-pc", "x": 0, "y": 0, "width": width, "height": height}
    config.write_text(
        json.dumps({"screens": [screen | {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})
    )
    env = os.environ | {
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "QT_SCALE_FACTOR": scale,
        "QT_SCALE_FACTOR_ROUNDING_POLICY": "PassThrough",  # 1.25 stays 1.25
        "ONEWINDOW_SCREEN": size,
        "ONEWINDOW_TEXT_SIZE": text,
    }
    suffix = "" if text == "standard" else f"-text-{text}"
    shots = {name: SCREENSHOT_DIR / f"{name}-{size}-x{scale}{suffix}.png" for name in SCREENS}
    for shot in shots.values():
        shot.unlink(missing_ok=True)  # an earlier run's file proves nothing
    module = ROOT / "tests" / "ui" / "scaled_screens.py"
    pytest_args = ["-q", "-p", "no:randomly", "-p", "no:cacheprovider"]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            *pytest_args,
            "--basetemp",
            str(tmp_path / "run"),
            str(module),
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
    for name, shot in shots.items():
        image = QImage(str(shot))
        assert not image.isNull(), name
        if name != "login":  # the login window keeps its own size; the others fill the screen
            assert abs(image.width() - width) <= 1 and abs(image.height() - height) <= 1, (
                name,
                image.size(),
            )
