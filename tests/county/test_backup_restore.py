"""The county backed up and restored (a new epoch), and its workstations snapshotting again: what
the restored county lost goes up again from the workstations that made it, with the same op_ids,
so the county ends with every action exactly once. On SQLite and PostgreSQL; the backup is
portable between them; a file that is not a backup of this schema is refused with nothing
changed."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from app.cases import decisions as d
from app.sync.push import PENDING
from app.sync.session import SyncSummary, sync_now
from app.sync.transport import HttpTransport
from app.workflow.states import CaseState
from county.cli import main as county_main
from county.store.engine import CountyStore, open_county
from county.store.models import CaseActionRow, CountyBase, ItemVersion, Meta
from db.models import ActionConfirmation, Case, CaseAction, CountyEpoch, OutboxEntry
from tests.cases.helpers import assert_consistent
from tests.centre import Centre
from tests.county.postgres import PostgresServer
from tests.county.server import County, connected, running_county, seed_county

DIBAO = "最低生活保障"


class Station:
    def __init__(self, centre: Centre, transport: HttpTransport) -> None:
        self.centre, self.transport = centre, transport

    def sync(self) -> SyncSummary:
        return sync_now(self.centre.store, self.transport, self.centre.ctx.calendar)

    def uid(self, case_id: int) -> str:
        with self.centre.store.reader() as session:
            case = session.get(Case, case_id)
            assert case is not None
            return case.uid

    def case(self, uid: str) -> Case:
        with self.centre.store.reader() as session:
            found: Case = session.scalars(select(Case).where(Case.uid == uid)).one()
            return found

    def op_ids(self) -> set[str]:
        with self.centre.store.reader() as session:
            return set(session.scalars(select(CaseAction.op_id)))

    def outbox(self) -> dict[str, int]:
        with self.centre.store.reader() as session:
            counts: dict[str, int] = {}
            for status in session.scalars(select(OutboxEntry.status)):
                counts[status] = counts.get(status, 0) + 1
            return counts


@pytest.fixture
def w01(county: County, centre: Centre) -> Iterator[Station]:
    with connected(county, "W01", centre=centre) as (centre, transport):
        yield Station(centre, transport)


@pytest.fixture
def w02(county: County, tmp_path: Path) -> Iterator[Station]:
    with connected(county, "W02", data_dir=tmp_path) as (centre, transport):
        yield Station(centre, transport)


def url_of(store: CountyStore) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def county_ops(store: CountyStore) -> list[str]:
    with store.sessions() as session:
        return list(session.scalars(select(CaseActionRow.op_id).order_by(CaseActionRow.id)))


def epoch_of(store: CountyStore) -> str:
    with store.sessions() as session:
        return session.scalars(select(Meta.epoch)).one()


def test_after_a_restore_what_the_county_lost_goes_up_again_once(
    county: County, w01: Station, w02: Station, tmp_path: Path
) -> None:
    c1, c2 = w01.centre, w02.centre
    url = url_of(county.store)
    first = c1.walk_in(DIBAO)
    d.accept(c1.ctx, c1.actor("clerk"), first.case_id)
    assert w01.sync().pushed == 2
    backup = tmp_path / "county-backup.jsonl.gz"
    assert county_main(["backup", "--database", url, "--out", str(backup)]) == 0

    # After the backup: W01 takes a second case; W02 reviews the first. All of it confirmed.
    second = c1.walk_in(DIBAO)
    d.accept(c1.ctx, c1.actor("clerk"), second.case_id)
    assert w01.sync().pushed == 2
    assert w02.sync().pulled == 4
    first_uid, second_uid = w01.uid(first.case_id), w01.uid(second.case_id)
    at_w02 = w02.case(first_uid).id
    d.start_review(c2.ctx, c2.actor("approver"), at_w02)
    d.record_opinion(c2.ctx, c2.actor("approver"), at_w02, "材料齐全", then_next=True)
    assert w02.sync().pushed == 3
    assert w01.sync().pulled == 3
    confirmed_before = county_ops(county.store)
    assert len(confirmed_before) == 7
    old_epoch = epoch_of(county.store)

    assert county_main(["restore", "--database", url, "--from", str(backup)]) == 0
    assert county_ops(county.store) == confirmed_before[:2]  # what the backup held
    assert epoch_of(county.store) != old_epoch

    # Before W01's next sync, its approver starts the review of the second case (which the
    # restored county lacks): pushed on the old epoch it would be parked as stale.
    d.start_review(c1.ctx, c1.actor("approver"), second.case_id)
    one = w01.sync()  # 410 → snapshot again: the second case's two actions go up again, then it
    assert (one.pushed, one.parked, one.queued) == (3, 0, 0)
    two = w02.sync()  # W02 re-sends its review of the first case, and takes the second
    assert (two.pushed, two.parked, two.queued) == (3, 0, 0)
    assert w01.sync().pulled == 0  # W02's review had never left W01's log: confirmed again

    ops = county_ops(county.store)
    assert len(ops) == len(set(ops)) == 8  # every action exactly once
    assert set(ops) == w01.op_ids() == w02.op_ids()  # the same op_ids everywhere
    for station in (w01, w02):
        assert station.outbox().keys() <= {"acked"}, station.outbox()  # nothing parked or queued
        assert_consistent(station.centre.store, station.centre.ctx.calendar)
        with station.centre.store.reader() as session:
            current = session.scalar(select(CountyEpoch.id).order_by(CountyEpoch.id.desc()))
            counted = session.scalars(
                select(ActionConfirmation.action_id).where(ActionConfirmation.epoch_id == current)
            ).all()
            assert len(counted) == 8  # every action confirmed in the new epoch
    for uid in (first_uid, second_uid):
        assert w02.case(uid).state == w01.case(uid).state == CaseState.IN_REVIEW.value
        assert w02.case(uid).official_no == w01.case(uid).official_no is not None
        assert w02.case(uid).last_action_seq == w01.case(uid).last_action_seq
    assert w01.sync().pushed == w02.sync().pushed == 0  # quiet afterwards


def test_a_pending_action_is_not_parked_by_a_restore(
    county: County, w01: Station, tmp_path: Path
) -> None:
    """Queued before the restore and never sent: after it, it still goes up (nothing parked)."""
    c1 = w01.centre
    url = url_of(county.store)
    backup = tmp_path / "empty.gz"
    assert county_main(["backup", "--database", url, "--out", str(backup)]) == 0
    received = c1.walk_in(DIBAO)
    assert w01.sync().pushed == 1
    d.accept(c1.ctx, c1.actor("clerk"), received.case_id)  # queued, not yet sent
    assert county_main(["restore", "--database", url, "--from", str(backup)]) == 0
    summary = w01.sync()
    assert (summary.pushed, summary.parked, summary.queued) == (2, 0, 0)
    assert w01.outbox() == {"acked": 2}
    assert len(county_ops(county.store)) == 2


def test_an_action_after_another_workstations_lost_one_waits_for_it(
    county: County, w01: Station, w02: Station, tmp_path: Path
) -> None:
    """W02 syncs first after the restore: its review follows W01's intake, which the county lost
    and only W01 can send again. It waits in the queue (not parked) and goes up once W01 has."""
    c1, c2 = w01.centre, w02.centre
    url, backup = url_of(county.store), tmp_path / "before.gz"
    assert county_main(["backup", "--database", url, "--out", str(backup)]) == 0
    received = c1.walk_in(DIBAO)
    d.accept(c1.ctx, c1.actor("clerk"), received.case_id)
    assert w01.sync().pushed == 2
    assert w02.sync().pulled == 2
    uid = w01.uid(received.case_id)
    d.start_review(c2.ctx, c2.actor("approver"), w02.case(uid).id)
    assert w02.sync().pushed == 1
    assert w01.sync().pulled == 1
    assert county_main(["restore", "--database", url, "--from", str(backup)]) == 0

    first = w02.sync()
    assert (first.pushed, first.parked, first.queued) == (0, 0, 1)
    with c2.store.reader() as session:
        (waiting,) = session.scalars(select(OutboxEntry).where(OutboxEntry.status == PENDING))
        assert waiting.last_error is not None and "E409-GAP" in waiting.last_error
    assert w02.case(uid).state == CaseState.IN_REVIEW.value  # its own view is unchanged
    assert w01.sync().pushed == 2  # W01 sends its intake again
    assert w02.sync().pushed == 1  # now W02's review fits
    assert w01.sync().pulled == 0  # W01 had it already: confirmed again, not added twice
    ops = county_ops(county.store)
    assert len(ops) == len(set(ops)) == 3 and set(ops) == w01.op_ids() == w02.op_ids()
    for station in (w01, w02):
        assert station.outbox().keys() <= {"acked"}, station.outbox()
        assert station.case(uid).state == CaseState.IN_REVIEW.value
        assert_consistent(station.centre.store, station.centre.ctx.calendar)


# --- the commands ----------------------------------------------------------------------------


def rows_of(store: CountyStore) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in key order (the epoch left out: a restore changes it)."""
    with store.engine.connect() as conn:
        found = {}
        for table in CountyBase.metadata.sorted_tables:
            order = list(table.primary_key.columns)
            rows = conn.execute(select(table).order_by(*order)).all()
            found[table.name] = [
                tuple(v for k, v in row._mapping.items() if k != "epoch") for row in rows
            ]
        return found


