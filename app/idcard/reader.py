"""The reader interface every ID-card reader implements (the simulator, the vendor SDK adapter).

A reader is used from a background thread, one read at a time: :func:`read_card` opens it, reads
the card on it and closes it again, so a reader unplugged between two residents is found out at
the next read. Every failure is a :class:`~app.idcard.card.CardReaderError` with a Chinese
message: :class:`NoReader`, :class:`NoCard` or :class:`ReadFailed`.
"""

from __future__ import annotations

from typing import Protocol

from app.idcard.card import IdCard

__all__ = ["CardReader", "read_card"]


class CardReader(Protocol):
    """A card reader. ``label`` is what the window shows (``模拟读卡器`` for the simulator)."""

    label: str
    simulated: bool

    def open(self) -> None:
        """Connect to the reader; :class:`NoReader` when it is not there."""

    def read(self) -> IdCard:
        """The card on the reader; :class:`NoCard` when there is none, :class:`ReadFailed`."""

    def close(self) -> None:
        """Let go of the reader (never raises)."""


def read_card(reader: CardReader) -> IdCard:
    """Open ``reader``, read the card on it, close it whatever happened."""
    reader.open()
    try:
        return reader.read()
    finally:
        reader.close()
