"""Paste-to-register: what a pasted letter, 12345 work order or online post says about the
fields of a new case. Text in, field values out; nothing is written. A phone or ID number
that fails its check is left out and said so, never kept half-right; everything else is a
suggestion the clerk confirms (at a terminal) or has seen (`--dry-run`, then `--yes`)."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from xinfang.core import settings
from xinfang.core.clock.dates import moment
from xinfang.core.errors import InvalidInput
from xinfang.core.intake.repeats import Match, find_earlier
from xinfang.core.validate import normalize_id_number, normalize_phone, without_hint
from xinfang.core.vocabulary import (
    CALL_FORM,
    HOTLINE_SOURCE,
    LETTER_FORM,
    ONLINE_FORM,
    ONLINE_SOURCE,
)

# What each kind of paper calls a field; the longer label first where one contains another.
LABELS: dict[str, tuple[str, ...]] = {
    "name": ("信访人姓名", "来电人姓名", "姓名", "来电人", "信访人", "反映人", "诉求人", "来信人"),
    "phone": ("联系电话", "来电号码", "手机号码", "手机号", "联系方式", "手机", "电话"),
    "id_number": ("身份证号码", "身份证号", "公民身份号码", "证件号码"),
    "address": ("通讯地址", "家庭住址", "联系地址", "详细地址", "住址", "地址"),
    "received": ("派单时间", "交办时间", "转办时间", "受理时间", "登记时间"),
    "written": ("来电时间", "来信日期", "留言时间", "日期", "时间"),
    "posted": ("发帖时间", "发布时间"),
    "content": ("诉求内容", "来电内容", "反映内容", "问题描述", "留言内容", "主要诉求", "内容"),
    "category": ("问题分类", "诉求类型", "问题类型", "诉求分类"),
    "platform": ("发布平台", "来源平台", "留言平台"),
    "ticket": ("工单编号", "工单号"),
    "title": ("留言标题", "标题"),
}
_ALL = sorted({label for labels in LABELS.values() for label in labels}, key=len, reverse=True)
# A label starts a line or follows a space or a separator, and ends with a colon.
_LABEL = re.compile(r"(?m)(?:^|(?<=[\s，,；;。|]))(" + "|".join(_ALL) + r")[ \t]*[:：][ \t]*")
_ANY_LABEL = re.compile(r"\n[ \t]*[\u4e00-\u9fff]{2,8}[ \t]*[:：]")
_SELF = re.compile(
    r"(?:我叫|我是|本人(?:叫|是|系)?)([^，,。；;！!\n（(]{2,30}?)(?=[，,。；;！!\n（(]|$)"
)
_LIVES = re.compile(r"(?:家住|住在|居住在|现住|住址为)([^，,。；;！!\n]{3,40})")
_PEOPLE = ("村民", "居民", "群众", "农民", "职工", "老人", "业主", "住户", "党员", "家属")
_HAN = re.compile(r"[\u4e00-\u9fff]{2,4}")
_NOT_NAMES = ("匿名", "网友", "市民", "群众", "村民", "居民", "本人", "此致", "敬礼")
_PHONE = re.compile(r"(?<![0-9])(?:1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})(?![0-9])")
_ID = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
_DATE = re.compile(
    r"(?:[0-9]{4}|[〇零一二三四五六七八九]{4})\s*[年/.-]\s*[0-9一二三四五六七八九十]{1,3}\s*[月/.-]"
    r"\s*[0-9一二三四五六七八九十]{1,3}\s*[日号]?(?:\s*[0-9]{1,2}[:：时][0-9]{1,2}(?:[:：][0-9]{2})?)?"
)
_URL = re.compile(r"https?://[^\s，。；）)]+")
_PLATFORMS = ("人民网领导留言板", "领导留言板", "人民网", "微博", "抖音", "快手", "微信公众号", "今日头条")  # fmt: skip
# Common words for the seed's categories: a guess only, used when the office has that category.
_CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "最低生活保障": ("低保",),
    "特困人员救助供养": ("特困", "五保"),
    "临时救助": ("临时救助", "救急"),
    "养老服务": ("养老", "敬老院", "老年"),
    "残疾人两项补贴": ("残疾",),
    "儿童福利": ("孤儿", "留守儿童", "事实无人抚养"),
    "殡葬管理": ("殡葬", "火化", "墓地", "公墓"),
    "婚姻登记": ("结婚", "离婚", "婚姻登记"),
}
_SALUTATION = re.compile(
    r"^(?:尊敬的|敬爱的)?[^\n：:]{0,20}(?:领导|同志|局|政府|县长|书记|您好)[：:，,]?$"
)
_CLOSING = re.compile(r"^(?:此致|敬礼|特此反映)")


@dataclass(frozen=True)
class Pasted:
    """The fields recognised (keys of fields.REGISTRATION_FIELDS), what the clerk should
    know about them, and earlier cases that look like the same matter."""

    kind: str  # 来信 | 12345工单 | 网上留言
    values: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    repeats: list[Match] = field(default_factory=list)


def labelled(text: str) -> dict[str, str]:
    """`标签：值` pairs, several to a line; a value runs to the next label. Content may run
    over many lines, up to the next line that starts with a label."""
    found: dict[str, str] = {}
    spots = list(_LABEL.finditer(text))
    for i, spot in enumerate(spots):
        end = spots[i + 1].start() if i + 1 < len(spots) else len(text)
        value = text[spot.end() : end]
        key = next(k for k, labels in LABELS.items() if spot.group(1) in labels)
        if key != "content":
            value = value.split("\n", 1)[0].strip().strip("，,；;。")
        else:  # up to a line with any label, known or not (办理时限：…)
            value = _ANY_LABEL.split(value, 1)[0]
        value = value.strip()
        if value and key not in found:
            found[key] = value
    return found


def _kind(text: str, fields: dict[str, str]) -> str:
    if "ticket" in fields or re.search(r"(?<![0-9])12345(?![0-9])", text):
        return "12345工单"
    if "posted" in fields or "platform" in fields or _URL.search(text) or "留言板" in text:
        return "网上留言"
    return LETTER_FORM


def _name(text: str, fields: dict[str, str]) -> str | None:
    candidates = [fields.get("name", "")]
    for said in _SELF.findall(text):
        for word in _PEOPLE:  # 我是沙河镇西关村村民张三
            said = said.rsplit(word, 1)[-1]
        candidates.append(said.removeprefix("叫").strip())
    lines = [line.strip() for line in text.strip().splitlines()]
    if any(_CLOSING.match(line) for line in lines):  # a letter signed under 此致 敬礼
        tail = lines[next(i for i, line in enumerate(lines) if _CLOSING.match(line)) :]
        candidates += [line.removeprefix("信访人").strip("：: ") for line in tail]
    for candidate in candidates:
        if _HAN.fullmatch(candidate) and candidate not in _NOT_NAMES:
            return candidate
    return None


def _checked(raw: list[str], check: Any, label: str, notes: list[str]) -> str | None:
    """The first candidate that passes its check; a refused one is said, not kept."""
    for candidate in raw:
        try:
            return str(check(candidate))
        except InvalidInput as error:
            notes.append(f"{without_hint(error.message)}，未填")
    return None


def _address(text: str, fields: dict[str, str]) -> str | None:
    if "address" in fields:
        return fields["address"]
    lives = _LIVES.search(text)
    if lives:
        return lives.group(1).strip()
    for said in _SELF.findall(text):  # 我是沙河镇西关村村民
        for word in _PEOPLE:
            if word in said and said.index(word) >= 2:
                return said[: said.index(word)]
    return None


def _township(conn: sqlite3.Connection, where: list[str]) -> str | None:
    towns = settings.choices(conn, "township")
    for text in where:
        for town in towns:
            if town in text:
                return town
        for town in towns:  # 沙河 for 沙河镇
            stem = re.sub(r"(镇|乡|街道|街道办事处)$", "", town)
            if len(stem) >= 2 and stem != town and stem in text:
                return town
    return None


def _category(conn: sqlite3.Connection, text: str, fields: dict[str, str]) -> str | None:
    categories = settings.choices(conn, "category")
    said = fields.get("category", "")
    for category in categories:
        if said and (category in said or said in category):
            return category
    for category in categories:
        if category in text:
            return category
    for category in categories:
        if any(word in text for word in _CATEGORY_WORDS.get(category, ())):
            return category
    return None


def _when(raw: str | None, label: str, notes: list[str]) -> str | None:
    found = _DATE.search(raw or "")
    if not found:
        return None
    try:
        return moment(re.sub(r"\s+", " ", found.group(0)), label).text
    except InvalidInput as error:
        notes.append(f"{label}未填：{error.message}")
        return None


def _content(text: str, fields: dict[str, str]) -> str:
    if "content" in fields:
        return fields["content"]
    kept: list[str] = []
    for line in (line.strip() for line in text.strip().splitlines()):
        if _CLOSING.match(line):
            break
        if not line or _LABEL.match(line) or (not kept and _SALUTATION.match(line)):
            continue
        kept.append(line)
    title = fields.get("title")
    return "\n".join([title, *kept] if title else kept)


def _pick(conn: sqlite3.Connection, list_name: str, value: str) -> str | None:
    """The value when the office's list has it (a guess never invents a choice)."""
    return value if value in settings.choices(conn, list_name) else None


