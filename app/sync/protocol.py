"""The county service's requests and answers (version 1), shared by both ends.

    POST /v1/activate   ActivationRequest → Activation        (no credential: the one-time code)
    POST /v1/ops        PushRequest → PushAnswer               (Authorization: Bearer <secret>)
    GET  /v1/changes    ?cursor=N&limit=M, X-OneWindow-Epoch → ChangesPage (410: epoch changed)
    GET  /v1/accounts   → Accounts                             (the centre's accounts, whole)
    GET  /v1/authorizations ?after=N&limit=M → Authorizations  (the centre's 代办委托, in order)
    GET  /v1/catalogue  ?since=N → CatalogueAnswer             (the newest release, unless N)
    GET  /v1/calendar   → CalendarYears                        (the years the county published)
    POST /v1/numbers    NumbersGiven → NumbersAnswer           (after a restore: numbers given back)

Every operation of a push gets its own answer, in order (the request itself is 200 when it was
read): ``applied`` (with the county sequence and the case's 办件编号), ``replayed`` (an op_id the
county has already applied: the stored answer), ``conflict`` (the case moved on since the
workstation's base sequence: HTTP's 409 in spirit, with the county's copy of the case), or
``rejected`` (malformed, forged, or refused by the transition table and guards: 422 in spirit,
with a code and a Chinese message), or ``held`` (it would give its case a 办件编号 while the
county, restored from a backup, waits for the centre's workstations to give back the numbers it
lost: ``county/numbers.py``; the workstation keeps it queued).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

EPOCH_HEADER = "X-OneWindow-Epoch"
MAX_BATCH = 500
MAX_NUMBERS = 2000  # 办件编号 given back in one request
Outcome = Literal["applied", "replayed", "conflict", "rejected", "held"]


class _Wire(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ActivationRequest(_Wire):
    centre: str = Field(min_length=1, max_length=12)
    workstation: str = Field(min_length=1, max_length=40)
    code: str = Field(min_length=1, max_length=64)


class Activation(_Wire):
    secret: str  # kept in the workstation's keyring; sent as a bearer token
    epoch: str
    county_name: str


class PushRequest(_Wire):
    ops: list[dict[str, Any]] = Field(max_length=MAX_BATCH)  # envelopes (app.outbox.envelope)


class ConfirmedAction(_Wire):
    """An action in the county's log: its envelope and the place the county gave it."""

    county_seq: int
    envelope: dict[str, Any]


class CaseCopy(_Wire):
    """The county's copy of a case, for a person to compare with the local one."""

    uid: str
    receipt_no: str
    official_no: str | None
    state: str
    seq: int
    actions: list[ConfirmedAction]


class OpAnswer(_Wire):
    op_id: str
    outcome: Outcome
    county_seq: int | None = None
    official_no: str | None = None
    number_seal: str | None = None  # the county's seal on the case's 办件编号 (county/seals.py)
    code: str | None = None
    message: str | None = None
    county_copy: CaseCopy | None = None


def rejected(op_id: str, code: str, message: str) -> OpAnswer:
    """The county's refusal of one operation: its code and the Chinese message."""
    return OpAnswer(op_id=op_id, outcome="rejected", code=code, message=message)


class PushAnswer(_Wire):
    answers: list[OpAnswer]


class Change(_Wire):
    """One confirmed action of a case in the workstation's scope, in feed order."""

    cursor: int
    county_seq: int
    official_no: str | None
    envelope: dict[str, Any]
    # The county's seal on its own action (None for a workstation's): a workstation gives the
    # action back, sealed, to a county restored from a backup that lacks it.
    seal: str | None = None
    # The county's seal on the case's 办件编号: the workstation gives the number back with it.
    number_seal: str | None = None


class ChangesPage(_Wire):
    epoch: str
    cursor: int  # pass it back for the next page
    more: bool
    changes: list[Change]


class PublishedCatalogue(_Wire):
    """A catalogue the county published (GET /v1/catalogue): whole, in the loader's form."""

    release: int  # the county's release number; the workstation passes it back as ``since``
    catalog_version: str
    content_hash: str  # app.catalog.service.catalog_digest of the content
    content: dict[str, Any]  # app.catalog.schema.Catalog as JSON


class CatalogueAnswer(_Wire):
    release: int  # the newest release for the workstation's centre (0: none yet)
    catalogue: PublishedCatalogue | None  # None: the workstation has it already


class PublishedYear(_Wire):
    """A calendar year the county published (GET /v1/calendar)."""

    year: int
    table: dict[str, Any]  # app.workcalendar.YearTable as JSON


class CalendarYears(_Wire):
    years: list[PublishedYear]


class AccountCopy(_Wire):
    """One of the centre's accounts as the county holds it (GET /v1/accounts)."""

    username: str
    display_name: str
    roles: list[str]
    password_hash: str
    active: bool
    must_change_password: bool


class Accounts(_Wire):
    accounts: list[AccountCopy]


class Resident(_Wire):
    """The resident who signed a proxy authorization (委托人)."""

    name: str = Field(min_length=1, max_length=100)
    id_number: str = Field(min_length=1, max_length=40)
    phone: str = Field(default="", max_length=40)
    kind: str = "natural_person"
    address: Any = None  # as the applicant block carries it, when given


class AuthorizationTerms(_Wire):
    """An ``authorization.register`` operation's payload: the signed 代办委托书."""

    authorization_no: str = Field(min_length=1, max_length=40)
    proxy: str = Field(min_length=1, max_length=64)  # the proxy agent's username
    resident: Resident
    matters: list[str] = Field(min_length=1)  # item codes
    may_collect: bool
    valid_from: dt.date
    valid_until: dt.date
    signed_on: dt.date


class AuthorizationCopy(_Wire):
    """One of the centre's proxy authorizations (GET /v1/authorizations), in the county's order."""

    cursor: int
    workstation: str
    terms: AuthorizationTerms


class Authorizations(_Wire):
    cursor: int  # pass it back as ``after`` for the next page
    more: bool
    authorizations: list[AuthorizationCopy]


class GivenNumber(_Wire):
    """A 办件编号 the county issued, as a workstation holds it, with the county's seal."""

    case_uid: str = Field(min_length=1, max_length=36)
    official_no: str = Field(min_length=1, max_length=64)
    seal: str = Field(min_length=1, max_length=64)


class NumbersGiven(_Wire):
    """The numbers a workstation holds, given back to a county restored from a backup, in
    requests of at most ``MAX_NUMBERS``; ``last`` on the final one (the workstation is done)."""

    numbers: list[GivenNumber] = Field(max_length=MAX_NUMBERS)
    last: bool


class NumberRefused(_Wire):
    case_uid: str
    official_no: str
    code: str
    message: str


class NumbersAnswer(_Wire):
    kept: int  # numbers the county holds for their cases now (already, or from this request)
    refused: list[NumberRefused]
    held: bool  # whether the county still issues the centre no new number
