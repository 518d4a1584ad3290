"""受理台: the front desk. On the left the clerk picks an item (or a draft, or a pending case);
on the right the intake itself: form, materials, and the decision.

Keyboard first: the item search has the focus on open (Ctrl+F returns to it), Enter picks, the
form follows in Tab order, and each decision has its shortcut on its button.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.intake import drafts as intake_drafts
from app.intake.drafts import Draft, DraftSummary
from app.intake.spec import PickableItem, pickable_items, recent_item_ids
from ui.desk_base import Desk, DeskEnv
from ui.desks.intake.drafts_list import DraftList
from ui.desks.intake.pending import PendingList
from ui.desks.intake.picker import ItemPicker
from ui.desks.intake.workspace import SIDE_BY_SIDE_WIDTH, IntakeWorkspace
from ui.worker import Changed

SIDEBAR_WIDTH = 250
#: Narrower than this (logical px: a 1366×768 screen at 125 % or 150 % scaling) the side bar
#: steps aside while an intake is open and the workspace takes its width; Ctrl+F, the
#: 「选择事项」 button and the next resident bring it back.
WIDE_DESK_WIDTH = SIDEBAR_WIDTH + SIDE_BY_SIDE_WIDTH + 20
PICK, DRAFTS, PENDING = range(3)


class IntakeDesk(Desk):
    title = "受理台"
    object_name = "intakeDesk"

    def __init__(self, env: DeskEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.picker = ItemPicker()
        self.drafts = DraftList()
        self.pending = PendingList(env)
        self.sidebar = QTabWidget()
        self.sidebar.setObjectName("intakeSidebar")
        self.sidebar.setAccessibleName("选择要办理的事项、草稿或待办件")
        self.sidebar.addTab(self.picker, "选择事项")
        self.sidebar.addTab(self.drafts, "草稿")
        self.sidebar.addTab(self.pending, "待办件")
        self.sidebar.setMinimumWidth(230)
        self.workspace = IntakeWorkspace(env)

        self.split = split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("intakeDeskSplit")
        split.setChildrenCollapsible(False)
        split.addWidget(self.sidebar)
        split.addWidget(self.workspace)
        # Wider screens widen the side bar too (a sixth of the extra): its names and 收件号
        # show whole at 1920 px instead of leaving the width to an empty workspace.
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 5)
        split.setSizes([SIDEBAR_WIDTH, 1100])
        self.notice.setMinimumHeight(22)
        self.show_sidebar = QPushButton("◂ 选择事项（Ctrl+F）")
        self.show_sidebar.setObjectName("intakeShowSidebar")
        self.show_sidebar.setAccessibleName("显示事项、草稿和待办件列表")
        self.show_sidebar.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Ctrl+F is the keyboard way
        self.show_sidebar.clicked.connect(self.focus_search)
        self.show_sidebar.hide()
        # Beside the intake's header: on a short screen it takes no line of its own.
        self.workspace.header_row.insertWidget(0, self.show_sidebar)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.addWidget(self.notice)
        layout.addWidget(split, 1)

        self.picker.item_picked.connect(self.workspace.start_walk_in)
        self.drafts.resume.connect(self._resume_draft)
        self.drafts.discard.connect(self._discard_draft)
        self.pending.open_case.connect(self.workspace.open_case)
        self.pending.model.loaded.connect(self._pending_counted)
        self.workspace.said.connect(lambda text, error: self.say(text, error=error))
        self.workspace.done.connect(self._next_resident)
        self.workspace.shown.connect(self._fit_sidebar)
        # A draft is in no case list: its own writes say when the drafts list must be read again.
        self.workspace.keeper.saved.connect(self._drafts_changed)
        self.workspace.keeper.discarded.connect(self._drafts_changed)
        self.follow_cases()
        search = QShortcut(QKeySequence("Ctrl+F"), self)
        search.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        search.activated.connect(self.focus_search)
        self.activate()

    # --- refreshing -------------------------------------------------------------------------

    def activate(self) -> None:
        backend = self.env.backend
        self.env.runner.read(
            lambda: (backend.lookup(pickable_items), backend.run(recent_item_ids)),
            self._items_arrived,
            self.failed,
            owner=self,
        )
        self._refresh_lists()
        if self.workspace.spec is None:
            self.focus_search()

    def _items_arrived(self, found: tuple[list[PickableItem], list[int]]) -> None:
        items, recent = found
        self.picker.set_items(items, recent)

    def cases_changed(self, changed: Changed) -> None:
        if changed.lists:
            self._refresh_lists()

    def _refresh_lists(self) -> None:
        self._drafts_changed()
        self.pending.reload()

    def _drafts_changed(self, *_: object) -> None:
        backend = self.env.backend
        self.env.runner.read(
            lambda: backend.run(intake_drafts.list_drafts),
            self._drafts_arrived,
            self.failed,
            owner=self,
        )

    def _drafts_arrived(self, drafts: list[DraftSummary]) -> None:
        self.drafts.set_drafts(drafts)
        self.sidebar.setTabText(DRAFTS, f"草稿（{len(drafts)}）" if drafts else "草稿")

    def _pending_counted(self) -> None:
        total = self.pending.model.total
        self.sidebar.setTabText(PENDING, f"待办件（{total}）" if total else "待办件")

    # --- moving between intakes -------------------------------------------------------------

    def focus_search(self) -> None:
        self._set_sidebar(True)
        self.sidebar.setCurrentIndex(PICK)
        self.picker.focus_search()

    def _next_resident(self) -> None:
        """An intake was decided or put aside: ready for the next resident."""
        self.picker.search.clear()
        self.activate()  # recent items changed

    def _resume_draft(self, token: str) -> None:
        backend = self.env.backend
        self.env.runner.read(
            lambda: backend.run(intake_drafts.load_draft, token),
            self._draft_loaded,
            self.failed,
            owner=self,
        )

    def _draft_loaded(self, draft: Draft) -> None:
        self.workspace.start_walk_in(draft.item_id, draft)
        self.say(f"继续办理草稿：{draft.item_name}。")

    def _discard_draft(self, token: str) -> None:
        if self.env.dialogs.confirm(self, "放弃草稿", "放弃后这份草稿将删除，不能恢复。确定吗？"):
            self.workspace.discard_draft(token)

    # --- narrow screens ---------------------------------------------------------------------

    def _fit_sidebar(self) -> None:
        """On a narrow desk an open intake takes the side bar's width; on a wide one the side
        bar is always there."""
        narrow = self.width() < WIDE_DESK_WIDTH
        if not narrow:
            self._set_sidebar(True)
        elif self.workspace.spec is not None:
            self._set_sidebar(False)

    def _set_sidebar(self, shown: bool) -> None:
        if self.sidebar.isHidden() == (not shown):
            return
        self.sidebar.setVisible(shown)
        self.show_sidebar.setVisible(not shown)
        if shown:
            total = sum(self.split.sizes())
            self.split.setSizes([SIDEBAR_WIDTH, max(total - SIDEBAR_WIDTH, 1)])

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_sidebar()

    def keep_unsaved(self) -> str | None:
        return self.workspace.keep_for_later()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self.workspace.spec is None:
            self.focus_search()
