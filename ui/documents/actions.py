"""What the document buttons do: build a document in the writer thread (``build_document``) or
read an archived copy (``archived_pdf``), then preview, print or save the bytes on the UI thread.

A new copy is archived and audited (``archive_document``) only after it was sent to the printer
or written to its file: a cancelled print dialog or a failed save issues nothing, so the next
copy is not a 补打 and the audit log records no print that never happened.

Nothing here blocks the window except the OS print and save dialogs themselves (modal, behind
``Dialogs``). Outcomes are reported with ``said(text, is_error)``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.errors import AppError
from app.printing.kinds import DocKind
from app.printing.service import IssuedDocument, archive_document, archived_pdf, build_document
from ui.desk_base import DeskEnv


def suggested_name(title: str, number: str) -> str:
    """The save dialog's proposal: 受理通知书-<case number>.pdf."""
    return f"{title}-{number}.pdf" if number else f"{title}.pdf"


class DocumentActions(QObject):
    said = Signal(str, bool)  # text, is_error
    busy_changed = Signal(bool)
    printed = Signal(bool)  # after the print dialog: sent to the printer (False: cancelled)
    # A document to show (doc, number, fresh); ``preview_dialog.show_previews`` opens it, so
    # this module need not know the preview window that uses it to print.
    preview_ready = Signal(object, str, bool)

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

    def _build(self, case_id: int, kind: DocKind, then: Callable[[IssuedDocument], None]) -> None:
        """Build the document (nothing archived yet), then ``then(doc)``; still busy."""
        b = self.env.backend
        self.env.runner.write(  # the writer: a build queued after an archive sees that copy
            lambda: b.act(build_document, case_id, kind),
            then,
            self._failed,
            owner=self,
            changes_cases=False,
        )

    def _record(
        self,
        doc: IssuedDocument,
        purpose: str,
        then: Callable[[IssuedDocument], None],
        failed: Callable[[AppError], None],
        replaces: int | None = None,
    ) -> None:
        """Archive and audit ``doc`` now that it reached the printer or its file (``replaces``:
        the archived copy it reprints)."""
        b = self.env.backend

        def archived(done: IssuedDocument) -> None:
            self._stop()
            then(done)

        def not_archived(error: AppError) -> None:
            self._stop()
            failed(error)

        self.env.runner.write(
            lambda: b.act(archive_document, doc, purpose=purpose, replaces=replaces),
            archived,
            not_archived,
            owner=self,
            cases=(doc.case_id,),
            lists=False,  # a copy on file changes the case's 文书 tab, no list
        )

    # --- a document issued now ----------------------------------------------------------------

    def print_new(self, case_id: int, kind: DocKind, *, replaces: int | None = None) -> None:
        """Build, print and archive ``kind`` now (``replaces``: the archived copy reprinted)."""
        if self._start():
            self.said.emit(f"正在生成{kind.label}…", False)
            self._build(case_id, kind, lambda doc: self._print(doc, replaces))

    def preview_new(self, case_id: int, kind: DocKind, number: str = "") -> None:
        if self._start():
            self.said.emit(f"正在生成{kind.label}…", False)

            def built(doc: IssuedDocument) -> None:
                self._stop()
                self._preview(doc, number, fresh=True)

            self._build(case_id, kind, built)

    def save_new(self, case_id: int, kind: DocKind, number: str = "") -> None:
        path = self.env.dialogs.choose_save_path(self.host, suggested_name(kind.label, number))
        if path is not None and self._start():
            self._build(case_id, kind, lambda doc: self._save_new(doc, path))

    def _save_new(self, doc: IssuedDocument, path: Path) -> None:
        if not self._write(doc, path):
            self._stop()
            return

        def not_archived(error: AppError) -> None:
            # A copy that is not in the archive must not be out there either.
            path.unlink(missing_ok=True)
            self.said.emit(f"另存为失败：未能存档，文件已删除（{error}）", True)

        self._record(doc, "save", lambda _: self._saved(doc, path), not_archived)

    # --- an archived document ---------------------------------------------------------------

    def _archived(self, document_id: int, then: Callable[[IssuedDocument], None]) -> None:
        if not self._start():
            return
        b = self.env.backend

        def read(doc: IssuedDocument) -> None:
            self._stop()
            then(doc)

        self.env.runner.read(
            lambda: b.run(archived_pdf, document_id), read, self._failed, owner=self
        )

    def preview(self, document_id: int, number: str = "") -> None:
        """An archived copy as it was; printing it from the preview is a 补打."""
        self._archived(document_id, lambda doc: self._preview(doc, number, fresh=False))

    def save_archived(self, document_id: int, title: str, number: str = "") -> None:
        path = self.env.dialogs.choose_save_path(self.host, suggested_name(title, number))
        if path is not None:
            self._archived(document_id, lambda doc: self.save_bytes(doc, path))

    # --- the bytes ----------------------------------------------------------------------------

    def _print(self, doc: IssuedDocument, replaces: int | None = None) -> None:
        what = doc.title  # says （补打） when it is one
        if not self.env.dialogs.print_pdf(self.host, what, doc.pdf):
            self._stop()
            self.said.emit(f"已取消打印{what}，未存档。", False)
            self.printed.emit(False)
            return

        def archived(_: IssuedDocument) -> None:
            self.said.emit(f"{what}已送打印，已存档。", False)
            self.printed.emit(True)

        def not_archived(error: AppError) -> None:
            self.said.emit(f"{what}已送打印，但未能存档：{error}", True)
            self.printed.emit(False)

        self._record(doc, "print", archived, not_archived, replaces)

    def _preview(self, doc: IssuedDocument, number: str, *, fresh: bool) -> None:
        self.preview_ready.emit(doc, number, fresh)

    def save_bytes(self, doc: IssuedDocument, path: Path) -> None:
        """Write the exact archived bytes (a PDF is small: no task needed)."""
        if self._write(doc, path):
            self._saved(doc, path)

    def _write(self, doc: IssuedDocument, path: Path) -> bool:
        try:
            path.write_bytes(doc.pdf)
        except OSError as error:
            self.said.emit(f"另存为失败：{path}（{error.strerror or error}）", True)
            return False
        return True

    def _saved(self, doc: IssuedDocument, path: Path) -> None:
        self.said.emit(f"{doc.title}已另存为 {path}。", False)
