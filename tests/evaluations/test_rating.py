"""现场服务一次一评: the resident rates a service at the window once; a 差评 names a reason and
opens its rectification task, due ``rectify_days`` working days later."""

from __future__ import annotations

import datetime as dt
import inspect
from dataclasses import replace

import pytest
from sqlalchemy import select

from app import audit, settings
from app.actor import Actor
from app.audit import AuditEvent
from app.audit_text import describe
from app.cases import decisions
from app.errors import NotFound, ValidationError
from app.evaluations import rating, service
from app.evaluations.levels import Channel, Level, Reason, Service
from app.evaluations.rating import RatingRefused, invitation_for
from app.evaluations.rectification import TaskState
from app.evaluations.wire import EVALUATION, EvaluationTerms
from app.outbox.envelope import parse_envelope
from app.outbox.ids import new_uid
from db.models import AuditEntry, CaseAction, Evaluation, OutboxEntry
from tests.centre import TOWN, Centre
from tests.evaluations.helpers import bad, counts, local, rate, served


def test_a_service_is_rated_once_at_the_window(centre: Centre) -> None:
    invitation = served(centre)
    rate(centre, invitation, Level.VERY_SATISFIED)
    before = counts(centre)
    with pytest.raises(RatingRefused, match="一次一评"):
        rate(centre, invitation, Level.DISSATISFIED, (Reason.ATTITUDE,))
    assert counts(centre) == before
    with centre.store.reader() as session:
        again = invitation_for(session, centre.actor("clerk"), invitation.case_id, Service.INTAKE)
        rows = session.scalars(select(Evaluation)).all()
    assert again is None  # the desk does not invite a second rating
    assert [(r.service_op_id, r.channel, r.level) for r in rows] == [
        (invitation.service_op_id, Channel.WINDOW.value, Level.VERY_SATISFIED.value)
    ]
    assert rows[0].task_state is None and rows[0].task_due is None  # no task for a good rating


def test_the_invitation_names_the_latest_service_the_actor_completed(centre: Centre) -> None:
    clerk = centre.actor("clerk")
    case = centre.walk_in("生育登记")
    decisions.accept(centre.ctx, clerk, case.case_id)
    with centre.store.reader() as session:
        invitation = invitation_for(session, clerk, case.case_id, Service.INTAKE)
        latest = session.scalars(
            select(CaseAction)
            .where(CaseAction.case_id == case.case_id)
            .order_by(CaseAction.seq.desc())
        ).first()
        other = invitation_for(session, centre.actor("clerk2"), case.case_id, Service.INTAKE)
        notice = invitation_for(session, clerk, case.case_id, Service.NOTICE)
        whole = invitation_for(session, clerk, case.case_id, Service.CASE)
    assert invitation is not None and latest is not None
    assert latest.action == "accept"
    assert invitation.service_op_id == latest.op_id
    assert (invitation.staff, invitation.window) == ("clerk", "W01")
    assert invitation.item_name == "生育登记"
    assert other is None  # clerk2 did not serve this resident
    assert notice is None  # no 一次性告知 was given
    assert whole is None  # the whole case is rated by phone, not at the window


@pytest.mark.parametrize(
    ("level", "reasons", "text", "field"),
    [
        (Level.DISSATISFIED, (), "", "差评原因"),
        (Level.VERY_DISSATISFIED, (), "态度差", "差评原因"),
        (Level.SATISFIED, (Reason.SLOW,), "", "差评原因"),
        (Level.BASICALLY_SATISFIED, (), "很" * 501, "文字评价"),
    ],
)
def test_a_rating_that_breaks_a_rule_is_refused_and_nothing_is_written(
    centre: Centre, level: Level, reasons: tuple[Reason, ...], text: str, field: str
) -> None:
    invitation = served(centre)
    before = counts(centre)
    with pytest.raises(ValidationError) as refused:
        rate(centre, invitation, level, reasons, text)
    assert refused.value.field == field
    assert counts(centre) == before


def test_a_rating_only_of_a_service_the_named_staff_completed(centre: Centre) -> None:
    invitation = served(centre)
    before = counts(centre)
    for forged in (
        replace(invitation, staff="clerk2"),  # someone else served
        replace(invitation, service=Service.DELIVERY),  # not a 出件
        replace(invitation, service_op_id=new_uid()),  # no such action
    ):
        with pytest.raises(NotFound):
            rate(centre, forged, Level.VERY_SATISFIED)
    assert counts(centre) == before


def test_five_hundred_characters_of_text_are_taken(centre: Centre) -> None:
    evaluation_id = rate(centre, served(centre), Level.SATISFIED, (), "好" * 500)
    with centre.store.reader() as session:
        row = session.get(Evaluation, evaluation_id)
    assert row is not None and len(row.text) == 500


