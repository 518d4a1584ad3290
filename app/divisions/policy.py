"""The centre's division codes: its county (from ``settings.TOWN_CODE``), the county's village
list and the rule for codes of other counties (``settings.OUT_OF_COUNTY_CODES``), with the check
every form's 区划代码 goes through (``app.forms.check_form(..., check_code=...)``).

A code is first checked for its form (``app.validators.check_division_code``). Then:

* a code outside the centre's county is warned about (default) or refused, by the setting;
* a code of a town whose villages the list holds, but not one of them, is warned about (a typo
  in the last digits, or a village merged away);
* text that is not digits (a name typed and not picked) is told to pick from the list.

A centre whose town code was never set (``000000000000``) has no county: only the form is checked.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from app import settings
from app.divisions.loader import county_divisions
from app.divisions.model import Division, DivisionList
from app.errors import InputFileError
from app.validators import Check, check_division_code, normalize_text

__all__ = ["CentreDivisions", "OutOfCounty", "centre_divisions"]

log = logging.getLogger(__name__)


class OutOfCounty(StrEnum):
    """What a code outside the centre's county does to the form."""

    WARN = "warn"
    REFUSE = "refuse"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    OutOfCounty.WARN: "提醒核对，可继续办理",
    OutOfCounty.REFUSE: "不予通过，须改为本县代码",
}

_UNSET_TOWN = settings.TOWN_CODE.default


@dataclass(frozen=True)
class CentreDivisions:
    """What a form knows of division codes at this centre."""

    town_code: str  # the centre's 12-digit 乡镇区划代码
    villages: DivisionList | None = None
    out_of_county: OutOfCounty = OutOfCounty.WARN

    @property
    def county_code(self) -> str | None:
        """The centre's 6-digit county code; None when the town code was never set."""
        town = self.town_code
        if len(town) != 12 or not town.isdigit() or town == _UNSET_TOWN:
            return None
        return town[:6]

    @property
    def county_text(self) -> str:
        """The county as messages name it: 示例县 511899."""
        code = self.county_code or ""
        if self.villages is not None and self.villages.county_code == code:
            return f"{self.villages.county_name} {code}"
        return code

    def search(self, text: str, limit: int = 50) -> list[Division]:
        """The villages ``text`` finds (name, pinyin initials, code), the centre's town first."""
        if self.villages is None:
            return []
        return self.villages.search(text, first_town=self.town_code[:9], limit=limit)

    def find(self, code: str) -> Division | None:
        return self.villages.by_code(code) if self.villages is not None else None

    def check(self, value: str, label: str = "区划代码") -> Check:
        """``value`` checked as a 区划代码 of this centre; every message names ``label``."""
        text = normalize_text(value, remove="-")
        if text and not text.isdigit() and self.villages is not None:
            return Check(
                ok=False,
                value=text,
                label=label,
                error=f"{label}：请从名单中选择村（社区），或输入12位数字代码",
            )
        result = check_division_code(value, label)
        county = self.county_code
        if not result.ok or county is None:
            return result
        code = result.value
        if not code.startswith(county):
            message = f"{label}{code}不属于本县（{self.county_text}）"
            if self.out_of_county is OutOfCounty.REFUSE:
                return Check(
                    ok=False, value=code, label=label, error=f"{message}，本中心不予通过，请核对"
                )
            return Check(ok=True, value=code, label=label, warning=f"{message}，请与申请人核对")
        villages = self.villages
        if villages is not None and villages.has_town(code[:9]) and villages.by_code(code) is None:
            return Check(
                ok=True,
                value=code,
                label=label,
                warning=f"{label}{code}不在本县的村（社区）名单中，请核对",
            )
        return result


def centre_divisions(session: Session) -> CentreDivisions:
    """The centre's county, village list and rule, from the store's settings. A list that does
    not load leaves the picker off (logged), never the window unable to take a case in."""
    town = settings.TOWN_CODE.get(session)
    try:
        rule = OutOfCounty(settings.OUT_OF_COUNTY_CODES.get(session))
    except ValueError:
        rule = OutOfCounty.WARN
    county = town[:6] if town != _UNSET_TOWN else ""
    try:
        villages = county_divisions(county) if county else None
    except InputFileError as error:
        log.warning("区划名单未能载入，村（社区）选择不可用：%s", error)
        villages = None
    return CentreDivisions(town, villages, rule)
