"""接访交办通知单 and 办理结果回复单 of a 领导接访 case: the leader, day and place come from
the reception plan (never the clerk who wrote the case up), and the 领导批示 box carries
the latest `instruct`. Printed and read back with python-docx."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from docx import Document
from test_documents import printed

from xinfang.store.db import connect

CASE = "2026-0001"
CLERK = "王芳"
HALL = "县信访接待大厅"
# Last Fridays of 2026, leaders in turn: October's (10-30) is 张三's.
PLAN = ("reception", "plan", "--year", "2026", "--rule", "last-friday 09:00-11:00",
        "--leaders", "张三,李四,王五")  # fmt: skip


def register(run, on: str) -> None:
    run("register", "--name", "赵六", "--phone", "13812345678", "--source", "领导接访",
        "--form", "来访", "--content", "敬老院冬季供暖不足", "--receiver", CLERK, "--on", on)  # fmt: skip
    run("accept", CASE, "--on", "2026-11-03", "--notified-on", "2026-11-03")
    run("assign", CASE, "--to", "沙河镇", "--due", "2026-11-20", "--on", "2026-11-04")


def cells(run, tmp_path: Path, document: str) -> dict[str, str]:
    """Each label cell of the form's table -> the text of the cell after it."""
    printed(run, tmp_path, document, CASE)  # also: no placeholder left
    table = Document(str(tmp_path / f"{document}.docx")).tables[0]
    found: dict[str, str] = {}
    for row in table.rows:
        texts = [cell.text for cell in row.cells]
        for label, after in pairwise(texts):
            found.setdefault(label, after)
    return found


def test_the_order_names_the_plan_days_leader_and_place_not_the_clerk(run, tmp_path):
    run(*PLAN, "--place", HALL)
    register(run, "2026-11-02")  # written up three days after the 10-30 reception
    order = cells(run, tmp_path, "接访交办通知单")
    assert order["接访领导"] == "张三"
    assert order["接访地点"] == HALL
    assert order["接访时间"].startswith("2026年10月30日")
    run("unit-accept", CASE, "--on", "2026-11-04")
    run("unit-report", CASE, "--text", "锅炉老化", "--on", "2026-11-05")
    run("reply", CASE, "--result", "已解决", "--finding", "属实", "--text", "已更换锅炉",
        "--on", "2026-11-06")  # fmt: skip
    assert cells(run, tmp_path, "办理结果回复单")["接访领导"] == "张三"


def write(db_path: Path, statement: str) -> None:
    """One statement by hand, committed (the store's connection is in autocommit mode)."""
    conn = connect(db_path)
    try:
        conn.execute(statement)
    finally:
        conn.close()


def test_a_plan_without_a_place_takes_the_office_setting_or_leaves_a_blank(run, tmp_path, db_path):
    run(*PLAN)
    register(run, "2026-10-30")
    write(db_path, "UPDATE reception_days SET place = NULL")  # a plan made before places were kept
    order = cells(run, tmp_path, "接访交办通知单")
    assert order["接访领导"] == "张三"
    assert order["接访地点"] == "局接访室"  # the office's setting
    write(db_path, "UPDATE settings SET value = '\"\"' WHERE key = 'reception_place'")
    assert cells(run, tmp_path, "接访交办通知单")["接访地点"] == ""  # left for the pen


def test_the_instruction_box_carries_the_latest_instruct(run, tmp_path):
    box = "领导批示\n办理意见"
    run(*PLAN)
    register(run, "2026-10-30")
    assert "批示：" not in cells(run, tmp_path, "接访交办通知单")[box]
    run("instruct", CASE, "--leader", "李县长", "--text", "请尽快核实", "--on", "2026-11-04")
    run("instruct", CASE, "--leader", "张三", "--text", "请沙河镇本周内解决供暖。",
        "--on", "2026-11-05")  # fmt: skip
    order = cells(run, tmp_path, "接访交办通知单")
    assert "张三批示：请沙河镇本周内解决供暖。" in order[box]
    assert "李县长" not in order[box]
