"""The 事项目录 desk: the catalogue in force, read in the background from the encrypted store."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QTableView, QTableWidget
from pytestqt.qtbot import QtBot

from app.catalog.loader import bundled_catalog
from tests.ui.conftest import wait_idle
from tests.ui.drive import cell
from tests.ui.screenshots import save_screenshots
from ui.desk_base import DeskEnv
from ui.desks.catalog_desk import CatalogDesk


def test_clerk_browses_the_catalogue_by_pinyin(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv]
) -> None:
    assert QFontDatabase.hasFamily("Noto Sans SC")
    env = desk_env("clerk")
    desk = CatalogDesk(env)
    qtbot.addWidget(desk)
    desk.show()
    desk.activate()
    wait_idle(qtbot, env.runner)

    table = desk.findChild(QTableView, "catalogTable")
    assert table is not None
    names = {item.name for item in bundled_catalog().items}
    assert set(desk.view.visible_item_names()) == names

    qtbot.keyClicks(desk.view.search, "zdshbz")
    assert desk.view.visible_item_names() == ["最低生活保障"]
    table.selectRow(0)
    wait_idle(qtbot, env.runner)  # the item's detail loads in the background
    materials = desk.findChild(QTableWidget, "itemMaterials")
    steps = desk.findChild(QTableWidget, "itemSteps")
    assert materials is not None and steps is not None
    dibao = next(i for i in bundled_catalog().items if i.name == "最低生活保障")
    qtbot.waitUntil(lambda: materials.rowCount() == len(dibao.materials))
    assert cell(materials, 0, 0) == dibao.materials[0].name
    assert steps.rowCount() == len(dibao.steps)
    assert cell(steps, steps.rowCount() - 1, 1) == "县级"

    qtbot.keyClick(desk.view.search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(desk.view.search, Qt.Key.Key_Delete)
    table.selectRow(0)
    wait_idle(qtbot, env.runner)
    for path in save_screenshots(desk, "desk-catalog"):
        assert path.stat().st_size > 10_000
