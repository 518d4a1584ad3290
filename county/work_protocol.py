"""The requests and answers of county-level work over HTTP (``county/api_county.py``): a staff
member signs in, reads the queue of reported cases, decides or returns one, issues a centre's
account. Only the county's staff use them (a county desk or script), so they live here, not in
``app/sync/protocol.py``.

A refusal is HTTP 401/403/404/409/422 with ``{"detail": {"code", "message"[, "field"]}}``: a code
for programs, a Chinese message for people (naming the field when the input was at fault).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Wire(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Refusal(_Wire):
    code: str  # E401-SIGNIN, E403-WORKSTATION, E422-FIELD…
    message: str  # Chinese, for the person
    field: str | None = None  # the field at fault, when the input was


class Refused(_Wire):
    detail: Refusal


class SignInRequest(_Wire):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=128)


class SignInAnswer(_Wire):
    token: str  # sent as ``Authorization: Bearer <token>``; the county keeps its digest only
    expires_at: dt.datetime
    username: str
    display_name: str


class CaseSummary(_Wire):
    """A case as the county's queue lists it."""

    uid: str
    centre: str
    receipt_no: str  # 收件号
    official_no: str | None  # 办件编号
    item_code: str
    item_name: str
    state: str
    seq: int  # the case's last county sequence
    last_action_at: dt.datetime | None  # when the county applied its last action (the report)


class CaseQueue(_Wire):
    cases: list[CaseSummary]


class DecisionRequest(_Wire):
    """准予 (approved) or 不予 (denied); a denial needs its reasons in ``opinion``."""

    result: Literal["approved", "denied"]
    opinion: str = Field(default="", max_length=1000)
    result_no: str = Field(default="", max_length=64)  # 结果文号


class ReturnRequest(_Wire):
    """Back to the town's review, with the reason the town reads."""

    reason: str = Field(max_length=1000)


class CaseActionDone(_Wire):
    """The county's action applied: where the case now stands."""

    receipt_no: str
    official_no: str | None
    state: str
    county_seq: int


class IssueAccountRequest(_Wire):
    """A centre's account, issued by the county (town roles only; the person changes the initial
    password at first sign-in)."""

    centre: str = Field(min_length=1, max_length=12)  # the centre's town code (区划代码)
    username: str = Field(min_length=1, max_length=64)
    display_name: str = Field(min_length=1, max_length=100)
    roles: list[str] = Field(min_length=1, max_length=6)
    password: str = Field(min_length=1, max_length=128)  # the initial password


class AccountIssued(_Wire):
    centre: str
    username: str
    display_name: str
    roles: list[str]
    must_change_password: bool


class PublishCatalogueRequest(_Wire):
    """A whole catalogue, in the format of a catalogue file (``docs/catalog.schema.json``), to
    every centre of the county (``centre`` null) or to one."""

    centre: str | None = Field(default=None, max_length=12)
    catalogue: dict[str, Any]


class CataloguePublished(_Wire):
    release: int  # the release number the centres take down
    catalog_version: str
    centre: str | None
    items_added: int  # item versions the county did not hold before
    new: bool  # False: the same catalogue was already the newest for that scope


class PublishYearRequest(_Wire):
    """A year's holidays and adjusted workdays to every centre: ``table`` in the format of
    ``onewindow calendar add-year``'s file, or null for the year as the program knows it."""

    year: int
    table: dict[str, Any] | None = None


class YearPublished(_Wire):
    year: int
    holidays: int
    workdays: int
    source: str
    new: bool  # False: the county had published this very table already
