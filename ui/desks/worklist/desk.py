"""What the 审批台 and the 出件台 share: a work list on the left; the chosen case's detail and
an action panel on the right; the case loaded in the background; writes that say what happened
and leave the same case chosen when it is still listed."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QSplitter, QVBoxLayout, QWidget

from app.cases.case_view import CaseView
from app.errors import AppError, ValidationError
from app.workflow.states import Action
from ui.backend import DeskBackend
from ui.cases.detail_view import CaseDetailView
from ui.cases.list_model import Fetch
from ui.desk_base import Desk, DeskEnv
from ui.desks.worklist.queue import QueuePane, Tab
from ui.documents.documents_list import attach_documents
from ui.documents.offer import offer_documents
from ui.scroll import scrolled
from ui.worker import Changed

T = TypeVar("T")


class CaseWorkDesk(Desk, Generic[T]):
    """Subclasses build ``panel``, then call :meth:`build`; they implement :meth:`read_case`
    (a blocking read for the worker), :meth:`show_case` and :meth:`update_actions`."""

    def __init__(self, env: DeskEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.view: CaseView | None = None  # the chosen case as last read (None while loading)
        self.case_id: int | None = None
        self.busy = False  # a write is running: no second click meanwhile
        self._token = 0
        self.detail = CaseDetailView()
        self.documents = attach_documents(self.detail, env)

    def build(
        self,
        *,
        name: str,
        accessible: str,
        tabs: Callable[[], list[Tab]],
        fetch_for: Callable[[Hashable], Fetch],
        first_tab: Tab,
        panel: QWidget,
    ) -> None:
        self.queue = QueuePane(
            self.env.runner,
            name=name,
            accessible=accessible,
            tabs=tabs,
            fetch_for=fetch_for,
            first_tab=first_tab,
        )
        self.queue.case_chosen.connect(self.load_case)
        self.queue.left.connect(self.clear_case)
        self.queue.failed.connect(lambda text: self.say(text, error=True))

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        lower = QFrame()
        lower.setObjectName(f"{self.object_name}Actions")
        lower.setFrameShape(QFrame.Shape.StyledPanel)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(8, 6, 8, 6)
        lower_layout.addWidget(self.notice)
        lower_layout.addWidget(scrolled(panel, f"{self.object_name}ActionsScroll"), 1)
        vertical = QSplitter(Qt.Orientation.Vertical)
        vertical.setChildrenCollapsible(False)
        vertical.addWidget(self.detail)
        vertical.addWidget(lower)
        vertical.setStretchFactor(0, 3)
        vertical.setStretchFactor(1, 2)
        right_layout.addWidget(vertical)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName(f"{self.object_name}Split")
        split.setChildrenCollapsible(False)
        split.addWidget(self.queue)
        split.addWidget(right)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 6)
        split.setSizes([660, 700])  # before the first show: shares of the width it gets
        vertical.setSizes([420, 340])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.queue.take_tabs())  # across list and detail: room for every name
        layout.addWidget(split)
        self.setTabOrder(self.queue.table, panel)
        self.follow_cases()
        self.update_actions()
        self.refresh()

    # --- reading --------------------------------------------------------------------------

    def activate(self) -> None:
        self.refresh()
        self.queue.table.setFocus()

    def refresh(self) -> None:
        self.queue.refresh()

    def cases_changed(self, changed: Changed) -> None:
        """The list reads again when a change could move cases in or out of it; the detail only
        when its own case changed (choosing the same case again keeps what is shown)."""
        touched = changed.touches(self.case_id)
        if touched:
            self.view = None
        if changed.lists:
            self.queue.refresh()
        elif touched and self.case_id is not None:
            self.load_case(self.case_id)

    def read_case(self, case_id: int) -> Callable[[], T]:
        raise NotImplementedError

    def show_case(self, data: T) -> None:
        raise NotImplementedError

    def update_actions(self) -> None:
        raise NotImplementedError

    def load_case(self, case_id: int) -> None:
        if case_id == self.case_id and self.view is not None:
            return  # chosen again after a refresh, unchanged: what is shown is current
        changed = case_id != self.case_id
        self.case_id = case_id
        self.view = None
        self._token += 1
        token = self._token
        self.update_actions()
        self.env.runner.read(
            self.read_case(case_id),
            lambda data: self._case_read(token, data, changed),
            self._case_failed,
            owner=self,
        )

    def _case_read(self, token: int, data: T, changed: bool) -> None:
        if token != self._token:
            return  # another case was chosen meanwhile
        if changed:
            self.new_case()
        self.show_case(data)
        self.update_actions()

    def _case_failed(self, error: AppError) -> None:
        self.failed(error)

    def failed(self, error: AppError) -> None:
        """Nothing was changed; a refused input is named even when the message does not."""
        if isinstance(error, ValidationError) and error.field not in error.message:
            self.say(f"[{error.code}] {error.field}：{error.message}", error=True)
        else:
            super().failed(error)

    def new_case(self) -> None:
        """Another case was chosen: reset the panel's inputs (subclasses extend)."""

    def clear_case(self) -> None:
        self.case_id = None
        self.view = None
        self._token += 1
        self.detail.clear()
        self.new_case()
        self.update_actions()

    @property
    def number(self) -> str:
        if self.view is None:
            return ""
        row = self.view.detail.row
        return row.official_no or row.receipt_no

    # --- writing --------------------------------------------------------------------------

    def target(self) -> tuple[int, str] | None:
        """(case id, number) of the case an action would change; None while loading or busy."""
        if self.case_id is None or self.view is None or self.busy:
            return None
        return self.case_id, self.number

    def do(self, command: Callable[[DeskBackend, int, str], str]) -> None:
        """An action that needs no input: ``command(backend, case_id, number)``."""
        target = self.target()
        if target is not None:
            b = self.env.backend
            self.write(lambda: command(b, *target))

    def write(
        self,
        task: Callable[[], str],
        done: Callable[[], None] | None = None,
        *,
        offer: Action | None = None,
    ) -> None:
        """Run a write; on success say its sentence and run ``done`` (e.g. clear inputs), and
        offer the documents the ``offer`` action produces for the case."""
        case_id, number = self.case_id, self.number
        self.busy = True
        self.update_actions()

        def written(message: str) -> None:
            self.busy = False
            self.view = None  # stale now: the refresh (cases_changed) reads the case again
            self.say(message)
            if done is not None:
                done()
            if offer is not None and case_id is not None:
                offer_documents(self, self.env, case_id, offer, number)
            self.update_actions()

        def refused(error: AppError) -> None:
            self.busy = False
            self.failed(error)
            self.update_actions()

        changed = (case_id,) if case_id is not None else None
        self.env.runner.write(task, written, refused, owner=self, cases=changed)
