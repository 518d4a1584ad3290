"""「月度报表…」: the supervisor's monthly report (Excel workbook + PDF) from the dashboard.

Pick the month (last month by default), whether the ledger shows full ID numbers (the box is
enabled only for a role allowed to ask: :func:`app.reports.monthly.service.may_export`), and a
folder. The report is read and built in the dialog's own read thread (seconds on a large store;
the desks' queues keep paging), then written, archived and audited by the window's writer
(a short write). The dialog then says where the files are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.reports.monthly.month import last_month, month_label
from app.reports.monthly.service import (
    MonthlyReport,
    PreparedReport,
    issue_monthly_report,
    may_export,
    prepare_monthly_report,
)
from app.reports.period import Period
from ui.desk_base import DeskEnv
from ui.dialogs import documents_dir
from ui.worker import Runner

__all__ = ["MONTHS_OFFERED", "MonthlyReportDialog", "monthly_report_button"]

MONTHS_OFFERED = 36  # this month and the 35 before it
FolderChooser = Callable[[QWidget, Path], Path | None]


def choose_folder(parent: QWidget, start: Path) -> Path | None:
    """The OS folder dialog."""
    found = QFileDialog.getExistingDirectory(parent, "选择保存月度报表的文件夹", str(start))
    return Path(found) if found else None


def months_back(today: dt.date, count: int) -> list[Period]:
    """This month and the ``count - 1`` before it, newest first."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(Period.month(year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


class MonthlyReportDialog(QDialog):
    def __init__(
        self,
        env: DeskEnv,
        parent: QWidget | None = None,
        *,
        choose: FolderChooser = choose_folder,
    ) -> None:
        super().__init__(parent)
        self.env = env
        self._choose = choose
        self.reports = Runner(self, crash=env.runner.crash)
        self.report: MonthlyReport | None = None
        self.setObjectName("monthlyReportDialog")
        self.setWindowTitle("月度报表")
        actor = env.backend.actor
        today = env.backend.today()

        self.month = QComboBox()
        self.month.setObjectName("monthlyReportMonth")
        self.month.setAccessibleName("统计月份")
        default = last_month(today)
        for period in months_back(today, MONTHS_OFFERED):
            self.month.addItem(month_label(period), period)
        self.month.setCurrentIndex(self.month.findText(month_label(default)))

        self.full_ids = QCheckBox("含完整身份证号")
        self.full_ids.setObjectName("monthlyReportFullIds")
        allowed = may_export(actor, full_ids=True)
        self.full_ids.setEnabled(allowed)
        self.full_ids.setToolTip(
            "办件台账中显示完整身份证号；此次导出将记入审计日志。"
            if allowed
            else "仅中心负责人可导出完整身份证号；默认只显示前6位和后4位。"
        )

        self.folder = QLineEdit(str(documents_dir()))
        self.folder.setObjectName("monthlyReportFolder")
        self.folder.setAccessibleName("保存到文件夹")
        browse = QPushButton("选择…")
        browse.setObjectName("monthlyReportBrowse")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.folder, 1)
        where.addWidget(browse)

        form = QFormLayout()
        form.addRow("统计月份：", self.month)
        form.addRow("保存到：", where)
        form.addRow("", self.full_ids)

        self.status = QLabel("将生成 Excel 工作簿（办件台账、各项统计、好差评）和 PDF 报表。")
        self.status.setObjectName("monthlyReportStatus")
        self.status.setWordWrap(True)
        self.status.setMinimumWidth(560)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox()
        self.generate = self.buttons.addButton("生成", QDialogButtonBox.ButtonRole.AcceptRole)
        self.generate.setObjectName("monthlyReportGenerate")
        self.open_folder = self.buttons.addButton(
            "打开文件夹", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.open_folder.setObjectName("monthlyReportOpenFolder")
        self.open_folder.setVisible(False)
        close = self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("monthlyReportClose")
        self.generate.clicked.connect(self.start)
        self.open_folder.clicked.connect(self._open_folder)
        close.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    # --- choosing -----------------------------------------------------------------------------

    def chosen_month(self) -> Period:
        period = self.month.currentData()
        assert isinstance(period, Period)
        return period

    def _browse(self) -> None:
        start = Path(self.folder.text().strip() or documents_dir())
        found = self._choose(self, start)
        if found is not None:
            self.folder.setText(str(found))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("error", error)
        self.status.setStyleSheet("color:#b3261e;" if error else "")

    # --- generating ---------------------------------------------------------------------------

    def start(self) -> None:
        text = self.folder.text().strip()
        if not text:
            self._say("请选择保存月度报表的文件夹（保存到）。", error=True)
            return
        out_dir = Path(text).expanduser()
        period = self.chosen_month()
        full_ids = self.full_ids.isChecked() and self.full_ids.isEnabled()
        backend = self.env.backend
        self._busy(True)
        self._say(f"正在生成 {month_label(period)} 的月度报表…")
        self.reports.read(
            lambda: prepare_monthly_report(backend.ctx, backend.actor, period, full_ids=full_ids),
            lambda prepared: self._write(prepared, out_dir),
            self._failed,
            owner=self,
        )

    def _write(self, prepared: PreparedReport, out_dir: Path) -> None:
        backend = self.env.backend
        self.env.runner.write(
            lambda: issue_monthly_report(backend.ctx, backend.actor, prepared, out_dir),
            self._done,
            self._failed,
            owner=self,
            changes_cases=False,
        )

    def _done(self, report: MonthlyReport) -> None:
        self.report = report
        self._busy(False)
        ids = "含完整身份证号（已记入审计日志）" if report.full_ids else "身份证号已隐藏中间位"
        self._say(
            f"已生成 {month_label(report.period)} 月度报表（办件台账 {report.cases} 件，{ids}）。\n"
            f"文件夹：{report.workbook.parent}\n"
            f"　Excel 工作簿：{report.workbook.name}\n"
            f"　PDF 报表：{report.pdf.name}\n"
            "存档副本已存入本机加密数据库，并记入审计日志。"
        )
        self.open_folder.setVisible(True)
        self.adjustSize()

    def _failed(self, error: AppError) -> None:
        self._busy(False)
        self._say(f"月度报表未生成：{error}", error=True)
        self.adjustSize()

    def _busy(self, busy: bool) -> None:
        for widget in (self.generate, self.month, self.folder):
            widget.setEnabled(not busy)
        self.full_ids.setEnabled(not busy and may_export(self.env.backend.actor, full_ids=True))

    def _open_folder(self) -> None:
        if self.report is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.report.workbook.parent)))


def monthly_report_button(env: DeskEnv, parent: QWidget) -> QPushButton:
    """「月度报表…」 for the dashboard's toolbar: shown only to a role that may export."""
    button = QPushButton("月度报表…", parent)
    button.setObjectName("dashboardMonthlyReport")
    button.setToolTip("生成某月的 Excel 工作簿和 PDF 报表，存档并记入审计日志")
    button.setVisible(may_export(env.backend.actor))

    def show() -> None:
        # One dialog per desk, kept: a report still being written finishes into it.
        dialog = parent.findChild(MonthlyReportDialog)
        if dialog is None:
            dialog = MonthlyReportDialog(env, parent)
            dialog.setModal(True)
        dialog.show()
        dialog.raise_()

    button.clicked.connect(show)
    return button
