"""Who acts at the command line: whoever holds the store key, in the role the command needs,
named ``cli:<OS user>`` in the audit log."""

from __future__ import annotations

import getpass

from sqlalchemy.orm import Session

from app import settings
from app.actor import Actor, Role

__all__ = ["cli_actor"]


def cli_actor(session: Session, role: Role) -> Actor:
    """The command line's actor in ``role`` at this store's workstation. Ends ``session``'s
    read, so the use case can open its own unit of work."""
    try:
        os_user = getpass.getuser()
    except (KeyError, OSError):
        os_user = "unknown"
    workstation = settings.WORKSTATION_CODE.get(session)
    session.rollback()
    return Actor(
        user_id=0,
        username=f"cli:{os_user}"[:64],
        display_name="命令行",
        roles=frozenset({role}),
        workstation=workstation,
    )
