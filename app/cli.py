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
from typing import TYPE_CHECKING, Any

from app.actor import TOWN_ROLES, Actor, Role
from app.errors import AppError, InputFileError, ValidationError
from app.system.argparse_zh import ChineseArgumentParser
from app.system.logs import configure_logging, stop_logging
from app.system.paths import default_data_dir

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from db.store import Store


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="onewindow",
        description="一窗通 OneWindow — 乡镇/街道便民服务中心 综合受理客户端。"
        "不带命令时启动桌面程序。",
    )
    parser.add_argument("--version", action=_PrintVersion, help="显示版本号和构建所用的提交")
    parser.add_argument(
        "--data-dir", type=Path, metavar="DIR", help="数据目录（本地数据库、设置、日志）"
    )
    parser.add_argument("--demo", action="store_true", help="在内置的演示中心上运行")
    parser.add_argument(
        "--key-file",
        type=Path,
        metavar="FILE",
        help="从此文件读取数据库密钥，而不是系统密钥环（仅用于演示或无桌面的机器）",
    )
    _add_demo_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="命令")

    catalog = sub.add_parser("catalog", help="事项目录工具").add_subparsers(
        dest="catalog_command", metavar="操作", required=True
    )
    validate = catalog.add_parser("validate", help="校验事项目录文件或文件夹")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    load = catalog.add_parser("load", help="校验文件，并把它们作为现行事项目录载入")
    load.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    schema = catalog.add_parser("schema", help="输出事项目录的 JSON Schema")
    schema.add_argument(
        "--out", type=Path, default=None, metavar="FILE", help="写入的文件（默认：标准输出）"
    )

    calendar = sub.add_parser("calendar", help="工作日历工具").add_subparsers(
        dest="calendar_command", metavar="操作", required=True
    )
    add_year = calendar.add_parser("add-year", help="添加或替换某一年的节假日安排（管理员）")
    add_year.add_argument(
        "file", type=Path, metavar="FILE", help="年度节假日表 JSON（见 docs/calendar.md）"
    )
    show = calendar.add_parser("show", help="列出某一年的节假日和调休上班日")
    show.add_argument("year", type=int, metavar="YEAR", help="如 2027")

    audit = sub.add_parser("audit", help="审计日志工具").add_subparsers(
        dest="audit_command", metavar="操作", required=True
    )
    verify = audit.add_parser("verify", help="校验审计日志的哈希链（被篡改时退出码为 1）")
    _add_store_options(verify)

    users = sub.add_parser("users", help="本机用户账号").add_subparsers(
        dest="users_command", metavar="操作", required=True
    )
    create = users.add_parser(
        "create",
        help="新建账号（如第一个系统管理员）；密码从标准输入或 --password-file 读取",
    )
    create.add_argument("--username", required=True, help="登录用户名")
    create.add_argument("--name", required=True, help="显示的姓名")
    create.add_argument(
        "--role",
        action="append",
        required=True,
        choices=[r.value for r in TOWN_ROLES],
        dest="roles",
        help="角色，可重复：" + "，".join(f"{r.value}（{r.label}）" for r in TOWN_ROLES),
    )
    create.add_argument(
        "--password-file", type=Path, metavar="FILE", help="密码文件（取第一行为密码）"
    )
    _add_store_options(create)

    activate = sub.add_parser(
        "activate", help="向县级系统激活本工作站（一次性激活码由县级管理员提供）"
    )
    activate.add_argument("--county", required=True, metavar="URL", help="县级系统地址（URL）")
    activate.add_argument("--code", required=True, metavar="CODE", help="一次性激活码")
    activate.add_argument(
        "--ca-file",
        type=Path,
        metavar="FILE",
        help="县级系统的 CA 证书（PEM），当其 HTTPS 证书不是由公共 CA 签发时使用",
    )
    _add_store_options(activate)

    sync = sub.add_parser("sync", help="与县级系统同步").add_subparsers(
        dest="sync_command", metavar="操作", required=True
    )
    now = sync.add_parser("now", help="先上传待发送的操作，再下载县级系统的变更")
    _add_store_options(now)
    status = sync.add_parser("status", help="县级连接、待上传与暂挂数量、最近一次同步")
    status.add_argument("--json", action="store_true", help="以 JSON 输出")
    _add_store_options(status)

    demo_tools = sub.add_parser("demo", help="演示中心工具").add_subparsers(
        dest="demo_command", metavar="操作", required=True
    )
    seed = demo_tools.add_parser(
        "seed",
        help="在新的数据目录中生成演示中心：各角色的用户和处于各种状态的数百件办件"
        "（密钥文件：该目录的演示密钥，除非指定 --key-file）",
    )
    seed.add_argument("--cases", type=int, default=None, metavar="N", help="办件数量（默认 300）")
    seed.add_argument(
        "--seed",
        type=int,
        default=None,
        metavar="N",
        help="随机种子（种子相同，生成的中心相同）",
    )
    _add_store_options(seed)

    printing = sub.add_parser("print", help="打印文书").add_subparsers(
        dest="print_command", metavar="操作", required=True
    )
    sample = printing.add_parser(
        "sample",
        help="为演示办件生成每一种文书，保存为 目录/<文书类型>.pdf"
        "（供调整 resources/documents/ 中的版式模板时查看）",
    )
    sample.add_argument("--out", type=Path, required=True, metavar="DIR", help="输出目录")
    diagnostics = sub.add_parser(
        "diagnostics",
        help="生成供技术支持使用的诊断信息包：版本、本地数据库状况、日志（不含个人信息）",
    )
    diagnostics.add_argument(
        "--out", type=Path, metavar="FILE", help="要写入的 .zip 文件（默认：用户主目录下）"
    )
    _add_store_options(diagnostics)
    from app.reports.monthly.command import add_report_parser

    _add_store_options(add_report_parser(sub))
    return parser


