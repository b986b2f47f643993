"""`import x.json`: the ledger's own JSON export (`export -o x.json`, unmasked) brought
back exactly. Each case in it carries its whole history, as in a bundle; the history is
checked as a bundle's is (bundle_check: known actions, each allowed from the state the
replay is in, statuses, rounds, dates, types, lengths) and the fields the file also
lists must be those the history gives, so a file edited by hand is refused whole, with
the case and the field named, before anything is written.

The cases keep their numbers where the ledger has them free (into an empty ledger: all
of them), their events keep their dates, recorders and 交办 numbers, and the fields and
deadlines are derived anew from the events, as every action derives them. A case
imported before (its registration's fingerprint, kept in `imported_from` like a
spreadsheet row's) is skipped, so importing the file twice adds nothing."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xinfang.core import settings
from xinfang.core.clock import deadlines, rules, workdays
from xinfang.core.clock.dates import now
from xinfang.core.errors import InvalidInput, XinfangError, shorten
from xinfang.core.exchange import bundle_check
from xinfang.core.exchange.bundle import LISTED
from xinfang.core.exchange.bundle_zip import Refused
from xinfang.core.exchange.export import COLUMNS
from xinfang.core.exchange.importing import bounds
from xinfang.core.exchange.importing.writing import PREVIEW, Preview, known_fingerprints, preview
from xinfang.core.intake.numbering import next_in_sequence, short_number
from xinfang.core.life import links, projection
from xinfang.core.life.actions import EVENTS
from xinfang.core.life.columns import PROJECTED
from xinfang.core.life.states import STATUS_LABELS, Status
from xinfang.store.db import transaction

FIELD = "导入文件"
# The fields the file lists beside the history: each must be what the history gives.
LISTED_FIELDS = [key for key, _ in COLUMNS if key in PROJECTED]
LABELS = dict(COLUMNS)
# The data that names another case by its number (link, unlink, join, a registration's
# repeat): renamed with that case when it is renumbered here.
NAMING = ("repeat_of", "unlinked_from", "into")
SETTLED = 10_000  # more new cases than this: every link settled (one query, not a list)


@dataclass
class _Planned:
    case: bundle_check.Case
    row: dict[str, Any]  # the fields the history gives
    fingerprint: str


@dataclass
class Restored:
    imported: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (n-th case, why)
    statuses: Counter[str] = field(default_factory=Counter)
    added: dict[str, list[str]] = field(default_factory=dict)  # list (Chinese) -> values
    preview: list[Preview] = field(default_factory=list)
    overdue: int = 0


def read(path: Path) -> list[_Planned]:
    """Every case of the file checked, or the whole file refused naming what is wrong."""
    shown = shorten(path.name, 80)
    bounds.check_file(path)
    try:
        raw = json.loads(path.read_bytes())
    except (ValueError, RecursionError) as error:
        raise InvalidInput(FIELD, f"{shown} 不是有效的 JSON（{shorten(error, 80)}）") from None
    if not isinstance(raw, list) or not raw or len(raw) > bundle_check.CASES_LIMIT:
        raise InvalidInput(
            FIELD,
            f"{shown} 不是 xinfang export 导出的 JSON（应为 1 到 "
            f"{bundle_check.CASES_LIMIT:,} 件案件的列表）",
        )
    planned: list[_Planned] = []
    seen: set[str] = set()
    for n, item in enumerate(raw, 1):
        where = f"{shown} 第 {n} 件案件"
        if isinstance(item, dict) and "events" not in item:
            raise InvalidInput(
                FIELD,
                f"{where} 没有办理记录（events）：只有不加 --mask 的 export -o *.json 才能导入",
            )
        try:
            case = bundle_check._case(item, f"第 {n} 件案件", bundle_check.VERSION)
            row = bundle_check.replay(case.case_no, case.events)
        except Refused as error:
            raise XinfangError(f"{shown}：{error.message}，未导入任何内容") from None
        for key in LISTED_FIELDS:
            if key in item and item[key] != row[key]:
                raise InvalidInput(
                    FIELD,
                    f"{shown} 案件 {case.case_no} 的“{LABELS[key]}”"
                    f"“{shorten(item[key], 40)}”与其办理记录不符（应为“{shorten(row[key], 40)}”）"
                    "，文件可能被改动过，未导入任何内容",
                )
        label = STATUS_LABELS[Status(row["status"])]
        if "status_label" in item and item["status_label"] != label:
            raise InvalidInput(
                FIELD, f"{shown} 案件 {case.case_no} 的“状态”与其办理记录（{label}）不符"
            )
        if case.case_no in seen:
            raise InvalidInput(FIELD, f"{shown} 中案件编号 {case.case_no} 出现了两次")
        seen.add(case.case_no)
        planned.append(_Planned(case, row, _fingerprint(case)))
    return planned


def _fingerprint(case: bundle_check.Case) -> str:
    """The registration's: the one of the spreadsheet row it came from, if it did; the
    same case exported again later (with more steps) is still the same case."""
    register = case.events[0]
    before = register["data"].get("imported_from")
    if isinstance(before, dict) and isinstance(before.get("fingerprint"), str):
        return str(before["fingerprint"])
    what = [case.case_no, register["occurred_at"], register["recorded_at"], register["data"]]
    text = json.dumps(what, ensure_ascii=False, sort_keys=True)
    return "case:" + hashlib.sha256(text.encode()).hexdigest()[:32]


def restore(conn: sqlite3.Connection, path: Path, *, dry_run: bool) -> Restored:
    """The file's cases checked whole, then (unless dry_run) written in one transaction."""
    planned = read(path)
    result = Restored()
    if dry_run:
        _plan(conn, planned, path, result)
        return result
    with transaction(conn):
        _write(conn, _plan(conn, planned, path, result), path, result)
    return result


