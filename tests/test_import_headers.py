"""`import` reads what real ledgers call things: the headers of 信访信息系统, 12345, 纪检
and 住建 exports; a word that means two things read from the other columns present (and
the reading said); a sheet lacking a column refused up front with the `--map` or
`--default` to give; an import that imports nothing exits 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import show
from sheets import workbook

from xinfang.core.exchange.importing.columns import header_names, normalize_header

# Each real header and the field it is read as; None: kept with the case as written
# (no field holds it, or it is not what the field means).
REAL_HEADERS = {
    "举报人姓名": "name",
    "收件时间": "received_at",
    "接件时间": "received_at",
    "收文时间": "received_at",
    "12345受理时间": "received_at",
    "创建时间": "received_at",
    "实际回复时间": "replied_on",
    "规定回复时间": "assign_due",
    "限办时间": "assign_due",
    "问题发生日期": None,  # when it happened, not when it was received
    "概况": "content",
    "标题": "content",
    "信访标题": "content",
    "反映的主要问题": "content",
    "信访诉求": "content",
    "内容描述": "content",
    "12345内容描述": "content",
    "信访方式": "form",
    "信访类型": "kind",
    "工单类型": "kind",
    "举报类型": "category",
    "问题属性": "category",
    "证件号码": "id_number",
    "信访人数": "persons",
    "问题属地": "township",
    "街道": "township",
    "问题发生地": None,  # where it happened: not the petitioner's address, not a 属地
    "案件地点": None,
    "诉求地址": None,
    "承办科室": "unit",
    "责任科室": "unit",
    "交办科室": "unit",
    "具体承办单位": "unit",
    "责任部门": "unit",
    "主办单位": "unit",
    "办理人": None,  # a person, not a unit
    "交办人": None,
    "办理答复情况": "reply_text",
    "答复市民要点": "reply_text",
    "处置方式": None,
    "工单编号": "ledger_no",
    "12345工单编号": "ledger_no",
    "收文编号": "ledger_no",
    "信访事项编号": "ledger_no",
    "档案编号": "ledger_no",
    "转来编号": "upper_ref",
    "转来机关": None,  # makes the case 上级交办; the office is kept as written
    "转往处": None,
    "登记单位": None,
    "工单来源": "source",
    "重信": None,  # a repeat letter: kept as written
}


@pytest.mark.parametrize(("header", "key"), REAL_HEADERS.items())
def test_each_real_header_is_read_as_its_field(header, key):
    assert header_names([]).get(normalize_header(header)) == key


def imported(run, path: Path, *options: str, expect: int = 0) -> dict:
    return json.loads(run("import", str(path), "--json", *options, expect=expect).stdout)


def test_a_petition_system_export_imports_without_a_map(run, tmp_path, sql):
    header = [
        "信访事项编号", "举报人姓名", "证件号码", "联系电话", "收文时间", "信访方式",
        "信访标题", "反映的主要问题", "问题属性", "问题属地", "信访人数", "办理人", "重信",
    ]  # fmt: skip
    path = workbook(
        tmp_path / "信访件.xlsx", header,
        ["XF2026001", "张三", "110101199003074514", "13812345678", "2026-11-02", "来信",
         "低保", "低保金停发三个月", "民政", "沙河镇", 1, "李科员", "否"],
    )  # fmt: skip
    result = imported(run, path, "--default", "信访来源=本级", "--add-values")
    assert result["imported"] == 1
    case = show(run, "2026-0001")
    assert (case["name"], case["id_number"], case["content"]) == (
        "张三", "110101199003074514", "低保金停发三个月",
    )  # fmt: skip
    # 信访标题 gives way to the fuller 反映的主要问题, and the reading says so
    assert any("信访标题" in reading for reading in result["readings"])
    assert "信访标题" in result["kept_columns"]


HOTLINE = ["12345工单编号", "姓名", "联系电话", "受理时间", "工单来源", "12345内容描述"]


def test_in_a_12345_export_the_acceptance_time_is_the_call(run, tmp_path):
    path = workbook(
        tmp_path / "12345.xlsx", HOTLINE,
        ["GD001", "张三", "13812345678", "2026-11-02 09:30:00", "12345热线", "路灯不亮"],
    )  # fmt: skip
    out = run("import", str(path), "--default", "信访形式=来电")
    assert "受理时间" in out.stdout and "12345" in out.stdout  # the reading is said
    assert show(run, "2026-0001")["received_at"] == "2026-11-02 09:30:00"


def test_elsewhere_the_acceptance_time_is_the_decision(tmp_path, run):
    header = ["信访人", "信访时间", "信访来源", "信访形式", "反映问题", "受理时间"]
    path = workbook(
        tmp_path / "台账.xlsx", header,
        ["张三", "2026-11-02", "本级", "来访", "低保金停发", "2026-11-05"],
    )  # fmt: skip
    result = imported(run, path)
    assert result["columns"]["受理时间"] == "受理时间"
    assert any("受理时间" in reading and "受理" in reading for reading in result["readings"])


def test_map_wins_over_the_reading(tmp_path, run):
    path = workbook(
        tmp_path / "12345.xlsx", [*HOTLINE, "创建时间"],
        ["GD001", "张三", "13812345678", "2026-11-03", "12345热线", "路灯不亮", "2026-11-02"],
    )  # fmt: skip
    result = imported(run, path, "--default", "信访形式=来电", "--map", "受理时间=受理时间")
    assert result["columns"]["受理时间"] == "受理时间"
    assert result["columns"]["创建时间"] == "信访时间"
    assert not any("受理时间" in reading for reading in result["readings"])


DISCIPLINE = [
    "举报人",
    "身份证号",
    "被反映人",
    "收件时间",
    "举报类型",
    "反映的主要问题",
    "信访方式",
]
ACCUSED = ["张三", "110101199003074514", "王某", "2026-11-02", "违反廉洁纪律", "收受礼金", "来信"]


def test_in_a_discipline_ledger_the_id_number_is_the_accused(tmp_path, run):
    path = workbook(tmp_path / "纪检.xlsx", DISCIPLINE, ACCUSED)
    result = imported(run, path, "--default", "信访来源=本级", "--add-values")
    assert result["imported"] == 1
    assert show(run, "2026-0001")["id_number"] is None
    assert "身份证号" in result["kept_columns"]  # kept with the case as written
    assert any("被反映人" in reading for reading in result["readings"])


def test_map_puts_the_id_number_back_with_the_petitioner(tmp_path, run):
    path = workbook(tmp_path / "纪检.xlsx", DISCIPLINE, ACCUSED)
    run(
        "import",
        str(path),
        "--default",
        "信访来源=本级",
        "--map",
        "身份证号=身份证号码",
        "--add-values",
    )
    assert show(run, "2026-0001")["id_number"] == "110101199003074514"


def test_the_petition_date_wins_over_the_registration_time(tmp_path, run):
    header = ["信访人", "登记时间", "信访日期", "信访来源", "信访形式", "反映问题"]
    path = workbook(
        tmp_path / "台账.xlsx", header,
        ["张三", "2026-11-05", "2026-11-02", "本级", "来访", "低保金停发"],
    )  # fmt: skip
    result = imported(run, path)
    assert result["columns"]["信访日期"] == "信访时间"
    assert "登记时间" in result["kept_columns"]
    assert any("登记时间" in reading for reading in result["readings"])
    assert show(run, "2026-0001")["received_at"] == "2026-11-02"


def test_a_case_sent_down_from_above_is_an_upper_case(tmp_path, run, sql):
    header = ["信访人", "信访时间", "信访形式", "反映问题", "转来机关", "转来编号"]
    path = workbook(
        tmp_path / "台账.xlsx", header,
        ["张三", "2026-11-02", "来信", "低保金停发", "市信访局", "临信转〔2026〕3号"],
        ["李四", "2026-11-02", "来访", "道路损坏", None, None],
        ["王五", "2026-11-02", "来信", "补贴未发", "市信访局", None],  # no number: not guessed
    )  # fmt: skip
    out = run("import", str(path), "--default", "信访来源=本级")
    assert "已导入 2 件" in out.stdout and "第 4 行：上级信访件编号" in out.stdout
    assert sql("SELECT name, source, upper_ref FROM cases ORDER BY id") == [
        ("张三", "上级交办", "临信转〔2026〕3号"),
        ("李四", "本级", None),
    ]


def test_missing_columns_are_refused_with_the_likely_map(tmp_path, run, sql):
    header = ["信访人", "来电时间", "信访来源", "信访形式", "反映事项", "经办意见"]
    path = workbook(
        tmp_path / "台账.xlsx", header, ["张三", "2026-11-02", "本级", "来电", "x", "y"]
    )
    out = run("import", str(path), expect=2)
    assert "找不到：信访时间、反映问题" in out.stderr
    assert "--map 来电时间=信访时间" in out.stderr
    assert "--map 反映事项=反映问题" in out.stderr
    assert "经办意见" in out.stderr  # listed, though nothing is like it
    assert sql("SELECT count(*) FROM cases") == [(0,)]


def test_a_field_no_row_has_is_refused_up_front(tmp_path, run, sql):
    header = ["信访人", "信访时间", "信访来源", "反映问题"]
    rows = [[f"张{n}", "2026-11-02", "本级", f"问题{n}"] for n in range(22)]
    path = workbook(tmp_path / "台账.xlsx", header, *rows)
    out = run("import", str(path), expect=2)
    assert "--default 信访形式=来信" in out.stderr
    assert sql("SELECT count(*) FROM cases") == [(0,)]
    assert not (tmp_path / "台账_未导入行.xlsx").exists()
    run("import", str(path), "--default", "信访形式=来信")
    assert sql("SELECT count(*) FROM cases") == [(22,)]


def test_an_import_that_imports_nothing_exits_2_with_its_summary(tmp_path, run, sql):
    header = ["信访人", "信访时间", "信访来源", "信访形式", "反映问题"]
    rows = [[f"张{n}", "不记得了", "本级", "来访", f"问题{n}"] for n in range(3)]
    path = workbook(tmp_path / "台账.xlsx", header, *rows)
    out = run("import", str(path), expect=2)
    assert "已导入 0 件" in out.stdout and "未导入 3 行" in out.stdout
    assert sql("SELECT count(*) FROM cases") == [(0,)]
    assert imported(run, path, "--dry-run", expect=2)["imported"] == 0
