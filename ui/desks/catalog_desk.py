"""事项目录: the items in force with their materials, steps and limits (办事指南), for every
role that talks to residents. Loading a new catalogue is the administrator's (管理)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.catalog import service as catalog_service
from app.catalog.service import ItemSummary
from ui.catalog.browser import CatalogBrowser
from ui.desk_base import Desk, DeskEnv


class CatalogDesk(Desk):
    title = "事项目录"
    object_name = "catalogDesk"

    def __init__(self, env: DeskEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.view = CatalogBrowser(env.runner, env.backend, self.failed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._loaded = False

    def activate(self) -> None:
        if self._loaded:
            return
        backend = self.env.backend
        self.env.runner.read(
            lambda: backend.lookup(catalog_service.items_in_force),
            self._show,
            self.failed,
            owner=self,
        )

    def _show(self, items: list[ItemSummary]) -> None:
        self._loaded = True
        self.view.set_items(items)
