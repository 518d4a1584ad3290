"""The main window: composes the views; holds no business logic and no Session."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow

from app.errors import CatalogRejected
from ui.catalog_view import CatalogView
from ui.dialogs import Dialogs
from ui.store_access import CatalogAccess


class MainWindow(QMainWindow):
    def __init__(
        self,
        catalog: CatalogAccess,
        dialogs: Dialogs,
        store_text: str,
        store_tip: str,
        demo: bool,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self._catalog = catalog
        self._dialogs = dialogs
        suffix = "（演示模式）" if demo else ""
        self.setWindowTitle(f"一窗通 — {catalog.centre_name()}{suffix}")

        self.catalog_view = CatalogView(catalog.detail)
        self.setCentralWidget(self.catalog_view)

        self.load_catalog_action = QAction("载入事项目录文件(&L)…", self)
        self.load_catalog_action.setObjectName("loadCatalogAction")
        self.load_catalog_action.triggered.connect(self.load_catalog_files)
        menu = self.menuBar().addMenu("事项目录(&C)")
        menu.addAction(self.load_catalog_action)

        self.store_label = QLabel(store_text)
        self.store_label.setObjectName("storeStatus")
        self.store_label.setToolTip(store_tip)
        self.catalog_label = QLabel()
        self.catalog_label.setObjectName("catalogStatus")
        self.statusBar().addWidget(self.store_label)
        self.statusBar().addPermanentWidget(self.catalog_label)
        self.refresh_catalog()

    def refresh_catalog(self) -> None:
        self.catalog_view.set_items(self._catalog.items())
        status = self._catalog.status()
        if status is None:
            self.catalog_label.setText("尚未载入事项目录")
        else:
            self.catalog_label.setText(
                f"事项目录 {status.catalog_version}（{status.issuer}）· "
                f"{status.item_count} 个事项 · {status.template_count} 个表单模板"
            )

    def load_catalog_files(self) -> None:
        paths = self._dialogs.choose_catalog_files(self)
        if not paths:
            return
        try:
            status = self._catalog.load(paths)
        except CatalogRejected as rejected:
            self._dialogs.show_error(self, "事项目录未载入", rejected.message)
            return
        self.refresh_catalog()
        self._dialogs.show_info(
            self,
            "事项目录已载入",
            f"已启用事项目录 {status.catalog_version}：{status.item_count} 个事项，"
            f"{status.template_count} 个表单模板。",
        )
