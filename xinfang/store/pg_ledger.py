"""A clerk's connection to the county ledger: psycopg 3 behind the subset of sqlite3 the
core uses (store/dialect.py has the survey and the design), so the core runs unchanged.

- `execute`/`executemany` take sqlite3's `?` and `:name` placeholders; cursors answer
  `fetchone`/`fetchall`/iteration/`rowcount`/`lastrowid`; rows answer by index, by name
  and `keys()`, as sqlite3.Row does. Python bools go as 0/1: the flags are integers.
- The connection is in autocommit, as xinfang's sqlite3 connections are; `transaction()`
  sends BEGIN and COMMIT (READ COMMITTED: every write the core makes either inserts a new
  row or updates a row it has locked, the number sequence first).
- COMPAT below: the SQLite spellings the core still writes, each rewritten to its dialect
  fragment. It is the bridge until the core calls `Dialect` itself; a rule whose spelling is
  gone from the core is deleted (tests/test_pg_register.py lists them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from xinfang.core.errors import XinfangError
from xinfang.store.dialect import POSTGRES, translate

if TYPE_CHECKING:
    import psycopg

LANE_TABLES = ("settings", "choices", "units", "sequences", "reception_days")
ID_TABLES = ("cases", "events", "rule_versions", "attachments", "loans")

D = POSTGRES
# (name, pattern, replacement): the SQLite spellings surveyed in dialect.py.
COMPAT: list[tuple[str, re.Pattern[str], Any]] = [
    ("begin", re.compile(r"^\s*BEGIN IMMEDIATE\s*$"), "BEGIN ISOLATION LEVEL READ COMMITTED"),
    (
        "day_after",
        re.compile(r"\bdate\(([^(),]+), '\+1 day'\)"),
        lambda m: D.day_after(m.group(1)),
    ),
    (
        "case_no",
        re.compile(r"printf\('%d-%04d', ([\w.]+), ([\w.]+)\)"),
        lambda m: D.case_no(m.group(1), m.group(2)),
    ),
    (
        "json_text",
        re.compile(r"json_extract\(([\w.]+), '\$\.([\w.]+)'\)"),
        lambda m: D.json_text(m.group(1), m.group(2)),
    ),
    (
        "concat_all",
        re.compile(r"group_concat\(([^(),]+), ('[^']*')\)"),
        lambda m: D.concat_all(m.group(1), m.group(2)),
    ),
    (
        "days_between",
        re.compile(r"CAST\(julianday\(([^()]+)\) - julianday\(([^()]+)\) AS INTEGER\)"),
        lambda m: D.days_between(m.group(1), m.group(2)),
    ),
    (
        "greatest",
        re.compile(r"\bmax\(([\w.]+), ([\w.]+)\)"),
        lambda m: D.greatest(m.group(1), m.group(2)),
    ),
    # PostgreSQL 15 wants a name for a subquery in FROM (16 no longer does).
    (
        "subquery_alias",
        re.compile(
            r"(FROM \(SELECT [^()]*(?:\([^()]*\)[^()]*)*\))"
            r"(?=\s*(?:$|\)|WHERE|ORDER|GROUP|UNION|,))"
        ),
        lambda m: m.group(1) + " AS sub",
    ),
    # SQLite's index hint (list's first page); PostgreSQL's planner takes no hints.
    ("indexed_by", re.compile(r" INDEXED BY \w+"), ""),
    # `a IS ?`, SQLite's NULL-safe equality; PostgreSQL's IS takes no parameter.
    (
        "null_safe_equal",
        re.compile(r"\bIS (NOT )?\?"),
        lambda m: "IS DISTINCT FROM ?" if m.group(1) else "IS NOT DISTINCT FROM ?",
    ),
    # An office's rows are keyed by office too: its upserts name the whole key.
    (
        "lane_upsert",
        re.compile(rf"(INSERT INTO (?:{'|'.join(LANE_TABLES)})\b.*?ON CONFLICT \()", re.S),
        lambda m: m.group(1) + "office_id, ",
    ),
    # `last = last + 1`: the existing row's, spelt as PostgreSQL wants it.
    ("sequence_last", re.compile(r"SET last = last \+ 1"), "SET last = sequences.last + 1"),
]


@lru_cache(maxsize=1024)
def to_postgres(sql: str) -> str:
    """The core's SQLite text as PostgreSQL runs it (cached: the core's texts are few)."""
    for _name, pattern, replacement in COMPAT:
        sql = pattern.sub(replacement, sql)
    if re.match(rf"\s*INSERT INTO ({'|'.join(ID_TABLES)})\b", sql) and "RETURNING" not in sql:
        sql += " RETURNING id"  # for lastrowid
    return translate(sql)


class Row:
    """A result row by index, by name (case-insensitive, as sqlite3.Row) and keys()."""

    __slots__ = ("_index", "_names", "_values")

    def __init__(
        self, values: Sequence[Any], names: tuple[str, ...], index: dict[str, int]
    ) -> None:
        self._values = tuple(values)
        self._names = names
        self._index = index

    def __getitem__(self, key: int | str | slice) -> Any:
        if isinstance(key, str):
            try:
                return self._values[self._index[key.lower()]]
            except KeyError:
                raise IndexError(f"No item with that key: {key}") from None
        return self._values[key]

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Row) and other._values == self._values

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._names, self._values, strict=True))!r})"

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: Any) -> Any:
    names = tuple(column.name for column in cursor.description or ())
    index: dict[str, int] = {}
    for position, name in enumerate(names):
        index.setdefault(name.lower(), position)  # the first of equal names, as sqlite3
    return lambda values: Row(values, names, index)


class Cursor:
    def __init__(self, cursor: Any, lastrowid: int | None = None) -> None:
        self._cursor = cursor
        self.lastrowid = lastrowid
        self.rowcount: int = cursor.rowcount

    def _has_rows(self) -> bool:
        return self._cursor.description is not None

    def fetchone(self) -> Row | None:
        return self._cursor.fetchone() if self._has_rows() else None

    def fetchall(self) -> list[Row]:
        return self._cursor.fetchall() if self._has_rows() else []

    def fetchmany(self, size: int = 1) -> list[Row]:
        return self._cursor.fetchmany(size) if self._has_rows() else []

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())

    @property
    def description(self) -> Any:
        return self._cursor.description


class StatementCursor:
    """sqlite3's `conn.cursor()`: executed, then read (two may be read side by side)."""

    def __init__(self, ledger: PgLedger) -> None:
        self._ledger = ledger
        self._done: Cursor | None = None
        self.row_factory: Any = None  # accepted for sqlite3's sake

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> StatementCursor:
        self._done = self._ledger.execute(sql, params)
        return self

    def fetchone(self) -> Row | None:
        return self._done.fetchone() if self._done else None

    def fetchall(self) -> list[Row]:
        return self._done.fetchall() if self._done else []

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())


