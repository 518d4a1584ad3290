"""The signature and seal block never stands alone on a page: when it must move to the next
page it takes the last lines of text before it along (docs/printing.md, "Keeping the closing
block with its text")."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from app import settings
from app.cases import decisions as d
from app.printing.kinds import DocKind
from db.models import Item, ItemMaterial, MaterialReceived
from tests.centre import Centre
from tests.printing.pdfs import issue, pages

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "screenshots"
SIX = "困难残疾人生活补贴"  # six required materials, two of them may be 容缺
# The end of the last line before the signatures (the 受理通知书 prints the 查询密码 before it).
LAST_LINE = "凭办件编号到本中心窗口查询，或拨打咨询电话查询。"
LONG_CENTRE = "示例县清河镇人民政府便民服务中心（党群服务中心、退役军人服务站、综治中心）"


def _extra_materials(centre: Centre, case_id: int, count: int, *, long: bool) -> None:
    name = "村（社区）出具的家庭经济状况、残疾等级及生活困难情况证明材料" if long else "补充材料"
    with centre.store.session() as session, session.begin():
        for n in range(count):
            session.add(
                MaterialReceived(
                    case_id=case_id,
                    material_key=f"extra_{n}",
                    name=f"{name}第{n + 1}号",
                    form="复印件",
                    copies=1,
                )
            )


def _long_texts(centre: Centre) -> None:
    with centre.store.session() as session, session.begin():
        settings.CENTRE_NAME.set(session, LONG_CENTRE)


def _acceptance(centre: Centre, extra: int, *, long: bool) -> bytes:
    case_id = centre.walk_in(SIX).case_id
    _extra_materials(centre, case_id, extra, long=long)
    d.accept(centre.ctx, centre.actor("clerk"), case_id)
    return issue(centre, case_id, DocKind.ACCEPTANCE_NOTICE).pdf


def _deficiency(centre: Centre, extra: int, *, long: bool) -> bytes:
    with centre.store.session() as session:
        allowed = session.scalars(
            select(ItemMaterial.material_key)
            .join(Item, Item.id == ItemMaterial.item_id)
            .where(Item.name == SIX, ItemMaterial.deficiency_allowed, ItemMaterial.required)
        ).all()
    keys = [k for k in centre.required_materials(SIX) if k not in allowed]
    case_id = centre.walk_in(SIX, materials=keys).case_id
    _extra_materials(centre, case_id, extra, long=long)
    d.accept_with_deficiency(
        centre.ctx,
        centre.actor("clerk"),
        case_id,
        list(allowed),
        dt.date(2026, 3, 13),
        commitment_signed=True,
    )
    return issue(centre, case_id, DocKind.DEFICIENCY_NOTICE).pdf


def _assert_closing_kept_with_text(pdf: bytes, what: str) -> int:
    """The page holding the signatures holds the seal and the last line of text too; returns
    that page's number (1-based)."""
    texts = pages(pdf)
    signed = [n for n, page in enumerate(texts, 1) if "申请人（签字）" in page]
    assert len(signed) == 1, (what, signed)
    page = texts[signed[0] - 1]
    assert "受理人（签字）" in page and "（盖章）" in page, (what, page)
    assert LAST_LINE in page, f"{what}: the signature block stands without its text: {page}"
    return signed[0]


def _png(pdf: bytes, page: int, name: str, tmp_path: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm missing: install poppler-utils (./dev does it)"
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    for n in (page - 1, page) if page > 1 else (page,):
        out = SCREENSHOT_DIR / f"{name}-page{n}"
        subprocess.run(
            [pdftoppm, "-png", "-r", "60", "-f", str(n), "-l", str(n), "-singlefile", source, out],
            check=True,
            capture_output=True,
        )


def test_acceptance_notice_with_six_materials_signs_on_the_page_of_its_text(
    centre: Centre, tmp_path: Path
) -> None:
    pdf = _acceptance(centre, 0, long=False)
    page = _assert_closing_kept_with_text(pdf, "受理通知书, six materials")
    _png(pdf, page, "documents-keep-acceptance-six", tmp_path)


def test_deficiency_notice_signs_on_the_page_of_its_text(centre: Centre, tmp_path: Path) -> None:
    pdf = _deficiency(centre, 0, long=False)
    page = _assert_closing_kept_with_text(pdf, "容缺受理通知书")
    _png(pdf, page, "documents-keep-deficiency", tmp_path)


@pytest.mark.parametrize("long", [False, True], ids=["short", "long"])
def test_closing_block_takes_the_last_lines_along_wherever_the_page_breaks(
    centre: Centre, long: bool, tmp_path: Path
) -> None:
    """More materials push the break through every point of the closing block's way; at each
    one the block is either still on the page of its text or moved with its last lines."""
    if long:
        _long_texts(centre)
    moved = 0
    for extra in range(0, 13):
        for build, what in ((_acceptance, "受理通知书"), (_deficiency, "容缺受理通知书")):
            pdf = build(centre, extra, long=long)
            page = _assert_closing_kept_with_text(pdf, f"{what} +{extra}")
            if page > 1 and not moved:  # the first that had to move: look at both pages
                _png(pdf, page, f"documents-keep-moved-{'long' if long else 'short'}", tmp_path)
            moved += page > 1
    assert moved, "no case put the signatures on a later page: the test does not test"
