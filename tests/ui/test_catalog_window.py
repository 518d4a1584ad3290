"""The launched window lists the catalogue read from the real, encrypted store."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QTableView, QTableWidget
from pytestqt.qtbot import QtBot

from app import demo
from app.catalog.loader import bundled_catalog
from db.store import open_store
from tests.ui.screenshots import save_screenshots
from ui.application import build_main_window
from ui.fonts import install_bundled_fonts


def test_demo_window_lists_the_catalogue_from_the_encrypted_store(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    family = install_bundled_fonts(qapp)
    assert family == "Noto Sans SC"
    assert QFontDatabase.hasFamily(family)
    data_dir = tmp_path / "demo"
    store = open_store(data_dir, demo.demo_key_file(data_dir))
    demo.prepare_demo(store)
    window = build_main_window(store, demo_mode=True)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)

    assert "演示模式" in window.windowTitle()
    table = window.findChild(QTableView, "catalogTable")
    assert table is not None
    names = {item.name for item in bundled_catalog().items}
    assert table.model().rowCount() == len(names) >= 15
    shown = window.catalog_view.visible_item_names()
    assert set(shown) == names

    status = window.findChild(QLabel, "catalogStatus")
    assert status is not None and f"{len(names)} 个事项" in status.text()
    assert "已加密" in window.findChild(QLabel, "storeStatus").text()  # type: ignore[union-attr]

    # Search by pinyin initials, as a clerk would type at the desk.
    search = window.findChild(QLineEdit, "catalogSearch")
    assert search is not None
    qtbot.keyClicks(search, "zdshbz")
    assert window.catalog_view.visible_item_names() == ["最低生活保障"]

    # Selecting it shows its materials and steps, read from the store.
    table.selectRow(0)
    materials = window.findChild(QTableWidget, "itemMaterials")
    steps = window.findChild(QTableWidget, "itemSteps")
    assert materials is not None and steps is not None
    dibao = next(i for i in bundled_catalog().items if i.name == "最低生活保障")
    assert materials.rowCount() == len(dibao.materials)
    assert _cell(materials, 0, 0) == dibao.materials[0].name
    assert steps.rowCount() == len(dibao.steps)
    assert _cell(steps, steps.rowCount() - 1, 1) == "县级"

    qtbot.keyClick(search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(search, Qt.Key.Key_Delete)
    table.selectRow(0)
    for path in save_screenshots(window, "catalog-window"):
        assert path.stat().st_size > 10_000
    store.close()


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()
