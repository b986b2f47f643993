"""`import`: an office's old ledger read in as cases. Real workbooks built here the way
offices keep them (a title above the header, odd column names, blank rows, dates typed
every which way), a GBK CSV, and xinfang's own tables; then what the clerk reads back
with show, list and doctor."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from conftest import LIFE, REGISTER, dump, show
from sheets import ods, ods_rows

from xinfang.core.errors import XinfangError
from xinfang.core.exchange import importing
from xinfang.store.db import connect

# A county ledger as clerks keep it: a merged title, a 单位/时间 line, then the header
# (on row 3) with the office's own column names and notes, then rows with blank ones
# in between.
HEADER = [
    "序号", "来访人", "联系方式", "信访时间（年月日）", "信访\n形式", "来源", "诉求",
    "问题分类", "所属乡镇", "是否受理", "承办单位", "处理结果", "是否办结",
]  # fmt: skip


def ledger_workbook(path: Path, rows: list[list], *, title: bool = True) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "2026年台账"
    if title:
        sheet.merge_cells("A1:M1")
        sheet["A1"] = "沙河镇人民政府信访事项登记台账"
        sheet["A2"] = "单位：沙河镇人民政府"
        sheet["H2"] = "时间：2026年11月"
    sheet.append(HEADER) if not title else None
    for number, values in enumerate([HEADER, *rows], 3 if title else 2):
        for column, value in enumerate(values, 1):
            sheet.cell(row=number, column=column, value=value)
    book.save(path)
    return path


def row(n: int, name: str, when: object, content: str, **later: str) -> list:
    """One registered petition; `later` fills 是否受理 … 是否办结 by column name."""
    values = [n, name, f"1381234{n:04d}", when, "来访", "本级", content, "最低生活保障", "沙河镇"]
    return values + [later.get(k) for k in ("accepted", "unit", "result", "finished")]


def cases(sql) -> list[tuple]:
    return sql("SELECT year, seq, name, received_at, status FROM cases ORDER BY id")


def test_finds_the_header_under_a_title_and_reads_dates_in_every_form(run, tmp_path, sql):
    rows = [
        row(1, "张三", datetime(2026, 11, 2, 9, 30), "低保金停发"),
        [],
        row(2, "李四", 46328, "院墙被占"),  # an Excel serial day number
        row(3, "王五", "2026.11.2", "道路损坏"),
        row(4, "赵六", "2026年11月2日", "补贴未发"),
        row(5, "钱七", "11月2日", "养老院无人管理"),
        row(6, "孙八", "二〇二六年十一月二日", "殡葬收费"),
        row(7, "周九", "2026/11/2", "婚姻登记材料多"),
        row(8, "吴十", "11.2", "村账目不公开"),
        [None] * 5,
    ]
    path = ledger_workbook(tmp_path / "台账.xlsx", rows)
    out = run("import", str(path), "--year", "2026")
    assert "表头在第 3 行" in out.stdout
    assert "已导入 8 件（已登记 8）；重复跳过 0 行；未导入 0 行" in out.stdout
    assert [c[3] for c in cases(sql)] == ["2026-11-02 09:30:00"] + ["2026-11-02"] * 7
    assert [c[2] for c in cases(sql)][:3] == ["张三", "李四", "王五"]
    case = show(run, "2026-0001")
    assert (case["phone"], case["form"], case["source"]) == ("13812340001", "来访", "本级")
    assert (case["content"], case["category"], case["township"]) == (
        "低保金停发", "最低生活保障", "沙河镇",
    )  # fmt: skip
    imported_from = case["events"][0]["data"]["imported_from"]
    assert imported_from["file"] == "台账.xlsx"
    assert (imported_from["sheet"], imported_from["row"]) == ("2026年台账", 4)
    assert len(imported_from["fingerprint"]) == 64


def test_a_date_without_its_year_needs_year(run, tmp_path, sql):
    path = ledger_workbook(tmp_path / "台账.xlsx", [row(1, "张三", "11月2日", "低保")])
    out = run("import", str(path), expect=2)  # it imports nothing
    assert "已导入 0 件" in out.stdout and "未导入 1 行" in out.stdout
    assert "第 4 行：信访时间（年月日）：“11月2日”没有年份" in out.stdout
    assert "--year" in out.stdout
    assert cases(sql) == []


def test_rejected_rows_go_to_a_workbook_with_their_reasons(run, tmp_path, sql):
    rows = [
        row(1, "张三", "2026-11-02", "低保"),
        row(2, "李四", "2026-13-45", ""),
        row(3, "", "2026-11-03", "道路", accepted="也许"),
        row(4, "赵六", "2026-12-25", "补贴"),  # after today (2026-11-23)
    ]
    path = ledger_workbook(tmp_path / "台账.xlsx", rows)
    out = run("import", str(path))
    assert "已导入 1 件" in out.stdout and "未导入 3 行" in out.stdout
    report = tmp_path / "台账_未导入行.xlsx"
    assert f"未导入的行及原因已写入：{report}" in out.stdout
    lines = list(openpyxl.load_workbook(report).active.iter_rows(values_only=True))
    assert lines[0] == ("原行号", *[h.replace("\n", "") for h in HEADER], "原因")
    by_row = {line[0]: line for line in lines[1:]}
    assert set(by_row) == {5, 6, 7}
    assert by_row[5][2] == "李四" and by_row[5][4] == "2026-13-45"  # the row as it was
    assert "信访时间（年月日）：无法识别“2026-13-45”" in by_row[5][-1]
    assert "诉求：必填" in by_row[5][-1]
    assert "来访人：必填" in by_row[6][-1]
    assert "信访时间（年月日）：2026-12-25 晚于今天" in by_row[7][-1]
    assert report.stat().st_mode & 0o077 == 0  # personal data: the owner's only
    assert [c[2] for c in cases(sql)] == ["张三"]


def test_a_gbk_csv_with_other_names(run, tmp_path, sql):
    text = (
        "姓名,电话,住址,来访日期,反映内容,信访来源,信访形式,类别,乡镇\n"
        "张三,138 1234 5678,沙河镇西关村,2026/11/2 9:30,低保金停发,本级,来访,最低生活保障,沙河镇\n"
        "李四,0936-5521234,新华镇,2026年11月3日,院墙被占,本级,来信,土地纠纷,城关镇\n"
    )
    path = tmp_path / "来访登记.csv"
    path.write_bytes(text.encode("gbk"))
    out = run("import", str(path), "--add-values")  # the lists grow only when told
    assert "已导入 2 件" in out.stdout
    assert "新增列表值 2 个：问题类型“土地纠纷”、属地“城关镇”" in out.stdout
    assert cases(sql) == [
        (2026, 1, "张三", "2026-11-02 09:30:00", "registered"),
        (2026, 2, "李四", "2026-11-03", "registered"),
    ]
    assert show(run, "2026-0001")["phone"] == "13812345678"
    assert sql("SELECT position FROM choices WHERE list = 'township' AND value = '城关镇'")
    # the new values are now the office's own: a registration may use them
    run(*REGISTER[:-2], "--category", "土地纠纷", "--town", "城关镇", "--new-matter")


def test_importing_the_same_file_again_adds_nothing(run, tmp_path, db_path):
    rows = [row(n, f"信访人{n}", f"2026-11-{n:02d}", f"事项{n}") for n in range(1, 6)]
    rows.append(row(9, "重复", "2026-11-02", "同一行写了两遍"))
    rows.append(row(9, "重复", "2026-11-02", "同一行写了两遍"))
    path = ledger_workbook(tmp_path / "台账.xlsx", rows)
    first = run("import", str(path))
    assert "已导入 6 件" in first.stdout and "重复跳过 1 行" in first.stdout
    before = dump(db_path)
    again = run("import", str(path))
    assert "已导入 0 件；重复跳过 7 行；未导入 0 行" in again.stdout
    assert dump(db_path) == before


def test_the_old_ledgers_own_numbers_tell_twin_rows_apart(run, tmp_path, sql):
    book = openpyxl.Workbook()
    book.active.append(
        ["案件编号", "信访人", "联系电话", "信访时间", "反映问题", "信访来源", "信访形式"]
    )
    for number in ("2026-0007", "2026-0008", "2026-0008"):  # twins, then a real repeat row
        book.active.append(
            [number, "王某", "13812340001", "2026-11-02 09:00", "低保金停发", "本级", "来访"]
        )
    book.save(tmp_path / "编号.xlsx")
    out = run("import", str(tmp_path / "编号.xlsx")).stdout
    assert "已导入 2 件（已登记 2）；重复跳过 1 行" in out
    assert sql("SELECT count(*) FROM cases")[0][0] == 2


def test_dry_run_writes_nothing(run, tmp_path, db_path):
    rows = [
        row(1, "张三", "2026-11-02", "低保", accepted="是", unit="县民政局"),
        row(2, "李四", "not a date", "道路"),
    ]
    path = ledger_workbook(tmp_path / "台账.xlsx", rows)
    before = dump(db_path)
    out = run("import", str(path), "--dry-run")
    assert out.stdout.count("试导入，未写入任何内容") == 1
    assert "可导入 1 件（已交办 1）" in out.stdout
    assert "将新增列表值 1 个：承办单位“县民政局”" in out.stdout
    assert "第 4 行 → 2026-0001  张三  2026-11-02  已交办（待承办单位受理）" in out.stdout
    assert "第 5 行：信访时间（年月日）：无法识别“not a date”" in out.stdout
    assert dump(db_path) == before
    assert not (tmp_path / "台账_未导入行.xlsx").exists()


STAGES = [
    (row(1, "甲", "2026-11-02", "只登记"), "registered", ["register"]),
    (row(2, "乙", "2026-11-02", "受理了", accepted="是"), "accepted", ["register", "accept"]),
    (row(3, "丙", "2026-11-02", "不予受理", accepted="否"), "rejected", ["register", "reject"]),
    (
        row(4, "丁", "2026-11-02", "交办了", accepted="是", unit="沙河镇"),
        "assigned", ["register", "accept", "assign"],
    ),
    (
        row(5, "戊", "2026-11-02", "答复了", accepted="是", result="已解决。已纳入低保"),
        "replied", ["register", "accept", "reply"],
    ),
    (
        row(6, "己", "2026-11-02", "办结了", unit="新华镇", result="已整改", finished="已办结"),
        "closed",
        ["register", "accept", "assign", "unit-accept", "unit-report", "reply", "close"],
    ),
    (row(7, "庚", "2026-11-02", "转送了", accepted="转送县人社局"), "transferred",
     ["register", "transfer"]),
]  # fmt: skip


def test_the_stage_follows_what_the_row_has_filled_in(run, tmp_path):
    path = ledger_workbook(tmp_path / "台账.xlsx", [stage[0] for stage in STAGES])
    out = run("import", str(path))
    counts = "已登记 1、已受理 1、已交办 1、已答复 1、已办结 1、不予受理 1、已转送 1"
    assert f"已导入 7 件（{counts}）" in out.stdout
    for number, (_, status, actions) in enumerate(STAGES, 1):
        case = show(run, f"2026-{number:04d}")
        assert case["status"] == status, case["content"]
        assert [e["action"] for e in case["events"]] == actions
        assert all(e["data"].get("imported") for e in case["events"][1:])
    accepted = show(run, "2026-0002")
    assert accepted["decided_on"] == "2026-11-02"
    assert accepted["events"][1]["data"]["date_assumed"] is True  # no 受理时间 column
    # The notice the old ledger never recorded is history; an accept on an assumed day
    # opens no reply deadline (it would count from a day nobody wrote down).
    assert [d["stage"] for d in accepted["deadlines"] if d["state"] != "met"] == []
    rejected = show(run, "2026-0003")
    assert rejected["reject_channel"] == "（原台账未记载）"
    assigned = show(run, "2026-0004")
    assert assigned["unit"] == "沙河镇" and assigned["assign_no"] == "临民交〔2026〕1号"
    replied = show(run, "2026-0005")
    assert (replied["reply_result"], replied["reply_text"]) == ("已解决", "已纳入低保")
    closed = show(run, "2026-0006")
    assert (closed["unit"], closed["reply_text"], closed["closed_on"]) == (
        "新华镇", "已整改", "2026-11-02",
    )  # fmt: skip
    assert show(run, "2026-0007")["transfer_to"] == "县人社局"
    assert run("doctor").exit_code == 0


def test_dates_of_later_steps_order_and_a_dissatisfied_revisit(run, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["信访人", "信访时间", "信访形式", "信访来源", "反映问题", "受理时间",
                  "告知时间", "承办单位", "答复时间", "答复意见", "是否属实", "满意度"])  # fmt: skip
    sheet.append(["张三", "2026-11-02", "来访", "本级", "低保", "2026-11-03", "2026-11-04",
                  "沙河镇", "2026-11-10", "已重新评定", "属实", "不满意"])  # fmt: skip
    sheet.append(["李四", "2026-11-05", "来访", "本级", "道路", "2026-11-03"])
    sheet.append(["王五", "2026-11-05", "来访", "本级", "补贴", None, None, None, None,
                  "已答复", "大概"])  # fmt: skip
    path = tmp_path / "办理.xlsx"
    book.save(path)
    out = run("import", str(path))
    assert "已导入 1 件（已受理 1）" in out.stdout
    assert "第 3 行：受理时间：2026-11-03 早于信访时间 2026-11-05" in out.stdout
    assert "第 4 行：是否属实：“大概”不可用；可选：属实、部分属实、不属实" in out.stdout
    case = show(run, "2026-0001")
    assert (case["status"], case["round"], case["reply_text"]) == ("accepted", 2, None)
    assert case["notified_on"] == "2026-11-04"
    revisit = case["events"][-1]
    assert (revisit["action"], revisit["data"]["new_round"]) == ("revisit", 2)
    # The revisit has no day of its own: the new round's reply deadline is not opened.
    assert not [d for d in case["deadlines"] if d["stage"] == "reply" and d["round"] == 2]
    assert run("doctor").exit_code == 0


def test_a_failing_phone_is_kept_and_counted(run, tmp_path):
    rows = [row(1, "张三", "2026-11-02", "低保"), row(2, "李四", "2026-11-02", "道路")]
    rows[0][2] = "12345"
    path = ledger_workbook(tmp_path / "台账.xlsx", rows)
    out = run("import", str(path))
    assert "已导入 2 件" in out.stdout
    assert "1 个电话或身份证号未通过校验，已按原样保留" in out.stdout
    assert show(run, "2026-0001")["phone"] == "12345"


def test_map_and_default_fill_what_the_file_lacks(run, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["信访人", "联系电话", "事由", "收件日"])
    book.active.append(["张三", "13812345678", "低保金停发", "2026-11-02"])
    path = tmp_path / "收件.xlsx"
    book.save(path)
    out = run("import", str(path), expect=2)
    assert "找不到：信访时间、反映问题、信访来源" in out.stderr
    run(
        "import", str(path), "--map", "事由=反映问题", "--map", "收件日=received_at",
        "--default", "信访来源=本级", "--default", "信访形式=来信",
    )  # fmt: skip
    case = show(run, "2026-0001")
    assert (case["content"], case["received_at"], case["form"]) == (
        "低保金停发", "2026-11-02", "来信",
    )  # fmt: skip


def test_the_monthly_accept_table_reads_back(run, tmp_path, db_path):
    run(*REGISTER)
    for step in LIFE[:2]:
        run(step[0], "2026-0001", *step[1:])
    run("register", "--anonymous", "--source", "上级交办", "--upper-ref", "张信转〔2026〕3号",
        "--form", "来信", "--content", "匿名反映村账目", "--on", "2026-11-04")  # fmt: skip
    run("register", "--name", "王五", "--phone", "13712345678", "--source", "本级", "--form",
        "来电", "--content", "要求赔偿", "--on", "2026-11-05", "--new-matter")  # fmt: skip
    run("reject", "2026-0003", "--reason", "属于诉讼", "--channel", "向法院起诉", "--on",
        "2026-11-06")  # fmt: skip
    table = tmp_path / "受理.xlsx"
    run("report", "accept", "--month", "2026-11", "-o", str(table))
    other = tmp_path / "other.db"
    out = run("import", str(table), "--db", str(other))
    assert "表头在第 4 行" in out.stdout and "已导入 3 件" in out.stdout
    first = json.loads(run("show", "2026-0001", "--json", "--db", str(other)).stdout)
    assert (first["name"], first["status"], first["form"], first["notified_on"]) == (
        "张三", "accepted", "来访", "2026-11-03",
    )  # fmt: skip
    second = json.loads(run("show", "2026-0002", "--json", "--db", str(other)).stdout)
    assert (second["anonymous"], second["source"], second["upper_ref"]) == (
        True, "上级交办", "张信转〔2026〕3号",
    )  # fmt: skip
    third = json.loads(run("show", "2026-0003", "--json", "--db", str(other)).stdout)
    assert (third["status"], third["reject_channel"]) == ("rejected", "向法院起诉")


def test_an_export_reads_back_with_the_whole_life(run, tmp_path, sql):
    run(*REGISTER)
    for step in LIFE[:-1]:  # up to 办结
        run(step[0], "2026-0001", *step[1:])
    exported = tmp_path / "全部.xlsx"
    run("export", "-o", str(exported))
    other = tmp_path / "other.db"
    run("import", str(exported), "--db", str(other))
    original = show(run, "2026-0001")
    copy = json.loads(run("show", "2026-0001", "--json", "--db", str(other)).stdout)
    kept = ("status", "name", "phone", "received_at", "unit", "assign_due", "reply_text",
            "reply_result", "satisfaction", "publicized_on", "closed_on")  # fmt: skip
    assert {k: copy[k] for k in kept} == {k: original[k] for k in kept}
    assert [e["action"] for e in copy["events"]] == [e["action"] for e in original["events"]]
    due = [(d["stage"], d["due_on"], d["met_on"]) for d in original["deadlines"]]
    # The same deadlines, but for 归档: a case the old ledger had closed is not tracked
    # into the archive (an office importing years of cases filed them on paper).
    assert ("archive", "2026-11-20", None) in due
    due.remove(("archive", "2026-11-20", None))
    assert [(d["stage"], d["due_on"], d["met_on"]) for d in copy["deadlines"]] == due


def test_numbers_continue_after_the_cases_already_there(run, tmp_path):
    run(*REGISTER)
    path = ledger_workbook(tmp_path / "台账.xlsx", [row(1, "李四", "2025-12-30", "旧件"),
                                                   row(2, "王五", "2026-11-20", "新件")])  # fmt: skip
    run("import", str(path))
    assert show(run, "2025-0001")["name"] == "李四"
    assert show(run, "2026-0002")["name"] == "王五"
    assert "2026-0003" in run(*REGISTER[:-2], "--new-matter").stdout


BAD_FILES = [
    ("text-as-xlsx", "台账.xlsx", "不是有效的 Excel 文件"),
    ("missing", "没有这个文件.xlsx", "找不到"),
    ("old-xls", "台账.xls", "旧版 Excel（.xls）"),
    ("text-as-ods", "台账.ods", "不是有效的 OpenDocument 表格（.ods）"),
    ("empty-sheet", "空.xlsx", "工作表“Sheet”是空的"),
    ("no-such-sheet", "两页.xlsx", "没有名为“第三页”的工作表；有：第一页、第二页"),
    ("no-header", "无表头.xlsx", "找不到表头"),
    ("empty-csv", "空.csv", "是空的"),
    ("bad-map", "map", "没有“xyz”这个字段"),
]


@pytest.mark.parametrize(("case", "name", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_file_that_cannot_be_read_is_one_clear_error(run, tmp_path, db_path, case, name, message):
    args = ["import", str(tmp_path / name)]
    if case in ("text-as-xlsx", "text-as-ods"):
        (tmp_path / name).write_text("序号,姓名\n1,张三\n", encoding="utf-8")
    elif case == "old-xls":
        (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    elif case in ("empty-sheet", "no-header"):
        book = openpyxl.Workbook()
        if case == "no-header":
            book.active.append(["这是一份说明", "没有表头"])
        book.save(tmp_path / name)
        args += ["--sheet", "Sheet"] if case == "empty-sheet" else []
    elif case == "no-such-sheet":
        book = openpyxl.Workbook()
        book.active.title = "第一页"
        book.create_sheet("第二页")
        book.save(tmp_path / name)
        args += ["--sheet", "第三页"]
    elif case == "empty-csv":
        (tmp_path / name).write_bytes(b"")
    elif case == "bad-map":
        path = ledger_workbook(tmp_path / "台账.xlsx", [row(1, "张三", "2026-11-02", "低保")])
        args = ["import", str(path), "--map", "来访人=xyz"]
    before = dump(db_path)
    files = {p for p in tmp_path.iterdir() if not p.name.startswith(Path(db_path).name)}
    out = run(*args, expect=2)
    assert out.stdout == ""
    assert out.stderr.startswith("错误：") and out.stderr.count("\n") == 1
    assert message in out.stderr
    assert "Traceback" not in out.output
    assert dump(db_path) == before
    assert {p for p in tmp_path.iterdir() if not p.name.startswith(Path(db_path).name)} == files


def test_an_ods_workbook_with_date_cells_and_serial_numbers(run, tmp_path, sql):
    rows = [
        ["沙河镇人民政府信访事项登记台账"],
        [],
        HEADER,
        row(1, "张三", datetime(2026, 11, 2, 9, 30), "低保金停发", accepted="是"),
        row(2, "李四", date(2026, 11, 3), "院墙被占"),  # a date cell
        row(3, "王五", 46328, "道路损坏"),  # a day number in a number cell
        row(4, "赵六", 46328.75, "补贴未发"),  # … with the time of day
        row(5, "钱七", "2026年11月5日", "殡葬收费"),
        row(6, "孙八", 13812345678, "日期写成了电话"),
    ]
    rows[3][2] = 13812340001  # a phone number typed into a number cell
    path = ods(tmp_path / "台账.ods", ods_rows(rows), "登记")
    out = json.loads(run("import", str(path), "--json").stdout)
    assert (out["sheet"], out["header_row"], out["imported"]) == ("登记", 3, 5)
    [rejected] = out["rejected"]
    assert rejected["row"] == 9
    assert rejected["reasons"][0].startswith("信访时间（年月日）：无法识别“13812345678”")
    assert [c[3] for c in cases(sql)] == [
        "2026-11-02 09:30:00", "2026-11-03", "2026-11-02", "2026-11-02 18:00:00", "2026-11-05",
    ]  # fmt: skip
    case = show(run, "2026-0001")
    assert (case["phone"], case["status"]) == ("13812340001", "accepted")
    assert case["events"][0]["data"]["imported_from"]["row"] == 4


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice to make an .xls")
def test_an_old_xls_workbook(run, tmp_path, sql):
    rows = [row(1, "张三", datetime(2026, 11, 2, 9, 30), "低保"), row(2, "李四", 46328, "道路")]
    made = ledger_workbook(tmp_path / "台账.xlsx", rows)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
         "--convert-to", "xls", "--outdir", str(tmp_path / "xls"), str(made)],
        capture_output=True, check=True, timeout=120,
    )  # fmt: skip
    out = run("import", str(tmp_path / "xls" / "台账.xls"))
    assert "表头在第 3 行" in out.stdout and "已导入 2 件" in out.stdout
    assert cases(sql) == [
        (2026, 1, "张三", "2026-11-02 09:30:00", "registered"),
        (2026, 2, "李四", "2026-11-02", "registered"),
    ]


def test_all_rows_or_none(db_path, tmp_path, monkeypatch):
    """A failure while writing (here: the rejects workbook) leaves the ledger untouched."""
    rows = [row(1, "张三", "2026-11-02", "低保"), row(2, "李四", "bad", "道路")]
    path = ledger_workbook(tmp_path / "台账.xlsx", rows)
    before = dump(db_path)

    def broken(*args: object) -> None:
        raise XinfangError("磁盘已满")

    conn = connect(db_path)
    with pytest.raises(XinfangError):
        importing.import_file(conn, path, write_rejects=broken)
    conn.close()
    assert dump(db_path) == before


def test_the_command_module_does_not_load_openpyxl():
    probe = (
        "import sys\nimport xinfang.cli.import_command\n"
        "print('openpyxl' in sys.modules, 'xinfang.core.exchange.importing' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_a_thousand_rows_take_no_time_per_row(run, tmp_path, sql):
    """Set-based writing: a per-row query or per-case sync would show here first."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(HEADER)
    for n in range(1, 1001):
        sheet.append(row(n, f"信访人{n}", f"2026-{1 + n % 10}-{1 + n % 27}", f"事项{n}",
                         accepted="是" if n % 2 else None, unit="沙河镇" if n % 3 == 0 else None))  # fmt: skip
    path = tmp_path / "千行.xlsx"
    book.save(path)
    started = time.perf_counter()
    out = run("import", str(path))
    assert "已导入 1000 件" in out.stdout
    assert time.perf_counter() - started < 5
    assert sql("SELECT count(*) FROM deadlines")[0][0] > 300  # steps on assumed days open none
    assert run("doctor").exit_code == 0


