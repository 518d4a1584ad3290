"""The county's division list as a file: its shape, checked on load, and the bundled files.

The shape (``docs/divisions.md``)::

    {"format": 1, "demo": true, "note": "…", "published_at": "2026-11-01",
     "county": {"code": "511899", "name": "示例县"},
     "towns": [{"code": "511899101", "name": "清河镇",
                "villages": [{"code": "511899101201", "name": "东湖村"}, …]}, …]}

Every town code starts with the county code and every village code with its town's; codes are
unique. :func:`parse_divisions` takes the decoded JSON (what a sync pull would hand over as
well as what a file holds); :func:`load_divisions` reads a file; :func:`county_divisions` finds
the list for a county among the bundled files.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic import ValidationError as ShapeError

from app.divisions.model import Division, DivisionList
from app.errors import InputFileError
from app.system import paths

FORMAT = 1

_Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VillageEntry(_Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[0-9]{12}$")]
    name: _Name


class TownEntry(_Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[0-9]{9}$")]
    name: _Name
    villages: list[VillageEntry]

    @model_validator(mode="after")
    def _villages_in_town(self) -> TownEntry:
        for village in self.villages:
            if not village.code.startswith(self.code):
                name, code = village.name, village.code
                raise ValueError(f"村（社区）{name} 的代码 {code} 不属于乡镇 {self.code}")
        return self


class CountyEntry(_Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]
    name: _Name


class DivisionsFile(_Strict):
    """The file as the county publishes it."""

    format: int = Field(ge=FORMAT, le=FORMAT)
    demo: bool = False
    note: str = ""
    published_at: str = ""
    county: CountyEntry
    towns: list[TownEntry]

    @model_validator(mode="after")
    def _towns_in_county(self) -> DivisionsFile:
        seen: set[str] = set()
        for town in self.towns:
            if not town.code.startswith(self.county.code):
                raise ValueError(f"乡镇 {town.name} 的代码 {town.code} 不属于县 {self.county.code}")
            for code in [town.code, *(v.code for v in town.villages)]:
                if code in seen:
                    raise ValueError(f"代码 {code} 出现了两次")
                seen.add(code)
        return self


def _message(text: str) -> str:
    return text.removeprefix("Value error, ")  # pydantic's prefix to the validators' words


def parse_divisions(data: Any, source: str = "区划名单") -> DivisionList:
    """The list from decoded JSON; :class:`InputFileError` naming ``source`` and every problem."""
    try:
        shape = DivisionsFile.model_validate(data)
    except ShapeError as error:
        problems = "；".join(
            f"{'.'.join(str(p) for p in e['loc']) or '文件'}：{_message(e['msg'])}"
            for e in error.errors()
        )
        raise InputFileError(f"{source}格式不正确：{problems}") from error
    divisions = tuple(
        Division(village.code, village.name, town.code, town.name)
        for town in shape.towns
        for village in town.villages
    )
    return DivisionList(
        county_code=shape.county.code,
        county_name=shape.county.name,
        divisions=divisions,
        towns=tuple((town.code, town.name) for town in shape.towns),
        demo=shape.demo,
    )


def load_divisions(path: Path) -> DivisionList:
    """Read and check one file; :class:`InputFileError` when it cannot be read or is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputFileError(f"区划名单文件 {path.name} 无法读取：{error}") from error
    return parse_divisions(data, f"区划名单文件 {path.name} ")


def divisions_dir() -> Path:
    return paths.resources_dir() / "divisions"


@cache
def county_divisions(county_code: str) -> DivisionList | None:
    """The bundled list of ``county_code`` (``resources/divisions/<code>.json``), or None.

    Where the county's own list will come from once sync carries it (docs/divisions.md): the
    list the county publishes, kept in the store, read before this bundled one.
    """
    path = divisions_dir() / f"{county_code}.json"
    if not county_code.isdigit() or not path.is_file():
        return None
    return load_divisions(path)
