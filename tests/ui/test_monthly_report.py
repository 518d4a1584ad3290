"""「月度报表…」: the supervisor's dialog makes the month's files off the UI thread and says where
they are; the full-ID box is only for a role allowed to ask; others do not get the button."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.audit import AuditEvent
from db.models import AuditEntry
from tests.centre import Centre
from tests.reports.monthly_fixture import build_march
from tests.ui.conftest import wait_idle
from tests.ui.screenshots import save_screenshot
from ui.desk_base import DeskEnv
from ui.desks.dashboard.monthly_report import MonthlyReportDialog, monthly_report_button


def events(c: Centre) -> list[str]:
    with c.store.reader() as session:
        return list(session.scalars(select(AuditEntry.event).order_by(AuditEntry.id)))


def test_the_supervisor_makes_last_months_report(
    centre: Centre, desk_env: Callable[[str], DeskEnv], qtbot: QtBot, tmp_path: Path
) -> None:
    build_march(centre)  # the clock is on Fri 3 April 2026
    env = desk_env("supervisor")
    chosen = tmp_path / "报表"
    dialog = MonthlyReportDialog(env, choose=lambda parent, start: chosen)
    qtbot.addWidget(dialog)
    assert dialog.month.currentText() == "2026年3月"  # last month by default
    assert dialog.full_ids.isEnabled()
    dialog.findChild(QWidget, "monthlyReportBrowse").click()  # type: ignore[union-attr]
    assert dialog.folder.text() == str(chosen)
    dialog.full_ids.setChecked(True)
    save_screenshot(dialog, "monthly-report-dialog")
    dialog.generate.click()
    assert not dialog.generate.isEnabled()  # busy while the report is made
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
    wait_idle(qtbot, env.runner)
    report = dialog.report
    assert report is not None and report.full_ids
    assert report.workbook == chosen / "月度报表-2026-03-含完整身份证号.xlsx"
    assert report.workbook.is_file() and report.pdf.is_file()
    said = dialog.status.text()
    assert f"文件夹：{chosen}" in said
    assert report.workbook.name in said and report.pdf.name in said
    assert "办件台账 7 件" in dialog.status.text()
    assert dialog.open_folder.isVisible() and dialog.generate.isEnabled()
    assert events(centre)[-2:] == [AuditEvent.MONTHLY_REPORT, AuditEvent.FULL_ID_EXPORT]
    save_screenshot(dialog, "monthly-report-dialog-done")


def test_a_folder_that_cannot_be_made_is_said_in_chinese(
    centre: Centre, desk_env: Callable[[str], DeskEnv], qtbot: QtBot, tmp_path: Path
) -> None:
    env = desk_env("supervisor")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    dialog = MonthlyReportDialog(env)
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(blocker / "sub"))
    dialog.generate.click()
    qtbot.waitUntil(lambda: dialog.generate.isEnabled(), timeout=30_000)
    wait_idle(qtbot, env.runner)
    assert dialog.status.text().startswith("月度报表未生成：")
    assert "输出目录" in dialog.status.text()
    assert AuditEvent.MONTHLY_REPORT not in events(centre)
    dialog.folder.setText("  ")
    dialog.generate.click()
    assert "请选择保存月度报表的文件夹" in dialog.status.text()


def test_other_roles_get_no_button_and_no_full_ids(
    desk_env: Callable[[str], DeskEnv], qtbot: QtBot
) -> None:
    for user in ("clerk", "approver", "admin", "auditor"):
        parent = QWidget()
        qtbot.addWidget(parent)
        button = monthly_report_button(desk_env(user), parent)
        assert button.text() == "月度报表…"
        assert button.isHidden(), user
        dialog = MonthlyReportDialog(desk_env(user))
        qtbot.addWidget(dialog)
        assert not dialog.full_ids.isEnabled()
        assert "仅中心负责人" in dialog.full_ids.toolTip()
    parent = QWidget()
    qtbot.addWidget(parent)
    shown = monthly_report_button(desk_env("supervisor"), parent)
    assert not shown.isHidden()
    shown.click()
    opened = parent.findChild(MonthlyReportDialog)
    assert opened is not None and opened.isVisible()
    shown.click()
    assert len(parent.findChildren(MonthlyReportDialog)) == 1  # the same dialog again
    opened.close()


def test_the_dashboards_toolbar_has_the_button_for_the_supervisor(
    centre: Centre, desk_env: Callable[[str], DeskEnv], qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QPushButton

    from ui.desks.dashboard.desk import DashboardDesk

    build_march(centre)
    desks = {}
    for user in ("supervisor", "approver"):
        env = desk_env(user)
        desk = DashboardDesk(env)
        qtbot.addWidget(desk)
        desks[user] = desk
        button = desk.findChild(QPushButton, "dashboardMonthlyReport")
        assert button is not None
        assert button.isHidden() == (user != "supervisor")
    supervisor = desks["supervisor"]
    supervisor.resize(1366, 768)
    supervisor.show()
    wait_idle(qtbot, supervisor.reports)
    button = supervisor.findChild(QPushButton, "dashboardMonthlyReport")
    assert button is not None and button.isVisible()
    right = button.mapTo(supervisor, button.rect().topRight()).x()
    assert right <= supervisor.width()  # not pushed off the edge at 1366 wide
    save_screenshot(supervisor, "monthly-report-button-dashboard-1366x768")
    for desk in desks.values():
        desk.timer.stop()
        wait_idle(qtbot, desk.reports)
