"""The outbox envelope: one operation, self-contained, versioned (DESIGN: sync, what travels up).

A county applies an envelope without this workstation's database, so it carries global references
only — the case's uid, usernames, authorization numbers, the item's code and version hash, the
template's key and version — and never a local integer id. Version 1 is the first; a change that an
older county could misread gets a new :data:`ENVELOPE_VERSION`.

The county (``county/``) parses envelopes with the same models.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

ENVELOPE_VERSION: Final = 1
CASE_ACTION: Final = "case.action"
AUTHORIZATION: Final = "authorization.register"  # a proxy's signed 代办委托书
# The county's own action (its decision, its return of a case) given back to a county restored
# from an older backup that lost it: the county's envelope as pulled, with the county's ``seal``.
REFEED: Final = "county.refeed"
SEAL: Final = "seal"
# The town admin's account operations (keyed by username): the county holds the centre's accounts.
ACCOUNT_KINDS: Final = frozenset(
    {"user.create", "user.roles", "user.password", "user.active", "user.lockout_reset"}
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ActorRef(_Frozen):
    username: str = Field(min_length=1)
    role: str = Field(min_length=1)  # the role(s) the action was taken in, comma-separated


class CaseRef(_Frozen):
    """What the case is, in terms every machine shares."""

    uid: str = Field(min_length=36, max_length=36)
    receipt_no: str = Field(min_length=1)  # provisional 收件号 made at the workstation
    item_code: str = Field(min_length=1)
    item_version: str = Field(min_length=64, max_length=64)  # SHA-256 of the item version
    template_key: str = Field(min_length=1)
    template_version: int = Field(ge=1)


class Envelope(_Frozen):
    """Any operation: who, where, when, what kind, and its payload."""

    envelope_version: int = ENVELOPE_VERSION
    op_id: str = Field(min_length=36, max_length=36)
    kind: str = Field(min_length=1)
    key: str = Field(min_length=1)  # operations with the same key are applied in order
    occurred_at: dt.datetime  # the device clock, UTC
    actor: ActorRef
    workstation: str = Field(min_length=1)
    centre: str = Field(min_length=1)  # the centre's 区划代码
    payload: dict[str, Any]


class CaseActionEnvelope(Envelope):
    """One case action (办件操作), applied by the county when ``base_seq`` is the case's current
    sequence and the transition table and guards allow it."""

    kind: Literal["case.action"] = CASE_ACTION
    case: CaseRef
    base_seq: int = Field(ge=0)  # the case's last sequence this workstation knew
    seq: int = Field(ge=1)  # the sequence this workstation gave the action
    # The op_id of the action it follows in this workstation's log (None: it opens the case).
    # A count alone is ambiguous: "after my own two pending actions" and "after two others'"
    # are the same base_seq, and an action built on one of ours the county refused could land
    # on another's; the county applies it only right after ``after``.
    after: str | None = Field(default=None, min_length=36, max_length=36)
    action: str = Field(min_length=1)
    from_state: str | None
    to_state: str = Field(min_length=1)


def parse_envelope(data: Any) -> Envelope:
    """The envelope ``data`` holds, as the model of its kind (pydantic's ValidationError if it
    is not one)."""
    if isinstance(data, dict) and data.get("kind") == CASE_ACTION:
        return CaseActionEnvelope.model_validate(data)
    return Envelope.model_validate(data)
