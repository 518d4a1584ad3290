"""Calendar years stored in the encrypted store override the bundled data; the CLI adds them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.cli import main
from app.settings import calendar as calendar_service
from app.workcalendar import YearTable, YearTableError, working_deadline
from db.models import AuditEntry
from db.store import Store, open_store

# A made-up 2031 table (no such notice exists yet): 元旦 on Wed 1 January, a make-up Sunday after.
TABLE_2031 = {
    "year": 2031,
    "holidays": [{"date": "2031-01-01", "name": "元旦"}, {"date": "2031-01-02", "name": "元旦"}],
    "workdays": [{"date": "2031-01-05", "name": "元旦"}],
    "source": "测试用表（虚构）",
    "published": "2030-11-01",
}


def test_a_stored_year_makes_deadlines_non_provisional(store: Store) -> None:
    with store.session() as session:
        before = calendar_service.work_calendar(session)
    provisional = working_deadline(before, dt.date(2030, 12, 31), 3)
    assert provisional.provisional and 2031 in provisional.provisional_years

    with store.session() as session, session.begin():
        calendar_service.store_year(session, YearTable.from_dict(TABLE_2031), "county", "sync")
    with store.session() as session:
        after = calendar_service.work_calendar(session)
    deadline = working_deadline(after, dt.date(2030, 12, 31), 3)
    assert not deadline.provisional
    # 1/1 and 1/2 are holidays, Fri 1/3 is day 1, Sun 1/5 (make-up) day 2, Mon 1/6 day 3.
    assert deadline.due == dt.date(2031, 1, 6)
    assert provisional.due != deadline.due


def test_admin_table_beats_county_table(store: Store) -> None:
    county = YearTable.from_dict(TABLE_2031)
    admin = YearTable.from_dict({**TABLE_2031, "workdays": [], "source": "管理员更正"})
    with store.session() as session, session.begin():
        calendar_service.store_year(session, county, "county", "sync")
        calendar_service.store_year(session, admin, "admin", "admin1")
    with store.session() as session:
        calendar = calendar_service.work_calendar(session)
        years = calendar_service.stored_years(session)
    assert not calendar.is_working_day(dt.date(2031, 1, 5))
    assert [(y.year, y.source) for y in years] == [(2031, "admin"), (2031, "county")]


def test_cli_add_year_and_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tmp_path / "data"
    open_store(data_dir).close()
    table_file = tmp_path / "2031.json"
    table_file.write_text(json.dumps(TABLE_2031, ensure_ascii=False), encoding="utf-8")
    assert main(["--data-dir", str(data_dir), "calendar", "add-year", str(table_file)]) == 0
    assert "2031年 已载入" in capsys.readouterr().out
    store = open_store(data_dir)
    with store.reader() as session:  # audited, naming who held the store key
        (entry,) = session.scalars(
            select(AuditEntry).where(AuditEntry.event == AuditEvent.CALENDAR_YEAR_ADDED)
        )
        assert entry.actor.startswith("cli:") and entry.subject == "calendar:2031"
        assert entry.detail["year"] == 2031 and entry.detail["file"] == "2031.json"
        (year,) = calendar_service.stored_years(session)
        assert year.updated_by == entry.actor
    store.close()
    assert main(["--data-dir", str(data_dir), "calendar", "show", "2031"]) == 0
    shown = capsys.readouterr().out
    assert "2031-01-01  元旦放假" in shown
    assert "2031-01-05  元旦调休上班" in shown
    assert main(["--data-dir", str(data_dir), "calendar", "show", "2032"]) == 0
    assert "暂定" in capsys.readouterr().out


def test_cli_refuses_a_bad_table_and_keeps_what_was_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    open_store(data_dir).close()
    bad = {**TABLE_2031, "workdays": [{"date": "2031-01-07", "name": "元旦"}]}  # a Tuesday
    table_file = tmp_path / "bad.json"
    table_file.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    assert main(["--data-dir", str(data_dir), "calendar", "add-year", str(table_file)]) == 1
    err = capsys.readouterr().err
    assert "workdays[0]" in err and "bad.json" in err
    store = open_store(data_dir)
    with store.session() as session:
        assert calendar_service.stored_years(session) == []
    store.close()
    with pytest.raises(YearTableError):
        YearTable.from_dict(bad)


def test_cli_names_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tmp_path / "data"
    missing = tmp_path / "2031.json"
    assert main(["--data-dir", str(data_dir), "calendar", "add-year", str(missing)]) == 1
    err = capsys.readouterr().err
    assert "无法读取节假日表文件" in err and "2031.json" in err
