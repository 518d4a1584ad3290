"""管理 (system administrator): users and roles, the catalogue in force, the centre's settings.
The administrator takes no case decisions (三员分立); every change here is audited."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.desk_base import Desk, DeskEnv
from ui.desks.admin.catalog import CatalogPane
from ui.desks.admin.settings import SettingsPane
from ui.desks.admin.users import UsersPane
from ui.scroll import ScrollingTabs


class AdminDesk(Desk):
    title = "管理"
    object_name = "adminDesk"

    def __init__(self, env: DeskEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.users = UsersPane(self)
        self.catalog = CatalogPane(self)
        self.settings = SettingsPane(self)
        self.tabs = ScrollingTabs()  # the panes scroll on a small (or 150 %) screen
        self.tabs.setObjectName("adminTabs")
        self.tabs.setAccessibleName("管理")
        self.tabs.add_scrolled(self.users, "用户与角色")
        self.tabs.add_scrolled(self.catalog, "事项目录")
        self.tabs.add_scrolled(self.settings, "中心设置")
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs, 1)
        self._loaded = False

    def activate(self) -> None:
        """Users refresh every time; the catalogue and the settings form only the first time
        (an edit in progress is never overwritten)."""
        self.users.refresh()
        if not self._loaded:
            self._loaded = True
            self.catalog.refresh()
            self.settings.refresh()
