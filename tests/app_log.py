"""The application log written to a test's own directory, as ``ui.startup`` sets it up."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.system import logs


@pytest.fixture
def app_log(tmp_path: Path) -> Iterator[Path]:
    """The redacting log file in ``tmp_path/app-data/logs``; the root logger is put back after."""
    root = logging.getLogger()
    level = root.level
    path = logs.configure_logging(tmp_path / "app-data")
    yield path
    logs.stop_logging()
    root.setLevel(level)


def log_text(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")
