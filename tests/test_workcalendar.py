"""The working-day calendar and its year tables.

Real dates below were checked against both the chinesecalendar 1.11.0 data and the State Council
notices (国办发明电〔2024〕12号 for 2025, the 2025-11-04 notice for 2026; research §6); the
``test_matches_library_every_day`` test re-checks the whole of 2025 and 2026 against the library.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import ValidationError
from app.system.paths import calendar_dir
from app.workcalendar import (
    LIBRARY_YEARS,
    DataSource,
    DayType,
    NamedDay,
    WorkCalendar,
    YearTable,
    YearTableError,
    default_calendar,
    library_year_table,
    load_year_tables,
    merge_tables,
)

CAL = WorkCalendar()
NO_LIBRARY = WorkCalendar(use_library=False)


def d(text: str) -> date:
    return date.fromisoformat(text)


def days(first: str, last: str) -> list[date]:
    start, end = d(first), d(last)
    return [start + timedelta(n) for n in range((end - start).days + 1)]


def fictional_2031() -> YearTable:
    """A made-up arrangement for 2031 (no such notice exists), with a December 2030 spill-over."""
    return YearTable(
        year=2031,
        holidays=(
            NamedDay(d("2030-12-31"), "元旦"),  # Tuesday, spill-over into 2030
            NamedDay(d("2031-01-01"), "元旦"),
            *(NamedDay(x, "国庆节") for x in days("2031-10-01", "2031-10-07")),
        ),
        workdays=(
            NamedDay(d("2030-12-28"), "元旦"),  # Saturday, spill-over into 2030
            NamedDay(d("2031-09-28"), "国庆节"),  # Sunday
            NamedDay(d("2031-10-11"), "国庆节"),  # Saturday
        ),
        source="测试用虚构安排",
        published=d("2030-11-01"),
    )


# --- library data and real dates -----------------------------------------------------------


def test_library_covers_2004_to_2026() -> None:
    assert range(2004, 2027) == LIBRARY_YEARS
    assert CAL.known_years() == tuple(range(2004, 2027))
    assert CAL.has_data(2026)
    assert not CAL.has_data(2027)
    assert not CAL.has_data(2003)
    with pytest.raises(NotImplementedError):  # why we never call the library outside its years
        chinese_calendar.is_workday(d("2027-01-04"))


@pytest.mark.parametrize("year", [2025, 2026])
def test_matches_library_every_day(year: int) -> None:
    for day in days(f"{year}-01-01", f"{year}-12-31"):
        assert CAL.is_working_day(day) == chinese_calendar.is_workday(day), day


def test_spring_festival_2025() -> None:
    # 2025 notice: 1月28日（除夕、周二）至2月4日（周二）放假，1月26日（周日）、2月8日（周六）上班.
    for day in days("2025-01-28", "2025-02-04"):
        kind = CAL.day_kind(day)
        assert kind.kind is DayType.HOLIDAY and kind.name == "春节", day
        assert kind.source is DataSource.LIBRARY
    for day in (d("2025-01-26"), d("2025-02-08")):
        assert day.weekday() >= 5
        kind = CAL.day_kind(day)
        assert kind.kind is DayType.MAKEUP_WORKDAY and kind.is_working
        assert kind.label == "春节调休上班"
    assert CAL.day_kind(d("2025-01-27")).kind is DayType.WORKING  # Monday between
    assert CAL.day_kind(d("2025-02-05")).kind is DayType.WORKING
    assert CAL.day_kind(d("2025-02-09")).kind is DayType.WEEKEND  # ordinary Sunday after


def test_national_day_2025() -> None:
    # 2025 notice: 10月1日（周三）至8日（周三）放假，9月28日（周日）、10月11日（周六）上班.
    assert not any(CAL.is_working_day(x) for x in days("2025-10-01", "2025-10-08"))
    assert CAL.day_kind(d("2025-10-06")).name == "中秋"  # merged 国庆·中秋 holiday
    assert CAL.day_kind(d("2025-10-01")).label == "国庆节放假"
    assert CAL.is_working_day(d("2025-09-28")) and d("2025-09-28").weekday() == 6
    assert CAL.is_working_day(d("2025-10-11")) and d("2025-10-11").weekday() == 5
    assert CAL.is_working_day(d("2025-10-09"))


def test_spring_festival_2026() -> None:
    # 2026 notice: 2月15日（周日）至23日（周一）放假，2月14日（周六）、2月28日（周六）上班.
    assert [x for x in days("2026-02-13", "2026-03-01") if CAL.is_working_day(x)] == [
        d("2026-02-13"),
        d("2026-02-14"),  # make-up Saturday
        d("2026-02-24"),
        d("2026-02-25"),
        d("2026-02-26"),
        d("2026-02-27"),
        d("2026-02-28"),  # make-up Saturday
    ]


def test_national_day_2026() -> None:
    # 2026 notice: 中秋 9月25日至27日；国庆 10月1日（周四）至7日（周三），
    # 9月20日（周日）、10月10日（周六）上班.
    assert not any(CAL.is_working_day(x) for x in days("2026-10-01", "2026-10-07"))
    assert not any(CAL.is_working_day(x) for x in days("2026-09-25", "2026-09-27"))
    assert CAL.day_kind(d("2026-09-20")).kind is DayType.MAKEUP_WORKDAY
    assert CAL.day_kind(d("2026-10-10")).kind is DayType.MAKEUP_WORKDAY
    assert CAL.day_kind(d("2026-10-11")).kind is DayType.WEEKEND


def test_december_adjusted_by_next_years_notice_in_library() -> None:
    # The 2019 notice: 2018年12月30日至2019年1月1日放假，2018年12月29日（周六）上班.
    assert CAL.is_working_day(d("2018-12-29"))
    assert not CAL.is_working_day(d("2018-12-31"))  # a Monday


# --- years without data ------------------------------------------------------------------------


def test_year_without_data_uses_weekdays_and_says_so() -> None:
    for day in days("2027-01-01", "2027-12-31") + days("2030-01-01", "2030-01-14"):
        kind = CAL.day_kind(day)
        assert kind.source is DataSource.WEEKDAY_RULE and kind.provisional
        assert kind.is_working == (day.weekday() < 5)
    assert "未发布节假日安排" in CAL.day_kind(d("2027-02-08")).label
    assert CAL.missing_years(d("2026-12-01"), d("2028-01-05")) == (2027, 2028)
    assert CAL.missing_years(d("2026-02-01"), d("2026-03-01")) == ()


def test_without_library_every_year_is_weekday_rule() -> None:
    assert NO_LIBRARY.known_years() == ()
    assert not NO_LIBRARY.has_data(2026)
    assert NO_LIBRARY.is_working_day(d("2026-02-16"))  # a Monday in 春节, unknown here
    assert not NO_LIBRARY.is_working_day(d("2026-02-14"))


# --- explicit tables ---------------------------------------------------------------------------


def test_explicit_table_for_future_year() -> None:
    cal = WorkCalendar({2031: fictional_2031()})
    assert cal.has_data(2031) and 2031 in cal.known_years()
    kind = cal.day_kind(d("2031-10-03"))
    assert kind.kind is DayType.HOLIDAY and kind.source is DataSource.TABLE
    assert cal.day_kind(d("2031-09-28")).kind is DayType.MAKEUP_WORKDAY
    assert cal.day_kind(d("2031-10-08")).kind is DayType.WORKING
    assert cal.day_kind(d("2031-10-12")).kind is DayType.WEEKEND
    assert not cal.is_working_day(d("2031-01-01"))


def test_spill_over_into_december_of_previous_year() -> None:
    cal = WorkCalendar({2031: fictional_2031()})
    assert cal.is_working_day(d("2030-12-28"))  # Saturday made a working day
    assert not cal.is_working_day(d("2030-12-31"))  # Tuesday made a holiday
    assert cal.day_kind(d("2030-12-31")).source is DataSource.TABLE
    assert cal.day_kind(d("2030-12-30")).source is DataSource.WEEKDAY_RULE
    assert not cal.has_data(2030)


def test_explicit_table_overrides_library() -> None:
    table = YearTable(
        year=2026,
        holidays=(NamedDay(d("2026-03-02"), "测试假日"),),
        workdays=(NamedDay(d("2026-03-07"), "测试调休"),),
        source="测试",
        published=None,
    )
    cal = WorkCalendar({2026: table})
    assert cal.is_working_day(d("2026-02-16"))  # 春节 in the library, ordinary Monday here
    assert not cal.is_working_day(d("2026-02-14"))  # library make-up day, plain Saturday here
    assert not cal.is_working_day(d("2026-03-02"))
    assert cal.is_working_day(d("2026-03-07"))
    assert cal.day_kind(d("2026-02-16")).source is DataSource.TABLE
    assert cal.is_working_day(d("2025-01-26"))  # other years still from the library


def test_table_key_must_match_its_year() -> None:
    with pytest.raises(ValueError, match="2031"):
        WorkCalendar({2030: fictional_2031()})


def test_datetime_is_accepted() -> None:
    from datetime import datetime

    assert CAL.day_kind(datetime(2026, 2, 16, 9, 30)).kind is DayType.HOLIDAY
    assert CAL.next_working_day(datetime(2026, 2, 14, 17, 0)) == d("2026-02-24")


# --- counting helpers --------------------------------------------------------------------------


def test_next_working_day_and_roll_forward() -> None:
    assert CAL.next_working_day(d("2026-02-13")) == d("2026-02-14")
    assert CAL.next_working_day(d("2026-02-14")) == d("2026-02-24")
    assert CAL.working_day_on_or_after(d("2026-02-16")) == d("2026-02-24")
    assert CAL.working_day_on_or_after(d("2026-02-24")) == d("2026-02-24")


def test_add_working_days_and_between() -> None:
    assert CAL.add_working_days(d("2026-02-13"), 0) == d("2026-02-13")
    assert CAL.add_working_days(d("2026-02-13"), 5) == d("2026-02-27")
    assert CAL.working_days_between(d("2026-02-13"), d("2026-02-27")) == 5
    assert CAL.working_days_between(d("2026-02-27"), d("2026-02-13")) == -5
    assert CAL.working_days_between(d("2026-02-15"), d("2026-02-23")) == 0
    with pytest.raises(ValueError):
        CAL.add_working_days(d("2026-02-13"), -1)


# --- year tables: format, validation, files ----------------------------------------------------


def test_json_round_trip() -> None:
    table = fictional_2031()
    text = table.to_json()
    assert json.loads(text)["holidays"][0] == {"date": "2030-12-31", "name": "元旦"}
    assert YearTable.from_json(text) == table
    assert YearTable.from_dict(table.to_dict()) == table


def test_library_year_table_matches_library() -> None:
    table = library_year_table(2026)
    assert table is not None
    assert table.published is None
    assert YearTable.from_json(table.to_json()) == table
    cal = WorkCalendar({2026: table}, use_library=False)
    for day in days("2026-01-01", "2026-12-31"):
        assert cal.is_working_day(day) == CAL.is_working_day(day)
    assert library_year_table(2027) is None


def base_dict() -> dict[str, object]:
    return {
        "year": 2031,
        "holidays": [{"date": "2031-01-01", "name": "元旦"}],
        "workdays": [{"date": "2031-09-28", "name": "国庆节"}],
        "source": "测试",
        "published": "2030-11-01",
    }


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"holidays": [{"date": "2032-01-01", "name": "元旦"}]}, "不在2031年内"),
        ({"holidays": [{"date": "2030-11-30", "name": "元旦"}]}, "不在2031年内"),
        ({"workdays": [{"date": "2031-09-29", "name": "国庆节"}]}, "不是周六或周日"),
        ({"workdays": [{"date": "2031-01-01", "name": "元旦"}]}, "同时被列为放假日和调休上班日"),
        (
            {"holidays": [{"date": "2031-01-01", "name": "元旦"}] * 2},
            "重复出现",
        ),
        ({"holidays": [{"date": "2031-01-01", "name": " "}]}, "缺少节日名称"),
        ({"holidays": [{"date": "2031/01/01", "name": "元旦"}]}, "YYYY-MM-DD"),
        ({"holidays": [{"date": "2031-02-30", "name": "元旦"}]}, "YYYY-MM-DD"),
        ({"holidays": [{"day": "2031-01-01", "name": "元旦"}]}, "holidays[0]"),
        ({"holidays": "2031-01-01"}, "应为列表"),
        ({"source": ""}, "source（来源）不能为空"),
        ({"source": 5}, "source（来源）应为文字"),
        ({"year": "2031"}, "year（年份）应为整数"),
        ({"year": 1800}, "1949至2200"),
        ({"published": "11/01/2030"}, "published"),
        ({"workday": []}, "未知字段 workday"),
    ],
)
def test_invalid_tables_are_refused_in_chinese(change: dict[str, object], fragment: str) -> None:
    data = base_dict() | change
    with pytest.raises(YearTableError) as info:
        YearTable.from_dict(data)
    assert isinstance(info.value, ValidationError)
    assert info.value.field == "节假日安排表"
    assert any(fragment in p for p in info.value.problems), info.value.problems
    assert fragment in str(info.value)


def test_missing_keys_and_bad_json() -> None:
    with pytest.raises(YearTableError) as info:
        YearTable.from_dict({"year": 2031})
    assert {"缺少字段" in p for p in info.value.problems} == {True}
    assert len(info.value.problems) == 4
    with pytest.raises(YearTableError, match="不是有效的JSON"):
        YearTable.from_json("{")
    with pytest.raises(YearTableError, match="JSON对象"):
        YearTable.from_json("[]")


def test_published_may_be_null() -> None:
    table = YearTable.from_dict(base_dict() | {"published": None})
    assert table.published is None
    assert table.to_dict()["published"] is None


def test_load_year_tables(tmp_path: Path) -> None:
    assert load_year_tables(tmp_path / "missing") == {}
    (tmp_path / "2031.json").write_text(fictional_2031().to_json(), encoding="utf-8")
    (tmp_path / "README.md").write_text("not a table", encoding="utf-8")
    assert load_year_tables(tmp_path) == {2031: fictional_2031()}


def test_load_year_tables_reports_every_bad_file(tmp_path: Path) -> None:
    (tmp_path / "2030.json").write_text(fictional_2031().to_json(), encoding="utf-8")
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    (tmp_path / "copy.json").write_text(fictional_2031().to_json(), encoding="utf-8")
    (tmp_path / "other.json").write_text(fictional_2031().to_json(), encoding="utf-8")
    with pytest.raises(YearTableError) as info:
        load_year_tables(tmp_path)
    problems = "\n".join(info.value.problems)
    assert "2030.json：文件名与表内年份 2031 不一致" in problems
    assert "bad.json：" in problems
    assert "other.json：2031年的节假日安排表重复" in problems


def test_bundled_folder_is_valid_and_documented() -> None:
    folder = calendar_dir()
    assert (folder / "README.md").is_file()
    bundled = load_year_tables(folder)
    for year, table in bundled.items():
        assert table.year == year
        assert table.source.strip()
    cal = default_calendar()
    assert cal.has_data(2026)


def test_merge_tables_later_layer_wins() -> None:
    county = {2031: fictional_2031()}
    admin_table = YearTable(2031, (), (), "管理员修订", None)
    assert merge_tables(county, {2031: admin_table}) == {2031: admin_table}
    assert merge_tables({2031: admin_table}, county) == county
    assert default_calendar(county, {2031: admin_table}).table(2031) is admin_table
    with pytest.raises(ValueError):
        merge_tables({2030: admin_table})


# --- properties --------------------------------------------------------------------------------

fallback_dates = st.dates(min_value=date(2027, 1, 1), max_value=date(2030, 12, 31))


@given(fallback_dates, st.integers(min_value=0, max_value=20))
def test_fallback_years_count_five_per_full_week(start: date, weeks: int) -> None:
    end = start + timedelta(weeks=weeks)
    assert CAL.working_days_between(start, end) == 5 * weeks


@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31)))
def test_library_years_agree_with_library(day: date) -> None:
    assert CAL.is_working_day(day) == chinese_calendar.is_workday(day)
    kind = CAL.day_kind(day)
    assert kind.source is DataSource.LIBRARY
    assert (kind.name is None) == (kind.kind in (DayType.WORKING, DayType.WEEKEND))


@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2031, 12, 31)))
def test_next_working_day_is_the_first_after(day: date) -> None:
    cal = WorkCalendar({2031: fictional_2031()})
    nxt = cal.next_working_day(day)
    assert nxt > day and cal.is_working_day(nxt)
    assert cal.working_days_between(day, nxt) == 1
