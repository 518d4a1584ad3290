"""The county's staff: their accounts (Argon2, the workstation's own password helpers), signing
in for a bearer token (kept as its SHA-256, with an expiry), and finding who a token belongs to.

A staff token is good only for county-level work (``county/api_county.py``); a workstation's
secret is good only for a workstation's sync. Each end tells the other kind apart so it can say
which credential was sent where.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.passwords import check_policy, hash_password, verify_dummy, verify_password
from app.errors import ValidationError
from county.audit import record
from county.credentials import digest
from county.store.models import Staff, StaffToken, Workstation

#: How long a sign-in lasts: one working day.
TOKEN_HOURS = 10
#: The same rule as a town account's user name (``app/accounts/service.py``).
USERNAME = re.compile(r"[a-z][a-z0-9_.-]{2,31}")
USERNAME_RULE = "用户名应为3至32位，以英文字母开头，只能包含英文字母、数字、下划线、点和减号"


class StaffExists(ValueError):
    pass


@dataclass(frozen=True)
class SignedIn:
    token: str  # handed to the staff member once; the county keeps its digest
    expires_at: dt.datetime
    username: str
    display_name: str


def add_staff(session: Session, username: str, display_name: str, password: str) -> Staff:
    """A new staff account, in the caller's transaction. Bad input → ``ValidationError`` naming
    the field; a taken username → ``StaffExists``."""
    username, display_name = clean_username(username), display_name.strip()
    if not display_name or len(display_name) > 100:
        raise ValidationError("姓名", "请填写姓名（不超过100个字符）")
    check_policy(password, label="密码", username=username)
    if session.scalar(select(Staff).where(Staff.username == username)) is not None:
        raise StaffExists(f"县级工作人员账号 {username} 已存在。")
    staff = Staff(
        username=username, display_name=display_name, password_hash=hash_password(password)
    )
    session.add(staff)
    session.flush()
    return staff


def clean_username(typed: str) -> str:
    """The user name as stored (trimmed, lower case), or ``ValidationError`` naming 用户名."""
    username = typed.strip().lower()
    if not USERNAME.fullmatch(username):
        raise ValidationError("用户名", USERNAME_RULE)
    return username


def sign_in(session: Session, username: str, password: str, now: dt.datetime) -> SignedIn | None:
    """A new token for the staff member, or None (a wrong password, an unknown or disabled
    account: the same answer, taking as long). Writes only on success."""
    staff = session.scalar(select(Staff).where(Staff.username == username.strip().lower()))
    if staff is None:
        verify_dummy(password)
        return None
    if not verify_password(staff.password_hash, password) or not staff.active:
        return None
    token = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(hours=TOKEN_HOURS)
    session.add(
        StaffToken(staff_id=staff.id, token_hash=digest(token), issued_at=now, expires_at=expires)
    )
    record(
        session, staff.username, "signin", staff.username, {"expires_at": expires.isoformat()}, now
    )
    return SignedIn(token, expires, staff.username, staff.display_name)


def staff_of_token(session: Session, token: str, now: dt.datetime) -> Staff | None:
    """The active staff member whose unexpired token this is."""
    found = session.execute(
        select(Staff, StaffToken.expires_at)
        .join(StaffToken, StaffToken.staff_id == Staff.id)
        .where(StaffToken.token_hash == digest(token))
    ).first()
    if found is None:
        return None
    staff, expires = found
    return staff if staff.active and expires > now else None


def is_staff_token(session: Session, token: str) -> bool:
    """Whether ``token`` is (or was) a staff sign-in, expired or not."""
    hashed = digest(token)
    return session.scalar(select(StaffToken.id).where(StaffToken.token_hash == hashed)) is not None


def is_workstation_secret(session: Session, token: str) -> bool:
    hashed = digest(token)
    return (
        session.scalar(select(Workstation.id).where(Workstation.secret_hash == hashed)) is not None
    )


def sign_out(session: Session, token: str) -> None:
    """The token stops working at once."""
    hashed = digest(token)
    found = session.scalar(select(StaffToken).where(StaffToken.token_hash == hashed))
    if found is not None:
        session.delete(found)
