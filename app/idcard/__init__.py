"""二代身份证 (resident ID card) reading: the card, the reader interface, the simulator and the
vendor SDK adapter, the reader settings, and which form fields a card or an ID number fills.
No Qt here; the 读卡 button and F2 are in ``ui/desks/intake/card_panel.py`` (docs/idcard.md)."""

from app.idcard.card import CardReaderError, IdCard, NoCard, NoReader, ReadFailed
from app.idcard.reader import CardReader, read_card

__all__ = [
    "CardReader",
    "CardReaderError",
    "IdCard",
    "NoCard",
    "NoReader",
    "ReadFailed",
    "read_card",
]