class PgLedger:
    """The sqlite3.Connection subset over one psycopg connection."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn
        self.row_factory: Any = None  # accepted for sqlite3's sake; rows are always Rows
        self.dialect = POSTGRES
        self.office: str | None = None  # the role's office and standing, read on connecting
        self.sees_all = False
        from xinfang.store.db import data_dir

        # store.db.ledger_path: the files beside the ledger go to <data dir>/<database>-files
        self.local_path = data_dir() / f"{conn.info.dbname}.county"

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Cursor:
        text = to_postgres(sql)
        cursor = self._conn.cursor(row_factory=_row_factory)
        cursor.execute(text.encode(), params or None)
        lastrowid = None
        if text.endswith(" RETURNING id") and not sql.rstrip().endswith("RETURNING id"):
            row = cursor.fetchone()
            lastrowid = int(row[0]) if row else None
        return Cursor(cursor, lastrowid)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any] | Mapping[str, Any]]) -> Cursor:
        text = to_postgres(sql)
        if text.endswith(" RETURNING id") and not sql.rstrip().endswith("RETURNING id"):
            text = text.removesuffix(" RETURNING id")
        cursor = self._conn.cursor(row_factory=_row_factory)
        cursor.executemany(text.encode(), list(rows))
        return Cursor(cursor)

    def cursor(self) -> StatementCursor:
        return StatementCursor(self)

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self._conn.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> PgLedger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _bools_as_integers(conn: psycopg.Connection[Any]) -> None:
    from psycopg.adapt import Dumper
    from psycopg.postgres import types

    class BoolAsInt(Dumper):
        oid = types["int4"].oid

        def dump(self, obj: Any) -> bytes:
            return b"1" if obj else b"0"

    conn.adapters.register_dumper(bool, BoolAsInt)


def connect(dsn: str) -> PgLedger:
    """A clerk's ledger: the role of the DSN must be in an office's lane; its office gets its
    settings, lists and the calendar on first use."""
    from xinfang.store import pg
    from xinfang.store.db import SCHEMA_VERSION

    psycopg_module: Any = pg.driver()
    try:
        conn = psycopg_module.connect(dsn, autocommit=True)
    except psycopg_module.OperationalError as error:
        raise XinfangError(f"无法连接县级台账数据库：{str(error).strip()}") from None
    _bools_as_integers(conn)
    ledger = PgLedger(conn)
    try:
        # One round trip: every command opens a connection.
        version, office, sees_all, role, prepared = ledger.execute(
            "SELECT (SELECT max(version) FROM store_version), office_of(current_user), "
            "sees_all(current_user), current_user, "
            "EXISTS (SELECT 1 FROM settings WHERE key = 'office_id')"
        ).fetchone()  # type: ignore[misc]
        if version != SCHEMA_VERSION:
            raise XinfangError(
                f"县级台账的结构版本为 {version or '未知'}，本程序为 "
                f"{SCHEMA_VERSION}；请管理员先升级数据库"
            )
        if office is None:
            raise XinfangError(
                f"数据库角色 {role} 尚未分配到任何单位；请管理员用 xinfang grant 指定它所属的单位"
            )
        if not prepared:
            _prepare_office(ledger, str(office))
        ledger.office, ledger.sees_all = str(office), bool(sees_all)  # core/life/lanes.py
    except BaseException:
        ledger.close()
        raise
    return ledger


_SEEDED = re.compile(r"^INSERT INTO (settings|choices|units)\b", re.S)


def _prepare_office(ledger: PgLedger, office: str) -> None:
    """An office's first use: the settings, lists and units a new SQLite ledger starts with
    (schema.sql's own rows, in the office's lane), its identity, and the calendar. Under an
    advisory lock: two clerks of a new office starting at once seed it once."""
    if ledger.execute("SELECT 1 FROM settings WHERE key = 'office_id'").fetchone():
        return
    from xinfang.core.clock import workdays
    from xinfang.store import migrations
    from xinfang.store.db import transaction

    with transaction(ledger):  # type: ignore[arg-type]  # the sqlite3 subset (see dialect.py)
        ledger.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (office,))
        if ledger.execute("SELECT 1 FROM settings WHERE key = 'office_id'").fetchone():
            return
        for statement in migrations._statements(migrations.schema_sql()):
            if _SEEDED.match(statement):
                ledger.execute(statement)
        ledger.execute(
            "INSERT INTO settings (key, value) VALUES ('office_id', ?)", (json.dumps(office),)
        )
        # The calendar is the county's, shared by every office: one office builds it.
        ledger.execute("SELECT pg_advisory_xact_lock(hashtext('xinfang calendar'))")
        if workdays.is_stale(ledger):  # type: ignore[arg-type]
            workdays.rebuild(ledger)  # type: ignore[arg-type]
