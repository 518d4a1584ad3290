"""``onewindow report monthly --month 2026-11 --out DIR [--full-ids]``.

At the command line whoever holds the store key acts, as for ``catalog load`` or ``users
create``; here as the 中心负责人 (the report is a supervisor's, and the store key opens every case
anyway), named ``cli:<OS user>`` in the audit log. Asking for full ID numbers is audited as at the
desk.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.actor import Role
from app.errors import ValidationError
from app.reports.monthly.month import MONTH_FIELD, month_label, parse_month
from app.reports.period import Period

if TYPE_CHECKING:
    from db.store import Store

__all__ = ["add_report_parser", "month_argument", "run_report"]


def month_argument(text: str) -> Period:
    """argparse ``type=``: a bad month is a usage error (exit code 2) naming 统计月份."""
    try:
        return parse_month(text)
    except ValidationError as error:
        text = error.message if MONTH_FIELD in error.message else f"{MONTH_FIELD}：{error.message}"
        raise argparse.ArgumentTypeError(text) from error


def add_report_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """The ``report`` command and its ``monthly`` operation (returned, for the store options)."""
    report = sub.add_parser("report", help="统计报表").add_subparsers(
        dest="report_command", metavar="操作", required=True
    )
    monthly = report.add_parser(
        "monthly",
        help="生成某月的月度报表（Excel 工作簿和 PDF），存档并记入审计日志",
    )
    monthly.add_argument(
        "--month",
        required=True,
        type=month_argument,
        metavar="YYYY-MM",
        help="统计月份，如 2026-11",
    )
    monthly.add_argument("--out", type=Path, required=True, metavar="DIR", help="输出目录")
    monthly.add_argument(
        "--full-ids",
        action="store_true",
        help="台账中显示完整身份证号（仅中心负责人；记入审计日志）。默认隐藏中间位",
    )
    return monthly


def run_report(args: argparse.Namespace, store: Store) -> int:
    """Make the report from ``store`` (opened by the command line) and say where it is."""
    from app.cases.context import CaseContext
    from app.cli_actor import cli_actor
    from app.reports.monthly.service import make_monthly_report
    from app.settings.calendar import work_calendar

    with store.reader() as session:
        calendar = work_calendar(session)
        supervisor = cli_actor(session, Role.SUPERVISOR)
    ctx = CaseContext(store.session, store.reader, calendar)
    report = make_monthly_report(
        ctx,
        supervisor,
        args.month,
        args.out,
        full_ids=args.full_ids,
        progress=lambda text: print(text, file=sys.stderr),
    )
    ids = "含完整身份证号（已记入审计日志）" if report.full_ids else "身份证号已隐藏中间位"
    print(f"已生成 {month_label(args.month)} 的月度报表（办件台账 {report.cases} 件，{ids}）：")
    print(f"  Excel：{report.workbook}")
    print(f"  PDF：{report.pdf}")
    print("存档：两份文件的副本已存入本机加密数据库（报表存档），并记入审计日志")
    return 0
