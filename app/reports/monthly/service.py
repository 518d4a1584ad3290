"""Making the monthly report: who may, the two files, their archive copies and the audit entry.

Only a role holding :attr:`Permission.EXPORT` (the 中心负责人) makes the report; ID numbers are
masked unless ``full_ids`` is asked for by a role holding :attr:`Permission.EXPORT_FULL_ID`
(the 中心负责人 too). A refusal is audited (``permission_denied``) and raised in Chinese.

The files are written next to their final names first (``….part``); then one transaction keeps
their exact bytes in the encrypted store (``archived_reports``, as ``printed_documents`` keeps a
case's documents) and commits the ``monthly_report`` entry (and ``full_id_export`` when full IDs
were asked for) with both files' SHA-256; only then do the files take their final names. A report
whose transaction did not commit leaves no file and no archive row behind, and no archived report
is without its audit entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.actor import Actor
from app.audit import AuditEvent, JsonValue, authorize, record_for
from app.cases.context import CaseContext
from app.errors import InputFileError
from app.permissions import Permission, allowed, require
from app.printing.service import audit_digest
from app.reports.monthly.contents import MonthlyContents, gather
from app.reports.monthly.month import month_code
from app.reports.monthly.pdf import build_pdf
from app.reports.monthly.workbook import build_workbook
from app.reports.period import Period
from app.workflow.fold import CHINA_TZ, local_date
from db.models import ArchivedReport

__all__ = [
    "MonthlyReport",
    "PreparedReport",
    "issue_monthly_report",
    "make_monthly_report",
    "may_export",
    "prepare_monthly_report",
]


@dataclass(frozen=True)
class MonthlyReport:
    period: Period
    workbook: Path
    pdf: Path
    archived_workbook: int  # archived_reports.id
    archived_pdf: int
    workbook_sha256: str
    pdf_sha256: str
    cases: int  # rows of the 办件台账
    full_ids: bool


def may_export(actor: Actor, *, full_ids: bool = False) -> bool:
    """Whether ``actor`` may make the report (with full ID numbers): for the UI's courtesy."""
    if not allowed(actor, Permission.EXPORT):
        return False
    return not full_ids or allowed(actor, Permission.EXPORT_FULL_ID)


def _free_name(folder: Path, stem: str, suffix: str) -> Path:
    """``stem.suffix`` in ``folder``, or ``stem-2.suffix``, … when taken (never overwritten)."""
    path = folder / f"{stem}{suffix}"
    n = 2
    while path.exists() or path.with_name(path.name + ".part").exists():
        path = folder / f"{stem}-{n}{suffix}"
        n += 1
    return path


def _write(path: Path, data: bytes) -> None:
    with path.open("xb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def _folder(path: Path, what: str) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputFileError(
            f"{what} {path} 无法创建（{error.strerror or error}），报表未生成。"
        ) from error
    if not os.access(path, os.W_OK | os.X_OK):
        raise InputFileError(f"{what} {path} 不可写（权限不足），报表未生成。")


@dataclass(frozen=True)
class PreparedReport:
    """The two files' bytes, built but not yet written, archived or audited."""

    contents: MonthlyContents
    workbook: bytes
    pdf: bytes
    made_at: dt.datetime  # UTC


def prepare_monthly_report(
    ctx: CaseContext,
    actor: Actor,
    period: Period,
    *,
    full_ids: bool = False,
    progress: Callable[[str], None] | None = None,
) -> PreparedReport:
    """Check who asks, read the month (a read unit: seconds on a large store, never holding the
    write lock) and build both files' bytes. A refusal is audited and raised."""
    subject = f"report:{month_code(period)}"
    with ctx.sessions() as session:
        authorize(session, actor, Permission.EXPORT, subject=subject)
        if full_ids:
            authorize(session, actor, Permission.EXPORT_FULL_ID, subject=subject)
    now = ctx.clock()
    say = progress or (lambda _: None)
    say("正在统计…")
    with ctx.readers() as session:
        contents = gather(
            session,
            period,
            today=local_date(now),
            calendar=ctx.calendar,
            made_at=now.astimezone(CHINA_TZ).replace(tzinfo=None),
            made_by=actor.display_name,
            full_ids=full_ids,
        )
    say("正在生成 Excel 工作簿…")
    workbook = build_workbook(contents)
    say("正在生成 PDF…")
    return PreparedReport(contents, workbook, build_pdf(contents), now)


