"""A case's row is its history folded: for every case the clerk's commands, the demo and
the import write, projecting its events gives exactly the stored row; `doctor` reports
a row its history does not give."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import LIFE, REGISTER, advance

from xinfang.core import demo
from xinfang.core.life import columns, projection
from xinfang.outputs.archive import CaseFolder
from xinfang.store.db import connect


def mismatches(db: Path) -> dict[int, list[str]]:
    """case id -> the columns where the row is not what its events say."""
    conn = connect(db)
    found = {}
    for case in conn.execute("SELECT * FROM cases"):
        events = conn.execute(
            "SELECT action, occurred_at, data FROM events WHERE case_id = ? ORDER BY id",
            (case["id"],),
        ).fetchall()
        stored = [case[key] for key in columns.PROJECTED]
        wrong = projection.differences(stored, projection.project(events), merged=False)
        if wrong:
            found[case["id"]] = wrong
    conn.close()
    return found


def test_the_projection_covers_every_column_but_the_ledgers_own(db_path):
    conn = connect(db_path)
    if isinstance(db_path, str):  # the county's cases also carry their office's lane
        query = "SELECT column_name FROM information_schema.columns WHERE table_name = 'cases'"
        stored = {row[0] for row in conn.execute(query)} - {"office_id"}
    else:
        stored = {row[1] for row in conn.execute("PRAGMA table_info(cases)")}
    assert set(columns.PROJECTED) == stored - set(columns.LOCAL)
    assert len(set(columns.PROJECTED)) == len(columns.PROJECTED)


def test_every_demo_case_is_its_history(tmp_path):
    path = tmp_path / "demo.db"
    counts = demo.build(connect(path), binder=CaseFolder)
    assert len(counts) >= 10 and sum(counts.values()) > 30
    assert mismatches(path) == {}


def test_every_stage_and_side_step_of_a_typed_case_is_its_history(run, db_path):
    for n in range(1, 12):
        run(*REGISTER[:-2], "--on", f"2026-11-02 09:{n:02d}")
    for case, (action, *_options) in zip(range(2, 11), LIFE, strict=True):
        advance(run, f"2026-{case:04d}", action)
    run("reject", "2026-0011", "--reason", "属诉讼事项", "--channel", "人民法院",
        "--on", "2026-11-03", "--notified-on", "2026-11-04", "--notice-method", "电话告知")  # fmt: skip
    run("transfer", "2026-0001", "--to", "县人社局", "--on", "2026-11-03")
    run("notify", "2026-0001", "--method", "短信告知", "--on", "2026-11-05")
    case = "2026-0006"  # replied: dissatisfied, a second round, then corrected and paused
    run("revisit", case, "--method", "电话回访", "--satisfaction", "不满意",
        "--opinion", "补发金额有误", "--on", "2026-11-12")  # fmt: skip
    run("reexamine", case, "--examiner", "李四", "--findings", "金额确有误", "--on", "2026-11-13")
    run("correct", case, "--field", "联系电话", "--value", "13912345678", "--on", "2026-11-13")
    run("correct", case, "--field", "匿名", "--value", "是", "--on", "2026-11-13")
    run("correct", case, "--field", "人数", "--value", "3", "--on", "2026-11-13")
    run("pause", case, "--reason", "等待鉴定", "--on", "2026-11-14")
    run("resume", case, "--on", "2026-11-16")
    run("extend", case, "--reason", "情况复杂", "--approved-by", "李主任", "--on", "2026-11-16")
    run("supervise", case, "--due", "2026-11-30", "--reason", "群众反映强烈", "--to", "沙河镇",
        "--on", "2026-11-17")  # fmt: skip
    run("note", case, "信访人来电询问", "--on", "2026-11-18")
    run("pause", "2026-0004", "--reason", "听证", "--on", "2026-11-20")
    run("reply", case, "--result", "已解决", "--finding", "部分属实", "--text", "已补发差额",
        "--on", "2026-11-20")  # fmt: skip
    assert mismatches(db_path) == {}


def test_every_imported_case_is_its_history(run, tmp_path, db_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "信访时间", "信访形式", "来源", "反映问题", "是否受理", "承办单位",
                  "答复内容", "是否满意", "是否办结", "备注"])  # fmt: skip
    rows = [
        ["张三", "2026-10-02", "来访", "本级", "低保金停发", "", "", "", "", "", ""],
        ["李四", "2026-10-03", "来信", "本级", "院墙被占", "受理", "", "", "", "", "补记"],
        ["王五", "2026-10-04", "来访", "本级", "补贴未发", "受理", "沙河镇", "已解决。已补发",
         "满意", "是", ""],
        ["赵六", "2026-10-05", "来电", "本级", "殡葬收费", "受理", "", "正在解决。核查中",
         "不满意", "", ""],
        ["钱七", "2026-10-06", "来访", "本级", "道路损坏", "不予受理", "", "", "", "", ""],
        ["孙八", "2026-10-07", "来访", "本级", "村务", "转送县交通局", "", "", "", "", ""],
    ]  # fmt: skip
    for values in rows:
        sheet.append(values)
    path = tmp_path / "台账.xlsx"
    book.save(path)
    assert "已导入 6 件" in run("import", str(path)).stdout
    assert mismatches(db_path) == {}


@pytest.mark.parametrize(
    ("change", "column"),
    [
        ("content = '新华镇低保金停发'", "content"),  # the fields of another town's case
        ("status = 'closed'", "status"),
        ("reply_text = NULL", "reply_text"),
        ("round = 2", "round"),
    ],
)
def test_doctor_finds_a_row_its_history_does_not_give(run, db_path, change, column):
    run(*REGISTER)
    advance(run, "2026-0001", "reply")
    assert run("doctor").exit_code == 0
    conn = connect(db_path)  # autocommit: the change is written at once
    conn.execute(f"UPDATE cases SET {change}")
    conn.close()
    out = run("doctor", expect=1).stdout
    assert "[问题] 办理记录：1 件案件的状态与办理记录不符：2026-0001" in out
    assert column in out
