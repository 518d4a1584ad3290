"""The centre's accounts, taken down from the county at every sync: a clerk signs in at any window
(offline too, once it has synced), and an account disabled anywhere is refused everywhere.

The county's copy wins for what it holds (name, roles, Argon2 hash, enabled, must change the
password); failed attempts and a lockout stay this workstation's own. An account this store has
and the county does not (one made at the command line) is left as it is.
"""

from __future__ import annotations

from sqlalchemy import select

from app.actor import TOWN_ROLES
from app.sync.protocol import AccountCopy
from app.sync.transport import Transport
from db.models import User, UserRole
from db.store import Store

_TOWN = {r.value for r in TOWN_ROLES}


def pull_accounts(store: Store, transport: Transport) -> int:
    """Bring the centre's accounts here; returns how many were added or changed."""
    copies = transport.accounts().accounts
    changed = 0
    with store.session() as session, session.begin():
        users = {u.username: u for u in session.scalars(select(User))}
        for copy in copies:
            user = users.get(copy.username)
            if user is None:
                user = User(username=copy.username)
                session.add(user)
            if _apply(user, copy):
                changed += 1
    return changed


def _apply(user: User, copy: AccountCopy) -> bool:
    roles = sorted(r for r in copy.roles if r in _TOWN)
    before = (
        user.display_name,
        user.password_hash,
        user.active,
        user.must_change_password,
        sorted(link.role_code for link in user.roles),
    )
    user.display_name, user.password_hash = copy.display_name, copy.password_hash
    user.active, user.must_change_password = copy.active, copy.must_change_password
    held = {link.role_code: link for link in user.roles}
    user.roles = [held.get(code) or UserRole(role_code=code) for code in roles]
    return before != (
        copy.display_name,
        copy.password_hash,
        copy.active,
        copy.must_change_password,
        roles,
    )
