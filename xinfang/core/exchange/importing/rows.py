"""One row of the file turned into a plan of the case: its registration fields, checked
as `register` checks them, and the later steps the row shows (`stages.Life`); or the
reasons, cell by cell, why the row cannot be imported."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from functools import lru_cache, partial
from typing import Any

from xinfang.core import settings
from xinfang.core.clock import rules, workdays
from xinfang.core.clock.dates import now
from xinfang.core.errors import InvalidInput, shorten
from xinfang.core.exchange.importing.cells import as_date, as_text, as_word, number_text, plain
from xinfang.core.exchange.importing.columns import LABELS, SKIP, field_key, normalize_header
from xinfang.core.exchange.importing.stages import Life, Step
from xinfang.core.intake.fields import REGISTRATION_FIELDS, check_record, clean_value
from xinfang.core.validate import clean_text, normalize_id_number, normalize_phone
from xinfang.core.vocabulary import HOTLINE_CHANNELS, OWN_SOURCE


@dataclass
class Warned:
    row: int
    reasons: list[str]  # each a phone or ID number kept although it fails the check


@dataclass
class Plan:
    row: int
    record: dict[str, Any]
    steps: list[Step]
    fingerprint: str  # of every cell of the row (`fingerprint`)
    legacy: str  # as imports before that made it: to know their rows again
    remarks: str | None
    listed: list[tuple[str, str]]  # (list, value) the row uses, perhaps new
    extra: dict[str, str]  # the cells no field holds: column as written -> text


# The fields as clean_value reads them, without the list check: a value the office's
# lists lack is added to them, not refused.
_UNLISTED = {f.key: replace(f, choice_list=None) for f in REGISTRATION_FIELDS}


class Reader:
    """Turns one row's cells into a plan of the case and its steps, or the reasons why not."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        labels: dict[str, str],
        year: int | None,
        order: Callable[[str], str] | None = None,  # a date column's day/month order
    ) -> None:
        self.conn = conn
        self.labels = labels
        self.year = year
        self.order = order
        self.current = now()
        self.lists = {name: set(settings.choices(conn, name)) for name in settings.LISTS}
        self.units = {unit.name for unit in settings.units(conn)}
        self.satisfaction = settings.choices(conn, "satisfaction")
        self.rules = rules.effective(conn)[1]
        self.cal = workdays.load(conn)
        self.warned: list[Warned] = []

    def label(self, key: str) -> str:
        return self.labels.get(key) or LABELS[key]

    def plan(
        self, number: int, values: dict[str, Any], fingerprint: str, extra: dict[str, str]
    ) -> Plan | list[str]:
        reasons: list[str] = []
        record, listed, warnings = self._registration(values, reasons)
        if reasons:
            return [plain(reason, 500) for reason in reasons]  # they may echo a cell
        try:
            check_record(record)
            steps = Life(self, values, record, listed).steps()
            remarks = self.text(values, "remarks", 20_000, multiline=True)
            # The old ledger's own number, when it has one, tells apart two cases that share
            # a petitioner, a time and a complaint (the same person twice the same morning).
            ledger_no = self.text(values, "ledger_no", 50)
        except InvalidInput as error:
            return [plain(error.message, 500)]
        if warnings:
            self.warned.append(Warned(number, warnings))
        legacy = _legacy_fingerprint(record, ledger_no)
        return Plan(number, record, steps, fingerprint, legacy, remarks, listed, extra)

    def fail(self, key: str, error: InvalidInput) -> InvalidInput:
        """The same complaint, naming the column as the file names it."""
        return InvalidInput(self.label(key), error.message.split("：", 1)[-1])

    def text(
        self, values: dict[str, Any], key: str, limit: int, *, multiline: bool = False
    ) -> str | None:
        if values.get(key) is None:
            return None
        return self.clean(key, as_text(values[key]), limit, multiline=multiline)

    def clean(
        self, key: str, text: str | None, limit: int, *, multiline: bool = False
    ) -> str | None:
        """Text from the cell of `key` (or part of it) as typed text is kept."""
        try:
            return clean_text(text, "", max_length=limit, multiline=multiline)
        except InvalidInput as error:
            raise self.fail(key, error) from None

    def when(self, value: Any, key: str, current: datetime | None) -> tuple[str, date]:
        order = partial(self.order, key) if self.order and key in self.labels else None
        return as_date(value, self.label(key), self.year, current, order)

    def date(self, values: dict[str, Any], key: str) -> tuple[str, date] | None:
        if values.get(key) is None:
            return None
        try:
            ahead = key == "assign_due"
            return self.when(values[key], key, None if ahead else self.current)
        except InvalidInput as error:
            raise self.fail(key, error) from None

    def _registration(
        self, values: dict[str, Any], reasons: list[str]
    ) -> tuple[dict[str, Any], list[tuple[str, str]], list[str]]:
        """The registration fields, every unreadable cell a reason; values missing from
        the office's lists are noted to be added, not refused."""
        record: dict[str, Any] = {}
        listed: list[tuple[str, str]] = []
        warnings: list[str] = []
        if as_word(values.get("name") or "") == "匿名":  # as xinfang's 受理情况汇总表 writes it
            del values["name"]
            values.setdefault("anonymous", True)
        elif "name" not in values and as_word(values.get("content") or "").startswith("匿名"):
            values.setdefault("anonymous", True)  # a work order's 匿名举报…: no name to give
        self._split_source(values)
        form = as_word(values.get("form") or "")
        if form in HOTLINE_CHANNELS and form not in self.lists["form"]:
            values["form"] = HOTLINE_CHANNELS[form]
        for field_ in REGISTRATION_FIELDS:
            key, value = field_.key, values.get(field_.key)
            try:
                if value is None:
                    continue
                if field_.kind == "when":
                    record[key] = self.when(value, key, self.current)[0]
                elif field_.kind in ("phone", "id"):
                    record[key], problem = self._number(field_.kind, value)
                    if problem:
                        warnings.append(f"{self.label(key)}：{problem}，已按原样保留")
                else:
                    if not isinstance(value, bool):  # 1 in a 匿名 cell comes as 1.0
                        value = as_text(value)  # (3人, 45岁: clean_value takes the unit off)
                    record[key] = clean_value(self.conn, _UNLISTED[key], value, force=False)
                    if field_.choice_list and record[key] is not None:
                        listed.append((field_.choice_list, record[key]))
            except InvalidInput as error:
                reasons.append(self.fail(key, error).message)
        record["anonymous"] = bool(record.get("anonymous"))
        record["persons"] = record.get("persons") or 1
        required = ["received_at", "content", "source", "form"]
        if not record["anonymous"]:
            required.insert(0, "name")
        failed = {reason.split("：", 1)[0] for reason in reasons}
        for key in required:
            if not record.get(key) and self.label(key) not in failed:
                hint = "（匿名信访请填“匿名”）" if key == "name" else ""
                reasons.append(f"{self.label(key)}：必填{hint}")
        return record, listed, warnings

    def channel(self, values: dict[str, Any]) -> dict[str, Any]:
        """A 12345 work order's 工单来源 (电话, 微信…) is how the call came, the form; where
        it came from is the file's (--default 信访来源=12345热线), not a new 信访来源."""
        word = as_word(values.get("source") or "")
        if word not in HOTLINE_CHANNELS or word in self.lists["source"]:
            return values
        values = {key: value for key, value in values.items() if key != "source"}
        values.setdefault("form", HOTLINE_CHANNELS[word])
        return values

    def _split_source(self, values: dict[str, Any]) -> None:
        """xinfang's tables write 信访来源 as the form, with where it came from in
        brackets: 来访, 来信（上级交办 张信转〔2026〕3号）."""
        source = values.get("source")
        if source is None or values.get("form") is not None:
            return
        text = as_text(source)
        found = re.fullmatch(r"(\S+?)[（(](\S+?)(?: (.+))?[）)]", text)
        if found and found.group(1) in self.lists["form"]:
            values["form"], values["source"] = found.group(1), found.group(2)
            if found.group(3) and values.get("upper_ref") is None:
                values["upper_ref"] = found.group(3)
        elif text in self.lists["form"] and text not in self.lists["source"]:
            values["form"], values["source"] = text, OWN_SOURCE

    def _number(self, kind: str, value: Any) -> tuple[str, str | None]:
        """A phone or ID number; one that fails the check is kept as written (as --force
        keeps it), with what is wrong with it."""
        check = normalize_phone if kind == "phone" else normalize_id_number
        text = number_text(value, kind, check)
        try:
            return check(text), None
        except InvalidInput as error:
            problem = error.message.split("：", 1)[-1].split("；")[0]
        try:
            return check(text, force=True), problem
        except InvalidInput as error:  # not even a number (control characters, 40 digits)
            raise InvalidInput(
                "", error.message.split("：", 1)[-1].replace("即使加了 --force，也", "")
            ) from None


