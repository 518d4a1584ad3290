"""Documents in the desks, driven as a clerk would: accept at the 受理台 → the offer lists the
受理通知书 and the 材料接收凭证 → print, preview, save as PDF; then 补打 from the case's 文书 tab at
the 审批台. After each step the archive (printed_documents) and the audit log are read back."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QPushButton, QTableWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.printing.kinds import DocKind
from db.models import AuditEntry, PrintedDocument
from tests.centre import Centre
from tests.ui import test_delivery_desk as delivery
from tests.ui.conftest import wait_idle
from tests.ui.drive import cell
from tests.ui.fake_dialogs import FakeDialogs
from tests.ui.screenshots import SCREENSHOT_DIR, SIZES, save_screenshots
from tests.ui.test_intake_desk import (
    NAME,
    REQUIRED,
    child,
    fill_dibao,
    notice,
    open_desk,
    pick_dibao,
    press,
    rows_named,
    tick,
)
from tests.ui.test_review_desk import choose
from tests.ui.test_review_desk import open_desk as open_review_desk
from ui.desk_base import DeskEnv
from ui.desks.intake.desk import IntakeDesk
from ui.documents.offer import DocumentOffer
from ui.documents.preview_dialog import PreviewDialog
from ui.pdf.printing import PrintJob, PrintOutcome

EnvFor = Callable[[str], DeskEnv]
ACCEPTANCE = DocKind.ACCEPTANCE_NOTICE
RECEIPT = DocKind.MATERIALS_RECEIPT


def archived(centre: Centre, case_id: int) -> list[PrintedDocument]:
    with centre.store.reader() as session:
        rows = session.scalars(
            select(PrintedDocument)
            .where(PrintedDocument.case_id == case_id)
            .order_by(PrintedDocument.id)
        ).all()
        session.expunge_all()
        return list(rows)


def print_audits(centre: Centre) -> list[AuditEntry]:
    with centre.store.reader() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.event == "print")).all()
        session.expunge_all()
        return list(rows)


def pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def click(qtbot: QtBot, env: DeskEnv, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, env.runner)


def accept_dibao(qtbot: QtBot, env: DeskEnv, centre: Centre) -> tuple[IntakeDesk, int]:
    desk = open_desk(qtbot, env)
    pick_dibao(qtbot, desk)
    fill_dibao(qtbot, desk)
    tick(qtbot, desk, REQUIRED)
    press(qtbot, desk, Qt.Key.Key_Return, ctrl=True)
    assert notice(desk).startswith("已受理")
    (row,) = rows_named(centre, NAME)
    return desk, row.case_id


def the_offer(desk: QWidget) -> DocumentOffer:
    offer = desk.findChild(DocumentOffer, "documentOffer")
    assert isinstance(offer, DocumentOffer) and offer.isVisible()
    return offer


def the_preview() -> PreviewDialog:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, PreviewDialog)]
    assert len(found) == 1 and found[0].isVisible()
    return found[0]


def screenshots_after_rendering(qtbot: QtBot, widget: QWidget, name: str) -> None:
    """As save_screenshots, but the PDF view renders its pages in the background: wait."""
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    for label, (width, height) in SIZES.items():
        widget.resize(width, height)
        qtbot.wait(400)
        assert widget.grab().save(str(SCREENSHOT_DIR / f"{name}-{label}.png"))


def test_accept_offers_both_documents_and_printing_archives_the_exact_bytes(
    qtbot: QtBot, desk_env: EnvFor, centre: Centre
) -> None:
    env = desk_env("clerk")
    dialogs = env.dialogs
    assert isinstance(dialogs, FakeDialogs)
    desk, case_id = accept_dibao(qtbot, env, centre)

    offer = the_offer(desk)
    labels = [child(offer, QLabel, f"offerLabel_{k.value}").text() for k in (ACCEPTANCE, RECEIPT)]
    assert labels == ["受理通知书", "材料接收凭证"]
    assert archived(centre, case_id) == []  # offered, nothing built yet
    # The offer does not take the focus: the clerk goes on with the next resident.
    qtbot.waitUntil(lambda: child(desk, QWidget, "itemSearch").hasFocus())
    save_screenshots(desk, "documents-offer")
    # It stays inside the desk at either size.
    assert desk.rect().contains(offer.geometry())

    before = len(print_audits(centre))
    click(qtbot, env, child(offer, QPushButton, f"offer_print_{ACCEPTANCE.value}"))
    ((title, printed),) = dialogs.printed
    assert title == "受理通知书"
    (doc,) = archived(centre, case_id)
    assert doc.doc_type == ACCEPTANCE.value and not doc.reprint
    assert doc.pdf == printed
    assert doc.sha256 == hashlib.sha256(printed).hexdigest()
    assert len(print_audits(centre)) == before + 1
    assert "受理通知书已送打印" in child(offer, QLabel, "documentOfferStatus").text()
    assert "补打" not in pdf_text(printed)

    click(qtbot, env, child(offer, QPushButton, "offerClose"))
    assert desk.findChild(DocumentOffer, "documentOffer") is None


def test_preview_archives_nothing_and_save_as_writes_the_archived_bytes(
    qtbot: QtBot, desk_env: EnvFor, centre: Centre, tmp_path: Path
) -> None:
    env = desk_env("clerk")
    dialogs = env.dialogs
    assert isinstance(dialogs, FakeDialogs)
    desk, case_id = accept_dibao(qtbot, env, centre)
    offer = the_offer(desk)

    click(qtbot, env, child(offer, QPushButton, f"offer_preview_{RECEIPT.value}"))
    preview = the_preview()
    assert preview.document.status() is QPdfDocument.Status.Ready
    assert preview.document.pageCount() >= 1
    assert "材料接收凭证" in preview.windowTitle()
    screenshots_after_rendering(qtbot, preview, "documents-preview")
    assert preview.doc.document_id is None and archived(centre, case_id) == []  # screen only

    target = tmp_path / "凭证.pdf"
    dialogs.save_path = target
    click(qtbot, env, child(preview, QPushButton, "previewSave"))
    assert dialogs.save_suggestions[-1].startswith("材料接收凭证-")
    (doc,) = [d for d in archived(centre, case_id) if d.doc_type == RECEIPT.value]
    assert target.read_bytes() == doc.pdf and not doc.reprint  # previewing first is no 补打
    preview.close()

    # 另存为 from the offer builds, archives and saves the same bytes as archived.
    target2 = tmp_path / "受理通知书.pdf"
    dialogs.save_path = target2
    click(qtbot, env, child(offer, QPushButton, f"offer_save_{ACCEPTANCE.value}"))
    saved = [d for d in archived(centre, case_id) if d.doc_type == ACCEPTANCE.value]
    assert saved and target2.read_bytes() == saved[-1].pdf
    assert hashlib.sha256(target2.read_bytes()).hexdigest() == saved[-1].sha256


def test_reprint_from_the_case_documents_tab_is_archived_as_reprint(
    qtbot: QtBot, desk_env: EnvFor, centre: Centre
) -> None:
    env = desk_env("clerk")
    dialogs = env.dialogs
    assert isinstance(dialogs, FakeDialogs)
    desk, case_id = accept_dibao(qtbot, env, centre)
    click(qtbot, env, child(the_offer(desk), QPushButton, f"offer_print_{ACCEPTANCE.value}"))
    (first,) = archived(centre, case_id)

    approver = desk_env("approver")
    review = open_review_desk(qtbot, approver)
    choose(qtbot, review, case_id)
    tabs = review.detail.tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "文书"))
    wait_idle(qtbot, approver.runner)
    table = child(review, QTableWidget, "caseDocumentsTable")
    assert table.rowCount() == 1 and cell(table, 0, 1) == "受理通知书"
    assert cell(table, 0, 2) == "首次"
    reprint = child(review, QPushButton, "documentReprint")
    assert not reprint.isEnabled()  # nothing chosen yet
    qtbot.mouseClick(
        table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=table.visualRect(table.model().index(0, 1)).center(),
    )
    click(qtbot, approver, reprint)

    approver_dialogs = approver.dialogs
    assert isinstance(approver_dialogs, FakeDialogs)
    ((title, pdf),) = approver_dialogs.printed
    assert title == "受理通知书（补打）"
    rows = archived(centre, case_id)
    assert [(r.doc_type, r.reprint) for r in rows] == [
        (ACCEPTANCE.value, False),
        (ACCEPTANCE.value, True),
    ]
    assert rows[1].pdf == pdf and rows[1].sha256 == hashlib.sha256(pdf).hexdigest()
    assert rows[0].id == first.id and rows[0].pdf == first.pdf  # the first copy is untouched
    assert "补打" in pdf_text(pdf)
    # The list shows the new copy, marked 补打.
    qtbot.waitUntil(lambda: table.rowCount() == 2)
    assert sorted(cell(table, r, 2) for r in range(2)) == ["补打", "首次"]
    assert "已送打印" in child(review, QLabel, "caseDocumentsStatus").text()

    # 开具 what was never printed: the materials receipt, offered by the case's history.
    kinds = child(review, QComboBox, "documentKinds")
    offered = [kinds.itemText(i) for i in range(kinds.count())]
    assert offered[:2] == ["受理通知书", "材料接收凭证"]
    kinds.setCurrentIndex(1)
    click(qtbot, approver, child(review, QPushButton, "documentIssue"))
    assert approver_dialogs.printed[-1][0] == "材料接收凭证"  # its first copy: no 补打
    assert [r.doc_type for r in archived(centre, case_id)][-1] == RECEIPT.value
    save_screenshots(review, "documents-case-tab")


def test_ctrl_p_prints_every_offered_document_in_turn(
    qtbot: QtBot, desk_env: EnvFor, centre: Centre
) -> None:
    env = desk_env("clerk")
    dialogs = env.dialogs
    assert isinstance(dialogs, FakeDialogs)
    desk, case_id = accept_dibao(qtbot, env, centre)
    the_offer(desk)
    press(qtbot, desk, Qt.Key.Key_P, ctrl=True)  # the focus is still in the item search
    wait_idle(qtbot, env.runner)
    assert [title for title, _ in dialogs.printed] == ["受理通知书", "材料接收凭证"]
    rows = archived(centre, case_id)
    assert [(r.doc_type, r.reprint) for r in rows] == [
        (ACCEPTANCE.value, False),
        (RECEIPT.value, False),
    ]
    assert [pdf for _, pdf in dialogs.printed] == [r.pdf for r in rows]


def test_cancelling_the_print_dialog_stops_print_all(
    qtbot: QtBot, desk_env: EnvFor, centre: Centre
) -> None:
    env = desk_env("clerk")
    dialogs = env.dialogs
    assert isinstance(dialogs, FakeDialogs)
    desk, case_id = accept_dibao(qtbot, env, centre)
    offer = the_offer(desk)
    dialogs.print_answer = False
    click(qtbot, env, child(offer, QPushButton, "offerPrintAll"))
    assert dialogs.printed == []
    # Cancelled before it reached the printer: nothing issued, and the second one not built.
    assert archived(centre, case_id) == []
    assert "已取消打印受理通知书" in child(offer, QLabel, "documentOfferStatus").text()


def test_printing_draws_every_page_on_the_printer(
    qtbot: QtBot, desk_env: EnvFor, centre: Centre, tmp_path: Path
) -> None:
    """What the real print dialog does once OK is pressed, on a PDF-file printer."""
    env = desk_env("clerk")
    desk, case_id = accept_dibao(qtbot, env, centre)
    click(qtbot, env, child(the_offer(desk), QPushButton, f"offer_print_{RECEIPT.value}"))
    (doc,) = archived(centre, case_id)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    pages = len(PdfReader(io.BytesIO(doc.pdf)).pages)
    # As the dialog hands it on: a job on a worker thread, its outcome back by signal.
    done = PrintOutcome()
    with qtbot.waitSignal(done.finished, timeout=30_000) as finished:
        QThreadPool.globalInstance().start(PrintJob(printer, doc.pdf, doc.doc_type, done))
    assert finished.args == [doc.doc_type, pages] and pages >= 1
    assert len(PdfReader(out).pages) == pages


def test_delivery_offers_the_delivery_receipt(
    qtbot: QtBot, desk_env: EnvFor, centre: Centre
) -> None:
    env = desk_env("clerk")
    dialogs = env.dialogs
    assert isinstance(dialogs, FakeDialogs)
    case_id = delivery.ready(centre)
    desk = delivery.open_desk(qtbot, env)
    delivery.choose(qtbot, desk, case_id)
    p = desk.panel
    qtbot.mouseClick(p.by_mail, Qt.MouseButton.LeftButton)
    delivery.type_into(qtbot, p.mail_page.tracking_no, "EMS1234567890CN")
    delivery.click(qtbot, desk, p.mail_page.submit)
    assert "已邮寄送达" in desk.notice.text()

    offer = the_offer(desk)
    kind = DocKind.DELIVERY_RECEIPT
    assert child(offer, QLabel, f"offerLabel_{kind.value}").text() == kind.label
    click(qtbot, env, child(offer, QPushButton, f"offer_print_{kind.value}"))
    (doc,) = archived(centre, case_id)
    assert doc.doc_type == kind.value and [pdf for _, pdf in dialogs.printed] == [doc.pdf]


def test_staff_reprint_from_search_but_a_proxy_has_no_documents_tab(
    qtbot: QtBot, desk_env: EnvFor
) -> None:
    from ui.desks.search_desk import SearchDesk

    def tab_titles(desk: SearchDesk) -> list[str]:
        tabs = desk.detail.tabs
        return [tabs.tabText(i) for i in range(tabs.count())]

    clerk = SearchDesk(desk_env("clerk"))
    proxy = SearchDesk(desk_env("proxy"))
    qtbot.addWidget(clerk)
    qtbot.addWidget(proxy)
    assert "文书" in tab_titles(clerk)
    assert "文书" not in tab_titles(proxy)


def test_a_cancelled_print_issues_nothing_so_saving_afterwards_is_the_first_copy(
    qtbot: QtBot, desk_env: EnvFor, centre: Centre, tmp_path: Path
) -> None:
    """Print → cancel the print dialog → 另存为 PDF: only the saved copy was issued."""
    env = desk_env("clerk")
    dialogs = env.dialogs
    assert isinstance(dialogs, FakeDialogs)
    desk, case_id = accept_dibao(qtbot, env, centre)
    offer = the_offer(desk)
    before = len(print_audits(centre))

    dialogs.print_answer = False
    click(qtbot, env, child(offer, QPushButton, f"offer_print_{ACCEPTANCE.value}"))
    assert dialogs.printed == [] and archived(centre, case_id) == []
    assert len(print_audits(centre)) == before
    status = child(offer, QLabel, "documentOfferStatus").text()
    assert "已取消打印受理通知书" in status and "未存档" in status

    target = tmp_path / "受理通知书.pdf"
    dialogs.save_path = target
    click(qtbot, env, child(offer, QPushButton, f"offer_save_{ACCEPTANCE.value}"))
    (doc,) = archived(centre, case_id)
    assert not doc.reprint and target.read_bytes() == doc.pdf
    assert "补打" not in pdf_text(doc.pdf)
    (entry,) = print_audits(centre)[before:]
    assert entry.detail["purpose"] == "save" and entry.detail["reprint"] is False
    assert entry.detail["document_id"] == doc.id


def test_a_save_that_fails_issues_nothing(
    qtbot: QtBot, desk_env: EnvFor, centre: Centre, tmp_path: Path
) -> None:
    env = desk_env("clerk")
    dialogs = env.dialogs
    assert isinstance(dialogs, FakeDialogs)
    desk, case_id = accept_dibao(qtbot, env, centre)
    offer = the_offer(desk)
    before = len(print_audits(centre))
    dialogs.save_path = tmp_path / "no-such-folder" / "受理通知书.pdf"
    click(qtbot, env, child(offer, QPushButton, f"offer_save_{ACCEPTANCE.value}"))
    assert "另存为失败" in child(offer, QLabel, "documentOfferStatus").text()
    assert archived(centre, case_id) == [] and len(print_audits(centre)) == before
