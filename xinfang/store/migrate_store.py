"""`xinfang migrate-store FROM TO`: a whole ledger moved between the stores — a town's SQLite
file into its office's lane of the county's PostgreSQL ledger, or an office's lane back out
into a new SQLite file.

What is copied is driven by the schemas, not by a list per table: every table of schema.sql
(in the order its foreign keys need), with the columns both sides have (office_id, on
PostgreSQL only, is filled there by its defaults and triggers). What is not copied, and why:
- the text index (SQLite's cases_fts, PostgreSQL's case_texts): each store's triggers build it
  as the cases and their events are inserted; it is checked afterwards, notes and all;
- `calendar`: derived from calendar_entries and chinese-calendar, rebuilt where it changed.

PostgreSQL's ids are shared by every office, so ids are never carried over: each table with an
`id` takes fresh ones on the target, in the same order, and every column whose foreign key
names such a table (events.case_id, cases.repeat_of, cases.rule_version …) is renamed with
them. Events name other cases by their number (link, join, repeat), never by id, and case
numbers do not change. rule_versions and calendar_entries are shared on PostgreSQL: a
version is matched to an equal row there or added; an entry must agree with the county's.

One transaction on the target, inserts only (events accept nothing else), counted against
the source before it commits. A new SQLite file is made under a temporary name and linked in
only when whole.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xinfang.core.clock import workdays
from xinfang.core.errors import InvalidInput, XinfangError
from xinfang.core.progress import COPY, Progress, counted
from xinfang.store import migrations
from xinfang.store.db import connect, is_dsn, transaction
from xinfang.store.files import private_dir

FROM, TO = "源台账", "目标台账"
DERIVED = ("calendar",)  # rebuilt on the target from what is copied
BATCH = 2_000  # rows per executemany


@dataclass
class Moved:
    source: str
    target: str
    office_id: str
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows copied


@dataclass(frozen=True)
class _Table:
    name: str
    has_id: bool  # an INTEGER PRIMARY KEY id: fresh ids on the target
    refs: dict[str, str]  # column -> the id table it names
    key: tuple[str, ...]  # the primary key


def _tables() -> list[_Table]:
    """schema.sql's tables (text index and derived tables aside), parents first."""
    ref = migrations.reference(migrations.LATEST)
    try:
        names = [
            name
            for (name,) in ref.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
                "'CREATE VIRTUAL%' AND name NOT LIKE 'cases^_fts%' ESCAPE '^' ORDER BY rowid"
            )
            if name not in DERIVED
        ]
        found: dict[str, _Table] = {}
        parents: dict[str, set[str]] = {}
        for name in names:
            info = ref.execute(f"PRAGMA table_info({name})").fetchall()
            keys = tuple(row[1] for row in sorted(info, key=lambda r: r[5]) if row[5])
            has_id = keys == ("id",)
            refs = {}
            parents[name] = set()
            for row in ref.execute(f"PRAGMA foreign_key_list({name})"):
                target, column, to = row[2], row[3], row[4]
                parents[name].add(target)
                if to in (None, "id"):
                    refs[column] = target
            found[name] = _Table(name, has_id, refs, keys)
    finally:
        ref.close()
    ordered: list[_Table] = []
    while len(ordered) < len(found):
        for name, table in found.items():
            done = {t.name for t in ordered}
            if name not in done and parents[name] - {name} <= done:
                ordered.append(table)
                break
    return ordered


def _is_pg(conn: Any) -> bool:
    return not isinstance(conn, sqlite3.Connection)


def _columns(conn: Any, table: str) -> list[str]:
    if _is_pg(conn):
        rows = conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "AND table_schema = 'public' ORDER BY ordinal_position",
            (table,),
        )
        return [str(row[0]) for row in rows]
    return [str(row[1]) for row in conn.execute(f"PRAGMA table_info({table})")]


