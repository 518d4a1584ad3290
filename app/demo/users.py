"""Demo accounts: one or two people for every role of the demo centre, all with one known password.

Only for the demo store (``onewindow --demo`` / ``onewindow demo seed``); the README lists them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import settings
from app.accounts import passwords
from app.actor import Role
from app.audit import AuditEvent, record
from db.models import User, UserRole

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "DemoUser", "seed_demo_users"]

DEMO_PASSWORD = "demo1234"
SEEDED_BY = "demo-seed"


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: Role
    post: str  # where they sit, for the README and the demo's own texts


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("clerk1", "王芳", Role.CLERK, "综合受理窗口1号"),
    DemoUser("clerk2", "刘洋", Role.CLERK, "综合受理窗口2号（兼出件窗口）"),
    DemoUser("approver1", "李强", Role.APPROVER, "后台审批（社会事务类）"),
    DemoUser("approver2", "赵敏", Role.APPROVER, "后台审批（农业农村与建设类）"),
    DemoUser("proxy1", "张秀英", Role.PROXY, "柳树村便民服务代办点"),
    DemoUser("proxy2", "孙建国", Role.PROXY, "清河社区代办员"),
    DemoUser("supervisor1", "陈明", Role.SUPERVISOR, "便民服务中心负责人"),
    DemoUser("admin1", "周磊", Role.ADMIN, "系统管理员"),
    DemoUser("auditor1", "吴静", Role.AUDITOR, "审计员"),
)


def seed_demo_users(session: Session) -> list[str]:
    """Create the demo accounts that do not exist yet; returns the user names created.

    Runs inside the caller's transaction (like the rest of the demo seeding), so it can be part of
    one ``demo seed`` unit of work. Idempotent: existing accounts are left as they are.
    """
    existing = set(session.scalars(select(User.username)))
    workstation = settings.WORKSTATION_CODE.get(session)
    created: list[str] = []
    for demo in DEMO_USERS:
        if demo.username in existing:
            continue
        user = User(
            username=demo.username,
            display_name=demo.display_name,
            password_hash=passwords.hash_password(DEMO_PASSWORD),
            active=True,
            failed_attempts=0,
            must_change_password=False,
            roles=[UserRole(role_code=demo.role.value)],
        )
        session.add(user)
        session.flush()
        record(
            session,
            actor=SEEDED_BY,
            workstation=workstation,
            event=AuditEvent.USER_CREATED,
            subject=demo.username,
            detail={"user_id": user.id, "roles": [demo.role.value], "demo": True},
        )
        created.append(demo.username)
    return created
