"""A ledger written by an older xinfang is brought forward when opened, and ends up with
exactly the schema a new ledger gets."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from conftest import show

from xinfang.store import db, migrations


def _v1_ledger(path: Path) -> None:
    """A version-1 ledger with one accepted case, as xinfang 0.1 wrote it."""
    conn = sqlite3.connect(path)
    conn.executescript(migrations.v1_schema_sql())
    conn.execute(
        "INSERT INTO cases (id, year, seq, status, name, received_at, source, form, content, "
        "decided_on, notified_on, notice_method, updated_at) VALUES (1, 2026, 1, 'accepted', "
        "'张三', '2026-09-30 09:00:00', '本级', '来访', '低保评定不公', '2026-10-09', "
        "'2026-10-09', '书面告知书', '2026-10-09 10:00:00')"
    )
    for action, day, status, data in (
        ("register", "2026-09-30 09:00:00", "registered", {}),
        ("accept", "2026-10-09", "accepted", {"notified_on": "2026-10-09"}),
    ):
        conn.execute(
            "INSERT INTO events (case_id, action, occurred_at, recorded_at, actor, round, "
            "status_after, data) VALUES (1, ?, ?, ?, '王芳', 1, ?, ?)",
            (action, day, day, status, json.dumps(data)),
        )
    conn.execute("INSERT INTO sequences (name, year, last) VALUES ('case', 2026, 1)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def _shape(conn: sqlite3.Connection) -> dict[str, object]:
    objects = conn.execute(
        "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    columns = {
        name: conn.execute(f"PRAGMA table_info({name})").fetchall()
        for kind, name in objects
        if kind == "table" and not name.startswith("cases_fts")
    }
    return {"objects": objects, "columns": columns}


def test_v1_ledger_is_migrated_to_the_current_schema(tmp_path: Path) -> None:
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    _v1_ledger(old)
    migrated = db.connect(old)
    assert migrated.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    assert _shape(migrated) == _shape(db.connect(new))


def test_migrated_cases_get_their_deadlines(run, no_ledger: Path) -> None:
    _v1_ledger(no_ledger)
    deadlines = show(run)["deadlines"]
    # Registered Wed 2026-09-30: 3 working days across National Day end Sat 10-10 (调休).
    # Accepted Fri 10-09: Sat 10-10 is a working day (调休), so 10 working days end Thu 10-22.
    assert [(d["stage"], d["due_on"], d["met_on"]) for d in deadlines] == [
        ("notice", "2026-10-10", "2026-10-09"),
        ("reply", "2026-10-22", None),
    ]
    assert run("accept", "2026-0001", expect=2).exit_code == 2  # its state came along too


def test_the_store_knows_the_latest_version_without_importing_the_migrations():
    from xinfang.store import db, migrations

    assert db.SCHEMA_VERSION == migrations.LATEST


def test_every_ledger_has_its_own_office_id_made_once(tmp_path: Path) -> None:
    from xinfang.core import settings

    first, second = db.connect(tmp_path / "a.db"), db.connect(tmp_path / "b.db")
    ids = {settings.office_id(first), settings.office_id(second)}
    assert len(ids) == 2 and all(len(i) == 32 for i in ids)
    again = db.connect(tmp_path / "a.db")  # opening again does not change it
    assert settings.office_id(again) == settings.office_id(first)
    old = tmp_path / "old.db"
    _v1_ledger(old)
    assert len(settings.office_id(db.connect(old))) == 32  # older ledgers get one on open
