"""The demonstration ledger (`xinfang demo`) shows the office's real days: steps undone
and cases voided, reports sent back, cases moved between units or returned by them,
reminders, petitions joined, repeat links made and removed, a closing without 公示, a
petitioner who cannot be reached, the units' responsible persons; the statistics count
them; it is the same ledger every time and `doctor` finds nothing wrong with it."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path

import merging
import pytest
from conftest import TODAY
from typer.testing import CliRunner

from xinfang.cli import app
from xinfang.core import demo
from xinfang.core.clock.periods import Period
from xinfang.core.life import projection
from xinfang.core.reporting import stats
from xinfang.core.vocabulary import UNREACHABLE
from xinfang.outputs.archive import CaseFolder
from xinfang.store.db import connect

AS_OF = date(2026, 11, 23)
DEMO_WEEKS = Period(date(2026, 9, 1), AS_OF, "range")


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """`xinfang demo` run once, as the clerk runs it: the ledger and what it printed."""
    home = tmp_path_factory.mktemp("demo")
    path = home / "演示.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XINFANG_NOW", TODAY)
        patch.setenv("XDG_DATA_HOME", str(home / "xdg"))
        patch.delenv("XINFANG_USER", raising=False)
        out = CliRunner().invoke(app, ["demo", "--db", str(path)])
    assert out.exit_code == 0, out.output
    return path, out.stdout


@pytest.fixture
def ledger(demo_run: tuple[Path, str]) -> Path:
    return demo_run[0]


def query(path: Path, statement: str, *params: object) -> list[sqlite3.Row]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(statement, params).fetchall()
    finally:
        conn.close()


def test_the_demo_ledger_has_the_offices_corrections_and_routing(ledger):
    events = query(ledger, "SELECT action, data FROM events")
    actions = Counter(row["action"] for row in events)
    for action in ("send-back", "reassign", "unit-return", "urge", "link", "unlink"):
        assert actions[action] >= 1, action
    assert actions["join"] == 2 and actions["void"] == 2
    data = [(row["action"], json.loads(row["data"])) for row in events]
    voids = [d for action, d in data if action == "void"]
    assert sorted(d["action"] for d in voids) == ["register", "reply"]  # 作废, 撤销 a step
    assert all(d["reason"] for d in voids)
    assert [d["reason"] for a, d in data if a == "close" and d.get("publicize") is False]
    assert [d["reason"] for a, d in data if a == "notify" and d["notice_method"] == UNREACHABLE]
    assigned = [d for action, d in data if action in ("assign", "reassign")]
    assert assigned and all(d["person"] and d["person_phone"] for d in assigned)


def test_a_joined_case_is_filed_with_its_main_case(ledger, demo_run):
    assert "已作废：1 件" in demo_run[1] and "已并案（随主案办理）：1 件" in demo_run[1]
    statuses = Counter(row[0] for row in query(ledger, "SELECT status FROM cases"))
    assert (statuses["voided"], statuses["joined"]) == (1, 1)
    [filed] = query(
        ledger,
        "SELECT f.path FROM archive_files f JOIN cases c ON c.id = f.case_id "
        "WHERE f.path LIKE '%并案说明%' AND c.status = 'archived'",
    )
    assert Path(filed["path"]).name.startswith("8-")


def test_the_statistics_count_the_repeats_and_the_units_corrections(ledger):
    conn = connect(ledger)
    analysis = stats.compute(conn, DEMO_WEEKS, AS_OF)
    linked = conn.execute("SELECT count(*) FROM cases WHERE repeat_of IS NOT NULL").fetchone()[0]
    conn.close()
    assert analysis.current.repeat == linked > 0
    ranking = analysis.ranking
    for measure in ("sent_back", "reassigned_away", "returned", "urged"):
        assert sum(getattr(unit, measure) for unit in ranking) > 0, measure
    assert any(unit.quality_rate is not None and unit.quality_rate < 1 for unit in ranking)


def test_the_replies_counted_are_the_replies_given(ledger):
    """答复数: a joined case's reply deadline ends with its 并案, unmet; only the replies
    given (and not withdrawn) count."""
    conn = connect(ledger)
    analysis = stats.compute(conn, DEMO_WEEKS, AS_OF)
    counted = projection.counts_sql("e")
    given = conn.execute(f"SELECT count(*) FROM events e WHERE action = 'reply' AND {counted}")
    assert analysis.current.replied == given.fetchone()[0] == 20
    conn.close()


def test_doctor_finds_the_demo_ledger_sound(ledger, run):
    findings = json.loads(run("doctor", "--json", "--db", str(ledger)).stdout)
    assert [f for f in findings if f["level"] == "问题"] == []


def test_the_demo_is_the_same_every_time(ledger, tmp_path):
    again = tmp_path / "again.db"
    demo.build(connect(again), binder=CaseFolder)
    history = (
        "SELECT case_id, action, occurred_at, round, status_after, data FROM events ORDER BY id"
    )
    assert [tuple(row) for row in query(again, history)] == [
        tuple(row) for row in query(ledger, history)
    ]


def test_a_towns_unreachable_petitioner_merges_at_the_county(run, tmp_path, template_ledger):
    """Found by the demo's days at the county: a town's notice 无法联系 (with its reason)
    was refused by the bundle check as an unknown notice method."""
    town = merging.new_town(run, tmp_path, template_ledger, "town", "沙河镇人民政府")
    merging.register(run, town, "张三", "低保金停发", "2026-11-02 09:00")
    run("accept", "2026-0001", "--on", "2026-11-03", *merging.at(town))
    run("notify", "2026-0001", "--method", UNREACHABLE, "--reason", "电话空号",
        "--on", "2026-11-04", *merging.at(town))  # fmt: skip
    run("merge", str(merging.bundle(run, town, tmp_path / "town.zip", "2026-11")))
    [case] = json.loads(run("list", "--json").stdout)
    assert (case["notified_on"], case["notice_method"]) == ("2026-11-04", UNREACHABLE)
