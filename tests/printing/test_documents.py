"""Every document type, built from cases walked through the use cases, read back with pypdf."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader
from sqlalchemy import select

from app import settings
from app.accounts.identity import masked
from app.cases import decisions as d
from app.cases import delivery, intake
from app.catalog.loader import bundled_catalog
from app.demo.forms import sample_form_data
from app.printing.kinds import DocKind
from app.validators import id_check_digit
from app.workcalendar import working_deadline
from db.models import Case, Item, ItemMaterial, MaterialReceived, ProxyAuthorization
from tests.centre import Centre
from tests.printing.pdfs import full_id, issue, pages, text

PENSION = "城乡居民基本养老保险参保登记"  # 承诺件, 3 working days
DIBAO = "最低生活保障"
ELDERLY = "高龄津贴"
CENTRE = "测试县清河镇便民服务中心"
PHONE = "0838-12345678"


def _settings(centre: Centre) -> None:
    with centre.store.session() as session, session.begin():
        settings.CENTRE_NAME.set(session, CENTRE)
        settings.COMPLAINT_PHONE.set(session, PHONE)


def _case(centre: Centre, case_id: int) -> Case:
    with centre.store.session() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case


def test_acceptance_notice_promises_the_date_after_qingming(centre: Centre) -> None:
    _settings(centre)
    centre.clock.set_local(dt.date(2026, 4, 2))  # Thursday before 清明 (4–6 April 2026)
    case_id = centre.walk_in(PENSION).case_id
    d.accept(centre.ctx, centre.actor("clerk"), case_id)
    case = _case(centre, case_id)
    expected = working_deadline(centre.ctx.calendar, dt.date(2026, 4, 2), 3).due
    assert case.due_date == expected == dt.date(2026, 4, 8)  # Fri 3rd, Tue 7th, Wed 8th

    doc = issue(centre, case_id, DocKind.ACCEPTANCE_NOTICE)
    body = text(doc.pdf)
    assert doc.title == "受理通知书" and not doc.reprint
    assert "受理通知书" in body and CENTRE in body
    assert f"投诉监督电话：{PHONE}" in body
    assert f"办件编号：{case.receipt_no}（收件号，待县级系统确认）" in body
    assert PENSION in body
    assert masked(full_id(centre, case_id)) in body
    assert "收件日期2026年4月2日" in body and "受理日期2026年4月2日" in body
    assert "承诺办结日期2026年4月8日" in body
    assert "3个工作日" in body
    assert "申请人（签字）" in body and "受理人（签字）：clerk" in body
    assert "已接收材料" in body
    assert "补打" not in body


def test_materials_receipt_is_a5_and_lists_form_and_copies(centre: Centre) -> None:
    case_id = centre.walk_in(DIBAO).case_id
    doc = issue(centre, case_id, DocKind.MATERIALS_RECEIPT)

    box = PdfReader(io.BytesIO(doc.pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (420, 595)  # A5 portrait
    body = text(doc.pdf)
    assert "材料接收凭证" in body and "原件/复印件" in body and "份数" in body
    assert "待县级系统确认" in body
    assert "递交人（签字）" in body
    with centre.store.session() as session:
        received = session.scalars(
            select(MaterialReceived).where(MaterialReceived.case_id == case_id)
        ).all()
    assert received
    for m in received:
        assert f"{m.name}{m.form}{m.copies}已收" in body


def test_official_number_replaces_the_provisional_one(centre: Centre) -> None:
    case_id = centre.walk_in(DIBAO).case_id
    with centre.store.session() as session, session.begin():  # as the county sync would
        case = session.get(Case, case_id)
        assert case is not None
        case.official_no = "SC511899-2026-000123"
    body = text(issue(centre, case_id, DocKind.MATERIALS_RECEIPT).pdf)
    assert "SC511899-2026-000123" in body
    assert "待县级系统确认" not in body and "待确认" not in body


def test_supplement_notice_lists_every_missing_item(centre: Centre) -> None:
    required = centre.required_materials(DIBAO)
    case_id = centre.walk_in(DIBAO, materials=required[:-2]).case_id
    missing = [
        {"name": "户口簿", "how": "原件及全部成员页复印件各1份"},
        {"name": "家庭收入证明", "how": "由村（居）委会出具并盖章"},
    ]
    d.request_supplement(centre.ctx, centre.actor("clerk"), case_id, missing)
    body = text(issue(centre, case_id, DocKind.SUPPLEMENT_NOTICE).pdf)
    assert "一次性告知书" in body and "需补正的材料" in body
    for item in missing:
        assert item["name"] in body and item["how"] in body
    assert "告知日期2026年3月2日" in body


def test_refusal_notice_gives_reasons_organ_and_rights(centre: Centre) -> None:
    case_id = centre.walk_in(DIBAO).case_id
    d.refuse(
        centre.ctx, centre.actor("clerk"), case_id, ["申请人户籍不在本镇"], "户籍所在地乡镇人民政府"
    )
    body = text(issue(centre, case_id, DocKind.REFUSAL_NOTICE).pdf)
    assert "不予受理通知书" in body and "1.申请人户籍不在本镇" in body
    assert "请向户籍所在地乡镇人民政府申请" in body
    assert "行政复议" in body and "行政诉讼" in body


def test_deficiency_notice_names_pending_materials_deadline_and_consequence(
    centre: Centre,
) -> None:
    item = "重度残疾人护理补贴"
    with centre.store.session() as session:
        allowed = session.scalars(
            select(ItemMaterial.material_key)
            .join(Item, Item.id == ItemMaterial.item_id)
            .where(Item.name == item, ItemMaterial.deficiency_allowed, ItemMaterial.required)
        ).first()
    assert allowed is not None
    keys = [k for k in centre.required_materials(item) if k != allowed]
    case_id = centre.walk_in(item, materials=keys).case_id
    d.accept_with_deficiency(
        centre.ctx,
        centre.actor("clerk"),
        case_id,
        [allowed],
        dt.date(2026, 3, 13),
        commitment_signed=True,
    )
    body = text(issue(centre, case_id, DocKind.DEFICIENCY_NOTICE).pdf)
    assert "容缺受理通知书" in body and "待补交的容缺材料" in body
    assert "补交期限2026年3月13日前" in body and "容缺，2026年3月13日前补交" in body
    assert "终止办理" in body


def test_extension_notice_states_reason_days_and_new_date(centre: Centre) -> None:
    case_id = centre.walk_in(DIBAO).case_id
    d.accept(centre.ctx, centre.actor("clerk"), case_id)
    d.extend(centre.ctx, centre.actor("supervisor"), case_id, 10, "需入户核查家庭经济状况")
    case = _case(centre, case_id)
    assert case.due_date is not None
    body = text(issue(centre, case_id, DocKind.EXTENSION_NOTICE).pdf)
    assert "延期" in body and "需入户核查家庭经济状况" in body and "10个工作日" in body
    due = case.due_date
    assert f"承诺办结日期{due.year}年{due.month}月{due.day}日" in body


def test_proxy_case_completion_delivery_and_authorization(centre: Centre) -> None:
    c = centre
    proxy, clerk, approver = c.actor("proxy"), c.actor("clerk"), c.actor("approver")
    first17 = "51189919440312002"
    resident = {
        "name": "赵桂兰",
        "id_number": first17 + id_check_digit(first17),
        "phone": "13812345678",
    }
    code = next(i.code for i in bundled_catalog().items if i.name == ELDERLY)
    auth_id = intake.register_authorization(
        c.ctx, proxy, resident, [code], dt.date(2026, 12, 31)
    ).authorization_id
    form = sample_form_data(c.template(ELDERLY), c.rng)
    case_id = intake.create_proxy_draft(c.ctx, proxy, c.item_id(ELDERLY), form, auth_id).case_id
    intake.submit(c.ctx, proxy, case_id)
    materials = [intake.MaterialIn(k) for k in c.required_materials(ELDERLY)]
    intake.receive_submitted(c.ctx, clerk, case_id, materials)
    d.accept(c.ctx, clerk, case_id)
    d.start_review(c.ctx, approver, case_id)
    d.record_opinion(c.ctx, approver, case_id, "符合条件")
    d.report_to_county(c.ctx, approver, case_id)
    d.record_county_result(c.ctx, approver, case_id, approved=True, result_no="高龄2026-0031")
    completion = text(issue(c, case_id, DocKind.COMPLETION_NOTICE).pdf)
    assert "办结通知" in completion and "准予" in completion and "高龄2026-0031" in completion
    assert "领取" in completion

    d.mark_ready(c.ctx, clerk, case_id)
    with c.store.session() as session:
        auth_no = session.scalars(
            select(ProxyAuthorization.authorization_no).where(ProxyAuthorization.id == auth_id)
        ).one()
    delivery.deliver_to_proxy(c.ctx, clerk, case_id, "proxy", auth_no)
    receipt = text(issue(c, case_id, DocKind.DELIVERY_RECEIPT).pdf)
    assert "代办员代领" in receipt and auth_no in receipt and "领取人（签名）" in receipt

    # The proxy may print the authorization of their own filing; the ID stays masked.
    authorization = text(issue(c, case_id, DocKind.PROXY_AUTHORIZATION, who="proxy").pdf)
    assert auth_no in authorization and "赵桂兰" in authorization
    assert masked(resident["id_number"]) in authorization
    assert "2026年3月2日至2026年12月31日" in authorization and ELDERLY in authorization
    assert "委托人（签字/按手印）" in authorization


def test_long_materials_list_repeats_header_on_every_page(centre: Centre) -> None:
    case_id = centre.walk_in(DIBAO).case_id
    with centre.store.session() as session, session.begin():
        for n in range(70):
            session.add(
                MaterialReceived(
                    case_id=case_id,
                    material_key=f"extra_{n}",
                    name=f"补充证明材料第{n + 1}号",
                    form="复印件",
                    copies=1,
                )
            )
    doc = issue(centre, case_id, DocKind.MATERIALS_RECEIPT)
    texts = pages(doc.pdf)
    assert len(texts) >= 3
    receipt_no = _case(centre, case_id).receipt_no
    for n, page in enumerate(texts, 1):
        assert "序号材料名称原件/复印件份数备注" in page, f"page {n} lacks the table header"
        assert receipt_no in page and f"第{n}页" in page  # the running page header/footer
    assert "补充证明材料第70号" in texts[-1]
