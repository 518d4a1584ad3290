"""Printing use cases (Qt-free): issue a document for a case, list a case's archived documents,
and fetch the exact archived bytes again.

Every issued document — printed or saved — is archived with its SHA-256, who and when, and
audited, in one transaction; a preview, or a copy whose print dialog was cancelled, is not. A
second document of the same kind for a case is a 补打 (reprint): the PDF says so and it gets its
own archive row and hash.

Each copy records the case number it printed: the county's 办件编号 once the case has one, else
the provisional 收件号. A copy printed with the 收件号 of a case the county has numbered since is
offered again with the 办件编号 (``DocumentRow.numbered_since``; the reprint is audited with the
copy it replaces).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.audit import AuditEvent, JsonValue, record_for
from app.cases.access import check_visible
from app.cases.context import CaseContext
from app.cases.decisions import get_case
from app.errors import NotFound, ValidationError
from app.printing.facts import gather
from app.printing.kinds import DocKind, kinds_for_state
from app.printing.layouts import load_layout
from app.printing.render import render_pdf
from app.units.declare import reads
from app.workflow.fold import local_date
from app.workflow.states import Action, CaseState
from db.models import CaseAction, PrintedDocument, User

PURPOSES = {"print": "打印", "save": "另存为PDF", "preview": "预览"}


@dataclass(frozen=True)
class IssuedDocument:
    document_id: int | None  # None: a preview, built for the screen and not archived
    case_id: int
    kind: DocKind
    title: str
    pdf: bytes
    sha256: str
    reprint: bool
    printed_at: datetime
    printed_by: str
    number: str = ""  # the case number it prints (办件编号, else 收件号); "" unknown (old copy)


@dataclass(frozen=True)
class DocumentRow:
    """An archived document without its bytes (for a case's timeline)."""

    document_id: int
    kind: DocKind
    title: str
    sha256: str
    reprint: bool
    printed_at: datetime
    printed_by: str
    number: str = ""  # the case number it printed; "" unknown (archived before it was kept)
    # The 办件编号 the county gave after this copy was printed with the 收件号 ("" otherwise).
    numbered_since: str = ""


def audit_digest(digest: str) -> str:
    """The hex digest in groups of 8 joined by "-", as the audit log records it.

    A bare hex digest now and then holds a run of digits that looks like an ID or mobile number,
    which the audit log rightly refuses; grouped, no digit run is longer than 8.
    """
    return "-".join(digest[i : i + 8] for i in range(0, len(digest), 8))


def _title(kind: DocKind, reprint: bool) -> str:
    return kind.label + ("（补打）" if reprint else "")


def _build(
    session: Session, actor: Actor, case_id: int, kind: DocKind, now: datetime
) -> tuple[IssuedDocument, str]:
    """The document as it would be issued now (a 补打 when a copy is archived already), and the
    case's receipt number for the audit log."""
    layout = load_layout(kind)
    case = get_case(session, case_id)
    check_visible(actor, case)
    reprint = _has_copy(session, case_id, kind)
    facts = gather(
        session,
        case_id,
        title=layout.title,
        reprint=reprint,
        printed_by=actor.display_name,
        today=local_date(now),
    )
    pdf = render_pdf(layout, facts, reprint=reprint)
    built = IssuedDocument(
        document_id=None,
        case_id=case_id,
        kind=kind,
        title=_title(kind, reprint),
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        reprint=reprint,
        printed_at=now,
        printed_by=actor.display_name,
        number=case.official_no or case.receipt_no,
    )
    return built, case.receipt_no


def _has_copy(session: Session, case_id: int, kind: DocKind) -> bool:
    earlier = select(PrintedDocument.id).where(
        PrintedDocument.case_id == case_id, PrintedDocument.doc_type == kind.value
    )
    return session.scalar(earlier.limit(1)) is not None


def _archive(
    session: Session,
    actor: Actor,
    doc: IssuedDocument,
    receipt_no: str,
    purpose: str,
    now: datetime,
    replaces: int | None = None,
) -> IssuedDocument:
    """Archive exactly ``doc``'s bytes and audit the issue, in the caller's transaction."""
    row = PrintedDocument(
        case_id=doc.case_id,
        doc_type=doc.kind.value,
        reprint=doc.reprint,
        case_no=doc.number or None,
        sha256=doc.sha256,
        pdf=doc.pdf,
        printed_by=actor.user_id or None,
        workstation=actor.workstation,
        printed_at=now,
    )
    session.add(row)
    session.flush()
    detail: dict[str, JsonValue] = {
        "kind": doc.kind.value,
        "document_id": row.id,
        "sha256": audit_digest(doc.sha256),
        "reprint": doc.reprint,
        "purpose": purpose,
    }
    if replaces is not None:  # a 补打 of that archived copy (e.g. now with the 办件编号)
        detail["reprint_of"] = replaces
    record_for(session, actor, AuditEvent.PRINT, receipt_no, detail, at=now)
    return replace(doc, document_id=row.id, printed_at=now)


def build_document(ctx: CaseContext, actor: Actor, case_id: int, kind: DocKind) -> IssuedDocument:
    """Build ``kind`` for the case without archiving it: for the screen, or for the printer or a
    file before the clerk has confirmed the print dialog or the file was written. It counts as
    issued (archived, audited, and making the next copy a 补打) only once ``archive_document``
    records it — a print dialog cancelled in between leaves no trace.

    A read unit: rendering takes tens of milliseconds and never holds the write lock, so the
    next clerk's 受理 does not wait for a preview."""
    with ctx.readers() as session:
        built, _ = _build(session, actor, case_id, kind, ctx.clock())
        return built


def archive_document(
    ctx: CaseContext,
    actor: Actor,
    doc: IssuedDocument,
    *,
    purpose: str,
    replaces: int | None = None,
) -> IssuedDocument:
    """Archive and audit the exact bytes of a document built by ``build_document`` that has now
    reached the printer (``purpose="print"``) or a file (``"save"``).

    The row says what the paper says: ``doc.reprint`` as it was built. Two first copies of one
    kind could only come from two builds racing each other before either was archived (one
    window has one writer thread and a modal print dialog); the second is then still recorded,
    as issued, rather than left out of the archive. ``replaces``: the archived copy this one
    reprints (the 文书 tab's 补打), named in the audit entry."""
    if purpose not in ("print", "save"):
        raise ValidationError("用途", f"未知的文书用途：{purpose}")
    if doc.document_id is not None:
        raise ValidationError("文书", "该文书已存档。")
    now = ctx.clock()
    with ctx.sessions() as session, session.begin():
        case = get_case(session, doc.case_id)
        check_visible(actor, case)
        return _archive(session, actor, doc, case.receipt_no, purpose, now, replaces)


def issue_document(
    ctx: CaseContext, actor: Actor, case_id: int, kind: DocKind, *, purpose: str = "print"
) -> IssuedDocument:
    """Build ``kind`` for the case, archive the bytes and their hash, audit the issue, in one
    transaction (for callers with no dialog in between: the sample CLI, benchmarks).

    ``purpose="preview"`` only builds it for the screen: nothing is archived or audited and it
    does not count as issued (a document first previewed, then printed, is not a 补打); what
    reaches paper or a file always goes through "print" or "save". The desks use
    ``build_document`` + ``archive_document`` instead, so that a cancelled print dialog or a
    failed save issues nothing."""
    if purpose not in PURPOSES:
        raise ValidationError("用途", f"未知的文书用途：{purpose}")
    now = ctx.clock()
    with ctx.sessions() as session, session.begin():
        built, receipt_no = _build(session, actor, case_id, kind, now)
        if purpose == "preview":
            return built
        return _archive(session, actor, built, receipt_no, purpose, now)


def case_documents(session: Session, actor: Actor, case_id: int) -> list[DocumentRow]:
    """The case's archived documents, oldest first (bytes not loaded); a copy that printed the
    收件号 of a case the county has numbered since says so (``numbered_since``)."""
    case = get_case(session, case_id)
    check_visible(actor, case)
    official = case.official_no or ""
    query = (
        select(
            PrintedDocument.id,
            PrintedDocument.doc_type,
            PrintedDocument.sha256,
            PrintedDocument.reprint,
            PrintedDocument.printed_at,
            User.display_name,
            PrintedDocument.case_no,
        )
        .outerjoin(User, User.id == PrintedDocument.printed_by)
        .where(PrintedDocument.case_id == case_id)
        .order_by(PrintedDocument.printed_at, PrintedDocument.id)
    )
    return [
        DocumentRow(
            doc_id,
            DocKind(kind),
            _title(DocKind(kind), reprint),
            digest,
            reprint,
            at,
            by or "",
            number or "",
            official if official and number == case.receipt_no else "",
        )
        for doc_id, kind, digest, reprint, at, by, number in session.execute(query)
    ]


def issuable_kinds(session: Session, actor: Actor, case_id: int) -> list[DocKind]:
    """The documents the case's history allows now (``kinds_for_state``), for the 文书 tab's
    开具 list: e.g. a 代办委托书 for a proxy's filing, a notice whose first print was missed."""
    case = get_case(session, case_id)
    check_visible(actor, case)
    actions = {
        Action(a)
        for a in session.scalars(select(CaseAction.action).where(CaseAction.case_id == case_id))
    }
    return kinds_for_state(
        CaseState(case.state), actions, has_proxy=case.authorization_id is not None
    )


@reads
def documents_tab(
    session: Session, actor: Actor, case_id: int
) -> tuple[list[DocumentRow], list[DocKind]]:
    """What a case's 文书 tab shows, in one read: its archived copies and what may be issued."""
    return case_documents(session, actor, case_id), issuable_kinds(session, actor, case_id)


@reads
def archived_pdf(session: Session, actor: Actor, document_id: int) -> IssuedDocument:
    """The exact archived bytes of one document (to view or print again as it was)."""
    row = session.get(PrintedDocument, document_id)
    if row is None:
        raise NotFound("找不到该文书。")
    check_visible(actor, get_case(session, row.case_id))
    user = session.get(User, row.printed_by) if row.printed_by is not None else None
    kind = DocKind(row.doc_type)
    return IssuedDocument(
        document_id=row.id,
        case_id=row.case_id,
        kind=kind,
        title=_title(kind, row.reprint),
        pdf=row.pdf,
        sha256=row.sha256,
        reprint=row.reprint,
        printed_at=row.printed_at,
        printed_by=user.display_name if user else "",
        number=row.case_no or "",
    )
