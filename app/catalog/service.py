"""Use cases over the catalogue in force: install a validated catalogue, list and describe items.

Installing is all-or-nothing: the files are validated first (``app.catalog.loader``), then written
in one transaction; any problem — including a template version that changed content — refuses the
whole catalogue and leaves the one in force untouched.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.actor import Actor
from app.audit import AuditEvent, authorize, record_for
from app.catalog.loader import load_catalog
from app.catalog.schema.catalog import Catalog
from app.catalog.schema.items import Item as CatalogItem
from app.errors import CatalogRejected
from app.permissions import Permission
from app.units.declare import reads, writes
from db.models import CatalogRelease, FormTemplateVersion, Item, ItemMaterial, ItemStep

UNIT_TEXT = {"working": "个工作日", "natural": "个自然日"}
LEVEL_TEXT = {"town": "乡镇", "county": "县级"}
ROLE_TEXT = {
    "clerk": "窗口受理员",
    "approver": "后台审批人员",
    "supervisor": "中心负责人",
    "county": "县级部门",
}


@dataclass(frozen=True)
class ItemSummary:
    item_id: int
    code: str
    name: str
    pinyin_initials: str
    category: str
    item_type: str
    handling_kind: str
    promised_limit: str
    legal_limit: str
    material_count: int
    levels: str


@dataclass(frozen=True)
class ItemDetail:
    summary: ItemSummary
    facts: list[tuple[str, str]]
    materials: list[tuple[str, str, str, str, str]]
    steps: list[tuple[str, str, str, str]]


@dataclass(frozen=True)
class CatalogStatus:
    catalog_version: str
    issuer: str
    loaded_at: datetime
    item_count: int
    template_count: int


def limit_text(days: int, unit: str) -> str:
    if days == 0:
        return "即办（当场办结）"
    return f"{days}{UNIT_TEXT.get(unit, unit)}"


def catalog_digest(catalog: Catalog) -> str:
    canonical = json.dumps(catalog.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def install_catalog(session: Session, catalog: Catalog, loaded_by: str) -> CatalogRelease:
    """Write a validated catalogue inside the caller's transaction (the caller commits)."""
    _check_template_immutability(session, catalog)
    release = CatalogRelease(
        catalog_version=catalog.catalog_version,
        issuer=catalog.issuer,
        published_at=catalog.published_at,
        content_hash=catalog_digest(catalog),
        item_count=len(catalog.items),
        template_count=len(catalog.templates),
        loaded_by=loaded_by,
    )
    session.add(release)
    session.flush()
    known = {
        (row.template_key, row.version) for row in session.scalars(select(FormTemplateVersion))
    }
    for template in catalog.templates:
        if (template.id, template.version) in known:
            continue
        session.add(
            FormTemplateVersion(
                template_key=template.id,
                version=template.version,
                title=template.title,
                content_hash=template.content_hash(),
                content=template.model_dump(mode="json"),
                release_id=release.id,
            )
        )
    _install_item_versions(session, catalog, release.id)
    session.flush()
    return release


def _install_item_versions(session: Session, catalog: Catalog, release_id: int) -> None:
    """Put each incoming item's version in force: the stored version with the same content, or a
    new one. Versions are never edited, so cases filed under an older one keep its rules; every
    other version of the code, and every code the catalogue dropped, is retired."""
    versions: dict[str, list[Item]] = {}
    for row in session.scalars(select(Item).order_by(Item.code, Item.version)):
        versions.setdefault(row.code, []).append(row)
    for rows in versions.values():
        for row in rows:
            row.active = False
    session.flush()  # retire before putting in force: at most one active version per code
    for item in catalog.items:
        digest = item.content_hash()
        stored = versions.get(item.code, [])
        same = next((row for row in stored if row.content_hash == digest), None)
        if same is not None:
            same.active = True
            continue
        row = Item(
            code=item.code,
            version=max((r.version for r in stored), default=0) + 1,
            content_hash=digest,
        )
        _fill_item(row, item, release_id)
        session.add(row)


def _check_template_immutability(session: Session, catalog: Catalog) -> None:
    stored = {
        (row.template_key, row.version): row.content_hash
        for row in session.scalars(select(FormTemplateVersion))
    }
    problems = [
        f"表单模板 {t.id} 第 {t.version} 版：内容与已在用的同版本不同；"
        "模板版本不可修改，请提高版本号"
        for t in catalog.templates
        if stored.get((t.id, t.version), t.content_hash()) != t.content_hash()
    ]
    if problems:
        raise CatalogRejected(problems)


