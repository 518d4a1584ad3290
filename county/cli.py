"""The ``onewindow-county`` command: fill a demo county, hand out activation codes, serve.

Every subcommand opens the store named by ``--database`` (brought to the current schema on open).
What a county's IT person can get wrong — a bad URL, a database out of reach, an unknown centre —
prints one Chinese line on stderr and exits 1; a traceback is left for real bugs.
"""

from __future__ import annotations

import argparse
import re
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import URL, make_url, select
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session

from app.system.argparse_zh import ChineseArgumentParser
from county.catalogue import publish_catalogue
from county.cli_evaluations import add_evaluation_parsers, run_evaluations
from county.credentials import code_digest, new_activation_code
from county.store.engine import CountyStore, open_county
from county.store.models import CENTRE_SCOPE, PROXY_SCOPE, Account, Centre, Meta, Workstation

DEMO_COUNTY_NAME = "示例县政务服务管理局（演示）"
DEMO_WORKSTATIONS = ("W01", "W02", "V01")
DEMO_PROXY_LAPTOPS = ("V01",)  # the village 代办点's laptop
# No 0/O or 1/I: the code is read off a screen and typed at another PC.
WORKSTATION_CODE = re.compile(r"[A-Z0-9]{1,8}")  # as a workstation's own setting allows
BACKENDS = ("sqlite", "postgresql")


class CommandError(Exception):
    """A problem the person at the command line can fix; its text is what they read."""


DATABASE_HELP = "数据库：sqlite:///路径 或 postgresql+psycopg://用户@主机/库名"


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="onewindow-county", description="一窗通 县级同步服务（参考实现）"
    )
    sub = parser.add_subparsers(dest="command", metavar="命令", required=True)
    init = sub.add_parser("init-demo", help="在空的数据库中建立演示县（可重复执行）")
    code = sub.add_parser("activation-code", help="生成工作站的一次性激活码")
    code.add_argument("--centre", required=True, metavar="CODE", help="中心所在乡镇的区划代码")
    code.add_argument("--workstation", required=True, metavar="CODE", help="工作站编号，如 W02")
    code.add_argument(
        "--proxy-laptop",
        action="store_true",
        help="代办员的笔记本（代办点）：只同步在它上面提交的代办件",
    )
    serve = sub.add_parser("serve", help="以 HTTP 提供县级同步服务")
    serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    serve.add_argument("--port", type=int, default=8700, help="监听端口（默认 8700）")
    serve.add_argument(
        "--demo-clerk",
        type=float,
        metavar="SECONDS",
        help="仅限演示县：标明为演示的县级审批员在上报 SECONDS 秒后批准办件",
    )
    serve.add_argument(
        "--until-stdin-closes",
        action="store_true",
        help="与 --demo-clerk 一起使用：标准输入关闭（演示窗口退出）时停止",
    )
    decide = sub.add_parser("decide", help="县级对乡镇上报办件的决定，或退回乡镇")
    decide.add_argument("number", metavar="OFFICIAL_OR_RECEIPT_NO", help="办件编号或收件号")
    outcome = decide.add_mutually_exclusive_group(required=True)
    outcome.add_argument("--approve", action="store_true", help="准予")
    outcome.add_argument("--deny", action="store_true", help="不予")
    outcome.add_argument("--return", dest="send_back", action="store_true", help="退回乡镇")
    decide.add_argument("--opinion", required=True, metavar="TEXT", help="县级意见或理由")
    decide.add_argument("--result-no", default="", metavar="NO", help="结果文号")
    decide.add_argument(
        "--by", default="county-staff", metavar="USERNAME", help="作出决定的县级工作人员"
    )
    backup = sub.add_parser("backup", help="为整个数据库做一份一致的备份")
    backup.add_argument("--out", required=True, metavar="FILE", help="要写入的备份文件")
    restore = sub.add_parser("restore", help="用备份替换数据库的全部内容（进入新的数据纪元）")
    restore.add_argument("--from", dest="source", required=True, metavar="FILE", help="备份文件")
    numbers = sub.add_parser(
        "numbers",
        help="恢复备份之后：哪些工作站尚未交回办件编号；"
        "--release 让该中心不等某台工作站（电脑丢失或损坏）继续编号",
    )
    numbers.add_argument(
        "--release", metavar="CENTRE/WORKSTATION", help="放行的工作站，如 330102001/W03"
    )
    for command in (init, code, serve, decide, backup, restore, numbers):
        command.add_argument("--database", required=True, metavar="URL", help=DATABASE_HELP)
    serve.add_argument("--certfile", metavar="FILE", help="TLS 证书（PEM）：以 HTTPS 提供服务")
    serve.add_argument("--keyfile", metavar="FILE", help="证书的私钥（PEM）")
    staff = sub.add_parser("staff-add", help="添加县级工作人员账号（通过 HTTP 登录办理县级业务）")
    staff.add_argument("--username", required=True, help="登录用户名")
    staff.add_argument("--name", required=True, help="显示的姓名")
    staff.add_argument(
        "--password-file", metavar="FILE", help="密码文件（取第一行为密码；不指定则询问）"
    )
    staff.add_argument("--database", required=True, metavar="URL", help=DATABASE_HELP)
    openapi = sub.add_parser("openapi", help="输出本服务的 OpenAPI 文档（JSON）")
    openapi.add_argument("--out", metavar="FILE", help="要写入的文件（默认：标准输出）")
    _add_publish_parsers(sub)
    add_evaluation_parsers(sub, DATABASE_HELP)
    return parser


