"""The monthly workbook opens with openpyxl and its totals are the dashboard's (``figures()``)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from app.reports.figures import FigureRow, Grouping, figures
from app.reports.monthly.columns import FIGURE_COLUMNS
from app.reports.monthly.contents import MonthlyContents, gather
from app.reports.monthly.ledger import ledger
from app.reports.monthly.workbook import LEDGER_COLUMNS, SHEETS, TOTAL_LABEL, build_workbook
from app.reports.period import Period
from db.models import Case
from tests.centre import Centre
from tests.reports.monthly_fixture import MARCH, TODAY, build_march, day


def contents_of(c: Centre, *, full_ids: bool = False) -> MonthlyContents:
    with c.store.reader() as session:
        return gather(
            session,
            MARCH,
            today=TODAY,
            calendar=c.ctx.calendar,
            made_at=dt.datetime(2026, 4, 3, 10, 0),
            made_by="supervisor",
            full_ids=full_ids,
        )


def open_book(data: bytes) -> Any:
    return load_workbook(io.BytesIO(data))


def expected(row: FigureRow) -> list[object]:
    out: list[object] = []
    for column in FIGURE_COLUMNS:
        value = column.value(row)
        out.append(round(value, 4) if column.kind == "days" and value is not None else value)
    return out


def figure_rows(sheet: Any) -> list[list[Any]]:
    return [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_totals_are_the_dashboards(centre: Centre) -> None:
    build_march(centre)
    book = open_book(build_workbook(contents_of(centre)))
    assert tuple(book.sheetnames) == SHEETS
    with centre.store.reader() as session:
        dashboard = figures(
            session, MARCH, Grouping.CENTRE, today=TODAY, calendar=centre.ctx.calendar
        ).total
    # Hand-checked: received P? no (February); A C D R S E = 6; accepted A C D E = 4, 容缺 C;
    # decided P A = 2 in March, A on time; overdue on 3 Apr: C (due 23 Mar), not D (suspended);
    # 容缺 pending C (its card overdue); R and S past the 收件 watchdog;
    # ratings 满意 + 不满意: 满意度 50 %, one 差评 open.
    assert (dashboard.received, dashboard.accepted, dashboard.accepted_with_deficiency) == (6, 4, 1)
    assert (dashboard.decided, dashboard.decided_on_time, dashboard.overdue) == (2, 1, 1)
    assert dashboard.watchdog == 2
    assert (dashboard.deficiency_pending, dashboard.deficiency_overdue) == (1, 1)
    assert (dashboard.rated, dashboard.satisfied, dashboard.bad_open) == (2, 1, 1)

    for name, grouping in (
        ("按事项", Grouping.ITEM),
        ("按窗口", Grouping.WINDOW),
        ("按人员", Grouping.PERSON),
    ):
        rows = figure_rows(book[name])
        total = rows[-1]
        assert total[1] == TOTAL_LABEL
        assert total[2:] == expected(dashboard), name
        # …and the groups above it add up to it (counts), as figures() promises.
        for index, column in enumerate(FIGURE_COLUMNS, start=2):
            if column.kind == "count":
                assert sum(int(r[index] or 0) for r in rows[:-1]) == total[index], (name, column)
        with centre.store.reader() as session:
            grouped = figures(session, MARCH, grouping, today=TODAY, calendar=centre.ctx.calendar)
        assert len(rows) - 1 == len(grouped.rows)
    summary = {r[0]: r[1] for r in book["汇总"].iter_rows(values_only=True) if r[0]}
    for column, value in zip(FIGURE_COLUMNS, expected(dashboard), strict=True):
        assert summary[column.header] == value, column.header
    assert summary["身份证号"] == "已隐藏中间位"


def test_the_ledger_lists_the_months_cases_with_dates_and_masked_ids(centre: Centre) -> None:
    march = build_march(centre)
    book = open_book(build_workbook(contents_of(centre)))
    sheet = book["办件台账"]
    assert sheet.freeze_panes == "A2"
    headers = [c.value for c in sheet[1]]
    assert headers == [c.header for c in LEDGER_COLUMNS]
    assert "办件编号（project_no）" in headers and "证件号码（applyer_page_code）" in headers
    rows = figure_rows(sheet)
    body, total = rows[:-1], rows[-1]
    column = {h: i for i, h in enumerate(headers)}
    with centre.store.reader() as session:
        receipts = {k: session.get(Case, v).receipt_no for k, v in march.cases.items()}  # type: ignore[union-attr]
    listed = {r[column["收件号"]] for r in body}
    # February's P (decided in March), March's A C D R S E; not April's N.
    assert listed == {receipts[k] for k in "PACDRSE"}
    assert total[0] == TOTAL_LABEL and total[1] == f"{len(body)} 件"
    by_receipt = {r[column["收件号"]]: r for r in body}
    c_row, d_row, e_row = (by_receipt[receipts[k]] for k in "CDE")
    assert c_row[column["是否容缺"]] == "是" and d_row[column["是否容缺"]] == "否"
    assert total[column["是否容缺"]] == 1
    assert d_row[column["办理状态"]] == "挂起（特别程序）"
    assert d_row[column["是否逾期"]] == "否"  # suspended: the clock is paused
    p_row = by_receipt[receipts["P"]]
    assert p_row[column["是否逾期"]] == "是"  # decided 2 Mar, due 25 Feb
    assert isinstance(e_row[column["收件时间（apply_date）"]], dt.datetime)
    assert e_row[column["收件时间（apply_date）"]] == dt.datetime(2026, 3, 27, 10, 0)
    assert e_row[column["办结时间（result_date）"]] == dt.datetime(2026, 4, 2, 10, 0)
    assert isinstance(c_row[column["受理日期（accept_date）"]], dt.datetime)  # a date cell
    assert e_row[column["办理结果（result_type）"]] == "准予"
    assert e_row[column["窗口"]] == "W02"
    ids = [r[column["证件号码（applyer_page_code）"]] for r in body]
    assert all(len(i) == 18 and i[6:14] == "********" for i in ids)


def test_a_case_pending_through_the_period_is_listed(centre: Centre) -> None:
    """The ledger of 28–31 March: E (reported to the county on the 27th, decided 2 April, nothing
    done in between) was under way all through it; A, decided 2 March, was over before it."""
    march = build_march(centre)
    with centre.store.reader() as session:
        rows = ledger(session, Period(day(3, 28), day(3, 31)), today=TODAY)
    listed = {r.case_id for r in rows}
    cases = march.cases
    # C (容缺), D (suspended), R and S (received, rated, not yet decided): still open.
    assert listed == {cases[k] for k in "ECDRS"}
    assert not {cases["A"], cases["P"], cases["N"]} & listed  # N: received 2 April


def test_full_ids_only_when_asked(centre: Centre) -> None:
    build_march(centre)
    masked = open_book(build_workbook(contents_of(centre)))["办件台账"]
    full = open_book(build_workbook(contents_of(centre, full_ids=True)))["办件台账"]
    index = [c.value for c in masked[1]].index("证件号码（applyer_page_code）")
    shown = [str(r[index]) for r in figure_rows(masked)[:-1]]
    whole = [str(r[index]) for r in figure_rows(full)[:-1]]
    assert all("*" not in i and len(i) == 18 for i in whole)
    assert [i[:6] + "********" + i[-4:] for i in whole] == shown


def test_ratings_and_proxy_sheets_have_totals(centre: Centre) -> None:
    build_march(centre)
    book = open_book(build_workbook(contents_of(centre)))
    ratings = figure_rows(book["好差评"])
    assert [r[3] for r in ratings[:-1]] == ["满意", "不满意"]
    assert ratings[-1][:4] == [TOTAL_LABEL, "2 条评价", "满意 1 条", pytest.approx(0.5)]
    assert ratings[1][8] == "待核实" and ratings[0][8] is None
    proxies = figure_rows(book["代办（按村社区）"])
    assert proxies == [[None, TOTAL_LABEL, 0]]
