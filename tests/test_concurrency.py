"""Everyone at once, as in an office: the clerk registers and accepts cases (at the
command line, and a fast writer on the core API beside her) while cron runs `overdue`,
the monthly report is rebuilt and backups are taken, each in its own processes. Nobody
may see "database is locked" or a traceback, no write may be lost, and every backup and
every workbook must be whole.

Short form by default (~6 s); the long form (60 s) runs with XINFANG_LONG=1 or `-m long`."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pytest
from conftest import REGISTER, long_form, subprocess_env

from xinfang.store import backup
from xinfang.store.db import connect

SEED = 20261123
FIGURES: dict[str, dict[str, object]] = {}

WRITER = r"""
import random, sys, time
from xinfang.core.life import deciding, notes
from xinfang.core.intake import registration
from xinfang.store.db import connect

rng = random.Random(int(sys.argv[1]))
stop = time.monotonic() + float(sys.argv[2])
conn = connect()
while time.monotonic() < stop:
    values = {
        "name": rng.choice(["李四", "王五", "赵六"]), "phone": f"139{rng.randrange(10**8):08d}",
        "source": "本级", "form": "来信", "content": f"反映第{rng.randrange(10**6)}号临时救助未发放",
        "category": "临时救助", "township": "新华镇", "receiver": "王芳",
    }
    number = registration.register(conn, values).case_no
    print("R", number, flush=True)
    if rng.random() < 0.7:
        deciding.accept(conn, number)
    if rng.random() < 0.5:
        notes.note(conn, number, "已电话联系信访人")
    # A pause, as even a script has: SQLite's lock is not fair, and a writer that takes it
    # back at once can hold another process's BEGIN IMMEDIATE off for many seconds.
    time.sleep(0.01)
"""

Ran = tuple[tuple[str, ...], int, str, float]  # args, exit code, stderr, seconds


def xinfang(log: list[Ran], *args: str, tmp: Path) -> str | None:
    """Run one command; its stdout, or None if it failed (the log keeps why)."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "xinfang", *args],
        capture_output=True, text=True, env=subprocess_env(), cwd=tmp, timeout=120,
    )  # fmt: skip
    log.append((args, done.returncode, done.stderr, time.monotonic() - started))
    return done.stdout if done.returncode in (0, 1) else None


def loop(stop: float, step: Callable[[int], None]) -> None:
    rounds = 0
    while time.monotonic() < stop:
        step(rounds)
        rounds += 1


def county_snapshot(dsn: str) -> tuple[list[tuple], list[tuple]]:
    """snapshot() on the county's database: one repeatable-read transaction, the same rows."""
    conn = connect(dsn)
    try:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cases = [tuple(r) for r in conn.execute("SELECT id, year, seq FROM cases ORDER BY id")]
        events = [
            tuple(r)
            for r in conn.execute(
                "SELECT id, case_id, action, status_after FROM events ORDER BY id"
            )
        ]
        drifted = conn.execute(
            "SELECT year, seq FROM cases c WHERE coalesce(status, '') <> coalesce((SELECT "
            "status_after FROM events e WHERE e.case_id = c.id ORDER BY e.id DESC LIMIT 1), '')"
        ).fetchall()
        assert drifted == [], (dsn, drifted)
        conn.execute("COMMIT")
        return cases, events
    finally:
        conn.close()


def snapshot(path: Path) -> tuple[list[tuple], list[tuple]]:
    """(cases, events) of a ledger in id order, each read in one read transaction."""
    if isinstance(path, str):
        return county_snapshot(path)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        conn.execute("BEGIN")
        cases = conn.execute("SELECT id, year, seq FROM cases ORDER BY id").fetchall()
        events = conn.execute(
            "SELECT id, case_id, action, status_after FROM events ORDER BY id"
        ).fetchall()
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        drifted = conn.execute(
            "SELECT year, seq FROM cases c WHERE status IS NOT (SELECT status_after FROM events "
            "e WHERE e.case_id = c.id ORDER BY e.id DESC LIMIT 1)"
        ).fetchall()
        assert drifted == [], (path, drifted)
        conn.execute("COMMIT")
        return cases, events
    finally:
        conn.close()


