"""`xinfang report stats`: the leaders' analysis, checked figure by figure against a
ledger built through the real CLI (Nov 2026, with Oct 2026 and Nov 2025 to compare).

The clock stands at 2026-12-10 so that a case can be registered on 11-30 and 12-01.
Weekdays: 2026-11-01 is a Sunday, 11-02 a Monday, 10-31 a Saturday, 12-01 a Tuesday."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from conftest import TODAY, show
from openpyxl import load_workbook
from typer.testing import CliRunner

# stats_command registers `report stats` (until xinfang/cli/__init__.py imports it).
from xinfang.cli import app, stats_command  # noqa: F401

NOW = "2026-12-10 10:00"
ID_WANG = "620702198001011231"


def _case(*options: str) -> tuple[str, ...]:
    return ("register", "--receiver", "王芳", *options)


# Each case: a key, its registration, then its steps (command, options…). The comments
# say what the figures must make of it; the expected values below are derived from them.
SCENARIO: list[tuple[str, tuple[str, ...], list[tuple[str, ...]]]] = [
    # Nov 2025 (去年同期)
    ("K1", _case("--name", "赵六", "--phone", "13700000006", "--address", "沙河镇红星村1号",
                 "--source", "本级", "--form", "来访", "--content", "低保待遇问题",
                 "--category", "最低生活保障", "--town", "沙河镇", "--on", "2025-11-10 09:00"),
     [("accept", "--notified-on", "2025-11-11", "--on", "2025-11-11")]),  # reply never given: overdue
    ("K2", _case("--name", "孙八", "--phone", "13700000008", "--source", "本级", "--form", "来电",
                 "--content", "临时救助问题", "--category", "临时救助", "--town", "新华镇",
                 "--on", "2025-11-20"),
     [("reject", "--reason", "属劳动争议", "--channel", "申请劳动仲裁",
       "--notified-on", "2025-11-21", "--on", "2025-11-21")]),
    # Oct 2026 (上期)
    ("O1", _case("--name", "王五", "--phone", "13900000002", "--id-number", ID_WANG,
                 "--source", "本级", "--form", "来访", "--content", "低保评定", "--category",
                 "最低生活保障", "--town", "沙河镇", "--on", "2026-10-15"),
     [("accept", "--notified-on", "2026-10-16", "--on", "2026-10-16"),
      ("reply", "--result", "已解决", "--finding", "属实", "--text", "已处理", "--on", "2026-10-20"),
      ("revisit", "--method", "电话回访", "--satisfaction", "满意", "--on", "2026-10-21"),
      ("publicize", "--on", "2026-10-22"),
      ("close", "--on", "2026-10-23")]),  # not archived: 归档 due 10-30 is overdue
    ("O2", _case("--anonymous", "--source", "本级", "--form", "来信", "--content", "殡葬收费",
                 "--category", "殡葬管理", "--on", "2026-10-20"), []),  # 告知 due 10-23: overdue
    ("O3", _case("--name", "周九", "--phone", "13600000009", "--source", "本级", "--form", "来电",
                 "--content", "养老补贴", "--category", "养老服务", "--town", "倪家营镇",
                 "--on", "2026-10-31 10:00"),
     [("accept", "--notified-on", "2026-11-02", "--on", "2026-11-02"),  # decided in Nov
      # 答复 due 11-16, given 11-20: late
      ("reply", "--result", "已解决", "--finding", "属实", "--text", "已发放", "--on", "2026-11-20"),
      ("revisit", "--method", "电话回访", "--satisfaction", "基本满意", "--on", "2026-11-23"),
      ("publicize", "--on", "2026-11-24")]),
    # Nov 2026 (本期)
    ("N1", _case("--name", "张三", "--phone", "13800000001", "--source", "本级", "--form", "来访",
                 "--content", "低保评定不公", "--category", "最低生活保障", "--town", "沙河镇",
                 "--on", "2026-11-01 08:30"),
     [("accept", "--notified-on", "2026-11-02", "--on", "2026-11-02"),
      ("assign", "--to", "沙河镇", "--due", "2026-11-20", "--on", "2026-11-03"),
      ("unit-accept", "--on", "2026-11-04"),  # due 11-06: in time
      ("unit-report", "--text", "已核查", "--on", "2026-11-10"),  # due 11-20: in time
      ("reply", "--result", "已解决", "--finding", "属实", "--text", "已纳入", "--on", "2026-11-11"),
      ("revisit", "--method", "电话回访", "--satisfaction", "满意", "--on", "2026-11-12"),
      ("publicize", "--on", "2026-11-13"),
      ("close", "--on", "2026-11-16"),
      ("archive", "--retention", "10年", "--on", "2026-11-17")]),
    ("N2", _case("--name", "王五", "--phone", "13900000002", "--source", "本级", "--form", "来电",
                 "--content", "低保金未发", "--category", "最低生活保障", "--town", "沙河镇",
                 "--on", "2026-11-05"),  # repeat: O1's phone
     [("accept", "--notified-on", "2026-11-05", "--on", "2026-11-05"),
      ("assign", "--to", "新华镇", "--due", "2026-11-13", "--on", "2026-11-06"),
      ("unit-accept", "--on", "2026-11-10"),  # due 11-09: late
      ("unit-report", "--text", "已核查", "--on", "2026-11-16"),  # due 11-13: late
      ("reply", "--result", "正在解决", "--finding", "属实", "--text", "办理中", "--on", "2026-11-17"),
      # 不满意 while with 新华镇: its revisit, though the case then goes to 沙河镇
      ("revisit", "--method", "当面", "--satisfaction", "不满意", "--on", "2026-11-18"),
      ("assign", "--to", "沙河镇", "--due", "2026-12-05", "--on", "2026-11-19"),
      ("unit-accept", "--on", "2026-11-20")]),  # due 11-23: in time
    ("N3", _case("--name", "钱七", "--persons", "6", "--phone", "13500000007", "--source", "本级",
                 "--form", "来访", "--content", "养老院收费", "--category", "养老服务",
                 "--town", "蓼泉镇", "--on", "2026-11-10"),  # 集体访, 6 人
     [("accept", "--notified-on", "2026-11-10", "--on", "2026-11-10"),  # 答复 due 11-24: overdue
      ("assign", "--to", "蓼泉镇", "--due", "2026-11-25", "--on", "2026-11-11"),  # overdue
      ("unit-accept", "--on", "2026-11-16")]),  # due 11-16: on the day, in time
    ("N4", _case("--name", "孙八", "--phone", "13700000008", "--source", "12345热线",
                 "--form", "来电", "--content", "临时救助未批", "--category", "临时救助",
                 "--town", "新华镇", "--on", "2026-11-12"),  # repeat: K2's phone
     [("reject", "--reason", "属劳动争议", "--channel", "申请劳动仲裁",
       "--notified-on", "2026-11-13", "--on", "2026-11-13")]),
    ("N5", _case("--name", "赵六", "--phone", "13711111111", "--address", "沙河镇红星村1号",
                 "--source", "上级交办", "--upper-ref", "市信访局〔2026〕88号",
                 "--form", "网上信访", "--content", "低保资格", "--category", "最低生活保障",
                 "--town", "沙河镇", "--on", "2026-11-15"),  # repeat: K1's name and address
     [("transfer", "--to", "县人社局", "--notified-on", "2026-11-16", "--on", "2026-11-16")]),
    # Anonymous, with N1's phone: never a repeat. 告知 due 11-23: overdue.
    ("N6", _case("--anonymous", "--phone", "13800000001", "--source", "本级", "--form", "来信",
                 "--content", "殡葬收费", "--category", "殡葬管理", "--on", "2026-11-18"), []),
    ("N8", _case("--name", "王五", "--phone", "13922222222", "--id-number", ID_WANG,
                 "--source", "本级", "--form", "来信", "--content", "低保复核",
                 "--category", "最低生活保障", "--town", "沙河镇", "--on", "2026-11-20"),
     [("accept", "--notified-on", "2026-11-20", "--on", "2026-11-20"),  # repeat: O1's ID
      ("assign", "--to", "沙河镇", "--due", "2026-11-23", "--on", "2026-11-20"),
      ("unit-accept", "--on", "2026-11-24"),  # due 11-23: late
      ("unit-report", "--text", "已核查", "--on", "2026-11-24"),  # due 11-23: late
      ("reply", "--result", "已解决", "--finding", "属实", "--text", "已复核", "--on", "2026-11-24"),
      ("revisit", "--method", "电话回访", "--satisfaction", "满意", "--on", "2026-11-25"),
      ("publicize", "--on", "2026-11-26"),
      ("close", "--on", "2026-11-27")]),
    ("N9", _case("--name", "郑十一", "--persons", "5", "--phone", "13300000011", "--source", "本级", "--form", "来信",
                 "--content", "残疾补贴", "--category", "残疾人两项补贴", "--town", "板桥镇",
                 "--on", "2026-11-24"),
     [("accept", "--notified-on", "2026-11-24", "--on", "2026-11-24"),
      ("assign", "--to", "板桥镇", "--due", "2026-12-05", "--on", "2026-11-25")]),  # due 11-30
    ("N7", _case("--name", "李四", "--persons", "4", "--phone", "13400000004", "--id-number", "620702197505054329",
                 "--source", "领导接访", "--form", "来访", "--content", "区划调整",
                 "--category", "其他", "--town", "平川镇", "--on", "2026-11-30 16:00"), []),
    # Dec 2026: outside the month (O3's phone: a repeat, but not November's)
    ("D1", _case("--name", "周九", "--phone", "13600000009", "--source", "本级", "--form", "来电",
                 "--content", "婚姻登记", "--category", "婚姻登记", "--town", "鸭暖镇",
                 "--on", "2026-12-01 09:00"), []),
]  # fmt: skip

# What November 2026 must show (as of 11-30), the previous month (as of 10-31) and
# November 2025 (as of 2025-11-30), derived from the comments above.
EXPECTED = {
    #                    本期   上期  去年同期
    "登记数": (9, 3, 2),
    "受理数": (5, 1, 1),  # N1 N2 N3 N8 N9 | O1 (O3 only in Nov) | K1
    "不予受理": (1, 0, 1),  # N4 | — | K2
    "转送": (1, 0, 0),  # N5
    "待定": (2, 2, 0),  # N6 N7 | O2 O3
    "受理率": (5 / 9, 1 / 3, 1 / 2),
    "答复数": (4, 1, 0),  # N1 N2 O3 N8 | O1
    "按期答复": (3, 1, 0),  # O3 late
    "按期办结率": (3 / 4, 1.0, None),
    "回访数": (4, 1, 0),  # N1 N2(不满意) O3 N8 | O1
    "满意（非常满意＋满意）": (2, 1, 0),  # N1 N8 | O1; O3's 基本满意 not counted by default
    "满意率": (2 / 4, 1.0, None),
    "报送次数": (3, 0, 0),  # N1 N2 N8
    "报送未退回": (3, 0, 0),
    "办理质量合格率": (1.0, None, None),
    "办结数": (2, 1, 0),  # N1 N8 | O1
    "重复信访": (4, 0, 0),  # N2 N4 N5 N8
    "集体访": (2, 0, 0),  # N3 (6 人), N9 (5 人); not N7 (4 人)
    "集体访人次": (11, 0, 0),
    # 11-30: N3 答复 + 交办办结, N6 告知, O1 归档, O2 告知, K1 答复 | 10-31: O1 O2 K1 | K1
    "超期未办": (6, 3, 1),
}
# name, 交办件数, 已受理, 按期受理, 已报送, 按期报送, 超期未报送, 回访, 满意, 得分, 名次
RANKING = [
    ("沙河镇", 3, 3, 2, 2, 1, 0, 2, 2, 66.67, 1),  # 40×⅔ + 40×½ + 20×1
    ("蓼泉镇", 1, 1, 1, 0, 0, 1, 0, 0, 60.0, 2),  # its overdue report counts against it: 40+0+20
    ("新华镇", 1, 1, 0, 1, 0, 0, 1, 0, 0.0, 3),
    ("板桥镇", 1, 0, 0, 0, 0, 0, 0, 0, "—", "—"),  # nothing due yet: no score, last
]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory, template_ledger: Path) -> Path:
    """The scenario's ledger, built once through the CLI; each test gets a copy."""
    folder = tmp_path_factory.mktemp("stats")
    path = folder / "ledger.db"
    path.write_bytes(template_ledger.read_bytes())
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XINFANG_DB", str(path))
        patch.setenv("XINFANG_NOW", NOW)
        patch.setenv("XINFANG_USER", "王芳")
        patch.setenv("XDG_DATA_HOME", str(folder / "xdg"))
        # Repeats are linked within the window: a year and more here (K1/K2 -> N4/N5).
        assert runner.invoke(app, ["config", "set", "重复信访查找天数", "400"]).exit_code == 0
        for key, register, steps in SCENARIO:
            out = runner.invoke(app, list(register))
            assert out.exit_code == 0, (key, out.output)
            number = out.stdout.split("：")[1].split("（")[0]
            for action, *options in steps:
                done = runner.invoke(app, [action, number, *options])
                assert done.exit_code == 0, (key, action, done.output)
    return path


