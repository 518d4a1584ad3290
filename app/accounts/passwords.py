"""Password hashing (Argon2id) and the password policy (DESIGN §8).

Hashes use argon2-cffi's ``PasswordHasher`` with its defaults (RFC 9106 low-memory profile:
argon2id, t=3, m=64 MiB, p=4); a hash made with older parameters is replaced on the next
successful login (:func:`needs_rehash`). Nothing outside ``app/`` ever sees a hash.
"""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from app.errors import ValidationError

__all__ = [
    "MAX_LENGTH",
    "MIN_LENGTH",
    "check_policy",
    "hash_password",
    "needs_rehash",
    "verify_dummy",
    "verify_password",
]

MIN_LENGTH = 8
# Argon2 takes any length; the cap only stops a pasted novel from costing memory and time.
MAX_LENGTH = 128

_hasher = PasswordHasher()
_LETTER = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"[0-9]")
# Made lazily: verifying against it costs as much as a real check, so an unknown user name takes
# as long to refuse as a wrong password (no user enumeration by timing).
_dummy_hash: str | None = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; False on a mismatch or an unreadable hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than the current ones."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def verify_dummy(password: str) -> None:
    """Spend the time of one real verification (for a user name that does not exist)."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("onewindow-dummy-password-1")
    verify_password(_dummy_hash, password)


def check_policy(password: str, *, label: str = "新密码", username: str | None = None) -> None:
    """Raise :class:`ValidationError` naming ``label`` unless the password follows the policy.

    The policy: at least 8 characters, at least one letter (A–Z, a–z) and one digit, not the user
    name itself.
    """
    if not password:
        raise ValidationError(label, f"请填写{label}")
    if len(password) < MIN_LENGTH:
        raise ValidationError(
            label,
            f"{label}至少需要{MIN_LENGTH}个字符（当前{len(password)}个），且须同时包含字母和数字",
        )
    if len(password) > MAX_LENGTH:
        raise ValidationError(label, f"{label}不能超过{MAX_LENGTH}个字符")
    if not _LETTER.search(password) or not _DIGIT.search(password):
        raise ValidationError(label, f"{label}须同时包含英文字母和数字")
    if username is not None and password.strip().lower() == username.strip().lower():
        raise ValidationError(label, f"{label}不能与用户名相同")
