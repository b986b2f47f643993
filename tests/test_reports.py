"""The two monthly tables sent upward, opened back with openpyxl as the supervising
level would open them."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from xinfang.store.db import connect

ACCEPT = ["序号", "投诉人", "联系电话", "信访来源", "投诉时间", "投诉问题", "接访人", "是否受理", "是否告知", "备注"]  # fmt: skip
HANDLE = ["序号", "信访来源", "投诉问题", "受理时间", "问题类型", "是否属实", "办理情况及处理结果", "是否办结", "备注"]  # fmt: skip
INJECTIONS = ['=HYPERLINK("http://x","点我")', "+1+2", "-3-4", "@SUM(A1)"]


def register(run, on: str, content: str, *extra: str) -> str:
    out = run("register", "--source", "本级", "--form", "来访", "--content", content,
              "--category", "最低生活保障", "--receiver", "王芳", "--on", on, *extra)  # fmt: skip
    return out.stdout.split("：")[1].split("（")[0]


@pytest.fixture
def november(run, monkeypatch, db_path) -> dict[str, str]:
    """Cases around the edges of November 2026, the clock on 2026-12-05."""
    monkeypatch.setenv("XINFANG_NOW", "2026-12-05 10:00")
    person = ("--name", "张三", "--phone", "13812345678")
    cases = {
        "oct31": register(run, "2026-10-31 16:00", "十月最后一天来访", *person),
        "nov01": register(run, "2026-11-01 09:00", "十一月第一天来信", "--name", "李四"),
        "nov15": register(run, "2026-11-15 10:00", "劳动争议", "--name", "王五"),
        "nov20": register(
            run, "2026-11-20 10:00", "低保金被停发", "--name", "赵六", "--persons", "6"
        ),
        "nov30": register(run, "2026-11-30 23:00", INJECTIONS[0], "--anonymous"),
        "dec01": register(run, "2026-12-01 08:00", "十二月的事", "--name", "钱七"),
    }
    run("accept", cases["oct31"], "--on", "2026-11-02", "--notified-on", "2026-11-02")
    run("accept", cases["nov01"], "--on", "2026-11-01", "--notified-on", "2026-11-03")
    run("reject", cases["nov15"], "--reason", "属劳动争议", "--channel", "向县劳动仲裁委申请仲裁",
        "--on", "2026-11-16")  # fmt: skip
    run("accept", cases["nov20"], "--on", "2026-11-20", "--notified-on", "2026-11-20")
    run("assign", cases["nov20"], "--to", "沙河镇", "--due", "2026-11-30", "--on", "2026-11-20")
    run("unit-accept", cases["nov20"], "--on", "2026-11-21")
    run("unit-report", cases["nov20"], "--text", "已恢复发放", "--on", "2026-11-24")
    run("reply", cases["nov20"], "--result", "已解决", "--finding", "属实", "--text", "已补发",
        "--on", "2026-11-25")  # fmt: skip
    run(
        "revisit",
        cases["nov20"],
        "--method",
        "电话回访",
        "--satisfaction",
        "满意",
        "--on",
        "2026-11-26",
    )
    run("publicize", cases["nov20"], "--on", "2026-11-27")
    run("close", cases["nov20"], "--on", "2026-11-28")
    run("accept", cases["dec01"], "--on", "2026-12-01")
    # Text that reached the ledger some other way (an import, an old file) with a
    # character the xlsx format forbids.
    write_sql(db_path, "UPDATE cases SET receiver = '王\x07芳' WHERE seq = 2")
    return cases


def write_sql(db_path: Path, statement: str) -> None:
    conn = connect(db_path)  # either store, in autocommit
    conn.execute(statement)
    conn.close()


def rows(path: Path, first: int = 5) -> list[list]:
    sheet = load_workbook(path).active
    return [list(r) for r in sheet.iter_rows(min_row=first, values_only=True)]


def test_accept_table_holds_the_cases_registered_in_the_month(run, november, tmp_path):
    out = run("report", "accept", "--month", "2026-11", "-o", str(tmp_path / "受理.xlsx"))
    assert out.stdout.strip() == f"已生成：{tmp_path / '受理.xlsx'}（2026年11月，4 件）"
    book = load_workbook(tmp_path / "受理.xlsx")
    sheet = book.active
    assert sheet.title == "受理情况"
    assert sheet["A1"].value == "信访问题受理情况汇总表"
    assert "A1:J1" in {str(r) for r in sheet.merged_cells.ranges}
    assert (sheet["A2"].value, sheet["F2"].value) == ("单位：临泽县民政局", "时间：2026年12月5日")
    assert [c.value for c in sheet[4]] == ACCEPT
    assert rows(tmp_path / "受理.xlsx") == [
        [1, "李四", None, "来访", "2026年11月1日", "十一月第一天来信", "王芳", "是", "是（11月3日）", "2026-0002"],
        [2, "王五", None, "来访", "2026年11月15日", "劳动争议", "王芳", "否（不予受理）", "否",
         "2026-0003；告知途径：向县劳动仲裁委申请仲裁"],
        [3, "赵六", None, "来访", "2026年11月20日", "低保金被停发", "王芳", "是", "是（11月20日）",
         "2026-0004；集体访 6 人"],
        [4, "匿名", None, "来访", "2026年11月30日", INJECTIONS[0], "王芳", "待定", "匿名，无需告知",
         "2026-0005"],
    ]  # fmt: skip


def test_handle_table_holds_the_cases_accepted_in_the_month_as_at_its_end(run, november, tmp_path):
    run("report", "handle", "--month", "2026-11", "-o", str(tmp_path / "办理.xlsx"))
    sheet = load_workbook(tmp_path / "办理.xlsx").active
    assert (sheet["A2"].value, sheet["E2"].value) == (
        "填报单位（盖章）：临泽县民政局",
        "填报时间：2026年12月5日",
    )
    assert [c.value for c in sheet[4]] == HANDLE
    assert rows(tmp_path / "办理.xlsx") == [
        [1, "来访", "十一月第一天来信", "2026年11月1日", "最低生活保障", None, "正在办理", "否", "2026-0002"],
        [2, "来访", "十月最后一天来访", "2026年11月2日", "最低生活保障", None, "正在办理", "否", "2026-0001"],
        [3, "来访", "低保金被停发", "2026年11月20日", "最低生活保障", "属实",
         "交沙河镇办理；已解决。已补发", "是", "2026-0004；集体访 6 人"],
    ]  # fmt: skip


def test_handle_table_as_of_an_earlier_day(run, november, tmp_path):
    target = tmp_path / "办理.xlsx"
    run("report", "handle", "--month", "2026-11", "--as-of", "2026-11-24", "-o", str(target))
    last = rows(target)[2]
    assert last[5:8] == [None, "已交沙河镇办理，已报送办理情况，待答复", "否"]


def test_petitioners_text_is_text_never_a_formula(run, november, tmp_path, db_path):
    for number, text in enumerate(INJECTIONS[1:], 1):
        write_sql(db_path, f"UPDATE cases SET content = '{text}' WHERE seq = {number + 1}")
    target = tmp_path / "受理.xlsx"
    run("report", "accept", "--month", "2026-11", "-o", str(target))
    sheet = load_workbook(target).active
    contents = [sheet.cell(row=r, column=6) for r in range(5, 9)]
    assert [c.value for c in contents] == [*INJECTIONS[1:], INJECTIONS[0]]
    assert {c.data_type for c in contents} == {"s"}
    assert sheet["G5"].value == "王芳"  # the forbidden \x07 was dropped, not fatal


def test_print_ready(run, november, tmp_path):
    target = tmp_path / "受理.xlsx"
    run("report", "accept", "--month", "2026-11", "-o", str(target))
    sheet = load_workbook(target).active
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (
        "landscape", 9, 1, 0,
    )  # fmt: skip
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$4:$4"
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert (sheet["A1"].font.name, sheet["A1"].font.b) == ("宋体", True)
    assert {sheet.cell(row=5, column=c).font.name for c in range(1, 11)} == {"宋体"}
    body = sheet["F5"]
    assert body.alignment.wrap_text is True
    assert body.border.left.style == body.border.bottom.style == "thin"
    assert sheet.column_dimensions["F"].width > sheet.column_dimensions["A"].width


def test_default_name_and_no_silent_overwrite(run, november, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run("report", "accept", "--month", "2026-11")
    target = tmp_path / "信访问题受理情况汇总表_2026年11月.xlsx"
    assert target.exists()
    before = target.read_bytes()
    refused = run("report", "accept", "--month", "2026-11", expect=2)
    assert "已存在" in refused.stderr and "--force" in refused.stderr
    assert target.read_bytes() == before
    run("report", "accept", "--month", "2026-11", "--force")
    run("report", "handle", "--quarter", "2026Q4")
    assert (tmp_path / "信访问题办理情况汇总表_2026年第4季度.xlsx").exists()


@pytest.mark.parametrize(
    ("period", "count"),
    [
        (("--quarter", "2026Q4"), 6),
        (("--year", "2026"), 6),
        (("--year", "2025"), 0),
        (("--from", "2026-10-31", "--to", "2026-11-01"), 2),
        (("--from", "2026-11-30", "--to", "2026-12-01"), 2),
    ],
)
def test_other_periods(run, november, tmp_path, period, count):
    target = tmp_path / "受理.xlsx"
    out = run("report", "accept", *period, "-o", str(target))
    assert out.stdout.strip().endswith(f"，{count} 件）")
    assert len(rows(target)) == count


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--month", "2026-11", "--year", "2026"), "统计期间"),
        (("--month", "上上月"), "月份"),
        (("--quarter", "2026Q5"), "季度"),
        (("--from", "2026-11-30"), "--from 和 --to"),
        (("--from", "2026-11-30", "--to", "2026-11-01"), "截止日期"),
        (("--month", "2026-13"), "月份"),
    ],
)
def test_bad_periods_are_refused(run, november, args, message, tmp_path):
    out = run("report", "handle", *args, "-o", str(tmp_path / "x.xlsx"), expect=2)
    assert message in out.stderr
    assert not (tmp_path / "x.xlsx").exists()
