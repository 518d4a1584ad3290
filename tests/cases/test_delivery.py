"""本人领取 at the delivery window: the collector is checked against the applicant on record."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import audit
from app.cases import decisions as d
from app.cases.delivery import check_collector, deliver_to_applicant
from app.errors import PermissionDenied, ValidationError
from app.validators import id_check_digit
from app.workflow.states import CaseState
from db.models import Applicant, AuditEntry, Case, CaseAction
from tests.cases.helpers import action_count, assert_consistent, case_row
from tests.centre import Centre

SHENGYU = "生育登记"  # 即办件: decided at the window, straight to delivery


def _ready_case(c: Centre) -> tuple[int, str, str]:
    """A decided, ready-to-collect case and its applicant's name and full ID number."""
    clerk = c.actor("clerk")
    case = c.walk_in(SHENGYU)
    d.accept(c.ctx, clerk, case.case_id)
    d.decide(c.ctx, clerk, case.case_id, approved=True)
    d.mark_ready(c.ctx, clerk, case.case_id)
    with c.store.session() as session:
        applicant = session.scalars(
            select(Applicant)
            .join(Case, Case.applicant_id == Applicant.id)
            .where(Case.id == case.case_id)
        ).one()
        assert applicant.id_number is not None
        return case.case_id, applicant.name, applicant.id_number


def _other_valid_id(id_number: str) -> str:
    first17 = id_number[:16] + ("1" if id_number[16] != "1" else "3")
    return first17 + id_check_digit(first17)


def test_check_collector_returns_only_the_masked_number(centre: Centre) -> None:
    case_id, name, id_number = _ready_case(centre)
    with centre.store.reader() as session:
        shown = check_collector(session, centre.actor("clerk"), case_id, name, id_number.lower())
    assert shown == id_number[:6] + "********" + id_number[-4:]
    assert id_number not in shown


@pytest.mark.parametrize(
    ("which", "field"),
    [("id", "领取人身份证号"), ("bad_id", "领取人身份证号"), ("name", "领取人姓名")],
)
def test_wrong_collector_is_refused_naming_the_field_and_nothing_is_written(
    centre: Centre, which: str, field: str
) -> None:
    case_id, name, id_number = _ready_case(centre)
    typed_name, typed_id = name, id_number
    if which == "id":
        typed_id = _other_valid_id(id_number)
    elif which == "bad_id":
        typed_id = id_number[:-1] + ("0" if id_number[-1] != "0" else "1")  # wrong check digit
    else:
        typed_name = name + "某"
    before = action_count(centre.store)
    with pytest.raises(ValidationError) as caught:
        deliver_to_applicant(centre.ctx, centre.actor("clerk"), case_id, typed_name, typed_id)
    assert caught.value.field == field
    assert id_number not in caught.value.message and typed_id not in caught.value.message
    assert action_count(centre.store) == before
    assert case_row(centre.store, case_id).state == CaseState.AWAITING_DELIVERY.value


def test_the_applicant_collects_and_only_the_masked_number_is_kept(centre: Centre) -> None:
    case_id, name, id_number = _ready_case(centre)
    change = deliver_to_applicant(
        centre.ctx, centre.actor("clerk"), case_id, f" {name} ", id_number
    )
    assert change.state is CaseState.DELIVERED
    with centre.store.session() as session:
        last = session.scalars(
            select(CaseAction).where(CaseAction.case_id == case_id).order_by(CaseAction.seq.desc())
        ).first()
        assert last is not None
        assert last.payload == {
            "method": "window",
            "collector_name": name,
            "collector_id": id_number[:6] + "********" + id_number[-4:],
        }
        details = [str(e.detail) for e in session.scalars(select(AuditEntry))]
        assert all(id_number not in text for text in details)
        assert audit.verify(session).ok
    assert_consistent(centre.store, centre.ctx.calendar)


def test_only_case_roles_may_check_collectors(centre: Centre) -> None:
    case_id, name, id_number = _ready_case(centre)
    for user in ("auditor", "admin"):
        with centre.store.reader() as session, pytest.raises(PermissionDenied):
            check_collector(session, centre.actor(user), case_id, name, id_number)


def test_legal_person_is_collected_by_its_legal_representative(centre: Centre) -> None:
    case_id, _, id_number = _ready_case(centre)
    with centre.store.session() as session, session.begin():
        case = session.get(Case, case_id)
        assert case is not None
        applicant = session.get(Applicant, case.applicant_id)
        assert applicant is not None
        applicant.kind, applicant.id_number = "legal", None
        applicant.uscc, applicant.legal_representative = "91511899MA6C000000", "王建国"
    clerk = centre.actor("clerk")
    with pytest.raises(ValidationError) as caught:
        deliver_to_applicant(centre.ctx, clerk, case_id, "李四", id_number)
    assert caught.value.field == "领取人姓名"
    change = deliver_to_applicant(centre.ctx, clerk, case_id, "王建国", id_number)
    assert change.state is CaseState.DELIVERED
