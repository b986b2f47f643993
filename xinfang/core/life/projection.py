"""A case's row as its events tell it: the history is the truth, the row in `cases` is
where that history leaves the case. `project` folds a case's events, in the order they
were stored, into the columns of `cases` (columns.py): each action's declaration
(actions.py) says which columns it sets and the status it leads to; an action that sets
none (a note, a supervision, a loan) leaves the row as it was.

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
from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from xinfang.core.life.actions import EVENTS
from xinfang.core.life.columns import ASSIGN_NUMBER, PROJECTED
from xinfang.core.life.states import Status

VOID = "void"
REGISTRATION = 1  # the registration's number in its case: voiding it voids the case
Row = dict[str, Any]
KNOWN_ACTIONS = frozenset(EVENTS)
# Folds that read no data: their events' JSON need not even be decoded.
DATALESS = frozenset(
    name for name, action in EVENTS.items() if action.sets is None or not action.sets_from_data
) - {VOID}
_LEADS_TO = {
    name: action.leads_to.value for name, action in EVENTS.items() if action.leads_to is not None
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
    fold = EVENTS[action].sets
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
        f"AND {alias}.action != 'register' AND CAST(json_extract(v.data, '$.event') AS INTEGER) = "
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
