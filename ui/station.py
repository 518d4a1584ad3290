"""What the login window shows of the workstation before anyone signs in (a light module: the
login window and start-up's glance at the store use it before SQLAlchemy is loaded)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Workstation:
    """What the login window shows before anyone signs in."""

    centre_name: str
    code: str
