"""The ``onewindow`` command line: every subcommand except the GUI itself.

``ui.launcher`` owns the console entry point; it starts the GUI when no subcommand is given and
hands everything else to :func:`run`, so subcommands never load Qt.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from app.errors import AppError
from app.paths import default_data_dir
from db.store import Store, open_store


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


@contextmanager
def open_cli_store(args: argparse.Namespace) -> Iterator[Store]:
    """The store named by ``--data-dir``/``--key-file`` (default: this workstation's)."""
    store = open_store(args.data_dir or default_data_dir(), args.key_file)
    try:
        yield store
    finally:
        store.close()


def run(args: argparse.Namespace) -> int:
    """Run a non-GUI subcommand; returns the process exit code.

    Expected errors (``AppError``) are printed in plain Chinese on stderr with exit code 1.
    """
    try:
        return _dispatch(args)
    except AppError as error:
        print(error, file=sys.stderr)
        return 1


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "catalog":
        from app.catalog.commands import run_schema, run_validate

        if args.catalog_command == "validate":
            return run_validate(args.paths, sys.stdout)
        if args.catalog_command == "load":
            from app.catalog_service import load_catalog_files

            with open_cli_store(args) as store, store.session() as session:
                status = load_catalog_files(session, args.paths, args.by)
            print(
                f"已载入事项目录 {status.catalog_version}：{status.item_count} 个事项，"
                f"{status.template_count} 个表单模板"
            )
            return 0
        return run_schema(args.out, sys.stdout)
    if args.command == "calendar":
        from app import calendar_commands

        with open_cli_store(args) as store, store.session() as session:
            if args.calendar_command == "add-year":
                return calendar_commands.add_year(session, args.file, args.by, sys.stdout)
            return calendar_commands.show_year(session, args.year, sys.stdout)
    raise AssertionError(f"unhandled command {args.command!r}")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        print("图形界面请使用 onewindow（不带子命令）启动。", file=sys.stderr)
        return 2
    return run(args)
