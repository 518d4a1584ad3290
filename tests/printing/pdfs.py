"""Reading the PDFs the printing tests check: page text, and every place a number could hide."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from app.printing.kinds import DocKind
from app.printing.service import IssuedDocument, issue_document
from db.models import Applicant, Case
from tests.centre import Centre


def pages(pdf: bytes) -> list[str]:
    """Each page's text with all whitespace removed (line breaks fall anywhere in CJK text)."""
    reader = PdfReader(io.BytesIO(pdf))
    return [re.sub(r"\s+", "", page.extract_text()) for page in reader.pages]


def text(pdf: bytes) -> str:
    return "".join(pages(pdf))


def assert_no_full_id(pdf: bytes, id_number: str) -> None:
    """Not in the raw bytes, the decompressed page streams, the text nor the metadata."""
    assert len(id_number) == 18
    assert id_number.encode() not in pdf
    assert id_number.encode("utf-16-be") not in pdf
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        contents = page.get_contents()
        assert contents is not None
        assert id_number.encode() not in contents.get_data()
    assert id_number not in text(pdf)
    assert id_number not in repr(reader.metadata)


def full_id(centre: Centre, case_id: int) -> str:
    with centre.store.session() as session:
        number = session.scalar(
            select(Applicant.id_number)
            .join(Case, Case.applicant_id == Applicant.id)
            .where(Case.id == case_id)
        )
    assert number
    return number


def issue(centre: Centre, case_id: int, kind: DocKind, who: str = "clerk") -> IssuedDocument:
    """Issue ``kind`` and check no full ID number got into it."""
    doc = issue_document(centre.ctx, centre.actor(who), case_id, kind)
    assert_no_full_id(doc.pdf, full_id(centre, case_id))
    return doc