@pytest.fixture
def ledger(
    scenario: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch, store: str, request
) -> Path:
    if store == "postgresql":  # the scenario moved into a town's database (migrate-store)
        db_path = request.getfixturevalue("pg_towns").from_file(scenario)
        monkeypatch.setenv("XINFANG_DB", db_path)
    else:
        source, target = sqlite3.connect(scenario), sqlite3.connect(db_path)
        source.backup(target)  # the WAL's contents too
        source.close()
        target.close()
    monkeypatch.setenv("XINFANG_NOW", NOW)
    return db_path


def overview(path: Path) -> dict[str, tuple]:
    sheet = load_workbook(path)["总体情况"]
    rows = {}
    for row in sheet.iter_rows(min_row=4, values_only=True):
        if row[0] in EXPECTED:
            rows[row[0]] = row
    return rows


def as_number(value: object) -> object:
    return None if value == "—" else value


def test_workbook_overview_matches_every_figure(run, ledger, tmp_path):
    target = tmp_path / "分析.xlsx"
    out = run("report", "stats", "--month", "2026-11", "-o", str(target))
    assert out.stdout.strip() == (
        f"已生成：{target}（2026年11月，登记 9 件，数据截至 2026年11月30日）"
    )
    book = load_workbook(target)
    assert book.sheetnames == ["总体情况", "分类统计", "承办单位考核"]
    sheet = book["总体情况"]
    assert sheet["A1"].value == "信访统计分析（2026年11月）总体情况"
    assert [c.value for c in sheet[3]] == [
        "指标", "本期（2026年11月）", "上期（2026年10月）", "环比增减", "环比增幅",
        "去年同期（2025年11月）", "同比增减", "同比增幅",
    ]  # fmt: skip
    rows = overview(target)
    assert list(rows) == list(EXPECTED)
    for label, (now, before, last_year) in EXPECTED.items():
        row = rows[label]
        assert as_number(row[1]) == pytest.approx(now), label
        assert as_number(row[2]) == pytest.approx(before), label
        assert as_number(row[5]) == pytest.approx(last_year), label
        rate = label.endswith("率")
        for base, diff, ratio in ((before, row[3], row[4]), (last_year, row[6], row[7])):
            if now is None or base is None:
                assert (diff, ratio) == ("—", "—"), label
            elif rate:  # the difference in percentage points, no relative change
                assert diff == pytest.approx((now - base) * 100), label
                assert ratio == "—", label
            else:
                assert diff == now - base, label
                assert as_number(ratio) == (pytest.approx((now - base) / base) if base else None)
    # Spot checks with the numbers written out.
    assert rows["登记数"][3:5] == (6, 2.0)  # 9 against 3: +6, +200%
    assert rows["登记数"][6:8] == (7, 3.5)
    assert rows["受理率"][1] == pytest.approx(0.5556, abs=1e-4)
    assert sheet.cell(row=4 + 5, column=2).number_format == "0.0%"


