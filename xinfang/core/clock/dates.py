"""Dates and times as clerks type them, and a clock that tests and back-dated entries can fix."""

from __future__ import annotations

import calendar
import os
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

from xinfang.core.errors import InvalidInput, shorten

_DATE_HINT = "请写成 2026-11-22、2026年11月22日、11-22、11月22日、今天、昨天、前天或上周五"
_TIME_HINT = "请写成 2026-11-22、2026-11-22 14:30、11月22日14时30分或昨天下午3点"
_MONTH_HINT = "请写成 2026-11、2026/11、2026年11月、本月或上月"
# For the help of date options: every form a clerk may type, said once.
DATE_FORMS = "可写 2026-11-22、11月22日、11-22（不写年份即最近的那一天）、今天、昨天、前天、上周五"
_ZONE_HINT = "请写时区数据库中的名称，如 Asia/Shanghai（北京时间）、Asia/Urumqi 或 UTC"

# The office keeps Beijing time, whatever zone the server's own clock is set to: an
# action's day is the office's day. A ledger may name another zone (setting time_zone).
OFFICE_ZONE = "Asia/Shanghai"
# Files of the zone database that are not a place: `localtime` is the server's own zone,
# the very thing the setting exists to override.
_NOT_PLACES = frozenset({"localtime", "posixrules", "Factory"})
_zone: zoneinfo.ZoneInfo | None = None  # set when the ledger is opened (use_zone)

# Years a ledger can hold. A petition is dated within a lifetime; beyond these bounds a
# year is a typing slip (9999, 0001), and date arithmetic near year 1 or 9999 overflows.
FIRST_YEAR, LAST_YEAR = 1900, 2100

# A date written without a time still needs a moment of day when it sets the clock.
_DEFAULT_CLOCK_TIME = time(9, 0)

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UPPER_DIGITS = "〇一二三四五六七八九"
_RELATIVE_DAYS = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}
_RELATIVE_MONTHS = {"本月": 0, "这个月": 0, "当月": 0, "上月": 1, "上个月": 1}
# 上周五, 本周一, 这周三, 上星期二: a day of this week or the week before (weeks start Monday).
_WEEK_DAY = re.compile(r"(?P<which>上|本|这)(?:个)?(?:周|星期|礼拜)(?P<w>[一二三四五六日天])")

# re.ASCII: only 0-9 count as digits; NFKC has already folded full-width ones to ASCII.
# (?![0-9]) stops "2026.11.214:30" from being read as the 21st at 4:30.
_DATE_FORMS = tuple(
    re.compile(pattern, re.ASCII)
    for pattern in (
        r"(?P<y>[0-9]{4})年(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})(?:[日号]|(?![0-9]))",
        r"(?P<y>[0-9]{4})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})(?![0-9])",
        r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})(?![0-9])",
    )
)
# A weekday written after the date, as many ledgers print it: （周一）, (星期一), 礼拜天.
_WEEKDAY = re.compile(r" ?\(?(?:周|星期|礼拜)(?P<w>[一二三四五六日天])\)? ?")
_WEEKDAYS = "一二三四五六日"
_PERIODS = "上午|早上|早晨|凌晨|中午|下午|傍晚|晚上"
_PERIOD = rf"(?P<ap>{_PERIODS})? ?"
_TIME_FORMS = tuple(
    re.compile(_PERIOD + pattern, re.ASCII)
    for pattern in (
        r"(?P<h>[0-9]{1,2}):(?P<mi>[0-9]{1,2})(?::(?P<s>[0-9]{2}))?",  # 9:5 is 09:05
        r"(?P<h>[0-9]{1,2})[时点](?:(?P<half>半)|整|(?P<mi>[0-9]{1,2})(?:分(?:(?P<s>[0-9]{1,2})秒)?)?)?",
    )
)
_MONTH_FORM = re.compile(
    r"(?P<y>[0-9]{4})(?:年(?P<a>[0-9]{1,2})月?|[-/.](?P<b>[0-9]{1,2})|(?P<c>[0-9]{2}))", re.ASCII
)


def now() -> datetime:
    """The office's time to the second, naive as stored. The instant is the machine's
    clock, or XINFANG_NOW (read on every call): the office's time as written, or an
    instant anywhere when it ends in Z or an offset (2026-11-30T23:35:00+00:00)."""
    raw = os.environ.get("XINFANG_NOW", "").strip()
    current = _pinned(raw) if raw else datetime.now(UTC)
    if current.tzinfo is not None:
        current = current.astimezone(office_zone()).replace(tzinfo=None)
    if raw:
        check_year(current.year, "XINFANG_NOW")  # a day's shift may cross the last year
    return current.replace(microsecond=0)


