"""Expected errors, each with a stable code and a plain Chinese message for the person at the
window.

The UI shows ``str(error)`` (``[code] message``); anything that is not an ``AppError`` is a bug and
goes to the crash handler instead.
"""

from __future__ import annotations


class AppError(Exception):
    """Base of every expected, user-explainable error."""

    code: str = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


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


class StoreError(AppError):
    """The local store cannot be opened (key missing or wrong, no keyring, damaged file)."""

    code = "E300"


class NoKeyringError(StoreError):
    """No OS keyring backend to hold the store key."""

    code = "E301"


class WrongKeyError(StoreError):
    """The key at hand does not open the store."""

    code = "E302"


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
