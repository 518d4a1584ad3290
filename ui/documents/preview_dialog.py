"""A document shown inside the app (Qt's PDF view), with 打印 / 另存为 PDF / 关闭. Non-modal:
the desk stays usable behind it."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.printing.service import IssuedDocument
from app.workflow.fold import CHINA_TZ
from ui.desk_base import DeskEnv
from ui.documents.actions import DocumentActions, suggested_name
from ui.pdf.pages import open_pdf
from ui.widgets import push_button

PREFERRED = QSize(820, 900)  # an A4 page at a readable size, where the screen has the room
# Room for the window frame (title bar, borders) the window manager adds around the dialog: the
# frame is not known before the first show, and the buttons at the bottom must stay on screen.
FRAME = QMargins(8, 36, 8, 8)


def fitted_size(available: QRect, preferred: QSize = PREFERRED) -> QSize:
    """The dialog's size on a screen whose free area (without the taskbar) is ``available``:
    ``preferred`` where it fits, otherwise shrunk so that the dialog and its frame fit."""
    room = available.marginsRemoved(FRAME).size()
    return preferred.boundedTo(room).expandedTo(QSize(1, 1))


def _button(text: str, name: str, shortcut: str, tip: str) -> QPushButton:
    button = push_button(text, name, tip=f"{tip}（{shortcut}）")
    button.setShortcut(QKeySequence(shortcut))
    return button


class PreviewDialog(QDialog):
    def __init__(
        self,
        env: DeskEnv,
        doc: IssuedDocument,
        number: str,
        parent: QWidget | None = None,
        *,
        fresh: bool = False,
    ) -> None:
        """``fresh``: ``doc`` was built for this preview only (not archived), so 打印 and 另存为
        issue the document (archived, audited); otherwise it is an archived copy: 打印 builds a
        补打 and 另存为 writes the archived bytes."""
        super().__init__(parent)
        self.setObjectName("documentPreview")
        self.setAccessibleName(f"{doc.title}预览")
        self.setWindowTitle(f"{doc.title}预览 · {number}" if number else f"{doc.title}预览")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(False)
        self.env = env
        self.doc = doc
        self.number = number
        self.fresh = fresh
        self.docs = DocumentActions(env, self)
        self.document = open_pdf(doc.pdf, self)

        self.view = QPdfView(self)
        self.view.setObjectName("documentPdfView")
        self.view.setAccessibleName("文书页面")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.view.setDocument(self.document)

        when = f"{doc.printed_at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}"
        self.info = QLabel(
            f"<b>{doc.title}</b> · 共 {self.document.pageCount()} 页 · "
            f"{when} 存档 · SHA-256 {doc.sha256[:16]}…"
        )
        self.info.setObjectName("documentPreviewInfo")
        self.info.setToolTip(f"SHA-256：{doc.sha256}")
        self.status = QLabel()
        self.status.setObjectName("documentPreviewStatus")
        self.docs.said.connect(self._say)

        self.print_button = _button(
            "打印" if fresh else "补打",
            "previewPrint",
            "Ctrl+P",
            "生成、存档并打印" if fresh else "重新生成并打印，存档标记为补打",
        )
        self.save_button = _button("另存为 PDF", "previewSave", "Ctrl+S", "保存存档的 PDF")
        self.fit_width = _button("适合宽度", "previewFitWidth", "Ctrl+W", "整页 / 适合宽度")
        self.fit_width.setCheckable(True)
        self.fit_width.toggled.connect(self._zoom)
        self.close_button = QPushButton("关闭")
        self.close_button.setObjectName("previewClose")
        self.close_button.setAccessibleName("关闭预览")
        self.close_button.setToolTip("关闭预览（Esc）")
        self.print_button.setProperty("primary", True)
        self.print_button.clicked.connect(self._print)
        self.save_button.clicked.connect(self._save)
        self.close_button.clicked.connect(self.close)
        self.docs.busy_changed.connect(lambda busy: self.print_button.setEnabled(not busy))

        buttons = QHBoxLayout()
        buttons.addWidget(self.fit_width)
        buttons.addWidget(self.status, 1)
        for b in (self.print_button, self.save_button, self.close_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.fit_screen(parent)
        self.print_button.setFocus()

    def fit_screen(self, parent: QWidget | None) -> None:
        """Size for the screen the desk is on (its available geometry: a 1366×768 screen with a
        taskbar leaves ~728 px), so 打印 / 另存为 / 关闭 are never below the screen's edge;
        placed inside that area."""
        screen = parent.window().screen() if parent is not None else None
        screen = screen or QGuiApplication.primaryScreen()
        available = screen.availableGeometry()
        self.resize(fitted_size(available))
        inner = available.marginsRemoved(FRAME)
        frame = QRect(inner.topLeft(), self.size())
        frame.moveCenter(inner.center())
        self.move(frame.left() - FRAME.left(), frame.top() - FRAME.top())

    def _zoom(self, width: bool) -> None:
        mode = QPdfView.ZoomMode.FitToWidth if width else QPdfView.ZoomMode.FitInView
        self.view.setZoomMode(mode)

    def _say(self, text: str, error: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color:#b3261e;" if error else "color:#1b5e20;")

    def _print(self) -> None:
        self.docs.print_new(self.doc.case_id, self.doc.kind)

    def _save(self) -> None:
        if self.fresh:
            self.docs.save_new(self.doc.case_id, self.doc.kind, self.number)
            return
        path = self.env.dialogs.choose_save_path(self, suggested_name(self.doc.title, self.number))
        if path is not None:
            self.docs.save_bytes(self.doc, path)


def show_previews(actions: DocumentActions) -> None:
    """Open a preview window each time ``actions`` has a document ready to show."""

    def open_one(doc: IssuedDocument, number: str, fresh: bool) -> None:
        dialog = PreviewDialog(actions.env, doc, number, actions.host, fresh=fresh)
        dialog.docs.said.connect(actions.said)
        actions.previews = [p for p in actions.previews if p.isVisible()] + [dialog]
        dialog.show()
        actions.said.emit(f"已打开{doc.title}预览。", False)

    actions.preview_ready.connect(open_one)
