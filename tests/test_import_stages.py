"""`import` reads how far each old row got from what the row says: progress words mean
still handling (their text kept as a note, found by `search`), a 办结 status column
decides over free text, a step the ledger left undated is marked assumed and opens or
judges no deadline, and `--closed-before` imports history that owes nothing today."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from conftest import show

from xinfang.core.clock.periods import year_of
from xinfang.core.reporting import stats
from xinfang.store.db import connect

BASE = ["序号", "姓名", "联系电话", "信访日期", "信访形式", "信访来源", "反映问题", "问题类型", "属地"]  # fmt: skip


def workbook(path: Path, extra: list[str], rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(BASE + extra)
    for n, later in enumerate(rows, 1):
        when = (
            later.pop(0) if later and isinstance(later[0], str) and later[0][:2] == "20" else None
        )
        sheet.append(
            [n, f"李{n}", f"1381234{n:04d}", when or f"2026-10-{n:02d}", "来访", "本级",
             f"反映低保问题第{n}件", "最低生活保障", "沙河镇", *later]
        )  # fmt: skip
    book.save(path)
    return path


def events(case: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [e["data"] for e in case["events"] if e["action"] == action]


def found(run: Any, text: str) -> int:
    return len(json.loads(run("search", text, "--json").stdout))


def test_progress_words_mean_still_handling(run: Any, tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "台账.xlsx",
        ["办理结果"],
        [["正在办理中"], ["已转县人社局办理，尚未答复"], ["正在初核"], ["初核后立案审查"],
         ["经核实，已补发低保金并当面答复"]],
    )  # fmt: skip
    run("import", str(path))
    for n in range(1, 5):
        case = show(run, f"2026-{n:04d}")
        assert case["status"] != "replied" and not events(case, "reply"), case["status"]
        assert events(case, "note"), "the progress text is kept as a note"
    assert events(show(run, "2026-0005"), "reply")
    assert found(run, "立案审查") == 1  # the note is searchable
    assert run("doctor").exit_code == 0


def test_handling_text_without_unit_column_is_kept(run: Any, tmp_path: Path) -> None:
    path = workbook(tmp_path / "台账.xlsx", ["办理情况"], [["镇民政办已入户核查家庭收入"]])
    run("import", str(path))
    case = show(run, "2026-0001")
    assert any("入户核查" in (note.get("text") or "") for note in events(case, "note"))
    assert found(run, "入户核查") == 1
    assert "入户核查" in run("show", "2026-0001").stdout


def test_status_column_decides_over_free_text(run: Any, tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "台账.xlsx",
        ["办理结果", "处理状态"],
        [["已解决，已答复群众", "办理中"], ["正在办理", "已办结"], ["", "已受理"]],
    )
    run("import", str(path))
    first = show(run, "2026-0001")
    assert not events(first, "reply") and not events(first, "close")
    assert events(first, "note")
    second = show(run, "2026-0002")
    assert events(second, "close") and second["status"] == "closed"
    third = show(run, "2026-0003")
    assert third["status"] == "accepted" and not events(third, "close")


def test_zero_one_status_where_the_header_says_so(run: Any, tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "台账.xlsx",
        ["办理结果", "是否办结(1是0否)", "办结时间"],
        [["已答复", 1, "2026-10-20"], ["正在核查", 0, None]],
    )
    run("import", str(path))
    first = show(run, "2026-0001")
    assert events(first, "close") and first["status"] == "closed"
    close = next(e for e in first["events"] if e["action"] == "close")
    assert close["occurred_at"][:10] == "2026-10-20"  # 办结时间: the closing day
    reply = next(e for e in first["events"] if e["action"] == "reply")
    assert reply["data"].get("date_assumed") is True  # not the reply date
    second = show(run, "2026-0002")
    assert second["status"] != "closed" and not events(second, "reply")


def test_assumed_dates_open_and_judge_no_deadline(run: Any, tmp_path: Path) -> None:
    # Old cases, replied on an unknown day: no 按期完成, no revisit/review window opened.
    path = workbook(
        tmp_path / "台账.xlsx",
        ["承办单位", "办理结果"],
        [["2025-03-01", "沙河镇", "已答复，补发低保金"], ["2025-04-01", "沙河镇", "已答复"]],
    )
    run("import", str(path))
    overdue = json.loads(run("overdue", "--json", expect=None).stdout)
    assert overdue["overdue"] == [] and overdue["due_soon"] == []
    deadlines = show(run, "2025-0001")["deadlines"]
    assert all(d["state"] not in ("met", "met_late", "overdue", "open") for d in deadlines)
    text = run("show", "2025-0001").stdout
    assert "按期完成" not in text and "逾期完成" not in text
    assert "原台账未记日期" in text  # the steps say their day is assumed
    assert run("doctor").exit_code == 0


def test_a_deadline_met_on_an_assumed_day_is_neither_on_time_nor_late(
    run: Any, tmp_path: Path, db_path: Path
) -> None:
    # Accepted on a recorded day, replied on a day the ledger never wrote down.
    path = workbook(
        tmp_path / "台账.xlsx", ["受理时间", "办理结果"], [["2026-03-01", "2026-03-02", "已答复"]]
    )
    run("import", str(path))
    reply = next(d for d in show(run)["deadlines"] if d["stage"] == "reply")
    assert reply["state"] == "ended" and reply["ended_by"] == "assumed"
    assert "不计按期或超期" in run("show", "2026-0001").stdout
    conn = connect(db_path)
    try:
        figures = stats.figures(conn, year_of(date(2026, 3, 1)), date(2026, 11, 23))
    finally:
        conn.close()
    assert (figures.replied, figures.replied_on_time) == (0, 0)  # in neither count
    assert run("doctor").exit_code == 0


def test_closed_before_imports_history(run: Any, tmp_path: Path, sql: Any) -> None:
    path = workbook(
        tmp_path / "台账.xlsx",
        ["承办单位", "交办日期", "答复时间", "办理结果"],
        [["2025-03-01", "沙河镇", "2025-03-02", None, None],  # assigned, never answered
         ["2025-04-01", "沙河镇", "2025-04-02", "2025-04-20", "已答复"],  # review window
         ["2026-11-01", "沙河镇", "2026-11-02", None, None]],  # today's case
    )  # fmt: skip
    before = run("import", str(path), "--closed-before", "2026-01-01", "--dry-run", "--json")
    assert json.loads(before.stdout)["historical"] == 2
    out = run("import", str(path), "--closed-before", "2026-01-01").stdout
    assert "历史" in out and "2 件" in out
    overdue = json.loads(run("overdue", "--json", expect=None).stdout)
    listed = {item["case_no"] for item in overdue["overdue"] + overdue["due_soon"]}
    assert not any(no.startswith("2025") for no in listed), listed
    open_2025 = sql(
        "SELECT count(*) FROM deadlines d JOIN cases c ON c.id = d.case_id "
        "WHERE c.year = 2025 AND d.met_on IS NULL"
    )[0][0]
    assert open_2025 == 0
    register = events(show(run, "2025-0001"), "register")[0]
    assert register["historical"] is True
    assert show(run, "2026-0001")["deadlines"]  # the recent case keeps its deadlines
    assert run("doctor").exit_code == 0


def test_a_progress_note_keeps_the_unit_deadline_of_a_case_still_handled(
    run: Any, tmp_path: Path
) -> None:
    path = workbook(
        tmp_path / "台账.xlsx",
        ["承办单位", "交办日期", "办理结果"],
        [["沙河镇", "2026-10-02", "正在办理中"]],
    )
    run("import", str(path))
    case = show(run)
    assert case["status"] == "assigned" and events(case, "note")
    waiting = {d["stage"] for d in case["deadlines"] if d["met_on"] is None}
    assert waiting & {"unit_accept", "assign_due"}
