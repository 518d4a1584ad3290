"""Archive, reprint (补打), audit, visibility, and the layout templates."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app import audit
from app.cases import decisions as d
from app.errors import InputFileError, NotFound, PermissionDenied, ValidationError
from app.printing.facts import FACT_NAMES
from app.printing.kinds import DocKind, documents_for, kinds_for_state
from app.printing.layouts import layouts_dir, load_layout, parse_layout
from app.printing.service import archived_pdf, audit_digest, case_documents, issue_document
from app.workflow.states import Action, CaseState
from db.models import AuditEntry, PrintedDocument
from tests.centre import Centre
from tests.printing.pdfs import issue, text

DIBAO = "最低生活保障"


def test_reprint_is_marked_and_archived_with_its_own_hash_and_audited(centre: Centre) -> None:
    case_id = centre.walk_in(DIBAO).case_id
    d.accept(centre.ctx, centre.actor("clerk"), case_id)
    first = issue(centre, case_id, DocKind.ACCEPTANCE_NOTICE)
    centre.clock.advance(hours=1)
    again = issue_document(
        centre.ctx, centre.actor("clerk2"), case_id, DocKind.ACCEPTANCE_NOTICE, purpose="save"
    )
    assert not first.reprint and again.reprint
    assert again.title == "受理通知书（补打）"
    assert "补打" in text(again.pdf) and "补打" not in text(first.pdf)
    assert again.sha256 == hashlib.sha256(again.pdf).hexdigest() != first.sha256

    with centre.store.session() as session:
        rows = session.scalars(
            select(PrintedDocument).where(PrintedDocument.case_id == case_id)
        ).all()
        assert [(r.doc_type, r.reprint) for r in rows] == [
            ("acceptance_notice", False),
            ("acceptance_notice", True),
        ]
        assert [r.sha256 for r in rows] == [first.sha256, again.sha256]
        assert rows[1].pdf == again.pdf and rows[1].workstation == "W01"
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.event == "print").order_by(AuditEntry.id)
        ).all()
        assert [e.actor for e in entries] == ["clerk", "clerk2"]
        assert entries[1].detail == {
            "kind": "acceptance_notice",
            "document_id": again.document_id,
            "sha256": audit_digest(again.sha256),
            "reprint": True,
            "purpose": "save",
        }
        assert audit.verify(session).ok

        listed = case_documents(session, centre.actor("approver"), case_id)
        assert [(r.document_id, r.title, r.printed_by) for r in listed] == [
            (first.document_id, "受理通知书", "clerk"),
            (again.document_id, "受理通知书（补打）", "clerk2"),
        ]
        assert first.document_id is not None
        fetched = archived_pdf(session, centre.actor("clerk"), first.document_id)
    assert fetched.pdf == first.pdf and fetched.sha256 == first.sha256
    assert fetched.kind is DocKind.ACCEPTANCE_NOTICE and fetched.printed_by == "clerk"


def test_the_audited_digest_never_looks_like_personal_data() -> None:
    digest = "a13812345678" + "b" * 52  # 11 digits that would pass for a mobile number
    assert audit.find_personal_data({"sha256": digest}) is not None
    grouped = audit_digest(digest)
    assert audit.find_personal_data({"sha256": grouped}) is None
    assert grouped.replace("-", "") == digest and len(grouped.split("-")) == 8


def test_who_may_print_and_bad_purpose(centre: Centre) -> None:
    case_id = centre.walk_in(DIBAO).case_id
    with pytest.raises(NotFound):  # a proxy sees only their own filings
        issue_document(centre.ctx, centre.actor("proxy"), case_id, DocKind.MATERIALS_RECEIPT)
    with pytest.raises(PermissionDenied):
        issue_document(centre.ctx, centre.actor("admin"), case_id, DocKind.MATERIALS_RECEIPT)
    with pytest.raises(ValidationError) as caught:
        issue_document(
            centre.ctx, centre.actor("clerk"), case_id, DocKind.MATERIALS_RECEIPT, purpose="fax"
        )
    assert caught.value.field == "用途"
    with centre.store.session() as session:
        assert session.scalars(select(PrintedDocument)).all() == []
        with pytest.raises(NotFound):
            archived_pdf(session, centre.actor("clerk"), 999)


def test_decisions_offer_their_documents() -> None:
    assert documents_for(Action.ACCEPT) == [DocKind.ACCEPTANCE_NOTICE, DocKind.MATERIALS_RECEIPT]
    assert documents_for(Action.ACCEPT_WITH_DEFICIENCY) == [
        DocKind.DEFICIENCY_NOTICE,
        DocKind.MATERIALS_RECEIPT,
    ]
    assert documents_for(Action.REQUEST_SUPPLEMENT) == [DocKind.SUPPLEMENT_NOTICE]
    assert documents_for(Action.REFUSE) == [DocKind.REFUSAL_NOTICE]
    assert documents_for(Action.EXTEND) == documents_for(Action.SUSPEND)
    assert documents_for(Action.DECIDE) == [DocKind.COMPLETION_NOTICE]
    assert documents_for(Action.DELIVER) == [DocKind.DELIVERY_RECEIPT]
    assert documents_for(Action.START_REVIEW) == []
    assert DocKind.REFUSAL_NOTICE.label == "不予受理通知书"
    kinds = kinds_for_state(CaseState.ACCEPTED, {Action.RECEIVE, Action.ACCEPT}, has_proxy=True)
    assert kinds == [
        DocKind.ACCEPTANCE_NOTICE,
        DocKind.MATERIALS_RECEIPT,
        DocKind.PROXY_AUTHORIZATION,
    ]
    assert kinds_for_state(CaseState.DRAFT, {Action.CREATE_DRAFT}, has_proxy=True) == []


def test_every_kind_has_a_valid_bundled_layout() -> None:
    for kind in DocKind:
        layout = load_layout(kind)
        assert layout.kind is kind and layout.title


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw | {"title": "{applicant_phone}"}, "未知的占位符：applicant_phone"),
        (lambda raw: raw | {"page_size": "A3"}, "page_size"),
        (lambda raw: raw | {"blocks": [{"type": "fields", "rows": [], "when": "x"}]}, "条件 x"),
        (lambda raw: raw | {"title": "{unclosed"}, "占位符有误"),
    ],
)
def test_a_bad_layout_is_refused_naming_the_field(
    tmp_path: Path, change: object, message: str
) -> None:
    raw = json.loads((layouts_dir() / "refusal_notice.json").read_text(encoding="utf-8"))
    path = tmp_path / "refusal_notice.json"
    assert callable(change)
    path.write_text(json.dumps(change(raw), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputFileError, match=message):
        parse_layout(path, FACT_NAMES)


def _counts(centre: Centre) -> tuple[int, int]:
    with centre.store.reader() as session:
        return (
            len(session.scalars(select(AuditEntry.id)).all()),
            len(session.scalars(select(PrintedDocument.id)).all()),
        )


def test_a_preview_is_built_but_neither_archived_nor_counted(centre: Centre) -> None:
    case_id = centre.walk_in(DIBAO).case_id
    d.accept(centre.ctx, centre.actor("clerk"), case_id)
    before = _counts(centre)
    preview = issue_document(
        centre.ctx, centre.actor("clerk"), case_id, DocKind.ACCEPTANCE_NOTICE, purpose="preview"
    )
    assert preview.document_id is None and preview.pdf.startswith(b"%PDF")
    assert _counts(centre) == before
    printed = issue_document(centre.ctx, centre.actor("clerk"), case_id, DocKind.ACCEPTANCE_NOTICE)
    assert printed.document_id is not None and not printed.reprint
