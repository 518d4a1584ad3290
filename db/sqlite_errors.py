"""SQLite's environment errors as the store's typed errors, with what to do about them in Chinese.

A locked, full, read-only, failing or damaged database is not a bug in the program: the person at
the window must be told plainly that nothing was saved and what to do. ``db.engine`` calls
:func:`store_error_for` from its ``handle_error`` event, so every statement, BEGIN and COMMIT on
the store is covered in one place. Anything else (a constraint, a missing table) is left to
SQLAlchemy: those are bugs, and the crash handler reports them.
"""

from __future__ import annotations

from db.errors import (
    StoreBusy,
    StoreCorrupt,
    StoreError,
    StoreFull,
    StoreIOError,
    StoreReadOnly,
)

# SQLite primary result codes (https://sqlite.org/rescode.html); extended codes keep the primary
# one in their low byte (SQLITE_IOERR_WRITE = 778 = 10 | 3 << 8).
SQLITE_BUSY = 5
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

BUSY_MESSAGE = (
    "本地数据库正忙（另一个程序或窗口正在写入），本次操作没有保存。请稍后重试；"
    "如果一直出现，请关闭其他打开同一数据目录的程序。"
)
FULL_MESSAGE = "本机磁盘空间已满，本次操作没有保存。请清理磁盘空间或联系系统管理员后重试。"
READ_ONLY_MESSAGE = (
    "本地数据库文件不能写入（只读），本次操作没有保存。请检查数据目录的权限或磁盘是否写保护，"
    "然后重新启动本程序。"
)
CORRUPT_MESSAGE = "本地数据库文件已损坏，本次操作没有完成。请停止办理，联系系统管理员从备份恢复。"
IO_MESSAGE = (
    "读写本地数据库时磁盘出错，本次操作没有保存。请检查磁盘（或移动硬盘是否已拔出）后"
    "重新启动本程序；如果再次出现，请联系系统管理员。"
)

_BY_CODE: dict[int, tuple[type[StoreError], str]] = {
    SQLITE_BUSY: (StoreBusy, BUSY_MESSAGE),
    SQLITE_READONLY: (StoreReadOnly, READ_ONLY_MESSAGE),
    SQLITE_IOERR: (StoreIOError, IO_MESSAGE),
    SQLITE_CANTOPEN: (StoreIOError, IO_MESSAGE),
    SQLITE_CORRUPT: (StoreCorrupt, CORRUPT_MESSAGE),
    SQLITE_NOTADB: (StoreCorrupt, CORRUPT_MESSAGE),
    SQLITE_FULL: (StoreFull, FULL_MESSAGE),
}

# For a driver that does not set ``sqlite_errorcode``: SQLite's own messages for those codes.
_BY_MESSAGE: tuple[tuple[str, int], ...] = (
    ("database is locked", SQLITE_BUSY),
    ("attempt to write a readonly database", SQLITE_READONLY),
    ("disk i/o error", SQLITE_IOERR),
    ("unable to open database file", SQLITE_CANTOPEN),
    ("database disk image is malformed", SQLITE_CORRUPT),
    ("file is not a database", SQLITE_NOTADB),
    ("database or disk is full", SQLITE_FULL),
)


def sqlite_code(error: BaseException) -> int | None:
    """The primary SQLite result code of a driver exception, if it is one of those above."""
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _BY_CODE:
        return code & 0xFF
    text = str(error).lower()
    return next((c for fragment, c in _BY_MESSAGE if fragment in text), None)


def store_error_for(error: BaseException) -> StoreError | None:
    """The typed store error for a SQLite environment error; None for anything else."""
    code = sqlite_code(error)
    if code is None:
        return None
    kind, message = _BY_CODE[code]
    return kind(message)
