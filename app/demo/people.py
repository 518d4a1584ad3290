"""The demo users the seeder acts as, by role: clerks, approvers, supervisors and proxies."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor, Role
from app.demo.users import DEMO_USERS
from app.errors import ValidationError
from db.models import User


@dataclass
class People:
    clerks: list[Actor]
    approvers: list[Actor]
    supervisors: list[Actor]
    proxies: list[Actor]


def load_people(session: Session, workstation: str) -> People:
    people = People([], [], [], [])
    by_role = {
        Role.CLERK: people.clerks,
        Role.APPROVER: people.approvers,
        Role.SUPERVISOR: people.supervisors,
        Role.PROXY: people.proxies,
    }
    names = [u.username for u in DEMO_USERS]
    users = {u.username: u for u in session.scalars(select(User).where(User.username.in_(names)))}
    for name in names:  # DEMO_USERS order: clerk1 before clerk2, …
        user = users.get(name)
        if user is None or not user.active:
            continue
        roles = frozenset(Role(r.role_code) for r in user.roles)
        actor = Actor(user.id, user.username, user.display_name, roles, workstation)
        for role, bucket in by_role.items():
            if role in roles:
                bucket.append(actor)
    missing = [role.label for role, bucket in by_role.items() if not bucket]
    if missing:
        raise ValidationError("演示账号", f"演示账号中缺少{'、'.join(missing)}，无法生成演示办件。")
    return people
