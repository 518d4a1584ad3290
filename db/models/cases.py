"""Applicants, cases (办件), their append-only action log, materials received and printed documents.

``case_actions`` is append-only (SQLite triggers refuse UPDATE and DELETE); the columns on ``cases``
are a projection of that log, rebuilt by folding the actions (the workflow issue proves it).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, UTCDateTime, utcnow


class Applicant(Base):
    """申请人: a natural person (姓名 + 身份证号) or a legal person (名称 + 统一社会信用代码)."""

    __tablename__ = "applicants"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # natural | legal
    name: Mapped[str] = mapped_column(String(200), index=True)
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    legal_representative: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(30))
    address: Mapped[str | None] = mapped_column(String(300))
    division_code: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProxyAuthorization(Base):
    """代办委托: a resident authorises a proxy agent for named matters over a period."""

    __tablename__ = "proxy_authorizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    authorization_no: Mapped[str] = mapped_column(String(40), unique=True)
    proxy_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"), index=True)
    matters: Mapped[list[str]] = mapped_column(JSON)  # item codes, or ["*"] is NOT allowed (权限)
    may_collect: Mapped[bool] = mapped_column(default=True)  # may collect results (代领)
    valid_from: Mapped[date]
    valid_until: Mapped[date]
    signed_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Case(Base):
    """办件: one application, as currently projected from its actions."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_state_due", "state", "due_date"),
        Index("ix_cases_state_category_due", "state", "category", "due_date"),
        Index("ix_cases_assignee_state", "assignee_id", "state"),
        # A proxy's queue: their filings by due date (measured at 1M cases: p95 234 -> 14 ms).
        Index("ix_cases_proxy_due", "proxy_user_id", "due_date"),
        Index("ix_cases_deficiency_state", "deficiency", "state", "deficiency_due"),  # figures
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The case's global identity (UUIDv7), made here and never changed: the same on every
    # machine, unlike ``id``, which is this store's own.
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    # 收件号: provisional, made offline (town code + workstation + date + serial); never collides.
    receipt_no: Mapped[str] = mapped_column(String(40), unique=True)
    # 办件编号 issued by the county on sync; replaces the receipt number on documents.
    official_no: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The county's seal on it: after the county is restored from an older backup, this
    # workstation gives the number back with it (``app/sync/give_back.py``).
    official_no_seal: Mapped[str | None] = mapped_column(String(64))
    # 查询密码: printed on the receipts with the case number; with it the resident follows the
    # case on the county's progress page and rates it by phone (from the opening action).
    query_password: Mapped[str | None] = mapped_column(String(12))
    # The item version and template version the case was filed under, for ever.
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    category: Mapped[str] = mapped_column(String(50))  # the item's, for queues by category
    template_id: Mapped[int] = mapped_column(ForeignKey("form_templates.id"))
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"), index=True)
    proxy_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    authorization_id: Mapped[int | None] = mapped_column(ForeignKey("proxy_authorizations.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    workstation: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(30), index=True)
    state_before_suspension: Mapped[str | None] = mapped_column(String(30))
    current_step: Mapped[int | None]
    deficiency: Mapped[bool] = mapped_column(default=False)  # 容缺 flag
    deficiency_due: Mapped[date | None]  # 容缺 materials to be supplied by this day
    result: Mapped[str | None] = mapped_column(String(20))  # approved | denied
    result_no: Mapped[str | None] = mapped_column(String(64))
    form_data: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_on: Mapped[date | None]
    due_date: Mapped[date | None]
    due_provisional: Mapped[bool] = mapped_column(default=False)
    extension_days: Mapped[int] = mapped_column(default=0)
    # 收件→受理 watchdog: a received case must be accepted, refused or told what to supplement
    # by this working day (行政许可法 §32).
    watchdog_due: Mapped[date | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    last_action_seq: Mapped[int] = mapped_column(default=0)

    actions: Mapped[list[CaseAction]] = relationship(
        back_populates="case", order_by="CaseAction.seq", viewonly=True
    )
    # Set with a new applicant, so one flush writes both (the pull opening a page's cases).
    applicant: Mapped[Applicant] = relationship()


class CaseAction(Base):
    """办件操作: one thing done to a case. Append-only.

    Its payload holds global references only (usernames, authorization numbers), never this
    store's integer ids, so the same action means the same on every machine.
    """

    __tablename__ = "case_actions"
    __table_args__ = (
        UniqueConstraint("case_id", "seq"),
        # the supervisor's figures: a period's actions, their window and person, from the index
        Index(
            "ix_case_actions_action_at", "action", "occurred_at", "case_id", "workstation", "actor"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The operation's global id: the outbox row's op_id for an action taken here.
    op_id: Mapped[str] = mapped_column(String(36), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    seq: Mapped[int]
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(64))  # username
    actor_role: Mapped[str] = mapped_column(String(20))
    workstation: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)

    case: Mapped[Case] = relationship(back_populates="actions")


class MaterialReceived(Base):
    """A material the window received for a case (or, under 容缺, is still waiting for)."""

    __tablename__ = "materials_received"
    __table_args__ = (UniqueConstraint("case_id", "material_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    material_key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    form: Mapped[str] = mapped_column(String(20))
    copies: Mapped[int]
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pending: Mapped[bool] = mapped_column(default=False)  # 容缺: still to be supplied
    due_on: Mapped[date | None]
    notes: Mapped[str | None] = mapped_column(Text)


class PrintedDocument(Base):
    """文书: the exact bytes of every printed or saved document, with their SHA-256."""

    __tablename__ = "printed_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    doc_type: Mapped[str] = mapped_column(String(40))
    reprint: Mapped[bool] = mapped_column(default=False)  # 补打
    # The case number it printed: the county's 办件编号, else the 收件号 (None: archived before
    # this was kept, on a case the county has numbered since — which of the two is unknown).
    case_no: Mapped[str | None] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    printed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    workstation: Mapped[str] = mapped_column(String(40))
    printed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
