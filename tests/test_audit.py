"""The hash-chained audit log: writing, reading (auditor only), verifying, catching tampering."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DatabaseError

from app import audit
from app.actor import Actor, Role
from app.audit import GENESIS_HASH, AuditEvent, authorize
from app.cli import main
from app.errors import PermissionDenied, ValidationError
from app.units.runner import Units
from db.models import AuditEntry
from db.store import Store

T0 = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)
CLERK = Actor(3, "clerk1", "王芳", frozenset({Role.CLERK}), "W01")
AUDITOR = Actor(9, "auditor1", "吴静", frozenset({Role.AUDITOR}), "W09")
ADMIN = Actor(8, "admin1", "周磊", frozenset({Role.ADMIN}), "W09")


def write(store: Store, count: int, *, start: int = 0) -> None:
    with store.session() as session, session.begin():
        for n in range(start, start + count):
            audit.record(
                session,
                actor=f"user{n % 4}",
                workstation="W01",
                event=audit.case_event("accept") if n % 3 else AuditEvent.LOGIN_OK,
                subject=f"511899101000W0120261123{n:04d}",
                detail={"seq": n, "note": "受理" * (n % 3)},
                at=T0 + timedelta(seconds=n),
            )


def verify(store: Store) -> audit.AuditVerification:
    with store.session() as session:
        return audit.verify(session)


def tamper(store: Store, *statements: Any) -> None:
    """What an attacker holding the store key could do: drop the append-only triggers, edit."""
    with store.engine.connect() as conn:
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_no_update")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_no_delete")
        for statement in statements:
            if isinstance(statement, str):
                conn.exec_driver_sql(statement)
            else:
                conn.execute(statement)
        conn.commit()


def edit(entry_id: int, values: dict[str, Any]) -> Any:
    return update(AuditEntry).where(AuditEntry.id == entry_id).values(values)


def restore_triggers(store: Store) -> None:
    with store.engine.connect() as conn:
        for verb in ("UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER IF NOT EXISTS audit_log_no_{verb.lower()} "
                f"BEFORE {verb} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )
        conn.commit()


def cli_verify(store: Store, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["audit", "verify", "--data-dir", str(store.data_dir)])
    out, err = capsys.readouterr()
    return code, out, err


# --- writing ------------------------------------------------------------------------------------


def test_entries_chain_from_the_genesis_hash(store: Store) -> None:
    write(store, 3)
    with store.session() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert entries[0].prev_hash == GENESIS_HASH
    assert entries[1].prev_hash == entries[0].entry_hash
    assert entries[2].prev_hash == entries[1].entry_hash
    assert len({e.entry_hash for e in entries}) == 3
    for entry in entries:
        assert entry.entry_hash == audit.entry_hash(
            occurred_at=entry.occurred_at,
            actor=entry.actor,
            workstation=entry.workstation,
            event=entry.event,
            subject=entry.subject,
            detail=entry.detail,
            prev_hash=entry.prev_hash,
        )


def test_hash_ignores_key_order_and_time_zone_but_not_content() -> None:
    base: dict[str, Any] = {
        "occurred_at": T0,
        "actor": "clerk1",
        "workstation": "W01",
        "event": "print",
        "subject": "X1",
        "detail": {"a": 1, "b": [1, "二"]},
        "prev_hash": GENESIS_HASH,
    }
    same = {**base, "detail": {"b": [1, "二"], "a": 1}}
    beijing = {**base, "occurred_at": T0.astimezone(timedelta_tz(8))}
    assert audit.entry_hash(**base) == audit.entry_hash(**same) == audit.entry_hash(**beijing)
    later = {**base, "occurred_at": T0 + timedelta(microseconds=1)}
    assert audit.entry_hash(**base) != audit.entry_hash(**later)
    assert audit.entry_hash(**base) != audit.entry_hash(**{**base, "subject": None})


def timedelta_tz(hours: int) -> Any:
    from datetime import timezone

    return timezone(timedelta(hours=hours))


def test_record_for_names_the_actor_and_workstation(store: Store) -> None:
    with store.session() as session, session.begin():
        entry = audit.record_for(session, CLERK, AuditEvent.PRINT, "R-1", {"doc": "受理通知书"})
    assert (entry.actor, entry.workstation, entry.event) == ("clerk1", "W01", "print")
    assert entry.occurred_at.tzinfo is not None


def test_audit_entry_rolls_back_with_the_callers_transaction(store: Store) -> None:
    with pytest.raises(RuntimeError), store.session() as session, session.begin():
        audit.record_for(session, CLERK, AuditEvent.PRINT, "R-1")
        raise RuntimeError("the action failed")
    assert verify(store).checked == 0


@pytest.mark.parametrize(
    "detail",
    [
        {"id_number": "11010519491231002X"},
        {"note": "申请人身份证110105198001010016已核验"},
        {"contact": ["13800138000"]},
        {"nested": {"password": "x"}},
        {"新密码": "x"},
        {"ratio": float("nan")},
    ],
)
def test_personal_data_never_enters_the_detail(store: Store, detail: dict[str, Any]) -> None:
    with store.session() as session, session.begin(), pytest.raises(ValueError):
        audit.record_for(session, CLERK, AuditEvent.EXPORT, "R-1", detail)


def test_case_numbers_are_not_mistaken_for_personal_data(store: Store) -> None:
    with store.session() as session, session.begin():
        audit.record_for(
            session,
            CLERK,
            audit.case_event("receive"),
            "511899101000-W01-20261123-0001",
            {"receipt_no": "511899101000W01202611230001", "seq": 1, "amount": 13800138000.5},
        )


def test_a_uid_whose_digits_look_like_a_mobile_number_is_no_personal_data(store: Store) -> None:
    """A UUIDv7's hex may hold eleven digits in a row (the demo's 差评 seeding met one)."""
    uid = "019ad3c1-7f2e-7c41-9b1e-a13912345678"
    with store.session() as session, session.begin():
        audit.record_for(session, CLERK, AuditEvent.EXPORT, "R-1", {"evaluation": uid})
    with store.session() as session, session.begin(), pytest.raises(ValueError):  # not in text
        audit.record_for(session, CLERK, AuditEvent.EXPORT, "R-1", {"note": f"回访 {uid[-11:]}"})


@pytest.mark.parametrize(
    "fields",
    [
        {"actor": ""},
        {"actor": "a" * 65},
        {"event": "case." + "x" * 40},
        {"subject": "s" * 101},
        {"at": datetime(2026, 11, 23, 9, 0)},  # naive
    ],
)
def test_bad_fields_are_programming_errors(store: Store, fields: dict[str, Any]) -> None:
    values: dict[str, Any] = {"actor": "clerk1", "workstation": "W01", "event": "print"} | fields
    with store.session() as session, session.begin(), pytest.raises(ValueError):
        audit.record(session, **values)


def test_the_table_refuses_update_and_delete(store: Store) -> None:
    write(store, 2)
    with store.engine.connect() as conn, pytest.raises(DatabaseError, match="append-only"):
        conn.execute(update(AuditEntry).values(actor="x"))
    with store.engine.connect() as conn, pytest.raises(DatabaseError, match="append-only"):
        conn.execute(delete(AuditEntry))


def test_event_labels() -> None:
    assert audit.event_label("login_failed") == "登录失败"
    assert audit.event_label(audit.case_event("accept")) == "办件操作：受理"
    assert audit.event_label(audit.case_event("future_action")) == "办件操作（future_action）"
    assert audit.event_label("something_new") == "something_new"


# --- reading ------------------------------------------------------------------------------------


def test_auditor_reads_newest_first_with_paging_and_filter(store: Store) -> None:
    write(store, 10)
    with store.session() as session:
        first = audit.read_entries(session, AUDITOR, limit=4)
    assert [r.id for r in first] == [10, 9, 8, 7]
    assert first[0].detail == {"seq": 9, "note": ""}
    assert first[0].occurred_at == T0 + timedelta(seconds=9)
    with store.session() as session:
        second = audit.read_entries(session, AUDITOR, limit=4, before_id=first[-1].id)
    assert [r.id for r in second] == [6, 5, 4, 3]
    with store.session() as session:
        logins = audit.read_entries(session, AUDITOR, limit=100, event=AuditEvent.LOGIN_OK)
    assert [r.id for r in logins] == [10, 7, 4, 1]
    assert logins[0].event_label == "登录成功"


@pytest.mark.parametrize("reader", [CLERK, ADMIN])
def test_only_the_auditor_reads_and_a_refusal_is_recorded(store: Store, reader: Actor) -> None:
    units = Units(store.session, store.reader, authorize)
    with pytest.raises(PermissionDenied):
        units.run(reader, audit.read_entries, limit=10)  # the read itself runs read-only
    # A caller with no unit runner is refused all the same (not recorded: no write unit).
    with pytest.raises(PermissionDenied), store.reader() as session:
        audit.read_entries(session, reader, limit=10)
    with store.session() as session:
        (entry,) = session.scalars(select(AuditEntry)).all()
    assert (entry.event, entry.actor) == (AuditEvent.PERMISSION_DENIED, reader.username)
    assert entry.detail["permission"] == "audit_read"


@pytest.mark.parametrize("limit", [0, 1001])
def test_page_size_is_bounded(store: Store, limit: int) -> None:
    with store.session() as session, pytest.raises(ValidationError):
        audit.read_entries(session, AUDITOR, limit=limit)


# --- verifying ----------------------------------------------------------------------------------


def test_empty_log_verifies(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert verify(store) == audit.AuditVerification(True, 0)
    code, out, _ = cli_verify(store, capsys)
    assert (code, out.strip()) == (0, "审计日志校验通过：共 0 条")


def test_chain_verifies_after_many_writes(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    for batch in range(5):
        write(store, 100, start=batch * 100)
    result = verify(store)
    assert result.ok and result.checked == 500
    with store.session() as session:
        newest = session.scalar(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()))
    assert result.head_hash == newest
    code, out, err = cli_verify(store, capsys)
    assert (code, out.strip(), err) == (0, "审计日志校验通过：共 500 条", "")


def test_data_dir_may_come_before_the_subcommand(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    write(store, 2)
    assert main(["--data-dir", str(store.data_dir), "audit", "verify"]) == 0
    assert "共 2 条" in capsys.readouterr().out


def test_changed_detail_is_named_by_the_cli(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    write(store, 30)
    tamper(store, edit(17, {"detail": {"seq": 999, "note": ""}}))
    result = verify(store)
    assert (result.ok, result.first_broken_id, result.checked) == (False, 17, 17)
    assert result.reason is not None and result.reason.startswith("内容被修改")
    assert result.first_broken_at == T0 + timedelta(seconds=16)
    code, out, err = cli_verify(store, capsys)
    assert code == 1
    assert out == ""
    assert "审计日志校验未通过：第 17 条记录" in err
    assert "内容被修改" in err
    assert "case.accept" in err
    when = (T0 + timedelta(seconds=16)).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert when in err


def test_raw_sql_edit_of_any_column_is_caught(store: Store) -> None:
    write(store, 5)
    tamper(store, "UPDATE audit_log SET actor = 'someone_else' WHERE id = 3")
    assert verify(store).first_broken_id == 3


def test_deleted_middle_entry_is_caught(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    write(store, 20)
    tamper(store, delete(AuditEntry).where(AuditEntry.id == 8))
    result = verify(store)
    assert (result.ok, result.first_broken_id) == (False, 9)
    assert result.reason is not None and "缺失" in result.reason and "第 7 条之后" in result.reason
    code, _, err = cli_verify(store, capsys)
    assert code == 1 and "第 9 条记录" in err and "缺失" in err


def test_deleted_first_entry_is_caught(store: Store) -> None:
    write(store, 4)
    tamper(store, delete(AuditEntry).where(AuditEntry.id == 1))
    result = verify(store)
    assert result.first_broken_id == 2
    assert result.reason is not None and "缺失" in result.reason and "开头" in result.reason


def test_rehashed_edit_breaks_the_link_of_the_next_entry(store: Store) -> None:
    """An attacker who also recomputes the edited entry's hash still breaks the next link."""
    write(store, 6)
    with store.session() as session:
        entry = session.get_one(AuditEntry, 4)
    forged = audit.entry_hash(
        occurred_at=entry.occurred_at,
        actor="nobody",
        workstation=entry.workstation,
        event=entry.event,
        subject=entry.subject,
        detail=entry.detail,
        prev_hash=entry.prev_hash,
    )
    tamper(
        store,
        edit(4, {"actor": "nobody", "entry_hash": forged}),
    )
    result = verify(store)
    assert result.first_broken_id == 5
    assert result.reason is not None and result.reason.startswith("链接断开")


