"""One cell's value as the import reads it: text (a number typed for a phone number
included), a date in any form clerks use, and the yes/no words of the decision columns."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from typing import Any

from xinfang.core.clock import workdays
from xinfang.core.clock.dates import check_year, parse_month_day, parse_when
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


def as_date(value: Any, label: str, year: int | None, current: datetime | None) -> tuple[str, date]:
    """A date cell in any form clerks use, as stored (`2026-11-02` or with its time);
    not after `current` (None: a date that may lie ahead, such as a due date)."""
    stamp: datetime
    if isinstance(value, datetime):
        stamp = value
    elif isinstance(value, date):
        stamp = datetime.combine(value, time())
    elif _serial(value):
        from openpyxl.utils.datetime import from_excel

        stamp = from_excel(float(value))
    else:
        text = as_text(value)
        try:
            stamp = parse_when(text, label)[0]
        except InvalidInput as error:
            undated = parse_month_day(text, year, label)
            if undated is None:
                raise error from None
            stamp = undated[0]
    stamp = (stamp + timedelta(microseconds=500_000)).replace(microsecond=0)
    check_year(stamp.year, label)
    day = stamp.date()
    if day < workdays.FIRST_DAY:
        raise InvalidInput(label, f"{day} 早于 {workdays.FIRST_DAY.year} 年，超出工作日历的范围")
    has_time = stamp.time() != time()
    if current and (day > current.date() or (has_time and stamp > current)):
        raise InvalidInput(label, f"{day} 晚于今天，不能登记将来的事")
    return (stamp.isoformat(sep=" ") if has_time else day.isoformat()), day


def _serial(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        if not re.fullmatch(r"[0-9]{5}(\.[0-9]+)?", value.strip()):
            return False
        value = float(value)
    return isinstance(value, int | float) and SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]


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