def counts(block: dict[str, tuple[int, int, int]]) -> dict[str, int]:
    return {name: row[0] for name, row in block.items() if row[0] and name != "合计"}


def test_figures_agree_with_the_case_list(run, ledger, tmp_path):
    """The registration figures once more, counted from `list --json`."""
    target = tmp_path / "a.xlsx"
    run("report", "stats", "--month", "2026-11", "-o", str(target))
    cases = json.loads(run("list", "--from", "2026-11-01", "--to", "2026-11-30", "--json").stdout)
    rows = overview(target)
    assert rows["登记数"][1] == len(cases)
    assert rows["集体访"][1] == sum(c["persons"] >= 5 for c in cases)
    assert rows["集体访人次"][1] == sum(c["persons"] for c in cases if c["persons"] >= 5)
    breakdown = breakdowns(target)
    for column, title in (("source", "信访来源"), ("form", "信访形式"), ("category", "问题类型")):
        counted = Counter(c[column] for c in cases)
        assert counts(breakdown[title]) == counted, title
        assert breakdown[title]["合计"][0] == len(cases)
    assert counts(breakdown["属地"]) == Counter(c["township"] or "未填写" for c in cases)
    assigned = {
        (case["case_no"], event["data"]["to"])
        for case in map(lambda c: show(run, c["case_no"]), cases)
        for event in case["events"]
        if event["action"] == "assign" and event["occurred_at"] >= "2026-11-01"
    }
    assert counts(breakdown["承办单位（交办件数）"]) == Counter(unit for _, unit in assigned)


