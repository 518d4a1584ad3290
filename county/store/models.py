"""The county's tables. Its own metadata: it shares no table with a workstation's store.

``case_actions`` is the confirmed log: one row per applied operation, in county sequence per
case; its ``id`` orders the change feed that workstations pull. An operation is known by its
``op_id`` for ever, with the answer it got, so a repeat gets the same answer however late.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, MetaData, String, UniqueConstraint, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from county.seals import new_key
from db.base import NAMING_CONVENTION, UTCDateTime, utcnow

CENTRE_SCOPE, PROXY_SCOPE = "centre", "proxy"


class CountyBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Meta(CountyBase):
    """One row: the store's epoch (a restore from backup changes it) and its seal key."""

    __tablename__ = "county_meta"

    id: Mapped[int] = mapped_column(primary_key=True)
    epoch: Mapped[str] = mapped_column(String(36))
    county_name: Mapped[str] = mapped_column(String(200))
    # The key of the county's seal on its own actions (``county/seals.py``).
    seal_key: Mapped[str] = mapped_column(String(64), default=new_key)


class Centre(CountyBase):
    """A town's 便民服务中心, known by its 区划代码 (the town code of its 收件号)."""

    __tablename__ = "centres"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    official_serial_prefix: Mapped[str] = mapped_column(String(8), default="")