def _plan(
    conn: sqlite3.Connection, planned: list[_Planned], path: Path, result: Restored
) -> list[_Planned]:
    """The cases not imported before; the skipped, the list values and the preview said."""
    known = known_fingerprints(conn)
    taken = {short_number(y, s) for y, s in conn.execute("SELECT year, seq FROM cases")}
    fresh = []
    for n, plan in enumerate(planned, 1):
        if plan.fingerprint in known:
            result.skipped.append((n, f"案件 {plan.case.case_no} {known[plan.fingerprint]}"))
            continue
        fresh.append(plan)
        result.statuses[plan.row["status"]] += 1
        if len(result.preview) < PREVIEW:
            number = plan.case.case_no if plan.case.case_no not in taken else "（新编号）"
            result.preview.append(
                preview(n, number, plan.row, plan.case.events[0]["data"].get("imported_extra", {}))
            )
    result.imported = len(fresh)
    result.added = _new_values(conn, fresh)
    return fresh


def _new_values(conn: sqlite3.Connection, planned: list[_Planned]) -> dict[str, list[str]]:
    """The departments and list values the cases use that this ledger's lists lack: they
    join the lists, as a merged town's do."""
    known = {name: set(settings.choices(conn, name)) for name in set(LISTED.values())}
    units = {unit.name for unit in settings.units(conn)}
    added: dict[str, list[str]] = {}
    for plan in planned:
        unit = plan.row.get("unit")
        if unit and unit not in units:
            units.add(unit)
            added.setdefault("承办单位", []).append(unit)
        for column, name in LISTED.items():
            value = plan.row.get(column)
            if value and value not in known[name]:
                known[name].add(value)
                added.setdefault(settings.LISTS[name], []).append(value)
    return added


