"""The catalogue browser wired to the store: the selected item's detail loads in the background,
and an answer overtaken by a later choice is dropped (a slow first answer must not overwrite
the item the clerk has since chosen)."""

from __future__ import annotations

from collections.abc import Callable

from app.catalog import service as catalog_service
from app.catalog.service import ItemDetail
from app.errors import AppError
from ui.backend import DeskBackend
from ui.catalog.view import CatalogView
from ui.worker import Runner


class CatalogBrowser(CatalogView):
    def __init__(
        self, runner: Runner, backend: DeskBackend, failed: Callable[[AppError], None]
    ) -> None:
        super().__init__()
        self._runner = runner
        self._backend = backend
        self._failed = failed
        self._wanted: int | None = None
        self.item_chosen.connect(self._request_detail)

    def _request_detail(self, item_id: int) -> None:
        self._wanted = item_id
        backend = self._backend
        self._runner.read(
            lambda: backend.lookup(catalog_service.item_detail, item_id),
            self._show_detail,
            self._failed,
            owner=self,
        )

    def _show_detail(self, detail: ItemDetail) -> None:
        if detail.summary.item_id == self._wanted:
            self.detail.show_detail(detail)
