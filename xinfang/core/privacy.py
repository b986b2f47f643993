"""Keeping the petitioner out of what is shown or sent: the one scrubber behind
`show/list/search --mask`, `overdue` (its list is mailed by cron), `export --mask` and
the 公示 text.

The fields themselves are masked by shape (张*, 138****5678, 110105********002X, ***);
性别 and 年龄 are hidden whole (***).
Free text is scrubbed: the case's own name, address, phone and ID number wherever they
are written (spaced, dotted, full-width, upper or lower x), and any number shaped like a
phone, an ID number or a bank card, whoever it belongs to. Text is matched on a folded
copy, one character for one, so that the spans found are spans of the original and
nothing else in the text changes (full-width punctuation stays full-width)."""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from xinfang.core.life.case import Case
from xinfang.store.dialect import dialect_of

MASK = "***"
PERSONAL = ("name", "sex", "age", "phone", "id_number", "address")
# Numbers and labels the system made: never scrubbed (a 文号 ends in 号, like a house number).
# The upper office's reference can be a long run of digits, like a bank card.
SYSTEM = frozenset(
    ("case_no", "formal_no", "assign_no", "repeat_of", "origin_no", "origin_office", "upper_ref")
)

# The full-width digits, X and plus an IME types, folded to ASCII one character for one.
_FOLD = str.maketrans(
    {**{chr(0xFF10 + d): str(d) for d in range(10)}, "Ｘ": "X", "ｘ": "x", "＋": "+"}
)
_DASHES = "-.－．‐‑–—·•・"
# Between the characters of a name or a number: spaces, dashes, dots, the 间隔号 of a name.
_GAPS = frozenset(" \t\r\n\u3000" + _DASHES)
_HAS_DIGIT = re.compile(r"[0-9０-９]")
_S = rf"\s?[{re.escape(_DASHES)}]?\s?"  # one separator between digits: 137 1234 5678, 139.8765.4321
_PHONES = re.compile(
    # A mobile, with or without +86, however grouped.
    rf"(?<!\d)(?:\+?86{_S})?1{_S}[3-9](?:{_S}\d){{9}}(?!\d)"
    # A landline with its area code: 0936-5521234, (0936)5521234, 010 1234 5678.
    rf"|(?<!\d)[(（]?0\d{{2,3}}[)）]?{_S}\d(?:{_S}\d){{6,7}}(?!\d)"
)
# An ID number (old or new, with its X), a bank card, an account: 15 digits or more, whole
# or in groups of 3 or more (620723 19800101 002X, 6217 0012 3456 7890 123). Groups of
# two are dates (2025.10.01-2026.09.30) and are left alone.
_ACCOUNT = re.compile(rf"(?<!\d)\d{{3,}}(?:{_S}\d{{3,}})*(?:{_S}\d{{1,2}})?(?:{_S}[Xx])?")
_ACCOUNT_DIGITS = 15
# Every number above has ten digits or more: texts without such a run (most) skip it.
_TEN_DIGITS = re.compile(rf"\d(?:[\s(（)）{re.escape(_DASHES)}]{{0,3}}\d){{9}}")
# The village, group and house parts of an address, scrubbed wherever they are repeated
# alone; a bare house number (12号) only with what comes before it (三社12号): alone it is
# as often a day of the month.
_ADDRESS_PARTS = re.compile(r"[^省市县区镇乡街道村社组号]+(?:村|社|组|号|街道|小区|巷)")
_ADDRESS_HINT = re.compile(r"[村社组号道区巷]")
_HOUSE_NUMBER = re.compile(r"[0-9]+号")
_LOCAL = re.compile(r"0\d{2,3}-(\d{7,8})")  # a landline's number without its area code
_WIDE = re.compile(r"[０-９Ｘｘ＋]")
_GAP = re.compile(f"[{re.escape(''.join(sorted(_GAPS)))}]")


def _word(text: str) -> str:
    """A name or number as matched: folded, without the gaps people put inside it."""
    text = _GAP.sub("", text)
    return text.translate(_FOLD) if _WIDE.search(text) else text


