"""Year tables: one year's official holiday arrangement, as data.

A year table replaces *everything* the library knows about the dates of its year: the holidays
(放假日, weekend days inside a holiday period included) and the make-up working weekend days
(调休上班). Every other date of the year follows the weekday rule (Mon–Fri work, Sat/Sun off).

JSON format (what the county pushes, what the admin edits, what the lead stores in the DB)::

    {
      "year": 2026,
      "holidays": [{"date": "2026-01-01", "name": "元旦"}, ...],
      "workdays": [{"date": "2026-01-04", "name": "元旦"}, ...],
      "source": "https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm",
      "published": "2025-11-04"
    }

``published`` is the notice's date, or ``null`` when unknown (tables exported from the library).

A notice for year Y sometimes also adjusts the last days of December of Y-1 (the 2019 notice made
2018-12-29 a working Saturday and 2018-12-31 a holiday). So a table for Y may list dates in December
of Y-1 as well; those "spill-over" entries win over whatever the calendar knows about Y-1 for those
dates, since the later notice is the one in force.

Sources of tables, highest precedence first: admin override > county push > bundled files in
``resources/calendar/`` > the ``chinesecalendar`` library (see :func:`library_year_table`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import chinese_calendar

from app.errors import ValidationError

__all__ = [
    "LIBRARY_YEARS",
    "NamedDay",
    "YearTable",
    "YearTableError",
    "library_day",
    "library_year_table",
    "load_year_tables",
    "merge_tables",
]

_TABLE_LABEL = "节假日安排表"
_KEYS = ("year", "holidays", "workdays", "source", "published")


class YearTableError(ValidationError):
    """A year table that breaks the format or the rules; ``problems`` lists every finding."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(
            _TABLE_LABEL, "节假日安排表未通过校验，未载入：\n" + "\n".join(self.problems)
        )


@dataclass(frozen=True)
class NamedDay:
    """One date of a table with the holiday it belongs to (e.g. ``春节``)."""

    date: date
    name: str


def _ymd(d: date) -> str:
    return d.isoformat()


@dataclass(frozen=True)
class YearTable:
    """A validated year table. Construction raises :class:`YearTableError` on any problem."""

    year: int
    holidays: tuple[NamedDay, ...]
    workdays: tuple[NamedDay, ...]
    source: str
    published: date | None
    _holiday_names: dict[date, str] = field(init=False, repr=False, compare=False)
    _workday_names: dict[date, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems = self._problems()
        if problems:
            raise YearTableError(problems)
        object.__setattr__(self, "_holiday_names", {d.date: d.name for d in self.holidays})
        object.__setattr__(self, "_workday_names", {d.date: d.name for d in self.workdays})

    def _problems(self) -> list[str]:
        year = self.year
        head = f"{year}年"
        problems: list[str] = []
        if not 1949 <= year <= 2200:
            return [f"{_TABLE_LABEL} year（年份）应为1949至2200之间的整数，当前为“{year}”"]
        if not self.source.strip():
            problems.append(f"{head}{_TABLE_LABEL} source（来源）不能为空，请填写通知文号或网址")
        seen: dict[date, str] = {}
        for key, label, days in (
            ("holidays", "放假日", self.holidays),
            ("workdays", "调休上班日", self.workdays),
        ):
            for i, day in enumerate(days):
                where = f"{head}{_TABLE_LABEL} {key}[{i}]（{label}）"
                d = day.date
                in_year = d.year == year
                spill = d.year == year - 1 and d.month == 12
                if not (in_year or spill):
                    problems.append(
                        f"{where}：日期 {_ymd(d)} 不在{year}年内"
                        f"（仅允许本年日期及上一年12月的调整）"
                    )
                if not day.name.strip():
                    problems.append(f"{where}：日期 {_ymd(d)} 缺少节日名称（name）")
                if key == "workdays" and d.weekday() < 5:
                    problems.append(f"{where}：日期 {_ymd(d)} 不是周六或周日，调休上班日只能是周末")
                if d in seen:
                    if seen[d] == key:
                        problems.append(f"{where}：日期 {_ymd(d)} 重复出现")
                    else:
                        problems.append(f"{where}：日期 {_ymd(d)} 同时被列为放假日和调休上班日")
                else:
                    seen[d] = key
        return problems

    # --- lookups -------------------------------------------------------------------------------

    def holiday_name(self, d: date) -> str | None:
        return self._holiday_names.get(d)

    def workday_name(self, d: date) -> str | None:
        return self._workday_names.get(d)

    def covers(self, d: date) -> bool:
        """True when the table lists ``d`` (as holiday or make-up workday)."""
        return d in self._holiday_names or d in self._workday_names

    # --- serialisation -------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "holidays": [{"date": _ymd(d.date), "name": d.name} for d in self.holidays],
            "workdays": [{"date": _ymd(d.date), "name": d.name} for d in self.workdays],
            "source": self.source,
            "published": None if self.published is None else _ymd(self.published),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_dict(cls, data: object) -> YearTable:
        """Parse the JSON object form; every format problem is reported in Chinese, together."""
        if not isinstance(data, Mapping):
            raise YearTableError([f"{_TABLE_LABEL}应为JSON对象（{{…}}）"])
        problems: list[str] = []
        for key in _KEYS:
            if key not in data:
                problems.append(f"{_TABLE_LABEL}缺少字段 {key}")
        problems.extend(f"{_TABLE_LABEL}含有未知字段 {key}" for key in data if key not in _KEYS)
        year = data.get("year")
        if "year" in data and (not isinstance(year, int) or isinstance(year, bool)):
            problems.append(f"{_TABLE_LABEL} year（年份）应为整数，当前为“{year}”")
        source = data.get("source", "")
        if not isinstance(source, str):
            problems.append(f"{_TABLE_LABEL} source（来源）应为文字")
        published = None
        if data.get("published") is not None:
            published = _parse_date(data["published"], "published（发布日期）", problems)
        holidays = _parse_days(data.get("holidays", []), "holidays", "放假日", problems)
        workdays = _parse_days(data.get("workdays", []), "workdays", "调休上班日", problems)
        if problems:
            raise YearTableError(problems)
        assert isinstance(year, int) and isinstance(source, str)
        return cls(
            year=year,
            holidays=holidays,
            workdays=workdays,
            source=source,
            published=published,
        )

    @classmethod
    def from_json(cls, text: str) -> YearTable:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise YearTableError(
                [f"{_TABLE_LABEL}不是有效的JSON（第{exc.lineno}行第{exc.colno}列）"]
            ) from exc
        return cls.from_dict(data)


def _parse_date(raw: object, what: str, problems: list[str]) -> date | None:
    if isinstance(raw, str):
        try:
            if len(raw) == 10:
                return date.fromisoformat(raw)
        except ValueError:
            pass
    problems.append(f"{_TABLE_LABEL} {what}：日期应写作YYYY-MM-DD，当前为“{raw}”")
    return None


def _parse_days(raw: object, key: str, label: str, problems: list[str]) -> tuple[NamedDay, ...]:
    if not isinstance(raw, list):
        problems.append(f"{_TABLE_LABEL} {key}（{label}）应为列表")
        return ()
    days: list[NamedDay] = []
    for i, item in enumerate(raw):
        where = f"{key}[{i}]（{label}）"
        if not isinstance(item, Mapping) or set(item) != {"date", "name"}:
            problems.append(f'{_TABLE_LABEL} {where}应为 {{"date": …, "name": …}}')
            continue
        d = _parse_date(item["date"], f"{where}.date", problems)
        name = item["name"]
        if not isinstance(name, str):
            problems.append(f"{_TABLE_LABEL} {where}.name（节日名称）应为文字")
            continue
        if d is not None:
            days.append(NamedDay(d, name))
    return tuple(days)


def load_year_tables(folder: Path) -> dict[int, YearTable]:
    """Load every ``*.json`` year table in ``folder`` (missing folder: none).

    A file named like ``2026.json`` must hold the table of that year; two files for one year are
    refused. All problems of all files are reported together.
    """
    if not folder.is_dir():
        return {}
    tables: dict[int, YearTable] = {}
    problems: list[str] = []
    for path in sorted(folder.glob("*.json")):
        try:
            table = YearTable.from_json(path.read_text(encoding="utf-8"))
        except YearTableError as exc:
            problems.extend(f"{path.name}：{p}" for p in exc.problems)
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path.name}：无法读取文件（{exc.__class__.__name__}）")
            continue
        if path.stem.isdigit() and int(path.stem) != table.year:
            problems.append(f"{path.name}：文件名与表内年份 {table.year} 不一致")
        elif table.year in tables:
            problems.append(f"{path.name}：{table.year}年的节假日安排表重复")
        else:
            tables[table.year] = table
    if problems:
        raise YearTableError(problems)
    return tables


