"""The catalogue the county published for this centre, taken down at every sync and put in force
through the same install as a catalogue loaded from files (``install_catalog``), audited.

Item versions are never edited: a case filed under an older version keeps it (and its promised
limit, steps and materials) for ever; new cases take the version now in force. A release this
workstation has is not sent again (``since``: the county's release number it installed last).
"""

from __future__ import annotations

from pydantic import ValidationError as SchemaError
from sqlalchemy import select

from app import settings
from app.audit import AuditEvent, record
from app.catalog.schema import Catalog
from app.catalog.service import catalog_digest, install_catalog
from app.errors import CatalogRejected
from app.sync.protocol import PublishedCatalogue
from app.sync.transport import Transport
from db.models import CatalogRelease
from db.store import Store

#: Who put what the county published in force, in this store's audit log and rows.
COUNTY_ACTOR = "county"


def pull_catalogue(store: Store, transport: Transport) -> bool:
    """Install the county's releases for this centre that this workstation has not, oldest
    first (each in its own transaction), so the newest ends in force and the item versions older
    cases were filed under are here too; returns whether a catalogue was installed. A release
    that does not validate here raises ``CatalogRejected`` and the catalogue in force stays."""
    installed = False
    while True:
        with store.reader() as session:
            have = settings.CATALOGUE_RELEASE.get(session)
        published = transport.catalogue(have).catalogue
        if published is None:
            return installed
        installed = _install(store, published) or installed


def _install(store: Store, published: PublishedCatalogue) -> bool:
    catalog = _validated(published)
    with store.session() as session, session.begin():
        newest = session.scalars(select(CatalogRelease).order_by(CatalogRelease.id.desc())).first()
        installed = newest is None or newest.content_hash != published.content_hash
        if installed:
            release = install_catalog(session, catalog, COUNTY_ACTOR)
            record(
                session,
                actor=COUNTY_ACTOR,
                workstation=settings.WORKSTATION_CODE.get(session),
                event=AuditEvent.CATALOG_LOADED,
                subject=f"catalog:{release.catalog_version}"[:100],
                detail={
                    "release_id": release.id,
                    "items": release.item_count,
                    "templates": release.template_count,
                    "county_release": published.release,
                },
            )
        settings.CATALOGUE_RELEASE.set(session, published.release)
    return installed


def _validated(published: PublishedCatalogue) -> Catalog:
    where = f"县级发布的事项目录（第 {published.release} 号，{published.catalog_version}）"
    try:
        catalog = Catalog.model_validate(published.content)
    except SchemaError as error:
        problems = [
            f"{where}：{'.'.join(map(str, e['loc']))}：{e['msg']}"
            for e in error.errors(include_url=False)
        ]
        raise CatalogRejected(problems) from error
    if catalog_digest(catalog) != published.content_hash:
        raise CatalogRejected([f"{where}：内容与其校验值不符（传输中损坏或被篡改）"])
    return catalog