def test_garbage_in_a_row_is_reported_not_crashed_on(store: Store) -> None:
    write(store, 3)
    tamper(
        store, "UPDATE audit_log SET detail = '{not json', occurred_at = 'yesterday' WHERE id = 2"
    )
    result = verify(store)
    assert (result.ok, result.first_broken_id, result.first_broken_at) == (False, 2, None)
    assert "时间无法读取" in result.message


def test_swapped_entries_are_caught(store: Store) -> None:
    write(store, 4)
    with store.session() as session:
        rows = {e.id: e for e in session.scalars(select(AuditEntry))}
    columns = ("occurred_at", "actor", "workstation", "event", "subject", "detail")
    tamper(
        store,
        update(AuditEntry)
        .where(AuditEntry.id == 2)
        .values(**{c: getattr(rows[3], c) for c in columns}),
        update(AuditEntry)
        .where(AuditEntry.id == 3)
        .values(**{c: getattr(rows[2], c) for c in columns}),
    )
    assert verify(store).first_broken_id == 2


# --- properties ---------------------------------------------------------------------------------

_text = st.text(st.characters(codec="utf-8"), max_size=12)
_json_leaf = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | _text
_json = st.recursive(
    _json_leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)
_records = st.lists(
    st.fixed_dictionaries(
        {
            "actor": st.text(min_size=1, max_size=64),
            "workstation": st.text(min_size=1, max_size=40),
            "event": st.sampled_from([*AuditEvent, "case.accept", "case.deliver"]),
            "subject": st.none() | st.text(max_size=100),
            "detail": st.dictionaries(st.sampled_from(["seq", "doc", "reason", "x"]), _json),
            "at": st.datetimes(
                min_value=datetime(2020, 1, 1),
                max_value=datetime(2040, 1, 1),
                timezones=st.just(UTC),
            ),
        }
    ),
    min_size=1,
    max_size=12,
)
_FIELDS = (
    "occurred_at",
    "actor",
    "workstation",
    "event",
    "subject",
    "detail",
    "prev_hash",
    "entry_hash",
)


