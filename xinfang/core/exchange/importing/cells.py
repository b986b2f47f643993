"""One cell's value as the import reads it: text (a number typed for a phone number
included), a date in any form clerks use, and the yes/no words of the decision columns."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from xinfang.core.clock import workdays
from xinfang.core.clock.dates import check_year, parse_month, parse_month_day, parse_when
from xinfang.core.errors import InvalidInput, shorten
from xinfang.core.validate import clean_text

# Excel keeps dates as day numbers; these are 1954-10-03 .. 2119-01-10. A date cell comes
# as a date already; a plain number in a date column is read as such a day number.
SERIAL_RANGE = (20_000, 80_000)


def as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed into a number cell
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


def plain(value: Any, limit: int = 200) -> str:
    """Text from the file that is shown or kept but is no field of a case (a header, a
    sheet's name, a reason echoing a cell): cleaned as typed text is, and not too long."""
    return clean_text(shorten(as_text(value), limit), "", max_length=limit + 1) or ""


def as_word(value: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", as_text(value)))


# Day, month and year with the year last (22/06/2026, 06/22/2026): which comes first is
# decided for the whole column (`dating`); and Excel's short form yy-m-d (26-6-22).
YEAR_LAST = re.compile(r"([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]{4})(?![0-9])", re.ASCII)
_SHORT_YEAR = re.compile(r"([0-9]{2})([-/.])([0-9]{1,2})\2([0-9]{1,2})(?![0-9])", re.ASCII)
DAY_FIRST, MONTH_FIRST = "日/月/年", "月/日/年"

# The order of a column's day and month, asked only when a cell needs it.
Order = Callable[[], str | None]


@dataclass(frozen=True)
class Stamped:
    """A date cell and the cell of its time-only column beside it (来访日期 + 来访时间)."""

    day: Any
    clock: Any


def as_date(
    value: Any, label: str, year: int | None, current: datetime | None, order: Order | None = None
) -> tuple[str, date]:
    """A date cell in any form clerks use, as stored (`2026-11-02` or with its time);
    not after `current` (None: a date that may lie ahead, such as a due date)."""
    stamp = _stamp(value, label, year, order)
    stamp = (stamp + timedelta(microseconds=500_000)).replace(microsecond=0)
    check_year(stamp.year, label)
    day = stamp.date()
    if day < workdays.FIRST_DAY:
        raise InvalidInput(label, f"{day} 早于 {workdays.FIRST_DAY.year} 年，超出工作日历的范围")
    has_time = stamp.time() != time()
    if current and (day > current.date() or (has_time and stamp > current)):
        raise InvalidInput(label, f"{day} 晚于今天，不能登记将来的事")
    return (stamp.isoformat(sep=" ") if has_time else day.isoformat()), day


def _stamp(value: Any, label: str, year: int | None, order: Order | None) -> datetime:
    if isinstance(value, Stamped):
        day = _stamp(value.day, label, year, order)
        clock = as_time(value.clock, label)
        if day.time() != time() and clock != day.time():
            raise InvalidInput(label, f"日期已带时间 {day.time()}，与时间列的 {clock} 不一致")
        return datetime.combine(day.date(), clock)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if _serial(value):
        from openpyxl.utils.datetime import from_excel

        return from_excel(float(value))
    text = unicodedata.normalize("NFKC", as_text(value))
    year_last = YEAR_LAST.match(text)
    if year_last:
        first, _, second, full_year = year_last.groups()
        reading = order() if order else year_last_order(label, [text])
        day_part, month = (first, second) if reading == DAY_FIRST else (second, first)
        text = f"{full_year}-{month}-{day_part}{text[year_last.end() :]}"
    elif short := _SHORT_YEAR.match(text):
        text = f"20{short[1]}-{short[3]}-{short[4]}{text[short.end() :]}"
    try:
        return parse_when(text, label, exported=True)[0]
    except InvalidInput as error:
        undated = parse_month_day(text, year, label)
        if undated is not None:
            return undated[0]
        if _month(text):
            raise InvalidInput(
                label,
                f"“{shorten(as_text(value))}”只写了年月，没有写哪一天；"
                "请补上日期（如 2026-06-22），不能猜",
            ) from None
        raise error from None


def year_last_order(label: str, texts: Iterable[str]) -> str:
    """Whether a column's 22/06/2026 is day first or month first: only when some value
    says so (a part over 12) and none says otherwise; never guessed."""
    day_first = month_first = sample = None
    for text in texts:
        match = YEAR_LAST.match(text)
        if match is None:
            continue
        sample = sample or match[0]
        if int(match[1]) > 12:
            day_first = day_first or match[0]
        elif int(match[3]) > 12:
            month_first = month_first or match[0]
    redo = "请在 Excel 中把该列设为“yyyy-mm-dd”格式（如 2026-06-22）后重新导出"
    if day_first and month_first:
        raise InvalidInput(
            label,
            f"该列既有“{day_first}”（{DAY_FIRST}）又有“{month_first}”（{MONTH_FIRST}）；{redo}",
        )
    if day_first or month_first:
        return DAY_FIRST if day_first else MONTH_FIRST
    raise InvalidInput(
        label, f"该列的日期写成“{sample}”这样，分不清是{DAY_FIRST}还是{MONTH_FIRST}；{redo}"
    )


def _month(text: str) -> bool:
    try:
        parse_month(text)
    except InvalidInput:
        return False
    return True


def as_time(value: Any, label: str) -> time:
    """A time-only cell: 9:30, 下午3点, a time cell, or Excel's fraction of a day."""
    if isinstance(value, time):
        return value
    if isinstance(value, datetime):  # some writers put a time on 1899-12-30
        return value.time()
    if isinstance(value, float) and 0 <= value < 1:
        return (datetime(2000, 1, 1) + timedelta(days=value, microseconds=500_000)).time()
    when, has_time = parse_when(f"2000-01-01 {as_text(value)}", label, exported=True)
    if not has_time:
        raise InvalidInput(label, f"无法识别时间“{shorten(as_text(value))}”；请写成 14:30")
    return when.time()


def is_time(value: Any) -> bool:
    """Whether a cell holds a time of day and nothing else."""
    if isinstance(value, time):
        return True
    try:
        as_time(value, "")
    except InvalidInput:
        return False
    return not isinstance(value, datetime | date)


def _serial(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        if not re.fullmatch(r"[0-9]{5}(\.[0-9]+)?", value.strip()):
            return False
        value = float(value)
    return isinstance(value, int | float) and SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]


# Excel keeps 15 significant digits: an 18-digit ID number typed into a number cell comes
# back with its last digits zeros (371602195101243000, written 3.71602195101243E+17 in a
# CSV Excel saved), and a landline loses its leading 0.
EXCEL_DIGITS = 15
_SCIENTIFIC = re.compile(r"[0-9](?:\.[0-9]+)?[eE]\+?[0-9]+", re.ASCII)
_BROKEN = {
    "phone": "以数字格式保存，开头的 0 或末几位已丢失",
    "id": "以数字格式保存，已丢失末几位",
}


def number_text(value: Any, kind: str, check: Callable[[str], str]) -> str:
    """A phone ("phone") or ID ("id") cell as text. A number cell is read only when all
    its digits are surely there (an integer under 15 digits that passes `check`: a mobile
    number, an old 15-digit card); otherwise, and for the E+17 and trailing zeros a saved
    number leaves in text, the value is broken and refused, never repaired."""
    broken = InvalidInput("", f"{_BROKEN[kind]}；请在 Excel 中把该列设为文本、补全号码后重新导出")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not float(value).is_integer() or abs(value) >= 10**EXCEL_DIGITS:
            raise broken
        try:
            return check(str(int(value)))
        except InvalidInput:
            raise broken from None
    text = as_text(value)
    if _SCIENTIFIC.fullmatch(text):
        raise broken
    cut = text[EXCEL_DIGITS:]
    if text.isdigit() and cut and not cut.strip("0"):
        try:
            return check(text)
        except InvalidInput:
            raise broken from None
    return text


def decision(value: Any, label: str) -> tuple[str | None, str | None]:
    """是否受理 -> (accept | reject | transfer | None, whom it was transferred to)."""
    word = as_word(value)
    if word in ("", "待定", "未定", "待受理"):
        return None, None
    transfer = re.match(r"^(?:否\()?(?:转送|转办)(.*?)\)?$", word)
    if transfer:
        return "transfer", transfer.group(1) or None
    if word.startswith(("否", "不予受理", "不受理")):
        return "reject", None
    if word.startswith(("是", "受理", "已受理", "予以受理")):
        return "accept", None
    raise InvalidInput(label, f"无法识别“{shorten(word)}”；可填 是、否（不予受理）、转送")


def yes_no(value: Any, label: str, yes: tuple[str, ...], no: tuple[str, ...]) -> bool:
    word = as_word(value)
    if word.startswith(yes):
        return True
    if word.startswith(no):
        return False
    raise InvalidInput(label, f"无法识别“{shorten(word)}”；可填 是 或 否")
