"""The store's errors, and the base of every expected error.

:class:`AppError` lives here, at the lowest layer, because the store's errors are its kinds too: a
locked or full database is explained to the person at the window like any refused input, and
``db/`` must not import ``app/`` to say so. ``app.errors`` re-exports everything here, so the rest
of the program keeps importing its errors from there.

The UI shows ``str(error)`` (``[code] message``); codes are stable and unique across the program.
"""

from __future__ import annotations

__all__ = [
    "AppError",
    "DataDirError",
    "NewerStoreError",
    "NoKeyringError",
    "StoreBusy",
    "StoreCorrupt",
    "StoreError",
    "StoreFull",
    "StoreIOError",
    "StoreReadOnly",
    "WrongKeyError",
]


class AppError(Exception):
    """Base of every expected, user-explainable error."""

    code: str = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class StoreError(AppError):
    """The local store cannot be opened or used (key missing or wrong, no keyring, damaged file,
    or the disk and the file around it: see the subclasses)."""

    code = "E300"


class NoKeyringError(StoreError):
    """No OS keyring backend to hold the store key."""

    code = "E301"


class NewerStoreError(StoreError):
    """The store was written by a newer OneWindow (a schema this program does not know)."""

    code = "E303"


class DataDirError(StoreError):
    """The data directory cannot be made or written."""

    code = "E304"


class WrongKeyError(StoreError):
    """The key at hand does not open the store."""

    code = "E302"


# SQLite's environment errors (db/sqlite_errors.py makes them from the driver's exceptions).
# Each says what happened and what the person at the window can do; nothing was saved.


class StoreBusy(StoreError):
    """Another program or workstation held the write lock for longer than the busy timeout."""

    code = "E320"


class StoreFull(StoreError):
    """The disk (or the database's size limit) is full."""

    code = "E321"


class StoreReadOnly(StoreError):
    """The database file or its folder cannot be written."""

    code = "E322"


class StoreCorrupt(StoreError):
    """The database file is damaged."""

    code = "E323"


class StoreIOError(StoreError):
    """The operating system reported a read or write failure (a failing disk, a removed drive)."""

    code = "E324"
