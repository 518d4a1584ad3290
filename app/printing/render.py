"""Building a document's PDF from its layout template and the case's facts (reportlab platypus).

Every page carries a running header (centre, case number, 补打 when reprinted) and a footer
(complaint phone, page number); page 1 has the title and the case number as a QR code. Tables
that run onto further pages repeat their header row.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.printing.facts import DocumentFacts, MaterialFact
from app.printing.fonts import BOLD, REGULAR, register_fonts
from app.printing.layouts import (
    FieldsBlock,
    Layout,
    ListBlock,
    MaterialsBlock,
    MissingBlock,
    SealBlock,
    SignaturesBlock,
    TextBlock,
)

GRID = colors.HexColor("#555555")
# Paragraphs of text before the signatures and seal that go along when the group moves to the
# next page (docs/printing.md: the closing block never stands alone on a page).
KEEP_WITH_CLOSING = 2
HEAD_FILL = colors.HexColor("#EEEEEE")


class _Styles:
    def __init__(self, small_page: bool) -> None:
        size = 9.5 if small_page else 11.0
        base = ParagraphStyle(
            "body", fontName=REGULAR, fontSize=size, leading=size * 1.5, wordWrap="CJK"
        )
        self.body = ParagraphStyle("body2", base, firstLineIndent=size * 2)
        self.plain = base
        self.salutation = ParagraphStyle("salutation", base, fontName=BOLD)
        self.emphasis = ParagraphStyle("emphasis", base, fontName=BOLD, firstLineIndent=size * 2)
        self.small = ParagraphStyle("small", base, fontSize=size - 1.5, leading=(size - 1.5) * 1.5)
        self.cell = ParagraphStyle("cell", base, fontSize=size - 1, leading=(size - 1) * 1.4)
        self.head = ParagraphStyle("head", self.cell, fontName=BOLD, alignment=TA_CENTER)
        self.heading = ParagraphStyle("heading", base, fontName=BOLD, spaceBefore=4, spaceAfter=2)
        self.title = ParagraphStyle(
            "title",
            base,
            fontName=BOLD,
            fontSize=size + 7,
            leading=(size + 7) * 1.4,
            alignment=TA_CENTER,
        )
        self.number = ParagraphStyle("number", self.small, alignment=TA_CENTER)
        self.right = ParagraphStyle("right", base, alignment=TA_RIGHT)


def _fill(text: str, facts: DocumentFacts) -> str:
    """The template wording with the facts put in (escaped: the template may use <b> etc.)."""
    return text.format_map({k: escape(v) for k, v in facts.values.items()})


def _present(facts: DocumentFacts, name: str) -> bool:
    if name in facts.values:
        return bool(facts.values[name])
    if name == "pending_materials":
        return any(m.pending for m in facts.materials)
    if name == "received_materials":
        return any(not m.pending for m in facts.materials)
    return bool(getattr(facts, name, None))


@lru_cache(maxsize=256)
def qr_modules(value: str) -> tuple[tuple[bool, ...], ...]:
    """The QR matrix of ``value`` (error correction M, best mask). Cached: a case's documents
    are usually printed together and reprinted later, all with the same number."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(value)
    code.make()
    return tuple(tuple(bool(m) for m in row) for row in code.modules)


class _Qr(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """The case number as a QR code, drawn as runs of dark modules straight onto the canvas."""

    def __init__(self, value: str, size: float) -> None:
        super().__init__()
        self.value, self.width, self.height = value, size, size

    def draw(self) -> None:
        rows = qr_modules(self.value)
        border = 1
        size = len(rows) + 2 * border
        canvas = self.canv
        canvas.saveState()
        canvas.scale(self.width / size, self.height / size)  # one unit per module
        path = canvas.beginPath()
        for r, row in enumerate(rows):
            c = 0
            for dark, run in itertools.groupby(row):
                count = len(list(run))
                if dark:  # integer coordinates: short in the PDF, quick to write
                    path.rect(c + border, size - r - border - 1, count, 1)
                c += count
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()


def _qr(value: str, size: float) -> _Qr:
    return _Qr(value, size)


def _table(data: list[list[Any]], widths: list[float], *, header: bool) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL))
    else:
        style.append(("BACKGROUND", (0, 0), (0, -1), HEAD_FILL))
    table.setStyle(TableStyle(style))
    return table