@functools.lru_cache(maxsize=65_536)
def _words_of(value: str) -> tuple[tuple[str, ...], str]:
    """The words an address (or a value replaced by a 更正) gives, and their first
    characters. Neighbours share a village and a group, a person petitions again: the
    cache spares `overdue` most of the work."""
    whole = _word(value)
    words = [whole, *_LOCAL.findall(value)]
    if _ADDRESS_HINT.search(whole):  # (the parts' regex is slow on names and numbers)
        for part in _ADDRESS_PARTS.finditer(whole):
            # 西关村, and 西关村三社12号: from this part to the end.
            words += (part.group(), whole[part.start() :])
    kept = tuple(dict.fromkeys(w for w in words if len(w) >= 2 and not _HOUSE_NUMBER.fullmatch(w)))
    return kept, "".join(dict.fromkeys(w[0] for w in kept))


class Identity(NamedTuple):
    """What identifies one petitioner, ready to be found in any text. `overdue` makes one
    for every line it prints, so it is kept cheap: no regex compiled per case, a text
    without the first character of any of the words is not searched for them, and the
    phone and ID number are looked for only in a text that has digits."""

    name: str | None
    address: str | None
    phone: str | None
    id_number: str | None
    former: tuple[str, ...] = ()  # the values a 更正 replaced: just as secret

    @classmethod
    def of(
        cls, case: Case | Mapping[str, Any] | sqlite3.Row, former: Iterable[str] = ()
    ) -> Identity:
        if isinstance(case, Case):
            return cls(case.name, case.address, case.phone, case.id_number, (*former,))
        return cls(case["name"], case["address"], case["phone"], case["id_number"], (*former,))

    def scrub(self, text: str) -> str:
        spans: list[tuple[int, int]] = []
        folded = text
        if _HAS_DIGIT.search(text) is not None:
            folded = text.translate(_FOLD) if _WIDE.search(text) else text
            long_run = _TEN_DIGITS.search(folded) is not None
            if long_run:
                spans += (m.span() for m in _PHONES.finditer(folded))
                for m in _ACCOUNT.finditer(folded):
                    if sum(ch.isdigit() for ch in m.group()) >= _ACCOUNT_DIGITS:
                        spans.append(m.span())
            for number in (self.phone, self.id_number):
                # The case's own numbers however grouped (ten digits need a ten-digit run),
                # and a landline without its area code.
                if number:
                    own: list[str] = _LOCAL.findall(number) if number[0] == "0" else []
                    if long_run or len(number) < 10:
                        own.append(_word(number))
                    for word in own:
                        spans += _occurrences(folded, word) if len(word) >= 2 else ()
        name = self.name
        if name and name[0] in folded:
            name = _word(name)
            # 张某, 张某某: the petitioner half-hidden is still the petitioner (in a 公示).
            for word in (name, name[0] + "某某", name[0] + "某") if len(name) >= 2 else ():
                spans += _occurrences(folded, word)
        for value in (self.address, *self.former) if self.former else (self.address,):
            if value:
                words, anchors = _words_of(value)
                for anchor in anchors:
                    if anchor in folded:
                        for word in words:
                            spans += _occurrences(folded, word)
                        break
        return _blank(text, spans) if spans else text


