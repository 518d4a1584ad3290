"""The embedded demo centre: a store in a fresh directory, the bundled catalogue, settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import select

from app import settings
from app.paths import DEMO_KEY_FILE, demo_key_file
from db.models import Case, CatalogRelease
from db.store import Store

if TYPE_CHECKING:
    from app.demo_seed import SeedReport

__all__ = ["DEMO_KEY_FILE", "demo_key_file", "ensure_demo_centre", "prepare_demo"]

DEMO_CENTRE_NAME = "示例县清河镇便民服务中心"
DEMO_USER = "demo"
DEMO_TOWN_CODE = "511899101000"  # invented, like the demo town (docs/catalog.md)


def prepare_demo(store: Store) -> None:
    """Fill an empty demo store with the bundled catalogue and centre settings (idempotent)."""
    with store.session() as session, session.begin():
        if session.scalars(select(CatalogRelease)).first() is None:
            # The catalogue's pydantic schema and pinyin tables load only when they are needed.
            from app.catalog.loader import bundled_catalog
            from app.catalog_service import install_catalog

            install_catalog(session, bundled_catalog(), loaded_by=DEMO_USER)
        settings.CENTRE_NAME.set(session, DEMO_CENTRE_NAME)
        settings.TOWN_CODE.set(session, DEMO_TOWN_CODE)


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
    from app.demo_seed import DEFAULT_CASES, seed_demo_centre

    return seed_demo_centre(store, cases=cases or DEFAULT_CASES, progress=progress)