def test_the_rejects_file_can_be_named_but_is_not_overwritten(run, tmp_path):
    path = ledger_workbook(tmp_path / "台账.xlsx", [row(1, "张三", "bad", "低保")])
    target = tmp_path / "问题行.xlsx"
    shutil.copy(path, target)
    out = run("import", str(path), "--rejects", str(target), expect=2)
    assert "已存在；如要覆盖请加 --force" in out.stderr
    run("import", str(path), "--rejects", str(target), "--force", expect=2)
    lines = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert lines[1][0] == 4 and "无法识别“bad”" in lines[1][-1]


def test_a_two_level_header_and_numbered_empty_lines(run, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "信访人", None, None, "信访时间", "反映问题", "信访来源", "信访形式"])
    sheet.merge_cells("B1:D1")
    sheet.append([None, "姓名", "电话", "住址", None, None, None, None])
    sheet.append([1, "张三", "13812345678", "西关村", "2026-11-02", "低保", "本级", "来访"])
    sheet.append([2])  # lines the form numbers in advance, never filled in
    sheet.append([3])
    path = tmp_path / "两层表头.xlsx"
    book.save(path)
    out = json.loads(run("import", str(path), "--json").stdout)
    assert (out["header_row"], out["imported"], out["blank"], out["rejected"]) == (2, 1, 2, [])
    assert out["columns"]["电话"] == "联系电话" and out["columns"]["住址"] == "通讯地址"
    case = show(run, "2026-0001")
    assert (case["name"], case["phone"], case["address"]) == ("张三", "13812345678", "西关村")


def test_formulas_in_the_file_stay_text_in_the_ledger_and_the_rejects(run, tmp_path):
    payload = '=HYPERLINK("http://evil.example","点此")'
    text = (
        "信访人,信访时间,反映问题,信访来源,信访形式\n"
        f'"{payload.replace(chr(34), chr(34) * 2)}",2026-11-02,=1+1,本级,来访\n'
        "@SUM(A1:A9),不是日期,+1+1,本级,来访\n"
    )
    path = tmp_path / "公式.csv"
    path.write_text(text, encoding="utf-8")
    out = run("import", str(path))
    assert "已导入 1 件" in out.stdout and "未导入 1 行" in out.stdout
    case = show(run, "2026-0001")
    assert (case["name"], case["content"]) == (payload, "=1+1")
    report = tmp_path / "公式_未导入行.xlsx"
    cells = [c for line in openpyxl.load_workbook(report).active.iter_rows() for c in line]
    risky = [c for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert {c.value for c in risky} == {"@SUM(A1:A9)", "+1+1"}
    assert all(c.data_type == "s" for c in risky)
    with zipfile.ZipFile(report) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(re.search(rb"<(\w+:)?f[\s>/]", archive.read(n)) for n in sheets)
