"""The two stores' few differences, named once, so that the core's SQL is written once.

Design note (issue 20; surveyed on the tree of 2026-11-30)
==========================================================

How the code talks to SQLite today
----------------------------------
- 65 modules name `sqlite3.Connection` (272 mentions, nearly all type annotations); 223
  `execute`/`executemany`/`executescript` calls in 43 modules. They use a small subset of
  sqlite3: `execute(sql, params)` with `?` placeholders (a few `:name`),
  `fetchone/fetchall/iteration`, `executemany`, `cursor.lastrowid` (3 places),
  `in_transaction` (1), and rows as `sqlite3.Row` (by name, by index, `keys()`; 19 places name
  the type, `Case.from_row` tests `isinstance(row, sqlite3.Row)`).
- One transaction per action: `store.db.transaction()` issues `BEGIN IMMEDIATE` (plus two in
  migrations); the connection is otherwise in autocommit (`isolation_level=None`).
- SQLite-only SQL, by kind:
  * JSON: `json_extract(data, '$.key')` 17 lines / 9 files; `json_each(?)` as an IN-list of a
    JSON array (privacy, settings) and over `$.imported_extra` (migration 12, FTS trigger).
    `json_extract` returns typed values (1 for true); PostgreSQL's `->>` returns text.
  * Full-text: one `cases_fts MATCH` (reporting/query.py) over an FTS5 trigram table kept by
    four triggers (schema.sql).
  * Upserts: `ON CONFLICT … DO UPDATE SET … excluded.…` 11 places (already PostgreSQL
    syntax), `max(sequences.last, excluded.last)` twice (GREATEST there), `INSERT OR IGNORE` 4
    (migrations only; = `ON CONFLICT DO NOTHING`).
  * Numbers: `next_in_sequence` is an upsert `… RETURNING last`: the row lock it takes is
    the "sequence row locked FOR UPDATE" on both stores; gap-free because it rolls back
    with the case.
  * Dates are ISO text in TEXT columns and compared as text (portable as is). Date
    arithmetic: `date(?, '+1 day')` 9 places (reporting, repeats), `julianday(a) -
    julianday(b)` once (overdue).
  * Formatting: `printf('%d-%04d', year, seq)` 5 places (the short case number).
  * `group_concat` 2, `substr` 4 (substr exists in both), `rowid` in FTS and WITHOUT ROWID
    tables, `GLOB` none in SQL.
  * Store machinery, not core SQL: `PRAGMA` 22 lines in db/backup/migrations/doctor
    (user_version, integrity_check, foreign_key_check, journal_mode), `sqlite_master` 3,
    `ATTACH` and `Connection.backup` (backup, bundles, archive folders), a TEMP table in
    import. These stay behind store functions with one implementation per store
    (pg_dump/pg_restore, `amcheck`, a `schema_version` row).
  * The calendar's running count (`calendar.workdays_so_far`) is a plain column filled by
    Python: portable as is; the one `group_concat(workday * 2 + known, '')` becomes
    `string_agg` through `concat_all()` below.

The seam recommended
--------------------
1. A thin connection wrapper (`xinfang/store/pg.py`) that offers exactly the sqlite3 subset
   above over psycopg 3: `execute`/`executemany` returning a cursor with
   `fetchone/fetchall/__iter__/lastrowid/rowcount`, rows that answer by name, by index and
   `keys()` (psycopg row factory), `?` and `:name` placeholders translated once per
   statement text (`translate()` below, cached), Python bools sent as 0/1 (the flags are
   INTEGER columns on both stores, so `WHERE urgent = 1` stays one text). The core keeps
   typing `sqlite3.Connection` until a `Protocol` (`store.db.Ledger`) replaces the 272
   annotations in one mechanical commit; `Case.from_row` tests for the Row protocol, not the
   class.
2. `transaction()` dispatches on the store: SQLite `BEGIN IMMEDIATE`; PostgreSQL
   `BEGIN ISOLATION LEVEL READ COMMITTED` — every write the core makes is either a single
   row it then owns (a new case) or a row it locks first (the sequence upsert, the case row
   `SELECT … FOR UPDATE` in `act`, which SQLite gets for free from its single writer and
   the PostgreSQL dialect adds through `lock_case()`).
3. A handful of named dialect functions (this module), each returning an SQL fragment,
   used where the core today writes the SQLite spelling: `json_text`, `day_after`,
   `days_between`, `case_no`, `greatest`, `concat_all`, `in_json_list`, `text_search`.
   Everything else in the core's SQL is already common to both.
4. `lastrowid` is replaced in the core by `INSERT … RETURNING id` (SQLite has had RETURNING
   since 3.35), the 3 places that use it; the wrapper's `lastrowid` exists only until then.

Found while making `register` and `show` run on PostgreSQL (store/pg_ledger.py COMPAT, the
bridge until the core calls these functions): `x IS ?` (SQLite's NULL-safe equality;
PostgreSQL needs IS NOT DISTINCT FROM), a subquery in FROM without a name (PostgreSQL 15
wants one), upserts on an office's own tables must name office_id in the conflict key,
`SET last = last + 1` is spelt `sequences.last + 1`, `lpad` cuts numbers past 9999.
Still open: `SELECT *` brings office_id into `show --json` (query.HIDDEN_COLUMNS); the
county's role sees every town's 2026-0001, so its case numbers need the office; the
calendar is shared but `calendar_source` is each office's setting.

Why psycopg without an ORM: the core's SQL is hand-written, set-based (the reports, the
overdue scan, the unit ranking are single queries over events with JSON access) and already
99% common SQL; an ORM (SQLAlchemy Core or ORM) would be a second way of writing each of
those queries, 30–60 ms more import on every command (the CLI's budget for `show` is less
than that), and it would still need the dialect functions above for JSON and search. The
wrapper plus eight functions is a few hundred lines; an ORM migration would touch all 223
call sites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True)
class Dialect:
    """SQL fragments that differ between the stores. `name` is 'sqlite' or 'postgresql'."""

    name: str

    @property
    def postgres(self) -> bool:
        return self.name == "postgresql"

    def json_text(self, column: str, key: str) -> str:
        """The value at `key` (dotted path) of a JSON text column, as text or NULL."""
        if self.postgres:
            path = ",".join(key.split("."))
            return f"({column}::jsonb #>> '{{{path}}}')"
        return f"json_extract({column}, '$.{key}')"

    def day_after(self, day: str) -> str:
        """The ISO day after `day` (an ISO date or timestamp text), as text."""
        if self.postgres:
            return f"(substr({day}, 1, 10)::date + 1)::text"
        return f"date({day}, '+1 day')"

    def days_between(self, later: str, earlier: str) -> str:
        """Whole days from `earlier` to `later`, both ISO dates (not times: SQLite would
        count a part of a day, PostgreSQL whole calendar days), as an integer."""
        if self.postgres:
            return f"(substr({later}, 1, 10)::date - substr({earlier}, 1, 10)::date)"
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"

    def case_no(self, year: str, seq: str) -> str:
        """The short case number 2026-0001 (numbering.short_number) in SQL."""
        if self.postgres:
            # lpad cuts a longer text to the width: 12345 must stay 12345
            number = f"{seq}::text"
            return f"({year}::text || '-' || lpad({number}, greatest(4, length({number})), '0'))"
        return f"printf('%d-%04d', {year}, {seq})"

    def greatest(self, first: str, second: str) -> str:
        return f"greatest({first}, {second})" if self.postgres else f"max({first}, {second})"

    def concat_all(self, expression: str, separator: str) -> str:
        """The aggregate joining texts (group_concat / string_agg)."""
        if self.postgres:
            return f"string_agg(({expression})::text, {separator})"
        return f"group_concat({expression}, {separator})"

    def in_json_list(self, column: str, *, integers: bool = False) -> str:
        """`column IN` the JSON array given as the one parameter (of texts, or of integers:
        PostgreSQL's elements are texts, SQLite's keep their JSON type)."""
        if self.postgres:
            cast = "::bigint" if integers else ""
            return f"{column} IN (SELECT (jsonb_array_elements_text(?::jsonb)){cast})"
        return f"{column} IN (SELECT value FROM json_each(?))"

    def text_search(self, id_column: str) -> str:
        """Cases whose name, content, address or notes contain the one parameter (a plain
        phrase of 3+ characters: both indexes are trigram indexes)."""
        if self.postgres:
            return (
                f"{id_column} IN (SELECT case_id FROM case_texts WHERE body LIKE '%' || ? || '%')"
            )
        return f"{id_column} IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?)"


SQLITE = Dialect("sqlite")
POSTGRES = Dialect("postgresql")


def new_ids(conn: Any, table: str, count: int) -> list[int]:
    """Ids for `count` rows of `table` that the caller writes later in its transaction (the
    importer links a case's events to it before writing either). SQLite's writer holds the
    one lock, so the numbers after the largest are free; the county's ids are shared by
    every office, whose rows a clerk cannot see, so they come from the identity sequence."""
    if dialect_of(conn).postgres:
        rows = conn.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, ?)",
            (count,),
        ).fetchall()
        return [int(row[0]) for row in rows]
    first = int(conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0])
    return list(range(first, first + count))


def dialect_of(conn: object) -> Dialect:
    """The dialect of a ledger connection: the county's (store/pg_ledger.PgLedger) carries
    POSTGRES; sqlite3's connection has no such attribute."""
    return getattr(conn, "dialect", SQLITE)


# A quoted literal, a quoted name, a comment, or a placeholder/percent sign outside them.
_TOKENS = re.compile(
    r"""('(?:[^']|'')*')|("(?:[^"]|"")*")|(--[^\n]*)|(\?)|(?<!:):([A-Za-z_]\w*)|(%)"""
)


@lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """sqlite3's paramstyle to psycopg's: `?` -> `%s`, `:name` -> `%(name)s` (not `::type`),
    and every literal `%` doubled (psycopg reads `%` in the whole text, literals included)."""

    def one(match: re.Match[str]) -> str:
        literal, name, comment, question, named, percent = match.groups()
        if literal is not None:
            return literal.replace("%", "%%")
        if name is not None or comment is not None:
            return (name or comment).replace("%", "%%")
        if question is not None:
            return "%s"
        if named is not None:
            return f"%({named})s"
        assert percent is not None
        return "%%"

    return _TOKENS.sub(one, sql)
