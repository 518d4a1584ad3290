"""Assertions shared by the case tests."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit
from app.cases.engine import project, projection_matches
from app.outbox.envelope import CASE_ACTION, CaseActionEnvelope
from app.workcalendar import WorkCalendar
from db.models import ActionConfirmation, Applicant, Case, CaseAction, OutboxEntry
from db.store import Store


def assert_consistent(store: Store, calendar: WorkCalendar) -> None:
    """Every case equals the fold of its actions; one outbox envelope per action; the chain
    verifies."""
    with store.session() as session:
        for case in session.scalars(select(Case)):
            mismatched = projection_matches(session, case, project(session, case, calendar))
            assert mismatched == [], f"case {case.receipt_no}: {mismatched}"
        assert_outbox_mirrors_actions(session)
        result = audit.verify(session)
        assert result.ok, result


def assert_outbox_mirrors_actions(session: Session) -> None:
    """Each case action has exactly one outbox envelope, and the envelope says what the action
    row says, in global terms only."""
    envelopes = {
        row.action_id: row
        for row in session.scalars(select(OutboxEntry).where(OutboxEntry.kind == CASE_ACTION))
    }
    remote = set(
        session.scalars(
            select(ActionConfirmation.action_id).where(
                ActionConfirmation.action_id.not_in(list(envelopes))
            )
        )
    )  # confirmed actions with no outbox row here: another workstation's, pulled
    actions = session.execute(
        select(CaseAction, Case.uid, Case.receipt_no)
        .join(Case, Case.id == CaseAction.case_id)
        .where(CaseAction.id.not_in(list(remote)))
    ).all()
    assert len(envelopes) == len(actions)
    for action, uid, receipt_no in actions:
        row = envelopes[action.id]
        envelope = CaseActionEnvelope.model_validate(row.payload)
        assert (row.op_id, row.key, row.case_id) == (action.op_id, uid, action.case_id)
        assert envelope.op_id == action.op_id
        assert (envelope.case.uid, envelope.case.receipt_no) == (uid, receipt_no)
        assert (envelope.seq, envelope.base_seq) == (action.seq, action.seq - 1)
        assert (envelope.action, envelope.from_state, envelope.to_state) == (
            action.action,
            action.from_state,
            action.to_state,
        )
        assert (envelope.actor.username, envelope.actor.role) == (action.actor, action.actor_role)
        assert envelope.occurred_at == action.occurred_at
        assert envelope.payload == action.payload
        assert_no_local_ids(row.payload)


# Where a number belongs in an envelope; any other integer would be a local id in disguise.
NUMBERS = frozenset(
    {
        "envelope_version",
        "seq",
        "base_seq",
        "template_version",
        "days",
        "expected_days",
        "copies",
        "level",  # a rating's GB/T 39046 A.8 code
    }
)


def assert_no_local_ids(value: object, path: str = "$", key: str = "") -> None:
    """Nothing in ``value`` (at any depth) is one of this store's integer ids: integers appear
    only where a number belongs (or in the resident's form data)."""
    if key == "form_data":
        return
    if key == "copies" and isinstance(value, dict):  # material key -> number of copies
        assert all(isinstance(n, int) and n > 0 for n in value.values()), f"{path} = {value!r}"
        return
    if isinstance(value, dict):
        for inner_key, inner in value.items():
            assert_no_local_ids(inner, f"{path}.{inner_key}", inner_key)
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            assert_no_local_ids(inner, f"{path}[{i}]", key)
    elif isinstance(value, int) and not isinstance(value, bool):
        assert key in NUMBERS and not key.endswith("id"), f"{path} = {value!r}"


def action_count(store: Store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(CaseAction)) or 0


def case_row(store: Store, case_id: int) -> Case:
    with store.session() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case


def applicant_of(store: Store, case_id: int) -> tuple[str, str]:
    """The applicant's name and full ID number, as the card at the delivery window shows them."""
    with store.reader() as session:
        case = session.get(Case, case_id)
        assert case is not None
        applicant = session.get(Applicant, case.applicant_id)
        assert applicant is not None and applicant.id_number is not None
        return applicant.name, applicant.id_number
