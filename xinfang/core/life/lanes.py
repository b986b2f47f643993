"""Case numbers where one ledger holds several offices' cases (the county's PostgreSQL
ledger): each town numbers its own, so the county's role, which sees them all, has several
2026-0001. A number is then written with its office, `沙河镇/2026-0001`.

- A town's clerk (and every SQLite ledger: one office) reads and types bare numbers, as ever.
- A role that sees other offices' cases reads its own bare and the others' qualified
  (`Lane.number`, the one place a case row becomes its shown number); a bare number it types
  means its own office's case, else the only case of that number, else it is refused with
  the candidates named (`resolve`)."""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from xinfang.core.errors import InvalidInput
from xinfang.core.intake.numbering import parse_case_number, short_number
from xinfang.core.words import pick

if TYPE_CHECKING:
    from xinfang.core.life.case import Case

SEPARATOR = "/"


@dataclass(frozen=True)
class Lane:
    office: str | None  # the connection's office; None: a SQLite ledger (one office)
    sees_all: bool  # the county's role: other offices' cases are in its lists
    names: Mapping[str, str] = field(default_factory=dict)  # office_id -> its name

    @property
    def shared(self) -> bool:
        """A ledger of several offices (PostgreSQL), whatever this role may see of it."""
        return self.office is not None

    def qualify(self, number: str, office_id: str | None) -> str:
        """A case number as this role reads it: another office's with its office's name."""
        if not self.sees_all or office_id is None or office_id == self.office:
            return number
        return f"{self.names.get(office_id, office_id)}{SEPARATOR}{number}"

    def number(self, year: int, seq: int, office_id: str | None) -> str:
        return self.qualify(short_number(year, seq), office_id)

    def number_of(self, row: Any) -> str:
        """The shown number of a case row (a `SELECT *` of cases, or year, seq and office_id)."""
        return self.number(row["year"], row["seq"], office_of_row(row))

    def column(self, alias: str) -> str:
        """The SQL giving a case's office in a query over `cases AS alias` (NULL on SQLite)."""
        return f"{alias}.office_id" if self.shared else "NULL"


_ONE_OFFICE = Lane(None, False)
_KNOWN: weakref.WeakKeyDictionary[Any, Lane] = weakref.WeakKeyDictionary()


def of(conn: sqlite3.Connection) -> Lane:
    """The lane of the connection's role, read once per connection."""
    dialect = getattr(conn, "dialect", None)
    if dialect is None or not dialect.postgres:
        return _ONE_OFFICE
    known = _KNOWN.get(conn)
    if known is None:
        office, sees_all = getattr(conn, "office", None), getattr(conn, "sees_all", False)
        if office is None:  # a connection not opened by store.db.connect (completion's)
            office, sees_all = conn.execute(
                "SELECT office_of(current_user), sees_all(current_user)"
            ).fetchone()
        names = dict(conn.execute("SELECT office_id, name FROM offices").fetchall())
        known = _KNOWN[conn] = Lane(str(office), bool(sees_all), names)
    return known


def shown(conn: sqlite3.Connection, case: Case) -> str:
    """A case's number as the connection's role reads it (what an action tells the clerk,
    who may type it back)."""
    lane = of(conn)
    if not lane.sees_all:
        return case.number
    office = conn.execute("SELECT office_id FROM cases WHERE id = ?", (case.id,)).fetchone()
    return lane.qualify(case.number, office[0] if office else None)


def office_of_row(row: Any) -> str | None:
    keys = row.keys()
    return row["office_id"] if "office_id" in keys else None


def split(conn: sqlite3.Connection, ref: str) -> tuple[str | None, tuple[int, int]]:
    """`沙河镇/2026-0001` -> (沙河镇's office_id, (2026, 1)); a bare number's office is None.
    The office may be named by any part of its name only it has."""
    office_text, sep, number = ref.rpartition(SEPARATOR)
    if not sep or not office_text.strip() or office_text.strip().isdigit():  # 2026/0001: a typo
        return None, parse_case_number(ref)
    year_seq = parse_case_number(number)
    lane = of(conn)
    if not lane.shared:
        raise InvalidInput(
            "案件编号",
            f"“{ref.strip()}”写了单位，但本台账只有一个单位，编号不写单位："
            f"请写 {short_number(*year_seq)}",
        )
    names = [(name, office_id) for office_id, name in lane.names.items()]
    return pick(office_text, names, "单位", "单位"), year_seq


def resolve(conn: sqlite3.Connection, ref: str) -> Any | None:
    """The `cases` row a number the clerk typed means (None: no such case in sight)."""
    office, (year, seq) = split(conn, ref)
    if office is not None:
        return conn.execute(
            "SELECT * FROM cases WHERE office_id = ? AND year = ? AND seq = ?", (office, year, seq)
        ).fetchone()
    lane = of(conn)
    if not lane.sees_all:  # one office's cases in sight: a number is one case
        return conn.execute(
            "SELECT * FROM cases WHERE year = ? AND seq = ?", (year, seq)
        ).fetchone()
    rows = conn.execute(
        "SELECT * FROM cases WHERE year = ? AND seq = ? ORDER BY office_id", (year, seq)
    ).fetchall()
    return choose(lane, rows, short_number(year, seq))


def choose(lane: Lane, rows: Sequence[Any], number: str) -> Any | None:
    """Of the cases of one bare number: the role's own office's, else the only one."""
    own = [row for row in rows if office_of_row(row) == lane.office]
    if own or len(rows) <= 1:
        return (own or rows or [None])[0]
    named = sorted(lane.number_of(row) for row in rows)
    raise InvalidInput("案件编号", f"{number} 有 {len(rows)} 件：{'、'.join(named)}；请写明单位")


def beside(conn: sqlite3.Connection, case_id: int, year: int, seq: int) -> Any | None:
    """The case numbered year-seq in the office of case `case_id`: a number an event of
    that case names (a link, a join) is its own office's."""
    if not of(conn).shared:
        return conn.execute(
            "SELECT * FROM cases WHERE year = ? AND seq = ?", (year, seq)
        ).fetchone()
    return conn.execute(
        "SELECT * FROM cases WHERE year = ? AND seq = ? "
        "AND office_id = (SELECT office_id FROM cases WHERE id = ?)",
        (year, seq, case_id),
    ).fetchone()
