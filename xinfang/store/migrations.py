"""Schema versions. A new ledger gets `schema.sql` whole; an older file is brought forward
one step at a time, each step in its own transaction together with its new user_version,
so a failed step rolls back and stays pending."""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from xinfang.core.errors import XinfangError

Step = Callable[[sqlite3.Connection], None]
_CREATED = re.compile(r"CREATE\s+(?:UNIQUE\s+)?(?:VIRTUAL\s+)?(?:TABLE|INDEX|TRIGGER)\s+(\w+)")


def _create_from_schema(conn: sqlite3.Connection, *names: str) -> None:
    """Run the CREATE statements of schema.sql for the named objects, so a migration
    creates exactly what a new ledger gets."""
    wanted = set(names)
    for statement in _statements(schema_sql()):
        created = _CREATED.match(statement)
        if created and created.group(1) in wanted:
            conn.execute(statement)
            wanted.discard(created.group(1))
    if wanted:
        raise RuntimeError(f"schema.sql lacks {sorted(wanted)}")


def _populate(conn: sqlite3.Connection) -> None:
    """What a ledger needs from its first day: its office identity and the working-day
    calendar."""
    from xinfang.core.clock import workdays

    _give_identity(conn)
    workdays.rebuild(conn)


def _give_identity(conn: sqlite3.Connection) -> None:
    """A random office id, made once: bundles, merges and backups know the office by it,
    whatever its display name (two ledgers may both be called 临泽县民政局)."""
    conn.execute(
        "INSERT OR IGNORE INTO settings (key, value) VALUES ('office_id', ?)",
        (json.dumps(uuid.uuid4().hex),),
    )


# The deadlines table as versions 2 to 9 made it; version 10 added `ended_by`.
_V2_DEADLINES = """CREATE TABLE deadlines (
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    stage       TEXT NOT NULL,
    round       INTEGER NOT NULL,
    starts_on   TEXT NOT NULL,
    amount      INTEGER,
    unit        TEXT,
    due_on      TEXT,
    met_on      TEXT,
    paused_days INTEGER NOT NULL DEFAULT 0,
    provisional INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (case_id, stage, round)
) WITHOUT ROWID"""


def _v2_deadlines(conn: sqlite3.Connection) -> None:
    """Working-day calendar, deadline rules and a deadlines table. The deadlines of the
    existing cases are derived by the last step that changed that table (version 10), with
    today's code against today's table."""
    from xinfang.core.clock import rules, workdays

    conn.execute(_V2_DEADLINES)
    _create_from_schema(conn, "rule_versions", "deadlines_open", "calendar_entries", "calendar")
    conn.execute("ALTER TABLE cases ADD COLUMN rule_version INTEGER REFERENCES rule_versions(id)")
    conn.execute("ALTER TABLE cases ADD COLUMN complex INTEGER NOT NULL DEFAULT 0")
    conn.execute("ALTER TABLE cases ADD COLUMN paused_since TEXT")
    conn.execute(
        "INSERT OR IGNORE INTO settings (key, value) "
        "VALUES ('rule_set', '\"seed000\"'), ('rule_overrides', '{}')"
    )
    workdays.rebuild(conn)
    conn.execute("UPDATE cases SET rule_version = ?", (rules.current_version(conn),))


def _v3_documents(conn: sqlite3.Connection) -> None:
    """Attachments, the archive folder's manifest, loans; the settings documents need."""
    _create_from_schema(
        conn, "attachments", "attachments_case", "archive_files", "loans", "loans_open"
    )
    conn.execute(
        "INSERT OR IGNORE INTO settings (key, value) VALUES "
        "('review_government', '\"临泽县人民政府\"'), ('review_department', '\"张掖市民政局\"'), "
        "('templates_dir', '\"\"')"
    )


