"""Backups, restores, the doctor, masking: nothing lost, nothing leaked."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from conftest import REGISTER, dump, show

from xinfang.core import settings
from xinfang.store.db import connect

CASE = "2026-0001"


@pytest.mark.sqlite_only("the SQLite file's backup (pg_dump: test_pg_backup)")
def test_backup_is_private_dated_checked_and_pruned(run, db_path, monkeypatch):
    run(*REGISTER)
    first = run("backup").stdout.split("：", 1)[1].strip()
    path = Path(first)
    assert path.parent == db_path.parent / "ledger-backups"
    office = settings.office_id(connect(db_path))[:8]
    assert path.name == f"ledger-{office}-20261123-100000.db"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    copy = sqlite3.connect(path)
    assert copy.execute("SELECT count(*) FROM cases").fetchone()[0] == 1
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()
    for minute in ("10:01", "10:02", "10:03"):
        monkeypatch.setenv("XINFANG_NOW", f"2026-11-23 {minute}")
        out = run("backup", "--keep", "2").stdout
    assert "已删除较早的备份" in out
    assert sorted(p.name for p in path.parent.iterdir()) == [
        f"ledger-{office}-20261123-100200.db",
        f"ledger-{office}-20261123-100300.db",
    ]


@pytest.mark.sqlite_only("the SQLite file's backup (pg_dump: test_pg_backup)")
def test_backup_to_a_folder_of_ones_choice(run, tmp_path):
    run(*REGISTER)
    run("backup", str(tmp_path / "usb"))
    assert len(list((tmp_path / "usb").glob("ledger-*.db"))) == 1
    assert "保留份数" in run("backup", "--keep", "0", expect=2).stderr


@pytest.mark.sqlite_only("restores the SQLite file (pg_restore: test_pg_backup)")
def test_restore_checks_first_and_keeps_the_current_ledger_aside(run, db_path, tmp_path):
    run(*REGISTER)
    backup = Path(run("backup").stdout.split("：", 1)[1].strip())
    run("note", CASE, "备份之后的备注")
    out = run("restore", str(backup)).stdout
    aside = Path(out.splitlines()[1].split("：", 1)[1])
    assert [e["action"] for e in show(run)["events"]] == ["register"]  # back to the backup
    kept = sqlite3.connect(aside)
    assert kept.execute("SELECT count(*) FROM events WHERE action = 'note'").fetchone()[0] == 1
    kept.close()
    assert stat.S_IMODE(os.stat(aside).st_mode) == 0o600


@pytest.mark.sqlite_only("restores the SQLite file (pg_restore: test_pg_backup)")
def test_restore_refuses_what_is_not_a_sound_ledger(run, db_path, tmp_path):
    run(*REGISTER)
    before = dump(db_path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 200)
    assert "不是可用的台账文件" in run("restore", str(junk), expect=2).stderr
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    assert "不是 xinfang 台账" in run("restore", str(other), expect=2).stderr
    assert "不存在" in run("restore", str(tmp_path / "none.db"), expect=2).stderr
    assert dump(db_path) == before
    assert not list(db_path.parent.glob("*before-restore*"))


def test_doctor_finds_a_case_out_of_step_with_its_history(run, db_path):
    run(*REGISTER)
    run("accept", CASE, "--on", "2026-11-03")
    assert run("doctor").exit_code == 0
    conn = connect(db_path)  # autocommit: each change is written at once
    conn.execute("UPDATE cases SET status = 'closed'")
    out = run("doctor", expect=1).stdout
    assert "[问题] 办理记录：1 件案件的状态与办理记录不符：2026-0001" in out
    conn.execute("UPDATE cases SET status = 'accepted'")
    conn.execute("UPDATE sequences SET last = 0")
    assert "编号序列落后于已用编号" in run("doctor", expect=1).stdout
    conn.execute("UPDATE sequences SET last = 1")
    conn.close()
    if isinstance(db_path, str):  # the county's database is no file with a mode
        return
    os.chmod(db_path, 0o644)
    assert "可被他人读取" in run("doctor", expect=1).stdout


def test_mask_hides_personal_data_everywhere_in_the_output(run):
    run(*REGISTER, "--id-number", "11010519491231002X", "--address", "沙河镇西关村3社")
    secrets = ("张三", "13812345678", "11010519491231002X", "沙河镇西关村3社")
    for args in (("show", CASE), ("show", CASE, "--json"), ("list",), ("list", "--json"),
                 ("search", "低保", "--json")):  # fmt: skip
        out = run(*args, "--mask").stdout
        assert not [s for s in secrets if s in out], args
    unmasked = json.loads(run("show", CASE, "--json").stdout)
    assert unmasked["phone"] == "13812345678"