@pytest.fixture
def seeded(county_url: str) -> Iterator[CountyStore]:
    """The test county's store (its centre, accounts, item versions, workstations)."""
    store = open_county(county_url)
    seed_county(store)
    yield store
    store.close()


def test_backup_and_restore_round_trip(county: County, w01: Station, tmp_path: Path) -> None:
    c1 = w01.centre
    d.accept(c1.ctx, c1.actor("clerk"), c1.walk_in(DIBAO).case_id)
    w01.sync()
    url, backup = url_of(county.store), tmp_path / "b.gz"
    before, epoch = rows_of(county.store), epoch_of(county.store)
    assert len(before["case_actions"]) == 2
    assert county_main(["backup", "--database", url, "--out", str(backup)]) == 0
    assert county_main(["restore", "--database", url, "--from", str(backup)]) == 0
    restored = rows_of(county.store)
    # Row for row, but for the numbering the restore holds until W01 gives its numbers back
    assert before.pop("number_holds") == []
    assert [row[1] for row in restored.pop("number_holds")] == ["W01"]
    assert restored == before
    assert epoch_of(county.store) != epoch


def test_a_backup_moves_between_sqlite_and_postgresql(
    tmp_path: Path, postgres: PostgresServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """SQLite → PostgreSQL → SQLite, row for row; on PostgreSQL new ids follow the restored."""
    with running_county(tmp_path / "source") as running:
        source_url = url_of(running.store)
        rows = rows_of(running.store)
    sqlite_backup, pg_backup = tmp_path / "sqlite.gz", tmp_path / "pg.gz"
    assert county_main(["backup", "--database", source_url, "--out", str(sqlite_backup)]) == 0
    name = postgres.create_database()
    try:
        pg = postgres.url(name)
        assert county_main(["restore", "--database", pg, "--from", str(sqlite_backup)]) == 0
        store = open_county(pg)
        try:
            assert rows_of(store) == rows
            with store.engine.connect() as conn:  # the next item version takes the next id
                top = max(r[0] for r in rows["item_versions"])
                new_id = conn.execute(
                    insert(ItemVersion)
                    .values(code="X", content_hash="h", detail={})
                    .returning(ItemVersion.id)
                ).scalar()
                assert new_id is not None and new_id > top
                conn.rollback()
        finally:
            store.close()
        assert county_main(["backup", "--database", pg, "--out", str(pg_backup)]) == 0
    finally:
        postgres.drop_database(name)
    back = f"sqlite:///{tmp_path / 'back.db'}"
    assert county_main(["restore", "--database", back, "--from", str(pg_backup)]) == 0
    store = open_county(back)
    assert rows_of(store) == rows
    store.close()
    assert "已从" in capsys.readouterr().out


def _rewrite(source: Path, target: Path, change: Any) -> None:
    with gzip.open(source, "rt", encoding="utf-8") as f:
        lines = f.read().splitlines()
    lines = change(lines)
    with gzip.open(target, "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def _header_with(**fields: Any) -> Any:
    def change(lines: list[str]) -> list[str]:
        header = json.loads(lines[0])
        header.update(fields)
        return [json.dumps(header), *lines[1:]]

    return change


@pytest.mark.parametrize(
    ("what", "make", "says"),
    [
        ("not gzip", lambda good, bad: bad.write_text("hello"), "不是一窗通县级库的备份文件"),
        (
            "gzip, not a backup",
            lambda good, bad: bad.write_bytes(gzip.compress(b'{"a": 1}\n')),
            "不是一窗通县级库的备份文件",
        ),
        (
            "cut off",
            lambda good, bad: bad.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2]),
            "不是一窗通县级库的备份文件",
        ),
        (
            "no trailer",
            lambda good, bad: _rewrite(good, bad, lambda lines: lines[:-1]),
            "不是一窗通县级库的备份文件",
        ),
        (
            "a row dropped",
            lambda good, bad: _rewrite(good, bad, lambda lines: [*lines[:2], *lines[3:]]),
            "不是一窗通县级库的备份文件",
        ),
        (
            "another schema revision",
            lambda good, bad: _rewrite(good, bad, _header_with(schema_revision="0001")),
            "数据库结构版本为 0001",
        ),
        (
            "other columns",
            lambda good, bad: _rewrite(good, bad, _header_with(tables={"cases": ["id"]})),
            "表或字段与本库的结构不符",
        ),
        ("missing", lambda good, bad: None, "无法读取备份文件"),
    ],
)
def test_restore_refuses_what_is_not_a_backup_of_this_schema(
    seeded: CountyStore,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    what: str,
    make: Any,
    says: str,
) -> None:
    url, good, bad = url_of(seeded), tmp_path / "good.gz", tmp_path / "bad.gz"
    assert county_main(["backup", "--database", url, "--out", str(good)]) == 0
    capsys.readouterr()
    before, epoch = rows_of(seeded), epoch_of(seeded)
    make(good, bad)
    assert county_main(["restore", "--database", url, "--from", str(bad)]) == 1, what
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert rows_of(seeded) == before and epoch_of(seeded) == epoch  # nothing changed
