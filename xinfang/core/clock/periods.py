"""Reporting periods: a month, a quarter, a half-year, a year, or any range of days; with
the period before it and the same period a year earlier, for comparison."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from xinfang.core.clock.dates import check_year, parse_date, parse_month, today
from xinfang.core.errors import InvalidInput

_QUARTER = re.compile(r"^\s*(\d{4})\s*[-年]?\s*[Qq第]?\s*([1-4])\s*季?度?\s*$")
_HALF = re.compile(r"^\s*(\d{4})\s*(?:-?\s*[Hh]\s*([12])|年?\s*([上下])半年)\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*年?\s*$")
HALF_NAMES = {1: "上半年", 2: "下半年"}
# 本季度, 上季度, 今年, 去年: counted back from today (本月/上月 are parse_month's). Not
# 上半年/下半年: in January, which year's would be a guess; the year is written (2026H2).
_RELATIVE = {
    "本季度": ("quarter", 0), "这个季度": ("quarter", 0), "上季度": ("quarter", 1),
    "上个季度": ("quarter", 1),
    "今年": ("year", 0), "本年": ("year", 0), "本年度": ("year", 0), "去年": ("year", 1),
}  # fmt: skip
# The monthly tables go out early in the month: until this day, the month just ended.
MONTHLY_SEND_BY = 10


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    kind: str  # month | quarter | half | year | range

    @property
    def label(self) -> str:
        """How the period reads in a title or a file name: 2026年11月, 2026年第4季度 …"""
        if self.kind == "month":
            return f"{self.first.year}年{self.first.month}月"
        if self.kind == "quarter":
            return f"{self.first.year}年第{(self.first.month - 1) // 3 + 1}季度"
        if self.kind == "half":
            return f"{self.first.year}年{HALF_NAMES[1 if self.first.month == 1 else 2]}"
        if self.kind == "year":
            return f"{self.first.year}年"
        return f"{self.first:%Y年%m月%d日}至{self.last:%Y年%m月%d日}".replace("年0", "年").replace(
            "月0", "月"
        )

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last

    def previous(self) -> Period:
        """The period just before, of the same kind (a range: the same number of days)."""
        if self.kind in KINDS:
            return KINDS[self.kind](self.first - timedelta(days=1))
        return Period(
            self.first - timedelta(days=self.days), self.first - timedelta(days=1), "range"
        )

    def year_before(self) -> Period:
        return Period(_minus_year(self.first), _minus_year(self.last), self.kind)


def _minus_year(day: date) -> date:
    last = calendar.monthrange(day.year - 1, day.month)[1]
    return date(day.year - 1, day.month, min(day.day, last))


def month_of(day: date) -> Period:
    return Period(
        day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1]), "month"
    )


def quarter_of(day: date) -> Period:
    first_month = (day.month - 1) // 3 * 3 + 1
    first = date(day.year, first_month, 1)
    last_month = first_month + 2
    return Period(
        first, date(day.year, last_month, calendar.monthrange(day.year, last_month)[1]), "quarter"
    )


def half_of(day: date) -> Period:
    if day.month <= 6:
        return Period(date(day.year, 1, 1), date(day.year, 6, 30), "half")
    return Period(date(day.year, 7, 1), date(day.year, 12, 31), "half")


def year_of(day: date) -> Period:
    return Period(date(day.year, 1, 1), date(day.year, 12, 31), "year")


# Each calendar kind by the day it contains; a range that is exactly one of them is it
# (--from 2026-07-01 --to 2026-12-31 compares with the half-year before, not 184 days).
KINDS: dict[str, Callable[[date], Period]] = {
    "month": month_of, "quarter": quarter_of, "half": half_of, "year": year_of,
}  # fmt: skip


def monthly_default(day: date) -> Period:
    """The month a monthly table is drawn for when none is named: the month just ended
    before the 10th (the table is being sent), this month from the 10th on."""
    if day.day < MONTHLY_SEND_BY:
        return month_of(day.replace(day=1) - timedelta(days=1))
    return month_of(day)


def _relative(text: str | None, kind: str) -> Period | None:
    """本季度, 上季度, 今年, 去年 as a period; else None."""
    named = _RELATIVE.get((text or "").strip())
    if named is None or named[0] != kind:
        return None
    period = KINDS[kind](today())
    for _ in range(named[1]):
        period = period.previous()
    return period


def _range(first: date, last: date) -> Period:
    for of in KINDS.values():
        period = of(first)
        if (period.first, period.last) == (first, last):
            return period
    return Period(first, last, "range")


def choose(
    *,
    month: str | None = None,
    quarter: str | None = None,
    half: str | None = None,
    year: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    monthly: bool = False,
) -> Period:
    """Exactly one way of naming the period: --month, --quarter, --half, --year or
    --from/--to; `monthly` (a monthly table): none means monthly_default."""
    named = (("--month", month), ("--quarter", quarter), ("--half", half), ("--year", year))
    given = [name for name, value in named if value]
    if date_from or date_to:
        given.append("--from/--to")
    if not given and monthly:
        return monthly_default(today())
    for kind, value in (("quarter", quarter), ("year", year)):
        relative = _relative(value, kind) if len(given) == 1 else None
        if relative is not None:
            return relative
    if len(given) != 1:
        raise InvalidInput(
            "统计期间",
            "请用 --month 2026-11（或 上月）、--quarter 2026Q4（或 上季度）、--half 2026H2、--year 2026 "
            "或 --from/--to 中的一种" + (f"（同时给了 {'、'.join(given)}）" if given else ""),
        )
    if month:
        first, last = parse_month(month, "月份")
        return Period(first, last, "month")
    if quarter:
        match = _QUARTER.match(quarter)
        if not match:
            raise InvalidInput("季度", f"无法识别“{quarter}”；请写成 2026Q4 或 2026年第4季度")
        return quarter_of(date(check_year(int(match.group(1)), "季度"), int(match.group(2)) * 3, 1))
    if half:
        found = _HALF.match(half)
        if not found:
            raise InvalidInput("半年", f"无法识别“{half}”；请写成 2026H1、2026H2 或 2026年下半年")
        second = found.group(2) == "2" or found.group(3) == "下"
        return half_of(date(check_year(int(found.group(1)), "半年"), 7 if second else 1, 1))
    if year:
        match = _YEAR.match(year)
        if not match:
            raise InvalidInput("年份", f"无法识别“{year}”；请写成 2026")
        return year_of(date(check_year(int(match.group(1)), "年份"), 1, 1))
    if not (date_from and date_to):
        raise InvalidInput("统计期间", "--from 和 --to 须同时给出")
    first, last = parse_date(date_from, "起始日期"), parse_date(date_to, "截止日期")
    if last < first:
        raise InvalidInput("截止日期", "不能早于起始日期")
    return _range(first, last)


def as_of_day(period: Period, text: str | None) -> date:
    """The day a report is drawn up to: --as-of, else the period's end, or today while the
    period is still running (nothing after today has happened)."""
    if text is None:
        return min(period.last, today())
    day = parse_date(text, "截至日期")
    if day < period.first:
        raise InvalidInput("截至日期", f"{day} 早于统计期间的第一天 {period.first}")
    return day
