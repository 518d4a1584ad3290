"""Field validators: ID numbers, credit codes, phones, division codes."""

from __future__ import annotations

import string
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from app.errors import ValidationError
from app.validators import (
    PROVINCE_CODES,
    Check,
    birth_date_of,
    check_division_code,
    check_id_number,
    check_landline,
    check_mobile,
    check_phone,
    check_uscc,
    convert_15_to_18,
    id_check_digit,
    mask_id_number,
    sex_of,
    uscc_check_char,
)

TODAY = date(2026, 6, 1)
SAMPLE_ID = "11010519491231002X"  # the GB 11643 sample number


def make_id(prefix6: str, birth: date, seq: str) -> str:
    first17 = f"{prefix6}{birth:%Y%m%d}{seq}"
    # Built with stdnum's own check-digit function, independent of app.validators.
    return first17 + ric.calc_check_digit(first17 + "0")


def flip_check(number: str) -> str:
    other = "0123456789X".replace(number[-1], "")
    return number[:-1] + other[0]


# --- strategies ------------------------------------------------------------------------------

address_codes = st.from_regex(r"[1-6][0-9]{5}", fullmatch=True)
births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
sequences = st.from_regex(r"[0-9]{3}", fullmatch=True)
valid_ids = st.builds(make_id, address_codes, births, sequences)
legacy_ids = st.builds(
    lambda addr, birth, seq: f"{addr}{birth:%y%m%d}{seq}",
    address_codes,
    st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)),
    sequences,
)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
uscc_bodies = st.builds(
    lambda head, area, body: head + area + body,
    st.sampled_from(["91", "92", "93", "11", "12", "51", "52", "N2", "Y1"]),
    st.from_regex(r"[1-6][0-9]{5}", fullmatch=True),
    st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9),
)


# --- 居民身份证号 ------------------------------------------------------------------------------


def test_sample_id_number_is_valid() -> None:
    result = check_id_number(SAMPLE_ID, today=TODAY)
    assert result == Check(ok=True, value=SAMPLE_ID, label="居民身份证号")
    assert result.raise_for_error() == SAMPLE_ID
    assert ric.is_valid(SAMPLE_ID)  # agrees with stdnum


def test_stdnum_doc_example_is_valid() -> None:
    assert check_id_number("360426199101010071").ok


def test_id_number_normalisation() -> None:
    assert check_id_number(" 11010519491231002x ").value == SAMPLE_ID
    assert check_id_number("１１０１０５１９４９１２３１００２ｘ").value == SAMPLE_ID
    assert check_id_number("110105 19491231 002X").value == SAMPLE_ID


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("", "请填写"),
        ("   ", "请填写"),
        ("1101051949123100", "应为18位，当前为16位"),
        ("1101051949123100211", "应为18位，当前为19位"),
        ("11010519491231002Y", "只能由数字组成"),
        ("1101051949X231002X", "只能由数字组成"),
        ("11010519491331002X", "出生日期（19491331）不是有效日期"),
        ("11010519490230002X", "出生日期（19490230）不是有效日期"),
        (make_id("110105", date(1899, 12, 31), "002"), "早于1900年"),
        (make_id("110105", TODAY + timedelta(days=1), "002"), "晚于今天"),
        ("110105194912310021", "校验位不正确"),
        ("11010519491231002", "应为18位，当前为17位"),
        ("11010549123100X", "15位旧号码时只能由数字组成"),
        ("110105491331002", "出生日期（19491331）不是有效日期"),
    ],
)
def test_id_number_errors_name_the_field(value: str, fragment: str) -> None:
    for label in ("居民身份证号", "监护人身份证号"):
        result = check_id_number(value, label, today=TODAY)
        assert not result.ok
        assert result.error is not None
        assert label in result.error
        assert fragment in result.error
        with pytest.raises(ValidationError) as info:
            result.raise_for_error()
        assert info.value.field == label
        assert label in str(info.value)


def test_unknown_address_codes_are_not_refused() -> None:
    # Abolished county (110103 崇文区) and unknown county in a real province: valid, no warning.
    # (stdnum 2.2's ric.is_valid raises KeyError on the second one.)
    for prefix in ("110103", "119999"):
        result = check_id_number(make_id(prefix, date(1980, 1, 1), "001"), today=TODAY)
        assert result.ok and result.warning is None
    # 港澳台 and 外国人永久居留身份证 prefixes: no warning.
    for prefix in ("810000", "830000", "911100"):
        result = check_id_number(make_id(prefix, date(1980, 1, 1), "001"), today=TODAY)
        assert result.ok and result.warning is None
    # A first pair that is no province: accepted, with a warning naming the field.
    result = check_id_number(make_id("100000", date(1980, 1, 1), "001"), "申请人身份证号")
    assert result.ok
    assert result.warning == "申请人身份证号前两位（10）不是省级行政区划代码，请与证件核对"


def test_check_digit_error_does_not_reveal_the_right_digit() -> None:
    result = check_id_number("110105194912310021", today=TODAY)
    assert result.error is not None
    assert "X" not in result.error
    assert result.suggestion is None


