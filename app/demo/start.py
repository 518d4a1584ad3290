"""Starting the demo: ``onewindow --demo`` prepares the store and seeds it the first time."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.demo.centre import prepare_demo
from db.models import Case
from db.store import Store

if TYPE_CHECKING:
    from app.demo.seed import SeedReport


def ensure_demo_centre(
    store: Store,
    *,
    cases: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SeedReport | None:
    """For ``onewindow --demo``: prepare the demo store, and seed the centre the first time.

    Returns the report when it seeded, None when the store already had cases (then only the
    catalogue and settings are checked, as :func:`prepare_demo` does). Seeding takes tens of
    seconds for 300 cases: call it off the UI thread. The seeder (and what it imports) loads
    only when there is seeding to do.
    """
    with store.reader() as session:
        has_cases = session.scalar(select(Case.id).limit(1)) is not None
    if has_cases:
        prepare_demo(store)
        return None
    from app.demo.seed import DEFAULT_CASES, seed_demo_centre

    return seed_demo_centre(store, cases=cases or DEFAULT_CASES, progress=progress)