def _add_publish_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    catalogue = sub.add_parser("publish-catalogue", help="向本县各中心（或其中一个）发布事项目录")
    catalogue.add_argument(
        "file", metavar="FILE", type=Path, help="事项目录文件或文件夹（与 onewindow 读取的相同）"
    )
    catalogue.add_argument("--centre", metavar="CODE", help="只发布给这个中心（区划代码）")
    calendar = sub.add_parser("publish-calendar", help="向所有中心发布某一年的节假日和调休上班日")
    calendar.add_argument("--year", required=True, metavar="YYYY", help="年份")
    calendar.add_argument(
        "file",
        metavar="FILE",
        type=Path,
        nargs="?",
        help="年度节假日表（JSON，与 onewindow calendar add-year 读取的相同）；不指定则用内置的",
    )
    for command in (catalogue, calendar):
        command.add_argument("--database", required=True, metavar="URL", help=DATABASE_HELP)


@contextmanager
def opened(url: str) -> Iterator[CountyStore]:
    """The store at ``url``; the ways opening it fails, told in Chinese."""
    try:
        parsed: URL | None = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        parsed = None
    if parsed is None or parsed.get_backend_name() not in BACKENDS:
        raise CommandError(
            f"无法识别的数据库地址：{url}（应为 sqlite:///文件路径 或 postgresql+psycopg://…）"
        )
    backend, shown = parsed.get_backend_name(), parsed.render_as_string(hide_password=True)
    try:
        store = open_county(url)
    except ImportError as exc:
        raise CommandError(
            f"缺少连接 {backend} 数据库的驱动程序（{exc.name}），请先安装。"
        ) from exc
    except OperationalError as exc:
        raise CommandError(f"无法打开数据库 {shown}：{_first_line(exc)}") from exc
    try:
        yield store
    except OperationalError as exc:
        raise CommandError(f"数据库 {shown} 出错：{_first_line(exc)}") from exc
    finally:
        store.close()


def _first_line(exc: OperationalError) -> str:
    return str(exc.orig).splitlines()[0] if exc.orig is not None else "连接失败"


