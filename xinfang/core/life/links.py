"""重复信访 links after registration: `link` a case to an earlier one of the same matter,
`unlink` a wrong link.

A link is a fact of the case's history: its registration's event names the earlier case
it was linked to (data `repeat_of`, a case number), a `link` event names another, an
`unlink` event names none; the last of them is the case's link.

The row's `repeat_of` holds something the case's own events cannot give: the id of the
first case of the matter (its root), which depends on the linked case's own link (3
linked to 2, 2 to 1: both rows say 1; when 2 is unlinked, 3 stays with 2) and, at the
county, on which of a town's cases are merged already (a town's event names the town's
number). So the column stays the ledger's bookkeeping (columns.LOCAL) and is derived
here, from every case's last link fact, in the same transaction: by `link`, `unlink`
and `merge`; `doctor` checks it (`drifted`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from typing import Any

from xinfang.core.clock.dates import Moment, now
from xinfang.core.errors import InvalidInput, XinfangError
from xinfang.core.intake.numbering import parse_case_number, short_number
from xinfang.core.intake.repeats import CONFIRMED
from xinfang.core.life import lanes
from xinfang.core.life.acting import act
from xinfang.core.life.actions import ACTIONS, refusal
from xinfang.core.life.case import Case
from xinfang.core.life.ledger import find
from xinfang.core.validate import clean_text

# Each case's link facts in order (the last wins), with what resolving a number needs: a
# town's event (merged_from) names the town's number, kept here as origin_no.
_FACTS = """SELECT e.case_id, json_extract(e.data, '$.repeat_of'),
    json_extract(e.data, '$.merged_from') IS NOT NULL, c.origin_office
  FROM events e JOIN cases c ON c.id = e.case_id
  WHERE e.action IN ('register', 'link', 'unlink') {where} ORDER BY e.case_id, e.id"""


def _first(conn: sqlite3.Connection, case: Case) -> str:
    """The number of the first case of the matter a case is stored as a repeat of."""
    first = conn.execute("SELECT year, seq FROM cases WHERE id = ?", (case.repeat_of,))
    return short_number(*first.fetchone())


class _Links:
    """Which case each case's last link fact names (as an id here), loaded as needed."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.named: dict[int, int | None] = {}

    def load(self, case_ids: Collection[int] | None) -> None:
        """The facts of these cases (None: of every case, in one pass)."""
        params: tuple[int, ...]
        where, params = "", ()
        if case_ids is not None:
            wanted = tuple(i for i in case_ids if i not in self.named)
            if not wanted:
                return
            self.named.update(dict.fromkeys(wanted))
            where, params = f"AND e.case_id IN ({', '.join('?' * len(wanted))})", wanted
        for case_id, number, merged, office in self.conn.execute(
            _FACTS.format(where=where), params
        ):
            self.named[case_id] = self._resolve(case_id, number, office if merged else None)

    def _resolve(self, case_id: int, number: Any, office: str | None) -> int | None:
        if not isinstance(number, str):
            return None
        if office is not None:  # the town's number: its case here, once merged
            row = self.conn.execute(
                "SELECT id FROM cases WHERE origin_office = ? AND origin_no = ?", (office, number)
            ).fetchone()
        else:
            try:
                year, seq = parse_case_number(number)
            except XinfangError:
                return None
            row = lanes.beside(self.conn, case_id, year, seq)  # its office's number
        return int(row[0]) if row else None

    def root(self, case_id: int) -> int | None:
        """The first case of the matter that `case_id` is a repeat of (None: not a repeat)."""
        seen, current = {case_id}, case_id
        while True:
            self.load([current])
            earlier = self.named[current]
            if earlier is None or earlier in seen:  # the first; (a circle: stop where it closes)
                break
            seen.add(earlier)
            current = earlier
        return None if current == case_id else current


