"""Thin adapters from the views to the use cases: one Session per call, plain data out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app import catalog_service
from app.catalog_service import CatalogStatus, ItemDetail, ItemSummary
from db.store import Store


class CatalogAccess:
    def __init__(self, store: Store, actor: str) -> None:
        self._store = store
        self._actor = actor

    def items(self) -> list[ItemSummary]:
        with self._store.reader() as session:
            return catalog_service.items_in_force(session)

    def status(self) -> CatalogStatus | None:
        with self._store.reader() as session:
            return catalog_service.catalog_status(session)

    def detail(self, item_id: int) -> ItemDetail:
        with self._store.reader() as session:
            return catalog_service.item_detail(session, item_id)

    def centre_name(self) -> str:
        with self._store.reader() as session:
            return catalog_service.centre_name(session)

    def load(self, paths: Sequence[Path]) -> CatalogStatus:
        """Raises ``CatalogRejected`` (nothing changed) when any file has a problem."""
        with self._store.session() as session:
            return catalog_service.load_catalog_files(session, paths, self._actor)
