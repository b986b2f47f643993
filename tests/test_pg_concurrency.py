"""The county ledger with everyone at once: eight clerk processes, three for each of two
towns and two for the county, registering and acting (受理, 备注, 交办; the county's 督办 of
the towns' cases) on the core API for a few seconds. Afterwards no write is lost, no number
is taken twice or skipped in any office's year, and each lane held: a town's role sees its
own cases only, the county's sees them all, and the county's events on a town's case are in
the town's lane.

Short form by default (~8 s); the long form (30 s) with XINFANG_LONG=1 or `-m long`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from typing import Any

import pytest

pytest.importorskip("psycopg", reason="PostgreSQL tests skipped: pip install -e '.[postgres]'")

import psycopg

from tests.conftest import long_form
from tests.pg import COUNTY, A, B, County

SEED = 20261130
ROLES = ("a", "a", "a", "b", "b", "b", "county", "county")
OFFICE = {"a": A, "b": B, "county": COUNTY}
FIGURES: dict[str, dict[str, object]] = {}

# One clerk: its role's DSN in XINFANG_DB. Prints `R number` for each registration and
# `E number action` for each step it took (a town's case, at the county, written 沙河镇/…).
CLERK = r"""
import random, sys, time
from xinfang.core.errors import XinfangError
from xinfang.core.intake import registration
from xinfang.core.life import deciding, handling, lanes, notes, supervision
from xinfang.store.db import connect

rng = random.Random(int(sys.argv[1]))
stop = time.monotonic() + float(sys.argv[2])
county = sys.argv[3] == "county"
conn = connect()
lane = lanes.of(conn)

def registered():
    values = {
        "name": rng.choice(["李四", "王五", "赵六", "孙七"]),
        "phone": f"139{rng.randrange(10**8):08d}", "source": "本级", "form": "来信",
        "content": f"反映第{rng.randrange(10**9)}号临时救助未发放", "category": "临时救助",
        "township": "新华镇", "receiver": "王芳",
    }
    number = registration.register(conn, values, link_repeats=False).case_no
    print("R", number, flush=True)
    return number

def supervise_a_town_case():
    rows = conn.execute(
        "SELECT year, seq, office_id FROM cases WHERE status = 'assigned' AND office_id <> ? "
        "ORDER BY random() LIMIT 1", (lane.office,)
    ).fetchall()
    if not rows:
        return
    ref = lane.number_of(rows[0])
    supervision.supervise(conn, ref, due="2026-12-15", reason="群众反映强烈，请加快办理")
    print("E", ref, "supervise", flush=True)
    notes.note(conn, ref, "县信访局已督办")
    print("E", ref, "note", flush=True)

while time.monotonic() < stop:
    if county and rng.random() < 0.6:
        supervise_a_town_case()
        continue
    number = registered()
    if rng.random() < 0.8:
        deciding.accept(conn, number, notified_on="2026-11-23")
        print("E", number, "accept", flush=True)
        if rng.random() < 0.6:
            handling.assign(conn, number, to="沙河镇", due="2026-12-20")
            print("E", number, "assign", flush=True)
    if rng.random() < 0.5:
        notes.note(conn, number, "已电话联系信访人")
        print("E", number, "note", flush=True)
"""


FIRST_USE = "from xinfang.store.db import connect; connect().close()"


def _env(county: County, role: str) -> dict[str, str]:
    return {**os.environ, "XINFANG_DB": county.dsn[role]}


def test_three_offices_first_use_at_once(county: County) -> None:
    clerks = [
        subprocess.Popen(
            [sys.executable, "-c", FIRST_USE], stderr=subprocess.PIPE, text=True,
            env=_env(county, role),
        )
        for role in ROLES
    ]  # fmt: skip
    errors = [clerk.communicate(timeout=120)[1] for clerk in clerks]
    assert [clerk.returncode for clerk in clerks] == [0] * len(ROLES), errors


def snapshot(admin: str) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], dict[str, str]]:
    """(cases, events, office names) as the database's owner reads them, in one snapshot."""
    with psycopg.connect(admin) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        cases = conn.execute("SELECT id, office_id, year, seq, status FROM cases").fetchall()
        events = conn.execute(
            "SELECT e.id, e.office_id, c.office_id, c.year, c.seq, e.action, e.status_after "
            "FROM events e JOIN cases c ON c.id = e.case_id ORDER BY e.id"
        ).fetchall()
        names = dict(conn.execute("SELECT name, office_id FROM offices").fetchall())
    return cases, events, names


