"""What a 第二代居民身份证 (resident ID card) holds, as read off the chip, and the reader's errors.

The card's text fields (GA 450 / the readers' 256-byte text block): 姓名, 性别, 民族, 出生, 住址,
公民身份号码, 签发机关, 有效期限 (start and end, or 长期). The photo is kept in memory only: it is
shown to the clerk and never written anywhere (not the draft, not the store, not a log). Even the
``repr`` of a card shows only the masked ID number, so a card in a traceback leaks nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.errors import AppError
from app.validators import mask_id_number

__all__ = [
    "CardReaderError",
    "IdCard",
    "NoCard",
    "NoReader",
    "ReadFailed",
    "format_card_date",
]


class CardReaderError(AppError):
    """Reading an ID card did not work; nothing in the form was changed."""

    code = "E700"


class NoReader(CardReaderError):
    """No reader is configured, or the configured one cannot be reached."""

    code = "E701"

    def __init__(self, message: str = "") -> None:
        default = "未找到身份证阅读器，请检查阅读器连接和“中心设置”中的阅读器设置。"
        super().__init__(message or default)


class NoCard(CardReaderError):
    """The reader answered, but no card lies on it (or it could not be authenticated)."""

    code = "E702"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or "阅读器上没有身份证，请将身份证平放在阅读器上后再读卡。")


class ReadFailed(CardReaderError):
    """A card is there but its content could not be read or made sense of."""

    code = "E703"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or "读卡失败，请将身份证重新放好后再读卡。")


def format_card_date(day: dt.date) -> str:
    """A date as the card prints it: ``2016.03.01``."""
    return f"{day.year:04d}.{day.month:02d}.{day.day:02d}"


@dataclass(frozen=True, repr=False)
class IdCard:
    """One card's content. ``nation`` is as printed (``汉``, not ``汉族``); ``valid_until`` None
    is 长期 (cards issued to people over 46 never expire)."""

    name: str
    sex: str  # 男 or 女
    nation: str
    birth: dt.date
    address: str
    id_number: str
    authority: str  # 签发机关
    valid_from: dt.date
    valid_until: dt.date | None
    photo: bytes | None = field(default=None, compare=False)

    def __repr__(self) -> str:
        return f"IdCard({mask_id_number(self.id_number)})"

    def validity_text(self) -> str:
        """有效期限 as printed: ``2016.03.01-2036.03.01`` or ``2016.03.01-长期``."""
        end = "长期" if self.valid_until is None else format_card_date(self.valid_until)
        return f"{format_card_date(self.valid_from)}-{end}"

    def expired(self, today: dt.date) -> bool:
        """Past its end date (the card is valid through the end date itself)."""
        return self.valid_until is not None and today > self.valid_until

    def nation_for_form(self) -> str:
        """民族 as forms write it: ``汉`` → ``汉族`` (``其他`` and names already ending in 族
        unchanged)."""
        if not self.nation or self.nation.endswith("族") or self.nation in _NOT_A_NATION:
            return self.nation
        return self.nation + "族"


_NOT_A_NATION = frozenset({"其他", "外国血统中国籍人士", "外国血统"})
