"""Revision 0006 gives every archived document the case number it printed: down to 0005 and up
again, a copy of a case still unnumbered gets its 收件号; on a case the county has numbered since,
which number the copy carries is unknown and stays so (never guessed as the 办件编号)."""

from __future__ import annotations

from sqlalchemy import select, text

from app.printing.kinds import DocKind
from db.migrate import migrate
from db.models import Case, PrintedDocument
from tests.centre import Centre
from tests.printing.pdfs import issue

DIBAO = "最低生活保障"
OFFICIAL = "DEMO-511899101000-MZ001202603020001"


def test_archived_copies_get_the_number_they_printed(centre: Centre) -> None:
    unnumbered = centre.walk_in(DIBAO).case_id
    numbered = centre.walk_in(DIBAO).case_id
    for case_id in (unnumbered, numbered):
        issue(centre, case_id, DocKind.MATERIALS_RECEIPT)
    migrate(centre.store.engine, "0005", down=True)
    with centre.store.engine.begin() as conn:  # the county numbered one case meanwhile
        conn.execute(
            text("UPDATE cases SET official_no = :no WHERE id = :id"),
            {"no": OFFICIAL, "id": numbered},
        )
    migrate(centre.store.engine, "head")
    with centre.store.reader() as session:
        rows = session.execute(select(PrintedDocument.case_id, PrintedDocument.case_no))
        printed = {case_id: number for case_id, number in rows}
        receipt = session.scalar(select(Case.receipt_no).where(Case.id == unnumbered))
    assert printed == {unnumbered: receipt, numbered: None}
