"""A case's row as its events tell it: the history is the truth, the row in `cases` is
where that history leaves the case. `project` folds a case's events, in the order they
were stored, into the columns of `cases`; one fold per action says which columns the
action sets (the same values its `build()` in cases.py writes), an action with no fold
(a note, a supervision, a loan) sets none, and the state machine (states.py) gives the
status after each step.

A `void` event (撤销, corrections.py) withdraws the step it names by its number in the
case (1 = the registration, as `show` numbers the steps; a number, unlike an event's id,
is the same in a town's ledger and in the county's merged copy): the fold leaves both out.
Voiding the registration voids the whole case (作废): its facts stay, its status is
`voided`.

Used by `merge` (a town's cases at the county are derived from the merged events, never
copied from a bundle's snapshot) and by `doctor` (a row that differs from its history is
a problem)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from xinfang.core.intake.fields import REGISTRATION_FIELDS
from xinfang.core.life.states import ACTIONS, Status
from xinfang.core.vocabulary import DISSATISFIED

VOID = "void"
REGISTRATION = 1  # the registration's number in its case: voiding it voids the case
NOTICE = ("notified_on", "notice_method")
REPLY = ("replied_on", "reply_result", "reply_finding", "reply_text")
# The ledger's own bookkeeping, not facts of the case: numbers, links and stamps given
# where the row is written (a county numbers a merged case itself).
LOCAL = ("id", "year", "seq", "rule_version", "updated_at", "repeat_of",
         "origin", "origin_no", "origin_office")  # fmt: skip
# The town's 交办单 number: its own at the town, none at the county.
ASSIGN_NUMBER = ("assign_year", "assign_seq")
PROJECTED: tuple[str, ...] = (
    "status", "round", *(field.key for field in REGISTRATION_FIELDS),
    "decided_on", "decision_reason", "reject_channel", "transfer_to", *NOTICE,
    "unit", *ASSIGN_NUMBER, "assigned_on", "assign_due", "unit_accepted_on",
    "unit_reported_on", "unit_report", *REPLY, "revisited_on", "revisit_method",
    "satisfaction", "revisit_opinion", "publicized_on", "closed_on", "archived_on",
    "retention", "complex", "paused_since",
)  # fmt: skip

Row = dict[str, Any]
# (the event's data, the row before it, the day it happened) -> the columns it sets
Fold = Callable[[Mapping[str, Any], Row, str], Row]


def _register(data: Mapping[str, Any], row: Row, day: str) -> Row:
    """The registration record, as register() and the import keep it in the event
    (empty values and a false 匿名 are left out there)."""
    record = {field.key: data.get(field.key) for field in REGISTRATION_FIELDS}
    record["anonymous"] = int(bool(record["anonymous"]))
    record["persons"] = record["persons"] or 1
    return {**dict.fromkeys(PROJECTED), **record, "status": Status.REGISTERED.value,
            "round": 1, "complex": 0}  # fmt: skip


def _notice(data: Mapping[str, Any]) -> Row:
    return {key: data[key] for key in NOTICE if key in data}


def _assign(data: Mapping[str, Any], row: Row, day: str) -> Row:
    number = data.get("number")
    return {
        "unit": data.get("to"),
        "assigned_on": day,
        "assign_due": data.get("due"),
        "assign_year": int(day[:4]) if number is not None else None,
        "assign_seq": number,
        "unit_accepted_on": None,
        "unit_reported_on": None,
        "unit_report": None,
    }


# 退单: the unit gives the case back; its 交办 (unit, 交办单, dates, report) is undone.
UNIT_RETURN = dict.fromkeys(
    ("unit", *ASSIGN_NUMBER, "assigned_on", "assign_due", "unit_accepted_on",
     "unit_reported_on", "unit_report"),
)  # fmt: skip


def _revisit(data: Mapping[str, Any], row: Row, day: str) -> Row:
    if data.get("satisfaction") == DISSATISFIED:  # handled again, in the next round
        return {"status": Status.ACCEPTED.value, "round": row["round"] + 1,
                **dict.fromkeys(REPLY)}  # fmt: skip
    return {
        "status": Status.REVISITED.value,
        "revisited_on": day,
        "revisit_method": data.get("method"),
        "satisfaction": data.get("satisfaction"),
        "revisit_opinion": data.get("opinion"),
    }


def _correct(data: Mapping[str, Any], row: Row, day: str) -> Row:
    value = data.get("new")
    return {data["field"]: int(bool(value)) if data["field"] == "anonymous" else value}


FOLDS: dict[str, Fold] = {
    "register": _register,
    "accept": lambda data, row, day: {"decided_on": day, **_notice(data)},
    "reject": lambda data, row, day: {
        "decided_on": day,
        "decision_reason": data.get("reason"),
        "reject_channel": data.get("channel"),
        **_notice(data),
    },
    "transfer": lambda data, row, day: {
        "decided_on": day,
        "transfer_to": data.get("to"),
        "decision_reason": data.get("reason"),
        **_notice(data),
    },
    "notify": lambda data, row, day: _notice(data),
    "assign": _assign,
    "unit-accept": lambda data, row, day: {"unit_accepted_on": day},
    "unit-report": lambda data, row, day: {
        "unit_reported_on": day,
        "unit_report": data.get("text"),
    },
    # 退回重办: the report is not accepted; the unit works on to the (new) due date.
    "send-back": lambda data, row, day: {
        "assign_due": data.get("due"),
        "unit_reported_on": None,
        "unit_report": None,
    },
    # 改派: the new unit, its own 交办单 number and dates, as a first assignment.
    "reassign": _assign,
    "unit-return": lambda data, row, day: dict(UNIT_RETURN),
    "reply": lambda data, row, day: {
        "replied_on": day,
        "reply_result": data.get("result"),
        "reply_finding": data.get("finding"),
        "reply_text": data.get("text"),
    },
    "revisit": _revisit,
    "publicize": lambda data, row, day: {"publicized_on": day},
    "close": lambda data, row, day: {"closed_on": day},
    "archive": lambda data, row, day: {"archived_on": day, "retention": data.get("retention")},
    "pause": lambda data, row, day: {"paused_since": day},
    "resume": lambda data, row, day: {"paused_since": None},
    "extend": lambda data, row, day: {"complex": 1} if data.get("complex") else {},
    "correct": _correct,
}
KNOWN_ACTIONS = frozenset({"register", *ACTIONS})
# Folds that read no data: their events' JSON need not even be decoded.
DATALESS = (KNOWN_ACTIONS - FOLDS.keys() - {VOID}) | {
    "unit-accept", "publicize", "close", "pause", "resume", "unit-return",
}  # fmt: skip
_LEADS_TO = {
    name: action.leads_to.value for name, action in ACTIONS.items() if action.leads_to is not None
}
_decode = json.JSONDecoder().raw_decode  # our own JSON: no whitespace around it to strip


def step(row: Row | None, action: str, occurred_at: str, data: Mapping[str, Any]) -> Row:
    """The row after one event: `row` itself, updated (a new row for the registration,
    when `row` is None). Raises ValueError for an action xinfang does not know or a step
    before the registration."""
    if action not in KNOWN_ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if (row is None) != (action == "register"):
        raise ValueError("the registration must come first, and only once")
    fold = FOLDS.get(action)
    changes = fold(data, row or {}, occurred_at[:10]) if fold else {}
    after = changes if row is None else row
    if row is not None:
        row.update(changes)
    if action in _LEADS_TO and "status" not in changes:
        after["status"] = _LEADS_TO[action]
    return after


def voided(events: Sequence[tuple[str, Any]]) -> dict[int, int]:
    """The steps withdrawn, as {number of the step: number of the void withdrawing it};
    `events` as (action, data) in stored order, data a dict or its JSON text (only a
    void's is read)."""
    found: dict[int, int] = {}
    for number, (action, data) in enumerate(events, 1):
        if action == VOID:
            target = (_decode(data)[0] if isinstance(data, str) else data)["event"]
            found[int(target)] = number
    return found


def alive(events: Sequence[tuple[str, Any]]) -> list[bool]:
    """For each event, as in `voided`: does it count (neither a void nor withdrawn by
    one)? The registration always counts: a voided case keeps its facts."""
    if all(action != VOID for action, _ in events):
        return [True] * len(events)
    gone = voided(events).keys() - {REGISTRATION}
    return [a != VOID and n not in gone for n, (a, _) in enumerate(events, 1)]


def counts_sql(alias: str) -> str:
    """`alive` in SQL, for queries over the events table: true when the event `alias`
    counts — not a void, and not a step (other than the registration) withdrawn by one,
    which names it by its number in the case."""
    return (
        f"({alias}.action != '{VOID}' AND NOT EXISTS (SELECT 1 FROM events v "
        f"WHERE v.case_id = {alias}.case_id AND v.action = '{VOID}' "
        f"AND {alias}.action != 'register' AND json_extract(v.data, '$.event') = "
        f"(SELECT count(*) FROM events x WHERE x.case_id = {alias}.case_id "
        f"AND x.id <= {alias}.id)))"
    )


def fold(events: Iterable[tuple[str, str, Any]]) -> Row:
    """The `PROJECTED` columns of a case from its events as (action, occurred_at, data),
    data a dict or its JSON text, in stored order; withdrawn steps and the voids left out."""
    listed = list(events)
    whole = False
    if any(event[0] == VOID for event in listed):  # rare: the usual case pays one pass
        pairs = [(action, data) for action, _, data in listed]
        whole = REGISTRATION in voided(pairs)
        listed = [event for event, kept in zip(listed, alive(pairs), strict=True) if kept]
    row: Row | None = None
    for action, occurred_at, data in listed:
        if isinstance(data, str):
            data = {} if action in DATALESS or not data else _decode(data)[0]
        row = step(row, action, occurred_at, data)
    if row is None:
        raise ValueError("a case without its registration")
    if whole:
        row["status"] = Status.VOIDED.value
    return row


def project(events: Iterable[Mapping[str, Any]]) -> Row:
    """As `fold`, from events with `action`, `occurred_at` and `data`."""
    return fold((e["action"], e["occurred_at"], e["data"]) for e in events)


_PICK = itemgetter(*PROJECTED)
_ASSIGN_AT = [PROJECTED.index(key) for key in ASSIGN_NUMBER]


def as_stored(projected: Row, *, merged: bool) -> tuple[Any, ...]:
    """The `PROJECTED` columns as the row must hold them: a merged case has no 交办单
    number of its own."""
    values: tuple[Any, ...] = _PICK(projected)
    if merged:
        listed = list(values)
        for at in _ASSIGN_AT:
            listed[at] = None
        values = tuple(listed)
    return values


def differences(stored: Sequence[Any], projected: Row, *, merged: bool) -> list[str]:
    """The columns where a stored row (its `PROJECTED` columns, in order) says other than
    its history."""
    expected = as_stored(projected, merged=merged)
    return [k for k, have, want in zip(PROJECTED, stored, expected, strict=True) if have != want]
