"""Accounts: signing in with lockout, password changes, and user administration (DESIGN §1, §8).

Each use case is one unit of work: the caller passes a fresh Session and the function opens and
commits the transaction itself. Where an attempt fails but must leave a trace (a wrong password
counts towards the lockout and is audited), the trace is committed first and the error raised
after.

Separation of duties (三员分立): a system administrator holds no case role, an auditor holds no
other role, and an administrator can neither drop their own admin role nor disable themselves.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app import settings
from app.accounts import passwords
from app.actor import ROLE_LABELS, Actor, Role
from app.audit import AuditEvent, JsonValue, authorize, record, record_for
from app.errors import AuthenticationError, NotFound, ValidationError
from app.outbox.enqueue import enqueue
from app.permissions import Permission, require
from app.units.declare import reads_guarded, writes
from db.base import utcnow
from db.models import User, UserRole

__all__ = [
    "AccountDisabled",
    "AccountLocked",
    "UserSummary",
    "authenticate",
    "change_password",
    "check_role_combination",
    "create_user",
    "list_users",
    "lock_workstation",
    "logout",
    "password_change_required",
    "reset_lockout",
    "reset_password",
    "set_active",
    "set_roles",
    "unlock_workstation",
    "wrong_credentials",
]

WRONG_CREDENTIALS = "用户名或密码不正确"
CASE_ROLES = frozenset({Role.CLERK, Role.APPROVER, Role.SUPERVISOR, Role.PROXY})
_USERNAME = re.compile(r"[a-z][a-z0-9_.-]{2,31}")
_AUDIT_ACTOR_WIDTH = 64


class AccountLocked(AuthenticationError):
    """Too many wrong passwords in a row; the account waits ``minutes_left`` minutes."""

    code = "E411"

    def __init__(self, message: str, minutes_left: int) -> None:
        super().__init__(message)
        self.minutes_left = minutes_left


class AccountDisabled(AuthenticationError):
    code = "E412"


@dataclass(frozen=True)
class UserSummary:
    """One account as the admin screen shows it (never the password hash)."""

    user_id: int
    username: str
    display_name: str
    roles: frozenset[Role]
    active: bool
    failed_attempts: int
    locked_until: datetime | None
    must_change_password: bool
    created_at: datetime

    @property
    def role_text(self) -> str:
        return "、".join(r.label for r in Role if r in self.roles)

    def is_locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or utcnow())


# --- helpers ------------------------------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    if now is None:
        return utcnow()
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(UTC)


def _normalize_username(username: str) -> str:
    return username.strip().lower()


def _roles_of(user: User) -> frozenset[Role]:
    return frozenset(Role(link.role_code) for link in user.roles)


def _role_codes(roles: Iterable[Role]) -> list[JsonValue]:
    return [r.value for r in Role if r in set(roles)]


def _summary(user: User) -> UserSummary:
    return UserSummary(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=_roles_of(user),
        active=user.active,
        failed_attempts=user.failed_attempts,
        locked_until=user.locked_until,
        must_change_password=user.must_change_password,
        created_at=user.created_at,
    )


def _get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id, options=[selectinload(User.roles)])
    if user is None:
        raise NotFound(f"用户不存在（编号 {user_id}）")
    return user


def _minutes_left(locked_until: datetime, now: datetime) -> int:
    return max(1, math.ceil((locked_until - now).total_seconds() / 60))


def _locked_message(minutes: int) -> str:
    return f"账号已锁定，请在 {minutes} 分钟后重试，或联系系统管理员解锁"


def wrong_credentials(session: Session) -> AuthenticationError:
    """The one answer to a wrong password and to an unknown user name alike: it names the
    lockout policy (the same for every account) but nothing about this account."""
    max_failures, minutes = _lockout_policy(session)
    return AuthenticationError(
        f"{WRONG_CREDENTIALS}。连续输错 {max_failures} 次，账号将锁定 {minutes} 分钟"
    )


def _lockout_policy(session: Session) -> tuple[int, int]:
    max_failures = max(1, settings.LOCKOUT_MAX_FAILURES.get(session))
    minutes = max(1, settings.LOCKOUT_MINUTES.get(session))
    return max_failures, minutes


def check_role_combination(roles: Iterable[Role]) -> frozenset[Role]:
    """The roles as a set, or :class:`ValidationError` when they break separation of duties."""
    chosen = frozenset(roles)
    if not chosen:
        raise ValidationError("角色", "请至少为用户分配一个角色")
    if Role.COUNTY in chosen:
        raise ValidationError("角色", "县级审批人员的账号由县级系统管理，不能在乡镇建立")
    if Role.AUDITOR in chosen and len(chosen) > 1:
        raise ValidationError(
            "角色", "审计员不能兼任其他角色（三员分立：审计员只查看审计日志），请分开建立账号"
        )
    if Role.ADMIN in chosen and chosen & CASE_ROLES:
        conflicting = "、".join(ROLE_LABELS[r] for r in Role if r in chosen & CASE_ROLES)
        raise ValidationError(
            "角色",
            f"系统管理员不能兼任{conflicting}（三员分立：系统管理员不办理办件），请分开建立账号",
        )
    return chosen


# --- signing in ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Refusal:
    error: AuthenticationError


def authenticate(
    session: Session,
    username: str,
    password: str,
    workstation: str,
    *,
    now: datetime | None = None,
) -> Actor:
    """Sign in; returns the :class:`Actor` or raises :class:`AuthenticationError`.

    Whoever does not give the right password learns nothing about the account: a wrong password
    and an unknown user name get the same answer (``wrong_credentials``: same words, same code
    E410, same time spent on a password hash), never a count of tries left, whether the account
    is locked or has just been locked — a count or a lock that others' attempts had changed
    would show that the name exists. The lockout still holds: the ``LOCKOUT_MAX_FAILURES``-th
    wrong password in a row locks the account for ``LOCKOUT_MINUTES`` (audited), and during the
    lock even the right password is refused; only then, to someone who has just shown they know
    the password, does the answer say it is locked and for how long (``AccountLocked``, E411),
    as only then is it said that an account is disabled.
    Every attempt is audited; a failed attempt commits its audit entry and counter before raising.
    """
    at = _now(now)
    name = _normalize_username(username)
    audit_name = name[:_AUDIT_ACTOR_WIDTH] or "(空)"
    with session.begin():
        user = session.scalars(
            select(User).where(User.username == name).options(selectinload(User.roles))
        ).one_or_none()
        if user is None:
            outcome: Actor | _Refusal = _unknown_user(
                session, audit_name, password, workstation, at
            )
        else:
            outcome = _known_user(session, user, password, workstation, at)
    if isinstance(outcome, _Refusal):
        raise outcome.error
    return outcome


def _known_user(
    session: Session,
    user: User,
    password: str,
    workstation: str,
    at: datetime,
    *,
    ok_event: AuditEvent = AuditEvent.LOGIN_OK,
    failed_event: AuditEvent = AuditEvent.LOGIN_FAILED,
) -> Actor | _Refusal:
    """Check ``user``'s password with the lockout; ``ok_event``/``failed_event`` name what is
    audited (a sign-in, or the unlock of a locked workstation: the same checks and counter)."""
    max_failures, lock_minutes = _lockout_policy(session)

    def failed(reason: str, **detail: JsonValue) -> None:
        record(
            session,
            actor=user.username,
            workstation=workstation,
            event=failed_event,
            subject=user.username,
            detail={"reason": reason, "user_id": user.id, **detail},
            at=at,
        )

    # The password is checked even during a lock: the same time spent as for any other attempt,
    # and the answer may name the lock only to someone who knows the password.
    right = passwords.verify_password(user.password_hash, password)
    if user.locked_until is not None and user.locked_until > at:
        failed("locked", locked_until=user.locked_until.isoformat())
        if not right:
            return _Refusal(wrong_credentials(session))
        minutes = _minutes_left(user.locked_until, at)
        return _Refusal(AccountLocked(_locked_message(minutes), minutes))
    if not right:
        user.failed_attempts += 1
        failed("wrong_password", failures=user.failed_attempts)
        if user.failed_attempts < max_failures:
            return _Refusal(wrong_credentials(session))
        user.failed_attempts = 0
        user.locked_until = at + timedelta(minutes=lock_minutes)
        record(
            session,
            actor=user.username,
            workstation=workstation,
            event=AuditEvent.LOGIN_LOCKED,
            subject=user.username,
            detail={"user_id": user.id, "locked_until": user.locked_until.isoformat()},
            at=at,
        )
        return _Refusal(wrong_credentials(session))  # the lock is named only to the password
    # The password is right: only now may the answer reveal more about the account.
    if not user.active:
        failed("disabled")
        return _Refusal(AccountDisabled("账号已停用，请联系系统管理员"))
    roles = _roles_of(user)
    if not roles:
        failed("no_roles")
        return _Refusal(AuthenticationError("该账号尚未分配角色，请联系系统管理员"))
    user.failed_attempts = 0
    user.locked_until = None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    record(
        session,
        actor=user.username,
        workstation=workstation,
        event=ok_event,
        subject=user.username,
        detail={"user_id": user.id, "roles": _role_codes(roles)},
        at=at,
    )
    return Actor(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=roles,
        workstation=workstation,
    )


def _unknown_user(
    session: Session, name: str, password: str, workstation: str, at: datetime
) -> _Refusal:
    """Refuse a name with no account exactly as a wrong password (same answer, same hashing
    time); audited, so an auditor sees names being tried."""
    passwords.verify_dummy(password)
    record(
        session,
        actor=name,
        workstation=workstation,
        event=AuditEvent.LOGIN_FAILED,
        subject=name,
        detail={"reason": "unknown_user"},
        at=at,
    )
    return _Refusal(wrong_credentials(session))


LOCK_REASONS = frozenset({"manual", "idle"})


@writes
def lock_workstation(session: Session, actor: Actor, *, reason: str) -> None:
    """The signed-in user's workstation was locked: by hand (Ctrl+L) or after idle time."""
    if reason not in LOCK_REASONS:
        raise ValidationError("锁定原因", f"未知的锁定原因：{reason}")
    with session.begin():
        record_for(
            session, actor, AuditEvent.WORKSTATION_LOCKED, actor.username, {"reason": reason}
        )