@pytest.mark.parametrize(
    ("rated_at", "due"),
    [
        # Mon 2 March 2026: the 5th working day after is the next Monday.
        (local(dt.date(2026, 3, 2), 10), dt.date(2026, 3, 9)),
        # Thu 2 April, 23:30 local (15:30 UTC): 清明 4–6 April is not counted.
        (local(dt.date(2026, 4, 2), 23, 30), dt.date(2026, 4, 10)),
        # 00:30 local on Fri 3 April is still 2 April in UTC; the local day counts.
        (local(dt.date(2026, 4, 3), 0, 30), dt.date(2026, 4, 13)),
        # Wed 30 September: 国庆 1–7 October off, Sat 10 October a 调休 working day.
        (local(dt.date(2026, 9, 30), 16), dt.date(2026, 10, 13)),
    ],
)
def test_a_bad_rating_opens_a_task_due_working_days_later(
    centre: Centre, rated_at: dt.datetime, due: dt.date
) -> None:
    evaluation_id = bad(centre, at=rated_at)
    with centre.store.reader() as session:
        row = session.get(Evaluation, evaluation_id)
    assert row is not None
    assert (row.task_state, row.task_due) == (TaskState.TO_VERIFY.value, due)
    assert row.reasons == [Reason.ATTITUDE.value]


def test_the_deadline_is_the_centres_setting(centre: Centre) -> None:
    with centre.store.reader() as session:
        assert settings.RECTIFY_DAYS.get(session) == 5  # the default
    with centre.store.session() as session, session.begin():
        settings.RECTIFY_DAYS.set(session, 3)
    evaluation_id = bad(centre, at=local(dt.date(2026, 3, 2), 10))  # Monday
    with centre.store.reader() as session:
        row = session.get(Evaluation, evaluation_id)
    assert row is not None and row.task_due == dt.date(2026, 3, 5)  # Thursday


def test_the_rating_goes_up_in_a_valid_envelope_and_is_audited_as_the_residents(
    centre: Centre,
) -> None:
    invitation = served(centre)
    evaluation_id = rate(
        centre,
        invitation,
        Level.VERY_DISSATISFIED,
        (Reason.MANY_TRIPS, Reason.MANY_TRIPS, Reason.WAITING),
        "  跑了三趟  ",
        anonymous=True,
    )
    with centre.store.reader() as session:
        row = session.get(Evaluation, evaluation_id)
        queued = session.scalars(select(OutboxEntry).where(OutboxEntry.kind == EVALUATION)).one()
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.event == AuditEvent.EVALUATION_RECORDED)
        ).one()
        chain = audit.verify(session)
    assert row is not None
    envelope = parse_envelope(queued.payload)
    assert (envelope.kind, envelope.key, queued.key) == (EVALUATION, row.uid, row.uid)
    assert (envelope.actor.username, envelope.actor.role) == ("clerk", "clerk")
    assert (envelope.workstation, envelope.centre) == ("W01", TOWN)
    terms = EvaluationTerms.model_validate(envelope.payload)
    assert terms.uid == row.uid and terms.case_uid == invitation.case_uid
    assert terms.service_op_id == invitation.service_op_id and terms.channel is Channel.WINDOW
    assert terms.level is Level.VERY_DISSATISFIED
    assert terms.reasons == (Reason.MANY_TRIPS, Reason.WAITING)  # once each
    assert (terms.text, terms.anonymous, terms.staff) == ("跑了三趟", True, "clerk")
    assert queued.case_id is None and queued.action_id is None  # not a case action
    # The audit log names the resident as the one who rated, and the clerk as who served.
    assert (entry.actor, entry.workstation, entry.subject) == (
        "resident",
        "W01",
        invitation.receipt_no,
    )
    sentence = describe(entry.event, entry.actor, entry.subject, entry.detail)
    assert sentence.startswith("办事群众 评价「收件受理」（经办人 clerk）：非常不满意")
    assert "来回跑了多次、排队等候时间长" in sentence and "匿名" in sentence
    assert "期限 2026-03-09" in sentence
    assert chain.ok


def test_no_use_case_lets_a_signed_in_person_rate(centre: Centre) -> None:
    """The rating takes no Actor: no account, the clerk's included, can give it."""
    parameters = inspect.signature(rating.record_window_rating).parameters.values()
    assert all(p.annotation not in (Actor, "Actor") for p in parameters)
    for name in service.__all__:
        fn = getattr(service, name)
        if not inspect.isfunction(fn):
            continue
        text = inspect.getsource(fn)
        if "Evaluation(" in text:  # writes an evaluation row
            assert name == "record_window_rating", name
