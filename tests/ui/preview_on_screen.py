"""Open a 受理通知书 preview on whatever screen the Qt platform gives this process, save a
screenshot and print where the dialog and its buttons are (JSON on stdout).

Run by ``test_preview_dialog.py`` in a child process whose offscreen platform is told the screen
size (``QT_QPA_PLATFORM=offscreen:configfile=…``): the screen of a process cannot change once
its QApplication exists.

    python -m tests.ui.preview_on_screen DATA_DIR SCREENSHOT.png
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import keyring
from PySide6.QtCore import QEventLoop, QRect, QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from app.cases import decisions
from app.printing.kinds import DocKind
from app.printing.service import build_document
from db.store import open_store
from tests.centre import make_centre
from tests.fakes import MemoryKeyring
from tests.ui.fake_dialogs import FakeDialogs
from ui.backend import DeskBackend
from ui.desk_base import DeskEnv
from ui.documents.preview_dialog import PreviewDialog
from ui.style import apply_style
from ui.worker import Runner


def _rect(rect: QRect) -> list[int]:
    return [rect.x(), rect.y(), rect.width(), rect.height()]


def main(data_dir: Path, screenshot: Path) -> dict[str, object]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_style(app)
    keyring.set_keyring(MemoryKeyring())
    store = open_store(data_dir)
    centre = make_centre(store)
    clerk = centre.actor("clerk")
    case_id = centre.walk_in("困难残疾人生活补贴").case_id
    decisions.accept(centre.ctx, clerk, case_id)
    doc = build_document(centre.ctx, clerk, case_id, DocKind.ACCEPTANCE_NOTICE)
    runner = Runner()
    env = DeskEnv(
        DeskBackend(store, centre.ctx.calendar, clerk, centre.clock), runner, FakeDialogs()
    )
    dialog = PreviewDialog(env, doc, "", fresh=True)
    dialog.show()
    loop = QEventLoop()
    QTimer.singleShot(800, loop.quit)  # the PDF view renders its pages in the background
    loop.exec()
    screen = dialog.screen()
    buttons = {
        b.objectName(): _rect(QRect(b.mapTo(dialog, b.rect().topLeft()), b.size()))
        for b in dialog.findChildren(QPushButton)
    }
    assert dialog.grab().save(str(screenshot))
    found: dict[str, object] = {
        "screen": _rect(screen.availableGeometry()),
        "frame": _rect(dialog.frameGeometry()),
        "inside": _rect(dialog.rect()),
        "buttons": buttons,
    }
    dialog.close()
    runner.shutdown()
    store.close()
    return found


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]))))
