"""After a decision, the documents it produces are offered at once: a small panel floating at the
bottom right of the desk (non-modal; the clerk carries on, Esc or 关闭 dismisses it), one row per
document with 预览 / 打印 / 另存为 PDF, and 全部打印 (Ctrl+P anywhere in the window while the
panel is shown)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.printing.kinds import DocKind, documents_for
from app.workflow.states import Action
from ui.desk_base import Desk, DeskEnv
from ui.documents.actions import DocumentActions
from ui.documents.preview_dialog import show_previews
from ui.widgets import push_button

MARGIN = 12
OBJECT_NAME = "documentOffer"


def _host_of(widget: QWidget) -> QWidget:
    """The desk the widget is in (the panel floats over the whole desk), else its window."""
    w: QWidget | None = widget
    while w is not None:
        if isinstance(w, Desk):
            return w
        w = w.parentWidget()
    return widget.window()


def offer_documents(
    widget: QWidget,
    env: DeskEnv,
    case_id: int,
    offered: Action | Sequence[DocKind],
    number: str = "",
) -> DocumentOffer | None:
    """Offer the documents a use case named, or those ``offered`` (an action) produces, for the
    case (nothing when there are none); replaces the desk's previous offer."""
    kinds = documents_for(offered) if isinstance(offered, Action) else list(offered)
    host = _host_of(widget)
    old = host.findChild(DocumentOffer, OBJECT_NAME)
    if old is not None:
        old.dismiss()
    if not kinds:
        return None
    offer = DocumentOffer(env, host, case_id, kinds, number)
    offer.show()
    offer.raise_()
    return offer


def _button(text: str, name: str, accessible: str, tip: str) -> QPushButton:
    return push_button(text, name, accessible=accessible, tip=tip)


class DocumentOffer(QFrame):
    def __init__(
        self, env: DeskEnv, host: QWidget, case_id: int, kinds: list[DocKind], number: str
    ) -> None:
        super().__init__(host)
        self.setObjectName(OBJECT_NAME)
        self.setAccessibleName("可打印的文书")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            "#documentOffer { background:#ffffff; border:1px solid #8aa4c8; border-radius:6px; }"
        )
        self.env = env
        self.host = host
        self.case_id = case_id
        self.kinds = kinds
        self.number = number
        self.docs = DocumentActions(env, self)
        show_previews(self.docs)
        self.docs.said.connect(self._say)
        self.docs.busy_changed.connect(self._busy)
        self.docs.printed.connect(self._printed)
        self._queue: list[DocKind] = []  # 全部打印: the ones still to print

        title = QLabel(f"<b>可出具文书</b> · {number}" if number else "<b>可出具文书</b>")
        title.setObjectName("documentOfferTitle")
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        self.buttons: list[QPushButton] = []
        for row, kind in enumerate(kinds):
            label = QLabel(kind.label)
            label.setObjectName(f"offerLabel_{kind.value}")
            grid.addWidget(label, row, 0)
            for col, (text, verb, slot) in enumerate(
                (
                    ("预览", "preview", self._preview),
                    ("打印", "print", self._print),
                    ("另存为 PDF", "save", self._save),
                ),
                start=1,
            ):
                b = _button(
                    text,
                    f"offer_{verb}_{kind.value}",
                    f"{text}{kind.label}",
                    f"{text}{kind.label}（生成后存档）",
                )
                b.clicked.connect(lambda _=False, k=kind, s=slot: s(k))
                grid.addWidget(b, row, col)
                self.buttons.append(b)
        self.print_all = _button(
            "全部打印", "offerPrintAll", "全部打印", "依次打印以上文书（Ctrl+P）"
        )
        self.print_all.setProperty("primary", True)
        self.print_all.clicked.connect(self._print_all)
        self.close_button = _button("关闭", "offerClose", "关闭文书提示", "关闭（Esc）")
        self.close_button.clicked.connect(self.dismiss)
        self.status = QLabel("")
        self.status.setObjectName("documentOfferStatus")
        self.status.setWordWrap(True)
        self.status.setMaximumWidth(420)
        self.status.hide()
        grid.addWidget(self.print_all, len(kinds), 2, 1, 2)
        grid.addWidget(self.close_button, len(kinds), 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(title)
        layout.addLayout(grid)
        layout.addWidget(self.status)
        print_all = QShortcut(QKeySequence("Ctrl+P"), self)
        print_all.setContext(Qt.ShortcutContext.WindowShortcut)  # wherever the focus is
        print_all.activated.connect(self._print_all)
        close = QShortcut(QKeySequence("Esc"), self)
        close.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        close.activated.connect(self.dismiss)
        host.installEventFilter(self)
        self._place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.host and event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def _place(self) -> None:
        self.adjustSize()
        size = self.sizeHint()
        self.setGeometry(
            max(0, self.host.width() - size.width() - MARGIN),
            max(0, self.host.height() - size.height() - MARGIN),
            size.width(),
            size.height(),
        )

    def _say(self, text: str, error: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color:#b3261e;" if error else "color:#1b5e20;")
        self.status.setVisible(bool(text))
        self._place()
        if error:
            self._queue.clear()

    def _printed(self, sent: bool) -> None:
        """全部打印: on to the next one, unless the clerk cancelled the print dialog."""
        if sent and self._queue:
            self.docs.print_new(self.case_id, self._queue.pop(0))
        else:
            self._queue.clear()

    def _busy(self, busy: bool) -> None:
        for b in (*self.buttons, self.print_all):
            b.setEnabled(not busy)

    def _preview(self, kind: DocKind) -> None:
        self.docs.preview_new(self.case_id, kind, self.number)

    def _print(self, kind: DocKind) -> None:
        self.docs.print_new(self.case_id, kind)

    def _save(self, kind: DocKind) -> None:
        self.docs.save_new(self.case_id, kind, self.number)

    def _print_all(self) -> None:
        if self.docs.busy:
            return
        first, *rest = self.kinds
        self._queue = rest
        self.docs.print_new(self.case_id, first)

    def dismiss(self) -> None:
        self.host.removeEventFilter(self)
        self.setObjectName("")  # findChild no longer finds it before it is gone
        self.hide()
        self.deleteLater()
