"""The real file dialogs open in the user's documents folder with the suggested name (a first run
found 另存为 PDF opening in the program's folder)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from ui.dialogs import QtDialogs, documents_dir

Call = tuple[str, str, str]


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[Call]:
    """What the save / open dialogs were opened with (caption, start path, filter); the clerk
    cancels."""
    calls: list[Call] = []

    def save(parent: QWidget | None, caption: str, start: str, filters: str) -> tuple[str, str]:
        calls.append((caption, start, filters))
        return "", ""

    def open_many(
        parent: QWidget | None, caption: str, start: str, filters: str
    ) -> tuple[list[str], str]:
        calls.append((caption, start, filters))
        return [], ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", open_many)
    return calls


def _documents_at(monkeypatch: pytest.MonkeyPatch, folder: Path | str) -> None:
    def location(kind: QStandardPaths.StandardLocation) -> str:
        assert kind == QStandardPaths.StandardLocation.DocumentsLocation
        return str(folder)

    monkeypatch.setattr(QStandardPaths, "writableLocation", location)


def test_save_dialogs_open_in_the_documents_folder_with_the_suggested_name(
    asked: list[Call], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    documents = tmp_path / "文档"
    documents.mkdir()
    _documents_at(monkeypatch, documents)
    real = QtDialogs()
    name = "受理通知书-511899101000-W01-20260302-0001.pdf"
    assert real.choose_save_path(QWidget(), name) is None  # cancelled
    assert real.choose_diagnostics_path(None, "诊断信息-20260302.zip") is None
    assert real.choose_catalog_files(QWidget()) == []
    assert asked == [
        ("另存为 PDF", str(documents / name), "PDF 文件 (*.pdf)"),
        ("保存诊断包", str(documents / "诊断信息-20260302.zip"), "诊断包 (*.zip)"),
        ("选择事项目录文件", str(documents), "事项目录文件 (*.json)"),
    ]


def test_without_a_documents_folder_the_home_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _documents_at(monkeypatch, tmp_path / "not-there")
    assert documents_dir() == Path.home()
    _documents_at(monkeypatch, "")  # Qt found no documents location at all
    assert documents_dir() == Path.home()


def test_the_real_documents_location_is_used() -> None:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert documents_dir() == (Path(found) if found and Path(found).is_dir() else Path.home())
    assert documents_dir() != Path.cwd()