class _Builder:
    def __init__(self, layout: Layout, facts: DocumentFacts, width: float) -> None:
        self.layout, self.facts, self.width = layout, facts, width
        self.s = _Styles(layout.page_size == "A5")
        self.story: list[Flowable] = []
        self.gap = 4 * mm if layout.page_size == "A5" else 6 * mm

    def p(self, text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(_fill(text, self.facts), style)

    def cell(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(escape(text), style or self.s.cell)

    def title(self) -> None:
        qr_size = 20 * mm if self.layout.page_size == "A5" else 24 * mm
        plain_no = self.facts.values["receipt_no"]
        if not self.facts.values["provisional"]:
            plain_no = self.facts.values["case_no"]
        heading = [
            self.p(self.layout.title + "{reprint_mark}", self.s.title),
            self.p(
                "办件编号：{receipt_no}<br/>（收件号，待县级系统确认）"
                if self.facts.values["provisional"]
                else "办件编号：{case_no}<br/>收件号：{receipt_no}",  # the county's, and ours
                self.s.number,
            ),
        ]
        side = qr_size + 4 * mm
        table = Table(
            [[self._progress_qr(qr_size), heading, _qr(plain_no, qr_size)]],
            colWidths=[side, self.width - 2 * side, side],
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("ALIGN", (2, 0), (2, 0), "RIGHT"),
                    ("ALIGN", (0, 0), (0, 0), "LEFT"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        self.story += [table, Spacer(1, 3 * mm)]

    def heading(self, text: str) -> None:
        if text:
            self.story.append(self.p(text, self.s.heading))

    def text(self, block: TextBlock) -> None:
        style = getattr(self.s, block.style)
        self.story += [self.p(line, style) for line in block.lines]

    def fields(self, block: FieldsBlock) -> None:
        label_w = 30 * mm if self.layout.page_size == "A5" else 34 * mm
        rows = []
        for label, value in block.rows:
            filled = _fill(value, self.facts).strip()
            if block.skip_empty and not filled:
                continue
            rows.append(
                [self.cell(_fill(label, self.facts)), Paragraph(filled or "—", self.s.cell)]
            )
        self.story.append(_table(rows, [label_w, self.width - label_w], header=False))

    def materials(self, block: MaterialsBlock) -> None:
        chosen: list[MaterialFact] = [
            m
            for m in self.facts.materials
            if block.which == "all" or m.pending == (block.which == "pending")
        ]
        head = ["序号", "材料名称", "原件/复印件", "份数", "备注"]
        rows: list[list[Any]] = [[self.cell(h, self.s.head) for h in head]]
        for n, m in enumerate(chosen, 1):
            note = f"容缺，{m.due_on}前补交" if m.pending else "已收"
            rows.append(
                [
                    self.cell(str(n)),
                    self.cell(m.name),
                    self.cell(m.form),
                    self.cell(str(m.copies)),
                    self.cell(note),
                ]
            )
        # 原件/复印件 wide enough for "原件和复印件" on one line (rows of one line each: a
        # 受理通知书 with six materials keeps to one page).
        a5 = self.layout.page_size == "A5"
        fixed = [12 * mm, 24 * mm if a5 else 28 * mm, 12 * mm, 26 * mm if a5 else 30 * mm]
        widths = [fixed[0], self.width - sum(fixed), fixed[1], fixed[2], fixed[3]]
        self.story.append(_table(rows, widths, header=True))

    def missing(self, block: MissingBlock) -> None:
        rows: list[list[Any]] = [
            [self.cell(h, self.s.head) for h in ("序号", "材料名称", "补正要求")]
        ]
        for n, (name, how) in enumerate(self.facts.missing, 1):
            rows.append([self.cell(str(n)), self.cell(name), self.cell(how or "—")])
        rest = self.width - 12 * mm
        self.story.append(_table(rows, [12 * mm, rest * 0.45, rest * 0.55], header=True))

    def listing(self, block: ListBlock) -> None:
        for n, text in enumerate(self.facts.lists(block.source), 1):
            self.story.append(Paragraph(f"{n}. {escape(text)}", self.s.body))

    def signatures(self, block: SignaturesBlock) -> None:
        cells: list[Any] = [
            [
                self.p(party, self.s.plain),
                Spacer(1, self.gap),
                Paragraph(
                    "日期：&nbsp;&nbsp;&nbsp;&nbsp;年&nbsp;&nbsp;&nbsp;月&nbsp;&nbsp;&nbsp;日",
                    self.s.plain,
                ),
            ]
            for party in block.parties
        ]
        columns = max(1, min(len(cells), 3))
        rows: list[list[Any]] = [cells[i : i + columns] for i in range(0, len(cells), columns)]
        rows[-1] += [""] * (columns - len(rows[-1]))
        table = Table(rows, colWidths=[self.width / columns] * columns, hAlign="LEFT")
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        self.story += [Spacer(1, self.gap / 2), table]

    def _progress_qr(self, size: float) -> list[Flowable] | str:
        """The progress page's QR code, captioned, for the title's left corner: where the layout
        asks for it, the case has a 查询密码 and the county's page an address."""
        link = self.facts.values["progress_link"]
        if not (self.layout.progress_qr and link):
            return ""
        caption = ParagraphStyle(
            "caption", self.s.small, fontSize=6.5, leading=8, alignment=TA_CENTER
        )
        return [_qr(link, size - 3.5 * mm), Paragraph("扫码查询进度", caption)]  # no taller

    def seal(self, block: SealBlock) -> None:
        self.story.append(Spacer(1, self.gap / 2))
        self.story += [self.p(line, self.s.right) for line in block.lines]

    def build(self) -> list[Flowable]:
        self.title()
        handlers: dict[type, Callable[[Any], None]] = {
            TextBlock: self.text,
            FieldsBlock: self.fields,
            MaterialsBlock: self.materials,
            MissingBlock: self.missing,
            ListBlock: self.listing,
            SignaturesBlock: self.signatures,
            SealBlock: self.seal,
        }
        closing: list[Flowable] = []  # signatures and seal stay together on one page
        for block in self.layout.blocks:
            if block.when and not _present(self.facts, block.when):
                continue
            if block.unless and _present(self.facts, block.unless):
                continue
            start = len(self.story)
            self.heading(block.heading)
            handlers[type(block)](block)
            if isinstance(block, SignaturesBlock | SealBlock):
                closing += self.story[start:]
                del self.story[start:]
            else:
                added = self.story[start:]
                del self.story[start:]
                self.close(closing)
                self.story += [*added, Spacer(1, 2 * mm)]
                closing = []
        self.close(closing)
        return self.story

    def close(self, closing: list[Flowable]) -> None:
        """Append the signatures and seal as one unbreakable group that takes the last
        paragraphs of text before it along (``KEEP_WITH_CLOSING``): when the group does not fit
        on the page, those lines move to the next page with it and it never stands alone."""
        if not closing:
            return
        kept: list[Flowable] = []
        paragraphs = 0
        while self.story and paragraphs < KEEP_WITH_CLOSING:
            last = self.story[-1]
            if not isinstance(last, Paragraph | Spacer):
                break  # a table: it splits by rows on its own; the group goes after it
            paragraphs += isinstance(last, Paragraph)
            kept.insert(0, self.story.pop())
        self.story.append(KeepTogether(kept + closing))


def _page_furniture(facts: DocumentFacts, reprint: bool) -> Callable[[Any, Any], None]:
    values = facts.values

    def draw(canvas: Any, doc: Any) -> None:
        width, height = doc.pagesize
        left, right = doc.leftMargin, width - doc.rightMargin
        top = height - doc.topMargin + 8 * mm
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(colors.HexColor("#333333"))
        centre = values["centre_name"]
        number = values["receipt_no"] + "（待确认）" if values["provisional"] else values["case_no"]
        label = f"{values['title']}　办件编号：{number}"
        room = right - left - canvas.stringWidth(centre, REGULAR, 8) - 6 * mm
        if canvas.stringWidth(label, REGULAR, 8) > room:
            label = f"办件编号：{number}"
        room = right - left - canvas.stringWidth(label, REGULAR, 8) - 6 * mm
        while len(centre) > 1 and canvas.stringWidth(centre, REGULAR, 8) > room:
            centre = centre[:-2] + "…"  # a very long centre name: shortened, never overlapping
        canvas.drawString(left, top, centre)
        canvas.drawRightString(right, top, label)
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.5)
        canvas.line(left, top - 2 * mm, right, top - 2 * mm)
        bottom = doc.bottomMargin - 8 * mm
        canvas.line(left, bottom + 4 * mm, right, bottom + 4 * mm)
        canvas.drawString(left, bottom, f"投诉监督电话：{values['complaint_phone']}")
        canvas.drawRightString(right, bottom, f"第 {doc.page} 页")
        if reprint:  # a red 补打 stamp in the top margin, above the running header
            canvas.setFont(BOLD, 12)
            canvas.setFillColor(colors.HexColor("#B00000"))
            canvas.drawCentredString(width / 2, top + 5 * mm, "补打")
        canvas.restoreState()

    return draw


def render_pdf(layout: Layout, facts: DocumentFacts, *, reprint: bool) -> bytes:
    """The document's PDF bytes (the bundled font embedded as a subset)."""
    register_fonts()
    pagesize = A5 if layout.page_size == "A5" else A4
    margin = 14 * mm if layout.page_size == "A5" else 20 * mm
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin + 4 * mm,
        bottomMargin=margin + 2 * mm,
        title=facts.values["title"] + facts.values["reprint_mark"],
        author=facts.values["centre_name"],
        subject=facts.values["title"],
        creator="OneWindow 一窗通",
        pageCompression=1,
    )
    story = _Builder(layout, facts, doc.width).build()
    furniture = _page_furniture(facts, reprint)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return out.getvalue()
