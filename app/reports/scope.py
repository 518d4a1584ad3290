"""Whose figures a dashboard shows: the supervisor the centre's, an approver their own.

An approver's own figures are the 人员 (person) row of their username (``docs/figures.md``): the
flows they took (受理, 办结 …), the standing figures of the cases assigned to them, the ratings
of the services they gave. The breakdowns by window, person and item compare people and are the
supervisor's alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.actor import Actor, Role
from app.errors import PermissionDenied
from app.reports.figures import NO_GROUP_LABELS, Grouping

__all__ = ["Scope", "check_scope", "scope_of"]


@dataclass(frozen=True)
class Scope:
    grouping: Grouping  # CENTRE, or PERSON for an approver's own
    key: str  # "" for the centre; the approver's username
    label: str

    @property
    def centre(self) -> bool:
        return self.grouping is Grouping.CENTRE


def scope_of(actor: Actor) -> Scope:
    """The supervisor (中心负责人) sees the centre; an approver who is not one sees their own."""
    if actor.has(Role.SUPERVISOR):
        return Scope(Grouping.CENTRE, "", NO_GROUP_LABELS[Grouping.CENTRE])
    if actor.has(Role.APPROVER):
        return Scope(Grouping.PERSON, actor.username, f"本人（{actor.display_name}）")
    raise PermissionDenied("统计看板仅供中心负责人和审批人员查看。")


def check_scope(actor: Actor, grouping: Grouping, key: str) -> None:
    """May ``actor`` read the figures (or the cases behind them) of this group? The supervisor
    any; an approver only their own person row."""
    scope = scope_of(actor)
    if scope.centre:
        return
    if grouping is not scope.grouping or key != scope.key:
        raise PermissionDenied("审批人员只能查看本人的统计。")
