from __future__ import annotations

import pytest

from xinfang.core.errors import InvalidInput
from xinfang.core.privacy import mask_id_number, mask_name, mask_phone
from xinfang.core.validate import clean_text, normalize_id_number, normalize_phone, parse_int

PHONE_HINT = (
    "不是有效的手机号（11位，1开头）或固定电话（区号-号码，如 0936-5521234）；"
    "如确认无误，请加 --confirm-unusual"
)


def check_char(first17: str) -> str:
    """Independent of the module: weights are 2^(17-i) mod 11, check value is (12 - sum) mod 11."""
    total = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XINFANG_NOW", "2026-11-22 10:00")


# --- phones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("13812345678", "13812345678"),
        (" 138 1234 5678 ", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("008613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("19912345678", "19912345678"),
        ("0936-5521234", "0936-5521234"),
        ("09365521234", "0936-5521234"),
        ("0936 5521234", "0936-5521234"),
        ("(0936)5521234", "0936-5521234"),
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("02885551234", "028-85551234"),
        ("0755-12345678", "0755-12345678"),
        ("0936-5521234-123", "0936-5521234-123"),
        ("0936-5521234转123", "0936-5521234-123"),
        ("09365521234转8", "0936-5521234-8"),
    ],
)
def test_normalize_phone_accepts(typed: str, expected: str) -> None:
    assert normalize_phone(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "12345",  # government hotline
        "110",
        "400-123-4567",  # service numbers are not a petitioner's phone
        "800-810-8888",
        "4001234567",
        "12812345678",  # 12x is not a mobile prefix
        "1381234567",  # 10 digits
        "138123456789",
        "5521234",  # no area code
        "0936552123",  # number too short
        "0101234567",  # Beijing numbers have 8 digits
        "0936-5521234转",
        "0936-5521234-12转3",
        "abc",
    ],
)
def test_normalize_phone_refuses(typed: str) -> None:
    with pytest.raises(InvalidInput) as info:
        normalize_phone(typed)
    assert info.value.field == "联系电话"
    # The number is not echoed back (no personal data in error messages), only its length.
    assert info.value.message == f"联系电话：所填号码（{len(typed.strip())} 位）{PHONE_HINT}"
    assert f"“{typed.strip()}”" not in info.value.message


def test_normalize_phone_empty_and_control() -> None:
    with pytest.raises(InvalidInput, match="不能为空"):
        normalize_phone("  ")
    with pytest.raises(InvalidInput, match="控制字符"):
        normalize_phone("138\x0012345678")


def test_normalize_phone_force() -> None:
    assert normalize_phone(" 12345 ", force=True) == "12345"
    assert normalize_phone("+1 415 555 0100", force=True) == "+1 415 555 0100"
    # A valid number is still normalized under --force.
    assert normalize_phone("138-1234-5678", force=True) == "13812345678"
    with pytest.raises(InvalidInput, match="控制字符"):
        normalize_phone("123\x1b45", force=True)
    with pytest.raises(InvalidInput, match="过长（41 字），最多 40 字"):
        normalize_phone("1" * 41, force=True)
    assert normalize_phone("1" * 40, force=True) == "1" * 40


# --- ID numbers ---------------------------------------------------------------------------


def test_check_char_helper_matches_published_examples() -> None:
    # The two examples printed in GB 11643-1999 itself.
    assert check_char("11010519491231002") == "X"
    assert check_char("44052418800101001") == "4"


@pytest.mark.parametrize(
    "first17",
    ["11010519491231002", "62010219900307123", "32050319851224456", "51010720000229001"],
)
def test_normalize_id_number_valid(first17: str) -> None:
    number = first17 + check_char(first17)
    assert normalize_id_number(number) == number


def test_normalize_id_number_every_check_character() -> None:
    # Vary the sequence code until all 11 possible check characters have been seen.
    by_check = {}
    for seq in range(1000):
        first17 = f"62010219900307{seq:03d}"
        by_check.setdefault(check_char(first17), first17)
    assert sorted(by_check) == sorted("0123456789X")
    for right, first17 in by_check.items():
        assert normalize_id_number(first17 + right) == first17 + right
        wrong = "0" if right == "X" else "X"
        with pytest.raises(InvalidInput, match=f"校验位应为 {right}，实际为 {wrong}；"):
            normalize_id_number(first17 + wrong)