def _fill_item(row: Item, item: CatalogItem, release_id: int) -> None:
    row.basic_code = item.basic_code
    row.implementation_code = item.implementation_code
    row.handling_code = item.handling_code
    row.name = item.name
    row.short_name = item.short_name or item.name
    row.pinyin_initials = item.pinyin_initials
    row.category = item.category
    row.item_type = str(item.item_type.value)
    row.handling_kind = str(item.handling_kind.value)
    row.legal_limit_days = item.legal_limit.days
    row.legal_limit_unit = str(item.legal_limit.unit.value)
    row.promised_limit_days = item.promised_limit.days
    row.promised_limit_unit = str(item.promised_limit.unit.value)
    row.warn_at_working_days = item.warn_at_working_days
    row.template_key = item.form_template.id
    row.template_version = item.form_template.version
    row.active = True
    row.detail = item.model_dump(mode="json")
    row.release_id = release_id
    row.materials = [
        ItemMaterial(
            position=i,
            material_key=m.id,
            name=m.name,
            form=str(m.form.value),
            copies=m.copies,
            required=m.required,
            deficiency_allowed=m.deficiency_allowed,
            notes=m.notes,
        )
        for i, m in enumerate(item.materials)
    ]
    row.steps = [
        ItemStep(
            position=i,
            step_key=s.id,
            name=s.name,
            role=str(s.role.value),
            level=str(s.level.value),
            time_limit_days=s.time_limit.days,
            time_limit_unit=str(s.time_limit.unit.value),
            warn_at_working_days=s.warn_at_working_days,
        )
        for i, s in enumerate(item.steps)
    ]


@reads
def catalog_status(session: Session) -> CatalogStatus | None:
    release = session.scalars(select(CatalogRelease).order_by(CatalogRelease.id.desc())).first()
    if release is None:
        return None
    return CatalogStatus(
        release.catalog_version,
        release.issuer,
        release.loaded_at,
        release.item_count,
        release.template_count,
    )


def _summary(item: Item, material_count: int) -> ItemSummary:
    levels = sorted({s.level for s in item.steps}, key=["town", "county"].index)
    return ItemSummary(
        item_id=item.id,
        code=item.code,
        name=item.name,
        pinyin_initials=item.pinyin_initials,
        category=item.category,
        item_type=item.item_type,
        handling_kind=item.handling_kind,
        promised_limit=limit_text(item.promised_limit_days, item.promised_limit_unit),
        legal_limit=limit_text(item.legal_limit_days, item.legal_limit_unit),
        material_count=material_count,
        levels="→".join(LEVEL_TEXT.get(level, level) for level in levels),
    )


@reads
def items_in_force(session: Session) -> list[ItemSummary]:
    counts: dict[int, int] = {
        item_id: count
        for item_id, count in session.execute(
            select(ItemMaterial.item_id, func.count()).group_by(ItemMaterial.item_id)
        )
    }
    items = session.scalars(
        select(Item)
        .where(Item.active.is_(True))
        .options(selectinload(Item.steps))
        .order_by(Item.category, Item.name)
    )
    return [_summary(item, counts.get(item.id, 0)) for item in items]


@reads
def item_detail(session: Session, item_id: int) -> ItemDetail:
    item = session.scalars(
        select(Item)
        .where(Item.id == item_id)
        .options(selectinload(Item.materials), selectinload(Item.steps))
    ).one()
    detail = item.detail
    fee = detail.get("fee") or {}
    facts = [
        ("事项类型", item.item_type),
        ("办件类型", item.handling_kind),
        ("法定时限", limit_text(item.legal_limit_days, item.legal_limit_unit)),
        ("承诺时限", limit_text(item.promised_limit_days, item.promised_limit_unit)),
        ("临近到期预警", _warn_text(item.warn_at_working_days)),
        ("收费", _fee_text(fee)),
        ("实施主体", str(detail.get("implementing_body", ""))),
        ("设定依据", "；".join(detail.get("legal_basis", []))),
        ("咨询电话", str(detail.get("consult_phone", ""))),
        ("投诉电话", str(detail.get("complaint_phone", ""))),
        ("表单模板", f"{item.template_key} 第 {item.template_version} 版"),
    ]
    materials = [
        (
            m.name,
            m.form,
            str(m.copies),
            "必要" if m.required else "非必要",
            "可容缺" if m.deficiency_allowed else "—",
        )
        for m in item.materials
    ]
    steps = [
        (
            s.name,
            LEVEL_TEXT.get(s.level, s.level),
            ROLE_TEXT.get(s.role, s.role),
            limit_text(s.time_limit_days, s.time_limit_unit)
            + (
                f"（剩 {s.warn_at_working_days} 个工作日预警）"
                if s.warn_at_working_days is not None
                else ""
            ),
        )
        for s in item.steps
    ]
    return ItemDetail(_summary(item, len(materials)), facts, materials, steps)


def _warn_text(days: int | None) -> str:
    if days is None:
        return "按本机设置（剩余几个工作日起黄色预警）"
    return f"到期前 {days} 个工作日起" if days else "到期当日"


def _fee_text(fee: dict[str, object]) -> str:
    if not fee or fee.get("free", True):
        return "不收费"
    return f"{fee.get('amount', '')}元（依据：{fee.get('basis', '')}）"


@writes
def load_catalog_as(session: Session, actor: Actor, paths: Sequence[Path]) -> CatalogStatus:
    """Validate catalogue files and make them the catalogue in force, audited; a bad catalogue
    raises ``CatalogRejected`` listing every problem and the one in force stays."""
    authorize(session, actor, Permission.CATALOG_LOAD)
    catalog = load_catalog(paths)
    with session.begin():
        release = install_catalog(session, catalog, actor.username)
        record_for(
            session,
            actor,
            AuditEvent.CATALOG_LOADED,
            f"catalog:{release.catalog_version}",
            {
                "release_id": release.id,
                "items": release.item_count,
                "templates": release.template_count,
                "files": [p.name for p in paths],
            },
        )
    status = catalog_status(session)
    assert status is not None
    return status