def init_demo(session: Session) -> list[str]:
    """Add whatever of the demo county is missing, in the caller's transaction; one line per
    thing added (none: it was all there). The accounts, centre and item versions are the ones the
    workstation's demo uses, so a demo workstation and this county agree on every name and hash.
    """
    from app.accounts.passwords import hash_password
    from app.catalog.loader import bundled_catalog
    from app.demo.centre import DEMO_CENTRE_NAME, DEMO_TOWN_CODE
    from app.demo.users import DEMO_PASSWORD, DEMO_USERS

    done: list[str] = []
    meta = session.scalars(select(Meta)).first()
    if meta is None:
        session.add(Meta(id=1, epoch=str(uuid.uuid4()), county_name=DEMO_COUNTY_NAME))
        done.append(f"已建立演示县：{DEMO_COUNTY_NAME}")
    elif meta.county_name != DEMO_COUNTY_NAME:
        raise CommandError(f"该库属于“{meta.county_name}”，演示数据只写入空库或演示县的库。")
    if session.get(Centre, DEMO_TOWN_CODE) is None:
        session.add(Centre(code=DEMO_TOWN_CODE, name=DEMO_CENTRE_NAME))
        session.flush()  # the accounts and workstations below refer to it
        done.append(f"已登记便民服务中心：{DEMO_TOWN_CODE} {DEMO_CENTRE_NAME}")
    known = set(session.scalars(select(Account.username)))
    users = [user for user in DEMO_USERS if user.username not in known]
    for user in users:
        session.add(
            Account(
                username=user.username,
                centre_code=DEMO_TOWN_CODE,
                display_name=user.display_name,
                roles=[user.role.value],
                password_hash=hash_password(DEMO_PASSWORD),
            )
        )
    if users:
        done.append(f"已添加演示账号 {len(users)} 个（密码均为 {DEMO_PASSWORD}）")
    published = publish_catalogue(session, bundled_catalog(), by="init-demo")
    if published.items_added:
        done.append(f"已添加事项版本 {published.items_added} 个（随程序附带的演示目录）")
    if published.new:
        done.append(f"已向全县发布演示目录（第 {published.release} 号），各工作站同步时载入")
    stations = set(
        session.scalars(select(Workstation.code).where(Workstation.centre_code == DEMO_TOWN_CODE))
    )
    missing = [code for code in DEMO_WORKSTATIONS if code not in stations]
    for code in missing:
        scope = PROXY_SCOPE if code in DEMO_PROXY_LAPTOPS else CENTRE_SCOPE
        session.add(Workstation(centre_code=DEMO_TOWN_CODE, code=code, scope=scope))
    if missing:
        done.append(f"已登记工作站 {'、'.join(missing)}（尚未激活，激活码用 activation-code 生成）")
    return done


def issue_activation_code(
    session: Session, centre_code: str, station_code: str, *, proxy_laptop: bool = False
) -> list[str]:
    """Give the workstation a new one-time code (any earlier unused one stops working); a
    workstation the county has not seen yet is registered; ``proxy_laptop`` makes it a proxy
    agent's laptop, which pulls only the filings made on it. Returns the lines to print."""
    from app.validators import normalize_text

    centre = session.get(Centre, centre_code.strip())
    if centre is None:
        raise CommandError(f"县级库中没有区划代码为 {centre_code.strip()} 的便民服务中心。")
    code = normalize_text(station_code)
    if not WORKSTATION_CODE.fullmatch(code):
        raise CommandError(
            f"工作站编号应为1至8位英文字母或数字（如 W02），而不是“{station_code}”。"
        )
    station = session.scalar(
        select(Workstation).where(Workstation.centre_code == centre.code, Workstation.code == code)
    )
    lines = []
    if station is None:
        station = Workstation(centre_code=centre.code, code=code)
        session.add(station)
        lines.append(f"工作站 {code} 此前未登记，已登记到{centre.name}。")
    elif station.secret_hash is not None:
        lines.append(f"工作站 {code} 已激活过；用新激活码重新激活后，它原来的凭证即作废。")
    if proxy_laptop:
        station.scope = PROXY_SCOPE
    if station.scope == PROXY_SCOPE:
        lines.append(
            f"工作站 {code} 为代办点笔记本：只同步在本机代办的办件、代办委托和代办员账号。"
        )
    activation = new_activation_code()
    station.activation_hash = code_digest(activation)
    lines += [
        f"{centre.name} 工作站 {code} 的一次性激活码（只显示这一次，用过即失效）：",
        activation,
    ]
    return lines


def _init_demo(args: argparse.Namespace) -> int:
    with opened(args.database) as store, store.sessions() as session, session.begin():
        done = init_demo(session)
    print("\n".join(done) if done else "演示县的数据已齐全，未做任何更改。")
    return 0


def _activation_code(args: argparse.Namespace) -> int:
    with opened(args.database) as store, store.sessions() as session, session.begin():
        lines = issue_activation_code(
            session, args.centre, args.workstation, proxy_laptop=args.proxy_laptop
        )
    print("\n".join(lines))
    return 0