def read_pasted(conn: sqlite3.Connection, text: str) -> Pasted:
    """The fields a pasted text gives, with notes and the repeat candidates."""
    text = text.replace("\r\n", "\n").replace("\u3000", " ")
    fields = labelled(text)
    kind = _kind(text, fields)
    notes: list[str] = []
    values: dict[str, Any] = {"name": _name(text, fields)}
    phones = [fields["phone"]] if "phone" in fields else _PHONE.findall(text)
    values["phone"] = _checked(phones, normalize_phone, "联系电话", notes)
    ids = [fields["id_number"]] if "id_number" in fields else _ID.findall(text)
    values["id_number"] = _checked(ids, normalize_id_number, "身份证号码", notes)
    values["address"] = _address(text, fields)
    values["township"] = _township(conn, [values["address"] or "", text])
    values["content"] = _content(text, fields)
    values["category"] = _category(conn, text, fields)
    if values["category"] and fields.get("category") != values["category"]:
        notes.append(f"问题类型“{values['category']}”是按文中用词猜的，请核对")
    if kind == "12345工单":
        values.update(
            source=_pick(conn, "source", HOTLINE_SOURCE), form=_pick(conn, "form", CALL_FORM)
        )
        if "ticket" in fields:
            notes.append(f"工单编号 {fields['ticket']}")
    elif kind == "网上留言":
        values.update(source=_pick(conn, "source", ONLINE_SOURCE), form=_pick(conn, "form", ONLINE_FORM))  # fmt: skip
        if values["source"]:
            url = _URL.search(text)
            platform = fields.get("platform") or next((p for p in _PLATFORMS if p in text), None)
            values.update(platform=platform, post_url=url.group(0) if url else None)
            values["posted_at"] = _when(fields.get("posted") or fields.get("written"), "发帖时间", notes)  # fmt: skip
    else:
        values["form"] = _pick(conn, "form", LETTER_FORM)
    received = fields.get("received") or (None if kind == "网上留言" else fields.get("written"))
    if received is None and kind == LETTER_FORM:  # the date the letter is signed with
        dated = _DATE.findall(text)
        received = dated[-1] if dated else None
    values["received_at"] = _when(received, "信访时间", notes)
    values = {key: value for key, value in values.items() if value}
    return Pasted(kind, values, notes, repeats_of(conn, values))


def repeats_of(conn: sqlite3.Connection, values: dict[str, Any]) -> list[Match]:
    """Earlier cases of the same petitioner or with like content (repeats.py)."""
    when = moment(values.get("received_at"), "信访时间")
    keys = ("name", "phone", "id_number", "address", "content", "anonymous")
    return find_earlier(conn, {key: values.get(key) for key in keys}, when.day)
