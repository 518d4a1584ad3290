"""``onewindow report monthly``: the files, the audit entry's actor, and the exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from sqlalchemy import select

from app import cli
from app.audit import AuditEvent
from db.models import AuditEntry
from tests.centre import Centre
from tests.reports.monthly_fixture import build_march


def test_the_command_writes_the_report_as_the_cli_supervisor(
    centre: Centre, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_march(centre)
    out = tmp_path / "报表"
    argv = ["report", "monthly", "--month", "2026-03", "--out", str(out), "--full-ids"]
    assert cli.main([*argv, "--data-dir", str(centre.store.data_dir)]) == 0
    printed = capsys.readouterr().out
    assert "已生成 2026年3月 的月度报表" in printed and "含完整身份证号" in printed
    book = load_workbook(out / "月度报表-2026-03-含完整身份证号.xlsx")
    assert book["办件台账"].max_row == 7 + 2  # header, seven cases, 合计
    assert (out / "月度报表-2026-03-含完整身份证号.pdf").stat().st_size > 10_000
    with centre.store.reader() as session:
        written = session.scalars(
            select(AuditEntry).where(
                AuditEntry.event.in_([AuditEvent.MONTHLY_REPORT, AuditEvent.FULL_ID_EXPORT])
            )
        ).all()
    assert len(written) == 2 and all(e.actor.startswith("cli:") for e in written)


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--month", "2026-13", "--out", "x"], "月份应在 1 至 12 之间"),
        (["--month", "十一月", "--out", "x"], "统计月份应写作 年-月"),
        (["--out", "x"], "缺少必需的参数：--month"),
        (["--month", "2026-11"], "缺少必需的参数：--out"),
    ],
)
def test_bad_arguments_exit_2_in_chinese(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as leaving:
        cli.main(["report", "monthly", *argv])
    assert leaving.value.code == 2
    err = capsys.readouterr().err
    assert words in err
    if "month" in " ".join(argv) and "缺少" not in words:
        assert "参数 --month：统计月份" in err
