"""Application logging: one rotating file per data directory, with personal data redacted.

DESIGN §8: no personal data in application logs. Developers should log ids and case numbers, but
mistakes happen, so the file handler runs every record through :class:`RedactingFilter`, which
replaces ID numbers (18 digits, or 17 + X, or the old 15 digits; also typed with spaces),
mobile numbers (optionally with +86) and 统一社会信用代码-like tokens — in the message, its
arguments, the formatted exception and the stack — before anything is written. The filter sits
on the handler, not a logger, so records from every module's logger pass through it.
"""

from __future__ import annotations

import logging
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

__all__ = [
    "LOG_FILE_NAME",
    "RedactingFilter",
    "configure_logging",
    "current_log_file",
    "log_files",
    "redact",
    "stop_logging",
]

LOG_DIR_NAME = "logs"
LOG_FILE_NAME = "onewindow.log"
MAX_BYTES = 2_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

ID_MASK = "[身份证号已隐藏]"
USCC_MASK = "[信用代码已隐藏]"
MOBILE_MASK = "[手机号已隐藏]"

_SEP = r"[ \-]?"
# Any run of 15+ digits (an ID number, or one glued to other digits), 17 digits + X, or an
# 18-character number typed in groups (6-4-4-4 or 6-8-4).
_ID_NUMBER = re.compile(
    r"(?<![0-9])(?:[0-9]{17}[Xx]|[0-9]{15,}|"
    rf"[0-9]{{6}}{_SEP}[0-9]{{4}}{_SEP}[0-9]{{4}}{_SEP}[0-9]{{3}}[0-9Xx])(?![0-9])"
)
# GB 32100 shape: 2 characters, 6 digits (division), 10 characters; upper case letters/digits.
_USCC = re.compile(r"(?<![0-9A-Za-z])[0-9A-Z]{2}[0-9]{6}[0-9A-Z]{10}(?![0-9A-Za-z])")
_MOBILE = re.compile(
    rf"(?<![0-9])(?:\+?86{_SEP})?1[3-9][0-9]{_SEP}[0-9]{{4}}{_SEP}[0-9]{{4}}(?![0-9])"
)


def redact(text: str) -> str:
    """``text`` with ID numbers, credit codes and mobile numbers replaced by placeholders."""
    text = _ID_NUMBER.sub(ID_MASK, text)
    text = _USCC.sub(USCC_MASK, text)
    return _MOBILE.sub(MOBILE_MASK, text)


class RedactingFilter(logging.Filter):
    """Rewrites each record so that nothing after it can see the personal data it carried."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record, nor leak its args
            message = f"{record.msg!s} (日志参数格式错误)"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_handler: RotatingFileHandler | None = None


def configure_logging(data_dir: Path, *, level: int = logging.INFO) -> Path:
    """Send the root logger to ``data_dir/logs/onewindow.log`` (rotating); returns the file path.

    Calling it again (another data directory) replaces the previous file handler.
    """
    global _handler
    log_dir = data_dir / LOG_DIR_NAME
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE_NAME
    handler = RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter())
    stop_logging()
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    _handler = handler
    return path


def stop_logging() -> None:
    """Detach and close the file handler installed by :func:`configure_logging`, if any."""
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None


def current_log_file() -> Path | None:
    """The file :func:`configure_logging` writes to now (flushed), or None before it ran."""
    if _handler is None:
        return None
    _handler.flush()
    return Path(_handler.baseFilename)


def log_files(path: Path) -> list[Path]:
    """``path`` and its rotated copies that exist, newest first (``onewindow.log``, ``.1``…)."""
    candidates = [path, *(path.with_name(f"{path.name}.{n}") for n in range(1, BACKUP_COUNT + 1))]
    return [p for p in candidates if p.is_file()]
