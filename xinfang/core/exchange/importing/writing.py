"""The import written: the planned cases numbered, with their events and deadlines, the
values they add to the office's lists, all in one transaction with the rejected-rows
workbook; a row already imported is left out by its fingerprint."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from xinfang.core import settings
from xinfang.core.clock import rules
from xinfang.core.clock.dates import now
from xinfang.core.clock.deadlines import derive
from xinfang.core.errors import InvalidInput
from xinfang.core.exchange.importing.columns import LABELS, UNIT_LIST
from xinfang.core.exchange.importing.rows import Plan, Reader
from xinfang.core.intake.numbering import short_number
from xinfang.core.life import projection
from xinfang.core.life.actions import EVENTS
from xinfang.core.life.case import Case
from xinfang.core.life.columns import LOCAL, PROJECTED
from xinfang.core.life.states import STATUS_LABELS, Status
from xinfang.core.progress import WRITE, Progress, counted
from xinfang.store.db import transaction
from xinfang.store.dialect import dialect_of, new_ids

PREVIEW = 5  # the rows the dry run shows as they would be registered
LIST_NAMES = {**settings.LISTS, UNIT_LIST: "承办单位"}  # as the clerk names each list
# What the import writes: its own bookkeeping, and the row its events give.
CASE_COLUMNS = ("id", "year", "seq", "updated_at", "rule_version", *PROJECTED)


@dataclass
class Rejected:
    row: int
    reasons: list[str]
    cells: list[Any] = field(repr=False)


@dataclass
class Preview:
    """A case as it would be registered, for the dry run: its row (in a JSON export, its
    place), the stage it lands in, and every field it would have, by the clerk's names."""

    row: int
    case_no: str
    name: str | None
    received_at: str
    status: str
    status_label: str
    fields: dict[str, Any]  # field label -> value, those with one


def preview(row: int, case_no: str, case: dict[str, Any], extra: dict[str, Any]) -> Preview:
    fields = {
        label: case[key] for key, label in LABELS.items() if case.get(key) not in (None, "", False)
    }
    status = case["status"]
    label = STATUS_LABELS[Status(status)]
    return Preview(row, case_no, case["name"], case["received_at"], status, label, fields | extra)


def known_fingerprints(conn: sqlite3.Connection) -> dict[str, str]:
    """The fingerprints of the rows imported before (those of every cell, and those older
    imports made), each with where it went: 已于 2026-11-23 导入（2026-0001）."""
    rows = conn.execute(
        "SELECT json_extract(e.data, '$.imported_from.fingerprint'), substr(e.recorded_at, 1, 10), "
        "c.year, c.seq FROM events e JOIN cases c ON c.id = e.case_id "
        "WHERE e.action = 'register' AND e.data LIKE '%\"fingerprint\"%'"
    )
    return {
        found: f"已于 {day} 导入（{short_number(year, seq)}）"
        for found, day, year, seq in rows
        if found
    }


def imported_before(plan: Plan, known: dict[str, str]) -> str | None:
    """Where the row went if an import took it before (by either fingerprint)."""
    return known.get(plan.fingerprint) or known.get(plan.legacy)