class Workstation(CountyBase):
    """A PC of a centre. Its secret is kept hashed; the activation code is one-time."""

    __tablename__ = "workstations"
    __table_args__ = (UniqueConstraint("centre_code", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_code: Mapped[str] = mapped_column(ForeignKey("centres.code"))
    code: Mapped[str] = mapped_column(String(40))  # W01, V01…
    activation_hash: Mapped[str | None] = mapped_column(String(64))
    secret_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "centre": a window or back-office PC, pulls the whole centre; "proxy": a proxy agent's
    # laptop, pulls only the filings made on it, its proxies' accounts and authorizations.
    scope: Mapped[str] = mapped_column(String(10), default=CENTRE_SCOPE, server_default="centre")


class Account(CountyBase):
    """A centre's account, held by the county and cached by its workstations."""

    __tablename__ = "accounts"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    centre_code: Mapped[str] = mapped_column(ForeignKey("centres.code"))
    display_name: Mapped[str] = mapped_column(String(100))
    roles: Mapped[list[str]] = mapped_column(JSON)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())


class ItemVersion(CountyBase):
    """One published version of an item, as the catalogue carries it (its rules judge actions)."""

    __tablename__ = "item_versions"
    __table_args__ = (UniqueConstraint("code", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    implementation_code: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


class CatalogueRelease(CountyBase):
    """A catalogue the county published, whole, as the workstation's loader validates it: to
    every centre of the county (``centre_code`` None) or to one. A centre takes the newest
    release addressed to it or to all; ``id`` is the order they were published in."""

    __tablename__ = "catalogue_releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_code: Mapped[str | None] = mapped_column(ForeignKey("centres.code"), index=True)
    catalog_version: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by: Mapped[str] = mapped_column(String(64))


class PublishedYear(CountyBase):
    """A year's holidays and adjusted workdays as the county published them to all its centres
    (``app.workcalendar.YearTable``'s JSON form); publishing the year again replaces it."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    table: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by: Mapped[str] = mapped_column(String(64))


class CountyCase(CountyBase):
    """A case as the county knows it: its identity, its numbers, where its log stands."""

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_centre_code_opened_at", "centre_code", "opened_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    centre_code: Mapped[str] = mapped_column(ForeignKey("centres.code"), index=True)
    receipt_no: Mapped[str] = mapped_column(String(40), index=True)
    official_no: Mapped[str | None] = mapped_column(String(64), unique=True)
    item_version_id: Mapped[int] = mapped_column(ForeignKey("item_versions.id"))
    template_key: Mapped[str] = mapped_column(String(100))
    template_version: Mapped[int]
    seq: Mapped[int] = mapped_column(default=0)  # the last county sequence
    state: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_at: Mapped[str | None] = mapped_column(String(40))  # the workstation it was opened at
    # SHA-256 of the case's uid and its 查询密码 (the progress page checks it; None: no password).
    query_hash: Mapped[str | None] = mapped_column(String(64))


class CaseActionRow(CountyBase):
    """A confirmed action: the envelope as applied, with its county sequence."""

    __tablename__ = "case_actions"
    __table_args__ = (
        UniqueConstraint("case_id", "county_seq"),
        Index("ix_case_actions_centre_id", "centre_code", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)  # the change feed's order
    op_id: Mapped[str] = mapped_column(String(36), unique=True)
    payload_hash: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    centre_code: Mapped[str] = mapped_column(String(12))
    county_seq: Mapped[int]
    envelope: Mapped[dict[str, Any]] = mapped_column(JSON)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NumberHold(CountyBase):
    """A workstation yet to give back the 办件编号 it holds, since the county was restored from a
    backup: while a centre has one, the county issues that centre no new number
    (``county/numbers.py``)."""

    __tablename__ = "number_holds"

    centre_code: Mapped[str] = mapped_column(ForeignKey("centres.code"), primary_key=True)
    workstation_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GivenNumber(CountyBase):
    """A 办件编号 a workstation gave back after a restore, under the county's seal: the case
    keeps it whenever its actions come back, and no other case is given it."""

    __tablename__ = "given_numbers"

    official_no: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_uid: Mapped[str] = mapped_column(String(36), unique=True)
    centre_code: Mapped[str] = mapped_column(ForeignKey("centres.code"))
    given_by: Mapped[str] = mapped_column(String(40))  # the workstation
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProxyAuthorizationRow(CountyBase):
    """代办委托: a resident's signed authorization of a proxy agent, registered from the
    workstation it was signed at and taken down by every workstation of the centre (the window
    that delivers to the proxy checks it)."""

    __tablename__ = "proxy_authorizations"

    id: Mapped[int] = mapped_column(primary_key=True)  # the order workstations take them down in
    authorization_no: Mapped[str] = mapped_column(String(40), unique=True)
    centre_code: Mapped[str] = mapped_column(ForeignKey("centres.code"), index=True)
    workstation: Mapped[str] = mapped_column(String(40))  # where it was signed
    proxy: Mapped[str] = mapped_column(String(64))  # the proxy agent's username
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)  # resident, matters, dates, may_collect
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Staff(CountyBase):
    """A member of the county's staff (县级审批人员): signs in for county-level work over HTTP.
    No town account: the centres never see these."""

    __tablename__ = "county_staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))  # Argon2id
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StaffToken(CountyBase):
    """A staff member's sign-in: the bearer token's SHA-256 (never the token) and its expiry."""

    __tablename__ = "county_staff_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("county_staff.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CountyAuditRow(CountyBase):
    """Who did which county-level write, and when (append-only)."""

    __tablename__ = "county_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))  # the staff member's username
    action: Mapped[str] = mapped_column(String(40))  # signin, case.decide, account.issue…
    subject: Mapped[str] = mapped_column(String(100))  # the case's number, the account…
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


class AppliedOp(CountyBase):
    """An operation other than a case action (an account operation, a proxy authorization) the
    county applied: known by its op_id for ever, so a repeat is answered ``replayed`` and the same
    op_id with another payload is refused (a case action's op_id is kept in ``case_actions``)."""

    __tablename__ = "applied_ops"

    op_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload_hash: Mapped[str] = mapped_column(String(64))
    centre_code: Mapped[str] = mapped_column(ForeignKey("centres.code"))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CountyEvaluation(CountyBase):
    """好差评: one rating of a case of a centre — at a window (from the workstation) or by phone
    (the progress page) — numbered per case in the county's order (评价次数, ``assess_number``),
    with its 差评 rectification task's state and steps. ``feed_seq`` orders the feed the centre's
    workstations take down; it moves on each change (a new step)."""

    __tablename__ = "evaluations"
    __table_args__ = (
        UniqueConstraint("case_id", "assess_number"),
        UniqueConstraint("service_op_id", "channel"),  # one window rating per service
        Index("ix_evaluations_centre_feed", "centre_code", "feed_seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    centre_code: Mapped[str] = mapped_column(ForeignKey("centres.code"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    assess_number: Mapped[int]
    service_op_id: Mapped[str | None] = mapped_column(String(36))
    channel: Mapped[str] = mapped_column(String(10))
    level: Mapped[int]  # GB/T 39046 A.8: 1 = 非常满意
    terms: Mapped[dict[str, Any]] = mapped_column(JSON)  # app.evaluations.wire.EvaluationTerms
    task_state: Mapped[str | None] = mapped_column(String(20))  # None: not a 差评
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # TakenStep
    feed_seq: Mapped[int]
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
