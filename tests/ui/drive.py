"""Driving widgets as a clerk does, shared by the desk tests."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QTableWidget, QWidget

from ui.desk_base import Desk, DeskEnv
from ui.main_window import MainWindow


def commit_text(widget: QWidget, text: str) -> None:
    """Type ``text`` as a 拼音 input method commits it (QTest can only type Latin-1 key by key):
    the widget takes the focus as from a click, then receives the commit."""
    widget.setFocus(Qt.FocusReason.MouseFocusReason)
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def cell(table: QTableWidget, row: int, column: int) -> str:
    """The text of a table cell that must be there."""
    item = table.item(row, column)
    assert item is not None, (row, column)
    return item.text()


def main_window(env: DeskEnv, desks: list[Desk], *, idle_lock_ms: int = 600_000) -> MainWindow:
    """The signed-in window around ``desks``, as the session builds it (not yet shown)."""
    return MainWindow(
        env,
        desks,
        centre_name="测试中心",
        store_text="本地数据库",
        store_tip="",
        demo=False,
        idle_lock_ms=idle_lock_ms,
    )
