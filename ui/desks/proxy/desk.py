"""代办台 (proxy agent): the agent's own filings, their 代办委托书, and new filings on a
resident's behalf. The use cases restrict everything to the agent's own; results are collected
at the delivery window (出件台) by the clerk, with the authorization shown here."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.cases import proxy
from app.cases.proxy import AuthorizationRow
from ui.desk_base import Desk, DeskEnv
from ui.desks.proxy.authorizations import AuthorizationsPane
from ui.desks.proxy.filings import FilingsPane
from ui.desks.proxy.new_filing import NewFilingPane
from ui.worker import Changed


class ProxyDesk(Desk):
    title = "代办台"
    object_name = "proxyDesk"

    def __init__(self, env: DeskEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.filings = FilingsPane(self)
        self.authorizations = AuthorizationsPane(self)
        self.new_filing = NewFilingPane(self)
        self.new_filing.on_filed = self._filed
        self.tabs = QTabWidget()
        self.tabs.setObjectName("proxyTabs")
        self.tabs.setAccessibleName("代办台")
        self.tabs.addTab(self.filings, "我的代办件")
        self.tabs.addTab(self.new_filing, "新建代办")
        self.tabs.addTab(self.authorizations, "代办委托书")
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs, 1)
        self._catalogue_loaded = False
        self.follow_cases()

    def activate(self) -> None:
        if not self._catalogue_loaded:
            self._catalogue_loaded = True
            self.authorizations.load_catalogue()
        self.refresh()

    def cases_changed(self, changed: Changed) -> None:
        if changed.lists:
            self.refresh()

    def refresh(self) -> None:
        self.filings.refresh()
        backend = self.env.backend
        today = backend.today()
        self.env.runner.read(
            lambda: backend.run(proxy.list_authorizations, today),
            self._authorizations_arrived,
            self.failed,
            owner=self,
        )

    def _authorizations_arrived(self, rows: list[AuthorizationRow]) -> None:
        self.authorizations.show_rows(rows)
        self.new_filing.set_authorizations(rows)

    def keep_unsaved(self) -> str | None:
        return self.new_filing.keep_for_later()

    def _filed(self, case_id: int) -> None:
        self.filings.select_after_reload(case_id)
        self.tabs.setCurrentWidget(self.filings)
