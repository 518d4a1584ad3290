"""The catalogue as the county publishes it: one row per item version, the item as published (its
rules judge every action of the cases filed under it)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.schema import Catalog
from county.store.models import ItemVersion


def publish_items(session: Session, catalog: Catalog) -> int:
    """Add the catalogue's item versions the county does not hold yet; returns how many."""
    stored = session.execute(select(ItemVersion.code, ItemVersion.content_hash))
    known = {(code, digest) for code, digest in stored}
    added = 0
    for item in catalog.items:
        digest = item.content_hash()
        if (item.code, digest) in known:
            continue
        session.add(
            ItemVersion(
                code=item.code,
                content_hash=digest,
                implementation_code=item.implementation_code,
                detail=item.model_dump(mode="json"),
            )
        )
        added += 1
    return added
