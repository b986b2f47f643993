"""Case numbers: a yearly sequence typed as `2026-0001`, printed on documents as the
office's formal number `临民信〔2026〕1号`. Either form finds the case."""

from __future__ import annotations

import re
import sqlite3

from xinfang.core.errors import InvalidInput

_SHORT = re.compile(r"^\s*(\d{4})\s*-\s*(\d{1,6})\s*$")
_BARE = re.compile(r"^\s*(\d{1,6})\s*$")  # 17: this year's 2026-0017
# 〔2026〕1号 with any prefix; also the brackets clerks type instead of 〔〕.
_FORMAL = re.compile(r"^\s*\S*?[〔\[［(（【]\s*(\d{4})\s*[〕\]］)）】]\s*第?\s*(\d{1,6})\s*号?\s*$")


def short_number(year: int, seq: int) -> str:
    return f"{year}-{seq:04d}"


def formal_number(prefix: str, year: int, seq: int) -> str:
    return f"{prefix}〔{year}〕{seq}号"


def parse_case_number(text: str) -> tuple[int, int]:
    """`2026-0001`, `2026-1` or `临民信〔2026〕1号` -> (2026, 1); a number alone is this
    year's (every command taking a case number reads it here)."""
    bare = _BARE.match(text)
    if bare:
        from xinfang.core.clock.dates import today

        return today().year, int(bare.group(1))
    match = _SHORT.match(text) or _FORMAL.match(text)
    if not match:
        raise InvalidInput(
            "案件编号",
            f"无法识别“{text}”；请写成 2026-0001、17（今年的第 17 号）或 临民信〔2026〕1号 的形式",
        )
    return int(match.group(1)), int(match.group(2))


def next_in_sequence(conn: sqlite3.Connection, name: str, year: int) -> int:
    """Take the next number of a yearly sequence; call inside the write transaction."""
    row = conn.execute(
        "INSERT INTO sequences (name, year, last) VALUES (?, ?, 1) "
        "ON CONFLICT (name, year) DO UPDATE SET last = last + 1 RETURNING last",
        (name, year),
    ).fetchone()
    return int(row[0])