def unlock_workstation(
    session: Session, actor: Actor, password: str, *, now: datetime | None = None
) -> None:
    """The locked workstation's own user gives the password again.

    Audited as an unlock (``WORKSTATION_UNLOCKED`` / ``UNLOCK_FAILED``), not as a sign-in; a
    wrong password counts towards the account's lockout exactly as at the login window, and a
    locked, disabled or role-less account is refused as there (the user can only sign out)."""
    at = _now(now)
    with session.begin():
        user = session.get(User, actor.user_id, options=[selectinload(User.roles)])
        if user is None or user.username != actor.username:
            raise AuthenticationError("账号不存在，请重新登录")
        outcome = _known_user(
            session,
            user,
            password,
            actor.workstation,
            at,
            ok_event=AuditEvent.WORKSTATION_UNLOCKED,
            failed_event=AuditEvent.UNLOCK_FAILED,
        )
    if isinstance(outcome, _Refusal):
        raise outcome.error


def logout(session: Session, actor: Actor) -> None:
    with session.begin():
        record_for(session, actor, AuditEvent.LOGOUT, actor.username)


def password_change_required(session: Session, actor: Actor) -> bool:
    """True when an administrator set the password and the user has not changed it yet."""
    user = session.get(User, actor.user_id)
    return user is not None and user.must_change_password


