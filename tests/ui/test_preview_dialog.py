"""The document preview fits the screen it opens on: on a 1366×768 screen its 打印 / 另存为 /
关闭 buttons are on screen (a first run found the dialog 900 px tall, its buttons off screen)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.cases import decisions
from app.printing.kinds import DocKind
from app.printing.service import build_document
from tests.centre import Centre
from tests.ui.screenshots import SCREENSHOT_DIR
from ui.desk_base import DeskEnv
from ui.documents.preview_dialog import FRAME, PREFERRED, PreviewDialog, fitted_size

ROOT = Path(__file__).resolve().parents[2]


def test_fitted_size_keeps_the_dialog_and_its_frame_on_the_screen() -> None:
    laptop = QRect(0, 0, 1366, 728)  # 1366×768 less a 40 px Windows taskbar
    size = fitted_size(laptop)
    assert size.height() + FRAME.top() + FRAME.bottom() <= 728
    assert size.width() == PREFERRED.width()
    assert size.height() >= 600  # still a readable page
    assert fitted_size(QRect(0, 0, 1920, 1040)) == PREFERRED  # room enough: as designed
    assert fitted_size(QRect(1920, 0, 1024, 738)).width() <= 1024 - FRAME.left() - FRAME.right()
    assert fitted_size(QRect(0, 0, 800, 600), QSize(700, 500)) == QSize(700, 500)


def test_the_preview_fits_the_screen_it_opens_on(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    """Under the offscreen platform the screen is 800×800: smaller than the 900 px the dialog
    used to ask for, whatever the screen."""
    clerk = centre.actor("clerk")
    case_id = centre.walk_in("困难残疾人生活补贴").case_id
    decisions.accept(centre.ctx, clerk, case_id)
    doc = build_document(centre.ctx, clerk, case_id, DocKind.ACCEPTANCE_NOTICE)
    dialog = PreviewDialog(desk_env("clerk"), doc, "", fresh=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    available = QGuiApplication.primaryScreen().availableGeometry()
    assert available.contains(dialog.frameGeometry()), (available, dialog.frameGeometry())
    assert dialog.height() + FRAME.top() + FRAME.bottom() <= available.height()
    for button in dialog.findChildren(QPushButton):
        place = QRect(button.mapTo(dialog, button.rect().topLeft()), button.size())
        assert dialog.rect().contains(place), button.objectName()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_on_a_real_screen_size_the_buttons_are_on_screen(
    tmp_path: Path, width: int, height: int
) -> None:
    """A child process whose offscreen screen is 1366×768 (or 1920×1080) opens the real
    dialog."""
    config = tmp_path / "screen.json"
    config.write_text(
        json.dumps(
            {
                "windowFrameMargins": True,
                "screens": [
                    {"name": "window-pc", "x": 0, "y": 0, "width": width, "height": height}
                    | {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
                ],
            }
        )
    )
    shot = SCREENSHOT_DIR / f"documents-preview-screen-{width}x{height}.png"
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    env = os.environ | {"QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.preview_on_screen", str(tmp_path / "data"), str(shot)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    screen, frame, inside = (QRect(*found[k]) for k in ("screen", "frame", "inside"))
    assert screen == QRect(0, 0, width, height)
    assert screen.contains(frame), (screen, frame)
    assert set(found["buttons"]) >= {"previewPrint", "previewSave", "previewClose"}
    for name, place in found["buttons"].items():
        assert inside.contains(QRect(*place)), name
    assert shot.exists()
    if height >= 1080:  # room enough: the size it was designed at
        assert (inside.width(), inside.height()) == (PREFERRED.width(), PREFERRED.height())
