"""A restore takes only a file whose schema is exactly what its version must have, and the
clerk always learns where the previous ledger was kept. Backups of two ledgers sharing a
folder (and a file name) never prune each other."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import REGISTER, dump, fresh_identity, show

from xinfang.store import backup, migrations, shape

CASE = "2026-0001"
WIPE = (
    "CREATE TRIGGER events_wipe AFTER INSERT ON events "
    "BEGIN DELETE FROM events WHERE id < new.id; END"
)


@pytest.fixture
def good_backup(run, tmp_path) -> Path:
    run(*REGISTER)
    run("note", CASE, "备份前的备注")
    return Path(run("backup", str(tmp_path / "bk")).stdout.split("：", 1)[1].strip())


def tampered(source: Path, *statements: str, version: int | None = None) -> Path:
    """A copy of a sound backup, edited with the sqlite3 shell as an attacker would."""
    target = source.with_name("tampered.db")
    shutil.copyfile(source, target)
    conn = sqlite3.connect(target)
    for statement in statements:
        conn.execute(statement)
    if version is not None:
        conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    return target


def left_beside(db_path: Path) -> list[str]:
    """The files in the ledger's folder, but SQLite's own -wal and -shm."""
    names = (p.name for p in db_path.parent.iterdir() if p.name != "bk")
    return sorted(name for name in names if not name.endswith(("-wal", "-shm")))


TAMPERINGS = {
    "history wiped by a trigger": (
        ("DROP TRIGGER events_no_delete", WIPE), None, "多出触发器 events_wipe"),
    "no-delete trigger gutted": (
        ("DROP TRIGGER events_no_delete",
         "CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT 1; END"),
        None, "触发器 events_no_delete 与应有的不同"),
    "no deadlines table": (("DROP TABLE deadlines",), None, "缺少数据表 deadlines"),
    "claims version 1": ((), 1, "多出数据表 archive_files"),
    "claims version 6": ((), 6, "数据表 cases 与应有的不同"),
    "extra column": (("ALTER TABLE cases ADD COLUMN evil TEXT",), None, "数据表 cases 与应有的不同"),
    "index dropped": (("DROP INDEX cases_phone",), None, "缺少索引 cases_phone"),
    "index changed": (("DROP INDEX events_case", "CREATE INDEX events_case ON events (id)"),
                      None, "索引 events_case 与应有的不同"),
    "extra view": (("CREATE VIEW v AS SELECT 1",), None, "多出视图 v"),
    "check dropped": (
        ("DROP TABLE calendar_entries",
         "CREATE TABLE calendar_entries (day TEXT PRIMARY KEY, kind TEXT NOT NULL, "
         "note TEXT) WITHOUT ROWID"),
        None, "数据表 calendar_entries 与应有的不同"),
}  # fmt: skip


@pytest.mark.sqlite_only("tampers with the SQLite backup file")
@pytest.mark.parametrize("label", TAMPERINGS)
def test_a_file_unlike_its_version_is_refused(run, db_path, good_backup, label):
    statements, version, named = TAMPERINGS[label]
    before, files = dump(db_path), left_beside(db_path)
    out = run("restore", str(tampered(good_backup, *statements, version=version)), expect=2)
    assert named in out.stderr and "不能恢复" in out.stderr, out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert dump(db_path) == before and left_beside(db_path) == files


def _older_ledger(path: Path, version: int) -> None:
    """A ledger written by an older xinfang: the first schema brought to `version`."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(migrations.v1_schema_sql())
    conn.execute("BEGIN")
    for step in range(1, version):
        migrations.STEPS[step](conn)
    conn.execute("COMMIT")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()


@pytest.mark.sqlite_only("restores old SQLite files")
@pytest.mark.parametrize("version", range(1, migrations.LATEST))
def test_a_sound_older_ledger_is_restored_and_brought_forward(run, db_path, tmp_path, version):
    old = tmp_path / "old.db"
    _older_ledger(old, version)
    run(*REGISTER)
    out = run("restore", str(old)).stdout
    assert "恢复前的台账已另存为" in out
    assert sqlite3.connect(db_path).execute("PRAGMA user_version").fetchone()[0] == (
        migrations.LATEST
    )
    assert run("list", "--json").stdout.strip() == "[]"  # the old ledger had no case
    run(*REGISTER)
    assert show(run)["status"] == "registered"


@pytest.mark.sqlite_only("restores the SQLite file")
def test_the_kept_copy_is_named_when_the_restore_fails_late(run, db_path, good_backup, monkeypatch):
    before = dump(db_path)

    def disk_gone(conn, staged):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(backup, "_replace", disk_gone)
    out = run("restore", str(good_backup), expect=2)
    aside = next(db_path.parent.glob("*before-restore*"))
    assert str(aside) in out.stderr and "disk I/O error" in out.stderr
    assert dump(aside) == before
    assert len(out.stderr.strip().splitlines()) == 1


@pytest.mark.sqlite_only("the SQLite file's backup names")
def test_two_ledgers_of_one_name_keep_their_own_backups(run, db_path, tmp_path, monkeypatch):
    """Two offices' ledgers, both called ledger.db, back up to one USB folder."""
    other = tmp_path / "other" / "ledger.db"
    other.parent.mkdir()
    shutil.copyfile(db_path, other)
    fresh_identity(other)
    folder = tmp_path / "usb"
    for minute in range(10, 16):
        monkeypatch.setenv("XINFANG_NOW", f"2026-11-23 10:{minute}")
        run("backup", str(folder), "--keep", "2")
        run("backup", str(folder), "--keep", "2", "--db", str(other))
    ids = {}
    for path in folder.glob("*.db"):
        conn = sqlite3.connect(path)
        office = conn.execute("SELECT value FROM settings WHERE key = 'office_id'").fetchone()[0]
        conn.close()
        ids.setdefault(office, []).append(path.name)
    assert sorted(len(names) for names in ids.values()) == [2, 2], ids
    kept = [name for names in ids.values() for name in names]
    assert all(name.endswith(("-20261123-101400.db", "-20261123-101500.db")) for name in kept)


def test_a_new_ledger_and_a_migrated_one_have_one_shape(tmp_path):
    """The reference of the latest version is schema.sql; a ledger brought forward from
    the first schema must match it statement for statement, or restores would refuse it."""
    old = tmp_path / "old.db"
    _older_ledger(old, migrations.LATEST)
    conn = sqlite3.connect(old)
    assert shape.differences(conn, migrations.LATEST) == []
    conn.execute("CREATE INDEX stray ON events (action)")
    assert shape.differences(conn, migrations.LATEST) == ["多出索引 stray"]
    conn.close()