# --- the user's own password --------------------------------------------------------------------


def change_password(session: Session, actor: Actor, old: str, new: str) -> None:
    """Change the signed-in user's own password (the old one must be given again)."""
    with session.begin():
        user = _get_user(session, actor.user_id)
        if not passwords.verify_password(user.password_hash, old):
            record_for(
                session,
                actor,
                AuditEvent.PASSWORD_CHANGE_FAILED,
                user.username,
                {"user_id": user.id, "reason": "wrong_old_password"},
            )
            refusal: ValidationError | None = ValidationError("原密码", "原密码不正确")
        else:
            refusal = None
            passwords.check_policy(new, username=user.username)
            if new == old:
                raise ValidationError("新密码", "新密码不能与原密码相同")
            user.password_hash = passwords.hash_password(new)
            user.must_change_password = False
            record_for(
                session, actor, AuditEvent.PASSWORD_CHANGED, user.username, {"user_id": user.id}
            )
            _queue(
                session,
                actor,
                "user.password",
                user,
                password_hash=user.password_hash,
                must_change_password=False,
            )
    if refusal is not None:
        raise refusal


# --- administration -----------------------------------------------------------------------------


def _queue(session: Session, actor: Actor, kind: str, user: User, **fields: Any) -> None:
    """Queue an account change for the county, which holds the centre's accounts: every
    workstation of the centre caches them (with the Argon2 hash), so a clerk can sign in at any
    window, offline too. The user is named by username, never by this store's id."""
    enqueue(
        session, actor, kind, user.username, {"username": user.username, **fields}, now=utcnow()
    )


