"""The village picker of an address's 区划代码: type a name (东湖), pinyin initials (``dhc``) or
digits of the code, and pick from a popup list of 名称 · 乡镇 · 代码; the field then holds the
12-digit code and the village's name shows beside it. Typing the 12 digits still works.

Keyboard: the popup opens as the clerk types, with the best match highlighted; Up/Down move,
Enter (or Tab) picks, Esc closes it. The search is ``app.divisions`` (no Qt); this module only
shows it.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QEvent, QObject, QRect, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QStandardItem, QStandardItemModel, QWindow
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeView,
)

from app.divisions.model import Division
from app.divisions.policy import CentreDivisions

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
#: Rows the popup shows before it scrolls.
VISIBLE_ROWS = 8
_COLUMNS = ("名称", "乡镇", "代码")


class DivisionPicker(QObject):
    """Attaches the picker to ``edit`` (the 区划代码 line edit) and keeps ``name_label`` showing
    the name of the code in the edit."""

    picked = Signal(str)  # the 12-digit code chosen from the list

    def __init__(self, edit: QLineEdit, name_label: QLabel, divisions: CentreDivisions) -> None:
        super().__init__(edit)
        self.edit = edit
        self.name_label = name_label
        self.divisions = divisions
        self.model = QStandardItemModel(0, len(_COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(_COLUMNS))

        self.popup = QTreeView()
        self.popup.setObjectName(f"{edit.objectName()}_popup")
        self.popup.setAccessibleName(f"{edit.accessibleName()}候选列表")
        self.popup.setRootIsDecorated(False)
        self.popup.setUniformRowHeights(True)
        self.popup.setAllColumnsShowFocus(True)
        self.popup.setHeaderHidden(True)
        self.popup.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.popup.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.popup.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        # Attached with setWidget, not QLineEdit.setCompleter: the edit keeps what the clerk
        # typed while the highlight moves, and the list is filtered here, not by QCompleter.
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setPopup(self.popup)
        self.completer.setMaxVisibleItems(VISIBLE_ROWS)
        self.completer.setCompletionColumn(_COLUMNS.index("代码"))
        self.completer.setWidget(edit)
        self.completer.activated.connect(self._activated)  # the code column's text
        self.popup.installEventFilter(self)  # after the completer's: sees the keys first
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.focusWindowChanged.connect(self._focus_moved)

        edit.textEdited.connect(self._typed)
        edit.textChanged.connect(self._show_name)
        self._show_name(edit.text())

    # --- the list -----------------------------------------------------------------------------

    def shown(self) -> list[str]:
        """The codes the popup lists, in order."""
        return [
            str(self.model.item(row, 0).data(CODE_ROLE)) for row in range(self.model.rowCount())
        ]

    def is_open(self) -> bool:
        return self.popup.isVisible()

    def _typed(self, text: str) -> None:
        found = self.divisions.search(text)
        exact = len(found) == 1 and found[0].code == text.strip()
        if not found or exact:
            self._close()
            return
        self._fill(found)
        self.completer.complete(self._popup_rect())
        self.popup.setCurrentIndex(self.completer.completionModel().index(0, 0))

    def _fill(self, found: list[Division]) -> None:
        self.model.setRowCount(0)
        for division in found:
            cells = [QStandardItem(division.name), QStandardItem(division.town_name)]
            cells.append(QStandardItem(division.code))
            for cell in cells:
                cell.setData(division.code, CODE_ROLE)
                cell.setEditable(False)
                cell.setToolTip(f"{division.full_name}  {division.code}")
            self.model.appendRow(cells)

    def _popup_rect(self) -> QRect:
        """Under the edit, as wide as the columns need (at least as wide as the edit)."""
        widths = sum(self.popup.sizeHintForColumn(c) for c in range(len(_COLUMNS)))
        scroll = self.popup.verticalScrollBar().sizeHint().width()
        needed = widths + scroll + 2 * self.popup.frameWidth() + 8
        return QRect(0, 0, max(needed, self.edit.width()), self.edit.height())

    def _activated(self, code: str) -> None:
        if not code:
            return
        self._close()
        self.edit.setText(code)
        self.edit.setCursorPosition(len(code))
        self.picked.emit(code)

    def _close(self) -> None:
        """Hide the list as the clerk's keystroke asks. Where showing it took the window's
        activation (the offscreen platform does), give it back: the clerk types on."""
        was_open = self.popup.isVisible()
        self.popup.hide()
        focus = QGuiApplication.focusWindow()
        if was_open and focus is not None and focus == self.popup.windowHandle():
            self.edit.window().activateWindow()

    def _focus_moved(self, window: QWindow | None) -> None:
        """The activation the list asked for arrived after the list was closed (offscreen):
        give it back to the form's window."""
        stale = window is not None and window == self.popup.windowHandle()
        if stale and not self.popup.isVisible() and self.edit.isVisible():
            self.edit.window().activateWindow()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """On the open list: Tab picks the highlighted village as Enter does (QCompleter would
        hand Tab to the edit, which moves on and leaves the half-typed name); Esc closes the list
        through :meth:`_close` (QCompleter would too, but without giving the activation back)."""
        if watched is not self.popup or event.type() != QEvent.Type.KeyPress:
            return False
        key = cast(QKeyEvent, event).key()
        if key == Qt.Key.Key_Escape:
            self._close()
            return True
        current = self.popup.currentIndex()
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and current.isValid():
            self._activated(str(current.data(CODE_ROLE) or ""))
            return True
        return False

    # --- the name beside the code -------------------------------------------------------------

    def _show_name(self, text: str) -> None:
        division = self.divisions.find(text.strip())
        short = division is not None and division.town_code == self.divisions.town_code[:9]
        shown = (division.name if short else division.full_name) if division is not None else ""
        self.name_label.setText(shown)  # the centre's own town goes without saying
        self.name_label.setVisible(division is not None)
        self.name_label.setToolTip(f"{division.full_name}  {division.code}" if division else "")
