"""Full ID numbers: masked by default, shown only to the roles that need them, every view logged."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.identity import masked, reveal_id_number
from app.actor import Actor, Role
from app.audit import AuditEvent
from app.errors import NotFound, PermissionDenied, ValidationError
from db.models import Applicant, AuditEntry
from db.store import Store

ID_NUMBER = "11010519491231002X"


def actor(role: Role) -> Actor:
    return Actor(5, f"{role.value}1", "某人", frozenset({role}), "W02")


@pytest.fixture
def applicant_id(store: Store) -> int:
    with store.session() as session, session.begin():
        person = Applicant(
            kind="natural", name="欧阳翠花", id_number=ID_NUMBER, phone="13800138000"
        )
        session.add(person)
        session.flush()
        return person.id


def audit_rows(store: Store) -> list[AuditEntry]:
    with store.session() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_masked() -> None:
    assert masked(ID_NUMBER) == "110105********002X"


@pytest.mark.parametrize("role", [Role.CLERK, Role.APPROVER, Role.SUPERVISOR])
def test_full_view_is_logged_without_the_number(
    store: Store, applicant_id: int, role: Role
) -> None:
    with store.session() as session:
        number = reveal_id_number(session, actor(role), applicant_id, purpose="核验身份")
    assert number == ID_NUMBER
    (entry,) = audit_rows(store)
    assert (entry.event, entry.actor, entry.workstation) == (
        AuditEvent.FULL_ID_VIEW,
        f"{role.value}1",
        "W02",
    )
    assert entry.subject == f"applicant:{applicant_id}"
    assert entry.detail == {"purpose": "核验身份"}
    assert ID_NUMBER not in repr((entry.subject, entry.detail))


@pytest.mark.parametrize("role", [Role.PROXY, Role.ADMIN, Role.AUDITOR])
def test_other_roles_are_refused_and_the_attempt_is_logged(
    store: Store, applicant_id: int, role: Role
) -> None:
    with store.session() as session, pytest.raises(PermissionDenied) as caught:
        reveal_id_number(session, actor(role), applicant_id, purpose="核验身份")
    assert "查看完整身份证号" in caught.value.message
    assert ID_NUMBER not in str(caught.value)
    (entry,) = audit_rows(store)
    assert entry.event == AuditEvent.PERMISSION_DENIED
    assert entry.subject == f"applicant:{applicant_id}"
    assert entry.detail["permission"] == "view_full_id"


@pytest.mark.parametrize(
    ("purpose", "fragment"),
    [
        ("  ", "请填写查看完整身份证号的原因"),
        ("核" * 101, "不能超过100个字符"),
        (f"核对{ID_NUMBER}", "请勿填写身份证号"),
        ("回电13800138000", "请勿填写身份证号、电话号码"),
    ],
)
def test_purpose_is_required_and_holds_no_personal_data(
    store: Store, applicant_id: int, purpose: str, fragment: str
) -> None:
    with store.session() as session, pytest.raises(ValidationError) as caught:
        reveal_id_number(session, actor(Role.CLERK), applicant_id, purpose=purpose)
    assert caught.value.field == "查看原因"
    assert fragment in caught.value.message
    assert audit_rows(store) == []


def test_missing_applicant_or_number(store: Store) -> None:
    with store.session() as session, session.begin():
        company = Applicant(kind="legal", name="清河镇某合作社", uscc="93511899MA6XXXXXX1")
        session.add(company)
        session.flush()
        company_id = company.id
    with store.session() as session, pytest.raises(NotFound):
        reveal_id_number(session, actor(Role.CLERK), 999, purpose="核验身份")
    with store.session() as session, pytest.raises(NotFound) as caught:
        reveal_id_number(session, actor(Role.CLERK), company_id, purpose="核验身份")
    assert "没有登记居民身份证号" in caught.value.message
    assert audit_rows(store) == []
