"""The State Council's holiday notice as published (《国务院办公厅关于2027年部分节假日安排的
通知》), read from the text the clerk copied off the government site or a news page: the
year from its title, and from each numbered item (一、元旦：…) the days off and the
adjusted workdays (上班).

Read as the notices have been written since 2016: `1月1日（周四）至3日（周六）放假调休，
共3天。1月4日（周日）上班。`, `5月1日放假，与周末连休。`, `1月1日放假，1月2日（星期一）
补休。`, `1月1日（周三）放假1天，不调休。`, a block across a month or a year, items that
join two festivals; full- or half-width punctuation, line breaks anywhere, a repost in
Traditional characters, and whatever the page put around the notice.

What is read is checked against itself: each weekday in brackets against its date, each
共N天 against its block, all seven festivals present. Any doubt refuses the whole notice
naming the item; a sentence with a date that is none of the known wordings is a doubt.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

from xinfang.core.clock.promises import WEEKDAYS
from xinfang.core.clock.workdays import HOLIDAY, WORKDAY
from xinfang.core.errors import InvalidInput, shorten

FIELD = "通知"
FESTIVALS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")

# Traditional → Simplified, for the characters the reading depends on (the title, the
# festivals, 放假调休/补休/与周末连休, the weekdays, 现将…年, 鼓励): a repost from Hong Kong,
# Macao or Taiwan. The rest of the text may stay as it is.
_TRADITIONAL = str.maketrans(
    "國務辦廳關於節調補與週連勞動慶農曆臘現將勵發電號門時間來責編帶職",
    "国务办厅关于节调补与周连劳动庆农历腊现将励发电号门时间来责编带职",
)
_INVISIBLE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")
# 清明、端午、中秋、国庆 are sometimes written without 节 in reposts.
_FESTIVAL = "|".join(
    name.removesuffix("节") + "节?" if len(name) == 3 else name for name in FESTIVALS
)
_NUMERALS = "一二三四五六七八九十"
# 一、元旦： (a repost may number 1、元旦： or 1.元旦:)
_ITEM = re.compile(
    rf"([{_NUMERALS}]{{1,2}}、|\d{{1,2}}[、.])((?:{_FESTIVAL})(?:[、和及](?:{_FESTIVAL}))*):?"
)
_TITLE = re.compile(r"关于(\d{4})年部分节假日安排的通知")
_INTRO = re.compile(r"现将(\d{4})年")
# A date as the notices write it; the year and month may be left to the ones before.
_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:\(([^()]*)\))?")
_WEEKDAY = re.compile(r"(?:星期|周|礼拜)([一二三四五六日天])")
_RANGE = re.compile(r"[至到~\-－—–]+")
_COUNT = re.compile(r"(?:共|放假)(\d{1,2})天")
# What follows the dates of a day or block off: 放假，放假调休，放假3天，放假调休共3天.
_OFF = re.compile(r"放假(?:调休|公休)?(?:共?\d{1,2}天)?")
_KEYWORDS = ("放假", "上班", "补休")


@dataclass
class Item:
    """One numbered item: its festivals, its blocks off, its adjusted workdays."""

    number: str
    festivals: str
    blocks: list[tuple[date, date]] = field(default_factory=list)
    workdays: list[date] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.number}、{self.festivals}"


@dataclass(frozen=True)
class Notice:
    year: int
    title: str
    items: list[Item]

    def entries(self) -> list[tuple[date, date, str, str]]:
        """What `calendar import` records: (first, last, 休|班, note)."""
        found = []
        for item in self.items:
            found += [(first, last, HOLIDAY, item.festivals) for first, last in item.blocks]
            found += [(day, day, WORKDAY, f"{item.festivals}调休上班") for day in item.workdays]
        return sorted(found)


def normalize(text: str) -> str:
    """Half-width digits and punctuation, Simplified characters, no spaces or line breaks
    (a page copied into a mail or a chat breaks lines anywhere, even inside a date)."""
    folded = unicodedata.normalize("NFKC", text).translate(_TRADITIONAL)
    return _INVISIBLE.sub("", folded)


def looks_like_notice(text: str) -> bool:
    """Meant as a notice (even a wrong one, to be refused as such), not as lines."""
    body = normalize(text)
    return _ITEM.search(body) is not None or any(w in body for w in ("办公厅", "放假"))


def _refuse(where: str, message: str) -> InvalidInput:
    return InvalidInput(FIELD, f"{where}：{message}；整份通知未录入")


def read(text: str) -> Notice:
    """The notice's year and items, checked; InvalidInput naming the item otherwise."""
    body = normalize(text)
    marks = list(_ITEM.finditer(body))
    if not marks:
        raise InvalidInput(
            FIELD,
            "没有找到“一、元旦：…”这样的条目，不像国务院办公厅的部分节假日安排通知"
            "（调整或延长假期的通知请用 xinfang calendar set 录入）",
        )
    year, title = _year(body[: marks[0].start()])
    items: list[Item] = []
    for n, mark in enumerate(marks):
        number = _number(mark.group(1))
        if number != n + 1:
            raise _refuse(
                f"“{mark.group(1)}{mark.group(2)}”",
                f"应为第{_NUMERALS[n] if n < 10 else n + 1}项；"
                "页面似乎含有不止一份通知或缺了条目，请只复制一份通知全文",
            )
        end = marks[n + 1].start() if n + 1 < len(marks) else len(body)
        names = re.split(r"[、和及]", mark.group(2))
        festivals = "、".join(next(f for f in FESTIVALS if f.startswith(w)) for w in names)
        item = Item(_NUMERALS[n] if n < 10 else str(n + 1), festivals)
        rest = _read_item(item, body[mark.end() : end], year)
        _check_outside(item, rest, last=n + 1 == len(marks))
        items.append(item)
    named = {name for item in items for name in item.festivals.split("、")}
    missing = [name for name in FESTIVALS if name not in named]
    if missing:
        raise InvalidInput(
            FIELD,
            f"没有读到{'、'.join(missing)}的安排（通知应有{'、'.join(FESTIVALS)}七个节日）；"
            "请复制通知全文；整份通知未录入",
        )
    _check_overlaps(items)
    return Notice(year, title, items)