def _v4_supervision(conn: sqlite3.Connection) -> None:
    """Who raised a case, repeats, online posts; the leaders' reception days."""
    for column in (
        "raised_by TEXT",
        "repeat_of INTEGER REFERENCES cases(id)",
        "platform TEXT",
        "post_url TEXT",
        "posted_at TEXT",
    ):
        conn.execute(f"ALTER TABLE cases ADD COLUMN {column}")
    _create_from_schema(conn, "cases_repeat_of", "reception_days")
    conn.execute(
        "INSERT OR IGNORE INTO settings (key, value) VALUES "
        "('supervise_prefix', '\"临民督办字\"'), ('liaison_prefix', '\"临民联\"'), "
        "('repeat_window_days', '180'), ('reception_place', '\"局接访室\"')"
    )


def _v5_repeat_index(conn: sqlite3.Connection) -> None:
    """Looking for repeats by name and address without reading the whole window."""
    _create_from_schema(conn, "cases_name")


def _v6_roll_up(conn: sqlite3.Connection) -> None:
    """Cases merged from the towns' bundles keep their origin office and number."""
    conn.execute("ALTER TABLE cases ADD COLUMN origin TEXT")
    conn.execute("ALTER TABLE cases ADD COLUMN origin_no TEXT")
    # As version 6 had it; version 7 keys it by the office id.
    conn.execute(
        "CREATE UNIQUE INDEX cases_origin ON cases (origin, origin_no) WHERE origin IS NOT NULL"
    )


def _v7_office_identity(conn: sqlite3.Connection) -> None:
    """The office id; merged cases are keyed by their town's id, not its name. Cases merged
    before there were ids keep their town's name as a provisional key."""
    _give_identity(conn)
    conn.execute("ALTER TABLE cases ADD COLUMN origin_office TEXT")
    conn.execute("UPDATE cases SET origin_office = 'name:' || origin WHERE origin IS NOT NULL")
    conn.execute("DROP INDEX cases_origin")
    _create_from_schema(conn, "cases_origin")


def _v8_sex_age(conn: sqlite3.Connection) -> None:
    """性别 and 年龄, which seed 001's 来访登记表 records; empty for the cases before."""
    conn.execute("ALTER TABLE cases ADD COLUMN sex TEXT")
    conn.execute("ALTER TABLE cases ADD COLUMN age INTEGER")


def _v9_urgent(conn: sqlite3.Connection) -> None:
    """重大紧急 cases (none before)."""
    conn.execute("ALTER TABLE cases ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0")
    _create_from_schema(conn, "cases_urgent")


def _v10_ended_deadlines(conn: sqlite3.Connection) -> None:
    """A deadline that 并案 or 归档 ended is told from one met (`ended_by`). Derived again:
    the cases where a deadline other than the archive's own was "met" on the day of a
    join or an archive, those with no deadlines yet (a ledger from version 1), and those
    with an upper level's 舆情 report, now met by its own record (report-up), no longer by
    the reply; and those whose 复查 window an archive closed (it runs on now) or that went
    to 复查 (its decision opens the 复核 window)."""
    from xinfang.core.clock import deadlines, workdays

    conn.execute("ALTER TABLE deadlines ADD COLUMN ended_by TEXT")
    rows = conn.execute(
        "SELECT id FROM cases c WHERE NOT EXISTS (SELECT 1 FROM deadlines d WHERE d.case_id = c.id) "
        "OR EXISTS (SELECT 1 FROM deadlines d WHERE d.case_id = c.id AND d.stage = 'upper_report') "
        "OR EXISTS (SELECT 1 FROM deadlines d WHERE d.case_id = c.id "
        "  AND d.stage = 'review_request' AND d.met_on IS NOT NULL) "
        "OR EXISTS (SELECT 1 FROM events e WHERE e.case_id = c.id AND e.action = 'review') "
        "OR EXISTS (SELECT 1 FROM deadlines d JOIN events e ON e.case_id = d.case_id "
        "  WHERE d.case_id = c.id AND e.action IN ('join', 'archive') "
        "  AND d.met_on = substr(e.occurred_at, 1, 10) "
        "  AND NOT (e.action = 'archive' AND d.stage = 'archive'))"
    ).fetchall()
    cal = workdays.load(conn)
    for (case_id,) in rows:
        deadlines.sync(conn, case_id, cal)