def _occurrences(text: str, word: str) -> Iterator[tuple[int, int]]:
    """Where `word` is written in `text`, gaps allowed between its characters."""
    start = text.find(word[0])
    while start != -1:
        i = start + 1
        for ch in word[1:]:
            while i < len(text) and text[i] in _GAPS:
                i += 1
            if i >= len(text) or text[i] != ch:
                break
            i += 1
        else:
            yield start, i
        start = text.find(word[0], start + 1)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each span, overlapping ones merged, put as one MASK."""
    parts: list[str] = []
    done = 0
    for start, end in sorted(spans):
        if end <= done:
            continue
        if start > done or not parts:
            parts.append(text[done:start])
            parts.append(MASK)
        done = end
    parts.append(text[done:])
    return "".join(parts)


def mask_phone(phone: str | None) -> str | None:
    """138****5678; 0936-*****34 (extension dropped); anything else keeps its last 2 characters."""
    if phone is None:
        return None
    s = phone.strip()
    if re.fullmatch(r"1[0-9]{10}", s):
        return s[:3] + "****" + s[-4:]
    landline = _LOCAL.match(s)
    if landline:
        number = landline.group(1)
        return s[: landline.start(1)] + "*" * (len(number) - 2) + number[-2:]
    return "*" * (len(s) - 2) + s[-2:] if len(s) > 2 else "*" * len(s)


def mask_id_number(value: str | None) -> str | None:
    """110105********002X: area code and last 4 kept."""
    if value is None:
        return None
    s = value.strip()
    return s[:6] + "*" * (len(s) - 10) + s[-4:] if len(s) > 10 else "*" * len(s)


def mask_name(name: str | None) -> str | None:
    """张三 -> 张*, 欧阳娜娜 -> 欧***; a one-character name is fully masked."""
    if name is None:
        return None
    s = name.strip()
    return s[0] + "*" * (len(s) - 1) if len(s) > 1 else "*" * len(s)


def _hidden(value: Any) -> Any:
    """Nothing of it shown: an address, a sex, an age."""
    return MASK if value not in (None, "") else value


FIELD_MASKS: dict[str, Callable[[Any], Any]] = {
    "name": mask_name,
    "sex": _hidden,
    "age": _hidden,
    "phone": mask_phone,
    "id_number": mask_id_number,
    "address": _hidden,
}


def _mask(key: str, value: Any) -> Any:
    """A personal field masked by its shape; anything but text (an age, a value a bundle
    brought in some other type) hidden whole."""
    return FIELD_MASKS[key](value) if value is None or isinstance(value, str) else MASK


def former_values(events: Iterable[Mapping[str, Any]]) -> list[str]:
    """The personal values a case had before a 更正: as secret as the current ones."""
    return [
        value
        for event in events
        if event["action"] == "correct" and event["data"].get("field") in PERSONAL
        for value in (event["data"].get("old"), event["data"].get("new"))
        if isinstance(value, str)
    ]


def former_by_case(conn: sqlite3.Connection, case_ids: Iterable[int]) -> dict[int, list[str]]:
    """former_values for many cases in one indexed query (events by case)."""
    found: dict[int, list[str]] = {}
    sql = dialect_of(conn)
    for case_id, old, new in conn.execute(
        f"SELECT case_id, {sql.json_text('data', 'old')}, {sql.json_text('data', 'new')} "
        f"FROM events WHERE {sql.in_json_list('case_id', integers=True)} AND action = 'correct' "
        f"AND {sql.json_text('data', 'field')} IN ({', '.join('?' * len(PERSONAL))})",
        ("[" + ",".join(str(int(case_id)) for case_id in case_ids) + "]", *PERSONAL),
    ):
        found.setdefault(case_id, []).extend(v for v in (old, new) if isinstance(v, str))
    return found


def _scrub_data(value: Any, identity: Identity) -> Any:
    """Every text inside an event's data, however nested."""
    if isinstance(value, str):
        return identity.scrub(value)
    if isinstance(value, dict):
        return {k: _scrub_data(v, identity) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_data(v, identity) for v in value]
    return value


def _masked_event(event: Mapping[str, Any], identity: Identity) -> dict[str, Any]:
    given = event["data"]
    data = {k: v if k in SYSTEM else _scrub_data(v, identity) for k, v in given.items()}
    # The personal fields by shape, where registered and where corrected (old → new).
    for key in FIELD_MASKS:
        if given.get(key) is not None:
            data[key] = _mask(key, given[key])
    if event["action"] == "correct" and given.get("field") in FIELD_MASKS:
        for key in ("old", "new"):
            data[key] = _mask(given["field"], given.get(key))
    return {**event, "data": data}


def masked(case: Mapping[str, Any], former: Iterable[str] = ()) -> dict[str, Any]:
    """A case (as `show`, `list` and `export` give it) fit for a shared screen, a mail or
    anyone outside the office: the personal fields masked by shape, every other text
    scrubbed, the timeline too (corrections, notes, reports, replies)."""
    events = case.get("events") or []
    identity = Identity.of(case, [*former, *former_values(events)])
    result: dict[str, Any] = {
        key: identity.scrub(value) if isinstance(value, str) and key not in SYSTEM else value
        for key, value in case.items()
    }
    for key in FIELD_MASKS:
        if key in case:
            result[key] = _mask(key, case[key])
    if "events" in case:
        result["events"] = [_masked_event(event, identity) for event in events]
    return result
