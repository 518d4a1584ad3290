"""Application log file: written where expected, rotated, and free of personal data."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from app.system import logs

ID_18 = "110105194912310021"
ID_X = "11010519491231002X"
ID_15 = "110105491231002"
MOBILE = "13800138000"
USCC = "91350100M000100Y43"
RECEIPT = "511899101000-W01-20261123-0001"


@pytest.fixture(autouse=True)
def restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    yield
    logs.stop_logging()
    root.setLevel(level)
    assert not any(isinstance(h, RotatingFileHandler) for h in root.handlers)


def read(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_log_file_lives_in_the_data_dir(tmp_path: Path) -> None:
    path = logs.configure_logging(tmp_path / "data")
    assert path == tmp_path / "data" / "logs" / "onewindow.log"
    logging.getLogger("app.cases").info("受理办件 %s", RECEIPT)
    text = read(path)
    assert "INFO app.cases" in text
    assert f"受理办件 {RECEIPT}" in text  # case numbers are not personal data and stay readable


def test_no_personal_data_reaches_the_file(tmp_path: Path) -> None:
    path = logs.configure_logging(tmp_path)
    log = logging.getLogger("app.intake.careless")
    log.info("申请人身份证号 %s，电话 %s", ID_18, MOBILE)
    log.warning("form data: %r", {"id_number": ID_X, "phone": f"+86 {MOBILE}", "uscc": USCC})
    log.info(f"inline f-string {ID_15} 138-0013-8000 and 110105 1949 1231 002X")
    log.error("old number %d", 110105491231002)
    try:
        raise ValueError(f"居民身份证号 {ID_X} 校验失败")
    except ValueError:
        log.exception("intake failed for %s", MOBILE)
    log.info("stack too", stack_info=True, extra={"unrelated": 1})
    text = read(path)
    for secret in (ID_18, ID_X, ID_15, MOBILE, USCC, "138-0013-8000", "1949 1231 002X"):
        assert secret not in text, secret
    assert text.count(logs.ID_MASK) >= 6
    assert logs.MOBILE_MASK in text and logs.USCC_MASK in text
    assert "校验失败" in text and "Traceback" in text  # the exception is still there, redacted


def test_a_record_with_bad_arguments_loses_them_not_the_message() -> None:
    record = logging.LogRecord(
        "app.x", logging.INFO, __file__, 1, "申请人 %s %s 电话", (ID_18,), None
    )
    assert logs.RedactingFilter().filter(record)
    assert record.getMessage() == "申请人 %s %s 电话 (日志参数格式错误)"
    assert record.args is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (f"id={ID_18};", f"id={logs.ID_MASK};"),
        (f"{ID_X.lower()}", logs.ID_MASK),
        (f"手机{MOBILE}。", f"手机{logs.MOBILE_MASK}。"),
        (f"+86-{MOBILE}", logs.MOBILE_MASK),
        (f"代码:{USCC}", f"代码:{logs.USCC_MASK}"),
        (RECEIPT, RECEIPT),
        ("case 12345 took 138 ms", "case 12345 took 138 ms"),
        ("sha256 " + "ab" * 32, "sha256 " + "ab" * 32),
        ("2026-11-23 13:45:12", "2026-11-23 13:45:12"),
    ],
)
def test_redact(raw: str, expected: str) -> None:
    assert logs.redact(raw) == expected


def test_file_rotates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    path = logs.configure_logging(tmp_path)
    for n in range(400):
        logging.getLogger("app.sync").info("推送第 %d 条操作", n)
    logs.stop_logging()
    files = sorted(p.name for p in path.parent.iterdir())
    assert files == [
        "onewindow.log",
        *(f"onewindow.log.{n}" for n in range(1, logs.BACKUP_COUNT + 1)),
    ]
    assert all(p.stat().st_size <= 2_100 for p in path.parent.iterdir())


def test_configuring_again_replaces_the_handler(tmp_path: Path) -> None:
    before = len(logging.getLogger().handlers)
    first = logs.configure_logging(tmp_path / "a")
    second = logs.configure_logging(tmp_path / "b")
    assert len(logging.getLogger().handlers) == before + 1
    logging.getLogger("x").warning("only in b")
    assert "only in b" in read(second)
    assert "only in b" not in read(first)


def test_current_log_file_and_its_rotated_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert logs.current_log_file() is None
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    path = logs.configure_logging(tmp_path)
    for n in range(60):
        logging.getLogger("app.sync").info("推送第 %d 条操作", n)
    assert logs.current_log_file() == path
    rotated = sorted(p.name for p in path.parent.glob("onewindow.log.*"))
    assert len(rotated) >= 1
    assert logs.log_files(path) == [path, *(path.with_name(n) for n in rotated)]
    assert logs.log_files(tmp_path / "none.log") == []
