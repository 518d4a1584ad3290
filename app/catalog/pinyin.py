"""Pinyin initials (拼音首字母) of item names, for fast search at the desk.

Uses pypinyin. A name's initials are one lowercase letter per Chinese character (the first letter
of its pinyin) plus ASCII letters and digits lowercased; punctuation and spaces are skipped.
Generated initials use pypinyin's phrase-aware reading (重度 → zd, 重新 → cx); a given string is
accepted when every letter matches some reading of its character (多音字 such as 行, 长).
"""

from __future__ import annotations

from functools import cache

_WILDCARD = frozenset("abcdefghijklmnopqrstuvwxyz")


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\U00020000" <= char <= "\U0003134f"


@cache
def _readings(char: str) -> frozenset[str]:
    """First letters of every reading pypinyin knows for one Han character."""
    from pypinyin import Style, pinyin  # its phrase tables: imported on first use, not at start

    (readings,) = pinyin(char, style=Style.FIRST_LETTER, heteronym=True, errors="ignore") or [[]]
    letters = frozenset(r[0].lower() for r in readings if r and r[0].isascii() and r[0].isalpha())
    return letters or _WILDCARD


def _candidates(char: str) -> frozenset[str] | None:
    """Letters this character may contribute; ``None`` when it contributes nothing."""
    if _is_han(char):
        return _readings(char)
    folded = char.lower()
    if char.isalnum():
        return frozenset(folded) if folded.isascii() else _WILDCARD
    return None


def pinyin_initials(text: str) -> str:
    """Initials by the most likely reading, e.g. 最低生活保障 → ``zdshbz``."""
    from pypinyin import Style, pinyin

    letters = []
    for chunk in pinyin(text, style=Style.FIRST_LETTER, errors="default"):
        for token in chunk:
            for char in token:
                if char.isascii() and char.isalnum():
                    letters.append(char.lower())
    return "".join(letters)


def initials_match(text: str, initials: str) -> bool:
    """Whether ``initials`` is a correct reading of ``text`` (any reading of a polyphonic char)."""
    expected = [c for c in map(_candidates, text) if c is not None]
    if len(expected) != len(initials):
        return False
    return all(letter in allowed for letter, allowed in zip(initials, expected, strict=True))
