"""The 评价器's face: what the resident sees and touches to rate one service (一次一评).

Who served and what (「您正在评价：张三 W01 窗口 · 收件受理」, the item and the 收件号), five big
buttons 非常满意 … 非常不满意 in plain words and clear colours; a press on one of the top three
rates at once, the bottom two (差评) first ask why — a checklist, optional words, 匿名 — and are
sent with 提交评价. Then a thank-you. The panel writes nothing itself: it emits ``submitted``
and its host records the rating and calls :meth:`RatingPanel.show_thanks` or
:meth:`RatingPanel.show_error`.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.evaluations.levels import MAX_TEXT, REASON_LABELS, Level, Reason
from app.evaluations.service import Invitation

#: Button colours (background, text): greens for satisfied, amber in the middle, orange and red
#: for the two 差评 levels. Words on every button; no faces.
LEVEL_COLOURS: dict[Level, tuple[str, str]] = {
    Level.VERY_SATISFIED: ("#1b5e20", "#ffffff"),
    Level.SATISFIED: ("#43a047", "#ffffff"),
    Level.BASICALLY_SATISFIED: ("#f9a825", "#212121"),
    Level.DISSATISFIED: ("#e65100", "#ffffff"),
    Level.VERY_DISSATISFIED: ("#b71c1c", "#ffffff"),
}
LEVEL_ORDER = (
    Level.VERY_SATISFIED,
    Level.SATISFIED,
    Level.BASICALLY_SATISFIED,
    Level.DISSATISFIED,
    Level.VERY_DISSATISFIED,
)
REASON_COLUMNS = 3
NO_REASON = "请至少勾选一项不满意的原因，或写下您的意见。"


@dataclass(frozen=True)
class Size:
    """Point sizes and the level buttons' height: the full-screen 评价器 is read from further
    away than the dialog on the clerk's screen."""

    title: float
    line: float
    level: float
    level_height: int
    reason: float


WINDOW_SIZE = Size(title=26, line=18, level=28, level_height=150, reason=18)
DIALOG_SIZE = Size(title=18, line=13, level=18, level_height=84, reason=13)


@dataclass(frozen=True)
class Rating:
    """What the resident chose: a level, and for a 差评 why."""

    level: Level
    reasons: tuple[Reason, ...] = ()
    text: str = ""
    anonymous: bool = False


def _sheet(size: Size) -> str:
    rules = [
        f"#ratingPanel QLabel {{ font-size: {size.line}pt; color: #1f2933; }}",
        f"#ratingPanel QLabel#ratingTitle {{ font-size: {size.title}pt; font-weight: bold;"
        " color: #0d47a1; }",
        f"#ratingPanel QLabel#ratingServed {{ font-size: {size.title * 0.85:.1f}pt;"
        " font-weight: bold; color: #1f2933; }",
        f"#ratingPanel QLabel#ratingThanks {{ font-size: {size.title * 1.3:.1f}pt;"
        " font-weight: bold; color: #1b5e20; }",
        f"#ratingPanel QCheckBox {{ font-size: {size.reason}pt; spacing: 10px; }}",
        f"#ratingPanel QCheckBox::indicator {{ width: {size.reason * 1.4:.0f}px;"
        f" height: {size.reason * 1.4:.0f}px; }}",
        f"#ratingPanel QPlainTextEdit {{ font-size: {size.reason}pt; }}",
        f"#ratingPanel QPushButton {{ font-size: {size.reason}pt; padding: 6px 24px;"
        f" min-height: {size.reason * 2:.0f}px; }}",
        "#ratingPanel QLabel#ratingError { color: #b3261e; font-weight: bold; }",
    ]
    for level, (background, text) in LEVEL_COLOURS.items():
        rules.append(
            f"#ratingPanel QPushButton#rate_{level.name.lower()} {{ background: {background};"
            f" color: {text}; font-size: {size.level}pt; font-weight: bold; border: 0;"
            f" border-radius: 10px; min-height: {size.level_height}px; padding: 6px 10px; }}"
        )
        rules.append(
            f"#ratingPanel QPushButton#rate_{level.name.lower()}:disabled {{"
            " background: #b0bec5; color: #eceff1; }"
        )
    rules.append(
        "#ratingPanel QPushButton#ratingSubmit { background: #1565c0; color: white;"
        " border: 0; border-radius: 6px; font-weight: bold; }"
    )
    rules.append("#ratingPanel QPushButton#ratingSubmit:disabled { background: #90a4ae; }")
    return "\n".join(rules)