def _year(prelude: str) -> tuple[int, str]:
    """The year from the title before the first item (a page may list other years' notices
    further down), cross-checked with 现将…年 where the notice says it."""
    title = _TITLE.search(prelude)
    intro = _INTRO.search(prelude)
    if title is None and intro is None:
        raise InvalidInput(
            FIELD,
            "没有找到标题“国务院办公厅关于某年部分节假日安排的通知”，不知道是哪一年；"
            "请连同标题一起复制（调整或延长假期的通知请用 xinfang calendar set 录入）",
        )
    found = title or intro
    assert found is not None
    year = int(found.group(1))
    if title and intro and int(intro.group(1)) != year:
        raise InvalidInput(
            FIELD, f"标题是{year}年，正文却是“现将{intro.group(1)}年…”；请核对后重新复制"
        )
    return year, f"国务院办公厅关于{year}年部分节假日安排的通知"


def _number(numeral: str) -> int:
    numeral = numeral[:-1]  # the 、 or .
    if numeral.isdigit():
        return int(numeral)
    if numeral.startswith("十"):
        return 10 + (_NUMERALS.index(numeral[1]) + 1 if len(numeral) > 1 else 0)
    return _NUMERALS.index(numeral[0]) + 1


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"[。;.]", text) if s]


def _clauses(sentence: str) -> list[str]:
    """Split at commas outside brackets (`（农历腊月二十八，周日）` is one date)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(sentence):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth <= 0:
            parts.append(sentence[start:i])
            start = i + 1
    return [part for part in [*parts, sentence[start:]] if part]


def _is_arrangement(sentence: str) -> bool:
    return any(word in sentence for word in _KEYWORDS)


def _read_item(item: Item, text: str, year: int) -> list[str]:
    """Read the item's sentences up to the first that is not an arrangement; returns the
    sentences after it (the closing paragraph, the signature, the page)."""
    sentences = _sentences(text)
    for index, sentence in enumerate(sentences):
        if sentence.startswith("鼓励"):  # 鼓励…安排职工在除夕（2月9日）休息: advice, not a day off
            continue
        if not _is_arrangement(sentence):
            return sentences[index:]
        _read_sentence(item, sentence, year)
    if not item.blocks:
        raise _refuse(f"第{item.number}项（{item.festivals}）", "没有读到放假日期")
    return []


def _check_outside(item: Item, rest: list[str], *, last: bool) -> None:
    """A date in a sentence no known wording reads could be a day off lost: refuse. After
    the last item only up to the signature: beyond it is the page (related news…)."""
    for sentence in rest:
        if last and "办公厅" in sentence:
            return
        if _DATE.search(sentence):
            raise _refuse(
                f"第{item.number}项（{item.festivals}）",
                f"“{shorten(sentence)}”不是能识别的写法",
            )


class _Dates:
    """Dates of one sentence: a date without a year or month takes the one before it
    (`2月20日（星期六）、21日（星期日）`, `2022年12月31日至2023年1月2日`)."""

    def __init__(self, item: Item, year: int) -> None:
        self.item = item
        self.year, self.month = year, 0
        self.title_year = year

    def read(self, match: re.Match[str]) -> date:
        where = f"第{self.item.number}项（{self.item.festivals}）"
        self.year = int(match.group(1) or self.year)
        self.month = int(match.group(2) or self.month)
        if not self.month:
            raise _refuse(where, f"“{match.group(0)}”没有月份")
        try:
            day = date(self.year, self.month, int(match.group(3)))
        except ValueError:
            raise _refuse(where, f"没有“{match.group(0)}”这一天") from None
        if not (date(self.title_year - 1, 12, 1) <= day <= date(self.title_year, 12, 31)):
            raise _refuse(where, f"{day} 不在{self.title_year}年的安排之内")
        weekday = _WEEKDAY.search(match.group(4) or "")
        if weekday:
            written = "一二三四五六日".index(weekday.group(1).replace("天", "日"))
            if written != day.weekday():
                raise _refuse(
                    where,
                    f"{day.month}月{day.day}日写的是{weekday.group(0)}，"
                    f"但{day.year}年{day.month}月{day.day}日是{WEEKDAYS[day.weekday()]}",
                )
        return day


def _shape(clause: str, found: list[re.Match[str]]) -> str | None:
    """Which known wording a clause with dates is: 放假 (a day or a block, 调休, 共N天),
    上班 or 补休 (days joined by 、); None for anything else."""
    if not found or found[0].start() != 0:
        return None
    joins = [clause[a.end() : b.start()] for a, b in pairwise(found)]
    tail = clause[found[-1].end() :]
    if _OFF.fullmatch(tail) and len(found) <= 2 and all(_RANGE.fullmatch(j) for j in joins):
        return "放假"
    if tail in ("上班", "补休") and all(j in ("、", "和") for j in joins):
        return tail
    return None


def _read_sentence(item: Item, sentence: str, year: int) -> None:
    where = f"第{item.number}项（{item.festivals}）"
    dates = _Dates(item, year)
    blocks: list[tuple[date, date]] = []
    for clause in _clauses(sentence):
        found = list(_DATE.finditer(clause))
        days = [dates.read(match) for match in found]
        shape = _shape(clause, found)
        if shape == "放假":
            if days[-1] < days[0]:
                raise _refuse(where, f"“{shorten(clause)}”结束日期早于开始日期")
            blocks.append((days[0], days[-1]))
        elif shape == "补休":  # 1月2日（星期一）补休: a day off in lieu
            blocks += [(day, day) for day in days]
        elif shape == "上班":
            item.workdays += days
        elif days or (_is_arrangement(clause) and not _COUNT.fullmatch(clause)):
            raise _refuse(where, f"“{shorten(clause)}”不是能识别的写法")
        count = _COUNT.search(clause)
        if count:
            if not blocks:
                raise _refuse(where, f"“{count.group(0)}”前没有放假日期")
            first, last = blocks[-1]
            span = (last - first).days + 1
            if span != int(count.group(1)):
                raise _refuse(
                    where,
                    f"{first.month}月{first.day}日至{last.month}月{last.day}日是{span}天，"
                    f"通知写的是“{count.group(0)}”",
                )
    item.blocks += blocks


def _check_overlaps(items: list[Item]) -> None:
    """An adjusted workday falls on a weekend and outside every block off."""
    off = {
        first + timedelta(days=i): item
        for item in items
        for first, last in item.blocks
        for i in range((last - first).days + 1)
    }
    for item in items:
        where = f"第{item.number}项（{item.festivals}）"
        for day in item.workdays:
            if day in off:
                raise _refuse(where, f"{day} 既是放假日又是上班日")
            if day.weekday() < 5:
                raise _refuse(
                    where, f"{day}（{WEEKDAYS[day.weekday()]}）本是工作日，不需要调休上班"
                )
