"""审批台: the back office works its queue — review steps and opinions, reporting to the county
and recording its result, decisions, 受理后补正 / 挂起 / 恢复, termination; the supervisor also
approves extensions and reassigns cases."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHeaderView, QVBoxLayout, QWidget

from app.actor import Role
from app.alerts.desk_alerts import AlertKind, DeskAlerts, alert_listing, desk_alerts
from app.alerts.notices import Notice, notice_text, take_notices
from app.cases import queries
from app.cases.case_view import (
    CaseView,
    ReviewProgress,
    approver_choices,
    case_view,
    review_progress,
)
from app.cases.listing import Listing, queue_listing
from app.workflow.states import Action
from ui.cases.list_model import Fetch
from ui.desk_base import DeskEnv
from ui.desks.review import commands
from ui.desks.review.alerts_strip import AlertBanner, AlertStrip
from ui.desks.review.pages import lines_of
from ui.desks.review.panel import ReviewPanel
from ui.desks.worklist.desk import CaseWorkDesk
from ui.desks.worklist.queue import Tab
from ui.worker import Changed

Loaded = tuple[CaseView, ReviewProgress]
# Cases also turn red with no write (the day turns): the alerts are read again this often
# while the desk is on screen.
ALERTS_EVERY_MS = 10 * 60 * 1000


class ReviewDesk(CaseWorkDesk[Loaded]):
    title = "审批台"
    object_name = "reviewDesk"

    def __init__(self, env: DeskEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.progress: ReviewProgress | None = None
        supervisor = env.backend.actor.has(Role.SUPERVISOR)
        self.panel = ReviewPanel(supervisor)
        # Before build (its first refresh reads the alerts too); laid over the tabs after it.
        self.alerts = AlertStrip()
        self.banner = AlertBanner()
        self._connect()
        self.build(
            name="reviewQueue",
            accessible="审批办件列表",
            tabs=self._tabs,
            fetch_for=self._fetch_for,
            first_tab=(None, "全部", 0),
            panel=self.panel,
        )
        # 证件号码 and 承诺办结日 are in the detail; the list keeps what picks the next case.
        # 状态 fits 挂起（特别程序）, and 时限 its 环节超时 25 个工作日 at 1366 px; an item name cut
        # short shows whole as the cell's tooltip.
        table = self.queue.table
        time_width = table.fontMetrics().horizontalAdvance("环节超时 25 个工作日") + 16
        self.queue.fit_columns(
            {0: 226, 1: 120, 2: 56, 4: table.state_width(), 6: time_width}, hidden=(3, 5)
        )
        # A wider screen gives its width to the item's name, not to an empty 时限 column.
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, self.banner)
        layout.insertWidget(1, self.alerts)
        self.alerts.chosen.connect(self._list_alert)
        self.queue.tabs.currentChanged.connect(lambda _: self.alerts.mark(None))
        self.alerts_timer = QTimer(self)
        self.alerts_timer.setInterval(ALERTS_EVERY_MS)
        self.alerts_timer.timeout.connect(self._alerts_due)
        self.alerts_timer.start()
        if supervisor:
            b = env.backend
            env.runner.read(
                lambda: b.run(approver_choices),
                self.panel.reassignment.set_choices,
                self.failed,
                owner=self,
            )

    # --- the queue ------------------------------------------------------------------------

    def _tabs(self) -> list[Tab]:
        counts = self.env.backend.run(queries.queue_categories)
        tabs: list[Tab] = [(None, "全部", sum(n for _, n in counts))]
        return tabs + [(category, category, n) for category, n in sorted(counts)]

    def _fetch_for(self, category: Hashable) -> Fetch:
        b = self.env.backend
        chosen = category if isinstance(category, str) else None

        def fetch(offset: int, limit: int) -> Listing:
            return b.run(
                queue_listing, b.calendar, b.today(), category=chosen, limit=limit, offset=offset
            )

        return fetch

    # --- the alerts -----------------------------------------------------------------------

    def refresh(self) -> None:
        super().refresh()
        self._read_alerts()

    def cases_changed(self, changed: Changed) -> None:
        super().cases_changed(changed)
        if changed.lists:  # a write or a sync that may move cases in or out of an alert
            self._read_alerts()

    def _alerts_due(self) -> None:
        if self.isVisible():
            self._read_alerts()

    def _read_alerts(self) -> None:
        b = self.env.backend
        self.env.runner.read(
            lambda: b.run(desk_alerts, b.calendar, b.today()),
            self._alerts_read,
            self.failed,
            owner=self,
        )

    def _alerts_read(self, alerts: DeskAlerts) -> None:
        self.alerts.show_alerts(alerts)
        if not alerts.untold:
            return
        # Cases turned red (or a step 超时) that this person was not told about: taken in a
        # write that records them told, so that no refresh, sign-in or restart tells again.
        # It changes no case: no list reads again for it.
        b = self.env.backend
        self.env.runner.write(
            lambda: b.run(take_notices, b.calendar, b.today()),
            self._told,
            self.failed,
            owner=self,
            changes_cases=False,
        )

    def _told(self, notices: list[Notice]) -> None:
        if notices:
            self.banner.announce(notice_text(notices))

    def _list_alert(self, kind: AlertKind | None) -> None:
        """The list shows the alert's cases (None: the queue of the tab chosen)."""
        if kind is None:
            self.queue.model.set_fetch(self._fetch_for(self.queue.current_key))
            return
        if self.queue.tabs.currentIndex() != 0:
            self.queue.tabs.setCurrentIndex(0)  # 全部: an alert is across categories
            self.alerts.mark(kind)
        b = self.env.backend

        def fetch(offset: int, limit: int) -> Listing:
            return b.run(alert_listing, b.calendar, b.today(), kind, limit=limit, offset=offset)

        self.queue.model.set_fetch(fetch)

    # --- the chosen case ------------------------------------------------------------------

    def read_case(self, case_id: int) -> Callable[[], Loaded]:
        b = self.env.backend
        return lambda: (
            b.run(case_view, case_id, b.calendar, b.today()),
            b.run(review_progress, case_id, b.calendar),
        )

    def show_case(self, data: Loaded) -> None:
        self.view, self.progress = data
        self.detail.show_case(self.view)
        self.panel.follow(self.view)

    def new_case(self) -> None:
        self.panel.reset()

    def update_actions(self) -> None:
        self.panel.show_state(self.view, self.progress if self.view else None, self.busy)

    # --- the actions ----------------------------------------------------------------------

    def _connect(self) -> None:
        p = self.panel
        p.start.clicked.connect(lambda: self.do(commands.start_review))
        p.next.clicked.connect(lambda: self.do(commands.next_step))
        p.report.clicked.connect(lambda: self.do(commands.report_to_county))
        p.resume.clicked.connect(lambda: self.do(commands.resume))
        p.opinion.submit.clicked.connect(lambda: self._record(then_next=False))
        p.opinion.record_next.clicked.connect(lambda: self._record(then_next=True))
        p.decision.submit.clicked.connect(self._decide)
        p.post_supplement.submit.clicked.connect(self._post_supplement)
        p.suspension.submit.clicked.connect(self._suspend)
        p.extension.submit.clicked.connect(self._extend)
        p.termination.submit.clicked.connect(self._terminate)
        p.reassignment.submit.clicked.connect(self._reassign)

    def _record(self, *, then_next: bool) -> None:
        target = self.target()
        if target is None:
            return
        b = self.env.backend
        text = self.panel.opinion.opinion.toPlainText()
        agree = self.panel.opinion.agree.isChecked()
        self.write(
            lambda: commands.record_opinion(b, *target, text, agree=agree, then_next=then_next),
            self.panel.opinion.clear,
        )

    def _decide(self) -> None:
        target = self.target()
        if target is None or self.view is None:
            return
        b = self.env.backend
        state = self.view.detail.row.state
        decision = self.panel.decision.decision()
        offer = None if decision.returned else Action.DECIDE
        self.write(
            lambda: commands.decide(b, *target, state, decision),
            self.panel.decision.clear,
            offer=offer,
        )

    def _post_supplement(self) -> None:
        target = self.target()
        if target is None:
            return
        b = self.env.backend
        page = self.panel.post_supplement
        missing, days = lines_of(page.missing), page.days.value()
        self.write(lambda: commands.post_supplement(b, *target, missing, days), page.clear)

    def _suspend(self) -> None:
        target = self.target()
        if target is None:
            return
        b = self.env.backend
        page = self.panel.suspension
        reason, days = page.reason.text(), page.days.value()
        self.write(
            lambda: commands.suspend(b, *target, reason, days), page.clear, offer=Action.SUSPEND
        )

    def _extend(self) -> None:
        target = self.target()
        if target is None:
            return
        b = self.env.backend
        page = self.panel.extension
        days, reason = page.days.value(), page.reason.text()
        self.write(
            lambda: commands.extend(b, *target, days, reason), page.clear, offer=Action.EXTEND
        )

    def _terminate(self) -> None:
        target = self.target()
        if target is None:
            return
        page = self.panel.termination
        reason = page.reason.text().strip()
        if not reason:
            self.say("请填写终止原因。", error=True)
            page.reason.setFocus()
            return
        question = f"确定终止办理 {target[1]}？\n终止原因：{reason}\n终止后办件结束，不能恢复。"
        if not self.env.dialogs.confirm(self, "终止办理", question):
            self.say("已取消终止，办件未作改动。")
            return
        b = self.env.backend
        self.write(lambda: commands.terminate(b, *target, reason), page.clear)

    def _reassign(self) -> None:
        target = self.target()
        if target is None:
            return
        combo = self.panel.reassignment.assignee
        assignee = combo.currentData()
        if not isinstance(assignee, int):
            self.say("请选择新的承办人。", error=True)
            return
        b = self.env.backend
        name = combo.currentText()
        self.write(lambda: commands.reassign(b, *target, assignee, name))
