"""事项目录: the items in force with their materials, steps and limits (办事指南), for every
role that talks to residents. Loading a new catalogue is the administrator's (管理)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from app import catalog_service
from app.catalog_service import ItemDetail, ItemSummary
from ui.catalog_view import CatalogView
from ui.desks.base import Desk, DeskEnv


class CatalogDesk(Desk):
    title = "事项目录"
    object_name = "catalogDesk"

    def __init__(self, env: DeskEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.view = CatalogView()
        self.view.item_chosen.connect(self._load_detail)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._loaded = False
        self._wanted: int | None = None

    def activate(self) -> None:
        if self._loaded:
            return
        backend = self.env.backend
        self.env.runner.read(
            lambda: backend.read(catalog_service.items_in_force),
            self._show,
            self.failed,
            owner=self,
        )

    def _show(self, items: list[ItemSummary]) -> None:
        self._loaded = True
        self.view.set_items(items)

    def _load_detail(self, item_id: int) -> None:
        self._wanted = item_id
        backend = self.env.backend
        self.env.runner.read(
            lambda: backend.read(catalog_service.item_detail, item_id),
            self._show_detail,
            self.failed,
            owner=self,
        )

    def _show_detail(self, detail: ItemDetail) -> None:
        if detail.summary.item_id == self._wanted:  # not an answer overtaken by a later choice
            self.view.detail.show_detail(detail)