def breakdowns(path: Path) -> dict[str, dict[str, tuple[int, int, int]]]:
    """分类统计 as {block title: {row: (本期, 上期, 增减)}}, 合计 included."""
    sheet = load_workbook(path)["分类统计"]
    result: dict[str, dict[str, tuple[int, int, int]]] = {}
    current: dict[str, tuple[int, int, int]] | None = None
    for row in sheet.iter_rows(min_row=4, max_col=5, values_only=True):
        if row[0] is None:
            current = None
        elif current is None:
            assert row[1:] == ("本期", "上期", "增减", "本期占比")
            current = result.setdefault(row[0], {})
        else:
            current[row[0]] = (row[1], row[2], row[3])
    return result


def test_breakdowns_in_the_office_order_with_boundaries(run, ledger, tmp_path):
    target = tmp_path / "b.xlsx"
    run("report", "stats", "--month", "2026-11", "-o", str(target))
    blocks = breakdowns(target)
    assert list(blocks) == [
        "信访来源", "信访形式", "问题类型", "属地", "承办单位（交办件数）", "满意度（回访数）",
    ]  # fmt: skip
    assert blocks["信访来源"] == {
        "本级": (6, 3, 3), "上级交办": (1, 0, 1), "领导接访": (1, 0, 1),
        "12345热线": (1, 0, 1), "合计": (9, 3, 6),
    }  # fmt: skip
    assert blocks["信访形式"] == {
        "来信": (3, 1, 2), "来访": (3, 1, 2), "来电": (2, 1, 1), "网上信访": (1, 0, 1),
        "合计": (9, 3, 6),
    }  # fmt: skip
    assert blocks["问题类型"] == {
        "最低生活保障": (4, 1, 3), "临时救助": (1, 0, 1), "养老服务": (1, 1, 0),
        "残疾人两项补贴": (1, 0, 1), "殡葬管理": (1, 1, 0), "其他": (1, 0, 1),
        "合计": (9, 3, 6),
    }  # fmt: skip
    # 11-01 (N1) and 11-30 (N7, 平川镇) count; 10-31 (O3, 倪家营镇) and 12-01 (D1, 鸭暖镇,
    # 婚姻登记) do not.
    assert blocks["属地"] == {
        "沙河镇": (4, 1, 3), "新华镇": (1, 0, 1), "蓼泉镇": (1, 0, 1), "平川镇": (1, 0, 1),
        "板桥镇": (1, 0, 1), "倪家营镇": (0, 1, -1), "未填写": (1, 1, 0), "合计": (9, 3, 6),
    }  # fmt: skip
    assert blocks["承办单位（交办件数）"] == {
        "沙河镇": (3, 0, 3), "新华镇": (1, 0, 1), "蓼泉镇": (1, 0, 1), "板桥镇": (1, 0, 1),
        "合计": (6, 0, 6),
    }  # fmt: skip
    assert blocks["满意度（回访数）"] == {
        "满意": (2, 1, 1), "基本满意": (1, 0, 1), "不满意": (1, 0, 1), "合计": (4, 1, 3),
    }  # fmt: skip
    sheet = load_workbook(target)["分类统计"]
    assert sheet["A1"].value == "信访统计分析（2026年11月）分类统计"
    charts = sheet._charts
    assert len(charts) == 2
    kinds = {type(chart).__name__: chart for chart in charts}
    assert set(kinds) == {"PieChart", "BarChart"}
    bar = kinds["BarChart"]
    assert (bar.type, bar.grouping, len(bar.series)) == ("col", "clustered", 2)
    title = "".join(run.t for p in bar.title.tx.rich.p for run in p.r)
    assert title == "问题类型 本期与上期对比（2026年11月）"
    # Beside its table: the bar chart's data are the 问题类型 rows, 本期 and 上期.
    refs = [s.val.numRef.f for s in bar.series]
    top = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "问题类型")
    assert refs == [
        f"'分类统计'!$B${top + 1}:$B${top + 6}",
        f"'分类统计'!$C${top + 1}:$C${top + 6}",
    ]
    assert bar.anchor._from.col == 6  # column G, right of the table
    pie_title = "".join(run.t for p in kinds["PieChart"].title.tx.rich.p for run in p.r)
    assert pie_title == "信访来源构成（2026年11月）"


