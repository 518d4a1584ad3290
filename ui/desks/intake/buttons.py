"""The row of decisions under the intake, each with its shortcut on the button, and the
shortcuts themselves (active while the focus is anywhere in the workspace)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton, QWidget

from app.intake.window import Kind
from app.workflow.states import CaseState
from ui.flow_layout import FlowLayout
from ui.widgets import push_button

# kind: (objectName, label, shortcut shown, key sequences)
DECISIONS: dict[Kind, tuple[str, str, str, tuple[str, ...]]] = {
    Kind.RECEIVE: ("intakeReceive", "收件", "F4", ("F4",)),
    Kind.ACCEPT: ("intakeAccept", "受理", "Ctrl+Enter", ("Ctrl+Return", "Ctrl+Enter")),
    Kind.DEFICIENCY: ("intakeDeficiency", "容缺受理", "F6", ("F6",)),
    Kind.SUPPLEMENT: ("intakeSupplement", "一次性告知", "F7", ("F7",)),
    Kind.REFUSE: ("intakeRefuse", "不予受理", "F8", ("F8",)),
}
RECEIVE_LABELS = {CaseState.SUBMITTED: "收件", CaseState.AWAITING_SUPPLEMENT: "补正收件"}


def focusables(root: QWidget) -> list[QWidget]:
    """``root``'s widgets that take Tab focus, in their focus-chain order."""
    found: list[QWidget] = []
    widget = root.nextInFocusChain()
    seen: set[int] = set()
    while widget is not None and widget is not root and id(widget) not in seen:
        seen.add(id(widget))
        if root.isAncestorOf(widget) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            found.append(widget)
        widget = widget.nextInFocusChain()
    return found


def _button(name: str, text: str, accessible: str, tip: str) -> QPushButton:
    button = push_button(text, name, accessible=accessible, tip=tip)
    button.setAutoDefault(False)
    return button


class DecisionButtons(QWidget):
    pressed = Signal(object)  # Kind
    confirm = Signal()  # Ctrl+Enter: the open panel's confirm, else 受理

    def __init__(self, owner: QWidget) -> None:
        super().__init__(owner)
        self.setObjectName("intakeDecisions")
        self.decisions: dict[Kind, QPushButton] = {}
        line = FlowLayout(self)  # wraps onto a second line on a narrow (150 %) screen
        line.setContentsMargins(0, 4, 0, 0)
        for kind, (name, label, keys, _) in DECISIONS.items():
            button = _button(name, f"{label}（{keys}）", label, f"{label}，快捷键 {keys}")
            button.clicked.connect(lambda _=False, k=kind: self.pressed.emit(k))
            self.decisions[kind] = button
            line.addWidget(button)
        self.decisions[Kind.ACCEPT].setStyleSheet("font-weight:bold;")
        line.addSpacing(3 * self.fontMetrics().averageCharWidth())  # the draft's group apart
        self.save_draft = _button(
            "saveDraft", "暂存草稿（Ctrl+S）", "暂存草稿", "保存为草稿，先接待下一位"
        )
        self.discard = _button(
            "discardIntake", "放弃本次收件", "放弃本次收件", "删除填写内容和草稿"
        )
        self.close_case = _button("closeCase", "关闭", "关闭办件", "暂不办理，关闭此办件")
        for button in (self.save_draft, self.discard, self.close_case):
            line.addWidget(button)
        self._busy = False

        for kind, (_, _, _, sequences) in DECISIONS.items():
            target = self.confirm.emit if kind is Kind.ACCEPT else self._shortcut_for(kind)
            for sequence in sequences:
                self._shortcut_on(owner, sequence, target)
        self._shortcut_on(owner, "Ctrl+S", self._save_shortcut)

    @staticmethod
    def _shortcut_on(owner: QWidget, sequence: str, target: Callable[[], None]) -> None:
        shortcut = QShortcut(QKeySequence(sequence), owner)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(target)

    def _shortcut_for(self, kind: Kind) -> Callable[[], None]:
        def pressed() -> None:
            if self.usable(kind):
                self.pressed.emit(kind)

        return pressed

    def _save_shortcut(self) -> None:
        if self.save_draft.isVisible() and self.save_draft.isEnabled():
            self.save_draft.click()

    def usable(self, kind: Kind) -> bool:
        button = self.decisions[kind]
        return not self._busy and button.isEnabled() and not button.isHidden()

    def show_for(self, state: CaseState | None, *, empty: bool = False) -> None:
        """Walk-in (``state`` None), a pending case in ``state``, or nothing open (``empty``)."""
        receive = None if empty or state is None else RECEIVE_LABELS.get(state)
        self.decisions[Kind.RECEIVE].setHidden(receive is None)
        if receive is not None:
            self.decisions[Kind.RECEIVE].setText(f"{receive}（F4）")
            self.decisions[Kind.RECEIVE].setAccessibleName(receive)
        for button in self.decisions.values():
            button.setEnabled(not empty and not self._busy)
        self.save_draft.setHidden(empty or state is not None)
        self.discard.setHidden(empty or state is not None)
        self.close_case.setHidden(empty or state is None)

    def _all(self) -> list[QPushButton]:
        return [*self.decisions.values(), self.save_draft, self.discard, self.close_case]

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        for button in self._all():
            button.setEnabled(not busy)

    def focusables(self) -> list[QWidget]:
        return [b for b in self._all() if not b.isHidden()]

    def first(self) -> QWidget:
        shown = self.focusables()
        return shown[0] if shown else self
