"""``onewindow-county evaluations …``: the county's 好差评 at the command line.

- ``export --from DATE --to DATE --out FILE.json``: the evaluations the county recorded in those
  days, in the national 好差评 interface's shape (``county/hcp_export.py``);
- ``fill-defaults --after-days N``: a service nobody rated within N working days counts as 满意
  (``county/evaluation_defaults.py``) — only where the county's rules say so; nothing does it
  unless this is run.

``county/cli.py`` opens the store and turns an :class:`app.errors.AppError` into its one line on
stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from app.errors import InputFileError, ValidationError
from county.calendar_years import CountyCalendar
from county.evaluation_defaults import fill_defaults
from county.hcp_export import export_records
from county.store.engine import CountyStore
from db.base import utcnow

__all__ = ["add_evaluation_parsers", "run_evaluations"]


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日期应为 YYYY-MM-DD，如 2026-12-01，而不是“{text}”"
        ) from None


def _days(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 60:
        raise argparse.ArgumentTypeError(f"工作日数应为1至60之间的整数，而不是“{text}”")
    return int(text)


def add_evaluation_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], database_help: str
) -> None:
    evaluations = sub.add_parser(
        "evaluations", help="好差评：按国家好差评接口导出评价；超期未评价的服务记默认满意"
    )
    actions = evaluations.add_subparsers(dest="evaluations_command", metavar="操作", required=True)
    export = actions.add_parser(
        "export", help="导出县级在这段日期内收到的评价（JSON，字段同国家好差评接口）"
    )
    export.add_argument(
        "--from", dest="first", required=True, type=_day, metavar="YYYY-MM-DD", help="起始日期"
    )
    export.add_argument(
        "--to", dest="last", required=True, type=_day, metavar="YYYY-MM-DD", help="截止日期（含）"
    )
    export.add_argument("--out", required=True, metavar="FILE", help="要写入的 JSON 文件")
    fill = actions.add_parser(
        "fill-defaults",
        help="本县规定超期未评价视为满意时使用：为超过 N 个工作日仍未评价的服务记默认“满意”",
    )
    fill.add_argument(
        "--after-days", required=True, type=_days, metavar="N", help="未评价的工作日数（1至60）"
    )
    for command in (export, fill):
        command.add_argument("--database", required=True, metavar="URL", help=database_help)


def run_evaluations(args: argparse.Namespace, store: CountyStore) -> list[str]:
    """Do what ``args`` ask of ``store``; the lines to print. :class:`app.errors.AppError` when
    the input is at fault."""
    if args.evaluations_command == "export":
        return _export(store, args.first, args.last, Path(args.out))
    with store.sessions() as session, session.begin():
        filled = fill_defaults(session, CountyCalendar()(session), args.after_days, utcnow())
    return [filled.line()]


def _export(store: CountyStore, first: dt.date, last: dt.date, out: Path) -> list[str]:
    if last < first:
        raise ValidationError("--to", f"截止日期 {last} 早于起始日期 {first}。")
    with store.sessions() as session:
        records = export_records(session, first, last)
    document = {"from": first.isoformat(), "to": last.isoformat(), "records": records}
    try:
        out.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise InputFileError(f"无法写入文件 {out}：{exc.strerror or exc}") from exc
    return [f"已导出 {first} 至 {last} 县级收到的评价 {len(records)} 条：{out}"]
