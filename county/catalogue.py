"""The catalogue as the county publishes it.

``item_versions``: one row per item version, the item as published (its rules judge every action
of the cases filed under it). ``catalogue_releases``: whole catalogues published to the county's
centres — to every centre, or to one — which workstations take down at their next sync
(``GET /v1/catalogue``). A centre takes the newest release addressed to it or to all.

Publishing is a plain function for every way in (the command line, the staff's HTTP interface):
bad input raises an :class:`app.errors.AppError` with a Chinese message, and the caller's
transaction writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.catalog.schema import Catalog, FormTemplate
from app.catalog.service import catalog_digest
from app.errors import CatalogRejected, ValidationError
from app.sync.protocol import CatalogueAnswer, PublishedCatalogue
from county.store.models import CatalogueRelease, Centre, ItemVersion

#: Who published, when the caller names nobody (the command line run by the county's IT).
COUNTY_PUBLISHER = "county-staff"
_VERSION_WIDTH = 64  # catalogue_releases.catalog_version, as the workstation's column


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


@dataclass(frozen=True)
class CataloguePublication:
    """What a publication did: the release the centres will take, and whether it is new."""

    release: int
    catalog_version: str
    centre: str | None  # None: every centre of the county
    items_added: int  # item versions the county did not hold before
    new: bool  # False: the same catalogue was already the newest for that scope

    def line(self) -> str:
        scope = f"便民服务中心 {self.centre} " if self.centre else "全县各便民服务中心"
        if not self.new:
            return (
                f"事项目录 {self.catalog_version} 已是{scope}最新发布的目录"
                f"（第 {self.release} 号），未做任何更改。"
            )
        return (
            f"已向{scope}发布事项目录 {self.catalog_version}（第 {self.release} 号，"
            f"新增事项版本 {self.items_added} 个），各工作站下次同步时载入。"
        )


def publish_catalogue(
    session: Session, catalog: Catalog, centre: str | None = None, *, by: str = COUNTY_PUBLISHER
) -> CataloguePublication:
    """Publish a validated catalogue (``app.catalog.loader.load_catalog``) to every centre of the
    county (``centre`` None) or to one, in the caller's transaction. Cases already filed keep
    their item versions (the county keeps every version); new cases take the published ones.

    Raises ``ValidationError`` (an unknown centre, a version label too long) or
    ``CatalogRejected`` (a form template version published before with other content).
    """
    scope = _scope(session, centre)
    if len(catalog.catalog_version) > _VERSION_WIDTH:
        raise ValidationError(
            "catalog_version", f"目录版本号（catalog_version）不能超过 {_VERSION_WIDTH} 个字符"
        )
    _check_templates(session, catalog)
    digest = catalog_digest(catalog)
    newest = _newest(session, scope)
    if newest is not None and newest.centre_code == scope and newest.content_hash == digest:
        return CataloguePublication(newest.id, catalog.catalog_version, scope, 0, False)
    added = publish_items(session, catalog)
    release = CatalogueRelease(
        centre_code=scope,
        catalog_version=catalog.catalog_version,
        content_hash=digest,
        content=catalog.model_dump(mode="json"),
        published_by=by,
    )
    session.add(release)
    session.flush()
    return CataloguePublication(release.id, catalog.catalog_version, scope, added, True)


def catalogue_answer(session: Session, centre: str, have: int) -> CatalogueAnswer:
    """``GET /v1/catalogue``: the release for ``centre`` that follows the one the workstation
    has (``have``: its release number, 0 for none), or none when it has the newest.

    One at a time, oldest first, rather than the newest alone: a workstation activated after the
    catalogue changed must hold the item versions older cases were filed under (it pulls those
    cases), so it installs every release in turn and ends with the newest in force."""
    newest = _newest(session, centre)
    if newest is None:
        return CatalogueAnswer(release=0, catalogue=None)
    following = session.scalars(
        select(CatalogueRelease)
        .where(
            CatalogueRelease.id > have,
            or_(CatalogueRelease.centre_code.is_(None), CatalogueRelease.centre_code == centre),
        )
        .order_by(CatalogueRelease.id)
        .limit(1)
    ).first()
    if following is None:
        return CatalogueAnswer(release=newest.id, catalogue=None)
    return CatalogueAnswer(
        release=newest.id,
        catalogue=PublishedCatalogue(
            release=following.id,
            catalog_version=following.catalog_version,
            content_hash=following.content_hash,
            content=following.content,
        ),
    )


def _scope(session: Session, centre: str | None) -> str | None:
    if centre is None:
        return None
    code = centre.strip()
    if session.get(Centre, code) is None:
        raise ValidationError("centre", f"县级库中没有区划代码为 {code} 的便民服务中心。")
    return code


def _newest(session: Session, centre: str | None) -> CatalogueRelease | None:
    """The newest release ``centre`` takes (its own or the county's); with no centre, the newest
    of any scope (what a county-wide publication must follow to reach every centre)."""
    query = select(CatalogueRelease).order_by(CatalogueRelease.id.desc()).limit(1)
    if centre is not None:
        query = query.where(
            or_(CatalogueRelease.centre_code.is_(None), CatalogueRelease.centre_code == centre)
        )
    return session.scalars(query).first()


def _check_templates(session: Session, catalog: Catalog) -> None:
    """A form template version never changes once published (cases were filed on it)."""
    published: dict[tuple[str, int], str] = {}
    for content in session.scalars(select(CatalogueRelease.content)):
        for raw in content.get("templates", []):
            key = (raw["id"], raw["version"])
            if key not in published:
                published[key] = FormTemplate.model_validate(raw).content_hash()
    problems = [
        f"表单模板 {t.id} 第 {t.version} 版：内容与此前发布的同版本不同；"
        "模板版本不可修改，请提高版本号"
        for t in catalog.templates
        if published.get((t.id, t.version), t.content_hash()) != t.content_hash()
    ]
    if problems:
        raise CatalogRejected(problems)
