"""argparse in Chinese: the command lines' help, usage and error messages (``onewindow``,
``onewindow-county``).

argparse passes each of its own words ("usage: ", "options", "the following arguments are
required: %s", "invalid choice: …", "%(prog)s: error: %(message)s" …) through the module-level
``_``/``ngettext`` it imported from :mod:`gettext`. A gettext catalogue would need a ``.mo`` file
on disk (and in the frozen build); instead :class:`ChineseArgumentParser` swaps those two names for
a lookup in :data:`CHINESE`, an in-code table, while its own methods run (construction, parsing,
help, errors) and puts them back after, so no other parser in the process is touched. A message
the table lacks (a newer Python's) stays English rather than breaking. Behaviour is argparse's
own: ``--help`` exits 0, a usage error exits 2.

The table holds the messages of Python 3.11 to 3.14 (a test checks that every ``_(…)`` message
of the running Python's argparse a user can meet is in it). Section headings keep argparse's
ASCII colon ("选项:"), as Python 3.11 writes it untranslated.
"""

from __future__ import annotations

import argparse
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final, NoReturn, ParamSpec, TypeVar

__all__ = ["CHINESE", "ChineseArgumentParser", "ChineseHelpFormatter", "in_chinese", "wrap"]

#: argparse's message ids (exactly as argparse writes them) and their Chinese.
CHINESE: Final[dict[str, str]] = {
    # help
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",  # Python before 3.10
    "subcommands": "子命令",
    "show this help message and exit": "显示本帮助信息并退出",
    "show program's version number and exit": "显示版本号并退出",
    # errors
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s：警告：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "必须提供参数 %s 之一",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "此选项不接受取值 %r",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "需要一个取值",
    "expected at most one argument": "最多只能有一个取值",
    "expected at least one argument": "至少需要一个取值",
    "expected %s argument": "需要 %s 个取值",
    "ambiguous option: %(option)s could match %(matches)s": (
        "选项 %(option)s 不明确，可能是：%(matches)s"
    ),
    "unexpected option string: %s": "意外的选项：%s",
    "invalid %(type)s value: %(value)r": "无效的取值：%(value)r（应为 %(type)s）",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "无效的选择：%(value)r（可选：%(choices)s）"
    ),
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)": (
        "无效的选择：%(value)r，您要输入的是否是 %(closest)r？（可选：%(choices)s）"
    ),
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "未知的子命令 %(parser_name)r（可选：%(choices)s）"
    ),
    "option '%(option)s' is deprecated": "选项 '%(option)s' 已不建议使用",
    "argument '%(argument_name)s' is deprecated": "参数 '%(argument_name)s' 已不建议使用",
    "command '%(parser_name)s' is deprecated": "子命令 '%(parser_name)s' 已不建议使用",
    "can't open '%(filename)s': %(error)s": "无法打开 '%(filename)s'：%(error)s",
}


def _gettext(message: str) -> str:
    return CHINESE.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    if singular in CHINESE:
        return CHINESE[singular]  # Chinese has one form
    return singular if n == 1 else plural


@contextmanager
def in_chinese() -> Iterator[None]:
    """argparse speaks Chinese inside the block (re-entrant: the outer block restores)."""
    names = vars(argparse)
    saved = names["_"], names["ngettext"]
    names["_"], names["ngettext"] = _gettext, _ngettext
    try:
        yield
    finally:
        names["_"], names["ngettext"] = saved


P = ParamSpec("P")
R = TypeVar("R")


def _chinese(method: Callable[P, R]) -> Callable[P, R]:
    def speaking_chinese(*args: P.args, **kwargs: P.kwargs) -> R:
        with in_chinese():
            return method(*args, **kwargs)

    speaking_chinese.__name__ = method.__name__
    speaking_chinese.__doc__ = method.__doc__
    return speaking_chinese


# --- help laid out by display width -------------------------------------------------------------

_USAGE = "usage: "
# "用法：" is 6 columns wide: with one space it takes the place of "usage: ", so argparse's
# continuation lines (indented by the prefix's length) stay under the program's name.
_CHINESE_USAGE = "用法： "
# Closing punctuation never starts a line (it stays with the text before it).
_NO_LINE_START = frozenset("，。、；：？！）》」』”’,.;:?!)]}")
# …and opening punctuation never ends one (it stays with the text after it).
_NO_LINE_END = frozenset("（《「『“‘")


def width(text: str) -> int:
    """Terminal columns ``text`` takes: a Chinese character (wide or full-width) takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _tokens(text: str) -> Iterator[str]:
    """Words that must not be broken: a run of spaces, a run of narrow (Latin) characters, or one
    wide character; closing punctuation joined to what it follows, opening to what follows it."""
    token = ""
    for char in text:
        wide = unicodedata.east_asian_width(char) in "WF"
        if char.isspace():
            joins = token.isspace()
        elif token and token[-1] in _NO_LINE_END:
            joins = True
        elif char in _NO_LINE_START:
            joins = bool(token) and not token.isspace()
        else:
            joins = not wide and bool(token) and not token.isspace() and not _ends_wide(token)
        if token and not joins:
            yield token
            token = ""
        token += char
    if token:
        yield token


def _ends_wide(token: str) -> bool:
    return unicodedata.east_asian_width(token[-1]) in "WF" or token[-1] in _NO_LINE_START


def wrap(text: str, columns: int) -> list[str]:
    """``text`` (whitespace runs already single spaces) broken into lines of at most ``columns``
    terminal columns, between Chinese characters or at spaces; a word longer than a line stays
    whole."""
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        if token.isspace():
            if line:
                line += " "
            continue
        if line and width(line.rstrip() + token) > columns:
            lines.append(line.rstrip())
            line = ""
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, measuring Chinese text in terminal columns (two a character)."""

    def _format_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None,
    ) -> str:
        if prefix is not None:
            return super()._format_usage(usage, actions, groups, prefix)
        text = super()._format_usage(usage, actions, groups, _USAGE)
        return text.replace(_USAGE, _CHINESE_USAGE, 1)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(self._whitespace_matcher.sub(" ", text).strip(), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = wrap(self._whitespace_matcher.sub(" ", text).strip(), width - len(indent))
        return "\n".join(indent + line for line in lines)


# --- the parser ----------------------------------------------------------------------------------


class ChineseArgumentParser(argparse.ArgumentParser):
    """An :class:`argparse.ArgumentParser` whose own words are Chinese and whose help is laid out
    for Chinese text (:class:`ChineseHelpFormatter`, unless another is given); its subcommands'
    parsers (``add_subparsers().add_parser``) are of this class too."""

    @_chinese
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, **kwargs)

    @_chinese
    def add_subparsers(self, **kwargs: Any) -> Any:  # argparse's own annotation is private
        return super().add_subparsers(**kwargs)

    @_chinese
    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: Any = None
    ) -> tuple[Any, list[str]]:
        return super().parse_known_args(args, namespace)

    @_chinese
    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: Any = None
    ) -> Any:
        return super().parse_args(args, namespace)

    @_chinese
    def parse_known_intermixed_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: Any = None
    ) -> tuple[Any, list[str]]:
        return super().parse_known_intermixed_args(args, namespace)

    @_chinese
    def parse_intermixed_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: Any = None
    ) -> Any:
        return super().parse_intermixed_args(args, namespace)

    @_chinese
    def format_usage(self) -> str:
        return super().format_usage()

    @_chinese
    def format_help(self) -> str:
        return super().format_help()

    @_chinese
    def error(self, message: str) -> NoReturn:
        super().error(message)
