"""What a person would see cut off on screen, found by measuring the live widgets.

``clipped(window)`` lists every visible widget whose text does not fit the room it was given:

- a button, check box or radio button narrower or lower than its size hint (the text is cut);
- a one-line label narrower than its text (unless it elides on purpose: the whole text in its
  tooltip), or a word-wrapped label lower than its wrapped text needs;
- a line edit, combo box or spin box lower than its text needs;
- a tab whose title is squeezed (unless the tab's tooltip holds the full title);
- a widget standing out of its parent, so part of it is never painted — except inside a scroll
  area, whose content may be larger than what it shows (that is what the scroll bars are for).

Item views (tables, lists) elide cell text by design and are not looked into. Each entry names the
widget (its class and objectName or text) and the two sizes, so a failing assertion says what to
fix.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QWidget,
)

_SLACK = 1  # px: rounding between a hint and a laid-out size


def _name(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, QAbstractButton | QLabel):
        text = widget.text()[:24]
    return f"{type(widget).__name__}({widget.objectName() or text!r})"


def _in_item_view(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return False


def _scrolls(parent: QWidget) -> bool:
    """``parent`` is the viewport of a scroll area: its child may be larger than it."""
    area = parent.parentWidget()
    return isinstance(area, QAbstractScrollArea) and area.viewport() is parent


def _text_problem(widget: QWidget) -> str | None:
    width, height = widget.width(), widget.height()
    if isinstance(widget, QAbstractButton):
        hint = widget.sizeHint()
        if widget.text() and (width + _SLACK < hint.width() or height + _SLACK < hint.height()):
            return f"{width}×{height} < {hint.width()}×{hint.height()}"
    elif isinstance(widget, QLabel):
        if not widget.text() or not widget.pixmap().isNull():
            return None
        if widget.wordWrap():
            needed = widget.heightForWidth(width)
            if height + _SLACK < needed:
                return f"height {height} < {needed} for its wrapped text"
        else:
            hint = widget.sizeHint()
            if width + _SLACK < hint.width() and widget.text() not in widget.toolTip():
                return f"width {width} < {hint.width()}"
            if height + _SLACK < widget.minimumSizeHint().height():
                return f"height {height} < {widget.minimumSizeHint().height()}"
    elif isinstance(widget, QLineEdit | QComboBox | QAbstractSpinBox):
        if isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox):
            return None  # the box's own editor, inside its frame: the box is measured
        needed = widget.fontMetrics().height() + 2
        if height + _SLACK < needed:
            return f"height {height} < {needed}"
    elif isinstance(widget, QTabBar):
        for index in range(widget.count()):
            if widget.isTabVisible(index) and widget.tabText(index) not in widget.tabToolTip(index):
                got, wanted = widget.tabRect(index).width(), widget.tabSizeHint(index).width()
                if got + _SLACK < wanted:
                    return f"tab {widget.tabText(index)!r} {got} < {wanted}"
    return None


def _outside(widget: QWidget) -> str | None:
    parent = widget.parentWidget()
    if parent is None or _scrolls(parent) or widget.isWindow():
        return None
    inside = parent.rect().adjusted(-_SLACK, -_SLACK, _SLACK, _SLACK)
    if not inside.contains(widget.geometry()):
        g = widget.geometry()
        return (
            f"at {g.x()},{g.y()} {g.width()}×{g.height()} outside its parent "
            f"{_name(parent)} {parent.width()}×{parent.height()}"
        )
    return None


def clipped(window: QWidget) -> list[str]:
    """Every visible widget of ``window`` cut off on screen, described (empty when none is)."""
    problems: list[str] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.isWindow() or _in_item_view(widget):
            continue
        for problem in (_text_problem(widget), _outside(widget)):
            if problem is not None:
                problems.append(f"{_name(widget)}: {problem}")
    return problems
