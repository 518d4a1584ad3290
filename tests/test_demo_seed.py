"""The demo centre: every state, live deadlines, genuine histories, and a polite second run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import groupby
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from app import audit
from app.accounts import passwords
from app.actor import Actor, Role
from app.cases import queries as q
from app.cli import main
from app.demo import centre as demo
from app.demo.seed import (
    MIN_CASES,
    DemoAlreadySeeded,
    SeedReport,
    seed_demo_centre,
)
from app.demo.start import ensure_demo_centre
from app.demo.users import DEMO_USERS
from app.errors import ValidationError
from app.evaluations.levels import Level
from app.evaluations.rectification import TaskState
from app.evaluations.wire import EVALUATION, RECTIFICATION, EvaluationTerms, StepTerms
from app.outbox.envelope import CASE_ACTION, ENVELOPE_VERSION, CaseActionEnvelope, parse_envelope
from app.settings.calendar import work_calendar
from app.workflow.fold import local_date
from app.workflow.states import CaseState
from db.models import (
    AuditEntry,
    Case,
    CaseAction,
    Evaluation,
    Item,
    OutboxEntry,
    ProxyAuthorization,
    RectificationStep,
    User,
    UserRole,
)
from db.store import Store, open_store
from tests.cases.helpers import assert_consistent, assert_no_local_ids

NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)  # Mon 23 Nov 2026, 10:00 China time
TODAY = local_date(NOW)
CASES = 60


@pytest.fixture(scope="module")
def cheap_hashes() -> Iterator[None]:
    """Demo users are real Argon2 accounts; the test only needs the hashing to be quick."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        )
        yield


@pytest.fixture(scope="module")
def seeded(
    tmp_path_factory: pytest.TempPathFactory, cheap_hashes: None
) -> Iterator[tuple[Store, SeedReport]]:
    data_dir = tmp_path_factory.mktemp("demo")
    store = open_store(data_dir, demo.demo_key_file(data_dir))
    report = seed_demo_centre(store, cases=CASES, seed=12, now=NOW)  # 5 差评, one anonymous
    yield store, report
    store.close()


def actor_of(store: Store, username: str) -> Actor:
    with store.session() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        roles = frozenset(
            Role(r)
            for r in session.scalars(select(UserRole.role_code).where(UserRole.user_id == user.id))
        )
        return Actor(user.id, user.username, user.display_name, roles, "W01")


def test_every_state_has_cases(seeded: tuple[Store, SeedReport]) -> None:
    store, report = seeded
    with store.session() as session:
        by_state = dict(
            (state, count)
            for state, count in session.execute(
                select(Case.state, func.count()).group_by(Case.state)
            )
        )
    assert set(by_state) == {s.value for s in CaseState}
    assert sum(by_state.values()) == CASES == report.cases
    assert report.by_state == by_state
    assert "已归档" in report.summary() and "demo1234" in report.summary()


def test_deadlines_are_live_overdue_nearly_due_and_past_the_watchdog(
    seeded: tuple[Store, SeedReport],
) -> None:
    store, _ = seeded
    supervisor = actor_of(store, "supervisor1")
    with store.session() as session:
        calendar = work_calendar(session)
        assert q.overdue(session, supervisor, TODAY)
        assert q.nearly_due(session, supervisor, TODAY, calendar)
        assert q.watchdog(session, supervisor, TODAY)
        due_dates = session.scalars(select(Case.due_date).where(Case.due_date.is_not(None)))
        assert any(day is not None and day > TODAY for day in due_dates)  # some still in time


def test_history_spans_two_months_of_working_days_before_today(
    seeded: tuple[Store, SeedReport],
) -> None:
    store, report = seeded
    with store.session() as session:
        first, last = session.execute(
            select(func.min(CaseAction.occurred_at), func.max(CaseAction.occurred_at))
        ).one()
        calendar = work_calendar(session)
        days = {local_date(at) for at in session.scalars(select(CaseAction.occurred_at))}
    assert first is not None and last is not None
    assert first < NOW - dt.timedelta(days=45) and last < NOW
    assert report.first_day <= local_date(first) and local_date(last) <= report.last_day < TODAY
    assert all(calendar.is_working_day(day) for day in days)


