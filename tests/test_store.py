"""The ledger file: where it lives, how it is created, migrated and locked."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from xinfang.core.errors import XinfangError
from xinfang.store import db, migrations


def test_default_location_follows_xdg(isolated: Path) -> None:
    assert db.default_path() == isolated / "xdg" / "xinfang" / "xinfang.db"


def test_xinfang_db_overrides_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XINFANG_DB", str(tmp_path / "elsewhere.db"))
    assert db.default_path() == tmp_path / "elsewhere.db"


def test_created_private_with_wal_and_current_schema(isolated: Path) -> None:
    conn = db.connect()
    path = db.default_path()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    assert conn.execute("SELECT value FROM settings WHERE key = 'unit_name'").fetchone()[0] == (
        '"临泽县民政局"'
    )


def test_reopening_does_not_recreate(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    db.connect(path).execute("UPDATE settings SET value = '\"沙河镇\"' WHERE key = 'unit_name'")
    again = db.connect(path)
    assert again.execute("SELECT value FROM settings WHERE key='unit_name'").fetchone()[0] == (
        '"沙河镇"'
    )


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE t (x)")
    other.commit()
    other.close()
    with pytest.raises(XinfangError, match="不是 xinfang 台账"):
        db.connect(path)


def test_garbage_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(XinfangError, match="无法打开台账文件"):
        db.connect(path)


def test_newer_ledger_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    db.connect(path).execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    with pytest.raises(XinfangError, match="请升级 xinfang"):
        db.connect(path)


def test_older_ledger_is_migrated_forward_one_step_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    db.connect(path).close()

    def add_column(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE cases ADD COLUMN future TEXT")

    monkeypatch.setitem(migrations.STEPS, migrations.LATEST, add_column)
    monkeypatch.setattr(migrations, "LATEST", migrations.LATEST + 1)
    monkeypatch.setattr(db, "SCHEMA_VERSION", migrations.LATEST)
    conn = db.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    columns = [row[1] for row in conn.execute("PRAGMA table_info(cases)")]
    assert "future" in columns


def test_failed_migration_rolls_back_and_stays_pending(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    db.connect(path).close()
    version = migrations.LATEST

    def half_then_fail(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE cases ADD COLUMN half TEXT")
        raise sqlite3.OperationalError("boom")

    monkeypatch.setitem(migrations.STEPS, version, half_then_fail)
    monkeypatch.setattr(migrations, "LATEST", version + 1)
    monkeypatch.setattr(db, "SCHEMA_VERSION", version + 1)
    with pytest.raises(XinfangError):
        db.connect(path)
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == version
    assert "half" not in [row[1] for row in raw.execute("PRAGMA table_info(cases)")]


def test_write_waits_for_a_concurrent_writer_instead_of_failing(tmp_path: Path) -> None:
    """BEGIN IMMEDIATE with a busy timeout: a second writer waits for the first."""
    path = tmp_path / "busy.db"
    db.connect(path).close()
    locked, released = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        first = db.connect(path)
        first.execute("BEGIN IMMEDIATE")
        first.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
        locked.set()
        time.sleep(0.5)
        released.set()
        first.execute("COMMIT")

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    locked.wait(5)
    second = db.connect(path)
    with db.transaction(second):
        assert released.is_set()  # we only got the lock once the first writer let go
        second.execute("INSERT INTO settings (key, value) VALUES ('b', '2')")
    holder.join()
    assert (
        second.execute("SELECT count(*) FROM settings WHERE key IN ('a', 'b')").fetchone()[0] == 2
    )


def test_a_failed_action_rolls_back_everything(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "tx.db")
    with pytest.raises(RuntimeError), db.transaction(conn):
        conn.execute("INSERT INTO settings (key, value) VALUES ('half', '1')")
        raise RuntimeError("crash in the middle")
    assert conn.execute("SELECT count(*) FROM settings WHERE key = 'half'").fetchone()[0] == 0


def _modules_after(*args: str) -> set[str]:
    """The modules a real run of `xinfang ARGS` has imported by the time it ends."""
    probe = (
        "import sys\n"
        "from xinfang.cli import main\n"
        f"sys.argv = ['xinfang', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(out.stdout.strip().splitlines()[-1].split())


HEAVY = {"openpyxl", "sqlite_utils", "chinese_calendar", "docx", "docxtpl", "pydantic", "jinja2"}


@pytest.mark.sqlite_only("the modules a town's file needs; a DSN loads psycopg")
def test_show_loads_only_what_it_uses(registered: str, db_path: Path) -> None:
    """Start-up is most of a command's time: `show` loads its own command module and
    the reading core, not the other commands, the actions, migrations or the libraries
    for workbooks, documents and holidays; with --json not even rich."""
    loaded = _modules_after("show", registered, "--db", str(db_path), "--json")
    assert "xinfang.core.reporting.query" in loaded  # the probe really ran the command
    top = {name.split(".")[0] for name in loaded}
    assert HEAVY & top == set()
    assert "rich" not in top
    assert "importlib.metadata" not in loaded
    unused = {
        *(f"xinfang.core.life.{name}" for name in ("deciding", "handling", "closing")),
        "xinfang.core.life.acting",
        "xinfang.core.intake.registration",
    }
    unused |= {"xinfang.store.migrations", "xinfang.cli.case_commands"}
    unused |= {"xinfang.core.privacy"}  # the scrubber: only masked views and the scan
    assert unused & loaded == set()
    human = _modules_after("show", registered, "--db", str(db_path))
    assert "rich" in {name.split(".")[0] for name in human}
    assert HEAVY & {name.split(".")[0] for name in human} == set()


def test_help_still_lists_every_command() -> None:
    from xinfang.cli import MODULES

    out = subprocess.run(
        [sys.executable, "-m", "xinfang", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for names in MODULES.values():
        for name in names:
            assert f" {name} " in out, name


def test_the_lazy_map_names_every_command_of_each_module() -> None:
    """Imported one by one in a fresh interpreter, each module registers exactly the
    commands the map gives it (a wrong entry would make `main()` load the wrong module)."""
    probe = (
        "import importlib, json\n"
        "from xinfang.cli import MODULES\n"
        "from xinfang.cli.root import app\n"
        "seen, found = set(), {}\n"
        "for module in MODULES:\n"
        "    importlib.import_module(f'xinfang.cli.{module}')\n"
        "    names = {c.name for c in app.registered_commands}\n"
        "    names |= {g.name for g in app.registered_groups}\n"
        "    found[module] = sorted(names - seen)\n"
        "    seen |= names\n"
        "print(json.dumps(found))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    from xinfang.cli import MODULES

    found = json.loads(out.stdout)
    # A module sharing a group with an earlier one (report stats) adds no new name.
    expected = {}
    seen: set[str] = set()
    for module, names in MODULES.items():
        expected[module] = sorted(set(names) - seen)
        seen |= set(names)
    assert found == expected