def test_legacy_15_digit_number_is_refused_with_a_conversion() -> None:
    result = check_id_number("110105491231002", today=TODAY)
    assert not result.ok
    assert result.error is not None and "15位" in result.error
    assert result.suggestion == f"可转换为18位：{SAMPLE_ID}"
    assert convert_15_to_18("110105491231002") == SAMPLE_ID


def test_convert_15_to_18_refuses_other_input() -> None:
    with pytest.raises(ValidationError):
        convert_15_to_18(SAMPLE_ID)
    with pytest.raises(ValidationError):
        convert_15_to_18("110105491331002")


def test_birth_date_and_sex() -> None:
    assert birth_date_of(SAMPLE_ID) == date(1949, 12, 31)
    assert sex_of(SAMPLE_ID) == "女"  # 顺序码 002: even
    male = make_id("330102", date(1990, 5, 17), "013")
    assert sex_of(male) == "男"
    assert birth_date_of(male) == date(1990, 5, 17)
    assert birth_date_of("110105491231002") == date(1949, 12, 31)  # legacy form accepted here
    with pytest.raises(ValidationError):
        sex_of("110105194912310021")


def test_mask_id_number_examples() -> None:
    assert mask_id_number(SAMPLE_ID) == "110105********002X"
    assert mask_id_number("110105199001011234") == "110105********1234"
    assert mask_id_number("110105491231002") == "110105*****1002"
    assert mask_id_number("11010519491231002x") == "110105********002X"
    assert mask_id_number("") == ""
    assert mask_id_number("E12345678") == "*********"


def test_id_check_digit_needs_17_digits() -> None:
    assert id_check_digit(SAMPLE_ID[:17]) == "X"
    with pytest.raises(ValueError, match="17"):
        id_check_digit("123")


@given(valid_ids)
def test_any_valid_date_with_computed_check_digit_validates(number: str) -> None:
    result = check_id_number(number, today=TODAY)
    assert result.ok, result.error
    assert result.value == number
    assert ric.calc_check_digit(number) == number[-1]
    assert birth_date_of(number) == date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert sex_of(number) == ("男" if int(number[16]) % 2 else "女")


@given(valid_ids)
def test_flipping_the_check_digit_fails(number: str) -> None:
    result = check_id_number(flip_check(number), today=TODAY)
    assert not result.ok
    assert result.error is not None and "校验位不正确" in result.error


@given(valid_ids)
def test_lowercase_x_is_the_same_as_uppercase(number: str) -> None:
    lower = check_id_number(number.lower(), today=TODAY)
    upper = check_id_number(number, today=TODAY)
    assert lower == upper


@given(legacy_ids)
def test_15_to_18_conversion_round_trips(number: str) -> None:
    converted = convert_15_to_18(number)
    assert len(converted) == 18
    assert converted[:6] == number[:6]
    assert converted[6:14] == "19" + number[6:12]
    assert converted[14:17] == number[12:15]
    assert check_id_number(converted, today=TODAY).ok
    assert birth_date_of(converted) == date(
        1900 + int(number[6:8]), int(number[8:10]), int(number[10:12])
    )
    assert check_id_number(number, today=TODAY).suggestion == f"可转换为18位：{converted}"


@given(st.text(alphabet=string.digits + "X", min_size=11, max_size=30))
def test_mask_keeps_first_6_and_last_4_only(number: str) -> None:
    masked = mask_id_number(number)
    assert len(masked) == len(number)
    assert masked[:6] == number[:6]
    assert masked[-4:] == number[-4:]
    assert set(masked[6:-4]) == {"*"}


@given(st.text(alphabet=string.digits + "X", max_size=10))
def test_mask_hides_short_values_entirely(number: str) -> None:
    assert mask_id_number(number) == "*" * len(number)


# --- 统一社会信用代码 --------------------------------------------------------------------------


def test_known_credit_codes() -> None:
    assert check_uscc("91110000600037341L") == Check(
        ok=True, value="91110000600037341L", label="统一社会信用代码"
    )
    assert check_uscc(" 9111 0000 6000 3734 1l ").value == "91110000600037341L"


def test_early_code_failing_the_check_warns_but_passes() -> None:
    # A real early pilot code (research §5) that fails the GB 32100 check.
    assert not uscc.is_valid("91350100M0001TGQXM")
    result = check_uscc("91350100M0001TGQXM")
    assert result.ok
    assert result.error is None
    assert result.warning is not None
    assert "统一社会信用代码" in result.warning and "校验位" in result.warning


