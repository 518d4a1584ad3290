"""The monthly report as a use case: who may, masked vs full IDs, the archive and the audit log;
the PDF's text and its first page as a picture."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.audit import AuditEvent, verify
from app.audit_text import describe
from app.errors import InputFileError, PermissionDenied
from app.reports.monthly.service import make_monthly_report
from db.models import ArchivedReport, AuditEntry
from tests.centre import Centre
from tests.reports.monthly_fixture import MARCH, build_march

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def entries(c: Centre, event: str) -> list[AuditEntry]:
    with c.store.reader() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.event == event)))


def archived(c: Centre, row_id: int) -> bytes:
    with c.store.reader() as session:
        row = session.get(ArchivedReport, row_id)
        assert row is not None and row.period == "2026-03"
        return row.content


def make(c: Centre, out: Path, actor: str = "supervisor", *, full_ids: bool = False):  # type: ignore[no-untyped-def]
    return make_monthly_report(
        c.ctx,
        c.actor(actor),
        MARCH,
        out,
        full_ids=full_ids,
    )


def test_the_report_is_written_archived_and_audited(centre: Centre, tmp_path: Path) -> None:
    build_march(centre)
    report = make(centre, tmp_path / "out")
    assert report.workbook == tmp_path / "out" / "月度报表-2026-03.xlsx"
    assert report.pdf == tmp_path / "out" / "月度报表-2026-03.pdf"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "月度报表-2026-03.pdf",
        "月度报表-2026-03.xlsx",
    ]  # no .part left behind
    # The archive copies are the same bytes, and the audit entry names them with their digests.
    # The archive copies (in the encrypted store) are the same bytes.
    assert archived(centre, report.archived_workbook) == report.workbook.read_bytes()
    assert archived(centre, report.archived_pdf) == report.pdf.read_bytes()
    digest = hashlib.sha256(report.pdf.read_bytes()).hexdigest()
    (entry,) = entries(centre, AuditEvent.MONTHLY_REPORT)
    assert entry.actor == "supervisor" and entry.subject == "report:2026-03"
    assert entry.detail["pdf_sha256"].replace("-", "") == digest
    assert entry.detail["workbook"] == report.workbook.name
    assert entry.detail["archived"] == [report.archived_workbook, report.archived_pdf]
    assert entry.detail["full_ids"] is False and entry.detail["cases"] == report.cases == 7
    assert entries(centre, AuditEvent.FULL_ID_EXPORT) == []
    text = describe(entry.event, entry.actor, entry.subject, entry.detail)
    assert "2026年3月 月度报表" in text and "身份证号已隐藏中间位" in text
    with centre.store.reader() as session:
        assert verify(session).ok
    # A second report of the month does not overwrite the first.
    again = make(centre, tmp_path / "out")
    assert again.workbook.name == "月度报表-2026-03-2.xlsx"


def test_full_ids_are_audited_and_refused_to_other_roles(centre: Centre, tmp_path: Path) -> None:
    build_march(centre)
    report = make(centre, tmp_path, full_ids=True)
    assert report.workbook.name == "月度报表-2026-03-含完整身份证号.xlsx"
    (entry,) = entries(centre, AuditEvent.FULL_ID_EXPORT)
    assert entry.actor == "supervisor" and entry.detail["applicants"] == 7
    assert "含完整身份证号" in describe(entry.event, entry.actor, entry.subject, entry.detail)
    for role in ("clerk", "approver", "admin", "auditor", "proxy"):
        with pytest.raises(PermissionDenied, match="无权") as refused:
            make(centre, tmp_path / role, role, full_ids=True)
        assert "当前用户" in str(refused.value)
        assert not (tmp_path / role).exists()
    with pytest.raises(PermissionDenied, match="无权导出数据"):
        make(centre, tmp_path / "clerk", "clerk")
    denied = entries(centre, AuditEvent.PERMISSION_DENIED)
    assert len(denied) == 6 and {e.subject for e in denied} == {"report:2026-03"}


def test_the_pdf_holds_the_figures_in_chinese(centre: Centre, tmp_path: Path) -> None:
    build_march(centre)
    report = make(centre, tmp_path)
    reader = PdfReader(io.BytesIO(report.pdf.read_bytes()))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "办件统计月报" in text and "全中心指标" in text
    assert "每日收件量与办结量" in text and "各窗口逾期件数" in text
    assert "收件量" in text and "满意度" in text and "50.0%" in text
    assert "按事项" in text and "高龄津贴" in text and "第 1 页" in text
    fonts: set[str] = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for ref in resources.get_object()["/Font"].values():
            fonts.add(str(ref.get_object()["/BaseFont"]))
    assert any("NotoSansSC" in f for f in fonts)  # the bundled font, embedded
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    SCREENSHOTS.mkdir(exist_ok=True)
    target = SCREENSHOTS / "monthly-report-page1"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "110",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(report.pdf),
            str(target),
        ],
        check=True,
    )
    assert target.with_suffix(".png").stat().st_size > 20_000


def test_a_failed_audit_leaves_no_file_behind(
    centre: Centre, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.reports.monthly import service

    build_march(centre)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(service, "record_for", broken)
    with pytest.raises(InputFileError, match="未生成任何文件"):
        make(centre, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []
    with centre.store.reader() as session:
        assert session.scalars(select(ArchivedReport)).all() == []
    assert entries(centre, AuditEvent.MONTHLY_REPORT) == []