def _legacy_fingerprint(record: dict[str, Any], ledger_no: str | None) -> str:
    """The fingerprint imports made before every cell counted (schema 11 and earlier):
    a row they imported is known again by it, so re-importing that file adds nothing."""
    parts = [record.get(key) or "" for key in ("name", "phone", "received_at", "content")]
    if ledger_no:
        parts.append(ledger_no)
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


EXTRA_TEXT_LIMIT = 20_000  # one kept cell (bundle_check.TEXT_LIMIT)
EXTRA_NAME_LIMIT = 100  # a kept column's name


def _cell_text(value: Any) -> str:
    """A cell as text: a whole number without .0, a date without a midnight time."""
    if isinstance(value, datetime) and value.time() == time():
        value = value.date()
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    return as_text(value)


_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1_024)
def _column_key(name: str) -> str:
    """A column's name as the fingerprint keys it (read once per column, not per row)."""
    return normalize_header(name)


def fingerprint(header: Sequence[str], cells: Sequence[Any]) -> str:
    """Every non-blank cell of the row (mapped or kept, 序号 and 编号 too) with the name of
    its column, in a stable form and order: two rows are the same only if every cell is."""
    pairs = []
    for index, value in enumerate(cells):
        # stable: full-width letters as half-width, runs of spaces and line breaks as one
        text = "" if value is None else _cell_text(value)
        text = _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()
        if text:
            name = header[index] if index < len(header) else ""
            pairs.append((_column_key(name) or f"#{index + 1}", text))
    raw = json.dumps(sorted(pairs), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


def kept_columns(
    header: Sequence[str], mapped: Iterable[int], maps: Iterable[str]
) -> dict[int, str]:
    """The columns no field reads (column index -> its name as kept): all of them but
    those the clerk told to leave (--map 列名=忽略). A name used twice gets its column's
    number; a column without a name is 第N列."""
    left = {
        normalize_header(item.partition("=")[0])
        for item in maps
        if field_key(item.partition("=")[2]) == SKIP
    }
    taken = {header[index] for index in mapped if index < len(header)}
    kept: dict[int, str] = {}
    for index, name in enumerate(header):
        if index in mapped or (name and normalize_header(name) in left):
            continue
        shown = plain(name, EXTRA_NAME_LIMIT) if name else f"第{index + 1}列"
        if shown in taken:
            shown = f"{shown}（第{index + 1}列）"
        taken.add(shown)
        kept[index] = shown
    return kept


def kept_cells(kept: dict[int, str], cells: Sequence[Any]) -> dict[str, str]:
    """The row's cells in the kept columns, as text."""
    extra = {}
    for index, name in kept.items():
        if index < len(cells) and cells[index] is not None:
            cell = shorten(_cell_text(cells[index]), EXTRA_TEXT_LIMIT)
            text = clean_text(cell, "", max_length=EXTRA_TEXT_LIMIT + 1, multiline=True)
            if text:
                extra[name] = text
    return extra


class ValueMap:
    """--map-value 字段:原值=新值: a value the file writes its own way, as the office's lists
    write it. A rule for a field the row has no cell of reads the value from whichever
    cell says 原值 (a split: 信访来源 “电话来访” gives 信访形式 来电 too)."""

    def __init__(self, items: Iterable[str]) -> None:
        self.rules: dict[str, dict[str, str]] = {}
        for item in items:
            field_name, sep, rest = item.replace("：", ":").partition(":")
            old, sep2, new = rest.partition("=")
            if not (sep and sep2 and field_name.strip() and old.strip() and new.strip()):
                raise InvalidInput(
                    "--map-value",
                    f"“{shorten(item)}”应写成 字段:原值=新值，如 --map-value 信访来源:群众来访=本级",
                )
            key = field_key(field_name)
            if key == SKIP:
                raise InvalidInput("--map-value", f"“{shorten(item)}”：请写要换值的字段名")
            self.rules.setdefault(key, {})[as_word(old)] = new.strip()

    def apply(self, values: dict[str, Any], label: Any) -> dict[str, str]:
        """Map the row's values in place; returns the cells as written that a mapping
        replaced (column（原值） -> text), to be kept with the case."""
        if not self.rules:
            return {}
        given = {key: as_word(value) for key, value in values.items() if value is not None}
        originals: dict[str, str] = {}
        for key, rule in self.rules.items():
            if key in given:
                if given[key] in rule:
                    originals[f"{label(key)}（原值）"] = plain(as_text(values[key]), 200)
                    values[key] = rule[given[key]]
                continue
            found = next((rule[word] for word in given.values() if word in rule), None)
            if found is not None:
                values[key] = found
        return originals