# An offset after the time of XINFANG_NOW: Z, +08:00, -0600.
_OFFSET = re.compile(
    r"(?P<clock>.*[0-9])(?:Z|(?P<sign>[+-])(?P<h>[0-9]{2}):?(?P<m>[0-9]{2}))", re.ASCII
)


def _pinned(raw: str) -> datetime:
    refused = InvalidInput("XINFANG_NOW", f"无法识别“{shorten(raw)}”；{_TIME_HINT}")
    # No 今天/昨天 here: they are defined in terms of this very clock.
    parsed = _split(raw, relative=False)
    if parsed is None:
        raise refused
    day, rest = parsed
    check_year(day.year, "XINFANG_NOW")  # before any arithmetic can overflow
    try:
        clock, zone = _zoned_time(rest)
    except ValueError:
        raise refused from None
    return datetime.combine(day, clock or _DEFAULT_CLOCK_TIME, tzinfo=zone)


def _zoned_time(rest: str, exported: bool = False) -> tuple[time | None, timezone | None]:
    """The time after a date and the zone its offset names (None: the office's time)."""
    offset = _OFFSET.fullmatch(rest.strip())
    if offset is None:
        return _parse_time(rest, exported), None
    shift = timedelta(hours=int(offset["h"] or 0), minutes=int(offset["m"] or 0))
    zone = timezone(-shift if offset["sign"] == "-" else shift)  # ValueError past 24h
    return _parse_time(offset["clock"], exported), zone


def office_zone() -> zoneinfo.ZoneInfo:
    """The zone "now" is read in: the opened ledger's, else Beijing time."""
    return _zone or use_zone(OFFICE_ZONE)


def use_zone(name: str) -> zoneinfo.ZoneInfo:
    """Read "now" in this zone from here on (the ledger's setting, when it is opened)."""
    global _zone
    try:
        if name in _NOT_PLACES:
            raise ValueError(name)
        _zone = zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder (Asia)
        raise InvalidInput(
            "时区",
            f"台账设置的“{shorten(name)}”在本机的时区数据中找不到；"
            f"可用 xinfang config set 时区 {OFFICE_ZONE} 改正",
        ) from None
    return _zone


def check_zone(text: str) -> str:
    """A zone the clerk names: one of the zone database's places, as it spells them."""
    name = text.strip()
    if name not in zoneinfo.available_timezones() or name in _NOT_PLACES:
        raise InvalidInput("时区", f"没有“{shorten(name)}”这个时区；{_ZONE_HINT}")
    return name


def today() -> date:
    return now().date()


def check_year(year: int, field: str) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(field, f"{year} 年超出范围；只能是 {FIRST_YEAR} 到 {LAST_YEAR} 年")
    return year


def parse_date(text: str, field: str = "日期", *, ahead: bool = False) -> date:
    """A calendar date in any of the forms clerks write. Without a year (11-22, 11月22日)
    it is the nearest such day on the side of today the date lies: past by default (this
    year, or last year when this year's is still ahead), `ahead` for a date to come such
    as a due date (this year, or next year when this year's is over)."""
    parsed = _split(text, relative=True, field=field, ahead=ahead)
    if parsed is None or parsed[1].strip():
        raise InvalidInput(field, f"无法识别“{shorten(text.strip())}”；{_DATE_HINT}")
    check_year(parsed[0].year, field)
    return parsed[0]


def parse_when(
    text: str, field: str = "时间", *, exported: bool = False, ahead: bool = False
) -> tuple[datetime, bool]:
    """A date with an optional time; the flag says whether a time was actually written.
    A part of the day alone (昨天下午, 2026年6月22日上午) keeps the date and no time: no
    hour is invented. `exported`: written by another system, not typed (an old ledger's
    cell), so a fraction of a second (.0, .123) is dropped, and a date without its year
    is not placed in one (import asks for --year). `ahead`: as in parse_date."""
    parsed = _split(text, relative=True, field=field, ahead=ahead, month_day=not exported)
    try:
        if parsed is None:
            raise ValueError
        clock, zone = _zoned_time(parsed[1], exported)
    except ValueError:
        raise InvalidInput(field, f"无法识别“{shorten(text.strip())}”；{_TIME_HINT}") from None
    check_year(parsed[0].year, field)
    when = datetime.combine(parsed[0], clock or time())
    if zone is not None:  # 2026-06-22T11:49:49+08:00: an instant, read in the office's zone
        when = when.replace(tzinfo=zone).astimezone(office_zone()).replace(tzinfo=None)
        check_year(when.year, field)
    return when, clock is not None


