"""Room for a tall pane on a small screen: 150 % scaling on a 1366×768 PC leaves the program
911×512 logical pixels, less than some panes need. Inside ``scrolled(pane)`` such a pane keeps
its natural size and scrolls instead of stretching the window past the screen's edge."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget, QWidget


def scrolled(pane: QWidget, name: str = "") -> QScrollArea:
    """``pane`` in a frameless scroll area that widens it to the room there is (scroll bars only
    when the room is smaller than the pane's minimum size)."""
    area = QScrollArea()
    area.setObjectName(name or f"{pane.objectName()}Scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(pane)
    return area


class ScrollingTabs(QTabWidget):
    """Tabs whose tall panes scroll (``add_scrolled``); ``setCurrentWidget`` and ``indexOf`` take
    the pane itself as well as its scroll area."""

    def add_scrolled(self, pane: QWidget, label: str) -> int:
        return self.addTab(scrolled(pane), label)

    def indexOf(self, widget: QWidget) -> int:  # noqa: N802 (Qt's name)
        for index in range(self.count()):
            page = self.widget(index)
            if page is widget or (isinstance(page, QScrollArea) and page.widget() is widget):
                return index
        return -1

    def setCurrentWidget(self, widget: QWidget) -> None:  # noqa: N802 (Qt's name)
        index = self.indexOf(widget)
        if index >= 0:
            self.setCurrentIndex(index)