class Batch:
    """The rows to insert for the planned cases, with their numbers and deadlines."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        reader: Reader,
        plans: list[Plan],
        origin: dict[str, Any],
        actor: str,
        version: int | None,
        progress: Progress | None = None,
    ) -> None:
        self.reader = reader
        self.origin = origin  # the file and sheet, kept in each register event
        self.actor = actor
        self.stamp = now().isoformat(sep=" ")
        self.version = version
        self.ruleset = rules.version_rules(conn, version) if version else reader.rules
        self.ids = iter(new_ids(conn, "cases", len(plans)))
        self.sequences: dict[tuple[str, int], int] = {
            (name, year): last
            for name, year, last in conn.execute("SELECT name, year, last FROM sequences")
        }
        self.added = _new_values(plans, reader)
        self.cases: list[tuple[Any, ...]] = []
        self.events: list[tuple[Any, ...]] = []
        self.deadlines: list[tuple[Any, ...]] = []
        self.preview: list[Preview] = []
        self.statuses: Counter[str] = Counter()
        self.overdue = 0
        for plan in counted(plans, WRITE, progress):
            self._add(plan)

    def _number(self, name: str, year: int) -> int:
        self.sequences[(name, year)] = self.sequences.get((name, year), 0) + 1
        return self.sequences[(name, year)]

    def _add(self, plan: Plan) -> None:
        case_id = next(self.ids)
        received = date.fromisoformat(plan.record["received_at"][:10])
        register = {k: v for k, v in plan.record.items() if v not in (None, False)}
        if plan.extra:  # the old ledger's other columns: no cell is dropped
            register["imported_extra"] = plan.extra
        register["imported_from"] = self.origin | {"row": plan.row, "fingerprint": plan.fingerprint}
        row = projection.step(None, "register", plan.record["received_at"], register)
        events = [("register", plan.record["received_at"], 1, row["status"], register)]
        for step in plan.steps:
            if EVENTS[step.action].numbered:
                step.data["number"] = self._number("assign", step.day.year)
            data = {k: v for k, v in step.data.items() if v is not None}
            when = step.day.isoformat()
            row = projection.step(row, step.action, when, data)  # as `act` folds it
            events.append((step.action, when, step.round, row["status"], data))
        if plan.remarks:  # 备注: a note, found by `search` like any other
            note = {"text": plan.remarks, "imported": True}
            events.append(("note", events[-1][1], row["round"], row["status"], note))
        case: dict[str, Any] = row | {
            "id": case_id, "year": received.year, "seq": self._number("case", received.year),
            "updated_at": self.stamp, "rule_version": self.version,
        }  # fmt: skip
        rows = [
            (case_id, action, when, self.stamp, self.actor, round_, status,
             json.dumps(data, ensure_ascii=False))
            for action, when, round_, status, data in events
        ]  # fmt: skip
        self.events.extend(rows)
        self.cases.append(tuple(case[column] for column in CASE_COLUMNS))
        replay = [{"action": r[1], "occurred_at": r[2], "round": r[5], "data": r[7]} for r in rows]
        stored = Case.from_row({**dict.fromkeys(LOCAL), **case})  # no link, no origin
        found = derive(stored, replay, self.ruleset, self.reader.cal)  # type: ignore[arg-type]
        today = self.reader.current.date()
        late = False
        for d in found:
            duty = d.stage not in rules.STAGES or rules.STAGES[d.stage].office_duty
            late = late or bool(duty and d.met_on is None and d.due_on and d.due_on < today)
            self.deadlines.append(
                (case_id, d.stage, d.round, d.starts_on.isoformat(), d.amount, d.unit,
                 d.due_on.isoformat() if d.due_on else None,
                 d.met_on.isoformat() if d.met_on else None, d.paused_days, int(d.provisional),
                 d.ended_by)
            )  # fmt: skip
        self.overdue += late
        self.statuses[case["status"]] += 1
        if len(self.preview) < PREVIEW:
            number = short_number(received.year, case["seq"])
            self.preview.append(preview(plan.row, number, case, plan.extra))

    def insert(self, conn: sqlite3.Connection) -> None:
        """Set-based. The cases go in through a staging table as one statement: the
        full-text index's trigger flushes at every statement, so 100,000 single inserts
        took 6 s where one INSERT … SELECT takes 2."""
        _add_to_lists(conn, self.added)
        names = ", ".join(CASE_COLUMNS)
        marks = ", ".join("?" * len(CASE_COLUMNS))
        if dialect_of(conn).postgres:  # its text index is not kept by a statement trigger
            conn.executemany(f"INSERT INTO cases ({names}) VALUES ({marks})", self.cases)
        else:
            conn.execute(
                f"CREATE TEMP TABLE import_cases AS SELECT {names} FROM main.cases WHERE 0"
            )
            conn.executemany(f"INSERT INTO temp.import_cases VALUES ({marks})", self.cases)
            conn.execute(f"INSERT INTO main.cases ({names}) SELECT {names} FROM temp.import_cases")
            conn.execute("DROP TABLE temp.import_cases")
        conn.executemany(
            "INSERT INTO events (case_id, action, occurred_at, recorded_at, actor, round, "
            "status_after, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            self.events,
        )
        conn.executemany(
            "INSERT INTO deadlines (case_id, stage, round, starts_on, amount, unit, due_on, "
            "met_on, paused_days, provisional, ended_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self.deadlines,
        )
        conn.executemany(
            "INSERT INTO sequences (name, year, last) VALUES (?, ?, ?) "
            "ON CONFLICT (name, year) DO UPDATE SET last = max(sequences.last, excluded.last)",
            [(name, year, last) for (name, year), last in self.sequences.items()],
        )


def unlisted(plans: list[Plan], reader: Reader) -> dict[str, dict[str, list[int]]]:
    """The values the rows use that the office's lists do not have yet: list -> value ->
    the rows using it."""
    found: dict[str, dict[str, list[int]]] = {}
    for plan in plans:
        for name, value in plan.listed:
            known = reader.units if name == UNIT_LIST else reader.lists[name]
            if value not in known:
                rows = found.setdefault(name, {}).setdefault(value, [])
                if plan.row not in rows:
                    rows.append(plan.row)
    return found


def _new_values(plans: list[Plan], reader: Reader) -> dict[str, list[str]]:
    return {name: list(values) for name, values in unlisted(plans, reader).items()}


SHOWN_ROWS = 10  # rows named per new value


def refuse_unlisted(plans: list[Plan], reader: Reader) -> None:
    """The office's lists do not grow from free values unless the clerk says so: each new
    value with its rows, and the options that would take it."""
    found = unlisted(plans, reader)
    if not found:
        return
    values: list[str] = []
    hints: list[str] = []
    for name, by_value in found.items():
        for value, rows in by_value.items():
            shown = "、".join(str(row) for row in rows[:SHOWN_ROWS])
            more = "等" if len(rows) > SHOWN_ROWS else ""
            values.append(f"{LIST_NAMES[name]}“{value}” {len(rows)} 行（第 {shown}{more} 行）")
            if len(hints) < 3:
                hints.append(f"--map-value {LIST_NAMES[name]}:{value}=列表中的值")
    raise InvalidInput(
        "列表值",
        f"以下值不在本单位的列表中：{'；'.join(values)}。请用 {'、'.join(hints)} 换成已有的值，"
        "或加 --add-values 把它们加入列表",
    )


def _add_to_lists(conn: sqlite3.Connection, added: dict[str, list[str]]) -> None:
    """As `config add` and `config unit` do, inside the import's transaction."""
    for name, values in added.items():
        if name == UNIT_LIST:
            settings.append_units(conn, values)
        else:
            settings.append_choices(conn, name, values)


