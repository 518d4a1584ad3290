"""A county's list of villages and communities and the search the picker runs over it.

A clerk finds a village by what comes to mind first: part of its name (东湖), its pinyin initials
(``dhc``, any reading of a 多音字 accepted: 长兴村 is ``cxc`` or ``zxc``), or digits of its code
(the start of the 12 digits, or the last ones, e.g. ``201``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.catalog.pinyin import initials_match, pinyin_initials
from app.validators import normalize_text


@dataclass(frozen=True)
class Division:
    """One village (村) or community (社区): its 12-digit code and name, and its town."""

    code: str
    name: str
    town_code: str  # 9 digits
    town_name: str

    @property
    def full_name(self) -> str:
        """The town and the village, as an address reads: 清河镇东湖村."""
        return f"{self.town_name}{self.name}"


@dataclass(frozen=True)
class DivisionList:
    """A county's villages, in the order the county lists them (its towns in turn)."""

    county_code: str  # 6 digits
    county_name: str
    divisions: tuple[Division, ...]
    towns: tuple[tuple[str, str], ...] = ()  # (9-digit code, name) of every town listed
    demo: bool = False
    _by_code: dict[str, Division] = field(init=False, repr=False, compare=False)
    _initials: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {d.code: d for d in self.divisions})
        object.__setattr__(
            self, "_initials", {d.code: pinyin_initials(d.name) for d in self.divisions}
        )

    def by_code(self, code: str) -> Division | None:
        return self._by_code.get(code)

    def has_town(self, town_code: str) -> bool:
        """Whether the list holds the villages of this 9-digit town code."""
        return any(code == town_code for code, _ in self.towns)

    def in_address(self, address: str) -> Division | None:
        """The village an address written out in words lies in (the 住址 on an ID card:
        示例县清河镇东湖村3组12号): the one whose town and name it holds, else the one whose name
        alone it holds when no other village's does. None when none or several match."""
        text = normalize_text(address)
        whole = [d for d in self.divisions if d.full_name in text]
        if whole:
            return max(whole, key=lambda d: len(d.full_name))
        named = [d for d in self.divisions if d.name in text]
        longest = max((len(d.name) for d in named), default=0)
        best = [d for d in named if len(d.name) == longest]
        return best[0] if len(best) == 1 else None

    def initials(self, division: Division) -> str:
        return self._initials[division.code]

    def search(self, text: str, *, first_town: str = "", limit: int = 50) -> list[Division]:
        """The villages ``text`` finds, best first: a whole code, then names that start with it,
        initials that start with it, names that contain it, codes that start or end with it.
        Villages of ``first_town`` (a 9-digit code: the centre's own town) come first in each
        rank. Empty text finds nothing."""
        needle = normalize_text(text).lower()
        if not needle:
            return []
        ranked: list[tuple[int, int, int, Division]] = []
        for index, division in enumerate(self.divisions):
            rank = self._rank(division, needle)
            if rank is not None:
                town_rank = 0 if division.town_code == first_town else 1
                ranked.append((rank, town_rank, index, division))
        ranked.sort(key=lambda entry: entry[:3])
        return [division for *_, division in ranked[:limit]]

    def _rank(self, division: Division, needle: str) -> int | None:
        if needle.isdigit():
            if division.code == needle:
                return 0
            if division.code.startswith(needle) or division.code.endswith(needle):
                return 4
            return None
        name = division.name.lower()
        if name.startswith(needle):
            return 1
        if self._initials[division.code].startswith(needle) or (
            needle.isascii() and initials_match(division.name[: len(needle)], needle)
        ):
            return 2
        if needle in name:
            return 3
        return None
