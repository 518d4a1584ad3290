"""出件台: results leave the centre — 通知领取 for decided cases, then 本人领取 (the collector's ID
checked against the applicant), 代办员代领 (under a 代办委托书) or 邮寄送达; then 归档."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from PySide6.QtWidgets import QWidget

from app.cases import queries
from app.cases.case_view import CaseView, case_view
from app.cases.listing import Listing, queue_listing
from app.evaluations.levels import Service
from app.workflow.states import Action, CaseState
from ui.cases.list_model import Fetch
from ui.desk_base import DeskEnv
from ui.desks.delivery import commands
from ui.desks.delivery.panel import DeliveryPanel
from ui.desks.rating import offer_rating
from ui.desks.worklist.desk import CaseWorkDesk
from ui.desks.worklist.queue import Tab

PENDING = "pending"
DELIVERED = "delivered"
STATES = {
    PENDING: (CaseState.DECIDED, CaseState.AWAITING_DELIVERY),
    DELIVERED: (CaseState.DELIVERED,),
}
LABELS = {PENDING: "待出件", DELIVERED: "已出件待归档"}


class DeliveryDesk(CaseWorkDesk[CaseView]):
    title = "出件台"
    object_name = "deliveryDesk"

    def __init__(self, env: DeskEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.panel = DeliveryPanel()
        self._connect()
        self.build(
            name="deliveryQueue",
            accessible="出件办件列表",
            tabs=self._tabs,
            fetch_for=self._fetch_for,
            first_tab=(PENDING, LABELS[PENDING], 0),
            panel=self.panel,
        )
        self.queue.fit_columns({0: 230, 1: 130, 2: 60, 3: 140, 4: 80}, hidden=(5, 6))

    # --- the lists ------------------------------------------------------------------------

    def _tabs(self) -> list[Tab]:
        b = self.env.backend
        return [
            (key, LABELS[key], b.run(queries.my_queue, states=states, limit=0).total)
            for key, states in STATES.items()
        ]

    def _fetch_for(self, key: Hashable) -> Fetch:
        b = self.env.backend
        states = STATES[key if key == DELIVERED else PENDING]

        def fetch(offset: int, limit: int) -> Listing:
            return b.run(
                queue_listing, b.calendar, b.today(), states=states, limit=limit, offset=offset
            )

        return fetch

    # --- the chosen case ------------------------------------------------------------------

    def read_case(self, case_id: int) -> Callable[[], CaseView]:
        b = self.env.backend
        return lambda: b.run(case_view, case_id, b.calendar, b.today())

    def show_case(self, data: CaseView) -> None:
        self.view = data
        self.detail.show_case(data)
        self.panel.suggest_address(data)

    def new_case(self) -> None:
        self.panel.reset()

    def update_actions(self) -> None:
        self.panel.show_state(self.view, self.busy)

    # --- the actions ----------------------------------------------------------------------

    def _connect(self) -> None:
        p = self.panel
        p.mark_ready.clicked.connect(lambda: self.do(commands.mark_ready))
        p.archive.clicked.connect(lambda: self.do(commands.archive))
        p.window_page.submit.clicked.connect(self._at_window)
        p.proxy_page.submit.clicked.connect(self._to_proxy)
        p.mail_page.submit.clicked.connect(self._by_mail)

    def _at_window(self) -> None:
        target = self.target()
        if target is None:
            return
        b = self.env.backend
        page = self.panel.window_page
        name, id_number = page.name.text(), page.id_number.text()
        case_id = target[0]

        def delivered() -> None:
            self.panel.reset()
            # The applicant in person at the window rates the 出件 (a proxy agent collecting, or
            # a result posted, leaves the resident to rate by phone).
            offer_rating(self, self.env, case_id, Service.DELIVERY)

        self.write(
            lambda: commands.deliver_at_window(b, *target, name, id_number),
            delivered,
            offer=Action.DELIVER,
        )

    def _to_proxy(self) -> None:
        target = self.target()
        if target is None:
            return
        b = self.env.backend
        page = self.panel.proxy_page
        name, number = page.name.text(), page.authorization_no.text()
        self.write(
            lambda: commands.deliver_to_proxy(b, *target, name, number),
            self.panel.reset,
            offer=Action.DELIVER,
        )

    def _by_mail(self) -> None:
        target = self.target()
        if target is None:
            return
        b = self.env.backend
        page = self.panel.mail_page
        tracking, address = page.tracking_no.text(), page.address.text()
        self.write(
            lambda: commands.deliver_by_mail(b, *target, tracking, address),
            self.panel.reset,
            offer=Action.DELIVER,
        )
