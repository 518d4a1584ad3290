"""Expected errors, each with a stable code and a plain Chinese message for the person at the
window.

The UI shows ``str(error)`` (``[code] message``); anything that is not an ``AppError`` is a bug and
goes to the crash handler instead. The base class and the store's errors are defined in
``db.errors`` (the store raises them and must not import ``app``) and re-exported here, so the
program imports every error from this module.
"""

from __future__ import annotations

from db.errors import (
    AppError,
    DataDirError,
    NewerStoreError,
    NoKeyringError,
    StoreBusy,
    StoreCorrupt,
    StoreError,
    StoreFull,
    StoreIOError,
    StoreReadOnly,
    WrongKeyError,
)

__all__ = [
    "AppError",
    "AuthenticationError",
    "CatalogRejected",
    "DataDirError",
    "IllegalTransition",
    "InputFileError",
    "InternalError",
    "NewerStoreError",
    "NoKeyringError",
    "NotFound",
    "PermissionDenied",
    "StoreBusy",
    "StoreCorrupt",
    "StoreError",
    "StoreFull",
    "StoreIOError",
    "StoreReadOnly",
    "ValidationError",
    "WrongKeyError",
]

INTERNAL_ERROR_MESSAGE = (
    "程序内部错误，本次操作未完成，已记录日志。请重试；如果再次出现，请保存诊断包交给技术支持。"
)


class ValidationError(AppError):
    """Input that breaks a rule; the message names the field."""

    code = "E100"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class CatalogRejected(AppError):
    """A catalogue that failed validation; the catalogue in force is unchanged."""

    code = "E200"

    def __init__(self, problems: list[str]) -> None:
        summary = "目录文件未通过校验，已拒绝载入，当前在用目录保持不变：\n" + "\n".join(problems)
        super().__init__(summary)
        self.problems = problems


class InputFileError(AppError):
    """A file the user pointed at cannot be read."""

    code = "E110"


class PermissionDenied(AppError):
    """The acting user's role may not do this (checked in app/, not only hidden in the UI)."""

    code = "E400"


class AuthenticationError(AppError):
    """Wrong user name or password, or the account is locked or disabled."""

    code = "E410"


class IllegalTransition(AppError):
    """The case's state does not allow this action; nothing was changed."""

    code = "E500"


class NotFound(AppError):
    """The case, user or item asked for does not exist (or is not visible to this user)."""

    code = "E404"


class InternalError(AppError):
    """What the caller of a background task gets for an unexpected exception (a bug): the task
    did not finish, the traceback is in the log and the crash handler has been told."""

    code = "E900"

    def __init__(self, message: str = INTERNAL_ERROR_MESSAGE) -> None:
        super().__init__(message)
