"""`xinfang today` on the demonstration ledger at a fixed clock: what is overdue, due
today and within three working days, case by case with the next step and the command to
type; the notices to print; today's reception; loans due; the month's calendar with the
deadlines due each day. And `calendar` with no argument: this month."""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY
from typer.testing import CliRunner

from xinfang.cli import app
from xinfang.store.db import connect


@pytest.fixture(scope="module")
def demo_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("demo")
    path = home / "演示.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XINFANG_NOW", TODAY)
        patch.setenv("XDG_DATA_HOME", str(home / "xdg"))
        out = CliRunner().invoke(app, ["demo", "--db", str(path)])
    assert out.exit_code == 0, out.output
    conn = connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def demo(db_path: Path, demo_ledger: Path, store: str, request, monkeypatch) -> Path:
    """A copy of the demonstration ledger, as the tests' ledger (XINFANG_DB)."""
    if store == "postgresql":  # moved into a town's database (migrate-store)
        db_path = request.getfixturevalue("pg_towns").from_file(demo_ledger)
        monkeypatch.setenv("XINFANG_DB", db_path)
        return db_path
    shutil.copyfile(demo_ledger, db_path)
    return db_path


def agenda(run: Any) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(run("today", "--json").stdout)
    return result


def numbers(dues: list[dict[str, Any]]) -> list[str]:
    return [due["case_no"] for due in dues]


def test_the_days_deadlines_case_by_case_with_the_command_to_type(demo: Path, run: Any) -> None:
    day = agenda(run)
    assert day["today"] == "2026-11-23" and day["horizon"] == "2026-11-26"
    assert numbers(day["overdue"]) == ["2026-0006", "2026-0005"]
    late = day["overdue"][0]
    assert [d["label"] for d in late["deadlines"]] == ["回访"]
    assert late["deadlines"][0]["left"] == "超期 7日"
    assert late["commands"][0] == "xinfang revisit 2026-0006"
    assert numbers(day["due_today"]) == ["2026-0027"]
    # The petitioner of 2026-0027 was told long ago: 告知 is not offered again.
    assert day["due_today"][0]["commands"] == [
        "xinfang unit-accept 2026-0027", "xinfang reassign 2026-0027",
        "xinfang unit-return 2026-0027",
    ]  # fmt: skip
    soon = {due["case_no"]: due for due in day["due_soon"]}
    assert "xinfang accept 2026-0038" in soon["2026-0038"]["commands"]
    assert soon["2026-0012"]["commands"][0] == "xinfang reply 2026-0012"
    # Each case once, in the section of its most pressing deadline; never a name.
    listed = numbers(day["overdue"] + day["due_today"] + day["due_soon"])
    assert len(listed) == len(set(listed))
    assert all("*" in (due["petitioner"] or "*") or due["petitioner"] == "（匿名）"
               for due in day["overdue"] + day["due_soon"])  # fmt: skip


def test_a_case_with_two_deadlines_is_listed_once_with_both(demo: Path, run: Any) -> None:
    import os

    os.environ["XINFANG_NOW"] = "2026-11-30 10:00"  # the isolated fixture restores it
    day = agenda(run)
    late = {due["case_no"]: due for due in day["overdue"]}
    assert [d["label"] for d in late["2026-0013"]["deadlines"]] == ["答复", "交办办结"]
    listed = numbers(day["overdue"] + day["due_today"] + day["due_soon"])
    assert listed.count("2026-0013") == 1


def test_the_calendar_counts_the_deadlines_due_each_day(demo: Path, run: Any, sql: Any) -> None:
    day = agenda(run)
    counted = {d["day"]: d["deadlines"] for d in day["calendar"]["days"]}
    assert len(counted) == 30 and day["calendar"]["first"] == "2026-11-01"
    stages = "('notice','unit_accept','reply','revisit','publicize','archive','review',"
    stages += "'recheck','reexamine','assign_due','supervise_due')"
    for due_on, expected in sql(
        "SELECT due_on, count(*) FROM deadlines WHERE met_on IS NULL AND ended_by IS NULL "
        "AND due_on LIKE '2026-11-%' AND stage NOT IN ('review_request','recheck_request') "
        "GROUP BY due_on"
    ):
        assert counted[due_on] == expected
    assert counted["2026-11-25"] == 7
    shown = run("today").stdout
    assert "2026年11月（今天 23 日）" in shown
    assert "25  [7]" in shown


def test_a_decision_not_yet_told_is_a_notice_to_print(demo: Path, run: Any) -> None:
    assert agenda(run)["notices"] == []
    run("accept", "2026-0038")
    notices = agenda(run)["notices"]
    assert [n["command"] for n in notices] == ["xinfang print 2026-0038 受理告知书"]
    assert notices[0]["due_on"] == "2026-11-25"
    soon = {due["case_no"]: due for due in agenda(run)["due_soon"]}
    assert "xinfang notify 2026-0038" in soon["2026-0038"]["commands"]
    assert "xinfang print 2026-0038 受理告知书" in run("today").stdout
    run("notify", "2026-0038", "--method", "书面告知书")
    assert agenda(run)["notices"] == []


def test_reception_today_and_loans_due(
    demo: Path, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert agenda(run)["reception"] is None
    assert "今天没有领导接访安排" in run("today").stdout
    run("lend", "2026-0001", "--to", "王五", "--unit", "县纪委监委", "--approved-by", "李主任",
        "--due", "2026-11-25")  # fmt: skip
    loans = agenda(run)["loans"]
    assert [(d["case_no"], d["commands"]) for d in loans] == [
        ("2026-0001", ["xinfang return 2026-0001"])
    ]
    monkeypatch.setenv("XINFANG_NOW", "2026-11-27 08:30")
    day = agenda(run)
    assert day["reception"]["leader"] == "李卫东"
    assert "今天领导接访：李卫东，09:00–11:00，局接访室" in run("today").stdout


def test_xinfang_alone_at_a_terminal_is_today_piped_the_help(
    demo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from xinfang import cli

    monkeypatch.setattr(sys, "argv", ["xinfang"])
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    cli.main()
    assert "今天 2026-11-23（周一）" in capsys.readouterr().out
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    with pytest.raises(SystemExit):
        cli.main()
    out = capsys.readouterr()
    assert "今天 2026-11-23" not in out.out and "Usage" in out.out + out.err


def test_calendar_with_no_month_is_this_month(demo: Path, run: Any) -> None:
    shown = run("calendar").stdout
    assert shown.splitlines()[0] == "2026年11月（今天 23 日）"
    assert "25  [7]" in shown
    assert run("calendar", "show").stdout == shown
    october = run("calendar", "show", "2026-10").stdout
    assert " 5休 " in october and "10班 " in october


def test_calendar_columns_do_not_drift_after_a_mark(demo: Path, run: Any) -> None:
    from rich.cells import cell_len

    october = run("calendar", "show", "2026-10").stdout.splitlines()
    header = october[1]
    week = next(line for line in october if line.startswith(" 5休"))
    # Each day starts under its weekday, 休/班 (two cells each) or not.
    starts = [cell_len(header[: header.index(name)]) for name in "一二三四五六日"]
    days = [cell_len(week[: week.index(f"{n:>2}")]) for n in range(5, 12)]
    assert [s - 2 for s in starts] == days
    assert sqlite3.sqlite_version
