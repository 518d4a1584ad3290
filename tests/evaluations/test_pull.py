"""Taking the centre's evaluations down from the county's feed: new ones added and linked to
their case, known ones given the county's count, state and steps (each step once), steps taken
here and not yet sent kept on top, a phone 差评 given its deadline here, the cursor kept."""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import select, update

from app import settings
from app.evaluations.levels import Channel, Level, Reason, Service
from app.evaluations.rectification import Step, TaskState
from app.evaluations.tasks import take_step
from app.evaluations.wire import (
    EvaluationCopy,
    Evaluations,
    EvaluationTerms,
    TakenStep,
)
from app.outbox.ids import new_uid
from app.sync.evaluations import pull_evaluations
from app.sync.transport import Transport
from db.models import Case, Evaluation, RectificationStep
from tests.centre import Centre
from tests.evaluations.helpers import bad, local


class Feed:
    """The county's evaluation feed, as pages set by the test; remembers what was asked."""

    def __init__(self) -> None:
        self.pages: list[Evaluations] = []
        self.asked: list[int] = []

    def evaluations(self, after: int, limit: int) -> Evaluations:
        self.asked.append(after)
        if self.pages:
            return self.pages.pop(0)
        return Evaluations(evaluations=(), more=False)


def pull(c: Centre, feed: Feed) -> int:
    return pull_evaluations(c.store, cast(Transport, feed), c.ctx.calendar)


def terms(
    case_uid: str,
    *,
    level: Level = Level.DISSATISFIED,
    channel: Channel = Channel.WINDOW,
    at: dt.datetime | None = None,
) -> EvaluationTerms:
    window = channel is Channel.WINDOW
    return EvaluationTerms(
        uid=new_uid(),
        case_uid=case_uid,
        service=Service.INTAKE if window else Service.CASE,
        service_op_id=new_uid() if window else None,
        channel=channel,
        level=level,
        reasons=(Reason.SLOW,) if level.is_bad else (),
        text="太慢了",
        staff="clerk2" if window else None,
        window="W02" if window else None,
        assessed_at=at or local(dt.date(2026, 4, 2), 15),
    )


def taken(uid: str, which: Step, **fields: object) -> TakenStep:
    return TakenStep.model_validate(
        {
            "evaluation_uid": uid,
            "step": which,
            "note": f"{which.label}完成",
            "taken_at": local(dt.date(2026, 4, 3), 9),
            "op_id": new_uid(),
            "actor": "supervisor",
            **fields,
        }
    )


def copy(
    rated: EvaluationTerms, cursor: int, state: TaskState | None, *steps: TakenStep, number: int = 1
) -> EvaluationCopy:
    return EvaluationCopy(
        cursor=cursor,
        terms=rated,
        assess_number=number,
        receipt_no="511899101000-W02-20260402-0001",
        official_no=None,
        task_state=state,
        steps=steps,
    )


def row(c: Centre, uid: str) -> Evaluation:
    with c.store.reader() as session:
        return session.scalars(select(Evaluation).where(Evaluation.uid == uid)).one()


def steps_of(c: Centre, evaluation_id: int) -> list[tuple[str, str]]:
    with c.store.reader() as session:
        return [
            (s.step, s.op_id)
            for s in session.scalars(
                select(RectificationStep)
                .where(RectificationStep.evaluation_id == evaluation_id)
                .order_by(RectificationStep.id)
            )
        ]


def test_another_windows_bad_rating_comes_down_with_its_steps_each_once(centre: Centre) -> None:
    case = centre.walk_in("生育登记")
    with centre.store.reader() as session:
        case_uid = session.scalars(select(Case.uid).where(Case.id == case.case_id)).one()
    rated = terms(case_uid)  # Thu 2 April: 清明 4–6 April not counted
    verify = taken(rated.uid, Step.VERIFY, founded=True)
    feed = Feed()
    feed.pages = [
        Evaluations(evaluations=(copy(rated, 7, TaskState.TO_RECTIFY, verify),), more=False)
    ]
    assert pull(centre, feed) == 1
    found = row(centre, rated.uid)
    assert found.case_id == case.case_id
    assert (found.channel, found.staff, found.window, found.level) == ("window", "clerk2", "W02", 4)
    assert (found.task_state, found.task_due) == ("to_rectify", dt.date(2026, 4, 10))
    assert found.assess_number == 1
    assert steps_of(centre, found.id) == [("verify", verify.op_id)]
    rectify = taken(rated.uid, Step.RECTIFY)
    feed.pages = [
        Evaluations(
            evaluations=(copy(rated, 9, TaskState.TO_CALL_BACK, verify, rectify, number=2),),
            more=False,
        )
    ]
    assert pull(centre, feed) == 1
    assert feed.asked == [0, 7]  # the cursor kept between pulls
    again = row(centre, rated.uid)
    assert (again.task_state, again.assess_number) == ("to_call_back", 2)
    assert again.task_due == dt.date(2026, 4, 10)  # not moved
    assert steps_of(centre, found.id) == [("verify", verify.op_id), ("rectify", rectify.op_id)]
    assert pull(centre, feed) == 0  # nothing new: nothing changed
    with centre.store.reader() as session:
        assert settings.EVALUATION_CURSOR.get(session) == 9


