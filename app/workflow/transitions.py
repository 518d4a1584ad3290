"""The one transition table: which role may take which action from which state, to which state.

``check`` is the only place a move is allowed or refused; an illegal move raises a typed error
with a Chinese message before anything is written. Guards that depend on the item (its steps)
or the payload live in ``app.workflow.guards``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from app.actor import Actor, Role
from app.errors import IllegalTransition, PermissionDenied
from app.workflow.states import CLOCK_STATES, OPEN_STATES, TERMINAL_STATES, Action, CaseState

S = CaseState
R = Role


class Target(Enum):
    """Targets that are not a fixed state."""

    SAME = "same"  # the case stays where it is (opinions, extensions, reassignment)
    PREVIOUS = "previous"  # back to the state the case was suspended from


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[CaseState | None]  # None: the case does not exist yet
    target: CaseState | Target
    roles: frozenset[Role]


def _t(
    action: Action,
    sources: Iterable[CaseState | None],
    target: CaseState | Target,
    *roles: Role,
) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles))


NOT_YET = None
TRANSITIONS: tuple[Transition, ...] = (
    _t(Action.CREATE_DRAFT, [NOT_YET], S.DRAFT, R.PROXY, R.CLERK),
    _t(Action.SUBMIT, [S.DRAFT], S.SUBMITTED, R.PROXY, R.CLERK),
    # 收件: a proxy filing picked up at the window, or a walk-in received straight away.
    _t(Action.RECEIVE, [S.SUBMITTED, NOT_YET], S.RECEIVED, R.CLERK),
    _t(Action.ACCEPT, [S.RECEIVED], S.ACCEPTED, R.CLERK),
    _t(Action.ACCEPT_WITH_DEFICIENCY, [S.RECEIVED], S.ACCEPTED, R.CLERK),
    _t(Action.REQUEST_SUPPLEMENT, [S.RECEIVED], S.AWAITING_SUPPLEMENT, R.CLERK),
    _t(Action.SUPPLEMENT, [S.AWAITING_SUPPLEMENT], S.RECEIVED, R.CLERK),
    _t(Action.REFUSE, [S.RECEIVED], S.REFUSED, R.CLERK),
    # 容缺 materials handed in later, at the window or to the back office.
    _t(Action.SUPPLY_DEFICIENT, CLOCK_STATES | {S.SUSPENDED}, Target.SAME, R.CLERK, R.APPROVER),
    _t(Action.START_REVIEW, [S.ACCEPTED], S.IN_REVIEW, R.APPROVER, R.SUPERVISOR),
    _t(Action.RECORD_OPINION, [S.IN_REVIEW], Target.SAME, R.APPROVER, R.SUPERVISOR),
    _t(Action.NEXT_STEP, [S.IN_REVIEW], Target.SAME, R.APPROVER, R.SUPERVISOR),
    # From accepted only for items with no town review step (the county decides directly).
    _t(Action.REPORT_TO_COUNTY, [S.IN_REVIEW, S.ACCEPTED], S.WITH_COUNTY, R.APPROVER, R.SUPERVISOR),
    # The county returns or decides a reported case itself (its action comes down by sync), or
    # the town records what the county decided (no link, or a county without the service).
    _t(Action.COUNTY_RETURNED, [S.WITH_COUNTY], S.IN_REVIEW, R.APPROVER, R.SUPERVISOR, R.COUNTY),
    _t(Action.DECIDE, [S.WITH_COUNTY], S.DECIDED, R.COUNTY),
    # Town decision after review, the county's result recorded, or 即办 at the window.
    _t(Action.DECIDE, [S.IN_REVIEW, S.WITH_COUNTY], S.DECIDED, R.APPROVER, R.SUPERVISOR),
    _t(Action.DECIDE, [S.ACCEPTED], S.DECIDED, R.CLERK),
    _t(Action.MARK_READY, [S.DECIDED], S.AWAITING_DELIVERY, R.CLERK, R.APPROVER),
    _t(Action.DELIVER, [S.AWAITING_DELIVERY], S.DELIVERED, R.CLERK),
    _t(Action.ARCHIVE, [S.DELIVERED], S.ARCHIVED, R.CLERK, R.SUPERVISOR),
    _t(Action.SUSPEND, CLOCK_STATES, S.SUSPENDED, R.APPROVER, R.SUPERVISOR),
    _t(Action.RESUME, [S.SUSPENDED], Target.PREVIOUS, R.APPROVER, R.SUPERVISOR),
    _t(Action.EXTEND, [S.ACCEPTED, S.IN_REVIEW], Target.SAME, R.SUPERVISOR),
    # 撤回 by the applicant: recorded by the clerk, or by the proxy for their own filing.
    _t(Action.WITHDRAW, OPEN_STATES, S.WITHDRAWN, R.CLERK, R.PROXY),
    _t(Action.TERMINATE, OPEN_STATES - {S.DRAFT}, S.TERMINATED, R.APPROVER, R.SUPERVISOR),
    _t(Action.REASSIGN, OPEN_STATES - {S.DRAFT}, Target.SAME, R.SUPERVISOR),
)


def transitions_for(action: Action) -> list[Transition]:
    return [t for t in TRANSITIONS if t.action is action]


def available(state: CaseState, actor: Actor) -> frozenset[Action]:
    """Actions the table lets ``actor`` take from ``state`` (guards may still refuse); the
    desks enable their buttons by this, the engine still checks every call."""
    return frozenset(t.action for t in TRANSITIONS if state in t.sources and actor.roles & t.roles)


def find(action: Action, state: CaseState | None, actor: Actor) -> Transition:
    """The row that lets ``actor`` take ``action`` from ``state``; raises if there is none."""
    rows = transitions_for(action)
    from_here = [t for t in rows if state in t.sources]
    if not from_here:
        where = "新办件" if state is None else f"办件当前状态为「{state.label}」"
        if state in TERMINAL_STATES:
            where += "（已结束）"
        raise IllegalTransition(f"{where}，不能执行「{action.label}」。")
    for row in from_here:
        if actor.roles & row.roles:
            return row
    allowed = "、".join(r.label for r in Role if any(r in row.roles for row in from_here))
    raise PermissionDenied(
        f"「{action.label}」只能由{allowed}执行；当前用户的角色是{actor.role_text or '（无）'}。"
    )


def next_state(action: Action, state: CaseState | None, before: CaseState | None) -> CaseState:
    """Where ``action`` takes a case in ``state`` (``before``: where a suspended case came from).

    Raises ``ValueError`` for a move the table does not have: callers check with ``find`` first.
    """
    rows = [t for t in transitions_for(action) if state in t.sources]
    if not rows:
        raise ValueError(f"{action} is not legal from {state}")
    return resolve_target(rows[0], state, before)


def resolve_target(
    row: Transition, current: CaseState | None, before: CaseState | None
) -> CaseState:
    if row.target is Target.SAME:
        assert current is not None
        return current
    if row.target is Target.PREVIOUS:
        assert before is not None, "a suspended case always records where it came from"
        return before
    assert isinstance(row.target, CaseState)
    return row.target