def _wipe(store: Store) -> None:
    tamper(store, "DELETE FROM audit_log")
    restore_triggers(store)


def _write_all(store: Store, records: list[dict[str, Any]]) -> list[int]:
    ids = []
    with store.session() as session, session.begin():
        for values in records:
            # Generated text that looks like an ID or mobile number is refused: skip it.
            with contextlib.suppress(ValueError):
                ids.append(audit.record(session, **values).id)
    return ids


def _mutated(column: str, old: Any, data: st.DataObject) -> Any:
    if column == "occurred_at":
        shift = data.draw(st.integers(1, 10**12).map(lambda us: timedelta(microseconds=us)))
        return old + shift if data.draw(st.booleans()) else old - shift
    if column == "detail":
        return data.draw(st.dictionaries(_text, _json, max_size=3).filter(lambda d: d != old))
    if column == "subject":
        return data.draw((st.none() | st.text(max_size=100)).filter(lambda s: s != old))
    if column in ("prev_hash", "entry_hash"):
        return data.draw(
            st.text("0123456789abcdef", min_size=64, max_size=64).filter(lambda h: h != old)
        )
    return data.draw(st.text(min_size=1, max_size=40).filter(lambda s: s != old))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(records=_records, data=st.data())
def test_any_chain_verifies_and_any_single_change_breaks_it(
    store: Store, records: list[dict[str, Any]], data: st.DataObject
) -> None:
    _wipe(store)
    ids = _write_all(store, records)
    result = verify(store)
    assert result.ok and result.checked == len(ids)
    if not ids:
        return
    target = data.draw(st.sampled_from(ids), label="entry")
    column = data.draw(st.sampled_from(_FIELDS), label="column")
    with store.session() as session:
        old = getattr(session.get_one(AuditEntry, target), column)
    new = _mutated(column, old, data)
    # Equal after a JSON round trip is not a change.
    if column == "detail" and json.dumps(new, sort_keys=True) == json.dumps(old, sort_keys=True):
        return
    if column == "prev_hash":  # another entry's (the genesis one, say): the store refuses it
        with store.session() as session:
            taken = set(session.scalars(select(AuditEntry.prev_hash)))
        assume(new not in taken)
    tamper(store, edit(target, {column: new}))
    try:
        broken = verify(store)
        assert not broken.ok
        assert broken.first_broken_id == target
        assert broken.checked == ids.index(target) + 1
    finally:
        restore_triggers(store)


def test_the_auditor_verifies_from_the_app_and_that_is_audited(store: Store) -> None:
    write(store, 3)
    tamper(store, "UPDATE audit_log SET subject = 'X' WHERE id = 2")
    with store.session() as session:
        result = audit.verify_as(session, AUDITOR)
    assert (result.ok, result.first_broken_id) == (False, 2)
    with store.session() as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last is not None and last.event == AuditEvent.AUDIT_VERIFIED
    assert last.detail == {"ok": False, "checked": 2, "first_broken_id": 2}
    with store.session() as session, pytest.raises(PermissionDenied):
        audit.verify_as(session, ADMIN)


def test_the_property_helpers_leave_the_triggers_in_place(store: Store) -> None:
    write(store, 1)
    _wipe(store)
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    write(store, 1)
    with store.engine.connect() as conn, pytest.raises(DatabaseError, match="append-only"):
        conn.execute(delete(AuditEntry))
