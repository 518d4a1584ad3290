"""The OS print dialog for a built PDF (behind ``Dialogs.print_pdf``: tests replace it).

The dialog is the only modal part; drawing the pages for the printer (~0.3 s a page at 300 dpi
on a slow PC) runs on a worker thread — QPainter may paint on a QPrinter outside the GUI thread —
so the window never waits for it. A job that cannot reach the printer says so.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from ui.pdf.pages import open_pdf, render_pages

PRINT_DPI = 300
log = logging.getLogger(__name__)


class PrintOutcome(QObject):
    """Carries a job's outcome back to the UI thread."""

    finished = Signal(str, int)  # title, pages printed (0: failed)


class PrintJob(QRunnable):
    def __init__(self, printer: QPrinter, pdf: bytes, title: str, done: PrintOutcome) -> None:
        super().__init__()
        self.printer = printer  # kept alive here until the job has run
        self.pdf = pdf
        self.title = title
        self.done = done

    def run(self) -> None:
        self.done.finished.emit(self.title, print_to(self.printer, self.pdf))


def print_with_dialog(parent: QWidget, title: str, pdf: bytes) -> bool:
    """Ask for the printer, then print every page of ``pdf`` in the background; False when
    the dialog was cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"打印 {title}")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    done = PrintOutcome(parent)
    done.finished.connect(lambda what, pages: _finished(parent, done, what, pages))
    QThreadPool.globalInstance().start(PrintJob(printer, pdf, title, done))
    return True


def _finished(parent: QWidget, done: PrintOutcome, title: str, pages: int) -> None:
    done.deleteLater()
    if pages == 0:
        log.warning("print job produced no pages")
        QMessageBox.warning(
            parent, "打印失败", f"{title}未能送到打印机。请检查打印机后在“文书”中补打。"
        )


def print_to(printer: QPrinter, pdf: bytes) -> int:
    """Print ``pdf`` on a configured printer; the number of pages printed. Any thread."""
    holder = QObject()  # no parent: Python owns it, so it goes with this call in any thread
    document = open_pdf(pdf, holder)
    return render_pages(document, printer, min(printer.resolution(), PRINT_DPI))