@dataclass
class _Side:
    conn: Any
    office: str | None  # PostgreSQL: the lane (its rows are filtered to it)

    def lane(self, table: str) -> tuple[str, tuple[str, ...]]:
        """The WHERE for this side's rows of a table (an office's lane on PostgreSQL)."""
        if self.office is not None and "office_id" in _columns(self.conn, table):
            return " WHERE office_id = ?", (self.office,)
        return "", ()

    def count(self, table: str) -> int:
        where, params = self.lane(table)
        return int(self.conn.execute(f"SELECT count(*) FROM {table}{where}", params).fetchone()[0])


def _office_of_sqlite(conn: sqlite3.Connection) -> tuple[str, str]:
    values = dict(
        conn.execute("SELECT key, value FROM settings WHERE key IN ('office_id', 'unit_name')")
    )
    return json.loads(values.get("office_id", '""')), json.loads(values.get("unit_name", '""'))


def _check_source_file(source: str) -> None:
    path = Path(source).expanduser()
    if not path.is_file():
        raise InvalidInput(FROM, f"{path} 不存在或不是文件")
    if not os.access(path, os.R_OK):
        raise InvalidInput(FROM, f"{path} 无法读取（权限不足）")


def _open_source(source: str) -> _Side:
    if is_dsn(source):
        conn = connect(source)
        return _Side(conn, str(conn.execute("SELECT office_of(current_user)").fetchone()[0]))
    return _Side(connect(Path(source).expanduser(), create=False), None)


def _check_pg_target(target: _Side, lite: sqlite3.Connection) -> None:
    office_id, unit_name = _office_of_sqlite(lite)
    conn = target.conn
    role = conn.execute("SELECT current_user").fetchone()[0]
    if target.office != office_id:
        raise InvalidInput(
            TO,
            f"角色 {role} 不是本台账单位（{unit_name}，单位标识 {office_id}）的经办人；请管理员先执行："
            f"xinfang office add {unit_name} --role {role} --id {office_id} --db 管理员的连接地址",
        )
    held = target.count("cases")
    if held:
        raise InvalidInput(
            TO, f"县级台账中单位“{unit_name}”已有 {held} 件案件；只能迁入还没有案件的单位"
        )


def migrate(source: str, target: str, *, progress: Progress | None = None) -> Moved:
    """Copy the ledger at `source` into `target` (one a path, the other a postgresql://
    address), whole or not at all; the rows copied, table by table."""
    if source == target or (
        not is_dsn(source)
        and not is_dsn(target)
        and Path(source).expanduser().resolve() == Path(target).expanduser().resolve()
    ):
        raise InvalidInput(TO, "源台账和目标台账是同一个")
    if not is_dsn(source):
        _check_source_file(source)
    if is_dsn(source) == is_dsn(target):
        raise InvalidInput(
            TO, "一边须是 SQLite 台账文件、另一边是县级 PostgreSQL 台账（postgresql://…）"
        )
    if not is_dsn(target):
        path = Path(target).expanduser()
        if path.exists() or path.is_symlink():
            raise InvalidInput(TO, f"{path} 已存在；迁出只写入新文件，请换一个文件名")
    from_side = _open_source(source)
    try:
        if is_dsn(target):
            to_side = _Side(connect(target), None)
            try:
                to_side.office = str(
                    to_side.conn.execute("SELECT office_of(current_user)").fetchone()[0]
                )
                _check_pg_target(to_side, from_side.conn)
                rows = _copy(from_side, to_side, progress)
            finally:
                to_side.conn.close()
            office = to_side.office
        else:
            with _new_file(Path(target).expanduser()) as partial:
                to_side = _Side(connect(partial), None)
                try:
                    rows = _copy(from_side, to_side, progress)
                finally:
                    to_side.conn.close()
            office = str(from_side.office)
    finally:
        from_side.conn.close()
    return Moved(source, target, office, rows)