def _write(conn: sqlite3.Connection, planned: list[_Planned], path: Path, result: Restored) -> None:
    names = {v: k for k, v in settings.LISTS.items()}
    for label, values in result.added.items():
        if label == "承办单位":
            settings.append_units(conn, values)
        else:
            settings.append_choices(conn, names[label], values)
    numbers, renumbered = _numbers(conn, planned)
    handed = _Handed(conn)
    stamp = now().isoformat(sep=" ")
    version = rules.current_version(conn)
    calendar = workdays.load(conn)
    origin = {"file": shorten(path.name, 200)}
    ids = []
    for plan, (year, seq) in zip(planned, numbers, strict=True):
        events = []
        for n, event in enumerate(plan.case.events):
            data = dict(event["data"])
            if n == 0 and "imported_from" not in data:
                data["imported_from"] = origin | {
                    "case": plan.case.case_no, "fingerprint": plan.fingerprint,
                }  # fmt: skip
            for key in NAMING:  # the case it names, by the number that case has here
                if data.get(key) in renumbered:
                    data[key] = renumbered[data[key]]
            if EVENTS[event["action"]].numbered and "number" in data:
                data["number"] = handed.number(int(event["occurred_at"][:4]), data["number"])
            events.append((event, data))
        # The row as the events (their 交办 numbers as given here) fold it.
        row = projection.fold((e["action"], e["occurred_at"], data) for e, data in events)
        columns = {k: row[k] for k in PROJECTED} | {
            "year": year, "seq": seq, "rule_version": version, "updated_at": stamp,
        }  # fmt: skip
        case_id = conn.execute(
            f"INSERT INTO cases ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            tuple(columns.values()),
        ).lastrowid
        assert case_id is not None
        ids.append(case_id)
        conn.executemany(
            "INSERT INTO events (case_id, action, occurred_at, recorded_at, actor, round, "
            "status_after, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (case_id, e["action"], e["occurred_at"], e["recorded_at"], e["actor"],
                 e["round"], e["status_after"], json.dumps(data, ensure_ascii=False))
                for e, data in events
            ],
        )  # fmt: skip
        _reach(conn, "case", year, seq)
        deadlines.sync(conn, case_id, calendar)
    if ids:  # the new ids are the ledger's highest
        links.settle(conn, ids if len(ids) < SETTLED else None)
        result.overdue = conn.execute(
            "SELECT count(DISTINCT case_id) FROM deadlines WHERE case_id >= ? "
            "AND met_on IS NULL AND due_on < ?",
            (ids[0], now().date().isoformat()),
        ).fetchone()[0]
    for sample, (year, seq) in zip(result.preview, numbers, strict=False):
        sample.case_no = short_number(year, seq)


def _numbers(
    conn: sqlite3.Connection, planned: list[_Planned]
) -> tuple[list[tuple[int, int]], dict[str, str]]:
    """Each case's number here: its own where free, else the year's next; and the
    renumbered (a link names the number the case gets here)."""
    taken = {short_number(y, s) for y, s in conn.execute("SELECT year, seq FROM cases")}
    renumbered: dict[str, str] = {}
    numbers: list[tuple[int, int]] = []
    for plan in planned:
        year, seq = int(plan.case.case_no[:4]), int(plan.case.case_no[5:])
        while short_number(year, seq) in taken:
            seq = next_in_sequence(conn, "case", year)
        if short_number(year, seq) != plan.case.case_no:
            renumbered[plan.case.case_no] = short_number(year, seq)
        taken.add(short_number(year, seq))
        numbers.append((year, seq))
    return numbers, renumbered


class _Handed:
    """The 交办单 numbers: kept where this ledger has not used them, else the year's next."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        numbered = [name for name, spec in EVENTS.items() if spec.numbered]
        self.taken = {
            (year, number)
            for year, number in conn.execute(
                "SELECT CAST(substr(occurred_at, 1, 4) AS INTEGER), json_extract(data, '$.number') "
                f"FROM events WHERE action IN ({', '.join('?' * len(numbered))})",
                numbered,
            )
        }

    def number(self, year: int, number: int) -> int:
        while (year, number) in self.taken:
            number = next_in_sequence(self.conn, "assign", year)
        self.taken.add((year, number))
        _reach(self.conn, "assign", year, number)
        return number


def _reach(conn: sqlite3.Connection, name: str, year: int, number: int) -> None:
    """The yearly sequence past a number kept as it was."""
    conn.execute(
        "INSERT INTO sequences (name, year, last) VALUES (?, ?, ?) "
        "ON CONFLICT (name, year) DO UPDATE SET last = max(sequences.last, excluded.last)",
        (name, year, number),
    )