def test_units_are_ranked_by_score(run, ledger, tmp_path):
    target = tmp_path / "c.xlsx"
    run("report", "stats", "--month", "2026-11", "-o", str(target))
    sheet = load_workbook(target)["承办单位考核"]
    assert sheet["A1"].value == "信访统计分析（2026年11月）承办单位考核"
    header = [c.value for c in sheet[3]]
    assert header[:3] == ["名次", "承办单位", "交办件数"]
    got = []
    for row in sheet.iter_rows(min_row=4, values_only=True):
        values = dict(zip(header, row, strict=True))
        got.append(
            (
                values["承办单位"], values["交办件数"], values["已受理"], values["按期受理"],
                values["已报送"], values["按期报送"], values["超期未报送"], values["回访数"],
                values["满意（非常满意＋满意）"], values["综合得分"], values["名次"],
            )
        )  # fmt: skip
    assert got == RANKING
    rates = {r[1]: (r[5], r[8], r[12]) for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert rates["沙河镇"] == (pytest.approx(2 / 3), 0.5, 1.0)
    assert rates["板桥镇"] == ("—", "—", "—")
    assert rates["新华镇"] == (0.0, 0.0, 0.0)


def test_terminal_shows_the_same_figures(run, ledger):
    out = run("report", "stats", "--month", "2026-11").stdout
    lines = {line.split("│")[1].strip(): line for line in out.splitlines() if line.count("│") > 2}

    def cells(label: str) -> list[str]:
        return [c.strip() for c in lines[label].split("│")[1:-1]]

    assert "信访统计分析（2026年11月）总体情况　数据截至 2026年11月30日" in out
    assert cells("登记数") == ["登记数", "9", "3", "+6（+200.0%）", "2", "+7（+350.0%）"]
    assert cells("受理率") == ["受理率", "55.6%", "33.3%", "+22.2个百分点", "50.0%", "+5.6个百分点"]
    assert cells("按期办结率") == ["按期办结率", "75.0%", "100.0%", "-25.0个百分点", "—", "—"]
    assert cells("满意率")[1] == "50.0%"
    assert cells("重复信访")[1:3] == ["4", "0"]
    assert cells("集体访人次")[1] == "11"
    assert cells("超期未办") == ["超期未办", "6", "3", "+3（+100.0%）", "1", "+5（+500.0%）"]
    assert cells("最低生活保障") == ["最低生活保障", "4", "1", "+3"]
    assert cells("倪家营镇") == ["倪家营镇", "0", "1", "-1"]
    ranking = [
        [c.strip() for c in line.split("│")[1:-1]]
        for line in out[out.index("承办单位考核") :].splitlines()
        if line.count("│") == 9
    ]
    assert ranking == [
        ["1", "沙河镇", "3", "66.7%（2/3）", "50.0%（1/2）", "0", "100.0%（2/2）", "66.7"],
        ["2", "蓼泉镇", "1", "100.0%（1/1）", "0.0%（0/1）", "1", "—", "60.0"],
        ["3", "新华镇", "1", "0.0%（0/1）", "0.0%（0/1）", "0", "0.0%（0/1）", "0.0"],
        ["—", "板桥镇", "1", "—", "—", "0", "—", "—"],
    ]
    assert "鸭暖镇" not in out and "婚姻登记" not in out


def test_as_of_day_and_the_comparisons_maturing_alike(run, ledger, tmp_path):
    # The ledger as it stood on 11-15: N1–N5 registered, N5 transferred only on 11-16.
    early = tmp_path / "early.xlsx"
    run("report", "stats", "--month", "2026-11", "--as-of", "2026-11-15", "-o", str(early))
    rows = overview(early)
    figures = {label: rows[label][1] for label in ("登记数", "受理数", "不予受理", "转送", "待定")}
    assert figures == {"登记数": 5, "受理数": 3, "不予受理": 1, "转送": 0, "待定": 1}
    assert rows["答复数"][1] == 1  # N1 only
    assert rows["登记数"][2] == 3  # October taken whole, as of 10-31
    # Ten days after the month: October is taken as of 11-10 too, so O3 counts accepted.
    late = tmp_path / "late.xlsx"
    run("report", "stats", "--month", "2026-11", "--as-of", "2026-12-10", "-o", str(late))
    rows = overview(late)
    assert rows["受理数"][1:3] == (5, 2)
    assert rows["待定"][1:3] == (2, 1)
    assert rows["登记数"][1] == 9  # D1 (12-01) still outside November


def test_a_period_still_running_is_counted_to_today(run, ledger):
    out = run("report", "stats", "--month", "2026-12").stdout
    assert "数据截至 2026年12月10日" in out
    line = next(line for line in out.splitlines() if line.startswith("│ 登记数"))
    assert [c.strip() for c in line.split("│")[1:-1]][:3] == ["登记数", "1", "9"]


def test_quarter_and_year(run, ledger, tmp_path):
    quarter = tmp_path / "q.xlsx"
    run("report", "stats", "--quarter", "2026Q4", "-o", str(quarter))
    rows = overview(quarter)
    # Q4 up to today (12-10): O1 O2 O3, N1–N9, D1; Q3 none; Q4 2025: K1 K2.
    assert rows["登记数"][1:3] == (13, 0)
    assert rows["登记数"][5] == 2
    assert rows["登记数"][3:5] == (13, "—")  # no base for a relative change
    assert rows["重复信访"][1] == 5  # D1 repeats O3 too
    assert load_workbook(quarter)["总体情况"]["A1"].value == "信访统计分析（2026年第4季度）总体情况"
    year = run("report", "stats", "--year", "2026").stdout
    line = next(line for line in year.splitlines() if line.startswith("│ 登记数"))
    assert [c.strip() for c in line.split("│")[1:-1]] == [
        "登记数", "13", "2", "+11（+550.0%）", "2", "+11（+550.0%）",
    ]  # fmt: skip


def test_default_name_and_refusal_to_overwrite(run, ledger, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = run("report", "stats", "--month", "2026-11", "--xlsx")
    name = Path("信访统计分析_2026年11月.xlsx")
    assert name.exists()
    assert out.stdout.startswith(f"已生成：{name}（")
    before = name.read_bytes()
    refused = run("report", "stats", "--month", "2026-11", "--xlsx", expect=2)
    assert "已存在" in refused.stderr and "--force" in refused.stderr
    assert name.read_bytes() == before
    refused = run("report", "stats", "--month", "2026-11", "-o", str(name), expect=2)
    assert name.read_bytes() == before
    run("report", "stats", "--month", "2026-10", "-o", str(name), "--force")
    assert load_workbook(name)["总体情况"]["A1"].value == "信访统计分析（2026年10月）总体情况"
    # -o without .xlsx gets it added.
    run("report", "stats", "--month", "2026-11", "-o", "十一月")
    assert Path("十一月.xlsx").exists()


def test_bad_periods_are_refused(run, ledger):
    out = run("report", "stats", expect=2)
    assert "--month 2026-11" in out.stderr
    out = run("report", "stats", "--month", "2026-11", "--year", "2026", expect=2)
    assert "同时给了" in out.stderr
    out = run("report", "stats", "--month", "2026-11", "--as-of", "2026-10-01", expect=2)
    assert "早于统计期间的第一天" in out.stderr


def test_help_names_the_definitions(run):
    out = run("report", "stats", "--help").stdout
    for words in ("受理率＝受理数÷登记数", "按期办结率", "满意率", "重复信访", "集体访", "例："):
        assert words in out


def test_empty_ledger_gives_dashes_not_errors(run, db_path, tmp_path):
    target = tmp_path / "empty.xlsx"
    run("report", "stats", "--month", "2026-11", "-o", str(target))
    rows = overview(target)
    assert rows["登记数"][1:] == (0, 0, 0, "—", 0, 0, "—")
    assert rows["受理率"][1:] == ("—",) * 7
    assert load_workbook(target)["分类统计"]._charts == []
    out = run("report", "stats", "--month", "2026-11").stdout
    assert "本期没有交办件" in out
    assert TODAY.startswith("2026-11-23")  # the default clock: November still running
    assert "数据截至 2026年11月23日" in out
