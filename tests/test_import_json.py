"""`import x.json`: the ledger's own JSON export comes back exactly (issue 18, Also): every
case with its fields, stage, dates, history and deadlines; a second import adds nothing;
a file edited by hand is refused whole, naming the case and the field, nothing written."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, Run
from typer.testing import CliRunner

from xinfang.cli import app
from xinfang.store.db import connect


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The demo ledger, made once, and its JSON export."""
    home = tmp_path_factory.mktemp("demo")
    ledger, target = home / "演示.db", home / "全部案件.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XINFANG_NOW", TODAY)
        patch.setenv("XDG_DATA_HOME", str(home / "xdg"))
        patch.setenv("XINFANG_USER", "王芳")
        for args in (
            ["demo", "--db", str(ledger)],
            ["export", "-o", str(target), "--db", str(ledger)],
        ):
            out = CliRunner().invoke(app, args)
            assert out.exit_code == 0, out.output
    return ledger, target


def shown(run: Run, case_no: str, db: Path) -> dict[str, Any]:
    """`show --json`, without what must differ in another ledger: the events' ids (the
    ledger's own row ids), the row's updated_at (when it was written here) and the
    registration's `imported_from` (where this copy came from)."""
    case = json.loads(run("show", case_no, "--json", "--db", str(db)).stdout)
    del case["updated_at"]
    for event in case["events"]:
        del event["id"]
        event.pop("office_id", None)  # the county's lane column, the ledger's own like the id
    for deadline in case.get("deadlines", []):
        deadline.pop("office_id", None)
    case["events"][0]["data"].pop("imported_from", None)
    return case


def numbers(db: Path) -> list[str]:
    with connect(db) as conn:
        rows = conn.execute("SELECT printf('%d-%04d', year, seq) FROM cases ORDER BY id")
        return [row[0] for row in rows]


def test_round_trip_is_exact(run: Run, db_path: Path, exported: tuple[Path, Path]) -> None:
    ledger, target = exported
    out = run("import", str(target))
    assert "已导入 42 件" in out.stdout
    assert numbers(db_path) == numbers(ledger)  # the numbers kept: the ledger had them free
    for case_no in numbers(ledger):
        assert shown(run, case_no, db_path) == shown(run, case_no, ledger), case_no
    with connect(ledger) as a, connect(db_path) as b:
        deadlines = (
            "SELECT printf('%d-%04d', c.year, c.seq), d.stage, d.round, starts_on, due_on, met_on, "
            "paused_days, ended_by FROM deadlines d JOIN cases c ON c.id = d.case_id ORDER BY 1, 2, 3"
        )
        assert [tuple(r) for r in a.execute(deadlines)] == [tuple(r) for r in b.execute(deadlines)]
        sequences = "SELECT name, year, last FROM sequences ORDER BY 1, 2"
        assert [tuple(r) for r in a.execute(sequences)] == [tuple(r) for r in b.execute(sequences)]
    doctor = run("doctor")
    assert "[问题]" not in doctor.stdout and "[错误]" not in doctor.stdout, doctor.stdout
    again = run("import", str(target), "--json")
    assert json.loads(again.stdout)["imported"] == 0
    assert json.loads(again.stdout)["duplicates"] == 42
    assert len(numbers(db_path)) == 42