def merge_tables(*layers: Mapping[int, YearTable]) -> dict[int, YearTable]:
    """Combine table sources; for a year present in several, the later layer wins.

    Call as ``merge_tables(bundled, county, admin)``.
    """
    merged: dict[int, YearTable] = {}
    for layer in layers:
        for year, table in layer.items():
            if year != table.year:
                raise ValueError(f"table for {table.year} filed under {year}")
            merged[year] = table
    return merged


# --- the chinesecalendar library ---------------------------------------------------------------

_LIB_HOLIDAYS: Mapping[date, str] = chinese_calendar.holidays
_LIB_WORKDAYS: Mapping[date, str] = chinese_calendar.workdays
_LIB_NAMES: dict[str, str] = {h.value: h.chinese for h in chinese_calendar.Holiday}

LIBRARY_YEARS: range = range(
    min(d.year for d in _LIB_HOLIDAYS), max(d.year for d in _LIB_HOLIDAYS) + 1
)
"""Years ``chinesecalendar`` has data for (it raises NotImplementedError outside them)."""

LIBRARY_SOURCE = f"chinesecalendar {chinese_calendar.__version__}"


def _library_name(value: str) -> str:
    return _LIB_NAMES.get(value, value)


def library_day(d: date) -> tuple[str, str] | None:
    """``("holiday", name)`` / ``("workday", name)`` for a listed library date, else None."""
    if d in _LIB_HOLIDAYS:
        return ("holiday", _library_name(_LIB_HOLIDAYS[d]))
    if d in _LIB_WORKDAYS:
        return ("workday", _library_name(_LIB_WORKDAYS[d]))
    return None


def _named(days: Iterable[tuple[date, str]], year: int) -> tuple[NamedDay, ...]:
    return tuple(NamedDay(d, _library_name(v)) for d, v in sorted(days) if d.year == year)


def library_year_table(year: int) -> YearTable | None:
    """The library's data for ``year`` as a :class:`YearTable` (None outside LIBRARY_YEARS).

    Useful as the starting point when an admin must amend a year the library covers.
    """
    if year not in LIBRARY_YEARS:
        return None
    return YearTable(
        year=year,
        holidays=_named(_LIB_HOLIDAYS.items(), year),
        workdays=_named(_LIB_WORKDAYS.items(), year),
        source=LIBRARY_SOURCE,
        published=None,
    )