def test_every_case_is_the_fold_of_its_actions_and_the_audit_chain_verifies(
    seeded: tuple[Store, SeedReport],
) -> None:
    store, report = seeded
    with store.session() as session:
        calendar = work_calendar(session)
        outbox = session.scalar(
            select(func.count()).select_from(OutboxEntry).where(OutboxEntry.kind == CASE_ACTION)
        )
        case_entries = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.event.startswith("case."))
        )
        verification = audit.verify(session)
    assert_consistent(store, calendar)
    assert outbox == case_entries == report.actions
    assert verification.ok, verification.message


def test_every_outbox_row_is_a_complete_envelope(seeded: tuple[Store, SeedReport]) -> None:
    """What sync will push: each row stands alone — every field filled, global references only."""
    store, _ = seeded
    with store.reader() as session:
        rows = session.scalars(select(OutboxEntry).order_by(OutboxEntry.id)).all()
        uids = {case_id: uid for case_id, uid in session.execute(select(Case.id, Case.uid))}
        users = set(session.scalars(select(User.username)))
        authorizations = set(session.scalars(select(ProxyAuthorization.authorization_no)))
        items = {(i.code, i.content_hash) for i in session.scalars(select(Item))}
    kinds = {row.kind for row in rows}
    assert {CASE_ACTION, "authorization.register", EVALUATION} <= kinds
    assert kinds <= {CASE_ACTION, "authorization.register", EVALUATION, RECTIFICATION}
    for row in rows:
        assert_no_local_ids(row.payload)
        envelope = parse_envelope(row.payload)
        assert envelope.envelope_version == ENVELOPE_VERSION
        assert (envelope.op_id, envelope.key, envelope.kind) == (row.op_id, row.key, row.kind)
        assert envelope.centre == "511899101000" and envelope.workstation
        assert envelope.actor.username in users and envelope.actor.role
        if row.kind == EVALUATION:
            rating = EvaluationTerms.model_validate(envelope.payload)
            assert envelope.key == rating.uid and rating.case_uid in uids.values()
            assert rating.staff in users
            continue
        if row.kind == RECTIFICATION:
            assert StepTerms.model_validate(envelope.payload).evaluation_uid == envelope.key
            continue
        if row.kind != CASE_ACTION:
            assert envelope.key == envelope.payload["authorization_no"] in authorizations
            assert envelope.payload["proxy"] in users
            continue
        case = envelope
        assert isinstance(case, CaseActionEnvelope)
        assert row.case_id is not None
        assert case.case.uid == uids[row.case_id] == row.key
        assert (case.case.item_code, case.case.item_version) in items
        assert case.case.template_key and case.case.template_version >= 1
        assert case.seq == case.base_seq + 1 and case.action and case.to_state
        for field, table in (("proxy", users), ("assignee", users)):
            if field in case.payload:
                assert case.payload[field] in table
        if "authorization_no" in case.payload:
            assert case.payload["authorization_no"] in authorizations


def test_every_role_has_work_and_the_centre_looks_real(seeded: tuple[Store, SeedReport]) -> None:
    store, _ = seeded
    names = ("clerk1", "approver1", "supervisor1", "proxy1", "proxy2", "admin1")
    actors = {name: actor_of(store, name) for name in names}
    with store.session() as session:
        for name in names[:-1]:
            assert q.my_queue(session, actors[name]).total > 0, name
        assert q.my_queue(session, actors["admin1"]).total == 0
        items = session.scalar(select(func.count()).select_from(Item))
        items_used = session.scalar(select(func.count(func.distinct(Case.item_id))))
        methods = {
            a.payload["method"]
            for a in session.scalars(select(CaseAction).where(CaseAction.action == "deliver"))
        }
        deficient = session.scalar(select(func.count()).where(Case.deficiency))
        authorizations = session.scalar(select(func.count()).select_from(ProxyAuthorization))
        usernames = set(session.scalars(select(User.username)))
    assert items_used == items  # every item of the catalogue has cases
    assert methods == {"window", "mail", "proxy"}
    assert deficient and authorizations
    assert usernames == {u.username for u in DEMO_USERS}


