"""The office's own entry of the State Council's holiday notice, for years the installed
chinese-calendar does not know yet: one range at a time or a small file, each in one
transaction that also recounts the open deadlines the change touches."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from xinfang.core.clock import moves, notice_text, workdays
from xinfang.core.clock.dates import parse_date, parse_month
from xinfang.core.clock.deadlines import resync_open
from xinfang.core.errors import InvalidInput
from xinfang.core.validate import clean_text, parse_int
from xinfang.store.db import transaction

_RANGE = re.compile(r"^\s*(.+?)\s*(?:\.\.|～|~|至)\s*(.+?)\s*$")


def parse_range(text: str) -> tuple[date, date]:
    """`2027-01-01..2027-01-03`, `2027-01-01至2027-01-03`, or one date."""
    match = _RANGE.match(text)
    if match:
        return parse_date(match.group(1), "开始日期"), parse_date(match.group(2), "结束日期")
    day = parse_date(text, "日期")
    return day, day


Entry = tuple[date, date, str, str | None]  # first, last, 休|班, note


@dataclass(frozen=True)
class Entered:
    days: int
    cases_recounted: int
    unconfirmed: list[int]  # years with entries that are not yet confirmed complete
    changes: moves.Changes


@dataclass(frozen=True)
class Reading:
    """A calendar file or a pasted notice, read and checked whole; nothing written yet."""

    entries: list[Entry]
    years: set[int]  # the years it gives completely: confirmed on import
    notice: notice_text.Notice | None = None

    @property
    def days(self) -> int:
        return sum((last - first).days + 1 for first, last, _, _ in self.entries)


def _apply(conn: sqlite3.Connection, entries: list[Entry], confirm: set[int]) -> Entered:
    since = min(first for first, _, _, _ in entries)
    with transaction(conn):
        watch = moves.Watch(conn, since)
        count = sum(
            len(workdays.enter_days(conn, first, last, kind, note))
            for first, last, kind, note in entries
        )
        for year in confirm:
            workdays.confirm_year(conn, year)
        workdays.rebuild(conn)
        touched = resync_open(conn, workdays.load(conn), since)
        years = confirm or {day.year for first, last, _, _ in entries for day in (first, last)}
        cal = workdays.load(conn, date(min(years), 1, 1))
        pending = sorted(year for year in years if not cal.year_known(year))
        return Entered(count, touched, pending, watch.changes())


def enter(conn: sqlite3.Connection, days: str, kind: str, note: str | None = None) -> Entered:
    first, last = parse_range(days)
    return _apply(conn, [(first, last, kind, clean_text(note, "说明", max_length=100))], set())


def confirm(conn: sqlite3.Connection, year: str) -> Entered:
    """The office has entered the whole notice for `year`: count it as known."""
    number = parse_int(year, "年份", minimum=2004, maximum=2100)
    since = date(number, 1, 1)
    with transaction(conn):
        watch = moves.Watch(conn, since)
        workdays.confirm_year(conn, number)
        workdays.rebuild(conn)
        touched = resync_open(conn, workdays.load(conn), since)
        return Entered(0, touched, [], watch.changes())


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            "文件", f"{path} 不是 UTF-8 编码的文本文件；请用记事本“另存为”UTF-8 编码的 .txt"
        ) from None
    except OSError as error:
        raise InvalidInput("文件", f"无法读取 {path}：{error.strerror or error}") from None


def _is_lines(text: str) -> bool:
    """The office's own format: every line that says something begins with its date."""
    lines = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    return all(line[:1].isdigit() for line in lines if line)


def read(text: str, source: str) -> Reading:
    """The State Council's notice as published, or lines of `日期[..日期] 休|班 [说明]`."""
    if not _is_lines(text) and notice_text.looks_like_notice(text):
        notice = notice_text.read(text)
        return Reading(list(notice.entries()), {notice.year}, notice)
    return _read_lines(text, source)


def _read_lines(text: str, source: str) -> Reading:
    """Lines of `日期[..日期] 休|班 [说明]` (or the same separated by commas); `#` starts a
    comment. All lines or none: a bad line is named."""
    entries: list[Entry] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].replace(",", " ").replace("，", " ").strip()
        if not line:
            continue
        parts = line.split(maxsplit=2)
        if len(parts) < 2:
            raise InvalidInput(
                "文件", f"第 {number} 行“{raw.strip()}”应为：日期[..日期] 休|班 [说明]"
            )
        try:
            first, last = parse_range(parts[0])
        except InvalidInput as error:
            raise InvalidInput("文件", f"第 {number} 行：{error.message}") from None
        if parts[1] not in (workdays.HOLIDAY, workdays.WORKDAY):
            raise InvalidInput("文件", f"第 {number} 行：类型只能是“休”或“班”，不能是“{parts[1]}”")
        entries.append((first, last, parts[1], parts[2] if len(parts) > 2 else None))
    if not entries:
        raise InvalidInput("文件", f"{source} 中没有任何日期")
    # A file is the whole notice: its years count as entered completely.
    return Reading(entries, {day.year for first, last, _, _ in entries for day in (first, last)})


def import_reading(conn: sqlite3.Connection, reading: Reading) -> Entered:
    """Record what was read, in one transaction, and recount the deadlines it touches."""
    return _apply(conn, reading.entries, reading.years)


def import_file(conn: sqlite3.Connection, path: Path) -> Entered:
    return import_reading(conn, read(read_text(path), str(path)))


@dataclass(frozen=True)
class Month:
    first: date
    days: list[workdays.Day]
    known: bool
    notes: dict[date, str]


def month(conn: sqlite3.Connection, text: str) -> Month:
    first, last = parse_month(text, "月份")
    days = workdays.month_days(conn, first, last)
    notes = {
        date.fromisoformat(day): note
        for day, note in conn.execute(
            "SELECT day, note FROM calendar_entries WHERE day BETWEEN ? AND ? AND note IS NOT NULL",
            (first.isoformat(), last.isoformat()),
        )
    }
    return Month(first, days, all(day.known for day in days), notes)
