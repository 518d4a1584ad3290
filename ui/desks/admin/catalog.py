"""管理 › 事项目录: the catalogue in force (items, materials, steps) and loading a new one from
files. A bad catalogue is refused with every problem listed, and the one in force stays."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.catalog import service as catalog_service
from app.catalog.service import CatalogStatus, ItemSummary, load_catalog_as
from app.errors import AppError, CatalogRejected
from app.workflow.fold import CHINA_TZ
from ui.catalog.browser import CatalogBrowser
from ui.desk_base import Desk


def status_text(status: CatalogStatus | None) -> str:
    if status is None:
        return "尚未载入事项目录"
    loaded = status.loaded_at.astimezone(CHINA_TZ)
    return (
        f"在用事项目录 {status.catalog_version}（{status.issuer}）· {status.item_count} 个事项 · "
        f"{status.template_count} 个表单模板 · 载入于 {loaded:%Y-%m-%d %H:%M}"
    )


class CatalogPane(QWidget):
    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.setObjectName("adminCatalog")
        self.desk = desk
        self.status = QLabel()
        self.status.setObjectName("adminCatalogStatus")
        self.status.setWordWrap(True)
        self.load_button = QPushButton("载入事项目录文件…")
        self.load_button.setObjectName("loadCatalogButton")
        self.load_button.setAccessibleName("载入事项目录文件")
        self.load_button.setShortcut(QKeySequence("Ctrl+O"))
        self.load_button.setToolTip("选择目录 JSON 文件，校验通过后整体启用（Ctrl+O）")
        self.load_button.clicked.connect(self.load_files)
        self.view = CatalogBrowser(desk.env.runner, desk.env.backend, desk.failed)
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.load_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

    def refresh(self) -> None:
        backend = self.desk.env.backend

        def read() -> tuple[list[ItemSummary], CatalogStatus | None]:
            return (
                backend.lookup(catalog_service.items_in_force),
                backend.lookup(catalog_service.catalog_status),
            )

        self.desk.env.runner.read(read, self._show, self.desk.failed, owner=self)

    def _show(self, loaded: tuple[list[ItemSummary], CatalogStatus | None]) -> None:
        items, status = loaded
        self.status.setText(status_text(status))
        self.view.set_items(items)

    def load_files(self) -> None:
        dialogs = self.desk.env.dialogs
        paths: list[Path] = dialogs.choose_catalog_files(self)
        if not paths:
            return
        backend = self.desk.env.backend
        self.desk.say("正在校验事项目录文件…")
        self.desk.env.runner.write(
            lambda: backend.run(load_catalog_as, paths),
            self._loaded,
            self._refused,
            owner=self,
        )

    def _loaded(self, status: CatalogStatus) -> None:
        text = (
            f"已启用事项目录 {status.catalog_version}：{status.item_count} 个事项，"
            f"{status.template_count} 个表单模板。"
        )
        self.desk.say(text)
        self.desk.env.dialogs.show_info(self, "事项目录已载入", text)
        self.refresh()

    def _refused(self, error: AppError) -> None:
        if isinstance(error, CatalogRejected):
            self.desk.say("事项目录文件未通过校验，已拒绝载入，当前在用目录保持不变。", error=True)
            self.desk.env.dialogs.show_error(self, "事项目录未载入", error.message)
        else:
            self.desk.failed(error)