def test_pages_are_taken_until_the_county_has_no_more(centre: Centre) -> None:
    first, second = terms(new_uid(), level=Level.SATISFIED), terms(new_uid(), level=Level.SATISFIED)
    feed = Feed()
    feed.pages = [
        Evaluations(evaluations=(copy(first, 3, None),), more=True),
        Evaluations(evaluations=(copy(second, 4, None),), more=False),
    ]
    assert pull(centre, feed) == 2
    assert feed.asked == [0, 3]
    assert row(centre, second.uid).task_state is None and row(centre, second.uid).task_due is None


def test_a_phone_rating_of_a_case_not_here_is_linked_when_the_case_arrives(
    centre: Centre,
) -> None:
    rated = terms(new_uid(), level=Level.VERY_DISSATISFIED, channel=Channel.PHONE)
    feed = Feed()
    feed.pages = [Evaluations(evaluations=(copy(rated, 1, TaskState.TO_VERIFY),), more=False)]
    pull(centre, feed)
    found = row(centre, rated.uid)
    assert found.case_id is None and found.service_op_id is None
    assert (found.task_state, found.task_due) == ("to_verify", dt.date(2026, 4, 10))
    # The case arrives (as the pull of cases would bring it, under the uid the rating names).
    case = centre.walk_in("生育登记")
    with centre.store.session() as session, session.begin():
        session.execute(update(Case).where(Case.id == case.case_id).values(uid=rated.case_uid))
    pull(centre, feed)
    assert row(centre, rated.uid).case_id == case.case_id


def test_steps_taken_here_and_not_yet_sent_stay_on_top(centre: Centre) -> None:
    evaluation_id = bad(centre)
    with centre.store.session() as session:
        take_step(
            session,
            centre.actor("supervisor"),
            evaluation_id,
            Step.VERIFY,
            "属实",
            founded=True,
            now=centre.clock(),
        )
    with centre.store.reader() as session:
        local_row = session.get(Evaluation, evaluation_id)
    assert local_row is not None
    rated = EvaluationTerms(
        uid=local_row.uid,
        case_uid=local_row.case_uid,
        service=Service(local_row.service),
        service_op_id=local_row.service_op_id,
        channel=Channel.WINDOW,
        level=Level(local_row.level),
        reasons=tuple(Reason(r) for r in local_row.reasons),
        text=local_row.text,
        staff=local_row.staff,
        window=local_row.window,
        assessed_at=local_row.assessed_at,
    )
    feed = Feed()  # the county has the rating, not yet the step (still in this outbox)
    feed.pages = [Evaluations(evaluations=(copy(rated, 2, TaskState.TO_VERIFY),), more=False)]
    pull(centre, feed)
    after = row(centre, rated.uid)
    assert (after.task_state, after.task_due) == ("to_rectify", local_row.task_due)
    assert after.assess_number == 1
    assert [s for s, _ in steps_of(centre, evaluation_id)] == ["verify"]
    # Once the county has applied it, the copy carries it under the same op_id: not added twice.
    op_id = steps_of(centre, evaluation_id)[0][1]
    verify = TakenStep.model_validate(
        {
            "evaluation_uid": rated.uid,
            "step": Step.VERIFY,
            "note": "属实",
            "founded": True,
            "taken_at": centre.clock(),
            "op_id": op_id,
            "actor": "supervisor",
        }
    )
    rectify = taken(rated.uid, Step.RECTIFY)
    feed.pages = [
        Evaluations(
            evaluations=(copy(rated, 5, TaskState.TO_CALL_BACK, verify, rectify),), more=False
        )
    ]
    pull(centre, feed)
    assert [s for s, _ in steps_of(centre, evaluation_id)] == ["verify", "rectify"]
    assert row(centre, rated.uid).task_state == "to_call_back"
