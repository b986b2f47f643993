"""终结: a matter closed for good (信访工作条例 art. 35–36). Once the 复核 is decided, or
the 复查意见 was not followed by a 复核 request within the petitioner's window, a petition
on the same facts and reasons is not taken up again by any level ("不再受理"). Nothing
is written when it happens — a window passing is no event — so it is read off the
case's events and its 复核申请 window as of a day."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from xinfang.core.life.ledger import live_events

NOT_AGAIN = "已终结，不再受理"  # what the clerk is told at a later petition of the matter


@dataclass(frozen=True)
class Ending:
    on: str  # the first day the matter stood closed for good
    why: str

    def as_json(self) -> dict[str, str]:
        return {"on": self.on, "why": self.why}


def _of_case(conn: sqlite3.Connection, case_id: int, as_of: date) -> list[Ending]:
    found = []
    for event in live_events(conn, case_id):
        # `recheck --outcome`, and `review --upper-outcome` before `recheck` existed
        outcome, day = event["data"].get("upper_outcome"), event["occurred_at"][:10]
        if outcome and day <= as_of.isoformat():
            found.append(Ending(day, f"复核意见已作出（{outcome}）"))
    passed = conn.execute(
        "SELECT due_on FROM deadlines WHERE case_id = ? AND stage = 'recheck_request' "
        "AND met_on IS NULL AND due_on < ? ORDER BY round DESC LIMIT 1",
        (case_id, as_of.isoformat()),
    ).fetchone()
    if passed:
        after = (date.fromisoformat(passed[0]) + timedelta(days=1)).isoformat()
        found.append(Ending(after, f"复查意见作出后未在期限内（至 {passed[0]}）申请复核"))
    return found


def ending(conn: sqlite3.Connection, case_ids: Iterable[int], as_of: date) -> Ending | None:
    """The earliest 终结 among the cases as of the end of `as_of`, or None."""
    found = [end for case_id in case_ids for end in _of_case(conn, case_id, as_of)]
    return min(found, key=lambda end: end.on) if found else None


def matter_ending(
    conn: sqlite3.Connection, root: int, as_of: date, *, but: int = 0
) -> Ending | None:
    """终结 of the matter whose first petition is `root` (any of its petitions but `but`)."""
    ids = [row[0] for row in conn.execute(
        "SELECT id FROM cases WHERE (id = ? OR repeat_of = ?) AND id != ?", (root, root, but)
    )]  # fmt: skip
    return ending(conn, ids, as_of)
