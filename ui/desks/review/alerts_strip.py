"""The 审批台's alerts: a strip of counts over the queue (「临近到期 3 件 · 已超期 1 件 · 环节超时
2 件」; the supervisor's also the 收件 watchdog and overdue 差评整改), each a button that lists
its cases, and a banner that says once, without a dialog, which cases turned red or which steps
ran out (``app.alerts.notices``)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from app.alerts.desk_alerts import AlertKind, DeskAlerts
from ui.cases.list_model import STATUS_COLOURS

# The list's own deadline colours: yellow for nearly due, red for the rest (all are late).
_COLOURS = {
    AlertKind.NEARLY_DUE: STATUS_COLOURS["yellow"],
    AlertKind.OVERDUE: STATUS_COLOURS["red"],
    AlertKind.STEP_OVERDUE: STATUS_COLOURS["red"],
    AlertKind.WATCHDOG: STATUS_COLOURS["red"],
    AlertKind.RECTIFICATION_OVERDUE: STATUS_COLOURS["red"],
}
_BUTTON = (
    "QPushButton {{ background: {bg}; border: 1px solid #b0b0b0; border-radius: 3px;"
    " padding: 2px 8px; }}"
    " QPushButton:checked {{ border: 2px solid #1a4f8b; font-weight: bold; }}"
    " QPushButton:disabled {{ background: transparent; color: #555; border-color: #d0d0d0; }}"
)


class AlertStrip(QFrame):
    """``chosen`` carries the AlertKind whose cases the list should show, or None: the queue."""

    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deskAlerts")
        self.setAccessibleName("到期提醒")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 2)
        self._layout.setSpacing(6)
        self.title = QLabel("提醒：")
        self._layout.addWidget(self.title)
        self.buttons: dict[AlertKind, QPushButton] = {}
        self.everything = QPushButton("显示全部办件")
        self.everything.setObjectName("deskAlertsAll")
        self.everything.setVisible(False)
        self.everything.clicked.connect(lambda: self.choose(None))
        self._layout.addStretch(1)
        self._layout.addWidget(self.everything)
        self.current: AlertKind | None = None
        self.setVisible(False)  # until the first count is read

    def _button(self, kind: AlertKind) -> QPushButton:
        button = self.buttons.get(kind)
        if button is None:
            button = QPushButton()
            button.setObjectName(f"deskAlert_{kind.value}")
            button.setCheckable(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setStyleSheet(_BUTTON.format(bg=_COLOURS[kind]))
            button.clicked.connect(lambda _=False, k=kind: self.choose(k))
            self._layout.insertWidget(1 + len(self.buttons), button)
            self.buttons[kind] = button
        return button

    def show_alerts(self, alerts: DeskAlerts) -> None:
        for alert in alerts.alerts:
            button = self._button(alert.kind)
            button.setText(alert.text)
            button.setToolTip(f"{alert.text}：点击在列表中只显示这些办件")
            button.setAccessibleName(alert.text)
            button.setEnabled(alert.count > 0 or alert.kind is self.current)
        self.setVisible(bool(alerts.alerts))

    def choose(self, kind: AlertKind | None) -> None:
        self.mark(kind)
        self.chosen.emit(kind)

    def mark(self, kind: AlertKind | None) -> None:
        """Show which alert's cases are listed (None: the queue itself), without emitting."""
        self.current = kind
        for each, button in self.buttons.items():
            button.setChecked(each is kind)
        self.everything.setVisible(kind is not None)


class AlertBanner(QFrame):
    """A notice inside the desk (no dialog, no focus taken) until 知道了 is clicked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deskAlertBanner")
        self.setAccessibleName("超期通知")  # overdue and 环节超时
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setStyleSheet(
            "#deskAlertBanner { background: #f8d0cc; border: 1px solid #b3261e;"
            " border-radius: 3px; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.text = QLabel()
        self.text.setObjectName("deskAlertBannerText")
        self.text.setWordWrap(True)
        self.text.setStyleSheet("color: #8c1d18; font-weight: bold;")
        self.dismiss = QPushButton("知道了")
        self.dismiss.setObjectName("deskAlertBannerDismiss")
        self.dismiss.clicked.connect(self.hide)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.dismiss)
        self.setVisible(False)

    def announce(self, text: str) -> None:
        self.text.setText(text)
        self.text.setAccessibleName(text)
        self.setVisible(True)
