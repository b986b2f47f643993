"""Crash tests, as SQLite runs its own: a writer process works on the ledger and is
killed with SIGKILL at random moments, again and again, on the same file. Afterwards the
ledger must be whole: every write the writer reported is there, nothing half-written is,
and the numbering, the history and the deadlines agree (`xinfang doctor`).

Short form by default; the long form runs with XINFANG_LONG=1 or `-m long`."""

from __future__ import annotations

import json
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from conftest import ledger_files, long_form, subprocess_env

SEED = 20261123
FIGURES: dict[str, dict[str, object]] = {}

# The writer: the core API on its own connection, as fast as it can go. A line goes to
# stdout (flushed) only after its action has committed, so every line is a promise.
WRITER = r"""
import random, sys
from xinfang.core.life import deciding, handling, notes
from xinfang.core.intake import registration
from xinfang.store.db import connect

rng = random.Random(int(sys.argv[1]))
conn = connect()
def numbers(status):
    rows = conn.execute("SELECT year, seq FROM cases WHERE status = ? ORDER BY id", (status,))
    return [f"{year}-{seq:04d}" for year, seq in rows]
registered, accepted = numbers("registered"), numbers("accepted")
mine = []
while True:
    roll = rng.random()
    if roll < 0.4 or not (registered or accepted):
        values = {
            "name": rng.choice(["张三", "李四", "王五", "赵六"]),
            "phone": f"138{rng.randrange(10**8):08d}", "source": "本级",
            "form": rng.choice(["来访", "来信", "来电"]),
            "content": f"反映第{rng.randrange(10**6)}号低保评定不公，家中老人无收入",
            "category": "最低生活保障", "township": "沙河镇", "receiver": "王芳",
        }
        number = registration.register(conn, values).case_no
        registered.append(number)
        mine.append(number)
        print("R", number, flush=True)
    elif roll < 0.65 and registered:
        number = registered.pop(0)
        deciding.accept(conn, number)
        accepted.append(number)
        print("A", number, flush=True)
    elif roll < 0.75 and accepted:
        number = accepted.pop(rng.randrange(len(accepted)))
        handling.assign(conn, number, to=rng.choice(["沙河镇", "新华镇"]), due="2026-12-31")
        print("S", number, flush=True)
    else:
        number = rng.choice(mine or registered or accepted)
        notes.note(conn, number, f"电话联系信访人，第{rng.randrange(1000)}次")
        print("N", number, flush=True)
"""

# The status each action leaves a case in (None: unchanged).
LEADS_TO = {"register": "registered", "accept": "accepted", "assign": "assigned", "note": None}


def xinfang(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xinfang", *args],
        capture_output=True, text=True, env=subprocess_env(), cwd=tmp, timeout=120,
    )  # fmt: skip


def save_figures(name: str, figures: dict[str, object], tmp_path: Path) -> None:
    FIGURES[name] = figures
    (tmp_path / "figures.json").write_text(json.dumps(FIGURES, ensure_ascii=False, indent=2))
    print(f"\n{name}: {json.dumps(figures, ensure_ascii=False)}")  # seen only with -s