def test_letter_authority_codes_are_accepted() -> None:
    # 村级集体经济组织 codes start with N2; stdnum's validate() refuses them, we must not.
    code = "N2330281MA" + "0000001"
    code += uscc_check_char(code)
    assert not uscc.is_valid(code)
    result = check_uscc(code)
    assert result.ok and result.warning is None


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("", "请填写"),
        ("91110000600037341", "应为18位，当前为17位"),
        ("91110000600037341LL", "应为18位，当前为19位"),
        ("9111000060003734IL", "不使用字母I、O、Z、S、V"),
        ("91110000600037341V", "不使用字母I、O、Z、S、V"),
        ("9111000060003734#L", "只能由数字和大写英文字母组成"),
        ("911A0000600037341L", "第3至8位"),
    ],
)
def test_uscc_errors_name_the_field(value: str, fragment: str) -> None:
    for label in ("统一社会信用代码", "委托单位统一社会信用代码"):
        result = check_uscc(value, label)
        assert not result.ok
        assert result.error is not None
        assert label in result.error and fragment in result.error


def test_uscc_lookalike_letters_get_a_suggestion() -> None:
    result = check_uscc("9111OOOO6OOO37341L")
    assert not result.ok
    assert result.suggestion == "是否为：91110000600037341L"


@given(uscc_bodies)
def test_uscc_with_computed_check_char_passes(body: str) -> None:
    code = body + uscc.calc_check_digit(body)
    result = check_uscc(code)
    assert result.ok and result.warning is None and result.value == code


@given(uscc_bodies, st.sampled_from(USCC_ALPHABET))
def test_uscc_with_altered_check_char_warns_but_does_not_block(body: str, other: str) -> None:
    right = uscc.calc_check_digit(body)
    if other == right:
        other = USCC_ALPHABET[(USCC_ALPHABET.index(right) + 1) % len(USCC_ALPHABET)]
    result = check_uscc(body + other)
    assert result.ok
    assert result.error is None
    assert result.warning is not None and "校验位" in result.warning


# --- 电话 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("8613800138000", "13800138000"),
        ("１９９１２３４５６７８", "19912345678"),
    ],
)
def test_mobile_numbers(value: str, normalised: str) -> None:
    assert check_mobile(value) == Check(ok=True, value=normalised, label="手机号码")
    assert check_phone(value).value == normalised


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("0571-87654321", "0571-87654321"),
        ("057187654321", "0571-87654321"),
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("02012345678", "020-12345678"),
        ("0911-1234567", "0911-1234567"),
        ("(0571)87654321", "0571-87654321"),
        ("0571-87654321-123", "0571-87654321-123"),
        ("0571-87654321转123", "0571-87654321-123"),
        ("0571 8765 4321", "0571-87654321"),
    ],
)
def test_landlines(value: str, normalised: str) -> None:
    assert check_landline(value) == Check(ok=True, value=normalised, label="固定电话")
    assert check_phone(value).value == normalised


@pytest.mark.parametrize("value", ["12800138000", "1380013800", "138001380001", "0571-123", "abc"])
def test_bad_phone_numbers_name_the_field(value: str) -> None:
    for check, label in (
        (check_mobile, "手机号码"),
        (check_landline, "固定电话"),
        (check_phone, "联系电话"),
        (check_phone, "紧急联系人电话"),
    ):
        result = check(value, label)
        assert not result.ok
        assert result.error is not None and label in result.error


def test_empty_phone_asks_for_it() -> None:
    for check in (check_mobile, check_landline, check_phone):
        result = check("  ")
        assert result.error is not None and result.error.startswith("请填写")


@given(
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    st.sampled_from(["", "+86", "86", "+86 "]),
    st.sampled_from(["", " ", "-"]),
)
def test_mobile_normalisation_is_idempotent(number: str, prefix: str, sep: str) -> None:
    typed = prefix + sep.join([number[:3], number[3:7], number[7:]])
    result = check_phone(typed)
    assert result.ok and result.value == number
    assert check_phone(result.value) == result


@given(
    st.sampled_from(["010", "021", "0571", "0898", "0911"]),
    st.from_regex(r"[2-8][0-9]{6,7}", fullmatch=True),
)
def test_landline_normalisation_is_idempotent(area: str, local: str) -> None:
    for typed in (f"{area}-{local}", f"{area}{local}", f"({area}){local}"):
        result = check_phone(typed)
        assert result.ok and result.value == f"{area}-{local}"
        assert check_phone(result.value) == result


# --- 区划代码 -----------------------------------------------------------------------------------


def test_division_codes() -> None:
    assert check_division_code("110105000000").ok
    assert check_division_code("330106012000").value == "330106012000"
    assert check_division_code("820000000000").ok
    # Format only: an unknown county code in a real province is fine.
    assert check_division_code("119999999999").ok
    assert len(PROVINCE_CODES) == 34


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("", "请填写"),
        ("11010500000A", "只能由数字组成"),
        ("11010500000", "应为12位数字"),
        ("990105000000", "前两位（99）"),
        ("100105000000", "前两位（10）"),
        ("720105000000", "前两位（72）"),
    ],
)
def test_division_code_errors_name_the_field(value: str, fragment: str) -> None:
    result = check_division_code(value, "所属村（社区）区划代码")
    assert not result.ok
    assert result.error is not None
    assert "所属村（社区）区划代码" in result.error and fragment in result.error


def test_six_digit_division_code_gets_padded_suggestion() -> None:
    result = check_division_code("110105")
    assert not result.ok
    assert result.suggestion == "可补足为12位：110105000000"
