"""Publishing to the centres over HTTP, for the county's staff: a whole catalogue (to every centre
or to one) and calendar years, through the same functions as ``onewindow-county
publish-catalogue`` / ``publish-calendar`` (``county.catalogue``, ``county.calendar_years``).
Each publication is audited at the county; the centres take it down at their next sync."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any, NoReturn

from fastapi import APIRouter, Request

from app.catalog.loader import load_catalog
from app.catalog.schema import Catalog
from app.errors import AppError, CatalogRejected, ValidationError
from app.workcalendar import YearTable
from county.audit import record
from county.calendar_years import publish_calendar_year
from county.catalogue import publish_catalogue
from county.staff_auth import StaffMember, county_store, refuse
from county.work_protocol import (
    CataloguePublished,
    PublishCatalogueRequest,
    PublishYearRequest,
    YearPublished,
)
from db.base import utcnow

UPLOADED = "上传的目录"  # how a problem's message names the catalogue sent


def publish_router() -> APIRouter:
    router = APIRouter()

    @router.post("/catalogue")
    def catalogue(
        body: PublishCatalogueRequest, request: Request, staff: StaffMember
    ) -> CataloguePublished:
        """Publish a catalogue: validated as a catalogue file is; cases already filed keep their
        item versions, new ones take the published."""
        catalog = _validated(body.catalogue)
        with county_store(request).sessions() as db, db.begin():
            try:
                done = publish_catalogue(db, catalog, body.centre, by=staff.username)
            except AppError as error:
                _refuse_app_error(error)
            if done.new:
                detail = {"release": done.release, "centre": done.centre}
                record(
                    db, staff.username, "catalogue.publish", done.catalog_version, detail, utcnow()
                )
        return CataloguePublished(
            release=done.release,
            catalog_version=done.catalog_version,
            centre=done.centre,
            items_added=done.items_added,
            new=done.new,
        )

    @router.post("/calendar-years")
    def calendar_year(
        body: PublishYearRequest, request: Request, staff: StaffMember
    ) -> YearPublished:
        """Publish a year's holidays and adjusted workdays to every centre (again: replaces)."""
        with county_store(request).sessions() as db, db.begin():
            try:
                table = None if body.table is None else YearTable.from_dict(body.table)
                done = publish_calendar_year(db, body.year, table, by=staff.username)
            except AppError as error:
                _refuse_app_error(error)
            if done.new:
                detail = {"holidays": done.holidays, "workdays": done.workdays}
                record(db, staff.username, "calendar.publish", str(done.year), detail, utcnow())
        return YearPublished(
            year=done.year,
            holidays=done.holidays,
            workdays=done.workdays,
            source=done.source,
            new=done.new,
        )

    return router


def _validated(document: dict[str, Any]) -> Catalog:
    """The catalogue sent, validated as a catalogue file is (the same loader and messages)."""
    with tempfile.TemporaryDirectory(prefix="onewindow-publish-") as folder:
        path = Path(folder) / "catalogue.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        try:
            return load_catalog([path])
        except CatalogRejected as rejected:
            problems = [p.replace(str(path), UPLOADED) for p in rejected.problems]
            _refuse_app_error(CatalogRejected(problems))


def _refuse_app_error(error: AppError) -> NoReturn:
    """Bad input to a publishing function: 422 with its code, naming the field if it did."""
    field = error.field if isinstance(error, ValidationError) else None
    refuse(422, f"E422-{error.code}", error.message, field)
