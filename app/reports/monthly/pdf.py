"""The month's PDF (reportlab, A4, the bundled Noto Sans SC embedded as for every document): the
centre's figures, three charts, and the figures per item, window and person; page numbers."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate

from app.printing.fonts import BOLD, REGULAR, register_fonts
from app.reports.figures import FigureRow, Figures, Grouping
from app.reports.monthly.charts import daily_chart, overdue_chart, ratings_chart
from app.reports.monthly.columns import FIGURE_COLUMNS, FigureColumn, days_text, percent
from app.reports.monthly.contents import MonthlyContents
from app.reports.monthly.month import month_label

__all__ = ["build_pdf"]

MARGIN = 15 * mm
GRID = colors.HexColor("#888888")
HEAD_FILL = colors.HexColor("#DDE7F0")
TOTAL_FILL = colors.HexColor("#F2F2F2")
# The columns of the per-group tables (an A4 page's width holds a dozen).
TABLE_COLUMNS = (
    "收件量",
    "受理量",
    "其中容缺受理",
    "办结量",
    "按期办结",
    "办结率",
    "按期办结率",
    "平均办理用时（工作日）",
    "逾期（在办）",
    "临近到期",
    "评价数",
    "满意度",
)


class _Styles:
    def __init__(self) -> None:
        base = ParagraphStyle("base", fontName=REGULAR, fontSize=9, leading=13, wordWrap="CJK")
        self.base = base
        self.title = ParagraphStyle(
            "title", base, fontName=BOLD, fontSize=17, leading=24, alignment=TA_CENTER
        )
        self.sub = ParagraphStyle(
            "sub", base, alignment=TA_CENTER, textColor=colors.HexColor("#444444")
        )
        self.heading = ParagraphStyle(
            "heading",
            base,
            fontName=BOLD,
            fontSize=11.5,
            leading=16,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        )
        self.cell = ParagraphStyle("cell", base, fontSize=7.5, leading=9.5)
        self.head = ParagraphStyle("head", self.cell, fontName=BOLD, alignment=TA_CENTER)
        self.note = ParagraphStyle(
            "note", base, fontSize=8, leading=11, textColor=colors.HexColor("#555555")
        )


def _value_text(column: FigureColumn, row: FigureRow) -> str:
    value = column.value(row)
    if column.kind == "rate":
        return percent(value)
    if column.kind == "days":
        return days_text(value)
    return str(value)


def _grid(data: list[list[Any]], widths: Sequence[float], *, total_row: bool) -> Table:
    table = Table(data, colWidths=list(widths), repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), REGULAR, 7.5),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if total_row:
        style += [
            ("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL),
            ("FONT", (0, -1), (-1, -1), BOLD, 7.5),
        ]
    table.setStyle(TableStyle(style))
    return table


def _summary_table(total: FigureRow, styles: _Styles, width: float) -> Table:
    """The centre's figures, four pairs of 指标 / 数值 to a row."""
    cells = [(c.header, _value_text(c, total)) for c in FIGURE_COLUMNS]
    per_row = 3
    data: list[list[Any]] = []
    for start in range(0, len(cells), per_row):
        row: list[Any] = []
        for header, value in cells[start : start + per_row]:
            row += [Paragraph(header, styles.cell), value]
        row += [""] * (2 * per_row - len(row))
        data.append(row)
    name_width, value_width = width / per_row * 0.68, width / per_row * 0.32
    table = Table(data, colWidths=[name_width, value_width] * per_row)
    style = [
        ("FONT", (0, 0), (-1, -1), BOLD, 9),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
    ]
    for index in range(per_row):
        style.append(("BACKGROUND", (2 * index, 0), (2 * index, -1), HEAD_FILL))
    table.setStyle(TableStyle(style))
    return table


def _group_table(by: Figures, first: str, styles: _Styles, width: float) -> Table:
    columns = [c for c in FIGURE_COLUMNS if c.header in TABLE_COLUMNS]
    head = [Paragraph(first, styles.head)]
    head += [Paragraph(c.short or c.header, styles.head) for c in columns]
    data: list[list[Any]] = [head]
    for row in [*by.rows, by.total]:
        name = "合计" if row is by.total else row.label
        data.append([Paragraph(name, styles.cell), *(_value_text(c, row) for c in columns)])
    label = 34 * mm
    rest = (width - label) / len(columns)
    return _grid(data, [label] + [rest] * len(columns), total_row=True)


def _furniture(contents: MonthlyContents):  # type: ignore[no-untyped-def]
    footer = f"{contents.centre_name} · {month_label(contents.period)}月度报表"

    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(MARGIN, 9 * mm, footer)
        canvas.drawRightString(A4[0] - MARGIN, 9 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    return draw


def build_pdf(contents: MonthlyContents) -> bytes:
    """The report's PDF bytes."""
    register_fonts()
    styles = _Styles()
    out = io.BytesIO()
    title = f"{contents.centre_name} {month_label(contents.period)}办件统计月报"
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=title,
        author=contents.centre_name,
        subject="月度报表",
        creator="OneWindow 一窗通",
        pageCompression=1,
    )
    width = doc.width
    period = contents.period
    ids = "完整（经授权）" if contents.full_ids else "已隐藏中间位"
    story: list[Any] = [
        Paragraph(title, styles.title),
        Paragraph(
            f"统计期间 {period.start:%Y-%m-%d} 至 {period.end:%Y-%m-%d}　在办情况截至 "
            f"{contents.today:%Y-%m-%d}　生成：{contents.made_by} "
            f"{contents.made_at:%Y-%m-%d %H:%M}",
            styles.sub,
        ),
        Spacer(0, 4 * mm),
        Paragraph("一、全中心指标", styles.heading),
        _summary_table(contents.total.total, styles, width),
        Paragraph(
            f"收件、受理、办结按操作发生日（北京时间）计入当月；逾期、临近到期、收件超时、容缺待补"
            f"按 {contents.today:%Y-%m-%d} 的在办情况计。办件台账共 {len(contents.ledger)} 件"
            f"（明细见同名 Excel 工作簿，身份证号{ids}）。",
            styles.note,
        ),
        Paragraph("二、图表", styles.heading),
        daily_chart(contents.days, width, 62 * mm),
        Spacer(0, 3 * mm),
        Table(
            [
                [
                    overdue_chart(contents.figures[Grouping.WINDOW], width / 2 - 3 * mm, 58 * mm),
                    ratings_chart(contents.ratings, width / 2 - 3 * mm, 58 * mm),
                ]
            ],
            colWidths=[width / 2, width / 2],
            style=TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]),
        ),
        Paragraph("三、按事项", styles.heading),
        _group_table(contents.figures[Grouping.ITEM], "事项", styles, width),
        Paragraph("四、按窗口", styles.heading),
        _group_table(contents.figures[Grouping.WINDOW], "窗口", styles, width),
        Paragraph("五、按人员", styles.heading),
        _group_table(contents.figures[Grouping.PERSON], "人员", styles, width),
    ]
    if contents.villages:
        story.append(Paragraph("六、代办件（按村、社区）", styles.heading))
        data: list[list[Any]] = [["村（社区）", "统计用区划代码", "代办件数"]]
        data += [
            [Paragraph(v.name, styles.cell), v.code, str(v.filings)] for v in contents.villages
        ]
        data.append(["合计", "", str(sum(v.filings for v in contents.villages))])
        story.append(_grid(data, [70 * mm, 50 * mm, 30 * mm], total_row=True))
    furniture = _furniture(contents)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return out.getvalue()
