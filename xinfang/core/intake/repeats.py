"""Repeat petitions: at registration, the earlier cases of the same petitioner (ID number,
phone, or name and address) or with closely similar content, within the office's window
(`repeat_window_days`; content is compared with the latest 3,000 petitions of it).
Similarity is counted on Chinese character pairs, so a complaint retold with other
punctuation or in another order still matches; no word splitting.

Only the same petitioner is linked without asking: similar content alone (another
person, perhaps in another town, with a like complaint) is a candidate that the clerk
confirms, or links by its number. The links themselves, and their corrections, are in
links.py."""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from xinfang.core import settings
from xinfang.core.clock.dates import Moment
from xinfang.core.errors import InvalidInput
from xinfang.core.life import finality, lanes
from xinfang.core.life.case import Case
from xinfang.core.life.ledger import find
from xinfang.core.life.states import OPEN_STATUSES, Status
from xinfang.core.vocabulary import REPEAT_WINDOW_DAYS, SIMILAR, SIMILARITY_LOOKBACK

_NOT_TEXT = re.compile(r"[\W_]+", re.UNICODE)
CONFIRMED = "经办人确认"  # the reason of a link the clerk made (asked, or by number)


def _pairs(text: str) -> set[str]:
    plain = _NOT_TEXT.sub("", unicodedata.normalize("NFKC", text)).lower()
    return {plain[i : i + 2] for i in range(len(plain) - 1)}


def similarity(first: str | set[str], second: str) -> float:
    """Dice coefficient of the two texts' character pairs (`first` may be its pairs)."""
    a = first if isinstance(first, set) else _pairs(first)
    b = _pairs(second)
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


@dataclass(frozen=True)
class Match:
    case_id: int
    case_no: str
    root: int  # the first case of the matter: repeats are all linked to it
    reasons: tuple[str, ...]
    status: Status
    same_person: bool  # the same ID number, phone, or name and address (not only content)
    ended: str | None = None  # the matter was closed for good (终结): why (finality.py)

    @property
    def being_handled(self) -> bool:
        return self.status in OPEN_STATUSES


def find_earlier(conn: sqlite3.Connection, record: dict[str, Any], received: date) -> list[Match]:
    """Earlier cases that look like the same matter, most recent first."""
    window = int(settings.get(conn, "repeat_window_days") or REPEAT_WINDOW_DAYS)
    span = ((received - timedelta(days=window)).isoformat(), received.isoformat())
    lane = lanes.of(conn)  # the county's role sees other offices' earlier petitions too
    columns = (
        "id, year, seq, name, phone, id_number, address, anonymous, content, status, repeat_of, "
        f"{lane.column('cases')} AS office_id"
    )
    # A case 作废 (registered by mistake) is no earlier petition of anything.
    in_window = (
        "received_at >= ? AND received_at < date(?, '+1 day') "
        f"AND status != '{Status.VOIDED.value}'"
    )
    # The same person, over the whole window, through the indexes.
    same_person = conn.execute(
        f"SELECT {columns}, received_at FROM cases WHERE {in_window} AND "
        "(id_number = ? OR phone = ? OR (name = ? AND address = ?))",
        (*span, record.get("id_number"), record.get("phone"), record.get("name"),
         record.get("address")),
    ).fetchall()  # fmt: skip
    # Similar content: compared in Python, so over the latest petitions of the window only
    # (all of a town's; a city's last few weeks), which keeps registering instant.
    recent = conn.execute(
        f"SELECT {columns}, received_at FROM cases WHERE {in_window} ORDER BY id DESC LIMIT ?",
        (*span, SIMILARITY_LOOKBACK),
    ).fetchall()
    rows = sorted(
        {row["id"]: row for row in [*same_person, *recent]}.values(),
        key=lambda row: (row["received_at"], row["id"]),
        reverse=True,
    )
    pairs = _pairs(record.get("content") or "")  # once, not once per earlier case
    # Before the window: the same petitioner's matters closed for good (终结), on the same
    # facts (similar content) — a 复核 often comes back long after the first petition.
    ended = [row for row in _ended_before(conn, record, span[0], received)
             if similarity(pairs, row["content"]) >= SIMILAR]  # fmt: skip
    matches = []
    for row in [*rows, *ended]:
        reasons = []
        if not record.get("anonymous") and not row["anonymous"]:
            if record.get("id_number") and record["id_number"] == row["id_number"]:
                reasons.append("同一身份证号")
            if record.get("phone") and record["phone"] == row["phone"]:
                reasons.append("同一联系电话")
            same_name = record.get("name") and record["name"] == row["name"]
            if same_name and record.get("address") and record["address"] == row["address"]:
                reasons.append("同一姓名和地址")
        person = bool(reasons)
        score = similarity(pairs, row["content"])
        if score >= SIMILAR:
            reasons.append(f"内容相似（{score:.0%}）")
        if reasons:
            match = _match(row, tuple(reasons), same_person=person, lane=lane)
            matches.append(_ended(conn, match, received))
    return matches