@pytest.mark.sqlite_only("seeds the ledger with sqlite3's backup of the demo file")
def test_taken_numbers_are_renumbered_and_links_follow(
    run: Run, db_path: Path, exported: tuple[Path, Path]
) -> None:
    """Into a ledger that has cases already: new numbers, and a repeat petition still
    linked to the case it repeats (under that case's new number)."""
    ledger, target = exported
    with sqlite3.connect(ledger) as source, sqlite3.connect(db_path) as copy:
        source.backup(copy)  # its cases were typed in, not imported: new to it
    with sqlite3.connect(ledger) as conn:  # the demo's own imported cases are known to it
        known = conn.execute(
            "SELECT count(*) FROM events WHERE action = 'register' AND data LIKE '%imported_from%'"
        ).fetchone()[0]
    done = json.loads(run("import", str(target), "--json").stdout)
    assert (done["imported"], done["duplicates"]) == (42 - known, known)
    assert len(numbers(db_path)) == 84 - known
    with sqlite3.connect(ledger) as conn:
        linked = conn.execute("SELECT count(*) FROM cases WHERE repeat_of IS NOT NULL").fetchone()
    with sqlite3.connect(db_path) as conn:
        copies = conn.execute(
            "SELECT count(*) FROM cases c JOIN cases r ON r.id = c.repeat_of "
            "WHERE c.id > 42 AND r.id > 42"
        ).fetchone()
    assert linked[0] > 0 and copies[0] == linked[0]
    with sqlite3.connect(db_path) as conn:  # a 并案 names the main case's copy
        joined = conn.execute(
            "SELECT json_extract(e.data, '$.into') FROM events e "
            "WHERE e.case_id > 42 AND json_extract(e.data, '$.into') IS NOT NULL"
        ).fetchall()
    assert joined and all(int(into[5:]) > 42 for (into,) in joined)
    doctor = run("doctor")
    assert "[问题]" not in doctor.stdout and "[错误]" not in doctor.stdout, doctor.stdout


def tampered(exported: tuple[Path, Path], tmp_path: Path, change: Any) -> Path:
    cases = json.loads(exported[1].read_text())
    change(cases)
    path = tmp_path / "改过.json"
    path.write_text(json.dumps(cases, ensure_ascii=False))
    return path


def set_name(cases: list[dict[str, Any]]) -> None:
    cases[0]["name"] = "李四"


def set_status(cases: list[dict[str, Any]]) -> None:
    cases[1]["events"][-1]["status_after"] = "registered"


def unknown_action(cases: list[dict[str, Any]]) -> None:
    cases[2]["events"][1]["action"] = "delete_everything"


def long_text(cases: list[dict[str, Any]]) -> None:
    cases[3]["events"][0]["data"]["content"] = "很长" * 20_000


def twice(cases: list[dict[str, Any]]) -> None:
    cases.append(cases[0])


def masked(cases: list[dict[str, Any]]) -> None:
    del cases[5]["events"]


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (set_name, "案件 2026-0001 的“信访人姓名”“李四”与其办理记录不符"),
        (set_status, "记录的状态“registered”与办理过程"),
        (unknown_action, "未知的办理环节“delete_everything”"),
        (long_text, "反映问题"),
        (twice, "出现了两次"),
        (masked, "第 6 件案件 没有办理记录（events）"),
    ],
)
def test_a_tampered_file_is_refused_whole(
    run: Run, db_path: Path, exported: tuple[Path, Path], tmp_path: Path, change: Any, said: str
) -> None:
    out = run("import", str(tampered(exported, tmp_path, change)), expect=2)
    assert said in out.output, out.output
    assert "Traceback" not in out.output
    assert numbers(db_path) == []
    assert not list(tmp_path.glob("*未导入行*"))


@pytest.mark.parametrize("text", ["", "{", '{"cases": []}', "[]", "[1]", "[" * 100_000])
def test_not_an_export_is_refused(run: Run, db_path: Path, tmp_path: Path, text: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(text)
    out = run("import", str(path), expect=2)
    assert "x.json" in out.output and "Traceback" not in out.output
    assert numbers(db_path) == []


def test_dry_run_writes_nothing(run: Run, db_path: Path, exported: tuple[Path, Path]) -> None:
    out = run("import", str(exported[1]), "--dry-run")
    assert "可导入 42 件" in out.stdout and "2026-0001" in out.stdout
    assert numbers(db_path) == []


def test_a_masked_export_carries_no_history(
    run: Run, exported: tuple[Path, Path], tmp_path: Path
) -> None:
    target = tmp_path / "统计用.json"
    run("export", "--mask", "-o", str(target), "--db", str(exported[0]))
    cases = json.loads(target.read_text())
    assert cases and all("events" not in case and "name" not in case for case in cases)