def _v11_join_index(conn: sqlite3.Connection) -> None:
    """The cases joined into a main case, found through an index: without it `show` read
    every archived case's events (180 ms on a 100,000-case ledger)."""
    _create_from_schema(conn, "events_join")


def _v12_kept_columns(conn: sqlite3.Connection) -> None:
    """The columns of an old ledger kept with an imported case (imported_extra) are
    searched: the trigger, and the text of the cases imported before it."""
    _create_from_schema(conn, "cases_fts_extra")
    conn.execute(
        "UPDATE cases_fts SET notes = notes || char(10) || extra.text FROM ("
        "  SELECT e.case_id AS id, group_concat(j.key || '：' || j.value, char(10)) AS text"
        "  FROM events e, json_each(e.data, '$.imported_extra') j"
        "  WHERE e.action = 'register' AND e.data LIKE '%\"imported_extra\"%'"
        "  GROUP BY e.case_id"
        ") AS extra WHERE cases_fts.rowid = extra.id"
    )


# STEPS[n] brings a ledger from version n to n + 1. Version 1 is the first schema.sql,
# kept beside this file as schema-v1.sql.
STEPS: dict[int, Step] = {
    1: _v2_deadlines,
    2: _v3_documents,
    3: _v4_supervision,
    4: _v5_repeat_index,
    5: _v6_roll_up,
    6: _v7_office_identity,
    7: _v8_sex_age,
    8: _v9_urgent,
    9: _v10_ended_deadlines,
    10: _v11_join_index,
    11: _v12_kept_columns,
}

LATEST = 1 + len(STEPS)


def schema_sql() -> str:
    """The shipped schema: inside the installed package, or at the top of a checkout."""
    packaged = resources.files("xinfang").joinpath("schema.sql")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parents[2] / "schema.sql").read_text(encoding="utf-8")


def v1_schema_sql() -> str:
    """The first schema, as xinfang 0.1 created ledgers."""
    return resources.files("xinfang.store").joinpath("schema-v1.sql").read_text(encoding="utf-8")


def reference(version: int) -> sqlite3.Connection:
    """An empty ledger of `version` in memory, made as xinfang makes them: the latest from
    schema.sql, an older one from the first schema and the steps after it. (The two agree
    for the latest, a test checks; a restore compares a file with its version's.)"""
    if not 0 < version <= LATEST:
        raise ValueError(version)
    conn = sqlite3.connect(":memory:", isolation_level=None)
    latest = version == LATEST
    for statement in _statements(schema_sql() if latest else v1_schema_sql()):
        conn.execute(statement)
    conn.execute("BEGIN")
    for step in range(1, 1 if latest else version):
        STEPS[step](conn)
    conn.execute("COMMIT")
    conn.execute(f"PRAGMA user_version = {version}")
    return conn


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the ledger to LATEST; return the version it had before."""
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == LATEST:
        return version
    if version > LATEST:
        raise XinfangError(
            f"台账文件的结构版本为 {version}，高于本程序支持的 {LATEST}；请升级 xinfang。"
        )
    if version == 0:
        if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise XinfangError("该文件不是 xinfang 台账（已有其他数据表）。")
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have created it while we waited for the lock.
            if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
                for statement in _statements(schema_sql()):
                    conn.execute(statement)
                _populate(conn)
                conn.execute(f"PRAGMA user_version = {LATEST}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return 0
    for step_from in range(version, LATEST):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] == step_from:
                STEPS[step_from](conn)
                conn.execute(f"PRAGMA user_version = {step_from + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return version


def _statements(script: str) -> list[str]:
    """Split a script into complete statements (executescript would commit our
    transaction first, so statements are run one by one inside it)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if not buffer.strip() and (not line.strip() or line.lstrip().startswith("--")):
            buffer = ""
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
