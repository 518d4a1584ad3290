"""Whole cases walked through every path of DESIGN §3, the way the centre works them."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import select

from app import settings
from app.cases import decisions as d
from app.cases import delivery, intake
from app.catalog.loader import bundled_catalog
from app.demo.forms import sample_form_data
from app.errors import IllegalTransition, NotFound, PermissionDenied, ValidationError
from app.forms import FormInvalid
from app.validators import id_check_digit
from app.workflow.states import CaseState
from db.models import ProxyAuthorization
from tests.cases.helpers import action_count, applicant_of, assert_consistent, case_row
from tests.centre import Centre

DIBAO = "最低生活保障"  # 5 steps: intake, two approver steps, supervisor opinion, county decision
SHENGYU = "生育登记"  # 即办件: decided at the window
ZHAIJIDI = "农村村民宅基地审批"  # decided in the town (supervisor step last)


def test_dibao_from_window_to_county_and_back_to_the_window(centre: Centre) -> None:
    c = centre
    clerk, approver, supervisor = c.actor("clerk"), c.actor("approver"), c.actor("supervisor")
    received = c.walk_in(DIBAO)
    assert received.state is CaseState.RECEIVED
    assert received.receipt_no == "511899101000-W01-20260302-0001"
    row = case_row(c.store, received.case_id)
    assert row.watchdog_due == dt.date(2026, 3, 9)  # 5 working days after Mon 2 March

    d.accept(c.ctx, clerk, received.case_id)
    row = case_row(c.store, received.case_id)
    assert row.accepted_on == dt.date(2026, 3, 2)
    assert row.due_date == dt.date(2026, 4, 7)  # 25 working days; 清明 4/4-4/6 off
    assert row.watchdog_due is None

    d.start_review(c.ctx, approver, received.case_id)
    d.record_opinion(c.ctx, approver, received.case_id, "入户调查属实，家庭人均收入低于标准")
    d.next_step(c.ctx, approver, received.case_id)
    d.record_opinion(c.ctx, approver, received.case_id, "民主评议通过，公示7天无异议")
    d.next_step(c.ctx, approver, received.case_id)
    # The third town step (乡镇审核意见) belongs to the supervisor.
    with pytest.raises(PermissionDenied, match="中心负责人"):
        d.record_opinion(c.ctx, approver, received.case_id, "同意")
    d.record_opinion(c.ctx, supervisor, received.case_id, "同意，报县民政局审核确认")
    change = d.report_to_county(c.ctx, approver, received.case_id)
    assert change.state is CaseState.WITH_COUNTY

    d.record_county_result(
        c.ctx, approver, received.case_id, approved=True, result_no="民低保2026-0088"
    )
    d.mark_ready(c.ctx, clerk, received.case_id)
    name, card = applicant_of(c.store, received.case_id)
    done = delivery.deliver_to_applicant(c.ctx, clerk, received.case_id, name, card)
    assert done.state is CaseState.DELIVERED
    assert d.archive(c.ctx, clerk, received.case_id).state is CaseState.ARCHIVED
    row = case_row(c.store, received.case_id)
    assert (row.result, row.result_no) == ("approved", "民低保2026-0088")
    assert row.last_action_seq == 13
    assert_consistent(c.store, c.ctx.calendar)


def test_instant_item_is_decided_at_the_window(centre: Centre) -> None:
    c = centre
    clerk = c.actor("clerk")
    case = c.walk_in(SHENGYU)
    d.accept(c.ctx, clerk, case.case_id)
    assert case_row(c.store, case.case_id).due_date == dt.date(2026, 3, 2)  # 即办: same day
    with pytest.raises(IllegalTransition, match="没有乡镇审查环节"):
        d.start_review(c.ctx, c.actor("approver"), case.case_id)
    assert d.decide(c.ctx, clerk, case.case_id, approved=True).state is CaseState.DECIDED
    assert_consistent(c.store, c.ctx.calendar)


def test_town_decided_item_cannot_be_reported_and_is_decided_by_the_last_step_role(
    centre: Centre,
) -> None:
    c = centre
    case = c.walk_in(ZHAIJIDI)
    d.accept(c.ctx, c.actor("clerk"), case.case_id)
    d.start_review(c.ctx, c.actor("approver"), case.case_id)
    d.record_opinion(c.ctx, c.actor("approver"), case.case_id, "实地审查符合规划")
    d.next_step(c.ctx, c.actor("approver"), case.case_id)
    d.record_opinion(c.ctx, c.actor("supervisor"), case.case_id, "同意")
    with pytest.raises(IllegalTransition, match="无需上报县级"):
        d.report_to_county(c.ctx, c.actor("approver"), case.case_id)
    with pytest.raises(PermissionDenied):
        d.decide(c.ctx, c.actor("approver"), case.case_id, approved=True)
    change = d.decide(
        c.ctx, c.actor("supervisor"), case.case_id, approved=True, result_no="宅批001"
    )
    assert change.state is CaseState.DECIDED


def test_refuse_needs_reasons_and_ends_the_case(centre: Centre) -> None:
    c = centre
    case = c.walk_in(DIBAO)
    with pytest.raises(ValidationError) as caught:
        d.refuse(c.ctx, c.actor("clerk"), case.case_id, [])
    assert caught.value.field == "不予受理理由"
    d.refuse(
        c.ctx, c.actor("clerk"), case.case_id, ["申请人户籍不在本镇"], "户籍所在地乡镇人民政府"
    )
    with pytest.raises(IllegalTransition, match="已结束"):
        d.accept(c.ctx, c.actor("clerk"), case.case_id)
    assert_consistent(c.store, c.ctx.calendar)


def test_supplement_notice_then_supplement_then_accept(centre: Centre) -> None:
    c = centre
    clerk = c.actor("clerk")
    required = c.required_materials(DIBAO)
    case = c.walk_in(DIBAO, materials=required[:-2])
    with pytest.raises(ValidationError, match="必交材料未收齐"):
        d.accept(c.ctx, clerk, case.case_id)
    missing = [{"name": key, "how": "原件及复印件各一份"} for key in required[-2:]]
    d.request_supplement(c.ctx, clerk, case.case_id, missing)
    assert case_row(c.store, case.case_id).watchdog_due is None
    c.clock.advance(days=3)
    intake.supplement(c.ctx, clerk, case.case_id, [intake.MaterialIn(k) for k in required[-2:]])
    row = case_row(c.store, case.case_id)
    assert row.state == "received"
    assert row.watchdog_due == dt.date(2026, 3, 12)  # restarts from Thu 5 March
    d.accept(c.ctx, clerk, case.case_id)
    assert case_row(c.store, case.case_id).accepted_on == dt.date(2026, 3, 5)
    assert_consistent(c.store, c.ctx.calendar)


def test_deficiency_accepted_then_terminated_for_late_materials(centre: Centre) -> None:
    c = centre
    clerk, approver = c.actor("clerk"), c.actor("approver")
    required = c.required_materials(DIBAO)
    # income_proof and photo may be 容缺; the application form may not.
    case = c.walk_in(DIBAO, materials=[m for m in required if m not in ("income_proof", "photo")])
    with pytest.raises(ValidationError, match="不允许容缺"):
        d.accept_with_deficiency(
            c.ctx,
            clerk,
            case.case_id,
            ["application"],
            dt.date(2026, 3, 10),
            commitment_signed=True,
        )
    with pytest.raises(ValidationError, match="承诺书"):
        d.accept_with_deficiency(
            c.ctx,
            clerk,
            case.case_id,
            ["income_proof", "photo"],
            dt.date(2026, 3, 10),
            commitment_signed=False,
        )
    with pytest.raises(ValidationError, match="不晚于承诺办结日"):
        d.accept_with_deficiency(
            c.ctx,
            clerk,
            case.case_id,
            ["income_proof", "photo"],
            dt.date(2026, 6, 1),
            commitment_signed=True,
        )
    before = action_count(c.store)
    d.accept_with_deficiency(
        c.ctx,
        clerk,
        case.case_id,
        ["income_proof", "photo"],
        dt.date(2026, 3, 10),
        commitment_signed=True,
    )
    assert action_count(c.store) == before + 1
    row = case_row(c.store, case.case_id)
    assert row.deficiency and row.deficiency_due == dt.date(2026, 3, 10)

    d.supply_deficient(c.ctx, clerk, case.case_id, ["photo"])
    assert case_row(c.store, case.case_id).deficiency  # income proof still missing
    c.clock.set_local(dt.date(2026, 3, 11))
    d.terminate(c.ctx, approver, case.case_id, "容缺材料（收入证明）逾期未补交")
    assert case_row(c.store, case.case_id).state == "terminated"
    assert_consistent(c.store, c.ctx.calendar)


def test_deficiency_supplied_in_time_lets_the_case_be_decided(centre: Centre) -> None:
    c = centre
    clerk, approver = c.actor("clerk"), c.actor("approver")
    case = c.walk_in("高龄津贴", materials=["application", "hukou", "id_card"])
    d.accept_with_deficiency(
        c.ctx, clerk, case.case_id, ["bank_card"], dt.date(2026, 3, 6), commitment_signed=True
    )
    d.start_review(c.ctx, approver, case.case_id)
    d.record_opinion(c.ctx, approver, case.case_id, "年满80周岁，户籍在本镇")
    d.report_to_county(c.ctx, approver, case.case_id)
    with pytest.raises(IllegalTransition, match="容缺材料尚未补齐"):
        d.record_county_result(c.ctx, approver, case.case_id, approved=True)
    d.supply_deficient(c.ctx, clerk, case.case_id, ["bank_card"])
    row = case_row(c.store, case.case_id)
    assert not row.deficiency and row.deficiency_due is None
    assert (
        d.record_county_result(c.ctx, approver, case.case_id, approved=True).state
        is CaseState.DECIDED
    )


def test_suspend_and_resume_move_the_deadline_by_the_paused_working_days(centre: Centre) -> None:
    c = centre
    approver = c.actor("approver")
    case = c.walk_in(ZHAIJIDI)
    d.accept(c.ctx, c.actor("clerk"), case.case_id)
    due_before = case_row(c.store, case.case_id).due_date
    assert due_before == dt.date(2026, 3, 23)  # 15 working days after Mon 2 March
    d.start_review(c.ctx, approver, case.case_id)
    c.clock.set_local(dt.date(2026, 3, 4))
    d.suspend(c.ctx, approver, case.case_id, "需组织现场踏勘与四邻听证", 5)
    row = case_row(c.store, case.case_id)
    assert row.state == "suspended" and row.state_before_suspension == "in_review"
    c.clock.set_local(dt.date(2026, 3, 11))
    change = d.resume(c.ctx, approver, case.case_id)
    assert change.state is CaseState.IN_REVIEW
    # Paused Wed 4 .. Tue 10 March: 5 working days, so the due date moves 5 working days later.
    assert case_row(c.store, case.case_id).due_date == dt.date(2026, 3, 30)
    d.extend(c.ctx, c.actor("supervisor"), case.case_id, 10, "需补充林业部门意见")
    assert case_row(c.store, case.case_id).due_date == dt.date(2026, 4, 14)  # 清明 4/6 off
    with pytest.raises(PermissionDenied):
        d.extend(c.ctx, approver, case.case_id, 5, "approvers may not extend on their own")
    assert_consistent(c.store, c.ctx.calendar)


def test_county_return_and_re_report(centre: Centre) -> None:
    c = centre
    approver = c.actor("approver")
    case = c.walk_in("临时救助")
    d.accept(c.ctx, c.actor("clerk"), case.case_id)
    d.start_review(c.ctx, approver, case.case_id)
    d.record_opinion(c.ctx, approver, case.case_id, "情况属实")
    d.report_to_county(c.ctx, approver, case.case_id)
    d.county_returned(c.ctx, approver, case.case_id, "缺少医疗费用票据复印件")
    row = case_row(c.store, case.case_id)
    assert row.state == "in_review"
    with pytest.raises(IllegalTransition, match="审查意见"):
        d.report_to_county(c.ctx, approver, case.case_id)  # must review again first
    d.record_opinion(c.ctx, approver, case.case_id, "已补充票据，情况属实")
    assert d.report_to_county(c.ctx, approver, case.case_id).state is CaseState.WITH_COUNTY
    assert_consistent(c.store, c.ctx.calendar)


def test_proxy_files_for_a_resident_and_collects_the_result(centre: Centre) -> None:
    c = centre
    proxy, other_proxy, clerk = c.actor("proxy"), c.actor("proxy2"), c.actor("clerk")
    first17 = "51189919440312002"
    resident = {
        "name": "赵桂兰",
        "id_number": first17 + id_check_digit(first17),
        "phone": "13812345678",
    }
    item = next(i for i in bundled_catalog().items if i.name == "高龄津贴")
    auth_id = intake.register_authorization(
        c.ctx, proxy, resident, [item.code], dt.date(2026, 12, 31)
    ).authorization_id
    form = sample_form_data(c.template("高龄津贴"), c.rng)
    draft = intake.create_proxy_draft(c.ctx, proxy, c.item_id("高龄津贴"), form, auth_id)
    assert draft.state is CaseState.DRAFT
    with pytest.raises(NotFound, match="找不到该办件"):
        intake.submit(c.ctx, other_proxy, draft.case_id)  # not theirs: not even visible
    intake.submit(c.ctx, proxy, draft.case_id)
    with pytest.raises(PermissionDenied, match="窗口受理员"):
        intake.receive_submitted(c.ctx, proxy, draft.case_id, [])
    intake.receive_submitted(
        c.ctx,
        clerk,
        draft.case_id,
        [intake.MaterialIn(k) for k in c.required_materials("高龄津贴")],
    )
    d.accept(c.ctx, clerk, draft.case_id)
    d.start_review(c.ctx, c.actor("approver"), draft.case_id)
    d.record_opinion(c.ctx, c.actor("approver"), draft.case_id, "符合条件")
    d.report_to_county(c.ctx, c.actor("approver"), draft.case_id)
    d.record_county_result(c.ctx, c.actor("approver"), draft.case_id, approved=True)
    d.mark_ready(c.ctx, clerk, draft.case_id)
    with pytest.raises(ValidationError, match="不符"):
        delivery.deliver_to_proxy(c.ctx, clerk, draft.case_id, "代办员", "WT-W01-20260302-99999")
    with c.store.session() as session:
        auth_no = session.scalars(
            select(ProxyAuthorization.authorization_no).where(ProxyAuthorization.id == auth_id)
        ).one()
    done = delivery.deliver_to_proxy(c.ctx, clerk, draft.case_id, "代办员张秀英", auth_no)
    assert done.state is CaseState.DELIVERED
    assert_consistent(c.store, c.ctx.calendar)


def test_clerk_cannot_take_back_office_actions_and_nothing_changes(centre: Centre) -> None:
    c = centre
    clerk = c.actor("clerk")
    case = c.walk_in(DIBAO)
    d.accept(c.ctx, clerk, case.case_id)
    before = action_count(c.store)
    for attempt in (
        lambda: d.start_review(c.ctx, clerk, case.case_id),
        lambda: d.suspend(c.ctx, clerk, case.case_id, "x", 3),
        lambda: d.extend(c.ctx, clerk, case.case_id, 3, "x"),
        lambda: d.report_to_county(c.ctx, clerk, case.case_id),
        lambda: d.terminate(c.ctx, clerk, case.case_id, "x"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert action_count(c.store) == before
    for name in ("admin", "auditor"):
        with pytest.raises(PermissionDenied, match="职责分离"):
            d.accept(c.ctx, c.actor(name), case.case_id)


def test_bad_id_number_is_refused_naming_the_field_and_nothing_is_saved(centre: Centre) -> None:
    c = centre
    form = sample_form_data(c.template(DIBAO), c.rng)
    applicant_key = c.template(DIBAO).applicant_field().key  # type: ignore[union-attr]
    form[applicant_key] = {**form[applicant_key], "id_number": "511899194403120027"}
    with pytest.raises(FormInvalid) as caught:
        intake.receive_walk_in(
            c.ctx,
            c.actor("clerk"),
            c.item_id(DIBAO),
            form,
            [intake.MaterialIn(k) for k in c.required_materials(DIBAO)],
        )
    assert "申请人居民身份证号" in caught.value.message
    assert action_count(c.store) == 0


def test_receipt_numbers_never_collide_across_workstations(centre: Centre) -> None:
    c = centre
    first = c.walk_in(SHENGYU)
    second = c.walk_in(SHENGYU)
    c.actors["clerk2"] = replace(c.actor("clerk2"), workstation="W02")
    with c.store.session() as session, session.begin():
        settings.WORKSTATION_CODE.set(session, "W02")
    third = c.walk_in(SHENGYU, clerk="clerk2")
    assert [first.receipt_no[-4:], second.receipt_no[-4:]] == ["0001", "0002"]
    assert third.receipt_no == "511899101000-W02-20260302-0001"
