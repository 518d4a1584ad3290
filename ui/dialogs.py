"""Modal dialogs behind a small service, so tests replace them instead of clicking real ones."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

if TYPE_CHECKING:
    from app.evaluations.service import Invitation
    from ui.backend import DeskBackend
    from ui.worker import Runner


def documents_dir() -> Path:
    """Where file dialogs open: the user's documents folder (文档 / Documents), or the home
    folder when there is none — never the program's folder (the working directory)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if found and Path(found).is_dir():
        return Path(found)
    return Path.home()


def in_documents(suggested: str) -> str:
    """The suggested file name, in the documents folder (what a save dialog starts with)."""
    return str(documents_dir() / suggested)


class Dialogs(Protocol):
    def choose_catalog_files(self, parent: QWidget) -> list[Path]: ...

    def show_error(self, parent: QWidget | None, title: str, text: str) -> None: ...

    def show_info(self, parent: QWidget | None, title: str, text: str) -> None: ...

    def confirm(self, parent: QWidget, title: str, text: str) -> bool: ...

    def print_pdf(self, parent: QWidget, title: str, pdf: bytes) -> bool: ...

    def choose_save_path(self, parent: QWidget, suggested: str) -> Path | None: ...

    def offer_diagnostics(self, parent: QWidget | None, title: str, text: str) -> bool: ...

    def choose_diagnostics_path(self, parent: QWidget | None, suggested: str) -> Path | None: ...

    def invite_rating(
        self, parent: QWidget, runner: Runner, backend: DeskBackend, invitation: Invitation
    ) -> None: ...


class QtDialogs:
    """The real dialogs."""

    def choose_catalog_files(self, parent: QWidget) -> list[Path]:
        files, _ = QFileDialog.getOpenFileNames(
            parent, "选择事项目录文件", str(documents_dir()), "事项目录文件 (*.json)"
        )
        return [Path(f) for f in files]

    def show_error(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.critical(parent, title, text)

    def show_info(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def confirm(self, parent: QWidget, title: str, text: str) -> bool:
        answer = QMessageBox.question(parent, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def print_pdf(self, parent: QWidget, title: str, pdf: bytes) -> bool:
        """The OS print dialog, then the pages; False when the clerk cancelled."""
        from ui.pdf.printing import print_with_dialog  # QtPrintSupport only when used

        return print_with_dialog(parent, title, pdf)

    def choose_save_path(self, parent: QWidget, suggested: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(
            parent, "另存为 PDF", in_documents(suggested), "PDF 文件 (*.pdf)"
        )
        if not path:
            return None
        return Path(path if path.lower().endswith(".pdf") else f"{path}.pdf")

    def offer_diagnostics(self, parent: QWidget | None, title: str, text: str) -> bool:
        """The crash message; True when the user asks to save a diagnostics bundle."""
        box = QMessageBox(QMessageBox.Icon.Critical, title, text, parent=parent)
        save = box.addButton("保存诊断包…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is save

    def choose_diagnostics_path(self, parent: QWidget | None, suggested: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(
            parent, "保存诊断包", in_documents(suggested), "诊断包 (*.zip)"
        )
        if not path:
            return None
        return Path(path if path.lower().endswith(".zip") else f"{path}.zip")

    def invite_rating(
        self, parent: QWidget, runner: Runner, backend: DeskBackend, invitation: Invitation
    ) -> None:
        """The resident rates the service just completed: the 评价器 on the second screen, or
        the resident-facing dialog on the clerk's (non-blocking either way)."""
        from ui.evaluation.hosts import show_rater

        show_rater(parent, runner, backend, invitation)
