"""Repeat petitions: at registration, the earlier cases of the same petitioner (ID number,
phone, or name and address) or with closely similar content, within the office's window
(`repeat_window_days`; content is compared with the latest 3,000 petitions of it).
Similarity is counted on Chinese character pairs, so a complaint retold with other
punctuation or in another order still matches; no word splitting."""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from xinfang.core import settings
from xinfang.core.numbering import short_number
from xinfang.core.states import OPEN_STATUSES, Status
from xinfang.core.vocabulary import REPEAT_WINDOW_DAYS, SIMILAR, SIMILARITY_LOOKBACK

_NOT_TEXT = re.compile(r"[\W_]+", re.UNICODE)


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

    @property
    def being_handled(self) -> bool:
        return self.status in OPEN_STATUSES


def find_earlier(conn: sqlite3.Connection, record: dict[str, Any], received: date) -> list[Match]:
    """Earlier cases that look like the same matter, most recent first."""
    window = int(settings.get(conn, "repeat_window_days") or REPEAT_WINDOW_DAYS)
    span = ((received - timedelta(days=window)).isoformat(), received.isoformat())
    columns = (
        "id, year, seq, name, phone, id_number, address, anonymous, content, status, repeat_of"
    )
    in_window = "received_at >= ? AND received_at < date(?, '+1 day')"
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
    matches = []
    for row in rows:
        reasons = []
        if not record.get("anonymous") and not row["anonymous"]:
            if record.get("id_number") and record["id_number"] == row["id_number"]:
                reasons.append("同一身份证号")
            if record.get("phone") and record["phone"] == row["phone"]:
                reasons.append("同一联系电话")
            same_name = record.get("name") and record["name"] == row["name"]
            if same_name and record.get("address") and record["address"] == row["address"]:
                reasons.append("同一姓名和地址")
        score = similarity(pairs, row["content"])
        if score >= SIMILAR:
            reasons.append(f"内容相似（{score:.0%}）")
        if reasons:
            matches.append(
                Match(
                    row["id"],
                    short_number(row["year"], row["seq"]),
                    row["repeat_of"] or row["id"],
                    tuple(reasons),
                    Status(row["status"]),
                )
            )
    return matches


def count_in_matter(conn: sqlite3.Connection, case: sqlite3.Row) -> int:
    """How many petitions the matter has had, this one included (1: not a repeat)."""
    root = case["repeat_of"] or case["id"]
    row = conn.execute(
        "SELECT count(*) FROM cases WHERE id = ? OR repeat_of = ?", (root, root)
    ).fetchone()
    return int(row[0])
