"""Several clerks registering at once: N processes, each with its own connection to the same
ledger, calling the core's registration (what `xinfang register` calls, repeat detection
on) as fast as they can for the same few seconds. Registrations per second is what all of
them registered together, divided by those seconds.

The core API, not one CLI process per registration: on 2 cores eight clerks' interpreter
start-ups (~190 ms each) would be the whole figure, and the point is what the store does
with writers at once — SQLite takes one at a time (each waits on the file's lock),
PostgreSQL takes them together (each waits only on the year's number row, FOR UPDATE).

    python bench/clerks.py TARGET LISTS.json CLERK SECONDS   (one clerk; run.py starts them)
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# `xinfang register` options -> the core's field keys (the same arguments as run.py's
# register row, so both rows register the same cases).
FIELD_OF = {
    "--name": "name",
    "--phone": "phone",
    "--source": "source",
    "--form": "form",
    "--category": "category",
    "--town": "township",
    "--receiver": "receiver",
    "--content": "content",
    "--upper-ref": "upper_ref",
    "--platform": "platform",
    "--url": "post_url",
    "--posted-at": "posted_at",
}
PER_CLERK = 100_000  # clerk k registers cases n = k * PER_CLERK + i: names and phones apart


@dataclass
class Crowd:
    clerks: int
    seconds: float  # how long they all registered
    registered: int  # together, as they reported
    added: int  # cases more in the ledger afterwards
    numbers_ok: bool  # every added case has its own number, none skipped
    errors: list[str]

    @property
    def per_second(self) -> float:
        return self.registered / self.seconds


def clerk(target: str, lists_file: str, index: int, seconds: float) -> None:
    """One clerk: connect, say ready, wait for the go line, register until time is up, print
    how many."""
    from run import registration

    from xinfang.core.intake import registration as intake
    from xinfang.store.db import connect

    lists = json.loads(Path(lists_file).read_text(encoding="utf-8"))
    conn = connect(target)
    print("ready", flush=True)
    sys.stdin.readline()
    stop, done = time.monotonic() + seconds, 0
    while time.monotonic() < stop:
        args = registration(index * PER_CLERK + done, lists)[1:]
        options = dict(zip(args[::2], args[1::2], strict=True))
        values: dict[str, Any] = {FIELD_OF[k]: v for k, v in options.items() if k in FIELD_OF}
        intake.register(conn, values, on=options["--on"])
        done += 1
    conn.close()
    print(done, flush=True)


def cases_in(target: str) -> tuple[int, int, int]:
    """(cases, distinct numbers, the year 2026's highest number)."""
    from xinfang.store.db import connect

    conn = connect(target)
    try:
        row = conn.execute(
            "SELECT count(*), count(DISTINCT year * 1000000 + seq), "
            "coalesce(max(CASE WHEN year = 2026 THEN seq END), 0) FROM cases"
        ).fetchone()
    finally:
        conn.close()
    return int(row[0]), int(row[1]), int(row[2])


def crowd(target: str, lists_file: Path, clerks: int, seconds: float, env: dict[str, str]) -> Crowd:
    """`clerks` clerk processes registering into `target` for `seconds`, checked after."""
    before, _, top_before = cases_in(target)
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, target, str(lists_file), str(k), str(seconds)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for k in range(clerks)
    ]
    errors = []
    for proc in procs:  # every clerk connected before any starts
        assert proc.stdout is not None
        if proc.stdout.readline().strip() != "ready":
            errors.append("a clerk did not start")
    began = time.perf_counter()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    registered = 0
    for proc in procs:
        out, err = proc.communicate(timeout=seconds + 120)
        if proc.returncode != 0:
            errors.append((err.strip().splitlines() or ["?"])[-1])
        else:
            registered += int(out.split()[-1])
    elapsed = time.perf_counter() - began  # the last clerk's last registration included
    after, distinct, top_after = cases_in(target)
    added = after - before
    numbers_ok = distinct == after and top_after - top_before == added
    return Crowd(clerks, elapsed, registered, added, numbers_ok, errors)


if __name__ == "__main__":
    clerk(sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