def _differing(
    conn: sqlite3.Connection, case_ids: Collection[int] | None
) -> list[tuple[int, int, int, int | None]]:
    """(id, year, seq, root) of the rows whose repeat_of is not what the links give."""
    links = _Links(conn)
    if case_ids is None:
        links.load(None)
        rows = conn.execute("SELECT id, year, seq, repeat_of FROM cases ORDER BY id").fetchall()
    else:
        marks = ", ".join("?" * len(case_ids))
        rows = conn.execute(
            f"SELECT id, year, seq, repeat_of FROM cases WHERE id IN ({marks}) ORDER BY id",
            tuple(case_ids),
        ).fetchall()
    found = []
    for case_id, year, seq, stored in rows:
        root = links.root(case_id)
        if root != stored:
            found.append((case_id, year, seq, root))
    return found


def settle(conn: sqlite3.Connection, roots: Collection[int] | None = None) -> int:
    """Set repeat_of as the links give it, for the matters of `roots` (their cases and
    every case stored as their repeat) or, with None, for every case. The caller holds
    the transaction. Returns how many rows changed."""
    members: set[int] | None = None
    if roots is not None:
        marks = ", ".join("?" * len(roots))
        linked = conn.execute(f"SELECT id FROM cases WHERE repeat_of IN ({marks})", tuple(roots))
        members = {*roots, *(row[0] for row in linked)}
    changed = _differing(conn, members)
    stamp = now().isoformat(sep=" ")
    conn.executemany(
        "UPDATE cases SET repeat_of = ?, updated_at = ? WHERE id = ?",
        [(root, stamp, case_id) for case_id, _, _, root in changed],
    )
    return len(changed)


def drifted(conn: sqlite3.Connection) -> list[str]:
    """The numbers of the cases whose stored link is not what the history gives."""
    return [short_number(year, seq) for _, year, seq, _ in _differing(conn, None)]


def link(
    conn: sqlite3.Connection,
    ref: str,
    *,
    to: str,
    reason: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> tuple[str, str]:
    """关联: the clerk finds, after registering it, that a case repeats an earlier one.
    Returns (case number, the number of the earlier case)."""
    why = clean_text(reason, "关联理由", max_length=2_000, multiline=True)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        earlier = find(conn, to)
        number = earlier.number
        if case.repeat_of is not None:
            why_not = (
                f"已关联为 {_first(conn, case)} 的重复信访；如关联有误，先用 xinfang unlink 解除"
            )
            raise refusal(case.number, case.status, ACTIONS["link"], why_not)
        if earlier.id == case.id:
            raise InvalidInput("--to", "不能关联到本案自己")
        if (earlier.repeat_of or earlier.id) == case.id:
            raise InvalidInput("--to", f"{number} 已是本案的重复信访")
        if earlier.received_at > case.received_at:
            raise InvalidInput(
                "--to",
                f"{number} 登记于 {earlier.received_at[:16]}，晚于本案；只能关联此前的信访件"
                f"（可反过来：xinfang link {number} --to {case.number}）",
            )
        return {"repeat_of": number, "repeat_reasons": [CONFIRMED], "reason": why}

    def relink(case: Case) -> None:  # the case and its own repeats join the matter
        earlier = find(conn, to)
        settle(conn, {case.id, earlier.repeat_of or earlier.id})

    done = act(conn, ref, "link", on, by, build, relink)
    return done.case_no, done.data["repeat_of"]


def unlink(
    conn: sqlite3.Connection,
    ref: str,
    *,
    reason: str,
    on: str | None = None,
    by: str | None = None,
) -> tuple[str, str]:
    """解除关联: a case linked as a repeat by mistake. The cases linked because of it
    stay with it. Returns (case number, the first case of the matter it was linked to)."""
    why = clean_text(reason, "解除理由", max_length=2_000, required=True, multiline=True)

    def build(case: Case, when: Moment) -> dict[str, Any]:
        if case.repeat_of is None:
            why_not = "本案未关联为重复信访"
            raise refusal(case.number, case.status, ACTIONS["unlink"], why_not)
        return {"unlinked_from": _first(conn, case), "reason": why}

    def relink(case: Case) -> None:
        assert case.repeat_of is not None  # build refused the case without a link
        settle(conn, {case.id, case.repeat_of})

    done = act(conn, ref, "unlink", on, by, build, relink)
    return done.case_no, done.data["unlinked_from"]
