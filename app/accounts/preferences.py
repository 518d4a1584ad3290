"""A user's own display preference on this workstation: the text size (字号).

Each user picks 标准 / 较大 / 特大 (100 %, 125 %, 150 % of the base font) for themselves; it is
kept in the workstation's ``settings`` table under a key of their own (``text_size:<username>``,
no schema change) and read back at every sign-in. It changes nothing but the look of this
user's own screens, so — like the idle lock's pause or a column's width — it is not audited
(the centre's settings, which bind everyone, are).
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.orm import Session

from app import settings
from app.actor import Actor
from app.errors import ValidationError
from app.units.declare import writes

__all__ = ["TextSize", "set_text_size", "text_size_of"]


class TextSize(StrEnum):
    """The values are stored; ``scale`` multiplies the base font and every style-sheet size."""

    STANDARD = "standard"
    LARGER = "larger"
    LARGEST = "largest"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def scale(self) -> float:
        return _SCALES[self]


_LABELS = {TextSize.STANDARD: "标准", TextSize.LARGER: "较大", TextSize.LARGEST: "特大"}
_SCALES = {TextSize.STANDARD: 1.0, TextSize.LARGER: 1.25, TextSize.LARGEST: 1.5}


def _option(username: str) -> settings.Option[str]:
    return settings.Option(f"text_size:{username}", TextSize.STANDARD.value, "字号")


def text_size_of(session: Session, username: str) -> TextSize:
    """The user's text size (standard if never chosen, or if the stored value is unknown).
    A plain read in the caller's unit (sign-in reads it with the user's other start values)."""
    value = _option(username).get(session)
    try:
        return TextSize(value)
    except ValueError:
        return TextSize.STANDARD


@writes
def set_text_size(session: Session, actor: Actor, size: str) -> TextSize:
    """The signed-in user chooses their own text size; returns it."""
    try:
        chosen = TextSize(size)
    except ValueError:
        raise ValidationError("字号", f"未知的字号：{size}") from None
    with session.begin():
        _option(actor.username).set(session, chosen.value)
    return chosen
