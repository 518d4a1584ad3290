"""Who may see which case: proxies only their own filings; admin and auditor no cases at all."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, false

from app.actor import Actor, Role
from app.errors import NotFound, PermissionDenied
from db.models import Case

CASE_ROLES = frozenset({Role.CLERK, Role.APPROVER, Role.SUPERVISOR, Role.PROXY})


def only_own_filings(actor: Actor) -> bool:
    """A proxy who holds no other case role sees only the cases they filed."""
    return not (actor.roles & (CASE_ROLES - {Role.PROXY}))


def require_case_role(actor: Actor) -> None:
    if not actor.roles & CASE_ROLES:
        raise PermissionDenied(f"{actor.role_text or '当前用户'}不办理、也不查看办件（职责分离）。")


def check_visible(actor: Actor, case: Case) -> None:
    require_case_role(actor)
    if only_own_filings(actor) and case.proxy_user_id != actor.user_id:
        raise NotFound("找不到该办件。")  # do not reveal that someone else's case exists


SelectT = TypeVar("SelectT", bound=Select[*tuple[Any, ...]])


def restrict(query: SelectT, actor: Actor) -> SelectT:
    """Limit a case query to what ``actor`` may see."""
    if not actor.roles & CASE_ROLES:
        return query.where(false())
    if only_own_filings(actor):
        return query.where(Case.proxy_user_id == actor.user_id)
    return query
