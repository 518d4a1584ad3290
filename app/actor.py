"""Who is acting: the signed-in user, the roles they hold and the workstation they sit at.

Every use case takes an ``Actor`` and checks permissions itself (DESIGN §8); the UI only hides
what the checks would refuse anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """DESIGN §1 roles. The values are the contract (stored in the database)."""

    CLERK = "clerk"
    APPROVER = "approver"
    PROXY = "proxy"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    AUDITOR = "auditor"
    COUNTY = "county"  # the county's staff: decides what the town reported; no town account

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.CLERK: "窗口受理员",
    Role.APPROVER: "后台审批人员",
    Role.PROXY: "代办员",
    Role.SUPERVISOR: "中心负责人",
    Role.ADMIN: "系统管理员",
    Role.AUDITOR: "审计员",
    Role.COUNTY: "县级审批人员",
}

#: The roles a town's accounts may hold (the county's staff have their accounts at the county).
TOWN_ROLES = tuple(r for r in Role if r is not Role.COUNTY)


@dataclass(frozen=True)
class Actor:
    user_id: int
    username: str
    display_name: str
    roles: frozenset[Role]
    workstation: str

    def has(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def role_text(self) -> str:
        return "、".join(r.label for r in Role if r in self.roles)
