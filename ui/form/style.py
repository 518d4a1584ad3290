"""Colours and small label factories shared by the form and the materials checklist.

Colours are set through palettes made once, never through per-widget style sheets, so that
building a form and re-validating a field as the clerk types stay cheap.
"""

from __future__ import annotations

from functools import cache
from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QLabel, QWidget

ERROR_COLOR: Final = "#c62828"
WARNING_COLOR: Final = "#e65100"
HELP_COLOR: Final = "#6b6b6b"

ERROR: Final = "error"
WARNING: Final = "warning"

STAR: Final = f' <span style="color:{ERROR_COLOR}">*</span>'


def label_html(text: str, required: bool) -> str:
    """A field label, with a red * when the field is required."""
    plain = text.replace("&", "&amp;").replace("<", "&lt;")
    return plain + STAR if required else plain


def _palette(color: str) -> QPalette:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(color))
    palette.setColor(QPalette.ColorRole.Text, QColor(color))
    return palette


@cache
def palettes() -> dict[str, QPalette]:
    """Text palettes by purpose: "error", "warning", "help"."""
    return {
        ERROR: _palette(ERROR_COLOR),
        WARNING: _palette(WARNING_COLOR),
        "help": _palette(HELP_COLOR),
    }


def small_font(widget: QWidget) -> QFont:
    font = QFont(widget.font())
    size = font.pointSizeF()
    if size > 0:
        font.setPointSizeF(max(size - 1.0, 7.0))
    return font


def help_label(text: str, parent: QWidget | None = None) -> QLabel:
    """The small grey line under a field or a material."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setPalette(palettes()["help"])
    label.setFont(small_font(label))
    return label


def problem_label(parent: QWidget | None = None) -> QLabel:
    """The inline message under a field; hidden while it has nothing to say."""
    label = QLabel(parent)
    label.setObjectName("fieldProblem")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.hide()
    return label


def show_problem(label: QLabel, severity: str, message: str) -> None:
    label.setText(message)
    label.setPalette(palettes()[severity])
    label.setProperty("severity", severity)
    label.setAccessibleName("错误提示" if severity == ERROR else "提醒")
    label.setVisible(bool(message))
