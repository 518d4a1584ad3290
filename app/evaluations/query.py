"""查询密码: the short password printed on a case's receipts beside its number. With both the
resident follows the case on the county's progress page and rates it by phone; either alone
tells nothing (the page answers a wrong password and an unknown number alike).

Six digits: typed on a phone's number pad, read out on the telephone. The page limits how often a
number may be tried, so a guess is one chance in a million per try, a few tries an hour.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Final

LENGTH: Final = 6


def new_query_password() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(LENGTH))


def query_hash(case_uid: str, password: str) -> str:
    """What the county keeps of a case's password: SHA-256 of the case's uid and the password."""
    return hashlib.sha256(f"{case_uid}:{password}".encode()).hexdigest()


def matches(case_uid: str, password: str, stored: str | None) -> bool:
    """Whether ``password`` is the case's (constant time; False when it has none)."""
    if stored is None:
        return False
    return hmac.compare_digest(query_hash(case_uid, password), stored)