def run_and_kill(script: Path, seed: int, delay: float, tmp: Path) -> list[tuple[str, str]]:
    """Start the writer, SIGKILL it after `delay` seconds; its complete promise lines."""
    writer = subprocess.Popen(
        [sys.executable, str(script), str(seed)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=subprocess_env(), cwd=tmp,
    )  # fmt: skip
    time.sleep(delay)
    writer.send_signal(signal.SIGKILL)
    out, err = writer.communicate(timeout=60)
    assert writer.returncode == -signal.SIGKILL, err.decode()  # it died of the kill, not alone
    text = out.decode()
    lines = text.splitlines()[: text.count("\n")]  # a torn last line promised nothing
    return [tuple(line.split()) for line in lines]  # type: ignore[misc]


def check_ledger(db_path: Path, promises: list[tuple[str, str]], kills: int) -> dict[str, int]:
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        cases = {
            f"{year}-{seq:04d}": (case_id, status)
            for case_id, year, seq, status in conn.execute(
                "SELECT id, year, seq, status FROM cases"
            )
        }
        history: dict[int, list[tuple[str, str]]] = {}
        for case_id, action, after in conn.execute(
            "SELECT case_id, action, status_after FROM events ORDER BY id"
        ):
            history.setdefault(case_id, []).append((action, after))
        assert set(history) <= {case_id for case_id, _ in cases.values()}
        for number, (case_id, status) in cases.items():
            events = history.get(case_id)
            assert events and events[0] == ("register", "registered"), (number, events)
            state = None
            for action, after in events:
                state = LEADS_TO[action] or state
                assert after == state, (number, events)
            assert status == state, (number, status, events)
        # Every promise kept: the case, its accept or assign, as many notes as reported.
        notes = Counter(number for kind, number in promises if kind == "N")
        for kind, number in promises:
            assert number in cases, f"{kind} {number} was reported but is not in the ledger"
            actions = [action for action, _ in history[cases[number][0]]]
            assert {"A": "accept", "S": "assign"}.get(kind, "register") in actions, (kind, number)
            assert actions.count("note") >= notes[number], (number, actions)
        # A kill can cost at most the report of one committed registration.
        reported = {number for kind, number in promises if kind == "R"}
        assert len(reported) == sum(kind == "R" for kind, _ in promises)  # no number twice
        assert 0 <= len(cases) - len(reported) <= kills
        # Numbers: unique, gapless from 1, and each sequence at (not behind) its top.
        assert not conn.execute(
            "SELECT year, seq, count(*) FROM cases GROUP BY year, seq HAVING count(*) > 1"
        ).fetchall()
        assert not conn.execute(
            "SELECT assign_year, assign_seq FROM cases WHERE assign_seq IS NOT NULL "
            "GROUP BY assign_year, assign_seq HAVING count(*) > 1"
        ).fetchall()
        seqs = sorted(seq for (seq,) in conn.execute("SELECT seq FROM cases WHERE year = 2026"))
        assert seqs == list(range(1, len(seqs) + 1))
        last = dict(conn.execute("SELECT name, last FROM sequences WHERE year = 2026").fetchall())
        assert last.get("case", 0) >= len(seqs)
        top_assign = conn.execute("SELECT max(assign_seq) FROM cases").fetchone()[0] or 0
        assert last.get("assign", 0) >= top_assign
        events = sum(len(e) for e in history.values())
        return {"cases": len(cases), "events": events, "assigned": top_assign}
    finally:
        conn.close()


@pytest.mark.sqlite_only("a killed writer and the SQLite file's own integrity_check")
@pytest.mark.parametrize(
    "form", ["short", pytest.param("long", marks=pytest.mark.long)], ids=["short", "long"]
)
def test_writer_killed_at_random(form, db_path, tmp_path, request):
    if form == "long" and not long_form(request):
        pytest.skip("long form: XINFANG_LONG=1 or -m long")
    target, budget = (300, 600.0) if form == "long" else (25, 20.0)
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    rng = random.Random(SEED)
    promises: list[tuple[str, str]] = []
    kills = 0
    started = time.monotonic()
    while kills < target and time.monotonic() - started < budget:
        promises += run_and_kill(script, SEED + kills, rng.uniform(0.05, 0.4), tmp_path)
        kills += 1
    elapsed = time.monotonic() - started
    assert kills >= min(target, 10), f"only {kills} kills in {budget:.0f} s"
    assert any(kind == "R" for kind, _ in promises), "the writer never got to write"

    figures = check_ledger(db_path, promises, kills)
    doctor = xinfang("doctor", tmp=tmp_path)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    # The ledger goes on: the next number follows the last one, none is given twice.
    after = xinfang(
        "register", "--name", "张三", "--source", "本级", "--form", "来访",
        "--content", "崩溃后继续登记", tmp=tmp_path,
    )  # fmt: skip
    assert after.returncode == 0, after.stderr
    assert re.search(rf"已登记：2026-{figures['cases'] + 1:04d}（", after.stdout), after.stdout

    save_figures(
        f"crash-{form}",
        {"kills": kills, "seconds": round(elapsed, 1), "reported": len(promises), **figures},
        tmp_path,
    )


def test_archive_killed_midway_then_retried(db_path, tmp_path):
    """`archive` writes the case file (folder, zip, manifest) inside its transaction. Killed
    at any moment and run again, it leaves one whole case file that `verify` accepts."""
    from xinfang.core.intake import registration
    from xinfang.core.life import closing, deciding, handling, ledger
    from xinfang.store.db import connect

    conn = connect(db_path)
    numbers = []
    for n in range(8):
        values = {"name": "张三", "source": "本级", "form": "来访", "content": f"反映第{n}号低保"}
        number = registration.register(conn, values).case_no
        deciding.accept(conn, number)
        handling.reply(conn, number, result="已解决", finding="属实", text="已重新评定")
        closing.revisit(conn, number, method="电话回访", satisfaction="满意")
        closing.publicize(conn, number)
        numbers.append(closing.close(conn, number))
    rng = random.Random(SEED)
    committed = 0
    archive = ledger_files(db_path) / "archive"
    for number in numbers:
        killed = subprocess.Popen(
            [sys.executable, "-m", "xinfang", "archive", number, "--retention", "10年"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=subprocess_env(),
            cwd=tmp_path,
        )  # fmt: skip
        time.sleep(rng.uniform(0.1, 0.6))
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=60)
        if ledger.find(conn, number).status == "archived":
            committed += 1
        else:
            again = xinfang("archive", number, "--retention", "10年", tmp=tmp_path)
            assert again.returncode == 0, again.stdout + again.stderr
        verify = xinfang("verify", number, tmp=tmp_path)
        assert verify.returncode == 0, verify.stdout + verify.stderr
        manifest = [Path(p).name for (p,) in conn.execute(
            "SELECT path FROM archive_files WHERE case_id = ? ORDER BY position",
            (ledger.find(conn, number).id,),
        )]  # fmt: skip
        folders = [p for p in archive.glob(f"{number}_*") if p.is_dir()]
        bundles = list(archive.glob(f"{number}_*.zip"))
        assert len(folders) == len(bundles) == 1, (folders, bundles)
        with zipfile.ZipFile(bundles[0]) as bundle:
            assert bundle.testzip() is None
            assert sorted(Path(name).name for name in bundle.namelist()) == sorted(manifest)
    conn.close()
    doctor = xinfang("doctor", tmp=tmp_path)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    leftovers = list(archive.glob(".*.tmp"))  # staging folders of killed runs
    save_figures(
        "archive-kills",
        {"kills": len(numbers), "committed_before_kill": committed, "staging_left": len(leftovers)},
        tmp_path,
    )
