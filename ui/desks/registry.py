"""Which desks a user gets, in tab order: the desk of their main role first, the others only
if a role allows them. The use cases check every action again."""

from __future__ import annotations

from app.actor import Actor, Role
from ui.desk_base import Desk
from ui.desks.admin.desk import AdminDesk
from ui.desks.audit_desk import AuditDesk
from ui.desks.catalog_desk import CatalogDesk
from ui.desks.dashboard.desk import DashboardDesk
from ui.desks.delivery.desk import DeliveryDesk
from ui.desks.intake.desk import IntakeDesk
from ui.desks.proxy.desk import ProxyDesk
from ui.desks.rectification.desk import RectificationDesk
from ui.desks.review.desk import ReviewDesk
from ui.desks.search_desk import SearchDesk
from ui.desks.sync_desk import SyncDesk

ROLE_DESKS: dict[Role, tuple[type[Desk], ...]] = {
    Role.CLERK: (IntakeDesk, DeliveryDesk, SearchDesk, SyncDesk, CatalogDesk),
    Role.APPROVER: (ReviewDesk, DashboardDesk, SearchDesk, SyncDesk, CatalogDesk),
    Role.SUPERVISOR: (
        ReviewDesk,
        DashboardDesk,
        RectificationDesk,
        SearchDesk,
        SyncDesk,
        CatalogDesk,
    ),
    Role.PROXY: (ProxyDesk, SearchDesk, SyncDesk, CatalogDesk),
    Role.ADMIN: (AdminDesk, SyncDesk),  # 同步: activating the workstation
    Role.AUDITOR: (AuditDesk,),
}
ROLE_ORDER = (Role.CLERK, Role.APPROVER, Role.SUPERVISOR, Role.PROXY, Role.ADMIN, Role.AUDITOR)


def desk_classes(actor: Actor) -> list[type[Desk]]:
    chosen: list[type[Desk]] = []
    for role in ROLE_ORDER:
        if role in actor.roles:
            chosen += [d for d in ROLE_DESKS[role] if d not in chosen]
    return chosen
