"""A case's row in `cases`, typed: one attribute per column, so that mypy checks what the
core reads (`case.replied_on`, not a lookup by a string). Which columns the projection
of the events writes and which the ledger keeps itself is columns.py's; what each means
is schema.sql's."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from functools import cache
from operator import itemgetter
from typing import Any

from xinfang.core.intake.numbering import short_number
from xinfang.core.life.states import Status


@dataclass(frozen=True, slots=True)
class Case:
    id: int
    year: int
    seq: int
    status: Status
    round: int
    # registration (登记)
    name: str | None
    persons: int
    phone: str | None
    id_number: str | None
    address: str | None
    anonymous: bool
    received_at: str
    source: str
    form: str
    upper_ref: str | None
    content: str
    category: str | None
    kind: str | None
    township: str | None
    receiver: str | None
    receiver_opinion: str | None
    # the decision (受理 / 不予受理 / 转送) and its notice (告知)
    decided_on: str | None
    decision_reason: str | None
    reject_channel: str | None
    transfer_to: str | None
    notified_on: str | None
    notice_method: str | None
    # 交办 and the unit's answer
    unit: str | None
    assign_year: int | None
    assign_seq: int | None
    assigned_on: str | None
    assign_due: str | None
    unit_accepted_on: str | None
    unit_reported_on: str | None
    unit_report: str | None
    # the reply (答复) and revisit (回访) of the current round
    replied_on: str | None
    reply_result: str | None
    reply_finding: str | None
    reply_text: str | None
    revisited_on: str | None
    revisit_method: str | None
    satisfaction: str | None
    revisit_opinion: str | None
    # the end of the case
    publicized_on: str | None
    closed_on: str | None
    archived_on: str | None
    retention: str | None
    updated_at: str
    # deadlines (期限)
    rule_version: int | None
    complex: bool
    paused_since: str | None
    # supervision scope, repeats, online opinion
    raised_by: str | None
    repeat_of: int | None  # the id of the first case of the matter (links.py)
    platform: str | None
    post_url: str | None
    posted_at: str | None
    # a case merged from a town's bundle
    origin: str | None
    origin_no: str | None
    origin_office: str | None
    # added later: 性别, 年龄 (schema v8); 重大紧急 (v9)
    sex: str | None
    age: int | None
    urgent: bool

    @property
    def number(self) -> str:
        """The case number, `2026-0001`."""
        return short_number(self.year, self.seq)

    @classmethod
    def from_row(cls, row: sqlite3.Row | Mapping[str, Any]) -> Case:
        """The case of a `SELECT * FROM cases` row (extra columns are left out), or of a
        mapping holding every column. The flags stored as 0/1 become bools."""
        if not isinstance(row, Mapping):  # a row of either store, by its column names
            values = list(_picker(tuple(row.keys()))(row))
        else:
            values = list(_BY_NAME(row))
        values[_STATUS] = Status(values[_STATUS])
        values[_ANONYMOUS] = bool(values[_ANONYMOUS])
        values[_COMPLEX] = bool(values[_COMPLEX])
        values[_URGENT] = bool(values[_URGENT])
        return cls(*values)


COLUMNS: tuple[str, ...] = tuple(field.name for field in fields(Case))
# The columns schema versions after the first added (migrations.py). A migration step
# reads an older row: version 2 derives the deadlines before version 4's columns exist.
NEWER = ("rule_version", "complex", "paused_since", "raised_by", "repeat_of", "platform",
         "post_url", "posted_at", "origin", "origin_no", "origin_office", "sex", "age",
         "urgent")  # fmt: skip
_STATUS, _ANONYMOUS, _COMPLEX, _URGENT = (
    COLUMNS.index(name) for name in ("status", "anonymous", "complex", "urgent")
)
_BY_NAME = itemgetter(*COLUMNS)


@cache
def _picker(keys: tuple[str, ...]) -> Callable[[sqlite3.Row], tuple[Any, ...]]:
    """The columns in Case's order, by their positions in rows of this shape: the names
    are looked up once per query shape, not once per row."""
    missing = [name for name in COLUMNS if name not in keys]
    if not missing:
        return itemgetter(*(keys.index(name) for name in COLUMNS))
    if set(missing) - set(NEWER):
        raise KeyError(f"the row lacks {missing}")
    where = [keys.index(name) if name in keys else None for name in COLUMNS]
    return lambda row: tuple(None if at is None else row[at] for at in where)
