"""The rule language of the leader reception days (领导接访日, seed 003): "the last Friday
of each month, 09:00–11:00", written `last-friday 09:00-11:00` or in Chinese
每月最后一个周五 09:00-11:00, and the day it names in a month. The plan made from a
rule (the days, the leaders' turns, the holidays) is reception.py's.
"""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from xinfang.core.errors import InvalidInput
from xinfang.core.validate import clean_text

WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

_ENGLISH_DAYS = {
    name: number
    for number, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue"),
            ("wednesday", "wed"),
            ("thursday", "thu"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}
_ENGLISH_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
_CHINESE_DAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_CHINESE_ORDINALS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_ORDINAL_LABELS = {1: "第一个", 2: "第二个", 3: "第三个", 4: "第四个", -1: "最后一个"}

_TIME = r"(?P<{p}ap>上午|下午)?\s*(?P<{p}h>[0-9]{{1,2}}):(?P<{p}m>[0-9]{{2}})"
_RANGE = _TIME.format(p="s") + r"\s*(?:-|–|—|－|~|至|到)+\s*" + _TIME.format(p="e")
_ENGLISH_RULE = re.compile(
    r"(?P<ord>[a-z]+)[-\s]+(?P<day>[a-z]+)\s+" + _RANGE, re.ASCII | re.IGNORECASE
)
_CHINESE_RULE = re.compile(
    r"(?:每月)?\s*(?:第(?P<ord>[一二三四1-4])个?|(?P<last>最后)一?个?)\s*"
    r"(?:周|星期|礼拜)(?P<day>[一二三四五六日天])\s*" + _RANGE
)
_RULE_HINT = (
    "请写成 last-friday 09:00-11:00（first、second、third、fourth 或 last，"
    "加 - 和星期的英文名 monday…sunday，再加时间段），或 每月最后一个周五 09:00-11:00"
)


@dataclass(frozen=True)
class Rule:
    """The `ordinal`-th (1–4, or -1 for the last) `weekday` (0 = Monday) of each month."""

    ordinal: int
    weekday: int
    starts: str
    ends: str

    @property
    def label(self) -> str:
        """每月最后一个星期五 09:00—11:00"""
        return (
            f"每月{_ORDINAL_LABELS[self.ordinal]}{WEEKDAY_NAMES[self.weekday]} "
            f"{self.starts}—{self.ends}"
        )

    def day_in(self, year: int, month: int) -> date:
        """The day the rule names in that month, before any holiday is considered."""
        if self.ordinal == -1:
            last = date(year, month, monthrange(year, month)[1])
            return last - timedelta(days=(last.weekday() - self.weekday) % 7)
        first = date(year, month, 1)
        return first + timedelta(days=(self.weekday - first.weekday()) % 7 + 7 * (self.ordinal - 1))


def _clock(ap: str | None, hour: str, minute: str, text: str) -> tuple[int, int]:
    h, m = int(hour), int(minute)
    if ap == "下午" and h < 12:
        h += 12
    if h > 23 or m > 59:
        raise InvalidInput("接访规则", f"“{text}”中的时间 {hour}:{minute} 不存在")
    return h, m


def _hhmm(clock: tuple[int, int]) -> str:
    return f"{clock[0]:02d}:{clock[1]:02d}"


def parse_rule(text: str) -> Rule:
    """`last-friday 09:00-11:00`, `first-mon 9:00-11:30`, `每月最后一个周五 09:00—11:00`,
    `每月最后一周五上午9:00—11:00` (the seed's own wording), `第二个星期三 下午2:30-4:30`."""
    raw = clean_text(text, "接访规则", max_length=60, required=True) or ""
    normal = unicodedata.normalize("NFKC", raw).strip()
    english = _ENGLISH_RULE.fullmatch(normal)
    chinese = None if english else _CHINESE_RULE.fullmatch(normal)
    if english:
        ordinal = _ENGLISH_ORDINALS.get(english["ord"].lower())
        weekday = _ENGLISH_DAYS.get(english["day"].lower())
        if ordinal is None:
            raise InvalidInput(
                "接访规则",
                f"“{english['ord']}”不是第几个；只能是 first、second、third、fourth 或 last",
            )
        if weekday is None:
            raise InvalidInput(
                "接访规则", f"“{english['day']}”不是星期几；只能是 monday、tuesday … sunday"
            )
        match = english
    elif chinese:
        ordinal = -1 if chinese["last"] else _CHINESE_ORDINALS[chinese["ord"]]
        weekday = _CHINESE_DAYS[chinese["day"]]
        match = chinese
    elif ":" not in normal:
        raise InvalidInput("接访规则", f"“{raw}”缺少接访时间段；{_RULE_HINT}")
    else:
        raise InvalidInput("接访规则", f"无法识别“{raw}”；{_RULE_HINT}")
    starts = _clock(match["sap"], match["sh"], match["sm"], raw)
    ends = _clock(match["eap"] or match["sap"], match["eh"], match["em"], raw)
    if ends <= starts:
        raise InvalidInput("接访规则", f"“{raw}”的结束时间不晚于开始时间")
    return Rule(ordinal, weekday, _hhmm(starts), _hhmm(ends))