@contextmanager
def _new_file(path: Path) -> Iterator[Path]:
    """A temporary name beside `path` (folder 0700), linked in as `path` only when the body
    succeeded; nothing left behind otherwise."""
    private_dir(path.parent)
    partial = path.with_name(f".{path.name}.{os.getpid()}.migrating")
    leftovers = [
        partial.with_name(partial.name + suffix) for suffix in ("", "-wal", "-shm", "-journal")
    ]
    for left in leftovers:
        left.unlink(missing_ok=True)
    try:
        yield partial
        try:
            os.link(partial, path)
        except FileExistsError:
            raise InvalidInput(TO, f"{path} 已存在；迁出只写入新文件，请换一个文件名") from None
    finally:
        for left in leftovers:
            left.unlink(missing_ok=True)


def _copy(source: _Side, target: _Side, progress: Progress | None) -> dict[str, int]:
    """Every table, in one transaction on the target, checked before it commits."""
    tables = _tables()
    copied: dict[str, int] = {}
    with transaction(target.conn):
        ids: dict[str, dict[int, int]] = {}
        for table in tables:
            copied[table.name] = _copy_table(source, target, table, ids, progress)
        if copied.get("calendar_entries") or workdays.is_stale(target.conn):
            workdays.rebuild(target.conn)
        _verify(source, target, tables, copied)
    return copied


def _shared(side: _Side, table: str) -> bool:
    """A table every office shares on PostgreSQL (no office_id there)."""
    pg = side if _is_pg(side.conn) else None
    return pg is not None and "office_id" not in _columns(pg.conn, table)


def _copy_table(
    source: _Side,
    target: _Side,
    table: _Table,
    ids: dict[str, dict[int, int]],
    progress: Progress | None,
) -> int:
    pg_side = target if _is_pg(target.conn) else source
    columns = [
        c
        for c in _columns(source.conn, table.name)
        if c in _columns(target.conn, table.name) and c != "office_id"
    ]
    where, params = source.lane(table.name)
    order = " ORDER BY id" if table.has_id else ""
    rows = [
        dict(zip(columns, row, strict=True))
        for row in source.conn.execute(
            f"SELECT {', '.join(columns)} FROM {table.name}{where}{order}", params
        )
    ]
    if _shared(pg_side, table.name):
        return _merge_shared(source, target, table, columns, rows, ids)
    if "case_id" not in columns and not table.has_id:
        # an office's own settings, lists, units, sequences: the source's replace the target's
        lane_where, lane_params = target.lane(table.name)
        target.conn.execute(f"DELETE FROM {table.name}{lane_where}", lane_params)
    if table.has_id:
        ids[table.name] = _fresh_ids(target.conn, table.name, [row["id"] for row in rows])
    later: list[tuple[int, str, int]] = []  # self-references, set once every row is in
    for row in rows:
        for column, named in table.refs.items():
            value = row.get(column)
            if value is None:
                continue
            if named == table.name:
                later.append((row["id"], column, value))
                row[column] = None
            else:
                row[column] = ids[named][value]
        if table.has_id:
            row["id"] = ids[table.name][row["id"]]
    insert = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    )
    batch: list[tuple[Any, ...]] = []
    for row in counted(rows, f"{COPY} {table.name}", progress):
        batch.append(tuple(row[c] for c in columns))
        if len(batch) >= BATCH:
            target.conn.executemany(insert, batch)
            batch = []
    if batch:
        target.conn.executemany(insert, batch)
    own = ids.get(table.name, {})
    for old_id, column, value in later:
        target.conn.execute(
            f"UPDATE {table.name} SET {column} = ? WHERE id = ?", (own[value], own[old_id])
        )
    return len(rows)


def _fresh_ids(conn: Any, table: str, old: list[int]) -> dict[int, int]:
    """New ids on the target for these, in the same order (PostgreSQL: from the table's own
    sequence, so no other office's id is ever taken)."""
    if not old:
        return {}
    if _is_pg(conn):
        fresh = sorted(
            int(row[0])
            for row in conn.execute(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
                "FROM generate_series(1, ?)",
                (len(old),),
            )
        )
    else:
        top = int(conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0])
        fresh = list(range(top + 1, top + 1 + len(old)))
    return dict(zip(sorted(old), fresh, strict=True))