def test_normalize_id_number_lowercase_x_spaces_fullwidth() -> None:
    assert normalize_id_number("11010519491231002x") == "11010519491231002X"
    assert normalize_id_number(" 110105 19491231 002X ") == "11010519491231002X"
    assert normalize_id_number("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"


def test_normalize_id_number_wrong_check_digit() -> None:
    with pytest.raises(InvalidInput) as info:
        normalize_id_number("110105194912310023")
    assert info.value.field == "身份证号码"
    assert (
        info.value.message
        == "身份证号码：校验位应为 X，实际为 3；请核对号码，如确认无误请加 --confirm-unusual"
    )
    first17 = "62010219900307123"
    wrong = "0" if check_char(first17) != "0" else "1"
    with pytest.raises(InvalidInput, match=f"校验位应为 {check_char(first17)}，实际为 {wrong}"):
        normalize_id_number(first17 + wrong)


@pytest.mark.parametrize(
    ("first17", "problem"),
    [
        ("11010519490229001", "出生日期（第 7 至 14 位）不是真实的日期"),
        ("11010519491301001", "出生日期（第 7 至 14 位）不是真实的日期"),
        ("44052418800101001", "出生日期（第 7 至 14 位）早于 1900 年"),
        ("11010520261123001", "出生日期（第 7 至 14 位）晚于今天"),
        ("01010519491231002", "前 6 位地区码不能以 0 开头"),
    ],
)
def test_normalize_id_number_bad_fields(first17: str, problem: str) -> None:
    # Correct check character, so only the named problem can be the reason.
    with pytest.raises(InvalidInput) as info:
        normalize_id_number(first17 + check_char(first17))
    assert (
        info.value.message == f"身份证号码：{problem}；请核对号码，如确认无误请加 --confirm-unusual"
    )


def test_normalize_id_number_born_today_is_fine() -> None:
    first17 = "11010520261122001"
    assert normalize_id_number(first17 + check_char(first17)) == first17 + check_char(first17)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("1101051949123100", "长度应为 18 位（旧证 15 位），实际为 16 位"),
        ("11010519491231002XX", "长度应为 18 位（旧证 15 位），实际为 19 位"),
        ("1101051949123100AX", "前 17 位只能是数字，最后一位是数字或 X"),
        ("11010549123100X", "15 位旧证号码只能是数字"),
        ("110105491331002", "出生日期（第 7 至 14 位）不是真实的日期"),
    ],
)
def test_normalize_id_number_shape(typed: str, problem: str) -> None:
    with pytest.raises(InvalidInput) as info:
        normalize_id_number(typed)
    assert (
        info.value.message == f"身份证号码：{problem}；请核对号码，如确认无误请加 --confirm-unusual"
    )


def test_normalize_id_number_15_digits() -> None:
    assert normalize_id_number("110105491231002") == "110105491231002"


def test_normalize_id_number_force() -> None:
    assert normalize_id_number("110105194912310023", force=True) == "110105194912310023"
    assert normalize_id_number("ab12345678901cd", force=True) == "AB12345678901CD"
    assert normalize_id_number("11010519491231002x", force=True) == "11010519491231002X"
    with pytest.raises(InvalidInput, match="15 至 18 位字母或数字"):
        normalize_id_number("1234", force=True)
    with pytest.raises(InvalidInput, match="15 至 18 位字母或数字"):
        normalize_id_number("11010519491231\x00002", force=True)


# --- free text and integers -------------------------------------------------------------


def test_clean_text_single_line() -> None:
    assert clean_text("  张三 ", "姓名", max_length=10) == "张三"
    assert clean_text("甲\n\t乙 \r\n 丙", "事由", max_length=20) == "甲 乙 丙"
    assert clean_text("a\x00b\x07c\x7fd\x85e\ufffef\uffffg\ud800h", "事由", max_length=20) == (
        "abcdefgh"
    )
    # NFC: e + combining acute becomes one character.
    assert clean_text("caf\u0065\u0301", "事由", max_length=4) == "caf\u00e9"


def test_clean_text_multiline() -> None:
    text = " 第一行\r\n\t第二行\r第三行\x00\n "
    assert clean_text(text, "诉求", max_length=50, multiline=True) == "第一行\n\t第二行\n第三行"


def test_clean_text_empty_and_required() -> None:
    assert clean_text(None, "备注", max_length=5) is None
    assert clean_text(" \n\x00 ", "备注", max_length=5) is None
    with pytest.raises(InvalidInput) as info:
        clean_text("  ", "姓名", max_length=5, required=True)
    assert info.value.message == "姓名：必填，不能为空"
    with pytest.raises(InvalidInput, match="必填"):
        clean_text(None, "姓名", max_length=5, required=True)


def test_clean_text_too_long() -> None:
    assert clean_text("一二三四五", "姓名", max_length=5) == "一二三四五"
    with pytest.raises(InvalidInput) as info:
        clean_text("一二三四五六", "姓名", max_length=5)
    assert info.value.message == "姓名：过长（6 字），最多 5 字"


def test_parse_int() -> None:
    assert parse_int("3", "份数", minimum=1, maximum=9) == 3
    assert parse_int(" ５ ", "份数", minimum=1, maximum=9) == 5
    assert parse_int(9, "份数", minimum=1, maximum=9) == 9
    assert parse_int("-2", "偏移", minimum=-5, maximum=5) == -2
    for bad in ("1_0", "1e3", "3.0", "", "三", "٣"):
        with pytest.raises(InvalidInput) as info:
            parse_int(bad, "份数", minimum=1, maximum=9)
        assert info.value.message == f"份数：“{bad}”不是整数；应为 1 到 9 之间的整数"
    with pytest.raises(InvalidInput) as info:
        parse_int("10", "份数", minimum=1, maximum=9)
    assert info.value.message == "份数：10 超出范围；应为 1 到 9 之间的整数"
    with pytest.raises(InvalidInput, match="超出范围"):
        parse_int("9" * 5000, "份数", minimum=1, maximum=9)
    with pytest.raises(InvalidInput, match="应为 0 到 1 之间的整数"):
        parse_int(True, "份数", minimum=0, maximum=1)


# --- masking ------------------------------------------------------------------------------


def test_masks() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0936-5521234") == "0936-*****34"
    assert mask_phone("010-12345678") == "010-******78"
    assert mask_phone("0936-5521234-123") == "0936-*****34"
    assert mask_phone("12345") == "***45"
    assert mask_phone(None) is None
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number("110105491231002") == "110105*****1002"
    assert mask_id_number(None) is None
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("张") == "*"
    assert mask_name(None) is None