def _serve(args: argparse.Namespace) -> int:
    if args.demo_clerk is not None or args.until_stdin_closes:
        return _serve_demo(args)
    import uvicorn  # the web stack loads only for the command that serves

    from county.api import create_app
    from county.tls import TlsFilesRefused, checked_tls_files

    try:
        tls = checked_tls_files(args.certfile, args.keyfile)
    except TlsFilesRefused as refused:
        raise CommandError(str(refused)) from refused
    with opened(args.database) as store:
        scheme = "https" if tls else "http"
        print(f"县级服务：{scheme}://{args.host}:{args.port}（Ctrl+C 停止）", file=sys.stderr)
        uvicorn.run(
            create_app(store),
            host=args.host,
            port=args.port,
            ssl_certfile=tls[0] if tls else None,
            ssl_keyfile=tls[1] if tls else None,
        )
    return 0


def _serve_demo(args: argparse.Namespace) -> int:
    """The demo county with its labelled demo clerk (``county.demo_serve``); never another."""
    from county.demo_serve import is_demo_county, serve_demo

    if args.demo_clerk is None or args.demo_clerk < 0:
        raise CommandError("演示县级审批员的等待时间（--demo-clerk 秒数）应为不小于 0 的数。")
    if args.certfile or args.keyfile:
        raise CommandError("演示县级服务只在本机回环地址上以 http 运行，不使用证书。")
    with opened(args.database) as store:
        if not is_demo_county(store, DEMO_COUNTY_NAME):
            raise CommandError(
                "演示县级审批员只用于演示县（init-demo 建立的库），不能用于真实的县级库。"
            )
        print(
            f"演示县级服务：http://{args.host}:{args.port}；演示县级审批员在上报 "
            f"{args.demo_clerk:g} 秒后自动准予（仅限演示）",
            file=sys.stderr,
            flush=True,
        )
        serve_demo(
            store,
            args.database,
            host=args.host,
            port=args.port,
            clerk_delay=args.demo_clerk,
            until_stdin_closes=args.until_stdin_closes,
        )
    return 0


def _staff_add(args: argparse.Namespace) -> int:
    from app.errors import ValidationError
    from county.staff import StaffExists, add_staff

    password = _password(args.password_file)
    with opened(args.database) as store, store.sessions() as session, session.begin():
        try:
            staff = add_staff(session, args.username, args.name, password)
        except ValidationError as bad:
            raise CommandError(bad.message) from bad
        except StaffExists as taken:
            raise CommandError(str(taken)) from taken
    print(f"已添加县级工作人员 {staff.username}（{staff.display_name}），可登录办理县级业务。")
    return 0


def _password(password_file: str | None) -> str:
    """The first line of ``password_file``, or typed twice at a prompt that does not echo."""
    if password_file is not None:
        import pathlib

        try:
            with pathlib.Path(password_file).open(encoding="utf-8") as stream:
                return stream.readline().rstrip("\r\n")
        except OSError as error:
            raise CommandError(f"无法读取密码文件 {password_file}：{error.strerror}") from error
    import getpass

    password = getpass.getpass("密码：")
    if getpass.getpass("再次输入密码：") != password:
        raise CommandError("两次输入的密码不一致，未添加账号。")
    return password


def _openapi(args: argparse.Namespace) -> int:
    import pathlib

    from county.openapi import openapi_document

    text = openapi_document()
    if args.out is None:
        sys.stdout.write(text)
        return 0
    try:
        pathlib.Path(args.out).write_text(text, encoding="utf-8", newline="\n")
    except OSError as error:
        raise CommandError(f"无法写入 {args.out}：{error.strerror}") from error
    print(f"已写入县级服务的 OpenAPI 文档：{args.out}")
    return 0


