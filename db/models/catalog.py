"""The item catalogue in force (事项目录): items, their materials and steps, form template versions.

Loaded from a validated catalogue file (see ``app.catalog``). Item versions and template versions
are immutable: a reload that changes an item adds a new version of it and retires the old one, never
edits a row, because a case keeps the item version and template version it was filed under for
ever (its promised time limit and steps among them). An item missing from a later release has all
its versions retired, never deleted.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, UTCDateTime, utcnow


class CatalogRelease(Base):
    """One catalogue file set that was loaded (the newest is the one in force)."""

    __tablename__ = "catalog_releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    catalog_version: Mapped[str] = mapped_column(String(64))
    issuer: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[date | None]
    content_hash: Mapped[str] = mapped_column(String(64))
    item_count: Mapped[int]
    template_count: Mapped[int]
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    loaded_by: Mapped[str] = mapped_column(String(64))


class FormTemplateVersion(Base):
    """One immutable version of a form template (表单模板)."""

    __tablename__ = "form_templates"
    __table_args__ = (UniqueConstraint("template_key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_key: Mapped[str] = mapped_column(String(100))
    version: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    release_id: Mapped[int] = mapped_column(ForeignKey("catalog_releases.id"))


class Item(Base):
    """One immutable version of a delegated approval or service item (赋权事项).

    ``active`` marks the version in force (at most one per code, a partial unique index); older
    versions stay for the cases filed under them. ``content_hash`` is the version's identity on
    every machine (a catalogue carries no item version number); ``version`` counts this store's
    versions of the code, for people.
    """

    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("code", "version"),
        UniqueConstraint("code", "content_hash"),
        Index("uq_items_code_active", "code", unique=True, sqlite_where=text("active")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(default=1)
    content_hash: Mapped[str] = mapped_column(String(64))
    basic_code: Mapped[str | None] = mapped_column(String(64))
    implementation_code: Mapped[str | None] = mapped_column(String(64))
    handling_code: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), index=True)
    short_name: Mapped[str] = mapped_column(String(100))
    pinyin_initials: Mapped[str] = mapped_column(String(64), index=True)
    category: Mapped[str] = mapped_column(String(50), index=True)
    item_type: Mapped[str] = mapped_column(String(20))
    handling_kind: Mapped[str] = mapped_column(String(10))
    legal_limit_days: Mapped[int]
    legal_limit_unit: Mapped[str] = mapped_column(String(10))
    promised_limit_days: Mapped[int]
    promised_limit_unit: Mapped[str] = mapped_column(String(10))
    # 临近到期 for this item's cases: this many working days before the promised date (None: the
    # ``yellow_at_working_days`` setting). The version in force sets it for every version's cases.
    warn_at_working_days: Mapped[int | None]
    template_key: Mapped[str] = mapped_column(String(100))
    template_version: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)
    # The full validated item as published, for everything not worth a column (fee, basis, phones…).
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    release_id: Mapped[int] = mapped_column(ForeignKey("catalog_releases.id"))

    materials: Mapped[list[ItemMaterial]] = relationship(
        back_populates="item", order_by="ItemMaterial.position", cascade="all, delete-orphan"
    )
    steps: Mapped[list[ItemStep]] = relationship(
        back_populates="item", order_by="ItemStep.position", cascade="all, delete-orphan"
    )


class ItemMaterial(Base):
    """A material the applicant brings (办理材料)."""

    __tablename__ = "item_materials"
    __table_args__ = (UniqueConstraint("item_id", "material_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    material_key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    form: Mapped[str] = mapped_column(String(20))
    copies: Mapped[int]
    required: Mapped[bool]
    deficiency_allowed: Mapped[bool]
    notes: Mapped[str | None] = mapped_column(Text)

    item: Mapped[Item] = relationship(back_populates="materials")


class ItemStep(Base):
    """A workflow step of an item (办理环节), done in the town or by the county."""

    __tablename__ = "item_steps"
    __table_args__ = (UniqueConstraint("item_id", "step_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    step_key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(10))
    time_limit_days: Mapped[int]
    time_limit_unit: Mapped[str] = mapped_column(String(10))
    # Yellow this many working days before the step's time limit runs out (None: never yellow,
    # only 环节超时 once past it).
    warn_at_working_days: Mapped[int | None]

    item: Mapped[Item] = relationship(back_populates="steps")
