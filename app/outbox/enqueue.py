"""Writing the outbox: every operation to push to the county, in the transaction that made it.

:func:`enqueue_case_action` is the engine's; :func:`enqueue` serves every other kind of
operation (user administration, proxy authorizations, evaluations later). An action that arrives
from the county is never enqueued: the engine writes it without an outbox row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from app import settings
from app.actor import Actor
from app.outbox.envelope import ActorRef, CaseActionEnvelope, Envelope
from app.outbox.ids import new_uid
from db.models import OutboxEntry


def actor_ref(actor: Actor, role: str | None = None) -> ActorRef:
    return ActorRef(
        username=actor.username, role=role or ",".join(sorted(r.value for r in actor.roles))
    )


def centre_code(session: Session) -> str:
    return settings.TOWN_CODE.get(session)


def enqueue(
    session: Session,
    actor: Actor,
    kind: str,
    key: str,
    payload: Mapping[str, Any],
    *,
    now: dt.datetime,
) -> str:
    """Queue an operation that is not a case action; returns its op_id."""
    envelope = Envelope(
        op_id=new_uid(),
        kind=kind,
        key=key,
        occurred_at=now,
        actor=actor_ref(actor),
        workstation=actor.workstation,
        centre=centre_code(session),
        payload=dict(payload),
    )
    _add(session, envelope)
    return envelope.op_id


def enqueue_case_action(
    session: Session, envelope: CaseActionEnvelope, case_id: int, action_id: int
) -> None:
    _add(session, envelope, case_id=case_id, action_id=action_id)


def _add(
    session: Session,
    envelope: Envelope,
    *,
    case_id: int | None = None,
    action_id: int | None = None,
) -> None:
    session.add(
        OutboxEntry(
            op_id=envelope.op_id,
            key=envelope.key,
            kind=envelope.kind,
            case_id=case_id,
            action_id=action_id,
            payload=envelope.model_dump(mode="json"),
        )
    )