def _decide(args: argparse.Namespace) -> int:
    from county.calendar_years import CountyCalendar
    from county.decisions import UnknownCase, county_decision
    from db.base import utcnow

    approve = None if args.send_back else bool(args.approve)
    with opened(args.database) as store, store.sessions() as session, session.begin():
        try:
            answer = county_decision(
                session,
                args.number.strip(),
                approve=approve,
                opinion=args.opinion.strip(),
                result_no=args.result_no.strip(),
                by=args.by.strip(),
                calendar=CountyCalendar()(session),
                now=utcnow(),
            )
        except UnknownCase as error:
            raise CommandError(str(error)) from error
    if answer.outcome != "applied":
        raise CommandError(f"县级操作未执行：{answer.message}（{answer.code}）")
    what = "已退回乡镇" if approve is None else ("已准予" if approve else "已不予")
    print(f"{args.number.strip()} {what}（县级第 {answer.county_seq} 步），乡镇下次同步时收到。")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from county.backup import take_backup

    out = Path(args.out)
    with opened(args.database) as store:
        try:
            info = take_backup(store, out)
        except OSError as error:
            raise CommandError(f"无法写入备份文件 {out}：{error.strerror or error}") from error
    print(f"已备份县级库到 {out}：{info.total} 行，结构版本 {info.schema_revision}。")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from county.backup import BackupRefused, read_header, restore_backup

    source = Path(args.source)
    try:
        read_header(source)  # a file that is not a backup is refused before the store opens
        with opened(args.database) as store:
            info, epoch = restore_backup(store, source)
    except BackupRefused as error:
        raise CommandError(str(error)) from error
    print(
        f"已从 {source}（{info.taken_at} 备份）恢复县级库：{info.total} 行；"
        f"新的数据纪元 {epoch}，各工作站下次同步时将重新同步并补传备份后的操作。"
        "各中心的工作站交回已有的办件编号之前，县级系统暂不为该中心赋新号"
        "（onewindow-county numbers 查看）。"
    )
    return 0


def _numbers(args: argparse.Namespace) -> int:
    from county.number_holds import holds, release

    with opened(args.database) as store, store.sessions() as session, session.begin():
        if args.release is not None:
            centre, _, code = args.release.partition("/")
            if not release(session, centre.strip(), code.strip()):
                raise CommandError(
                    f"没有等待工作站 {args.release} 交回编号的记录"
                    "（--release 的格式为 中心代码/工作站，如 330102001/W03）。"
                )
            print(f"已不再等待工作站 {args.release} 交回办件编号。")
        waiting = holds(session)
    if not waiting:
        print("各中心均可正常赋号：没有等待交回办件编号的工作站。")
    for centre, codes in waiting.items():
        print(f"中心 {centre} 暂停赋号，等待这些工作站同步交回办件编号：{'、'.join(codes)}")
    return 0


def _publish_catalogue(args: argparse.Namespace) -> int:
    from app.catalog.loader import load_catalog
    from app.errors import AppError

    try:
        catalog = load_catalog([args.file])
    except AppError as error:
        raise CommandError(str(error)) from error
    with opened(args.database) as store, store.sessions() as session, session.begin():
        try:
            done = publish_catalogue(session, catalog, args.centre)
        except AppError as error:
            raise CommandError(str(error)) from error
    print(done.line())
    return 0


def _publish_calendar(args: argparse.Namespace) -> int:
    from app.errors import AppError
    from county.calendar_years import publish_calendar_year, read_year_file

    year = args.year.strip()
    if not re.fullmatch(r"[0-9]{4}", year):
        raise CommandError(f"年份（--year）应为四位数字，如 2027，而不是“{args.year}”。")
    try:
        table = None if args.file is None else read_year_file(args.file)
    except AppError as error:
        raise CommandError(str(error)) from error
    with opened(args.database) as store, store.sessions() as session, session.begin():
        try:
            done = publish_calendar_year(session, int(year), table)
        except AppError as error:
            raise CommandError(str(error)) from error
    print(done.line())
    return 0


def _evaluations(args: argparse.Namespace) -> int:
    from app.errors import AppError

    with opened(args.database) as store:
        try:
            lines = run_evaluations(args, store)
        except AppError as error:
            raise CommandError(error.message) from error
    print("\n".join(lines))
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init-demo": _init_demo,
    "activation-code": _activation_code,
    "serve": _serve,
    "staff-add": _staff_add,
    "openapi": _openapi,
    "decide": _decide,
    "backup": _backup,
    "restore": _restore,
    "numbers": _numbers,
    "publish-catalogue": _publish_catalogue,
    "publish-calendar": _publish_calendar,
    "evaluations": _evaluations,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except CommandError as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
