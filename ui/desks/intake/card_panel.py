"""读卡 at the intake form: a strip under the applicant block with the card's photo, the 读卡
button (F2 on the workspace), which reader is in use (``模拟读卡器`` stands out) and a notice.

The card is read in the background (``Runner.read``: opening the reader and reading the chip
take a second or two on real hardware). Its text goes into the form through
:meth:`FormView.fill`, so every filled field is checked as if typed. The photo lives only in the
label's pixmap: it is in no form value, so never in a draft, the store or a log. An error (no
reader, no card) is said in Chinese and the form keeps what was typed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.idcard import IdCard, read_card
from app.idcard.config import ReaderConfig, ReaderKind, reader_config, reader_for
from app.idcard.fill import applicant_block, card_values, fillable_roles
from app.idcard.sdk import SDK_LABEL
from app.idcard.simulator import SIMULATOR_LABEL
from ui.desk_base import DeskEnv
from ui.form import FormView
from ui.form.style import ERROR, WARNING, help_label, show_problem, small_font

PHOTO_SIZE = (102, 126)  # the chip's photo, in pixels: shown as it is
_SIMULATOR_STYLE = "color:#b45309;font-weight:bold"


class CardPanel(QFrame):
    """The strip under the applicant block: the photo, and beside it the 读卡 button, the
    reader's name and the notice (what was read, an expired card, an error)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardPanel")
        self.photo = QLabel("身份证照片")
        self.photo.setObjectName("cardPhoto")
        self.photo.setAccessibleName("身份证照片（仅显示，不保存）")
        self.photo.setToolTip("读卡后显示身份证照片，仅供核对，不保存")
        self.photo.setFixedSize(*PHOTO_SIZE)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setFrameShape(QFrame.Shape.StyledPanel)
        self.photo.setFont(small_font(self.photo))
        self.photo.hide()  # until the reader's settings say there is one
        self.button = QPushButton("读卡 F2")
        self.button.setObjectName("readCardButton")
        self.button.setAccessibleName("读取身份证")
        self.button.setToolTip("读取第二代居民身份证，填入申请人信息（F2）")
        # Out of the Tab chain, and a click leaves the focus where the clerk was typing: the
        # keyboard way is F2, from anywhere in the intake.
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reader = QLabel()
        self.reader.setObjectName("cardReaderLabel")
        self.notice = help_label("放好身份证后按 F2 或点“读卡”，申请人信息自动填入。")
        self.notice.setObjectName("cardNotice")
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.button)
        line.addWidget(self.reader)
        line.addStretch(1)
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.addLayout(line)
        side.addWidget(self.notice)
        side.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 4, 0, 4)
        row.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(side, 1)

    def show_reader(self, config: ReaderConfig) -> None:
        """Say which reader reads; without one the strip is a single line (no photo box)."""
        self.photo.setVisible(config.kind is not ReaderKind.NONE)
        if config.kind is ReaderKind.SIMULATOR:
            self.reader.setText(f"<span style='{_SIMULATOR_STYLE}'>{SIMULATOR_LABEL}</span>")
            self.reader.setToolTip("演示、测试用的虚拟阅读器：读出的都是虚构人员的卡片")
        elif config.kind is ReaderKind.SDK:
            self.reader.setText(SDK_LABEL)
            self.reader.setToolTip(config.sdk_library)
        else:
            self.reader.setText("未配置阅读器")
            self.reader.setToolTip("管理 › 中心设置 › 身份证阅读器")
            self.notice.setText(
                "本工作站未配置身份证阅读器，请手工录入（管理员可在“中心设置”中设置）。"
            )

    def show_photo(self, photo: bytes | None) -> None:
        pixmap = QPixmap()
        if photo and pixmap.loadFromData(photo):
            if pixmap.size() != self.photo.contentsRect().size():
                pixmap = pixmap.scaled(
                    self.photo.contentsRect().size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            self.photo.setPixmap(pixmap)
            self.photo.show()
        else:
            self.photo.clear()
            self.photo.setText("无照片" if photo is not None else "身份证照片")

    def set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.button.setText("正在读卡…" if busy else "读卡 F2")


class CardReading(QObject):
    """The 读卡 of one open form. :meth:`attach` gives None for a form with nothing a card
    fills (a legal person's form)."""

    said = Signal(str, bool)  # text, is_error: for the desk's message line

    def __init__(self, env: DeskEnv, form: FormView, key: str) -> None:
        super().__init__(form)
        self.env = env
        self.form = form
        self.panel = CardPanel()
        self.notice = self.panel.notice
        form.attach_below(key, self.panel)
        self.panel.button.clicked.connect(self.read)
        self.busy = False
        backend = env.backend
        env.runner.read(lambda: backend.lookup(reader_config), self.panel.show_reader, owner=self)

    @classmethod
    def attach(cls, env: DeskEnv, form: FormView) -> CardReading | None:
        template = form.template
        block = applicant_block(template)
        if block is not None:
            return cls(env, form, block.key)
        roles = fillable_roles(template)
        first = roles.get("name") or roles.get("id_number")
        return cls(env, form, first.key) if first is not None else None

    def read(self) -> None:
        """Read the card on the reader in the background, then fill the form."""
        if self.busy:
            return
        self.busy = True
        self.panel.set_busy(True)
        backend = self.env.backend

        def work() -> tuple[IdCard, str]:
            reader = reader_for(backend.lookup(reader_config))
            return read_card(reader), reader.label

        self.env.runner.read(work, self._read, self._failed, owner=self)

    def _read(self, result: tuple[IdCard, str]) -> None:
        card, label = result
        self.busy = False
        self.panel.set_busy(False)
        form = self.form
        villages = form.divisions.villages if form.divisions is not None else None
        values = card_values(form.template, form.value(), card, villages)
        form.fill(values)
        for key in values:  # long text read in shows from its start, as a clerk reads it
            editor = form.editor(key)
            for edit in [editor, *editor.findChildren(QLineEdit)]:
                if isinstance(edit, QLineEdit) and not edit.hasFocus():
                    edit.setCursorPosition(0)
        self.panel.show_photo(card.photo)
        validity = card.validity_text()
        if card.expired(self.env.backend.today()):
            text = (
                f"注意：该身份证已过期（有效期限 {validity}），"
                "请申请人出示有效期内的身份证或临时身份证。"
            )
            show_problem(self.notice, WARNING, text)
            self.said.emit(f"已读卡（{label}）：{card.name}。{text}", True)
        else:
            text = f"已读卡（{label}）：签发机关 {card.authority}，有效期限 {validity}。"
            show_problem(self.notice, "help", text)
            self.said.emit(f"已读卡（{label}）：{card.name}。", False)

    def _failed(self, error: AppError) -> None:
        """Nothing in the form changed: say why, in the notice and the desk's message line."""
        self.busy = False
        self.panel.set_busy(False)
        show_problem(self.notice, ERROR, error.message)
        self.said.emit(str(error), True)