@pytest.mark.parametrize(
    "form", ["short", pytest.param("long", marks=pytest.mark.long)], ids=["short", "long"]
)
def test_everyone_at_once(form, db_path, tmp_path, request):
    if form == "long" and not long_form(request):
        pytest.skip("long form: XINFANG_LONG=1 or -m long")
    seconds = 60.0 if form == "long" else 6.0
    backups, workbook = tmp_path / "backups", tmp_path / "受理情况.xlsx"
    logs: dict[str, list[Ran]] = {"clerk": [], "overdue": [], "report": [], "backup": []}
    clerk_numbers: list[str] = []
    report_rows: list[int] = []

    def clerk(n: int) -> None:
        out = xinfang(logs["clerk"], *REGISTER[:-2], tmp=tmp_path)  # received now
        found = re.search(r"已登记：(\d{4}-\d{4})（", out or "")
        if not found:
            return
        clerk_numbers.append(found.group(1))
        xinfang(logs["clerk"], "accept", found.group(1), tmp=tmp_path)
        xinfang(logs["clerk"], "note", found.group(1), f"第{n}次电话联系", tmp=tmp_path)

    def overdue(n: int) -> None:
        out = xinfang(logs["overdue"], "overdue", "--json", tmp=tmp_path)
        if out is not None:
            json.loads(out)  # whole JSON, whatever it lists

    def report(n: int) -> None:
        args = ("report", "accept", "--month", "2026-11", "-o", str(workbook), "--force")
        found = re.search(r"，(\d+) 件）", xinfang(logs["report"], *args, tmp=tmp_path) or "")
        if not found:
            return
        report_rows.append(int(found.group(1)))
        book = openpyxl.load_workbook(workbook)  # whole, readable
        assert book.active is not None and book.active.max_row >= report_rows[-1]
        book.close()

    def take_backup(n: int) -> None:
        xinfang(logs["backup"], "backup", str(backups), "--keep", "10000", tmp=tmp_path)

    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(SEED), str(seconds)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=subprocess_env(),
        cwd=tmp_path,
    )  # fmt: skip
    stop = time.monotonic() + seconds
    steps = [("clerk", clerk), ("overdue", overdue), ("report", report), ("backup", take_backup)]
    county = isinstance(db_path, str)  # its backup is pg_dump by the owner (test_pg_backup)
    if county:
        steps.pop()
        del logs["backup"]
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(loop, stop, step) for name, step in steps}
        for future in futures.values():
            future.result()  # a loop's own assertion (a workbook that would not open) surfaces
    out, err = writer.communicate(timeout=120)

    # Every command of every process ended as it should, and said nothing alarming.
    assert writer.returncode == 0, err
    assert "locked" not in err and "Traceback" not in err, err
    for name, runs in logs.items():
        assert runs, f"{name} never ran"
        for args, code, stderr, _ in runs:
            assert code in ((0, 1) if name == "overdue" else (0,)), (args, code, stderr)
            assert "locked" not in stderr and "Traceback" not in stderr, (args, stderr)

    # No write lost: every registration reported is there, and nothing else.
    written = [line.split()[1] for line in out.splitlines() if line.startswith("R ")]
    final_cases, final_events = snapshot(db_path)
    numbers = [f"{year}-{seq:04d}" for _, year, seq in final_cases]
    assert sorted(numbers) == sorted(written + clerk_numbers)
    assert sorted(seq for _, _, seq in final_cases) == list(range(1, len(final_cases) + 1))
    assert sum(row[2] == "accept" for row in final_events) >= len(clerk_numbers)

    # Every backup passes restore's check and is a consistent prefix of the final ledger.
    files = sorted(backups.glob("*.db"), key=lambda p: (p.stat().st_mtime_ns, p.name))
    assert len(files) == len(logs.get("backup", []))
    sizes = [] if files else [0]
    for path in files:
        assert backup.check(path) > 0
        cases, events = snapshot(path)
        assert cases == final_cases[: len(cases)], path
        assert events == final_events[: len(events)], path
        sizes.append(len(cases))
    assert sizes == sorted(sizes), sizes  # taken one after another: never going back
    assert report_rows == sorted(report_rows) and report_rows[-1] <= len(final_cases)

    doctor = subprocess.run(
        [sys.executable, "-m", "xinfang", "doctor"],
        capture_output=True, text=True, env=subprocess_env(), cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr

    figures = {
        "seconds": seconds, "writer_registrations": len(written),
        "clerk_registrations": len(clerk_numbers),
        "commands": {name: len(runs) for name, runs in logs.items()},
        "slowest": {name: round(max(r[3] for r in runs), 2) for name, runs in logs.items()},
        "cases": len(final_cases), "events": len(final_events), "backups": len(files),
        "backup_cases": [min(sizes), max(sizes)], "report_rows_last": report_rows[-1],
    }  # fmt: skip
    FIGURES[f"concurrency-{form}"] = figures
    (tmp_path / "figures.json").write_text(json.dumps(FIGURES, ensure_ascii=False, indent=2))
    print(f"\nconcurrency-{form}: {json.dumps(figures, ensure_ascii=False)}")  # seen with -s


def other_backup(folder: Path, *options: str, tmp: Path) -> None:
    """Another `xinfang backup` into the same folder, run to its end."""
    log: list[Ran] = []
    xinfang(log, "backup", str(folder), *options, tmp=tmp)
    assert log[0][1] == 0, log


@pytest.mark.sqlite_only("the SQLite file's backup")
def test_two_backups_in_the_same_second(db_path, tmp_path, monkeypatch):
    """This backup has picked its name when another one, started in the same second,
    creates that very file first."""
    from xinfang.store.db import connect

    folder, real_open = tmp_path / "backups", os.open

    def the_other_takes_the_name(path, flags, mode=0o777):
        if Path(path).parent == folder:
            monkeypatch.setattr(backup.os, "open", real_open)
            other_backup(folder, tmp=tmp_path)
        return real_open(path, flags, mode)

    conn = connect(db_path)
    monkeypatch.setattr(backup.os, "open", the_other_takes_the_name)
    try:
        mine = backup.backup(conn, folder)
    finally:
        conn.close()
    kept = sorted(folder.glob("*.db"))
    assert mine.path in kept and len(kept) == 2 and all(backup.check(p) for p in kept)


@pytest.mark.sqlite_only("the SQLite file's backup")
def test_two_backups_pruning_at_once(db_path, tmp_path, monkeypatch):
    """Cron's nightly backup and the clerk's overlap once the folder is full: both prune.
    Here the other one prunes between this one's listing of the folder and its pruning."""
    from xinfang.store.db import connect

    folder, real_glob = tmp_path / "backups", Path.glob
    conn = connect(db_path)
    for _ in range(3):
        backup.backup(conn, folder, keep=3)

    def glob_then_the_other_prunes(self, pattern):
        found = list(real_glob(self, pattern))
        if self == folder:
            monkeypatch.setattr(Path, "glob", real_glob)
            other_backup(folder, "--keep", "3", tmp=tmp_path)
        return iter(found)

    monkeypatch.setattr(Path, "glob", glob_then_the_other_prunes)
    try:
        mine = backup.backup(conn, folder, keep=3)
    finally:
        conn.close()
    kept = sorted(folder.glob("*.db"))
    assert mine.path in kept and len(kept) == 3 and all(backup.check(p) for p in kept)