class _PrintVersion(argparse.Action):
    """``--version``: the version and the commit, worked out only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        from app.version import current

        print(current().line())
        parser.exit()


def _add_demo_options(parser: argparse.ArgumentParser) -> None:
    """``onewindow --demo``'s workstation and its county (``app.demo.county``)."""
    from app.demo.stations import DEMO_CLERK_SECONDS, DEMO_COUNTY_PORT, DEMO_WORKSTATIONS

    parser.add_argument(
        "--workstation",
        choices=DEMO_WORKSTATIONS,
        help="与 --demo 一起使用：哪一台演示工作站（W01 前台综合窗口，默认；W02 后台审批；"
        "V01 代办员的笔记本），各用各的数据目录，共用一个演示县级系统",
    )
    parser.add_argument(
        "--demo-county-port",
        type=int,
        default=DEMO_COUNTY_PORT,
        metavar="PORT",
        help=f"与 --demo 一起使用：演示县级系统在 127.0.0.1 上的端口（默认 {DEMO_COUNTY_PORT}）",
    )
    parser.add_argument(
        "--demo-clerk-delay",
        type=float,
        default=DEMO_CLERK_SECONDS,
        metavar="SECONDS",
        help="与 --demo 一起使用：演示县级审批员在上报后多少秒批准办件"
        f"（默认 {DEMO_CLERK_SECONDS:g}）",
    )


def _add_store_options(parser: argparse.ArgumentParser) -> None:
    """Accept ``--data-dir``/``--key-file`` after the subcommand too (SUPPRESS: not overriding)."""
    parser.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    parser.add_argument("--key-file", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)


@contextmanager
def open_cli_store(args: argparse.Namespace) -> Iterator[Store]:
    """The store named by ``--data-dir``/``--key-file`` (default: this workstation's).

    A demo data directory carries its labelled key file; it is used when no other is given.
    """
    from app.demo.centre import demo_key_file

    data_dir = args.data_dir or default_data_dir()
    key_file = args.key_file
    if key_file is None and demo_key_file(data_dir).exists():
        key_file = demo_key_file(data_dir)
    from db.store import open_store  # heavy (SQLAlchemy, Alembic): only when a command needs it

    store = open_store(data_dir, key_file)
    configure_logging(data_dir)
    try:
        yield store
    finally:
        store.close()
        stop_logging()


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
            from app.catalog.service import load_catalog_as

            with open_cli_store(args) as store, store.session() as session:
                status = load_catalog_as(session, _operator(session), args.paths)
            print(
                f"已载入事项目录 {status.catalog_version}：{status.item_count} 个事项，"
                f"{status.template_count} 个表单模板"
            )
            return 0
        return run_schema(args.out, sys.stdout)
    if args.command == "calendar":
        from app.settings import calendar_commands

        with open_cli_store(args) as store, store.session() as session:
            if args.calendar_command == "add-year":
                return calendar_commands.add_year(
                    session, _operator(session), args.file, sys.stdout
                )
            return calendar_commands.show_year(session, args.year, sys.stdout)
    if args.command == "audit":
        return _audit_verify(args)
    if args.command in ("activate", "sync"):
        return _sync(args)
    if args.command == "users":
        return _users_create(args)
    if args.command == "demo":
        return _demo_seed(args)
    if args.command == "print":
        return _print_sample(args)
    if args.command == "diagnostics":
        return _diagnostics(args)
    if args.command == "report":
        from app.reports.monthly.command import run_report

        with open_cli_store(args) as store:
            return run_report(args, store)
    raise AssertionError(f"unhandled command {args.command!r}")


def _diagnostics(args: argparse.Namespace) -> int:
    """``diagnostics``: the bundle the crash dialog saves, from the command line — also when the
    store does not open (the bundle then says why, and still has the logs)."""
    import datetime as dt

    from app.system.diagnostics import build_bundle
    from app.system.logs import LOG_DIR_NAME, LOG_FILE_NAME
    from db.store import DB_NAME

    name = f"一窗通诊断包-{dt.datetime.now():%Y%m%d-%H%M%S}.zip"
    out: Path = args.out or Path.home() / name
    data_dir = args.data_dir or default_data_dir()
    log = data_dir / LOG_DIR_NAME / LOG_FILE_NAME
    try:
        if not (data_dir / DB_NAME).is_file():  # never a new store made here
            print(f"{data_dir} 中没有本地数据库，诊断包中不含数据库状态。", file=sys.stderr)
            build_bundle(out, store=None, log_file=log if log.is_file() else None)
        else:
            try:
                with open_cli_store(args) as store:
                    build_bundle(out, store=store, log_file=log)
            except AppError as error:
                print(
                    f"本地数据库未能打开（{error.message}），诊断包中不含数据库状态。",
                    file=sys.stderr,
                )
                build_bundle(out, store=None, log_file=log if log.is_file() else None)
    except OSError as error:
        raise InputFileError(f"诊断包未能保存到 {out}：{error.strerror or error}") from error
    print(f"已保存诊断包：{out}（不含个人信息，可交技术支持）")
    return 0


