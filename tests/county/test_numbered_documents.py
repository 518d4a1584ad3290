"""The county's 办件编号 replaces the provisional 收件号 everywhere it shows, through the real
county service on loopback: documents issued before numbering print the 收件号 (and record
it), those issued after print the 办件编号 beside the 收件号, an earlier copy is offered again
with the 办件编号, the search finds the case by either number — at the workstation that pushed
it and at one that pulled it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from sqlalchemy import select

from app.cases import decisions as d
from app.cases import queries
from app.printing.kinds import DocKind
from app.printing.service import case_documents
from app.sync.pull import pull_changes
from app.sync.push import push_pending
from app.sync.transport import HttpTransport
from db.models import Case, PrintedDocument
from db.store import open_store
from tests.centre import Centre, make_centre
from tests.county.server import running_county
from tests.printing.pdfs import issue, text
from tests.printing.test_sample_pngs import SCREENSHOT_DIR

DIBAO = "最低生活保障"
NATIONAL = "11510000MB1A2B3C4D000011700100Y202603030001"  # a 实施编码 has no dashes


def sync(centre: Centre, transport: HttpTransport) -> None:
    push_pending(centre.store, transport)
    pull_changes(centre.store, transport, centre.ctx.calendar)


def numbers(centre: Centre, case_id: int) -> tuple[str, str | None]:
    with centre.store.reader() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case.receipt_no, case.official_no


def printed_numbers(centre: Centre, case_id: int) -> list[str | None]:
    with centre.store.reader() as session:
        return list(
            session.scalars(
                select(PrintedDocument.case_no)
                .where(PrintedDocument.case_id == case_id)
                .order_by(PrintedDocument.id)
            )
        )


def found(centre: Centre, needle: str) -> list[int]:
    with centre.store.reader() as session:
        return [row.case_id for row in queries.search(session, centre.actor("clerk"), needle)]


def page_one_png(pdf: bytes, tmp_path: Path, name: str) -> None:
    """Page 1 as a PNG in screenshots/ for people to look at (pdftoppm, as the samples are)."""
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm missing: install poppler-utils (./dev does it)"
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    page = ["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"]
    target = str(SCREENSHOT_DIR / name)
    subprocess.run([pdftoppm, *page, str(source), target], check=True, capture_output=True)


def test_documents_before_and_after_the_county_numbered_the_case(
    centre: Centre, tmp_path: Path
) -> None:
    w01 = centre
    case_id = w01.walk_in(DIBAO).case_id
    d.accept(w01.ctx, w01.actor("clerk"), case_id)
    receipt, official = numbers(w01, case_id)
    assert official is None
    before = text(issue(w01, case_id, DocKind.MATERIALS_RECEIPT).pdf)
    assert f"办件编号：{receipt}（收件号，待县级系统确认）" in before

    w02_store = open_store(tmp_path / "w02")
    w02 = make_centre(w02_store, "W02")
    with running_county(tmp_path / "county") as county:
        t1 = HttpTransport(county.url, county.activate("W01"))
        t2 = HttpTransport(county.url, county.activate("W02"))
        sync(w01, t1)  # the push is applied: the case takes the county's number
        sync(w02, t2)  # the pull brings it to the other workstation
        t1.close()
        t2.close()
    _, official = numbers(w01, case_id)
    assert official is not None and official.startswith("DEMO-511899101000-MZ001")

    after = issue(w01, case_id, DocKind.ACCEPTANCE_NOTICE)
    body = text(after.pdf)
    assert f"办件编号：{official}收件号：{receipt}" in body  # the heading: both numbers
    assert f"办件编号{official}" in body  # the fields table
    assert "待县级系统确认" not in body and "待确认" not in body
    assert after.number == official
    assert printed_numbers(w01, case_id) == [receipt, official]
    page_one_png(after.pdf, tmp_path, "documents-numbered-acceptance_notice")

    with w01.store.reader() as session:
        rows = case_documents(session, w01.actor("clerk"), case_id)
    assert [(r.kind, r.number, r.numbered_since) for r in rows] == [
        (DocKind.MATERIALS_RECEIPT, receipt, official),  # printed before: offered again
        (DocKind.ACCEPTANCE_NOTICE, official, ""),
    ]
    reprint = issue(w01, case_id, DocKind.MATERIALS_RECEIPT)  # its 补打 prints the 办件编号
    assert reprint.reprint and f"办件编号：{official}" in text(reprint.pdf)
    page_one_png(reprint.pdf, tmp_path, "documents-numbered-materials_receipt-reprint")

    assert found(w01, receipt) == found(w01, official) == [case_id]
    assert found(w01, official[:30]) == [case_id]  # a prefix, as typed so far

    with w02.store.reader() as session:
        there = session.scalars(select(Case.id).where(Case.official_no == official)).one()
    assert found(w02, official) == [there]
    at_w02 = text(issue(w02, there, DocKind.ACCEPTANCE_NOTICE).pdf)
    assert f"办件编号：{official}收件号：{receipt}" in at_w02
    w02_store.close()


def test_a_national_official_number_without_dashes_is_found(centre: Centre) -> None:
    case_id = centre.walk_in(DIBAO).case_id
    with centre.store.session() as session, session.begin():  # as a push's answer would
        case = session.get(Case, case_id)
        assert case is not None
        case.official_no = NATIONAL
    assert found(centre, NATIONAL) == [case_id]
    assert found(centre, NATIONAL[:20]) == [case_id]
    assert found(centre, NATIONAL.lower()[:20]) == []  # numbers are typed as printed
    assert found(centre, "11510000MB1A2B3C4DXXXX") == []  # no such number: no case
