"""What each role may do outside the case workflow (DESIGN §1, §8; 等保 三员分立).

The case actions (receive, accept, decide, …) and the roles that may take them live in the
workflow's transition table; this module holds the other capabilities. Separation of duties:

* the system administrator manages users, catalogue, calendar and settings, but has no case
  permission and does not read the audit log;
* the auditor reads and verifies the audit log, and nothing else;
* only the clerk, the approver and the supervisor see full ID numbers (never the proxy agent).

Every use case checks with :func:`require` itself; the UI may hide what would be refused, but
that is a courtesy, not the check.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from app.actor import Actor, Role
from app.errors import PermissionDenied

__all__ = ["ROLE_PERMISSIONS", "Permission", "allowed", "permissions_of", "require"]


class Permission(StrEnum):
    USER_ADMIN = "user_admin"
    CATALOG_LOAD = "catalog_load"
    CALENDAR_EDIT = "calendar_edit"
    SETTINGS_EDIT = "settings_edit"
    AUDIT_READ = "audit_read"
    AUDIT_VERIFY = "audit_verify"
    VIEW_FULL_ID = "view_full_id"
    CASE_SEARCH_ALL = "case_search_all"
    REASSIGN = "reassign"
    APPROVE_EXTENSION = "approve_extension"
    EXPORT = "export"
    EXPORT_FULL_ID = "export_full_id"  # a report (the monthly workbook) with full ID numbers
    SYNC_ACTIVATE = "sync_activate"
    RECTIFY = "rectify"

    @property
    def label(self) -> str:
        """The action, as the refusal message names it (…无权{label})."""
        return PERMISSION_LABELS[self]


PERMISSION_LABELS: Mapping[Permission, str] = MappingProxyType(
    {
        Permission.USER_ADMIN: "管理用户账号",
        Permission.CATALOG_LOAD: "载入事项目录",
        Permission.CALENDAR_EDIT: "修改节假日工作日历",
        Permission.SETTINGS_EDIT: "修改系统设置",
        Permission.AUDIT_READ: "查看审计日志",
        Permission.AUDIT_VERIFY: "校验审计日志",
        Permission.VIEW_FULL_ID: "查看完整身份证号",
        Permission.CASE_SEARCH_ALL: "查询全部办件",
        Permission.REASSIGN: "改派办件",
        Permission.APPROVE_EXTENSION: "审批延期",
        Permission.EXPORT: "导出数据",
        Permission.EXPORT_FULL_ID: "导出含完整身份证号的报表",
        Permission.SYNC_ACTIVATE: "激活本工作站（连接县级系统）",
        Permission.RECTIFY: "办理差评整改",
    }
)

_P = Permission

ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = MappingProxyType(
    {
        Role.CLERK: frozenset({_P.VIEW_FULL_ID, _P.CASE_SEARCH_ALL}),
        Role.APPROVER: frozenset({_P.VIEW_FULL_ID, _P.CASE_SEARCH_ALL}),
        # A proxy agent sees only their own filings and masked ID numbers.
        Role.PROXY: frozenset(),
        Role.SUPERVISOR: frozenset(
            {
                _P.VIEW_FULL_ID,
                _P.CASE_SEARCH_ALL,
                _P.REASSIGN,
                _P.APPROVE_EXTENSION,
                _P.EXPORT,
                _P.EXPORT_FULL_ID,
                _P.RECTIFY,
            }
        ),
        Role.ADMIN: frozenset(
            {_P.USER_ADMIN, _P.CATALOG_LOAD, _P.CALENDAR_EDIT, _P.SETTINGS_EDIT, _P.SYNC_ACTIVATE}
        ),
        Role.AUDITOR: frozenset({_P.AUDIT_READ, _P.AUDIT_VERIFY}),
    }
)


def permissions_of(actor: Actor) -> frozenset[Permission]:
    """Everything the actor's roles together allow."""
    granted: frozenset[Permission] = frozenset()
    for role in actor.roles:
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    return granted


def allowed(actor: Actor, permission: Permission) -> bool:
    return any(permission in ROLE_PERMISSIONS.get(role, frozenset()) for role in actor.roles)


def require(actor: Actor, permission: Permission) -> None:
    """Raise :class:`PermissionDenied` unless one of the actor's roles allows ``permission``."""
    if not allowed(actor, permission):
        roles = actor.role_text or "未分配角色"
        raise PermissionDenied(
            f"当前用户（{roles}）无权{permission.label}。如需办理，请联系有权限的人员。"
        )
