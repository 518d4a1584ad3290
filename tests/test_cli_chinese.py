"""The command lines speak Chinese: help, usage and argparse's own error messages; exit codes
as argparse's (0 for --help, 2 for a usage error)."""

from __future__ import annotations

import argparse
import ast
import gettext
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import cli
from app.system.argparse_zh import CHINESE, ChineseArgumentParser, width, wrap
from county import cli as county_cli

ROOT = Path(__file__).resolve().parent.parent


def launch(*args: str) -> subprocess.CompletedProcess[str]:
    """The real ``onewindow`` entry point, as a process."""
    return subprocess.run(
        [sys.executable, "-m", "ui.launcher", *args],
        cwd=ROOT,
        env=dict(os.environ, COLUMNS="100"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def exits(parser: argparse.ArgumentParser, argv: list[str]) -> int | str | None:
    with pytest.raises(SystemExit) as leaving:
        parser.parse_args(argv)
    return leaving.value.code


def test_onewindow_help_is_chinese() -> None:
    result = launch("--help")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("用法： onewindow [-h] [--version]")
    for words in ("位置参数:", "选项:", "-h, --help            显示本帮助信息并退出"):
        assert words in out
    assert "catalog             事项目录工具" in out
    assert "--data-dir DIR        数据目录（本地数据库、设置、日志）" in out
    assert "usage" not in out and "show this help" not in out


def test_a_usage_error_is_chinese_with_exit_code_2() -> None:
    result = launch("users", "create", "--username", "clerk9")
    assert result.returncode == 2
    assert result.stderr.startswith("用法： onewindow users create [-h] --username USERNAME")
    assert "onewindow users create：错误：缺少必需的参数：--name, --role" in result.stderr


def test_subcommand_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert exits(cli.build_parser(), ["catalog", "validate", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法： onewindow catalog validate [-h] PATH [PATH ...]")
    assert "位置参数:" in out and "显示本帮助信息并退出" in out
    assert exits(cli.build_parser(), ["users", "create", "--help"]) == 0
    out = capsys.readouterr().out
    assert "角色，可重复：clerk（窗口受理员）" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["users", "create", "--username", "u", "--name", "n"], "缺少必需的参数：--role"),
        (
            ["users", "create", "--username", "u", "--name", "n", "--role", "boss"],
            "参数 --role：无效的选择：'boss'（可选：",
        ),
        (["catalogue"], "参数 命令：无效的选择：'catalogue'（可选："),
        (["audit", "verify", "--bogus"], "无法识别的参数：--bogus"),
        (["activate", "--county"], "参数 --county：需要一个取值"),
        (["calendar", "show", "x"], "参数 YEAR：无效的取值：'x'"),
        (["catalog"], "缺少必需的参数：操作"),
        (["catalog", "validate"], "缺少必需的参数：PATH"),
        (["--workstation", "W09"], "参数 --workstation：无效的选择：'W09'"),
    ],
)
def test_argparse_errors_are_chinese(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert exits(cli.build_parser(), argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("用法： onewindow")
    assert "：错误：" in err and message in err, err
    assert "error" not in err and "usage" not in err


def test_the_county_command_line_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert exits(county_cli.build_parser(), ["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法： onewindow-county [-h] 命令 ...")
    assert "backup           为整个数据库做一份一致的备份" in out
    assert exits(county_cli.build_parser(), ["decide", "--database", "sqlite://", "N1"]) == 2
    err = capsys.readouterr().err
    assert "onewindow-county decide：错误：" in err
    assert "必须提供参数 --approve --deny --return 之一" in err or "缺少必需的参数" in err
    assert exits(county_cli.build_parser(), ["serve"]) == 2
    assert "缺少必需的参数：--database" in capsys.readouterr().err


def test_other_parsers_stay_as_they_were(capsys: pytest.CaptureFixture[str]) -> None:
    """The Chinese is swapped in only while a ChineseArgumentParser works."""
    ChineseArgumentParser(prog="x").format_help()
    assert vars(argparse)["_"] is gettext.gettext
    assert vars(argparse)["ngettext"] is gettext.ngettext
    plain = argparse.ArgumentParser(prog="plain")
    plain.add_argument("--n", required=True)
    assert exits(plain, []) == 2
    assert "plain: error: the following arguments are required: --n" in capsys.readouterr().err


# argparse messages only a programmer meets (a parser built wrong), not a user.
PROGRAMMER_ERRORS = {
    ".__call__() not defined",
    "conflicting subparser: %s",
    "conflicting subparser alias: %s",
    'argument "-" with mode %r',
    "cannot merge actions - two groups are named %r",
    "'required' is an invalid argument for positionals",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "dest= is required for options like %r",
    "invalid conflict_resolution value: %r",
    "conflicting option string: %s",
    "mutually exclusive arguments must be optional",
    "cannot have multiple subparser arguments",
    "%r is not callable",
}


def argparse_messages() -> set[str]:
    """Every message argparse of this Python passes through ``_``/``ngettext`` (singular)."""
    source = Path(argparse.__file__).read_text(encoding="utf-8")
    found = set()
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("_", "ngettext")
            and node.args
        ):
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    return found


def test_every_message_a_user_can_meet_is_translated() -> None:
    messages = argparse_messages()
    assert "usage: " in messages and "the following arguments are required: %s" in messages
    assert sorted(messages - PROGRAMMER_ERRORS - set(CHINESE) - {"%(heading)s:"}) == []
    for english, chinese in CHINESE.items():  # same placeholders, so the % formatting holds
        for mark in ("%s", "%r", "%(prog)s", "%(message)s", "%(value)r", "%(choices)s"):
            assert english.count(mark) == chinese.count(mark), english


def test_help_text_wraps_by_display_width() -> None:
    assert width("用法：ab") == 8
    text = (
        "恢复备份之后：哪些工作站尚未交回办件编号；--release 让该中心不等某台工作站"
        "（电脑丢失或损坏）继续编号"
    )
    lines = wrap(text, 30)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(width(line) <= 30 for line in lines), lines
    assert not any(line[0] in "，。；：）" or line[-1] == "（" for line in lines), lines
    assert any("--release" in line for line in lines)  # a Latin word is never broken
