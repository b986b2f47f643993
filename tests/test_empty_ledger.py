"""An empty ledger file is never xinfang's own (a new ledger appears whole, under its
name, in one step), so it is refused, not silently turned into a new ledger."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import subprocess_env

from xinfang.core import settings
from xinfang.store import db


@pytest.mark.parametrize("mode", [0o644, 0o600])
def test_an_empty_ledger_file_is_refused(run, no_ledger, mode):
    no_ledger.touch()
    os.chmod(no_ledger, mode)
    out = run("list", expect=2)
    assert "空文件" in out.stderr and str(no_ledger) in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert no_ledger.stat().st_size == 0 and stat.S_IMODE(no_ledger.stat().st_mode) == mode
    assert sorted(p.name for p in no_ledger.parent.iterdir()) == [no_ledger.name]


def test_a_new_ledger_appears_whole_and_private(no_ledger):
    seen = []
    real_link = os.link

    def watch(source, target):
        seen.append(Path(source).stat().st_size)  # what the ledger's name will show
        real_link(source, target)

    old = os.umask(0)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(db.os, "link", watch)
            conn = db.connect(no_ledger)
    finally:
        os.umask(old)
    assert seen and seen[0] > 0
    assert stat.S_IMODE(no_ledger.stat().st_mode) == 0o600
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert sorted(p.name for p in no_ledger.parent.iterdir() if not p.name.endswith("-shm")) == [
        no_ledger.name,
        f"{no_ledger.name}-wal",
    ]


def test_another_xinfang_creating_it_at_the_same_moment(no_ledger, monkeypatch):
    """This one has built its new ledger when another one links its own in first."""
    real_link = os.link
    theirs = []

    def the_other_is_faster(source, target):
        monkeypatch.setattr(db.os, "link", real_link)
        theirs.append(settings.office_id(db.connect(no_ledger)))
        real_link(source, target)

    monkeypatch.setattr(db.os, "link", the_other_is_faster)
    mine = db.connect(no_ledger)
    assert settings.office_id(mine) == theirs[0]  # one ledger: theirs
    assert not [p for p in no_ledger.parent.iterdir() if p.name.startswith(".")]


def test_a_file_system_without_hard_links(no_ledger, monkeypatch):
    def refuse(source, target):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(db.os, "link", refuse)
    conn = db.connect(no_ledger)
    assert len(settings.office_id(conn)) == 32
    assert stat.S_IMODE(no_ledger.stat().st_mode) == 0o600
    assert not [p for p in no_ledger.parent.iterdir() if p.name.startswith(".")]


def test_first_commands_racing_on_a_new_ledger_all_succeed(no_ledger):
    env = subprocess_env()
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "xinfang", "list"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for process in runs:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    assert stat.S_IMODE(no_ledger.stat().st_mode) == 0o600
    assert not [p for p in no_ledger.parent.iterdir() if p.name.startswith(".")]
