"""代办台 › 代办委托书: register a signed 代办委托书 (the resident, the delegated items, until
when, whether results may be collected) and list the agent's own, ID numbers masked."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.cases import intake
from app.cases.proxy import AuthorizationRow
from app.catalog import service as catalog_service
from app.catalog.service import ItemSummary
from app.errors import AppError, ValidationError
from ui.desk_base import Desk
from ui.widgets import fill_table, line_edit, readonly_table

HEADERS = ("委托书编号", "委托人", "身份证号", "委托事项", "有效期至", "可代领", "状态")
ITEMS_COLUMN = HEADERS.index("委托事项")
VALID_COLUMN = HEADERS.index("有效期至")
DEFAULT_MONTHS = 6  # the usual period a resident signs for


def _items_cell(row: AuthorizationRow) -> str:
    """The delegated items on one line, their number first when there are several."""
    if len(row.items) > 1:
        return f"{len(row.items)} 项：{row.items_text}"
    return row.items_text


def items_tip(row: AuthorizationRow) -> str:
    """Every delegated item, one a line (the table shows them elided)."""
    lines = [f"{n}. {item.name}" for n, item in enumerate(row.items, 1)]
    return f"{row.authorization_no} 委托事项（{len(row.items)} 项）：\n" + "\n".join(lines)


class AuthorizationsPane(QWidget):
    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.setObjectName("proxyAuthorizations")
        self.desk = desk
        self.rows: list[AuthorizationRow] = []

        self.name = line_edit("residentName", "委托人姓名", "与身份证一致", max_length=50)
        self.id_number = line_edit(
            "residentIdNumber", "委托人身份证号", "18位居民身份证号", max_length=18
        )
        self.phone = line_edit(
            "residentPhone", "委托人联系电话", "手机或带区号的固定电话", max_length=20
        )
        self.items_filter = line_edit(
            "delegatedItemsFilter", "筛选事项", "筛选：名称或拼音首字母", max_length=30
        )
        self.items_filter.textChanged.connect(self._filter_items)
        self.items = QListWidget()
        self.items.setObjectName("delegatedItems")
        self.items.setAccessibleName("委托事项")
        self.items.setMinimumHeight(140)
        self.items.itemChanged.connect(lambda _item: self._count_items())
        self.items_count = QLabel()
        self.items_count.setObjectName("delegatedItemsCount")
        self.valid_until = QDateEdit()
        self.valid_until.setObjectName("validUntil")
        self.valid_until.setAccessibleName("委托期限至")
        self.valid_until.setCalendarPopup(True)
        self.valid_until.setDisplayFormat("yyyy-MM-dd")
        self.may_collect = QCheckBox("可代领办理结果")
        self.may_collect.setObjectName("mayCollect")
        self.may_collect.setAccessibleName("可代领办理结果")
        self.may_collect.setChecked(True)
        self.register_button = QPushButton("登记委托")
        self.register_button.setObjectName("registerAuthorizationButton")
        self.register_button.setAccessibleName("登记委托")
        self.register_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.register_button.setToolTip("登记已签字的代办委托书（Ctrl+Enter）")
        self.register_button.clicked.connect(self.register)
        self.result = QLabel()
        self.result.setObjectName("authorizationResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        box = QGroupBox("登记代办委托书")
        form = QFormLayout(box)
        form.addRow("委托人姓名：", self.name)
        form.addRow("身份证号：", self.id_number)
        form.addRow("联系电话：", self.phone)
        form.addRow("委托事项：", self.items_filter)
        form.addRow("", self.items)
        form.addRow("", self.items_count)
        form.addRow("委托期限至：", self.valid_until)
        form.addRow("", self.may_collect)
        form.addRow("", self.register_button)
        form.addRow(self.result)

        self.table = readonly_table("authorizationTable", HEADERS, "我的代办委托书", stretch=3)
        # One line a row: a long list of delegated items ends in "…" (the tooltip has them
        # all), instead of wrapping into rows a screen tall.
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        listing = QWidget()
        listing_layout = QVBoxLayout(listing)
        listing_layout.setContentsMargins(0, 0, 0, 0)
        listing_layout.addWidget(QLabel("我的代办委托书（身份证号已隐去中间位）"))
        listing_layout.addWidget(self.table, 1)

        splitter = QSplitter()
        splitter.addWidget(box)
        splitter.addWidget(listing)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([450, 900])  # shares of the width: the list gets room for 委托事项
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.setTabOrder(self.name, self.id_number)
        self.setTabOrder(self.id_number, self.phone)
        self.setTabOrder(self.phone, self.items_filter)
        self.setTabOrder(self.items_filter, self.items)
        self.setTabOrder(self.items, self.valid_until)
        self.setTabOrder(self.valid_until, self.may_collect)
        self.setTabOrder(self.may_collect, self.register_button)
        self._reset_date()

    def _reset_date(self) -> None:
        today = self.desk.env.backend.today()
        self.valid_until.setMinimumDate(QDate(today.year, today.month, today.day))
        until = QDate(today.year, today.month, today.day).addMonths(DEFAULT_MONTHS)
        self.valid_until.setDate(until)

    # --- loading ------------------------------------------------------------------------------

    def load_catalogue(self) -> None:
        backend = self.desk.env.backend
        self.desk.env.runner.read(
            lambda: backend.lookup(catalog_service.items_in_force),
            self._show_items,
            self.desk.failed,
            owner=self,
        )

    def _show_items(self, items: list[ItemSummary]) -> None:
        self.items.blockSignals(True)
        self.items.clear()
        for summary in items:
            entry = QListWidgetItem(f"{summary.name}（{summary.category}）")
            entry.setData(Qt.ItemDataRole.UserRole, summary.code)
            entry.setData(Qt.ItemDataRole.UserRole + 1, f"{summary.name} {summary.pinyin_initials}")
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.items.addItem(entry)
        self.items.blockSignals(False)
        self._filter_items(self.items_filter.text())
        self._count_items()

    def _filter_items(self, text: str) -> None:
        needle = text.strip().lower()
        first = None
        for n in range(self.items.count()):
            entry = self.items.item(n)
            hay = str(entry.data(Qt.ItemDataRole.UserRole + 1)).lower()
            entry.setHidden(bool(needle) and needle not in hay)
            if first is None and not entry.isHidden():
                first = entry
        if first is not None:  # Tab, then Space ticks the first match
            self.items.setCurrentItem(first)

    def _count_items(self) -> None:
        chosen = len(self.chosen_codes())
        self.items_count.setText(f"已选 {chosen} 项" if chosen else "请勾选委托办理的事项")

    def chosen_codes(self) -> list[str]:
        return [
            str(self.items.item(n).data(Qt.ItemDataRole.UserRole))
            for n in range(self.items.count())
            if self.items.item(n).checkState() == Qt.CheckState.Checked
        ]

    def show_rows(self, rows: list[AuthorizationRow]) -> None:
        self.rows = rows
        fill_table(
            self.table,
            [
                (
                    row.authorization_no,
                    row.resident_name,
                    row.resident_id_masked,
                    _items_cell(row),
                    f"{row.valid_until:%Y-%m-%d}",
                    "是" if row.may_collect else "否",
                    "有效" if row.in_force else "已过期",
                )
                for row in rows
            ],
            fit_rows=False,
        )
        for r, row in enumerate(rows):
            cell = self.table.item(r, ITEMS_COLUMN)
            if cell is not None:
                cell.setToolTip(items_tip(row))
            until = self.table.item(r, VALID_COLUMN)
            if until is not None:
                until.setToolTip(f"有效期：{row.valid_from:%Y-%m-%d} 至 {row.valid_until:%Y-%m-%d}")

    # --- registering ------------------------------------------------------------------------

    def register(self) -> None:
        resident = {
            "name": self.name.text(),
            "id_number": self.id_number.text(),
            "phone": self.phone.text(),
        }
        matters = self.chosen_codes()
        qdate = self.valid_until.date()
        until = dt.date(qdate.year(), qdate.month(), qdate.day())
        may_collect = self.may_collect.isChecked()
        backend = self.desk.env.backend

        self.desk.env.runner.write(
            lambda: (
                backend.act(
                    intake.register_authorization, resident, matters, until, may_collect=may_collect
                ).authorization_no
            ),
            self._registered,
            self._refused,
            owner=self,
        )

    def _registered(self, number: str) -> None:
        text = f"已登记代办委托书，编号 {number}。代领办理结果时请携带委托书原件。"
        self.result.setText(f"委托书编号：<b>{number}</b>")
        self.desk.say(text)
        for edit in (self.name, self.id_number, self.phone, self.items_filter):
            edit.clear()
        for n in range(self.items.count()):
            self.items.item(n).setCheckState(Qt.CheckState.Unchecked)
        self.may_collect.setChecked(True)
        self._reset_date()
        self.name.setFocus()

    def _refused(self, error: AppError) -> None:
        message = error.message
        if isinstance(error, ValidationError) and error.field == "委托人":
            # The resident's block is checked as an applicant's: name the 委托人 instead.
            message = message.replace("申请人", "委托人")
        self.desk.say(f"[{error.code}] {message}", error=True)
        self.result.clear()
        if "身份证" in message:
            target: QWidget = self.id_number
        elif "电话" in message:
            target = self.phone
        elif "姓名" in message:
            target = self.name
        elif "事项" in message:
            target = self.items
        elif "期限" in message:
            target = self.valid_until
        else:
            return
        target.setFocus()
