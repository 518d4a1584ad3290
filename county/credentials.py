"""What the county keeps of a workstation's credentials: digests only (SHA-256), never the secret
or the activation code; and the one-time codes a county admin reads out or writes down."""

from __future__ import annotations

import hashlib
import secrets

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out and typed by people
CODE_GROUPS, GROUP_LENGTH = 8, 4  # 32 symbols of 5 bits: 160 random bits


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def code_digest(typed: str) -> str:
    """The digest of an activation code as a person typed it: spaces dropped, capitals."""
    return digest("".join(typed.split()).upper())


def new_activation_code() -> str:
    symbols = [secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * GROUP_LENGTH)]
    groups = ("".join(symbols[i : i + GROUP_LENGTH]) for i in range(0, len(symbols), GROUP_LENGTH))
    return "-".join(groups)
