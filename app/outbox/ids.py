"""Global identities made offline: UUIDv7 (time-ordered, so indexes stay compact and an id says
roughly when it was made) for cases and operations alike."""

from __future__ import annotations

import uuid6


def new_uid() -> str:
    return str(uuid6.uuid7())
