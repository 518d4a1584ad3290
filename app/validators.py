"""Field validators for the intake forms: ID numbers, credit codes, phones, division codes.

Every ``check_*`` function takes the raw text the clerk typed and the field's Chinese label, and
returns a :class:`Check`: the normalised value, and at most one error, warning and suggestion. An
error blocks saving; a warning is shown but does not block; a suggestion is something the UI can
offer to fill in (for example the 18-digit form of a legacy 15-digit ID number). Every message is in
Chinese and names the field.

The check-digit arithmetic comes from python-stdnum (``stdnum.cn.ric``, ``stdnum.cn.uscc``); the
rules around it follow the research notes (domain-cn.md §5):

* 居民身份证号 (GB 11643-1999): the address code is *not* checked against the GB/T 2260 list, since
  codes of abolished counties stay on valid cards (stdnum 2.2's ``validate`` rejects some of them
  and even raises ``KeyError`` for an unknown county code); only a first pair that is no province
  gets a warning.
* 统一社会信用代码 (GB 32100-2015): a wrong check character only warns, because some real early
  codes fail it; and the first character may be a letter (``N2…`` for 村级集体经济组织), which
  stdnum's ``validate`` rejects — so only its check-digit function is used.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from stdnum.cn import ric, uscc

from app.errors import ValidationError

__all__ = [
    "PROVINCE_CODES",
    "Check",
    "birth_date_of",
    "check_division_code",
    "check_id_number",
    "check_landline",
    "check_mobile",
    "check_phone",
    "check_uscc",
    "convert_15_to_18",
    "id_check_digit",
    "mask_id_number",
    "normalize_text",
    "sex_of",
    "uscc_check_char",
]


@dataclass(frozen=True)
class Check:
    """The outcome of checking one field.

    ``value`` is the normalised text (what should be stored when ``ok``); ``error`` is set exactly
    when ``ok`` is False. ``warning`` and ``suggestion`` may accompany either outcome.
    """

    ok: bool
    value: str
    label: str
    error: str | None = None
    warning: str | None = None
    suggestion: str | None = None

    def raise_for_error(self) -> str:
        """Return the normalised value, or raise :class:`ValidationError` naming the field."""
        if not self.ok:
            raise ValidationError(self.label, self.error or f"{self.label}不正确")
        return self.value


def _fail(value: str, label: str, error: str, suggestion: str | None = None) -> Check:
    return Check(ok=False, value=value, label=label, error=error, suggestion=suggestion)


def _pass(value: str, label: str, warning: str | None = None) -> Check:
    return Check(ok=True, value=value, label=label, warning=warning)


_WHITESPACE = re.compile(r"\s+")


def normalize_text(value: str, *, remove: str = "") -> str:
    """NFKC (full-width to half-width), uppercase, whitespace and ``remove`` chars dropped."""
    text = unicodedata.normalize("NFKC", value).upper()
    text = _WHITESPACE.sub("", text)
    for char in remove:
        text = text.replace(char, "")
    return text


# --- 居民身份证号 -------------------------------------------------------------------------------

_ID_CHARS = re.compile(r"[0-9]*X?")
_DIGITS = re.compile(r"[0-9]+")
_EARLIEST_BIRTH = date(1900, 1, 1)


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character (``0``–``9`` or ``X``) for the first 17 digits."""
    if len(first17) != 17 or not _DIGITS.fullmatch(first17):
        raise ValueError("id_check_digit needs exactly 17 ASCII digits")
    # stdnum's function expects the full number and ignores its last character.
    return str(ric.calc_check_digit(first17 + "0"))


def _parse_birth(text: str) -> date | None:
    try:
        return date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def convert_15_to_18(value: str) -> str:
    """Convert a legacy 15-digit ID number to 18 digits (century ``19`` plus a check digit).

    Raises :class:`ValidationError` when the input is not 15 digits with a real date.
    """
    number = normalize_text(value)
    if len(number) != 15 or not _DIGITS.fullmatch(number):
        raise ValidationError("居民身份证号", "居民身份证号：只有15位数字的旧号码才能转换为18位")
    if _parse_birth("19" + number[6:12]) is None:
        raise ValidationError("居民身份证号", "居民身份证号：15位号码中的出生日期不是有效日期")
    first17 = number[:6] + "19" + number[6:]
    return first17 + id_check_digit(first17)


