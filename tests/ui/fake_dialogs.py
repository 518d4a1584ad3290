"""A stand-in for ui.dialogs.QtDialogs that records what would have been shown."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from app.evaluations.service import Invitation
    from ui.backend import DeskBackend
    from ui.worker import Runner


class FakeDialogs:
    def __init__(self) -> None:
        self.next_files: list[Path] = []
        self.errors: list[tuple[str, str]] = []
        self.infos: list[tuple[str, str]] = []
        self.confirms: list[tuple[str, str]] = []
        self.confirm_answer = True
        self.printed: list[tuple[str, bytes]] = []  # (title, pdf) sent to the printer
        self.print_answer = True  # the print dialog's OK (False: cancelled)
        self.save_path: Path | None = None  # what the save dialog returns
        self.save_suggestions: list[str] = []
        self.crash_offers: list[tuple[str, str]] = []  # (title, text) of crash messages shown
        self.save_diagnostics = False  # the crash message's answer: 保存诊断包… (True) or 关闭
        self.diagnostics_path: Path | None = None  # what the bundle's save dialog returns
        self.diagnostics_suggestions: list[str] = []
        self.rating_invitations: list[Invitation] = []  # offered to the resident (none shown)

    def choose_catalog_files(self, parent: QWidget) -> list[Path]:
        return self.next_files

    def show_error(self, parent: QWidget | None, title: str, text: str) -> None:
        self.errors.append((title, text))

    def show_info(self, parent: QWidget | None, title: str, text: str) -> None:
        self.infos.append((title, text))

    def confirm(self, parent: QWidget, title: str, text: str) -> bool:
        self.confirms.append((title, text))
        return self.confirm_answer

    def print_pdf(self, parent: QWidget, title: str, pdf: bytes) -> bool:
        if self.print_answer:
            self.printed.append((title, pdf))
        return self.print_answer

    def choose_save_path(self, parent: QWidget, suggested: str) -> Path | None:
        self.save_suggestions.append(suggested)
        return self.save_path

    def offer_diagnostics(self, parent: QWidget | None, title: str, text: str) -> bool:
        self.crash_offers.append((title, text))
        return self.save_diagnostics

    def choose_diagnostics_path(self, parent: QWidget | None, suggested: str) -> Path | None:
        self.diagnostics_suggestions.append(suggested)
        return self.diagnostics_path

    def invite_rating(
        self, parent: QWidget, runner: Runner, backend: DeskBackend, invitation: Invitation
    ) -> None:
        self.rating_invitations.append(invitation)
