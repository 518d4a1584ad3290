"""The ``onewindow`` command line: every subcommand except the GUI itself.

``ui.launcher`` owns the console entry point; it starts the GUI when no subcommand is given and
hands everything else to :func:`run`, so subcommands never load Qt.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="onewindow",
        description="一窗通 OneWindow — 乡镇/街道便民服务中心 综合受理客户端",
    )
    parser.add_argument("--data-dir", type=Path, help="data directory (store, settings, logs)")
    parser.add_argument("--demo", action="store_true", help="run on the embedded demo centre")
    parser.add_argument(
        "--key-file",
        type=Path,
        help="read the store key from this file instead of the OS keyring (demo / headless only)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    catalog = sub.add_parser("catalog", help="item catalogue tools").add_subparsers(
        dest="catalog_command", metavar="ACTION", required=True
    )
    validate = catalog.add_parser("validate", help="validate catalogue files or folders")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    load = catalog.add_parser("load", help="validate files and make them the catalogue in force")
    load.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    load.add_argument("--by", default="admin", help="who loads it (recorded)")
    schema = catalog.add_parser("schema", help="write the catalogue JSON Schema")
    schema.add_argument("--out", type=Path, default=None, help="file to write (default: stdout)")

    calendar = sub.add_parser("calendar", help="working-day calendar tools").add_subparsers(
        dest="calendar_command", metavar="ACTION", required=True
    )
    add_year = calendar.add_parser("add-year", help="add or replace a year's holiday table (admin)")
    add_year.add_argument("file", type=Path, help="year table JSON (see docs/calendar.md)")
    add_year.add_argument("--by", default="admin", help="who adds it (recorded)")
    show = calendar.add_parser("show", help="list a year's holidays and make-up working days")
    show.add_argument("year", type=int)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run a non-GUI subcommand; returns the process exit code."""
    if args.command == "catalog":
        from app.catalog.commands import run_schema, run_validate

        if args.catalog_command == "validate":
            return run_validate(args.paths, sys.stdout)
        if args.catalog_command == "load":
            from app.catalog_service import run_load

            return run_load(args, sys.stdout, sys.stderr)
        return run_schema(args.out, sys.stdout)
    if args.command == "calendar":
        from app.calendar_commands import run_add_year, run_show

        if args.calendar_command == "add-year":
            return run_add_year(args, sys.stdout, sys.stderr)
        return run_show(args, sys.stdout, sys.stderr)
    raise AssertionError(f"unhandled command {args.command!r}")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        print("图形界面请使用 onewindow（不带子命令）启动。", file=sys.stderr)
        return 2
    return run(args)
