"""Records beside a case's steps: 备注 (a note) and 更正 (a registration field corrected,
the old value kept in the event: nothing is overwritten silently). Each public function
is one user action run through acting.act: one transaction, one event."""

from __future__ import annotations

import sqlite3
from typing import Any

from xinfang.core.clock.dates import Moment
from xinfang.core.errors import InvalidInput
from xinfang.core.intake.fields import REGISTRATION_FIELDS, check_record, clean_value, later
from xinfang.core.intake.fields import find_field as _find_field
from xinfang.core.life.acting import act, not_before
from xinfang.core.life.actions import ACTIONS
from xinfang.core.life.case import Case
from xinfang.core.validate import clean_text


def note(
    conn: sqlite3.Connection, ref: str, text: str, *, on: str | None = None, by: str | None = None
) -> str:
    words = clean_text(text, "备注", max_length=20_000, required=True, multiline=True)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        return {"text": words}

    return act(conn, ref, "note", on, by, build).case_no


def correct(
    conn: sqlite3.Connection,
    ref: str,
    *,
    field: str,
    value: str,
    reason: str | None = None,
    force: bool = False,
    on: str | None = None,
    by: str | None = None,
) -> str:
    """更正 a registration field. The old value stays in the event: nothing is
    overwritten silently."""
    target = _find_field(field)
    why = clean_text(reason, "更正理由", max_length=2_000, multiline=True)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        new = clean_value(conn, target, value, force=force)
        if target.key == "received_at" and new is not None:
            year = int(str(new)[:4])
            if year != case.year:
                raise InvalidInput("信访时间", "更正后不能跨年（案件编号按年编排）")
            step = conn.execute(
                "SELECT occurred_at, action FROM events WHERE case_id = ? AND action != 'register' "
                "ORDER BY occurred_at LIMIT 1",
                (case.id,),
            ).fetchone()
            not_before(when, str(new), "本案登记的日期", ACTIONS["correct"].label)
            if step and later(new, step["occurred_at"]):
                raise InvalidInput(
                    "信访时间",
                    f"{new} 晚于本案已记录的“{_label(step['action'])}”（{step['occurred_at']}）",
                )
        record = {f.key: getattr(case, f.key) for f in REGISTRATION_FIELDS}
        record[target.key] = new
        check_record(record)
        old = getattr(case, target.key)  # a flag is a bool already (Case.from_row)
        if old == new:
            raise InvalidInput(target.label, "新值与原值相同，无需更正")
        return {"field": target.key, "label": target.label, "old": old, "new": new, "reason": why}

    return act(conn, ref, "correct", on, by, build).case_no


def _label(action: str) -> str:
    return ACTIONS[action].label if action in ACTIONS else action
