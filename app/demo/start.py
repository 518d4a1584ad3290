"""Starting the demo: ``onewindow --demo`` prepares the store and seeds it the first time.

The front window (W01) holds the seeded demo centre. The demo's other workstations (W02, the
proxy laptop V01) get the same centre — catalogue, settings, the demo accounts — but no cases
of their own: they take W01's from the demo county at their first sync (``app.demo.county``),
as a second PC of a real centre would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from app import settings
from app.demo.centre import prepare_demo
from app.errors import ValidationError
from db.models import Case, User
from db.store import Store

if TYPE_CHECKING:
    from app.demo.seed import SeedReport

SEEDING_WORKSTATION = "W01"


def ensure_demo_centre(
    store: Store,
    *,
    cases: int | None = None,
    workstation: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SeedReport | None:
    """For ``onewindow --demo``: prepare the demo store, and seed the centre the first time.

    ``workstation``: the demo workstation this store is (None: the one it already is, W01 for a
    new store); a store made for one workstation is not reopened as another. Returns the report
    when it seeded, None when the store already had cases or is not W01 (then only the
    catalogue, settings and demo accounts are checked). Seeding takes tens of seconds for 300
    cases: call it off the UI thread. The seeder (and what it imports) loads only when there is
    seeding to do.
    """
    with store.reader() as session:
        has_cases = session.scalar(select(Case.id).limit(1)) is not None
        is_new = not has_cases and not session.scalar(select(func.count()).select_from(User))
        current = settings.WORKSTATION_CODE.get(session)
    if workstation is not None and workstation != current:
        if not is_new:
            raise ValidationError(
                "工作站",
                f"该演示数据目录属于工作站 {current}，不能作为工作站 {workstation} 打开；"
                "请去掉 --data-dir 以新建一个，或用 --workstation "
                f"{current} 打开它。",
            )
        with store.session() as session, session.begin():
            settings.WORKSTATION_CODE.set(session, workstation)
        current = workstation
    if has_cases:
        prepare_demo(store)
        return None
    if current != SEEDING_WORKSTATION:
        _prepare_second_workstation(store)
        return None
    from app.demo.seed import DEFAULT_CASES, seed_demo_centre

    return seed_demo_centre(store, cases=cases or DEFAULT_CASES, progress=progress)


def _prepare_second_workstation(store: Store) -> None:
    """The demo centre without cases: they come from the county. The demo accounts are made
    here too, so people sign in before the first sync (which then brings the county's copy)."""
    from app.demo.users import seed_demo_users

    prepare_demo(store)
    with store.session() as session, session.begin():
        seed_demo_users(session)
