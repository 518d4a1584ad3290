"""The non-case permission matrix, checked against a table written out by hand (DESIGN §1, §8)."""

from __future__ import annotations

import pytest

from app.actor import Actor, Role
from app.errors import PermissionDenied
from app.permissions import Permission, allowed, permissions_of, require

# Written independently of ROLE_PERMISSIONS: one row per permission, the roles that hold it.
EXPECTED: dict[Permission, set[Role]] = {
    Permission.USER_ADMIN: {Role.ADMIN},
    Permission.CATALOG_LOAD: {Role.ADMIN},
    Permission.CALENDAR_EDIT: {Role.ADMIN},
    Permission.SETTINGS_EDIT: {Role.ADMIN},
    Permission.AUDIT_READ: {Role.AUDITOR},
    Permission.AUDIT_VERIFY: {Role.AUDITOR},
    Permission.VIEW_FULL_ID: {Role.CLERK, Role.APPROVER, Role.SUPERVISOR},
    Permission.CASE_SEARCH_ALL: {Role.CLERK, Role.APPROVER, Role.SUPERVISOR},
    Permission.REASSIGN: {Role.SUPERVISOR},
    Permission.APPROVE_EXTENSION: {Role.SUPERVISOR},
    Permission.EXPORT: {Role.SUPERVISOR},
    Permission.EXPORT_FULL_ID: {Role.SUPERVISOR},
    Permission.RECTIFY: {Role.SUPERVISOR},
    Permission.SYNC_ACTIVATE: {Role.ADMIN},
}


def actor(*roles: Role) -> Actor:
    return Actor(7, "someone", "某人", frozenset(roles), "W01")


def test_the_table_covers_every_permission() -> None:
    assert set(EXPECTED) == set(Permission)


@pytest.mark.parametrize("permission", list(Permission))
@pytest.mark.parametrize("role", list(Role))
def test_matrix(role: Role, permission: Permission) -> None:
    expected = role in EXPECTED[permission]
    assert allowed(actor(role), permission) is expected
    if expected:
        require(actor(role), permission)
    else:
        with pytest.raises(PermissionDenied):
            require(actor(role), permission)


def test_separation_of_duties() -> None:
    admin, auditor, proxy = actor(Role.ADMIN), actor(Role.AUDITOR), actor(Role.PROXY)
    case_side = {
        Permission.VIEW_FULL_ID,
        Permission.CASE_SEARCH_ALL,
        Permission.REASSIGN,
        Permission.APPROVE_EXTENSION,
        Permission.EXPORT,
    }
    assert not permissions_of(admin) & case_side
    assert not permissions_of(admin) & {Permission.AUDIT_READ, Permission.AUDIT_VERIFY}
    assert permissions_of(auditor) == {Permission.AUDIT_READ, Permission.AUDIT_VERIFY}
    assert Permission.VIEW_FULL_ID not in permissions_of(proxy)


def test_roles_add_up() -> None:
    both = actor(Role.CLERK, Role.SUPERVISOR)
    assert allowed(both, Permission.REASSIGN)
    assert allowed(both, Permission.VIEW_FULL_ID)
    assert not allowed(both, Permission.USER_ADMIN)


def test_nobody_without_roles_may_do_anything() -> None:
    assert permissions_of(actor()) == frozenset()
    with pytest.raises(PermissionDenied) as caught:
        require(actor(), Permission.EXPORT)
    assert "未分配角色" in caught.value.message


def test_refusal_names_the_action_and_the_roles() -> None:
    with pytest.raises(PermissionDenied) as caught:
        require(actor(Role.PROXY), Permission.VIEW_FULL_ID)
    assert "代办员" in caught.value.message
    assert "查看完整身份证号" in caught.value.message
    assert str(caught.value).startswith("[E400] ")
    with pytest.raises(PermissionDenied) as caught:
        require(actor(Role.ADMIN), Permission.AUDIT_READ)
    assert "系统管理员" in caught.value.message
    assert "查看审计日志" in caught.value.message
