from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from xinfang.core.clock.dates import (
    chinese_date,
    chinese_upper_date,
    now,
    parse_date,
    parse_datetime,
    parse_month,
    parse_when,
    today,
)
from xinfang.core.errors import InvalidInput

DATE_HINT = "请写成 2026-11-22、2026年11月22日、11-22、11月22日、今天、昨天、前天或上周五"
TIME_HINT = "请写成 2026-11-22、2026-11-22 14:30、11月22日14时30分或昨天下午3点"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("XINFANG_NOW", "2026-11-22 10:15:30")
    return monkeypatch


# --- clock ------------------------------------------------------------------------------


def test_now_from_environment(clock: pytest.MonkeyPatch) -> None:
    assert now() == datetime(2026, 11, 22, 10, 15, 30)
    assert today() == date(2026, 11, 22)
    # Read on every call, not at import.
    clock.setenv("XINFANG_NOW", "2027-01-05")
    assert now() == datetime(2027, 1, 5, 9, 0)
    clock.setenv("XINFANG_NOW", "2027年1月6日下午3点")
    assert now() == datetime(2027, 1, 6, 15, 0)


def test_now_without_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XINFANG_NOW", raising=False)
    beijing = ZoneInfo("Asia/Shanghai")  # the office's time, whatever the machine's zone
    before = datetime.now(beijing).replace(tzinfo=None, microsecond=0)
    current = now()
    assert current.microsecond == 0
    assert before <= current <= datetime.now(beijing).replace(tzinfo=None)


def test_now_bad_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XINFANG_NOW", "今天")  # would be circular
    with pytest.raises(InvalidInput) as info:
        now()
    assert info.value.message == f"XINFANG_NOW：无法识别“今天”；{TIME_HINT}"
    monkeypatch.setenv("XINFANG_NOW", "2026-11-22 25:00")
    with pytest.raises(InvalidInput):
        now()


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-11-22", date(2026, 11, 22)),
        ("2026/11/22", date(2026, 11, 22)),
        ("2026.11.22", date(2026, 11, 22)),
        ("2026.11.2", date(2026, 11, 2)),
        ("2026-1-5", date(2026, 1, 5)),
        ("20261122", date(2026, 11, 22)),
        ("2026年11月22日", date(2026, 11, 22)),
        ("2026年11月22号", date(2026, 11, 22)),
        ("2026年11月22", date(2026, 11, 22)),
        (" 2026 年 11 月 22 日 ", date(2026, 11, 22)),
        ("２０２６年１１月２２日", date(2026, 11, 22)),
        ("２０２６－１１－２２", date(2026, 11, 22)),
        ("二〇二六年十一月二十二日", date(2026, 11, 22)),
        ("二零二六年一月五日", date(2026, 1, 5)),
        ("二〇二六年十月三十一日", date(2026, 10, 31)),
        ("二〇二六年十二月十日", date(2026, 12, 10)),
        ("2028-02-29", date(2028, 2, 29)),
        ("2000年2月29日", date(2000, 2, 29)),
    ],
)
def test_parse_date_forms(typed: str, expected: date) -> None:
    assert parse_date(typed) == expected


def test_parse_date_relative(clock: pytest.MonkeyPatch) -> None:
    assert parse_date("今天") == date(2026, 11, 22)
    assert parse_date("昨天") == date(2026, 11, 21)
    assert parse_date("前天") == date(2026, 11, 20)
    clock.setenv("XINFANG_NOW", "2026-03-01")
    assert parse_date("昨天") == date(2026, 2, 28)