def _ended(conn: sqlite3.Connection, match: Match, day: date) -> Match:
    """The match, saying whether its matter stood closed for good (终结) on `day`."""
    closed = finality.matter_ending(conn, match.root, day)
    return replace(match, ended=closed.why) if closed else match


def _ended_before(
    conn: sqlite3.Connection, record: dict[str, Any], since: str, received: date
) -> list[sqlite3.Row]:
    """The same petitioner's cases before `since` that went to 复查 (the only way to 终结)."""
    if record.get("anonymous"):
        return []
    rows = conn.execute(
        "SELECT id, year, seq, name, phone, id_number, address, anonymous, content, status, "
        f"repeat_of, received_at, {lanes.of(conn).column('cases')} AS office_id "
        "FROM cases WHERE received_at < ? AND anonymous = 0 "
        f"AND status != '{Status.VOIDED.value}' "
        "AND (id_number = ? OR phone = ? OR (name = ? AND address = ?)) "
        "AND id IN (SELECT case_id FROM events WHERE action = 'review') "
        "ORDER BY received_at DESC, id DESC",
        (since, record.get("id_number"), record.get("phone"), record.get("name"),
         record.get("address")),
    ).fetchall()  # fmt: skip
    return [row for row in rows if finality.ending(conn, [row["id"]], received)]


def _match(
    row: sqlite3.Row, reasons: tuple[str, ...], *, same_person: bool, lane: lanes.Lane
) -> Match:
    number = lane.number_of(row)  # another office's with its name, for the county
    status = Status(row["status"])
    return Match(row["id"], number, row["repeat_of"] or row["id"], reasons, status, same_person)


def to_confirm(matches: list[Match]) -> list[Match]:
    """The candidates to ask the clerk about: similar content, when no earlier case is
    the same petitioner's (that one is linked without asking); one per matter."""
    if any(m.same_person for m in matches):
        return []
    return list({m.root: m for m in reversed(matches)}.values())[::-1]


def decide(
    conn: sqlite3.Connection,
    matches: list[Match],
    received: Moment,
    *,
    link_to: str | None,
    automatic: bool,
) -> Match | None:
    """The earlier case a new one is linked to: the one the clerk names (`link_to`), else
    the latest of the same petitioner (unless `automatic` is off: a new matter), else none."""
    if link_to is None:
        return next((m for m in matches if m.same_person), None) if automatic else None
    if not automatic:
        raise InvalidInput("--link", "与 --new-matter（不是重复信访）矛盾；只能用其一")
    target = find(conn, link_to)
    number = target.number
    if received.is_before(target.received_at):
        raise InvalidInput(
            "--link",
            f"{number} 登记于 {target.received_at[:16]}，晚于本件；只能关联此前的信访件",
        )
    found = next((m for m in matches if m.case_id == target.id), None)
    reasons = (*(found.reasons if found else ()), CONFIRMED)
    same = found is not None and found.same_person
    linked = Match(target.id, number, target.repeat_of or target.id, reasons, target.status, same)
    return _ended(conn, linked, received.day)


def count_in_matter(conn: sqlite3.Connection, case: Case) -> int:
    """How many petitions the matter has had, this one included (1: not a repeat)."""
    root = case.repeat_of or case.id
    row = conn.execute(
        "SELECT count(*) FROM cases WHERE id = ? OR repeat_of = ?", (root, root)
    ).fetchone()
    return int(row[0])