def issue_monthly_report(
    ctx: CaseContext,
    actor: Actor,
    prepared: PreparedReport,
    out_dir: Path,
) -> MonthlyReport:
    """Write the prepared files into ``out_dir``, their archive copies and the audit entries
    (a short write unit)."""
    require(actor, Permission.EXPORT)
    if prepared.contents.full_ids:
        require(actor, Permission.EXPORT_FULL_ID)
    _folder(out_dir, "输出目录")
    return _issue(
        ctx, actor, prepared.contents, prepared.workbook, prepared.pdf, out_dir, prepared.made_at
    )


def make_monthly_report(
    ctx: CaseContext,
    actor: Actor,
    period: Period,
    out_dir: Path,
    *,
    full_ids: bool = False,
    progress: Callable[[str], None] | None = None,
) -> MonthlyReport:
    """Build the month's workbook and PDF into ``out_dir``, archive and audit them."""
    prepared = prepare_monthly_report(ctx, actor, period, full_ids=full_ids, progress=progress)
    return issue_monthly_report(ctx, actor, prepared, out_dir)


def _issue(
    ctx: CaseContext,
    actor: Actor,
    contents: MonthlyContents,
    workbook: bytes,
    pdf: bytes,
    out_dir: Path,
    now: dt.datetime,
) -> MonthlyReport:
    code = month_code(contents.period)
    stem = f"月度报表-{code}" + ("-含完整身份证号" if contents.full_ids else "")
    final_xlsx = _free_name(out_dir, stem, ".xlsx")
    final_pdf = _free_name(out_dir, final_xlsx.stem, ".pdf")
    temps = [final_xlsx.with_name(final_xlsx.name + ".part")]
    temps.append(final_pdf.with_name(final_pdf.name + ".part"))
    written: list[Path] = []
    xlsx_digest = hashlib.sha256(workbook).hexdigest()
    pdf_digest = hashlib.sha256(pdf).hexdigest()
    try:
        for path, data in zip(temps, (workbook, pdf), strict=True):
            _write(path, data)
            written.append(path)
        detail: dict[str, JsonValue] = {
            "month": code,
            "cases": len(contents.ledger),
            "full_ids": contents.full_ids,
            "workbook": final_xlsx.name,
            "pdf": final_pdf.name,
            "workbook_sha256": audit_digest(xlsx_digest),
            "pdf_sha256": audit_digest(pdf_digest),
        }
        subject = f"report:{code}"
        with ctx.sessions() as session, session.begin():
            kept = [
                _archived(actor, code, contents.full_ids, path.name, data, digest, now)
                for path, data, digest in (
                    (final_xlsx, workbook, xlsx_digest),
                    (final_pdf, pdf, pdf_digest),
                )
            ]
            session.add_all(kept)
            session.flush()
            detail["archived"] = [row.id for row in kept]
            record_for(session, actor, AuditEvent.MONTHLY_REPORT, subject, detail, at=now)
            if contents.full_ids:
                applicants = len({r.id_number for r in contents.ledger if r.id_number})
                record_for(
                    session,
                    actor,
                    AuditEvent.FULL_ID_EXPORT,
                    subject,
                    {"month": code, "applicants": applicants, "workbook": final_xlsx.name},
                    at=now,
                )
        temps[0].replace(final_xlsx)
        temps[1].replace(final_pdf)
    except OSError as error:
        _remove(written)
        raise InputFileError(
            f"报表文件未能写入（{error.strerror or error}），未生成任何文件。"
        ) from error
    except BaseException:
        _remove(written)
        raise
    return MonthlyReport(
        period=contents.period,
        workbook=final_xlsx,
        pdf=final_pdf,
        archived_workbook=kept[0].id,
        archived_pdf=kept[1].id,
        workbook_sha256=xlsx_digest,
        pdf_sha256=pdf_digest,
        cases=len(contents.ledger),
        full_ids=contents.full_ids,
    )


def _archived(
    actor: Actor,
    code: str,
    full_ids: bool,
    name: str,
    data: bytes,
    digest: str,
    now: dt.datetime,
) -> ArchivedReport:
    return ArchivedReport(
        kind=AuditEvent.MONTHLY_REPORT.value,
        period=code,
        file_name=name,
        full_ids=full_ids,
        sha256=digest,
        content=data,
        made_by=actor.user_id or None,
        workstation=actor.workstation,
        made_at=now,
    )


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