@pytest.mark.parametrize(
    "typed",
    [
        "2026-11",
        "2026年11月",
        "2026",
        "2-30",  # a date without its year is this year's or last, but a real one
        "13-01",
        "",
        "2026-02-29",
        "1900-02-29",
        "2026-02-30",
        "2026-13-01",
        "2026-00-10",
        "2026年11月31日",
        "2026-11/22",
        "26-11-22",
        "2026112",
        "202611221",
        "2026-11-22 14:30",  # a time is not a date
        "二〇二六年十三月一日",
        "二十二六年一月一日",
        "明天",
        "Nov 22 2026",
        "22/11/2026",
    ],
)
def test_parse_date_refuses(typed: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_date(typed, "来访日期")
    assert info.value.field == "来访日期"
    assert info.value.message == f"来访日期：无法识别“{typed.strip()}”；{DATE_HINT}"


# --- date and time ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-11-22 14:30", datetime(2026, 11, 22, 14, 30)),
        ("2026-11-22T14:30:05", datetime(2026, 11, 22, 14, 30, 5)),
        ("2026/11/22 9:05", datetime(2026, 11, 22, 9, 5)),
        ("20261122 08:00", datetime(2026, 11, 22, 8, 0)),
        ("2026年11月22日14时30分", datetime(2026, 11, 22, 14, 30)),
        ("2026年11月22日14时", datetime(2026, 11, 22, 14, 0)),
        ("2026年11月22日14点30分05秒", datetime(2026, 11, 22, 14, 30, 5)),
        ("2026年11月22日 14:30", datetime(2026, 11, 22, 14, 30)),
        ("2026年11月22 14:30", datetime(2026, 11, 22, 14, 30)),
        ("2026年11月22日１４：３０", datetime(2026, 11, 22, 14, 30)),
        ("2026年11月22日下午2点", datetime(2026, 11, 22, 14, 0)),
        ("2026年11月22日 下午 2 点", datetime(2026, 11, 22, 14, 0)),
        ("2026年11月22日上午9点半", datetime(2026, 11, 22, 9, 30)),
        ("2026年11月22日下午两点半", datetime(2026, 11, 22, 14, 30)),
        ("2026年11月22日晚上8点", datetime(2026, 11, 22, 20, 0)),
        ("2026年11月22日下午2:30", datetime(2026, 11, 22, 14, 30)),
        ("2026年11月22日中午12点", datetime(2026, 11, 22, 12, 0)),
        ("2026年11月22日中午1点", datetime(2026, 11, 22, 13, 0)),
        ("2026年11月22日凌晨12点", datetime(2026, 11, 22, 0, 0)),
        ("二〇二六年十一月二十二日十四时三十分", datetime(2026, 11, 22, 14, 30)),
        ("2026年11月22日10点整", datetime(2026, 11, 22, 10, 0)),
    ],
)
def test_parse_datetime_forms(typed: str, expected: datetime) -> None:
    assert parse_datetime(typed) == expected
    assert parse_when(typed) == (expected, True)


def test_parse_when_date_only() -> None:
    assert parse_when("2026-11-22") == (datetime(2026, 11, 22, 0, 0), False)
    assert parse_when("2026年11月22日") == (datetime(2026, 11, 22, 0, 0), False)
    assert parse_datetime("2026-11-22") == datetime(2026, 11, 22, 0, 0)


def test_parse_when_relative(clock: pytest.MonkeyPatch) -> None:
    assert parse_when("昨天下午三点") == (datetime(2026, 11, 21, 15, 0), True)
    assert parse_when("今天 8:00") == (datetime(2026, 11, 22, 8, 0), True)
    assert parse_when("前天") == (datetime(2026, 11, 20, 0, 0), False)


@pytest.mark.parametrize(
    "typed",
    [
        "2026-11-22 24:00",
        "2026-11-22 14:60",
        "2026-11-22 14:30:61",
        "2026-11-22 14:30:05.5",
        "2026-11-22T",
        "2026-11-22 上午14点",  # contradicts itself
        "2026-11-22 晚上12点",  # midnight of which day?
        "2026.11.214:30",
        "2026-11-22 14",
        "2026-11-22 abc",
        "2026-02-30 10:00",
        "14:30",
    ],
)
def test_parse_datetime_refuses(typed: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_datetime(typed, "来访时间")
    assert info.value.message == f"来访时间：无法识别“{typed}”；{TIME_HINT}"


# --- months and formatting --------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "first", "last"),
    [
        ("2026-11", date(2026, 11, 1), date(2026, 11, 30)),
        ("2026/11", date(2026, 11, 1), date(2026, 11, 30)),
        ("2026年11月", date(2026, 11, 1), date(2026, 11, 30)),
        ("202611", date(2026, 11, 1), date(2026, 11, 30)),
        ("2026-1", date(2026, 1, 1), date(2026, 1, 31)),
        ("2028年2月", date(2028, 2, 1), date(2028, 2, 29)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("二〇二六年十二月", date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_parse_month(typed: str, first: date, last: date) -> None:
    assert parse_month(typed) == (first, last)


@pytest.mark.parametrize("typed", ["2026-13", "2026-00", "2026", "11", "2026-11-22", "20261"])
def test_parse_month_refuses(typed: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_month(typed)
    assert (
        info.value.message
        == f"月份：无法识别“{typed}”；请写成 2026-11、2026/11、2026年11月、本月或上月"
    )


@pytest.mark.parametrize(
    ("d", "plain", "upper"),
    [
        (date(2026, 11, 22), "2026年11月22日", "二〇二六年十一月二十二日"),
        (date(2026, 1, 5), "2026年1月5日", "二〇二六年一月五日"),
        (date(2030, 10, 31), "2030年10月31日", "二〇三〇年十月三十一日"),
        (date(2001, 12, 20), "2001年12月20日", "二〇〇一年十二月二十日"),
        (date(2026, 2, 10), "2026年2月10日", "二〇二六年二月十日"),
    ],
)
def test_chinese_dates(d: date, plain: str, upper: str) -> None:
    assert chinese_date(d) == plain
    assert chinese_upper_date(d) == upper
    assert parse_date(upper) == d  # what we print, we read back
