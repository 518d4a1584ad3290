"""Small widget helpers the desks share: named buttons, line edits, read-only tables and
filling them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)


def push_button(
    text: str, object_name: str, *, accessible: str | None = None, tip: str = ""
) -> QPushButton:
    """A button with the stable object name tests use and an accessible name (its text unless
    given); ``tip`` becomes the tooltip."""
    button = QPushButton(text)
    button.setObjectName(object_name)
    button.setAccessibleName(text if accessible is None else accessible)
    if tip:
        button.setToolTip(tip)
    return button


def line_edit(
    object_name: str,
    accessible: str,
    placeholder: str = "",
    *,
    max_length: int | None = None,
    password: bool = False,
) -> QLineEdit:
    """A line edit with the stable object name and accessible name tests and screen readers use."""
    edit = QLineEdit()
    edit.setObjectName(object_name)
    edit.setAccessibleName(accessible)
    edit.setPlaceholderText(placeholder)
    if max_length is not None:
        edit.setMaxLength(max_length)
    if password:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def readonly_table(
    object_name: str,
    headers: Sequence[str],
    accessible: str = "",
    *,
    stretch: int | None = None,
    single: bool = False,
) -> QTableWidget:
    """Rows selected whole, never edited, columns sized to their contents; ``stretch`` is the
    column that takes the rest of the width (default: the last)."""
    table = QTableWidget(0, len(headers))
    table.setObjectName(object_name)
    if accessible:
        table.setAccessibleName(accessible)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def fill_table(
    table: QTableWidget, rows: Sequence[Sequence[str]], *, fit_rows: bool = True
) -> None:
    """Replace the table's rows with ``rows`` (one text a cell); ``fit_rows`` sizes each row to
    its wrapped text."""
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))
    if fit_rows:
        table.resizeRowsToContents()