def check_id_number(value: str, label: str = "居民身份证号", *, today: date | None = None) -> Check:
    """Check an 18-digit 居民身份证号; a 15-digit one fails but carries the 18-digit suggestion.

    The birth date must be a real date, not before 1900 and not after ``today`` (default: the
    system date). The check digit error deliberately does not reveal the right check digit: when
    the mistake is in another digit, a clerk told "the last digit should be 7" would "fix" the
    wrong place and save a valid-looking but wrong number.
    """
    number = normalize_text(value)
    if not number:
        return _fail(number, label, f"请填写{label}")
    if not _ID_CHARS.fullmatch(number):
        return _fail(number, label, f"{label}只能由数字组成，最后一位可以是字母X")
    if len(number) not in (15, 18):
        return _fail(number, label, f"{label}应为18位，当前为{len(number)}位")
    if len(number) == 15 and "X" in number:
        return _fail(number, label, f"{label}为15位旧号码时只能由数字组成")
    birth_text = number[6:14] if len(number) == 18 else "19" + number[6:12]
    birth = _parse_birth(birth_text)
    if birth is None:
        return _fail(number, label, f"{label}中的出生日期（{birth_text}）不是有效日期")
    if birth < _EARLIEST_BIRTH:
        return _fail(number, label, f"{label}中的出生日期（{birth_text}）早于1900年，不正确")
    if birth > (today or date.today()):
        return _fail(number, label, f"{label}中的出生日期（{birth_text}）晚于今天，不正确")
    if len(number) == 15:
        return _fail(
            number,
            label,
            f"{label}为15位旧号码，请使用18位号码",
            suggestion=f"可转换为18位：{convert_15_to_18(number)}",
        )
    if number[17] != id_check_digit(number[:17]):
        return _fail(number, label, f"{label}校验位不正确，请逐位核对号码")
    warning = None
    # 83: 台湾居民居住证; 9x: 外国人永久居留身份证 (2023 format). Others should be a province.
    if number[:2] not in PROVINCE_CODES and number[:2] != "83" and number[0] != "9":
        warning = f"{label}前两位（{number[:2]}）不是省级行政区划代码，请与证件核对"
    return _pass(number, label, warning)


def _valid_id_or_raise(value: str) -> str:
    result = check_id_number(value)
    if result.ok:
        return result.value
    if result.suggestion is not None:  # legacy 15 digits with a real date
        return convert_15_to_18(result.value)
    raise ValidationError(result.label, result.error or "居民身份证号不正确")


def birth_date_of(id_number: str) -> date:
    """The birth date encoded in a valid 18-digit (or legacy 15-digit) ID number."""
    number = _valid_id_or_raise(id_number)
    birth = _parse_birth(number[6:14])
    assert birth is not None  # checked by check_id_number
    return birth


def sex_of(id_number: str) -> str:
    """``"男"`` or ``"女"`` from the 顺序码 (odd = male) of a valid ID number."""
    number = _valid_id_or_raise(id_number)
    return "男" if int(number[16]) % 2 == 1 else "女"


def mask_id_number(id_number: str) -> str:
    """Show only the first 6 and last 4 characters, e.g. ``110105********1234``.

    Used on screens and printed documents. Anything shorter than 11 characters is hidden entirely
    (keeping 10 characters of it visible would reveal nearly all of it).
    """
    number = normalize_text(id_number)
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_name(name: str) -> str:
    """A person's (or an organisation's) name with all but its first and last characters hidden,
    ``张*三``; a two-character name keeps its first, ``张*``; one character is hidden."""
    text = "".join(name.split())
    if len(text) <= 1:
        return "*" * len(text)
    if len(text) == 2:
        return text[0] + "*"
    return text[0] + "*" * (len(text) - 2) + text[-1]


