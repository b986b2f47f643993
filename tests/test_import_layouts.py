"""Issue 18's acceptance: nine old ledgers of the kinds offices really bring (a 街道 台账范本,
a county 稳控台账, a police work-order import, a 纪检 export, a 12345 hotline export in two
vintages, a 住建局 信访件 table, an old .xls 办结表 with a merged title and a two-row
header, a 乡镇 登记簿 in .ods) are imported each with at most two --map/--default options,
as a clerk would on the first try. Every row is imported or rejected with a reason, rows
are at the stage they say, no text is lost, doctor is clean, a second import adds
nothing, and a historical import (--closed-before) leaves nothing overdue.

The workbooks and what is expected of them (tests/ledgers/layouts.json) are written by
tests/ledgers/make_ledgers.py and committed: the .xls and .ods come from LibreOffice."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from xinfang.core.doctor import PROBLEM
from xinfang.core.life.states import STATUS_LABELS, Status

LEDGERS = Path(__file__).parent / "ledgers"
LAYOUTS: list[dict[str, Any]] = json.loads((LEDGERS / "layouts.json").read_text("utf-8"))
HISTORY_BEFORE = "2026-11-01"  # every row of every ledger was received before this day


def ids(layout: dict[str, Any]) -> str:
    return str(layout["file"]).split("_")[0]


each = pytest.mark.parametrize("layout", LAYOUTS, ids=ids)


def test_each_layout_within_the_issues_limits():
    """Eight layouts at least, .xls and .ods among them, 20–50 rows, ≤ 2 options each."""
    assert len(LAYOUTS) >= 8
    assert {Path(layout["file"]).suffix for layout in LAYOUTS} >= {".xlsx", ".xls", ".ods"}
    for layout in LAYOUTS:
        assert 20 <= layout["data_rows"] <= 50, layout["file"]
        assert sum(o in ("--map", "--default") for o in layout["options"]) <= 2, layout["file"]
        assert (LEDGERS / layout["file"]).stat().st_size < 64_000


def good_rows(layout: dict[str, Any]) -> int:
    return layout["data_rows"] - len(layout["rejected_rows"]) - len(layout["blank_rows"])


def import_ledger(run, tmp_path: Path, layout: dict[str, Any], *extra: str) -> dict[str, Any]:
    """Imports a copy (the rejects workbook is written beside it) and returns --json."""
    copy = tmp_path / layout["file"]
    if not copy.exists():
        shutil.copyfile(LEDGERS / layout["file"], copy)
    # --add-values: a first import brings the office's own 承办单位, 属地… into its lists
    out = run(
        "import", str(copy), *layout["options"], "--add-values", *extra, "--json", expect=None
    )
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)


def found(run, phrase: str) -> list[dict[str, Any]]:
    return json.loads(run("search", phrase, "--json").stdout)


@each
def test_every_row_imported_or_rejected_with_a_reason(run, tmp_path, layout):
    result = import_ledger(run, tmp_path, layout)
    rejected = {row["row"]: row["reasons"] for row in result["rejected"]}
    assert result["duplicates"] == 0, "a row of the ledger was skipped as a duplicate"
    assert result["imported"] + len(rejected) + result["blank"] == layout["data_rows"], result
    assert result["blank"] == len(layout["blank_rows"])
    assert sorted(rejected) == layout["rejected_rows"], rejected
    assert all(reasons for reasons in rejected.values())


@each
def test_rows_are_at_the_stage_they_say(run, tmp_path, layout):
    import_ledger(run, tmp_path, layout)
    wrong = {}
    for phrase, statuses in layout["stages"]:
        cases = found(run, phrase)
        assert len(cases) == 1, (phrase, cases)
        case = json.loads(run("show", cases[0]["case_no"], "--json").stdout)
        expected = [STATUS_LABELS[Status(status)] for status in statuses]
        if case["status_label"] not in expected:
            wrong[phrase] = (case["status_label"], expected)
    assert not wrong


@each
def test_no_text_is_lost(run, tmp_path, layout):
    """A progress text and a column nobody mapped stay with the case, searchable; two
    rows alike but for 办理人 are both kept."""
    import_ledger(run, tmp_path, layout)
    lost = [phrase for phrase in layout["kept"] if not found(run, phrase)]
    assert not lost
    if layout["twins"]:
        assert len(found(run, layout["twins"])) == 2


@each
def test_doctor_is_clean_after_the_import(run, tmp_path, layout):
    assert import_ledger(run, tmp_path, layout)["imported"] == good_rows(layout)
    out = run("doctor", "--json", expect=None)
    problems = [f for f in json.loads(out.stdout) if f["level"] == PROBLEM]
    assert out.exit_code == 0 and not problems, problems


@each
def test_a_second_import_adds_nothing(run, tmp_path, layout, sql):
    first = import_ledger(run, tmp_path, layout)
    assert first["imported"] == good_rows(layout)
    cases = sql("SELECT count(*) FROM cases")[0][0]
    events = sql("SELECT count(*) FROM events")[0][0]
    again = import_ledger(run, tmp_path, layout)
    assert again["imported"] == 0
    assert sql("SELECT count(*) FROM cases")[0][0] == cases == first["imported"]
    assert sql("SELECT count(*) FROM events")[0][0] == events


@each
def test_a_historical_import_leaves_nothing_overdue(run, tmp_path, layout):
    result = import_ledger(run, tmp_path, layout, "--closed-before", HISTORY_BEFORE)
    assert result["imported"] == good_rows(layout)
    report = json.loads(run("overdue", "--json").stdout)
    assert report["overdue"] == []