def write(
    conn: sqlite3.Connection,
    reader: Reader,
    plans: list[Plan],
    origin: dict[str, Any],
    actor: str,
    *,
    rejected: list[Rejected],
    header: list[str],
    target: Path,
    write_rejects: RejectsWriter,
    progress: Progress | None = None,
) -> tuple[Batch, list[int]]:
    """The cases inserted and the rejected rows written to `target` (by the outputs'
    writer the caller passes in), all in one transaction; also the rows of the plans
    left out as imported meanwhile."""
    with transaction(conn):
        fresh = known_fingerprints(conn)  # another import may have finished meanwhile
        kept = [plan for plan in plans if not imported_before(plan, fresh)]
        batch = Batch(conn, reader, kept, origin, actor, rules.current_version(conn), progress)
        batch.insert(conn)
        if rejected:
            write_rejects(target, header, rejected)
    return batch, [plan.row for plan in plans if imported_before(plan, fresh)]


# (target, the file's header, the rejected rows): writes the rejects workbook.
RejectsWriter = Callable[[Path, list[str], list[Rejected]], None]


def rejects_path(path: Path, rejects: str | Path | None, *, force: bool) -> Path:
    """Where the rejected rows go, checked before anything is written. The default,
    `<file>_未导入行.xlsx` beside the input, is the report of the latest import of that
    file and is replaced; a file the clerk names is not, without --force."""
    from xinfang.store.files import check_target

    if rejects is None:
        target = path.with_name(f"{path.stem}_未导入行.xlsx")
        check_target(target, force=True, suffixes=(".xlsx",))
        return target
    target = Path(rejects)
    check_target(target, force=force, suffixes=(".xlsx",))
    if target.exists() and path.exists() and target.resolve() == path.resolve():
        raise InvalidInput("--rejects", "不能写到要导入的文件本身")
    return target
