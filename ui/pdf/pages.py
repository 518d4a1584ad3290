"""Loading PDF bytes into Qt's PDF document and drawing its pages on a printer."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRectF, QSize, Qt
from PySide6.QtGui import QPagedPaintDevice, QPainter
from PySide6.QtPdf import QPdfDocument


def open_pdf(pdf: bytes, parent: QObject) -> QPdfDocument:
    """A document reading ``pdf`` from memory (the buffer lives as long as the document)."""
    document = QPdfDocument(parent)
    buffer = QBuffer(document)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def render_pages(document: QPdfDocument, device: QPagedPaintDevice, dpi: int) -> int:
    """Draw every page of ``document`` on ``device`` (a printer), one sheet each, at ``dpi``;
    returns the number of pages drawn."""
    painter = QPainter()
    if not painter.begin(device):
        return 0
    try:
        for page in range(document.pageCount()):
            if page:
                device.newPage()
            points = document.pagePointSize(page)
            pixels = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            image = document.render(page, pixels)
            target = QRectF(painter.viewport())
            scaled = QSize(image.size()).scaled(
                target.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio
            )
            painter.drawImage(QRectF(target.topLeft(), scaled.toSizeF()), image)
        return document.pageCount()
    finally:
        painter.end()