def served_line(invitation: Invitation) -> str:
    """「您正在评价：张三 W01 窗口 · 收件受理」."""
    return (
        f"您正在评价：{invitation.staff_name} {invitation.window} 窗口 · {invitation.service.label}"
    )


def case_line(invitation: Invitation) -> str:
    return f"办理事项：{invitation.item_name}　　收件号：{invitation.receipt_no}"


def _label(text: str, name: str, *, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


class RatingPanel(QWidget):
    """``submitted(Rating)`` when the resident has chosen (and, for a 差评, said why)."""

    submitted = Signal(object)  # Rating

    def __init__(self, size: Size, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ratingPanel")
        self.setAccessibleName("服务评价")
        self.setStyleSheet(_sheet(size))
        self.invitation: Invitation | None = None
        self.level: Level | None = None  # the 差评 level being explained

        self.title = _label("请您对本次服务进行评价", "ratingTitle")
        self.served = _label("", "ratingServed")
        self.case = _label("", "ratingCase")
        self.pages = QStackedWidget()
        self.pages.setObjectName("ratingPages")
        self.choose_page = self._build_choose()
        self.reasons_page = self._build_reasons()
        self.thanks_page = self._build_thanks()
        for page in (self.choose_page, self.reasons_page, self.thanks_page):
            self.pages.addWidget(page)
        self.error = _label("", "ratingError")
        self.error.hide()

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.served)
        layout.addWidget(self.case)
        layout.addSpacing(8)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        # No button is pressed by Enter (in a dialog each would be "auto default", and its
        # size hint grow once the panel is in the dialog, after its row was laid out).
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)

    # --- building -------------------------------------------------------------------------

    def _build_choose(self) -> QWidget:
        page = QWidget()
        page.setObjectName("ratingChoose")
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(14)
        self.level_buttons: dict[Level, QPushButton] = {}
        for level in LEVEL_ORDER:
            button = QPushButton(level.label)
            button.setObjectName(f"rate_{level.name.lower()}")
            button.setAccessibleName(f"评价：{level.label}")
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _=False, chosen=level: self._chosen(chosen))
            row.addWidget(button, 1, Qt.AlignmentFlag.AlignVCenter)
            self.level_buttons[level] = button
        return page

    def _build_reasons(self) -> QWidget:
        page = QWidget()
        page.setObjectName("ratingReasons")
        self.reasons_prompt = _label("", "ratingReasonsPrompt")
        grid = QGridLayout()
        grid.setHorizontalSpacing(28)
        grid.setVerticalSpacing(12)
        self.reason_boxes: dict[Reason, QCheckBox] = {}
        for index, (reason, text) in enumerate(REASON_LABELS.items()):
            box = QCheckBox(text)
            box.setObjectName(f"reason_{reason.value}")
            box.toggled.connect(self._clear_error)
            grid.addWidget(box, index // REASON_COLUMNS, index % REASON_COLUMNS)
            self.reason_boxes[reason] = box
        self.text = QPlainTextEdit()
        self.text.setObjectName("ratingText")
        self.text.setAccessibleName("您的意见（可不填）")
        self.text.setPlaceholderText(f"您的意见（可不填，最多 {MAX_TEXT} 字）")
        self.text.setTabChangesFocus(True)
        self.text.textChanged.connect(self._text_changed)
        self.text.ensurePolished()  # its own font size, for the height below
        lines = self.text.fontMetrics().lineSpacing()
        self.text.setMinimumHeight(lines * 2 + 14)
        self.text.setMaximumHeight(lines * 5 + 14)  # the rest stays below, not in an empty box
        self.anonymous = QCheckBox("匿名（不需要回访）")
        self.anonymous.setObjectName("ratingAnonymous")
        self.back = QPushButton("重新选择")
        self.back.setObjectName("ratingBack")
        self.back.clicked.connect(self._back)
        self.submit = QPushButton("提交评价")
        self.submit.setObjectName("ratingSubmit")
        self.submit.clicked.connect(self._submit)
        buttons = QHBoxLayout()
        centred = Qt.AlignmentFlag.AlignVCenter  # each its own height (the row is the tallest)
        buttons.addWidget(self.back, 0, centred)
        buttons.addStretch(1)
        buttons.addWidget(self.anonymous, 0, centred)
        buttons.addSpacing(24)
        buttons.addWidget(self.submit, 0, centred)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.reasons_prompt)
        layout.addLayout(grid)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        return page

    def _build_thanks(self) -> QWidget:
        page = QWidget()
        page.setObjectName("ratingThanksPage")
        self.thanks = _label("感谢您的评价！", "ratingThanks")
        self.thanks_note = _label("", "ratingThanksNote")
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.thanks)
        layout.addWidget(self.thanks_note)
        layout.addStretch(1)
        return page

    # --- what is shown --------------------------------------------------------------------

    def show_invitation(self, invitation: Invitation) -> None:
        """A fresh rating of ``invitation``: the five buttons, nothing ticked or typed."""
        self.invitation = invitation
        self.level = None
        self.title.setText("请您对本次服务进行评价")
        self.served.setText(served_line(invitation))
        self.case.setText(case_line(invitation))
        for box in self.reason_boxes.values():
            box.setChecked(False)
        self.text.clear()
        self.anonymous.setChecked(False)
        self._clear_error()
        self.set_busy(False)
        self.pages.setCurrentWidget(self.choose_page)

    def show_thanks(self, rating: Rating) -> None:
        self.set_busy(False)
        self._clear_error()
        self.title.setText("评价已提交")
        if rating.level.is_bad and not rating.anonymous:
            note = "您的意见我们将认真核实整改，并由工作人员回访您。"
        elif rating.level.is_bad:
            note = "您的意见我们将认真核实整改。"
        else:
            note = "欢迎您再次来中心办事。"
        self.thanks_note.setText(note)
        self.pages.setCurrentWidget(self.thanks_page)

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.error.setText(text)
        self.error.show()

    def set_busy(self, busy: bool) -> None:
        """While the rating is being recorded nothing can be pressed twice."""
        for button in (*self.level_buttons.values(), self.submit, self.back):
            button.setEnabled(not busy)

    @property
    def thanked(self) -> bool:
        return self.pages.currentWidget() is self.thanks_page

    # --- the resident's choices -----------------------------------------------------------

    def _chosen(self, level: Level) -> None:
        self._clear_error()
        if not level.is_bad:
            self._send(Rating(level))
            return
        self.level = level
        self.reasons_prompt.setText(
            f"您选择了「{level.label}」。请告诉我们哪里做得不好（可多选）："
        )
        self.pages.setCurrentWidget(self.reasons_page)

    def _back(self) -> None:
        self.level = None
        self._clear_error()
        self.pages.setCurrentWidget(self.choose_page)

    def _submit(self) -> None:
        if self.level is None:
            return
        reasons = tuple(r for r, box in self.reason_boxes.items() if box.isChecked())
        text = self.text.toPlainText().strip()
        if not reasons and not text:
            self.show_error(NO_REASON)
            return
        self._send(Rating(self.level, reasons, text, self.anonymous.isChecked()))

    def _send(self, rating: Rating) -> None:
        self.set_busy(True)
        self.submitted.emit(rating)

    def _text_changed(self) -> None:
        text = self.text.toPlainText()
        if len(text) > MAX_TEXT:  # typed or pasted past the limit: cut, keep the cursor at the end
            self.text.setPlainText(text[:MAX_TEXT])
            cursor = self.text.textCursor()
            cursor.movePosition(cursor.MoveOperation.End)
            self.text.setTextCursor(cursor)
        self._clear_error()

    def _clear_error(self) -> None:
        self.error.clear()
        self.error.hide()
