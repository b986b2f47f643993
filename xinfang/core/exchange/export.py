"""`export`: every case with its fields and current deadlines, for other tools.

With `mask` the export is fit for statistics or for anyone outside the office: the
petitioner's name, sex, age, phone, ID number and address (privacy.PERSONAL) are left
out, and every text is scrubbed of the name, address, phone and ID number and of any
phone or ID number (privacy.masked, as for `list --mask`).

With `events` (the JSON export, unmasked) each case carries its whole history as a
bundle does (`id, action, occurred_at, recorded_at, actor, round, status_after, data`),
so that `import x.json` brings it back exactly (importing/restoring.py).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from xinfang.core.clock import rules
from xinfang.core.intake.fields import CASE_SECTIONS, REGISTRATION_FIELDS
from xinfang.core.privacy import PERSONAL
from xinfang.core.reporting import query

COLUMNS: tuple[tuple[str, str], ...] = (
    ("case_no", "案件编号"),
    ("formal_no", "文号"),
    ("status_label", "状态"),
    ("round", "办理轮次"),
    *((field.key, field.label) for field in REGISTRATION_FIELDS),
    ("collective", "集体访"),
    ("repeat_of", "重复信访（首件编号）"),
    *CASE_SECTIONS,
    ("next_due", "最近期限"),
    ("open_deadlines", "未完成的期限"),
)


def columns(*, mask: bool) -> list[tuple[str, str]]:
    return [(key, label) for key, label in COLUMNS if not (mask and key in PERSONAL)]


def cases(
    conn: sqlite3.Connection, filters: query.Filters, *, mask: bool, events: bool = False
) -> list[dict[str, Any]]:
    """The cases the filters select, each with its open deadlines (and, with `events`
    and not `mask`, its history), ready to write."""
    found = query.list_cases(conn, filters, mask=mask)
    open_deadlines: dict[str, list[dict[str, Any]]] = {}
    # One query for all of them: an export of 100k cases must not run 100k queries.
    for case_no, stage, round_, due_on in conn.execute(
        "SELECT printf('%d-%04d', c.year, c.seq), d.stage, d.round, d.due_on "
        "FROM deadlines d JOIN cases c ON c.id = d.case_id "
        "WHERE d.met_on IS NULL ORDER BY d.due_on"
    ):
        # The clerk's names: 交办/督办 due dates are fixed stages, not in STAGES.
        stage_rule = rules.STAGES.get(stage) or rules.FIXED_STAGES.get(stage)
        open_deadlines.setdefault(case_no, []).append(
            {
                "stage": stage,
                "label": stage_rule.label if stage_rule else stage,
                "round": round_,
                "due_on": due_on,
            }
        )
    result = []
    for case in found:
        row = {key: case.get(key) for key, _ in COLUMNS if key != "open_deadlines"}
        row["open_deadlines"] = open_deadlines.get(case["case_no"], [])
        if mask:  # the texts are scrubbed already; the fields themselves are left out
            for key in PERSONAL:
                del row[key]
        result.append(row)
    if events and not mask:
        _add_events(conn, result)
    return result


EVENT_KEYS = ("id", "action", "occurred_at", "recorded_at", "actor", "round", "status_after")


def _add_events(conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
    """Each row's events, in the order recorded: one query for all of them."""
    by_no = {row["case_no"]: row for row in rows}
    for row in rows:
        row["events"] = []
    for case_no, *values, data in conn.execute(
        f"SELECT printf('%d-%04d', c.year, c.seq), {', '.join('e.' + k for k in EVENT_KEYS)}, "
        "e.data FROM events e JOIN cases c ON c.id = e.case_id ORDER BY e.case_id, e.id"
    ):
        if case_no in by_no:
            by_no[case_no]["events"].append(
                dict(zip(EVENT_KEYS, values, strict=True)) | {"data": json.loads(data)}
            )


def flat(value: Any) -> Any:
    """A value as one spreadsheet cell."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):  # the open deadlines
        return "；".join(f"{d['label']} {d['due_on'] or '（中止）'}" for d in value)
    return value
