"""The words and codes of 好差评 (国办发〔2019〕51号).

Five levels, 非常满意 … 非常不满意; the bottom two are 差评. Two code lists count them in opposite
directions, so every conversion goes through the explicit tables below, never ``6 - code``:

- GB/T 39046-2020 A.8 满意度代码 (the 办件 ledger's 评价 table, and this program's stored level):
  1 = 非常满意 … 5 = 非常不满意;
- the national 好差评 evaluation interface (``satisfaction``): 1 = 非常不满意 … 5 = 非常满意.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum, StrEnum
from types import MappingProxyType
from typing import Final


class Level(IntEnum):
    """A rating, valued by its GB/T 39046 A.8 code (the code this program stores)."""

    VERY_SATISFIED = 1
    SATISFIED = 2
    BASICALLY_SATISFIED = 3
    DISSATISFIED = 4
    VERY_DISSATISFIED = 5

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]

    @property
    def is_bad(self) -> bool:
        """差评: the bottom two levels; each opens a rectification task."""
        return self in BAD

    @property
    def is_satisfied(self) -> bool:
        """Counted in 满意度 (the share of 非常满意 + 满意)."""
        return self in (Level.VERY_SATISFIED, Level.SATISFIED)


LEVEL_LABELS: Mapping[Level, str] = MappingProxyType(
    {
        Level.VERY_SATISFIED: "非常满意",
        Level.SATISFIED: "满意",
        Level.BASICALLY_SATISFIED: "基本满意",
        Level.DISSATISFIED: "不满意",
        Level.VERY_DISSATISFIED: "非常不满意",
    }
)
BAD: Final = frozenset({Level.DISSATISFIED, Level.VERY_DISSATISFIED})

#: GB/T 39046 A.8 code → the national evaluation interface's ``satisfaction``.
NATIONAL_FROM_GBT: Mapping[int, int] = MappingProxyType({1: 5, 2: 4, 3: 3, 4: 2, 5: 1})
#: The national evaluation interface's ``satisfaction`` → GB/T 39046 A.8 code.
GBT_FROM_NATIONAL: Mapping[int, int] = MappingProxyType(
    {national: gbt for gbt, national in NATIONAL_FROM_GBT.items()}
)


def to_national(level: Level) -> int:
    """The national interface's ``satisfaction`` (1 = 非常不满意) of ``level``."""
    return NATIONAL_FROM_GBT[level.value]


def from_national(satisfaction: int) -> Level:
    """The level the national interface's ``satisfaction`` code means; KeyError if none."""
    return Level(GBT_FROM_NATIONAL[satisfaction])


class Reason(StrEnum):
    """Why a resident gave a 差评: the checklist the 评价器 and the phone page show. The codes
    are this program's; a province's own indicator codes map onto them in its export."""

    ATTITUDE = "attitude"
    SLOW = "slow"
    NOT_TOLD_ONCE = "not_told_once"
    MANY_TRIPS = "many_trips"
    MATERIALS = "materials"
    UNCLEAR_RULES = "unclear_rules"
    WAITING = "waiting"
    FEES = "fees"
    OTHER = "other"

    @property
    def label(self) -> str:
        return REASON_LABELS[self]


REASON_LABELS: Mapping[Reason, str] = MappingProxyType(
    {
        Reason.ATTITUDE: "服务态度不好",
        Reason.SLOW: "办理效率低、时间长",
        Reason.NOT_TOLD_ONCE: "没有一次性告知",
        Reason.MANY_TRIPS: "来回跑了多次",
        Reason.MATERIALS: "要求的材料过多或不合理",
        Reason.UNCLEAR_RULES: "办事指南不清楚",
        Reason.WAITING: "排队等候时间长",
        Reason.FEES: "收费不合理",
        Reason.OTHER: "其他",
    }
)


class Service(StrEnum):
    """A service the window completes for a resident, each rated once there (一次一评)."""

    INTAKE = "intake"  # 收件/受理
    NOTICE = "notice"  # 一次性告知
    REFUSAL = "refusal"  # 不予受理
    DELIVERY = "delivery"  # 出件
    CASE = "case"  # the case as a whole: a later rating by phone

    @property
    def label(self) -> str:
        return SERVICE_LABELS[self]


SERVICE_LABELS: Mapping[Service, str] = MappingProxyType(
    {
        Service.INTAKE: "收件受理",
        Service.NOTICE: "一次性告知",
        Service.REFUSAL: "不予受理",
        Service.DELIVERY: "出件",
        Service.CASE: "办件",
    }
)


class Channel(StrEnum):
    """评价渠道: where the rating was given."""

    WINDOW = "window"  # 现场评价（评价器或评价窗口）
    PHONE = "phone"  # 扫码评价（手机）
    DEFAULT = "default"  # 默认评价: no rating within the county's set working days

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self]


CHANNEL_LABELS: Mapping[Channel, str] = MappingProxyType(
    {
        Channel.WINDOW: "窗口现场评价",
        Channel.PHONE: "扫码评价",
        Channel.DEFAULT: "超期未评价默认",
    }
)

MAX_TEXT: Final = 500  # 文字评价, characters
