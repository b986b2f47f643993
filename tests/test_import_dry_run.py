"""`import --dry-run` shows the clerk, before anything is written, what each column was
read as (a field, kept as an other column, or left out, with the reading taken of a word
that means two things) and the first five rows as they would be registered, stage
included — the stage the real import then gives them (issue 18, Also)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from conftest import Run

HEADER = [
    "序号",
    "信访人",
    "信访时间",
    "信访形式",
    "信访来源",
    "反映问题",
    "受理时间",
    "包案领导",
    "内部备注",
]


def workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2026年信访台账"])
    sheet.append(HEADER)
    for n in range(1, 8):
        decided = f"2026-11-{n + 2:02d}" if n % 2 else None  # every other row accepted
        sheet.append(
            [n, f"信访人{n}", f"2026-11-{n:02d}", "来访", "本级", f"第{n}件的问题", decided,
             "李副县长", "不外传"]
        )  # fmt: skip
    book.save(path)
    return path


def test_dry_run_shows_each_column_and_five_rows_with_their_stage(
    run: Run, tmp_path: Path, db_path: Path
) -> None:
    path = workbook(tmp_path / "台账.xlsx")
    out = run("import", str(path), "--dry-run", "--map", "内部备注=忽略").stdout
    assert "各列的读法：" in out
    for line in (
        "序号 → 保留为其他列",
        "信访人 → 信访人姓名",
        "信访时间 → 信访时间",
        "受理时间 → 受理时间",
        "包案领导 → 保留为其他列",
        "内部备注 → 忽略",
    ):
        assert f"  {line}\n" in out, (line, out)
    assert "    读法：“受理时间”读作受理决定日期" in out  # under its column
    lines = out.splitlines()
    samples = [n for n, line in enumerate(lines) if line.startswith("  第 ")]
    assert len(samples) == 5, out
    assert lines[samples[0]] == "  第 3 行 → 2026-0001  信访人1  2026-11-01  已受理（办理中）"
    fields = lines[samples[0] + 1]
    assert fields.startswith("    信访人姓名：信访人1；")
    assert "反映问题：第1件的问题" in fields and "受理时间：2026-11-03" in fields
    assert "包案领导：李副县长" in fields  # a kept column, as it will be kept
    assert lines[samples[1]] == "  第 4 行 → 2026-0002  信访人2  2026-11-02  已登记（待受理）"
    assert "不外传" not in out
    assert run("list", "--json").stdout.strip() == "[]"  # nothing written

    done = json.loads(
        run("import", str(path), "--dry-run", "--map", "内部备注=忽略", "--json").stdout
    )
    assert {"column": "内部备注", "read_as": "忽略"} in done["layout"]
    assert {
        "column": "受理时间",
        "read_as": "受理时间",
        "reading": "“受理时间”读作受理决定日期（没有 12345 工单编号或工单来源列）",
    } in done["layout"]
    assert [item["column"] for item in done["layout"]] == HEADER
    planned = {p["case_no"]: p["status_label"] for p in done["preview"]}
    assert done["preview"][0]["fields"]["信访人姓名"] == "信访人1"

    run("import", str(path), "--map", "内部备注=忽略")  # what the dry run said it would do
    written = {
        case["case_no"]: case["status_label"] for case in json.loads(run("list", "--json").stdout)
    }
    assert all(written[case_no] == label for case_no, label in planned.items())
    assert len(planned) == 5


def test_a_dry_run_of_an_export_says_what_it_is(run: Run, tmp_path: Path) -> None:
    run(
        "register",
        "--name",
        "张三",
        "--form",
        "来访",
        "--content",
        "低保金停发",
        "--source",
        "本级",
    )
    target = tmp_path / "全部案件.json"
    run("export", "-o", str(target))
    out = run("import", str(target), "--dry-run", "--db", str(tmp_path / "新.db")).stdout
    assert "xinfang 导出的案件及其办理记录" in out and "表头在第" not in out
    assert (
        "  第 1 件 → 2026-0001  张三  2026-11-23 10:00  已登记（待受理）\n    信访人姓名：张三；"
        in out
    )