def _sync(args: argparse.Namespace) -> int:
    import json

    from app.settings.calendar import work_calendar
    from app.sync import session as sync

    with open_cli_store(args) as store:
        if args.command == "activate":
            from app.sync.tls import read_ca_file

            ca_pem = read_ca_file(args.ca_file) if args.ca_file is not None else ""
            activation = sync.activate(store, args.county, args.code, ca_pem)
            from app.sync.credential import secret_file

            kept = "演示数据目录中的演示凭证文件" if secret_file(store) else "系统密钥环"
            print(f"已激活：{activation.county_name}（{args.county}）。凭证已存入{kept}。")
            return 0
        if args.sync_command == "status":
            status = sync.sync_status(store)
            if args.json:
                print(json.dumps(status.as_json(), ensure_ascii=False))
            else:
                oldest = (
                    f"，最早 {status.oldest_queued:%Y-%m-%d %H:%M} UTC"
                    if status.oldest_queued
                    else ""
                )
                print(
                    f"县级系统：{status.county_url or '未激活'}；队列 {status.queued} 条{oldest}；"
                    f"暂挂 {status.parked} 条；最近同步：{status.last_sync or '从未'}"
                )
            return 0
        with store.reader() as session:
            calendar = work_calendar(session)
        transport = sync.transport_for(store)
        try:
            print(sync.sync_now(store, transport, calendar).line())
        finally:
            transport.close()
        return 0


def _audit_verify(args: argparse.Namespace) -> int:
    from app import audit

    with open_cli_store(args) as store, store.session() as session:
        result = audit.verify(session)
    if result.ok:
        print(result.message)
        return 0
    print(result.message, file=sys.stderr)
    return 1


def _read_password(args: argparse.Namespace) -> str:
    if args.password_file is not None:
        try:
            lines = args.password_file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise InputFileError(f"无法读取密码文件 {args.password_file}：{exc.strerror}") from exc
        return lines[0] if lines else ""
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("初始密码：")
        if getpass.getpass("再次输入初始密码：") != first:
            raise ValidationError("初始密码", "两次输入的初始密码不一致")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _operator(session: Session) -> Actor:
    """Whoever holds the store key acts as admin at the command line (this is how the first
    administrator is made, a catalogue or a year's holidays loaded by the county's IT person);
    the audit log names the OS user as ``cli:<name>``."""
    from app.cli_actor import cli_actor

    return cli_actor(session, Role.ADMIN)


def _users_create(args: argparse.Namespace) -> int:
    """Create an account from the command line: whoever holds the store key acts as admin here
    (this is how the first administrator is made); the audit log names the OS user."""
    from app.accounts import service as accounts

    password = _read_password(args)
    with open_cli_store(args) as store, store.session() as session:
        summary = accounts.create_user(
            session,
            _operator(session),
            args.username,
            args.name,
            password,
            [Role(r) for r in args.roles],
        )
    print(
        f"已创建用户 {summary.username}（{summary.display_name}，{summary.role_text}），"
        "首次登录时须修改初始密码"
    )
    return 0


def _demo_seed(args: argparse.Namespace) -> int:
    """``demo seed``: only into a directory named explicitly, keyed by its demo key file."""
    from app.demo import centre as demo
    from app.demo import seed as demo_seed

    if args.data_dir is None:
        print(
            "请用 --data-dir 指定一个新的演示数据目录（不会写入本工作站的正式数据目录）。",
            file=sys.stderr,
        )
        return 2
    if args.key_file is None:
        args.key_file = demo.demo_key_file(args.data_dir)
    with open_cli_store(args) as store:
        report = demo_seed.seed_demo_centre(
            store,
            cases=demo_seed.DEFAULT_CASES if args.cases is None else args.cases,
            seed=demo_seed.DEFAULT_SEED if args.seed is None else args.seed,
        )
    print(report.summary())
    return 0


def _print_sample(args: argparse.Namespace) -> int:
    """``print sample``: a throwaway store with demo cases; one PDF per document type."""
    from app.printing.kinds import DocKind
    from app.printing.sample import render_samples

    def wrote(kind: DocKind, path: Path) -> None:
        print(f"{kind.label}：{path}")

    written = render_samples(args.out, progress=wrote)
    print(f"已生成 {len(written)} 种文书样张：{args.out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        print("图形界面请使用 onewindow（不带子命令）启动。", file=sys.stderr)
        return 2
    return run(args)
