"""A document printed before the county numbered the case, reprinted from the case's 文书 tab at the
审批台 after a real sync with the county on loopback: the tab says which number the copy carries
and offers the 办件编号; 补打 asks first (in Chinese, naming both numbers) and prints with the
办件编号, audited as a reprint of that copy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.audit import AuditEvent
from app.cases import decisions as d
from app.printing.kinds import DocKind
from app.printing.service import issue_document
from app.sync.pull import pull_changes
from app.sync.push import push_pending
from app.sync.transport import HttpTransport
from db.models import AuditEntry, Case, PrintedDocument
from tests.centre import Centre
from tests.county.server import running_county
from tests.printing.pdfs import text
from tests.ui.conftest import wait_idle
from tests.ui.drive import cell
from tests.ui.fake_dialogs import FakeDialogs
from tests.ui.screenshots import save_screenshot, save_screenshots
from tests.ui.test_review_desk import choose, open_desk
from ui.desk_base import DeskEnv
from ui.desks.review.desk import ReviewDesk
from ui.documents.documents_list import DocumentsList, reprint_question

DIBAO = "最低生活保障"
RECEIPT = DocKind.MATERIALS_RECEIPT


def archive(centre: Centre, case_id: int) -> list[tuple[bool, str | None]]:
    with centre.store.reader() as session:
        rows = session.scalars(
            select(PrintedDocument)
            .where(PrintedDocument.case_id == case_id)
            .order_by(PrintedDocument.id)
        )
        return [(row.reprint, row.case_no) for row in rows]


def click_row(qtbot: QtBot, table: QTableWidget, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def documents_tab(qtbot: QtBot, desk: ReviewDesk) -> DocumentsList:
    tabs = desk.detail.tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "文书"))
    wait_idle(qtbot, desk.env.runner)
    found = desk.findChild(DocumentsList, "caseDocuments")
    assert isinstance(found, DocumentsList)
    return found


def test_a_copy_printed_before_numbering_is_reprinted_with_the_official_number(
    qtbot: QtBot, centre: Centre, desk_env: Callable[[str], DeskEnv], tmp_path: Path
) -> None:
    case_id = centre.walk_in(DIBAO).case_id
    d.accept(centre.ctx, centre.actor("clerk"), case_id)
    first = issue_document(centre.ctx, centre.actor("clerk"), case_id, RECEIPT)
    with running_county(tmp_path / "county") as county:
        transport = HttpTransport(county.url, county.activate("W01"))
        push_pending(centre.store, transport)
        pull_changes(centre.store, transport, centre.ctx.calendar)
        transport.close()
    with centre.store.reader() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.official_no
        receipt, official = case.receipt_no, case.official_no
    assert f"办件编号：{receipt}（收件号，待县级系统确认）" in text(first.pdf)

    env = desk_env("approver")
    dialogs = env.dialogs
    assert isinstance(dialogs, FakeDialogs)
    desk = open_desk(qtbot, env)
    queue = desk.queue.model
    row = queue.row_of(case_id)
    assert row is not None and queue.headerData(0, Qt.Orientation.Horizontal) == "办件编号"
    assert queue.index(row, 0).data() == official  # the list shows the county's number
    assert (
        queue.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
        == f"县级办件编号 {official}（收件号 {receipt}）"
    )
    choose(qtbot, desk, case_id)
    assert official in desk.detail.summary.text()  # the detail shows the county's number
    docs = documents_tab(qtbot, desk)
    table = docs.table
    assert table.rowCount() == 1 and cell(table, 0, 3) == receipt  # the number it printed
    click_row(qtbot, table, 0)
    status = desk.findChild(QLabel, "caseDocumentsStatus")
    assert isinstance(status, QLabel)
    assert status.text() == (
        f"该文书印的是收件号 {receipt}；县级系统已为本件编号 {official}，补打将使用办件编号。"
    )
    save_screenshots(desk, "documents-numbered-since")
    question = QMessageBox(
        QMessageBox.Icon.Question, "补打：使用县级办件编号", reprint_question(docs.rows[0])
    )
    question.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(question)
    save_screenshot(question, "documents-reprint-numbered-question")

    reprint = desk.findChild(QPushButton, "documentReprint")
    assert isinstance(reprint, QPushButton)
    dialogs.confirm_answer = False  # 否: nothing printed, nothing archived
    qtbot.mouseClick(reprint, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, env.runner)
    ((title, asked),) = dialogs.confirms
    assert title == "补打：使用县级办件编号"
    assert f"县级系统已为本办件编号：{official}" in asked and f"收件号 {receipt}" in asked
    assert dialogs.printed == [] and archive(centre, case_id) == [(False, receipt)]
    assert status.text() == "已取消补打材料接收凭证。"

    dialogs.confirm_answer = True
    qtbot.mouseClick(reprint, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, env.runner)
    ((printed_title, pdf),) = dialogs.printed
    body = text(pdf)
    assert printed_title == "材料接收凭证（补打）" and "补打" in body
    assert f"办件编号：{official}收件号：{receipt}" in body and "待县级系统确认" not in body
    assert archive(centre, case_id) == [(False, receipt), (True, official)]
    with centre.store.reader() as session:
        entry = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.event == AuditEvent.PRINT.value)
            .order_by(AuditEntry.id.desc())
        ).first()
    assert entry is not None and entry.actor == "approver" and entry.subject == receipt
    assert entry.detail["reprint"] is True and entry.detail["reprint_of"] == first.document_id

    qtbot.waitUntil(lambda: table.rowCount() == 2)
    assert sorted(cell(table, r, 3) for r in range(2)) == sorted([receipt, official])
    new = next(r for r in range(2) if cell(table, r, 3) == official)
    click_row(qtbot, table, new)
    assert "补打将使用办件编号" not in status.text()  # the new copy has the number already
    save_screenshots(desk, "documents-reprinted-numbered")