def parse_datetime(text: str, field: str = "时间") -> datetime:
    """Like parse_when, but a bare date simply means 00:00 of that day."""
    return parse_when(text, field)[0]


def parse_month(text: str, field: str = "月份") -> tuple[date, date]:
    """A month as (first day, last day), for reports and statistics; 本月, 上月 too."""
    back = _RELATIVE_MONTHS.get(_normalize(text))
    if back is not None:
        first = today().replace(day=1)
        for _ in range(back):
            first = (first - timedelta(days=1)).replace(day=1)
        text = f"{first.year}-{first.month}"
    match = _MONTH_FORM.fullmatch(_normalize(text))
    month = int(match["a"] or match["b"] or match["c"]) if match else 0
    if match is None or not 1 <= month <= 12 or int(match["y"]) < 1:
        raise InvalidInput(field, f"无法识别“{shorten(text.strip())}”；{_MONTH_HINT}")
    year = check_year(int(match["y"]), field)
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def chinese_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def chinese_upper_date(d: date) -> str:
    """The form used on official documents: 二〇二六年十一月二十二日."""
    year = "".join(_UPPER_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{_small_upper(d.month)}月{_small_upper(d.day)}日"


def _small_upper(n: int) -> str:
    if n < 10:
        return _UPPER_DIGITS[n]
    tens, ones = divmod(n, 10)
    return (_UPPER_DIGITS[tens] if tens > 1 else "") + "十" + (_UPPER_DIGITS[ones] if ones else "")


def _normalize(text: str) -> str:
    """Fold full-width forms, spaces and Chinese numerals so the regexes see plain digits."""
    s = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
    s = re.sub(r" ?([年月日号时点分秒半]) ?", r"\1", s)
    return re.sub(r"([〇零一二三四五六七八九十两]+)(?=[年月日号时点分秒])", _cn_number, s)


def _cn_number(match: re.Match[str]) -> str:
    """二〇二六 -> 2026 before 年 (digit by digit); 十一, 二十二, 三十一 -> value elsewhere."""
    s = match.group(1)
    if "十" not in s:
        return "".join(str(_CN_DIGITS[c]) for c in s)
    head, _, tail = s.partition("十")
    if match.string[match.end()] == "年" or "十" in tail or len(head) > 1 or len(tail) > 1:
        return s  # left as is, so the date regexes refuse it
    return str((_CN_DIGITS[head] if head else 1) * 10 + (_CN_DIGITS[tail] if tail else 0))


def _split(
    text: str,
    *,
    relative: bool,
    field: str = "日期",
    ahead: bool = False,
    month_day: bool = True,
) -> tuple[date, str] | None:
    """The date at the start of text and whatever follows it (a weekday written after it
    checked and taken off), or None if there is no valid date. `relative`: the words
    that count from today (今天, 上周五) and dates without a year (placed by `ahead`)."""
    s = _normalize(text)
    if relative:
        for word, days_back in _RELATIVE_DAYS.items():
            if s.startswith(word):
                return today() - timedelta(days=days_back), s[len(word) :]
        week = _WEEK_DAY.match(s)
        if week:
            monday = today() - timedelta(days=today().weekday())
            if week["which"] == "上":
                monday -= timedelta(days=7)
            day = monday + timedelta(days=_WEEKDAYS.index(week["w"].replace("天", "日")))
            return day, s[week.end() :]
    if relative and month_day and not any(form.match(s) for form in _DATE_FORMS):
        return _without_year(s, ahead, field)
    for form in _DATE_FORMS:
        match = form.match(s)
        if match:
            try:
                day = date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:  # 2026-02-30, month 13: a real date or nothing
                return None
            return day, _without_weekday(day, s[match.end() :], field)
    return None


def _without_year(s: str, ahead: bool, field: str) -> tuple[date, str] | None:
    """11-22 or 11月22日: the nearest such day behind today (or from today on, `ahead`)."""
    match = _MONTH_DAY.match(s)
    if match is None or (match["sep"] and s[match.end() :].startswith(match["sep"])):
        return None
    month, number = int(match["m"]), int(match["d"] or match["d2"])
    current = today()
    for year in (current.year, current.year + (1 if ahead else -1)):
        try:
            day = date(year, month, number)
        except ValueError:  # 2-29 in a common year, 13-01: try the other year, else none
            continue
        if (day >= current) if ahead else (day <= current):
            return day, _without_weekday(day, s[match.end() :], field)
    return None


def _without_weekday(day: date, rest: str, field: str) -> str:
    weekday = _WEEKDAY.match(rest)
    if weekday is None:
        return rest
    written = _WEEKDAYS.index(weekday["w"].replace("天", "日"))
    if written != day.weekday():  # one of the two is a slip: which, the clerk knows
        raise InvalidInput(
            field,
            f"{day} 是星期{_WEEKDAYS[day.weekday()]}，不是星期{_WEEKDAYS[written]}；请核对日期",
        )
    return rest[weekday.end() :]


def _parse_time(rest: str, exported: bool = False) -> time | None:
    """None when nothing follows the date; ValueError when something does but is not a time."""
    rest = rest.strip()
    if not rest:
        return None
    if rest.startswith("T"):
        rest = rest[1:]
    if re.fullmatch(_PERIODS, rest):  # 昨天下午: a part of the day, no time to keep
        return None
    if exported:
        rest = re.sub(r"(:[0-9]{2})\.[0-9]{1,6}$", r"\1", rest, flags=re.ASCII)
    for form in _TIME_FORMS:
        match = form.fullmatch(rest)
        if match:
            break
    else:
        raise ValueError(rest)
    parts = match.groupdict()  # the "HH:MM" form has no 半 group
    hour = int(parts["h"])
    minute = 30 if parts.get("half") else int(parts["mi"] or 0)
    period = parts["ap"]
    if period in ("上午", "早上", "早晨", "凌晨"):
        if period == "凌晨" and hour == 12:
            hour = 0
        elif hour >= 12:
            raise ValueError(rest)
    elif period == "中午":
        hour += 12 if 1 <= hour <= 2 else 0
    elif period is not None:
        # 晚上12点 is midnight of which day? Make the clerk write 0:00 or 24-hour time.
        if hour == 12:
            raise ValueError(rest)
        hour += 12 if hour < 12 else 0
    return time(hour, minute, int(parts["s"] or 0))  # ValueError for 24:00, 14:60


@dataclass(frozen=True)
class Moment:
    """When an action happened, as stored: `2026-11-22`, or `2026-11-22 14:30:00` when a
    time was given (or defaulted to now)."""

    text: str
    day: date

    @property
    def has_time(self) -> bool:
        return len(self.text) > 10

    def is_before(self, other: str) -> bool:
        """Earlier than a stored moment: by time when both have one, else by day."""
        if self.has_time and len(other) > 10:
            return self.text < other
        return self.day.isoformat() < other[:10]


def moment(text: str | None, field: str = "日期") -> Moment:
    """A moment the clerk gives (default now); never later than now."""
    current = now()
    if text is None or not text.strip():
        return Moment(current.isoformat(sep=" "), current.date())
    value, has_time = parse_when(text, field)
    if value.date() > current.date() or (has_time and value > current):
        if has_time:
            shown = value.isoformat(sep=" ", timespec="minutes")
            raise InvalidInput(field, f"{shown} 晚于现在，不能登记将来的事")
        raise InvalidInput(field, f"{value.date()} 晚于今天，不能登记将来的事")
    stored = value.isoformat(sep=" ") if has_time else value.date().isoformat()
    return Moment(stored, value.date())


# A date written without its year, as in a ledger kept one year per sheet: 11月2日, 11.2.
_MONTH_DAY = re.compile(
    r"(?P<m>[0-9]{1,2})(?:月(?P<d>[0-9]{1,2})[日号]?|(?P<sep>[-/.])(?P<d2>[0-9]{1,2})(?![0-9]))",
    re.ASCII,
)


def parse_month_day(
    text: str, year: int | None, field: str = "日期"
) -> tuple[datetime, bool] | None:
    """“11月2日”, “11.2” or “11/2 14:30” placed in `year`, as parse_when returns it; None
    when the text does not start with a month and day; InvalidInput when it does but no
    year was given (a year is never guessed)."""
    s = _normalize(text)
    match = _MONTH_DAY.match(s)
    if match is None or (match["sep"] and s[match.end() :].startswith(match["sep"])):
        return None
    if year is None:
        raise InvalidInput(
            field, f"“{shorten(text.strip())}”没有年份；请写全年份或指定年份（--year）"
        )
    day = match["d"] or match["d2"]
    try:
        return parse_when(f"{year}-{match['m']}-{day}{s[match.end() :]}", field, exported=True)
    except InvalidInput:
        raise InvalidInput(field, f"无法识别“{shorten(text.strip())}”；{_DATE_HINT}") from None
