"""The dashboard's period: 本月 / 上月 / 本周 / 今天 / 本年, or 自定义 with two dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QPushButton, QWidget

from app.errors import ValidationError
from app.reports.period import Period
from app.reports.presets import Preset, period_of

CUSTOM = "custom"


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class PeriodPicker(QWidget):
    """``changed`` carries the chosen :class:`Period`; a bad range says why (``refused``)."""

    changed = Signal(object)
    refused = Signal(str)

    def __init__(self, today: Callable[[], dt.date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.choice = QComboBox()
        self.choice.setObjectName("dashboardPeriod")
        self.choice.setAccessibleName("统计期间")
        for preset in Preset:
            self.choice.addItem(preset.label, preset.value)
        self.choice.addItem("自定义…", CUSTOM)
        self.start = QDateEdit()
        self.end = QDateEdit()
        for edit, name in ((self.start, "开始日期"), (self.end, "结束日期")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
        self.start.setObjectName("dashboardStart")
        self.end.setObjectName("dashboardEnd")
        self.apply = QPushButton("确定")
        self.apply.setObjectName("dashboardApply")
        self.apply.clicked.connect(self._custom_chosen)
        self.to = QLabel("至")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("统计期间："))
        for widget in (self.choice, self.start, self.to, self.end, self.apply):
            layout.addWidget(widget)
        self._show_dates(False)
        self.choice.currentIndexChanged.connect(self._chosen)

    def period(self) -> Period:
        """The period chosen now (a preset judged on today; the custom dates)."""
        data = self.choice.currentData()
        if data == CUSTOM:
            return Period(_date(self.start.date()), _date(self.end.date()))
        return period_of(Preset(data), self._today())

    def choose(self, preset: Preset) -> None:
        self.choice.setCurrentIndex(self.choice.findData(preset.value))

    def set_custom(self, start: dt.date, end: dt.date) -> None:
        self.choice.setCurrentIndex(self.choice.findData(CUSTOM))
        self.start.setDate(_qdate(start))
        self.end.setDate(_qdate(end))
        self._custom_chosen()

    def _show_dates(self, shown: bool) -> None:
        for widget in (self.start, self.to, self.end, self.apply):
            widget.setVisible(shown)

    def _chosen(self) -> None:
        custom = self.choice.currentData() == CUSTOM
        self._show_dates(custom)
        if custom:
            current = period_of(Preset.THIS_MONTH, self._today())
            self.start.setDate(_qdate(current.start))
            self.end.setDate(_qdate(self._today()))
            return  # until 确定
        self.changed.emit(self.period())

    def _custom_chosen(self) -> None:
        try:
            period = self.period()
        except ValidationError as error:
            self.refused.emit(str(error))
            return
        self.changed.emit(period)
