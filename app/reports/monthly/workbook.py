"""The month's Excel workbook (openpyxl): 汇总, 办件台账, 按事项, 按窗口, 按人员, 好差评, 代办.

Every sheet has Chinese headers (the ledger's with the national exchange field beside, where
there is one), set column widths, a frozen header row, real dates and times, and a 合计 row.
The figures sheets show :func:`app.reports.figures.figures`'s rows and its total.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from app.evaluations.levels import Level
from app.reports.figures import FigureRow, Figures, Grouping
from app.reports.monthly.columns import FIGURE_COLUMNS, FigureColumn
from app.reports.monthly.contents import MonthlyContents
from app.reports.monthly.ledger import LedgerRow
from app.reports.monthly.month import month_label
from app.reports.monthly.ratings import RatingRow

__all__ = ["LEDGER_COLUMNS", "SHEETS", "TOTAL_LABEL", "build_workbook"]

TOTAL_LABEL = "合计"
SHEETS = ("汇总", "办件台账", "按事项", "按窗口", "按人员", "好差评", "代办（按村社区）")
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
PERCENT = "0.0%"
DAYS = "0.0"

_HEAD_FONT = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDE7F0")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="999999")
_HEAD_BORDER = Border(bottom=_THIN)


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    value: Callable[[Any], object]
    number_format: str | None = None


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


#: 办件台账: the national exchange field (国家政务服务平台 办件信息) in brackets where one exists.
LEDGER_COLUMNS: tuple[Column, ...] = (
    Column("办件编号（project_no）", 26, lambda r: r.official_no),
    Column("收件号", 24, lambda r: r.receipt_no),
    Column("事项编码（task_code）", 24, lambda r: r.item_code),
    Column("事项名称", 22, lambda r: r.item_name),
    Column("事项类别", 12, lambda r: r.category),
    Column("办件类型（project_type）", 14, lambda r: r.project_type),
    Column("申请人（applyer_name）", 16, lambda r: r.applicant),
    Column("证件号码（applyer_page_code）", 22, lambda r: r.id_number),
    Column("是否代办", 9, lambda r: _yes(r.proxy)),
    Column("收件时间（apply_date）", 17, lambda r: r.received_at, DATETIME),
    Column("受理日期（accept_date）", 14, lambda r: r.accepted_on, DATE),
    Column("承诺期限（promise_date）", 14, lambda r: r.due_date, DATE),
    Column("办结时间（result_date）", 17, lambda r: r.decided_at, DATETIME),
    Column("办理结果（result_type）", 12, lambda r: r.result),
    Column("办理状态", 14, lambda r: r.state.label),
    Column("窗口", 8, lambda r: r.workstation),
    Column("承办人（handle_user_name）", 14, lambda r: r.assignee),
    Column("是否容缺", 9, lambda r: _yes(r.deficiency)),
    Column("是否逾期", 9, lambda r: _yes(r.overdue)),
)


def _rating_columns(names: dict[str, str]) -> tuple[Column, ...]:
    return (
        Column("评价时间", 17, lambda r: r.assessed_at, DATETIME),
        Column("办件编号/收件号", 26, lambda r: r.case_no or "本机无此办件"),
        Column("事项名称", 22, lambda r: r.item_name),
        Column("评价等级", 11, lambda r: r.level.label),
        Column("评价渠道", 14, lambda r: r.channel.label),
        Column("窗口", 8, lambda r: r.window),
        Column("经办人", 12, lambda r: names.get(r.staff, r.staff)),
        Column("差评原因", 24, lambda r: "、".join(r.reasons)),
        Column("差评整改状态", 13, lambda r: r.task_state.label if r.task_state else ""),
        Column("整改期限", 12, lambda r: r.task_due, DATE),
    )


def _head(sheet: Worksheet, headers: Sequence[str], widths: Sequence[float], row: int = 1) -> None:
    for index, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(row=row, column=index, value=text)
        cell.font = _HEAD_FONT
        cell.fill = _HEAD_FILL
        cell.border = _HEAD_BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=row + 1, column=1)
    sheet.row_dimensions[row].height = 30


def _total_style(sheet: Worksheet, row: int, columns: int) -> None:
    for index in range(1, columns + 1):
        cell = sheet.cell(row=row, column=index)
        cell.font = _HEAD_FONT
        cell.fill = _TOTAL_FILL


def _table(sheet: Worksheet, columns: Sequence[Column], rows: Sequence[Any]) -> int:
    """The header, one row per item; returns the next free row."""
    _head(sheet, [c.header for c in columns], [c.width for c in columns])
    for r, item in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=r, column=index, value=column.value(item))
            if column.number_format:
                cell.number_format = column.number_format
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"
    return len(rows) + 2


def _figure_value(column: FigureColumn, row: FigureRow) -> int | float | None:
    value = column.value(row)
    return round(value, 4) if isinstance(value, float) and column.kind == "days" else value


def _figures_sheet(sheet: Worksheet, by: Figures, first_header: str) -> None:
    headers = ["编码" if by.grouping is not Grouping.PERSON else "用户名", first_header]
    headers += [c.header for c in FIGURE_COLUMNS]
    widths = [16.0, 22.0] + [max(9.0, len(c.header) * 2.0 + 1) for c in FIGURE_COLUMNS]
    _head(sheet, headers, widths)
    rows = [*by.rows, by.total]
    for r, figure in enumerate(rows, start=2):
        is_total = figure is by.total
        sheet.cell(row=r, column=1, value="" if is_total else figure.key)
        sheet.cell(row=r, column=2, value=TOTAL_LABEL if is_total else figure.label)
        for index, column in enumerate(FIGURE_COLUMNS, start=3):
            cell = sheet.cell(row=r, column=index, value=_figure_value(column, figure))
            if column.kind == "rate":
                cell.number_format = PERCENT
            elif column.kind == "days":
                cell.number_format = DAYS
    _total_style(sheet, len(rows) + 1, len(headers))


def _summary(sheet: Worksheet, contents: MonthlyContents) -> None:
    period = contents.period
    total = contents.total.total
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 36
    title = sheet.cell(
        row=1, column=1, value=f"{contents.centre_name} {month_label(period)}办件统计"
    )
    title.font = Font(bold=True, size=14)
    facts: list[tuple[str, object, str | None]] = [
        ("统计期间", f"{period.start:%Y-%m-%d} 至 {period.end:%Y-%m-%d}", None),
        ("在办情况截至", contents.today, DATE),
        ("生成时间", contents.made_at, DATETIME),
        ("生成人", contents.made_by, None),
        ("身份证号", "完整（经授权）" if contents.full_ids else "已隐藏中间位", None),
    ]
    row = 3
    for label, value, fmt in facts:
        sheet.cell(row=row, column=1, value=label).font = _HEAD_FONT
        cell = sheet.cell(row=row, column=2, value=value)
        if fmt:
            cell.number_format = fmt
        cell.alignment = Alignment(horizontal="left")
        row += 1
    row += 1
    _head(sheet, ["指标（全中心）", "数值"], [30, 36], row=row)
    for column in FIGURE_COLUMNS:
        row += 1
        sheet.cell(row=row, column=1, value=column.header)
        cell = sheet.cell(row=row, column=2, value=_figure_value(column, total))
        cell.alignment = Alignment(horizontal="left")
        if column.kind == "rate":
            cell.number_format = PERCENT
        elif column.kind == "days":
            cell.number_format = DAYS
    row += 2
    sheet.cell(row=row, column=1, value="说明").font = _HEAD_FONT
    sheet.cell(
        row=row,
        column=2,
        value="收件、受理、办结等按操作发生日（北京时间）计入当月；逾期、临近到期、收件超时、"
        "容缺待补按「在办情况截至」日计。",
    ).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[row].height = 48


def _ledger(sheet: Worksheet, rows: Sequence[LedgerRow]) -> None:
    end = _table(sheet, LEDGER_COLUMNS, rows)
    sheet.cell(row=end, column=1, value=TOTAL_LABEL)
    sheet.cell(row=end, column=2, value=f"{len(rows)} 件")
    flags = {"是否代办": sum(r.proxy for r in rows)}
    flags["是否容缺"] = sum(r.deficiency for r in rows)
    flags["是否逾期"] = sum(r.overdue for r in rows)
    for index, column in enumerate(LEDGER_COLUMNS, start=1):
        if column.header in flags:
            sheet.cell(row=end, column=index, value=flags[column.header])
    _total_style(sheet, end, len(LEDGER_COLUMNS))


def _ratings(sheet: Worksheet, rows: Sequence[RatingRow], names: dict[str, str]) -> None:
    columns = _rating_columns(names)
    end = _table(sheet, columns, rows)
    satisfied = sum(r.satisfied for r in rows)
    bad = sum(r.level in (Level.DISSATISFIED, Level.VERY_DISSATISFIED) for r in rows)
    sheet.cell(row=end, column=1, value=TOTAL_LABEL)
    sheet.cell(row=end, column=2, value=f"{len(rows)} 条评价")
    sheet.cell(row=end, column=3, value=f"满意 {satisfied} 条")
    share = sheet.cell(row=end, column=4, value=satisfied / len(rows) if rows else None)
    share.number_format = PERCENT
    sheet.cell(row=end, column=5, value=f"差评 {bad} 条")
    _total_style(sheet, end, len(columns))


def _villages(sheet: Worksheet, contents: MonthlyContents) -> None:
    columns = (
        Column("统计用区划代码", 18, lambda v: v.code),
        Column("村（社区）", 24, lambda v: v.name),
        Column("代办件数", 12, lambda v: v.filings),
    )
    end = _table(sheet, columns, contents.villages)
    sheet.cell(row=end, column=2, value=TOTAL_LABEL)
    sheet.cell(row=end, column=3, value=sum(v.filings for v in contents.villages))
    _total_style(sheet, end, len(columns))


def build_workbook(contents: MonthlyContents) -> bytes:
    """The workbook's bytes (.xlsx)."""
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = SHEETS[0]
    _summary(summary, contents)
    summary.freeze_panes = "A2"
    _ledger(book.create_sheet(SHEETS[1]), contents.ledger)
    _figures_sheet(book.create_sheet(SHEETS[2]), contents.figures[Grouping.ITEM], "事项名称")
    _figures_sheet(book.create_sheet(SHEETS[3]), contents.figures[Grouping.WINDOW], "窗口")
    _figures_sheet(book.create_sheet(SHEETS[4]), contents.figures[Grouping.PERSON], "姓名")
    _ratings(book.create_sheet(SHEETS[5]), contents.ratings, contents.staff_names)
    _villages(book.create_sheet(SHEETS[6]), contents)
    book.properties.title = f"{contents.centre_name} {month_label(contents.period)}月度报表"
    book.properties.creator = "一窗通"
    # Fixed document times: the same month's contents give the same bytes' meaning.
    made = contents.made_at.replace(microsecond=0)
    book.properties.created = made
    book.properties.modified = made
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
