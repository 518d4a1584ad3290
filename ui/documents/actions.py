"""What the document buttons do: build + archive in the writer thread (``issue_document``) or
read an archived copy (``archived_pdf``), then preview, print or save the bytes on the UI thread.

Nothing here blocks the window except the OS print and save dialogs themselves (modal, behind
``Dialogs``). Outcomes are reported with ``said(text, is_error)``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.errors import AppError
from app.printing.kinds import DocKind
from app.printing.service import IssuedDocument, archived_pdf, issue_document
from ui.desks.base import DeskEnv


def suggested_name(title: str, number: str) -> str:
    """The save dialog's proposal: 受理通知书-<case number>.pdf."""
    return f"{title}-{number}.pdf" if number else f"{title}.pdf"


class DocumentActions(QObject):
    said = Signal(str, bool)  # text, is_error
    busy_changed = Signal(bool)
    printed = Signal(bool)  # after the print dialog: sent to the printer (False: cancelled)

    def __init__(self, env: DeskEnv, host: QWidget) -> None:
        super().__init__(host)
        self.env = env
        self.host = host
        self.busy = False
        self.previews: list[QWidget] = []  # open preview windows (non-modal)

    def _start(self) -> bool:
        if self.busy:
            return False
        self.busy = True
        self.busy_changed.emit(True)
        return True

    def _stop(self) -> None:
        self.busy = False
        self.busy_changed.emit(False)

    def _failed(self, error: AppError) -> None:
        self._stop()
        self.said.emit(str(error), True)

    def _issue(
        self, case_id: int, kind: DocKind, purpose: str, then: Callable[[IssuedDocument], None]
    ) -> None:
        b = self.env.backend

        def issued(doc: IssuedDocument) -> None:
            self._stop()
            then(doc)

        self.env.runner.write(
            lambda: b.act(issue_document, case_id, kind, purpose=purpose),
            issued,
            self._failed,
            owner=self,
        )

    # --- a document issued now ----------------------------------------------------------------

    def print_new(self, case_id: int, kind: DocKind) -> None:
        if self._start():
            self.said.emit(f"正在生成{kind.label}…", False)
            self._issue(case_id, kind, "print", self._print)

    def preview_new(self, case_id: int, kind: DocKind, number: str = "") -> None:
        if self._start():
            self.said.emit(f"正在生成{kind.label}…", False)
            self._issue(
                case_id, kind, "preview", lambda doc: self._preview(doc, number, fresh=True)
            )

    def save_new(self, case_id: int, kind: DocKind, number: str = "") -> None:
        path = self.env.dialogs.choose_save_path(self.host, suggested_name(kind.label, number))
        if path is not None and self._start():
            self._issue(case_id, kind, "save", lambda doc: self._save(doc, path))

    # --- an archived document ---------------------------------------------------------------

    def _archived(self, document_id: int, then: Callable[[IssuedDocument], None]) -> None:
        if not self._start():
            return
        b = self.env.backend

        def read(doc: IssuedDocument) -> None:
            self._stop()
            then(doc)

        self.env.runner.read(
            lambda: b.query(archived_pdf, document_id), read, self._failed, owner=self
        )

    def preview(self, document_id: int, number: str = "") -> None:
        """An archived copy as it was; printing it from the preview is a 补打."""
        self._archived(document_id, lambda doc: self._preview(doc, number, fresh=False))

    def save_archived(self, document_id: int, title: str, number: str = "") -> None:
        path = self.env.dialogs.choose_save_path(self.host, suggested_name(title, number))
        if path is not None:
            self._archived(document_id, lambda doc: self._save(doc, path))

    # --- the bytes ----------------------------------------------------------------------------

    def _print(self, doc: IssuedDocument) -> None:
        what = doc.title  # says （补打） when it is one
        sent = self.env.dialogs.print_pdf(self.host, what, doc.pdf)
        if sent:
            self.said.emit(f"{what}已送打印，已存档。", False)
        else:
            self.said.emit(f"已取消打印{what}（文书已生成存档，可在“文书”中补打）。", False)
        self.printed.emit(sent)

    def _preview(self, doc: IssuedDocument, number: str, *, fresh: bool) -> None:
        from ui.documents.preview_dialog import PreviewDialog

        dialog = PreviewDialog(self.env, doc, number, self.host, fresh=fresh)
        dialog.docs.said.connect(self.said)
        self.previews = [p for p in self.previews if p.isVisible()] + [dialog]
        dialog.show()
        self.said.emit(f"已打开{doc.title}预览。", False)

    def save_bytes(self, doc: IssuedDocument, path: Path) -> None:
        """Write the exact archived bytes (a PDF is small: no task needed)."""
        self._save(doc, path)

    def _save(self, doc: IssuedDocument, path: Path) -> None:
        try:
            path.write_bytes(doc.pdf)
        except OSError as error:
            self.said.emit(f"另存为失败：{path}（{error.strerror or error}）", True)
            return
        self.said.emit(f"{doc.title}已另存为 {path}。", False)
