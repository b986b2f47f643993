"""What the nine real ledgers of tests/ledgers showed the importer getting wrong, each
pinned by a small workbook of its own."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

HEADER = ["序号", "信访人", "联系电话", "信访时间", "反映问题", "信访来源", "信访形式"]


def workbook(path: Path, rows: list[list | None], header: list[str] | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header or HEADER)
    for number, values in enumerate(rows, 2):
        for column, value in enumerate(values or [], 1):
            sheet.cell(number, column, value)
    book.save(path)
    return path


def line(n: int, name: str, problem: str = "低保金停发") -> list:
    return [n, name, "", "2026-11-02", problem, "本级", "来访"]


def imported(run, path: Path, *options: str) -> dict:
    return json.loads(run("import", str(path), *options, "--json").stdout)


def test_an_empty_line_between_rows_is_counted_blank(run, tmp_path):
    path = workbook(tmp_path / "台账.xlsx", [line(1, "张三"), None, line(2, "李四")])
    result = imported(run, path)
    assert result["imported"] == 2 and result["blank"] == 1


def case_status(run, phrase: str) -> str:
    (case,) = json.loads(run("search", phrase, "--json").stdout)
    return str(json.loads(run("show", case["case_no"], "--json").stdout)["status"])


def test_a_progress_text_under_the_units_report_is_handling_not_reported(run, tmp_path):
    header = [*HEADER, "承办单位", "办理情况", "是否办结"]
    rows = [
        [*line(1, "张三", "化粪池外溢"), "街道规划建设办", "正在办理中", "否"],
        [*line(2, "李四", "路灯不亮"), "街道城管办", "已维修，待回复信访人", None],
    ]
    imported(run, workbook(tmp_path / "台账.xlsx", rows, header), "--add-values")
    assert case_status(run, "化粪池外溢") == "handling"
    assert case_status(run, "路灯不亮") == "handling"
    assert json.loads(run("search", "正在办理中", "--json").stdout)


def test_a_row_without_a_name_whose_complaint_says_anonymous_is_anonymous(run, tmp_path):
    rows = [[1, None, None, "2026-11-02", "匿名举报某KTV容留卖淫", "本级", "网上信访"]]
    rows.append([2, None, None, "2026-11-02", "反映路灯不亮", "本级", "来访"])
    result = imported(run, workbook(tmp_path / "工单.xlsx", rows))
    assert result["imported"] == 1
    assert [r["row"] for r in result["rejected"]] == [3]  # a blank name is still no name
    (case,) = json.loads(run("search", "KTV", "--json").stdout)
    assert json.loads(run("show", case["case_no"], "--json").stdout)["anonymous"]


def test_a_discipline_ledgers_status_words_read(run, tmp_path):
    """A 纪检 ledger's 处理状态 is the clue's disposal: 予以了结 is done; 正在初核,
    初核后立案审查, 谈话函询 and 暂存待查 are still in hand."""
    header = [*HEADER, "承办部门", "处理状态", "处理情况"]
    said = {
        "予以了结": "closed", "初核后立案审查": "assigned", "谈话函询": "assigned",
        "暂存待查": "assigned", "正在初核": "assigned",
    }  # fmt: skip
    rows = [
        [*line(n, f"张{n}", f"问题{chr(0x4E00 + n)}"), "第一纪检监察室", word, f"情况{n}"]
        for n, word in enumerate(said, 1)
    ]
    result = imported(run, workbook(tmp_path / "纪检.xlsx", rows, header), "--add-values")
    assert result["rejected"] == []
    for n, status in enumerate(said.values(), 1):
        assert case_status(run, f"问题{chr(0x4E00 + n)}") == status


def test_a_hotline_work_orders_source_is_how_the_call_came(run, tmp_path):
    """In a 12345 export 工单来源 (电话, 网站, 微信) is the channel, the form; the source
    is the hotline, and the office's 信访来源 list does not grow with channels."""
    header = ["工单编号", "工单来源", "受理时间", "姓名", "内容描述"]
    rows = [
        ["A1", "电话", "2026-11-02 09:00:00", "张三", "路灯不亮"],
        ["A2", "微信", "2026-11-02 10:00:00", "李四", "井盖缺失"],
    ]
    path = workbook(tmp_path / "工单.xlsx", rows, header)
    result = imported(run, path, "--default", "信访来源=12345热线", "--add-values")
    assert result["imported"] == 2 and "信访来源" not in result["added"]
    forms = {}
    for phrase in ("路灯不亮", "井盖缺失"):
        (case,) = json.loads(run("search", phrase, "--json").stdout)
        shown = json.loads(run("show", case["case_no"], "--json").stdout)
        forms[phrase] = (shown["form"], shown["source"])
    assert forms == {"路灯不亮": ("来电", "12345热线"), "井盖缺失": ("网上信访", "12345热线")}