def _merge_shared(
    source: _Side,
    target: _Side,
    table: _Table,
    columns: list[str],
    rows: list[dict[str, Any]],
    ids: dict[str, dict[int, int]],
) -> int:
    """A table all offices share on PostgreSQL: rule versions (only those the cases name,
    each matched to an equal row or added) and calendar entries (added where absent; one
    that differs from the county's is refused, naming the day)."""
    values = [c for c in columns if c != "id"]
    if table.has_id:
        named = _named_ids(source, table.name)
        rows = [row for row in rows if row["id"] in named]
        have = {
            tuple(row[1:]): int(row[0])
            for row in target.conn.execute(f"SELECT id, {', '.join(values)} FROM {table.name}")
        }
        ids[table.name] = mapping = {}
        for row in rows:
            key = tuple(row[c] for c in values)
            if key not in have:
                cursor = target.conn.execute(
                    f"INSERT INTO {table.name} ({', '.join(values)}) "
                    f"VALUES ({', '.join('?' * len(values))})",
                    key,
                )
                have[key] = int(cursor.lastrowid or 0)
            mapping[row["id"]] = have[key]
        return len(rows)
    keyed = [c for c in columns if c in table.key]
    have_rows = {
        tuple(row[: len(keyed)]): tuple(row[len(keyed) :])
        for row in target.conn.execute(
            f"SELECT {', '.join(keyed + [c for c in columns if c not in keyed])} FROM {table.name}"
        )
    }
    added = 0
    for row in rows:
        key = tuple(row[c] for c in keyed)
        rest = tuple(row[c] for c in columns if c not in keyed)
        if key in have_rows:
            if have_rows[key] != rest:
                raise XinfangError(
                    f"{TO}的 {table.name} 中 {'/'.join(map(str, key))} 与{FROM}不同"
                    f"（{'、'.join(map(str, have_rows[key]))} 对 {'、'.join(map(str, rest))}）；"
                    "请先在两边统一节假日调整（xinfang calendar）"
                )
            continue
        target.conn.execute(
            f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            tuple(row[c] for c in columns),
        )
        added += 1
    return added


def _named_ids(source: _Side, table: str) -> set[int]:
    """The ids of `table` the source's cases (of its lane) name."""
    found: set[int] = set()
    for child in _tables():
        for column, named in child.refs.items():
            if named == table and child.name != table:
                where, params = source.lane(child.name)
                found |= {
                    int(row[0])
                    for row in source.conn.execute(
                        f"SELECT DISTINCT {column} FROM {child.name}{where}", params
                    )
                    if row[0] is not None
                }
    return found


def _verify(source: _Side, target: _Side, tables: list[_Table], copied: dict[str, int]) -> None:
    """Before the commit: as many rows of each table on both sides, and the text index one
    row a case with the same notes (built by the target's own triggers)."""
    pg_side = target if _is_pg(target.conn) else source
    for table in tables:
        if _shared(pg_side, table.name):
            continue
        want, have = source.count(table.name), target.count(table.name)
        if want != have or copied[table.name] != want:
            raise XinfangError(
                f"迁移核对未通过：{table.name} 源有 {want} 行，目标有 {have} 行；未写入任何数据"
            )
    if _notes(source) != _notes(target):
        raise XinfangError("迁移核对未通过：检索索引与源台账不一致；未写入任何数据")


def _notes(side: _Side) -> dict[tuple[int, int], str]:
    """Each case's searchable notes (its note events, its kept columns) by case number."""
    if _is_pg(side.conn):
        sql = (
            "SELECT c.year, c.seq, t.notes FROM cases c JOIN case_texts t ON t.case_id = c.id "
            "WHERE c.office_id = ?"
        )
        params: tuple[str, ...] = (str(side.office),)
    else:
        sql = "SELECT c.year, c.seq, f.notes FROM cases c JOIN cases_fts f ON f.rowid = c.id"
        params = ()
    return {(int(y), int(s)): str(n) for y, s, n in side.conn.execute(sql, params)}