# --- 统一社会信用代码 ---------------------------------------------------------------------------

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100-2015 登记管理部门代码: 1 机构编制 … 9 工商(市场监管),
# A 中央军委改革和编制办公室, N 农业, Y 其他.
_USCC_AUTHORITIES = frozenset("123456789ANY")
# Letters people type for the digits they resemble; only offered when the result checks out.
_USCC_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "Z": "2", "S": "5"})


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a credit code."""
    code = normalize_text(first17)
    if len(code) != 17 or any(c not in _USCC_ALPHABET for c in code):
        raise ValueError("uscc_check_char needs 17 characters from the USCC alphabet")
    return str(uscc.calc_check_digit(code))


def check_uscc(value: str, label: str = "统一社会信用代码") -> Check:
    """Check a 18-character 统一社会信用代码.

    Length, alphabet (no I O Z S V) and the 6-digit division part are errors; a wrong check
    character is only a warning (early pilot codes such as ``91350100M0001TGQXM`` fail it).
    """
    code = normalize_text(value, remove="-")
    if not code:
        return _fail(code, label, f"请填写{label}")
    bad = sorted({c for c in code if c not in _USCC_ALPHABET})
    if bad:
        forbidden = [c for c in bad if c in "IOZSV"]
        suggestion = None
        fixed = code.translate(_USCC_LOOKALIKES)
        if (
            len(fixed) == 18
            and all(c in _USCC_ALPHABET for c in fixed)
            and uscc_check_char(fixed[:17]) == fixed[17]
        ):
            suggestion = f"是否为：{fixed}"
        if forbidden and len(forbidden) == len(bad):
            message = f"{label}不使用字母I、O、Z、S、V，请核对（含：{'、'.join(forbidden)}）"
        else:
            message = f"{label}只能由数字和大写英文字母组成（不含I、O、Z、S、V）"
        return _fail(code, label, message, suggestion=suggestion)
    if len(code) != 18:
        return _fail(code, label, f"{label}应为18位，当前为{len(code)}位")
    if not _DIGITS.fullmatch(code[2:8]):
        return _fail(code, label, f"{label}第3至8位（登记管理机关行政区划码）应为数字")
    warnings: list[str] = []
    if code[0] not in _USCC_AUTHORITIES or not code[1].isdigit():
        warnings.append(f"{label}前两位（登记管理部门和机构类别）不常见，请与证照核对")
    if uscc_check_char(code[:17]) != code[17]:
        warnings.append(
            f"{label}校验位与计算结果不符，请与营业执照等证照逐位核对；个别早期代码属此情况，可继续办理"
        )
    return _pass(code, label, "；".join(warnings) or None)


# --- 电话 ---------------------------------------------------------------------------------------

_MOBILE = re.compile(r"(?:\+86|0086|86)?(1[3-9][0-9]{9})")
_LANDLINE = re.compile(r"\(?(0[0-9]{2,3})\)?(-?)([0-9]{7,8})(?:(?:-|转|#|EXT\.?|X)([0-9]{1,6}))?")


def _mobile_number(text: str) -> str | None:
    match = _MOBILE.fullmatch(normalize_text(text, remove="-"))
    return match.group(1) if match else None


def _landline_number(text: str) -> str | None:
    match = _LANDLINE.fullmatch(normalize_text(text))
    if match is None:
        return None
    area, dash, local, extension = match.groups()
    if not dash:
        # Without a separator the split is ambiguous; 010 and 02x are the only 3-digit area codes.
        digits = area + local
        width = 3 if digits[1] in "12" else 4
        area, local = digits[:width], digits[width:]
        if not 7 <= len(local) <= 8:
            area, local = match.group(1), match.group(3)
    number = f"{area}-{local}"
    return f"{number}-{extension}" if extension else number


def check_mobile(value: str, label: str = "手机号码") -> Check:
    """An 11-digit mainland mobile number (``1[3-9]…``), optionally prefixed ``+86``.

    Spaces and dashes are ignored; the normalised value is the bare 11 digits. Carrier prefixes are
    not checked because new number blocks appear every few years.
    """
    text = normalize_text(value)
    if not text:
        return _fail(text, label, f"请填写{label}")
    number = _mobile_number(text)
    if number is None:
        return _fail(text, label, f"{label}应为11位手机号码，以1开头，如13800138000")
    return _pass(number, label)


def check_landline(value: str, label: str = "固定电话") -> Check:
    """A landline with area code: ``0571-87654321``, optionally an extension (``-123``, ``转123``).

    The normalised value is ``area-number[-extension]``.
    """
    text = normalize_text(value)
    if not text:
        return _fail(text, label, f"请填写{label}")
    number = _landline_number(text)
    if number is None:
        return _fail(text, label, f"{label}应为区号加号码，如0571-87654321（分机可写作-123）")
    return _pass(number, label)


def check_phone(value: str, label: str = "联系电话") -> Check:
    """Either a mobile number or a landline with area code."""
    text = normalize_text(value)
    if not text:
        return _fail(text, label, f"请填写{label}")
    number = _mobile_number(text) or _landline_number(text)
    if number is None:
        return _fail(text, label, f"{label}应为11位手机号码或带区号的固定电话（如0571-87654321）")
    return _pass(number, label)


# --- 区划代码 -----------------------------------------------------------------------------------

# GB/T 2260 province-level codes (incl. 71 台湾, 81 香港, 82 澳门).
PROVINCE_CODES: frozenset[str] = frozenset(
    [
        *(str(n) for n in range(11, 16)),
        *(str(n) for n in range(21, 24)),
        *(str(n) for n in range(31, 38)),
        *(str(n) for n in range(41, 47)),
        *(str(n) for n in range(50, 55)),
        *(str(n) for n in range(61, 66)),
        "71",
        "81",
        "82",
    ]
)


def check_division_code(value: str, label: str = "区划代码") -> Check:
    """A 12-digit 统计用区划代码: format and province prefix only.

    Unknown county or town parts are not rejected: the codes change yearly and 开发区 use codes
    outside GB/T 2260. A 6-digit county code fails but is offered padded to 12 digits.
    """
    code = normalize_text(value, remove="-")
    if not code:
        return _fail(code, label, f"请填写{label}")
    if not _DIGITS.fullmatch(code):
        return _fail(code, label, f"{label}只能由数字组成")
    if len(code) != 12:
        suggestion = None
        if len(code) == 6 and code[:2] in PROVINCE_CODES:
            suggestion = f"可补足为12位：{code}000000"
        return _fail(
            code, label, f"{label}应为12位数字（统计用区划代码），当前为{len(code)}位", suggestion
        )
    if code[:2] not in PROVINCE_CODES:
        return _fail(code, label, f"{label}前两位（{code[:2]}）不是有效的省级区划代码")
    return _pass(code, label)