def where(ref: str, role: str, names: dict[str, str]) -> tuple[str, int, int]:
    """(office, year, seq) of a number a clerk of `role` printed."""
    office_name, _, number = ref.rpartition("/")
    office = names[office_name] if office_name else OFFICE[role]
    year, seq = number.split("-")
    return office, int(year), int(seq)


@pytest.mark.parametrize(
    "form", ["short", pytest.param("long", marks=pytest.mark.long)], ids=["short", "long"]
)
def test_eight_clerks_of_three_offices_at_once(
    form: str, county: County, request: pytest.FixtureRequest
) -> None:
    if form == "long" and not long_form(request):
        pytest.skip("long form: XINFANG_LONG=1 or -m long")
    seconds = 30.0 if form == "long" else 8.0
    for role in OFFICE:  # each office's first use one at a time: see the test below
        subprocess.run([sys.executable, "-c", FIRST_USE], env=_env(county, role), check=True)
    clerks = [
        subprocess.Popen(
            [sys.executable, "-c", CLERK, str(SEED + n), str(seconds), role],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(county, role),
        )
        for n, role in enumerate(ROLES)
    ]  # fmt: skip
    started = time.monotonic()
    outputs = [clerk.communicate(timeout=seconds + 120) for clerk in clerks]
    elapsed = time.monotonic() - started
    for clerk, (_, err) in zip(clerks, outputs, strict=True):
        assert clerk.returncode == 0, err
        assert "Traceback" not in err, err

    cases, events, names = snapshot(county.admin)
    # No write lost, none added: every case and step a clerk reported is there, once.
    reported: Counter[tuple[str, int, int, str]] = Counter()
    for role, (out, _) in zip(ROLES, outputs, strict=True):
        for line in out.splitlines():
            _, ref, *action = line.split()
            reported[(*where(ref, role, names), action[0] if action else "register")] += 1
    stored = Counter((office, year, seq, action) for _, _, office, year, seq, action, _ in events)
    assert stored == reported
    # Each office's numbers of the year: 1..n, no duplicate, no gap.
    for office in (A, B, COUNTY):
        seqs = sorted(seq for _, o, year, seq, _ in cases if o == office and year == 2026)
        assert seqs == list(range(1, len(seqs) + 1)), office
    # Every event is in its case's lane (the county's 督办 of a town's case included), and
    # each case's status is its last event's.
    assert [e for e in events if e[1] != e[2]] == []
    last = _last_status(events, cases)
    assert all(last[case_id] == status for case_id, _, _, _, status in cases)
    supervised_towns = {office for office, *_, action in reported if action == "supervise"}
    assert supervised_towns and supervised_towns <= {A, B}

    # The lanes, read by each role with plain SQL.
    per_office = Counter(office for _, office, *_ in cases)
    for who in ("a", "b"):
        with county.connect(who) as conn:
            seen = Counter(row[0] for row in conn.execute("SELECT office_id FROM cases"))
            assert seen == {OFFICE[who]: per_office[OFFICE[who]]}
            in_lane = conn.execute("SELECT DISTINCT office_id FROM events").fetchall()
            assert in_lane == [(OFFICE[who],)]
    with county.connect("county") as conn:
        assert conn.execute("SELECT count(*) FROM cases").fetchone() == (len(cases),)
        assert conn.execute("SELECT count(*) FROM events").fetchone() == (len(events),)

    registrations = sum(action == "register" for *_, action in reported.elements())
    FIGURES[f"pg-concurrency-{form}"] = {
        "seconds": seconds, "elapsed": round(elapsed, 1), "clerks": len(ROLES),
        "registrations": registrations, "per_second": round(registrations / seconds, 1),
        "events": len(events),
        "supervisions": sum(n for key, n in reported.items() if key[3] == "supervise"),
    }  # fmt: skip
    print(FIGURES)


def _last_status(events: list[tuple[Any, ...]], cases: list[tuple[Any, ...]]) -> dict[int, str]:
    """Each case's last event's status_after, by case id."""
    ids = {(office, year, seq): case_id for case_id, office, year, seq, _ in cases}
    return {ids[(office, year, seq)]: after for _, _, office, year, seq, _, after in events}
