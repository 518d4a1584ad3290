"""The 受理通知书 and the 材料接收凭证 carry the case number, the 查询密码 and — when the county's
progress page has an address (setting 办件进度查询网址) — a QR code of it with the number and
password after ``#``; without the address, the number and password with how to use them."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader

from app import settings
from app.cases import decisions as d
from app.printing.facts import gather
from app.printing.kinds import DocKind
from db.models import Case
from tests.centre import Centre
from tests.printing.pdfs import issue, text

DIBAO = "最低生活保障"
URL = "https://县政务服务.example/progress"
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "screenshots"  # git-ignored
RECEIPTS = (DocKind.ACCEPTANCE_NOTICE, DocKind.MATERIALS_RECEIPT)


def _accepted(centre: Centre) -> tuple[int, Case]:
    case_id = centre.walk_in(DIBAO).case_id
    d.accept(centre.ctx, centre.actor("clerk"), case_id)
    with centre.store.session() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.query_password
        return case_id, case


def _set_url(centre: Centre, url: str) -> None:
    with centre.store.session() as session, session.begin():
        settings.PROGRESS_URL.set(session, url)


def _rects(pdf: bytes) -> int:
    """The filled rectangles on page 1 (each QR code is drawn as runs of them)."""
    contents = PdfReader(io.BytesIO(pdf)).pages[0].get_contents()
    assert contents is not None
    return contents.get_data().count(b" re")


def test_receipts_carry_the_number_password_and_the_pages_qr_link(centre: Centre) -> None:
    case_id, case = _accepted(centre)
    plain = {kind: issue(centre, case_id, kind).pdf for kind in RECEIPTS}
    _set_url(centre, URL)
    with centre.store.session() as session:
        facts = gather(
            session, case_id, title="", reprint=False, printed_by="", today=dt.date(2026, 3, 2)
        )
    link = facts.values["progress_link"]
    assert link.startswith(URL + "#n=") and f"&p={case.query_password}" in link
    for kind in RECEIPTS:
        pdf = issue(centre, case_id, kind).pdf
        body = text(pdf)
        assert f"查询密码：{case.query_password}" in body
        assert case.receipt_no in body
        assert "扫描左上角二维码" in body and "扫码查询进度" in body
        assert (URL in body) is (kind is DocKind.ACCEPTANCE_NOTICE)  # A5: the QR code only
        assert "可凭办件编号和查询密码查询办理进度" not in body
        # Two QR codes on page 1 now (the title's number, the link), one before.
        assert _rects(pdf) > _rects(plain[kind]) + 100
        _png(pdf, f"documents-{kind.value}-progress")
    for pdf in plain.values():
        body = text(pdf)
        assert f"查询密码：{case.query_password}" in body and case.receipt_no in body
        assert "可凭办件编号和查询密码查询办理进度" in body and "二维码" not in body


def test_a_case_without_a_password_prints_none(centre: Centre) -> None:
    _set_url(centre, URL)
    case_id, _ = _accepted(centre)
    with centre.store.session() as session, session.begin():  # a case from before 查询密码
        case = session.get(Case, case_id)
        assert case is not None
        case.query_password = None
    for kind in RECEIPTS:
        body = text(issue(centre, case_id, kind).pdf)
        assert "查询密码" not in body and "扫码查询进度" not in body


def _png(pdf: bytes, name: str) -> None:
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm missing: install poppler-utils (./dev does it)"
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    source = SCREENSHOT_DIR / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(source),
         str(SCREENSHOT_DIR / name)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    source.unlink()