def test_a_second_seed_is_refused_and_changes_nothing(seeded: tuple[Store, SeedReport]) -> None:
    store, report = seeded
    with pytest.raises(DemoAlreadySeeded, match=f"已有 {CASES} 件办件"):
        seed_demo_centre(store, cases=CASES, now=NOW)
    assert ensure_demo_centre(store) is None  # the GUI demo just opens it again
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(CaseAction)) == report.actions


def test_a_store_with_real_accounts_is_not_seeded(store: Store) -> None:
    with store.session() as session, session.begin():
        session.add(User(username="zhangsan", display_name="张三", password_hash="x"))
    with pytest.raises(DemoAlreadySeeded, match="非演示账号"):
        seed_demo_centre(store)
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_too_few_cases_cannot_cover_every_state(store: Store) -> None:
    with pytest.raises(ValidationError, match=str(MIN_CASES)):
        seed_demo_centre(store, cases=MIN_CASES - 1)


def test_cli_seeds_a_fresh_directory_with_its_demo_key_and_refuses_a_second_run(
    tmp_path: Path, cheap_hashes: None, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "centre"
    argv = ["demo", "seed", "--data-dir", str(data_dir), "--cases", str(MIN_CASES)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"{MIN_CASES} 件办件" in out and "clerk1" in out
    assert demo.demo_key_file(data_dir).exists()  # no keyring involved

    assert main([*argv, "--seed", "99"]) == 1
    captured = capsys.readouterr()
    assert f"已有 {MIN_CASES} 件办件" in captured.err and "未做任何改动" in captured.err

    store = open_store(data_dir, demo.demo_key_file(data_dir))
    try:
        with store.session() as session:
            states = set(session.scalars(select(Case.state)))
            assert session.scalar(select(func.count()).select_from(Case)) == MIN_CASES
    finally:
        store.close()
    assert states == {s.value for s in CaseState}


def test_cli_wants_an_explicit_data_dir(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "seed"]) == 2
    assert "--data-dir" in capsys.readouterr().err


def test_cli_tools_find_a_demo_directorys_key_file(tmp_path: Path) -> None:
    """`onewindow audit verify --data-dir DEMO` works without naming the demo key file."""
    data_dir = tmp_path / "demo"
    open_store(data_dir, demo.demo_key_file(data_dir)).close()
    assert main(["--data-dir", str(data_dir), "audit", "verify"]) == 0


def test_the_demo_residents_rated_and_the_supervisor_worked_the_bad_ratings(
    seeded: tuple[Store, SeedReport],
) -> None:
    """好差评 in the demo: ratings of clerks' services, one per service; the newest 差评 waits to
    be verified, older ones are closed through 回访 (or without, when anonymous)."""
    store, report = seeded
    with store.reader() as session:
        ratings = session.scalars(select(Evaluation).order_by(Evaluation.assessed_at)).all()
        served = {
            a.op_id: a for a in session.scalars(select(CaseAction)) if a.actor_role == "clerk"
        }
        steps = {
            evaluation_id: [row.step for row in rows]
            for evaluation_id, rows in groupby(
                session.scalars(
                    select(RectificationStep).order_by(
                        RectificationStep.evaluation_id, RectificationStep.id
                    )
                ),
                key=lambda row: row.evaluation_id,
            )
        }
    assert report.ratings == len(ratings) > 0
    assert len({r.service_op_id for r in ratings}) == len(ratings)  # 一次一评
    for rating in ratings:
        assert rating.service_op_id in served
        assert rating.staff == served[rating.service_op_id].actor
        assert rating.assessed_at > served[rating.service_op_id].occurred_at
    bad = [r for r in ratings if Level(r.level).is_bad]
    assert [r.task_state is not None for r in ratings] == [Level(r.level).is_bad for r in ratings]
    assert bad, "the demo needs a 差评 for the 差评整改 desk"
    assert bad[-1].task_state == TaskState.TO_VERIFY and bad[-1].id not in steps
    for rating in bad[:-3]:
        full = (
            ["verify", "rectify", "close"]
            if rating.anonymous
            else ["verify", "rectify", "call_back", "close"]
        )
        assert rating.task_state == TaskState.CLOSED and steps[rating.id] == full