@writes
def create_user(
    session: Session,
    admin: Actor,
    username: str,
    display_name: str,
    password: str,
    roles: Iterable[Role],
    *,
    must_change_password: bool = True,
) -> UserSummary:
    """A new account. By default the user must replace the initial password at first sign-in."""
    authorize(session, admin, Permission.USER_ADMIN)
    name = _normalize_username(username)
    if not _USERNAME.fullmatch(name):
        raise ValidationError(
            "用户名", "用户名应为3至32位，以英文字母开头，只能包含英文字母、数字、下划线、点和减号"
        )
    shown = display_name.strip()
    if not shown:
        raise ValidationError("姓名", "请填写姓名")
    if len(shown) > 100:
        raise ValidationError("姓名", "姓名不能超过100个字符")
    chosen = check_role_combination(roles)
    passwords.check_policy(password, label="初始密码", username=name)
    with session.begin():
        if session.scalar(select(User.id).where(User.username == name)) is not None:
            raise ValidationError("用户名", f"用户名 {name} 已存在，请换一个")
        user = User(
            username=name,
            display_name=shown,
            password_hash=passwords.hash_password(password),
            active=True,
            failed_attempts=0,
            must_change_password=must_change_password,
            created_at=utcnow(),
            roles=[UserRole(role_code=r.value) for r in Role if r in chosen],
        )
        session.add(user)
        session.flush()
        record_for(
            session,
            admin,
            AuditEvent.USER_CREATED,
            name,
            {"user_id": user.id, "roles": _role_codes(chosen)},
        )
        _queue(
            session,
            admin,
            "user.create",
            user,
            display_name=shown,
            roles=_role_codes(chosen),
            password_hash=user.password_hash,
            must_change_password=must_change_password,
        )
        return _summary(user)


@writes
def set_roles(session: Session, admin: Actor, user_id: int, roles: Iterable[Role]) -> UserSummary:
    authorize(session, admin, Permission.USER_ADMIN)
    chosen = check_role_combination(roles)
    if user_id == admin.user_id and Role.ADMIN not in chosen:
        raise ValidationError(
            "角色", "不能取消自己的系统管理员角色（以免中心无人管理账号），请由另一位管理员操作"
        )
    with session.begin():
        user = _get_user(session, user_id)
        before = _roles_of(user)
        for link in list(user.roles):
            if Role(link.role_code) not in chosen:
                user.roles.remove(link)
        for role in Role:
            if role in chosen and role not in before:
                user.roles.append(UserRole(role_code=role.value))
        session.flush()
        if before != chosen:
            record_for(
                session,
                admin,
                AuditEvent.ROLES_CHANGED,
                user.username,
                {"user_id": user.id, "before": _role_codes(before), "after": _role_codes(chosen)},
            )
            _queue(session, admin, "user.roles", user, roles=_role_codes(chosen))
        return _summary(user)


@writes
def reset_lockout(session: Session, admin: Actor, user_id: int) -> UserSummary:
    """Unlock an account now and clear its failure count."""
    authorize(session, admin, Permission.USER_ADMIN)
    with session.begin():
        user = _get_user(session, user_id)
        was_locked = user.locked_until.isoformat() if user.locked_until is not None else None
        user.failed_attempts = 0
        user.locked_until = None
        record_for(
            session,
            admin,
            AuditEvent.LOCKOUT_RESET,
            user.username,
            {"user_id": user.id, "locked_until": was_locked},
        )
        _queue(session, admin, "user.lockout_reset", user)
        return _summary(user)


@writes
def reset_password(session: Session, admin: Actor, user_id: int, new_password: str) -> UserSummary:
    """Set a temporary password (the user forgot theirs); it must be changed at next sign-in."""
    authorize(session, admin, Permission.USER_ADMIN)
    with session.begin():
        user = _get_user(session, user_id)
        passwords.check_policy(new_password, label="临时密码", username=user.username)
        user.password_hash = passwords.hash_password(new_password)
        user.must_change_password = True
        user.failed_attempts = 0
        user.locked_until = None
        record_for(session, admin, AuditEvent.PASSWORD_RESET, user.username, {"user_id": user.id})
        _queue(
            session,
            admin,
            "user.password",
            user,
            password_hash=user.password_hash,
            must_change_password=True,
        )
        return _summary(user)


@writes
def set_active(session: Session, admin: Actor, user_id: int, active: bool) -> UserSummary:
    """Enable or disable an account (a disabled account cannot sign in; its history stays)."""
    authorize(session, admin, Permission.USER_ADMIN)
    if user_id == admin.user_id and not active:
        raise ValidationError("账号状态", "不能停用自己的账号，请由另一位系统管理员操作")
    with session.begin():
        user = _get_user(session, user_id)
        if user.active != active:
            user.active = active
            record_for(
                session,
                admin,
                AuditEvent.USER_ENABLED if active else AuditEvent.USER_DISABLED,
                user.username,
                {"user_id": user.id},
            )
            _queue(session, admin, "user.active", user, active=active)
        return _summary(user)


@reads_guarded(Permission.USER_ADMIN)
def list_users(session: Session, admin: Actor) -> list[UserSummary]:
    require(admin, Permission.USER_ADMIN)  # a refusal is recorded by the guarded unit
    with session.begin():
        users = session.scalars(
            select(User).options(selectinload(User.roles)).order_by(User.username)
        )
        return [_summary(u) for u in users]
