"""满意率 and 办理质量合格率 as the seeds ask for them (seed 001 五(二)3-4, 003 三).

- 满意率 counts 非常满意 and 满意; 基本满意 only where the office's setting 基本满意计入满意率
  says 是; 一般 and 不满意 never. The two scales are never merged: seed 000's four boxes
  (非常满意/满意/一般/不满意) and seed 002's three values (满意/基本满意/不满意) are each
  counted on their own line, and the rate is shown with the counts behind it.
- 办理质量合格率 = reports not sent back / reports, per unit and for the whole office.

Each ledger is built through the real CLI; the workbooks are reopened with openpyxl."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REGISTER
from openpyxl import load_workbook
from test_vocabulary_uses import boxes_in_row

NOW = "2026-12-10 10:00"
SETTING = "基本满意计入满意率"
SATISFIED_000 = "满意（非常满意＋满意）"  # the default office list holds both scales' values


@pytest.fixture(autouse=True)
def december(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XINFANG_NOW", NOW)


def registered(run, day: str) -> str:
    out = run(*REGISTER[:-2], "--on", f"{day} 09:30")
    return out.stdout.split("：")[1].split("（")[0]


def revisited(run, satisfaction: str, *, day: str = "2026-11-02", unit: str | None = None) -> str:
    """A case registered, accepted, (handled by `unit`,) replied to and revisited."""
    case = registered(run, day)
    run("accept", case, "--on", day, "--notified-on", day)
    if unit:
        run("assign", case, "--to", unit, "--due", "2026-11-30", "--on", day)
        run("unit-accept", case, "--on", day)
        run("unit-report", case, "--text", "已核查", "--on", day)
    run("reply", case, "--result", "已解决", "--finding", "属实", "--text", "已办",
        "--on", day)  # fmt: skip
    run("revisit", case, "--method", "电话回访", "--satisfaction", satisfaction, "--on", day)
    return case


def report(run, target: Path, *args: str) -> Path:
    run("report", "stats", "--month", "2026-11", *args, "-o", str(target))
    return target


def overview(path: Path) -> dict[str, tuple]:
    """总体情况: {指标: (本期, 上期, …)}."""
    sheet = load_workbook(path)["总体情况"]
    return {row[0]: row[1:] for row in sheet.iter_rows(min_row=4, values_only=True) if row[1:3]}


def breakdown(path: Path, title: str) -> dict[str, tuple]:
    """One block of 分类统计: {row: (本期, 上期, 增减, 本期占比)}."""
    rows = list(load_workbook(path)["分类统计"].iter_rows(min_row=4, max_col=5, values_only=True))
    top = next(n for n, row in enumerate(rows) if row[0] == title)
    block = {}
    for row in rows[top + 1 :]:
        if row[0] is None:
            break
        block[row[0]] = row[1:]
    return block


def ranking(path: Path) -> dict[str, dict[str, object]]:
    sheet = load_workbook(path)["承办单位考核"]
    header = [cell.value for cell in sheet[3]]
    rows = sheet.iter_rows(min_row=4, values_only=True)
    return {row[1]: dict(zip(header, row, strict=True)) for row in rows}


def note(path: Path) -> str:
    """The 口径 under 总体情况's table."""
    sheet = load_workbook(path)["总体情况"]
    return next(str(row[0]) for row in sheet.iter_rows(values_only=True) if "口径" in str(row[0]))


def terminal_rows(out: str) -> dict[str, list[str]]:
    rows = {}
    for line in out.splitlines():
        if line.count("│") > 2:
            cells = [cell.strip() for cell in line.split("│")[1:-1]]
            rows.setdefault(cells[0], cells)
    return rows


# 满意率 -----------------------------------------------------------------------------------


def test_only_very_satisfied_and_satisfied_count_and_each_value_keeps_its_line(run, tmp_path):
    for satisfaction in ("非常满意", "满意", "一般", "基本满意", "不满意"):
        revisited(run, satisfaction)
    target = report(run, tmp_path / "满意.xlsx")
    rows = overview(target)
    assert rows["回访数"][0] == 5
    assert rows[SATISFIED_000][0] == 2  # 非常满意 + 满意; not 一般, not 基本满意
    assert rows["满意率"][0] == pytest.approx(2 / 5)
    # Every value counted on its own line, in the office's order: no scale merged.
    assert breakdown(target, "满意度（回访数）") == {
        "非常满意": (1, 0, 1, 0.2), "满意": (1, 0, 1, 0.2), "基本满意": (1, 0, 1, 0.2),
        "一般": (1, 0, 1, 0.2), "不满意": (1, 0, 1, 0.2), "合计": (5, 0, 5, 1),
    }  # fmt: skip
    out = run("report", "stats", "--month", "2026-11").stdout
    cells = terminal_rows(out)
    assert cells["满意率"][1] == "40.0%"
    assert cells[SATISFIED_000][1] == "2"
    assert cells["一般"][1:3] == ["1", "0"]
    assert "满意率＝回访中“非常满意”“满意”的÷回访数" in note(target)


def test_an_office_setting_counts_basically_satisfied(run, tmp_path):
    for satisfaction in ("满意", "基本满意", "一般", "不满意"):
        revisited(run, satisfaction)
    shown = run("config").stdout
    assert f"{SETTING}（count_basically_satisfied）：否" in shown
    assert overview(report(run, tmp_path / "否.xlsx"))["满意率"][0] == pytest.approx(1 / 4)

    assert run("config", "set", SETTING, "是").stdout == f"已设置 {SETTING}：是\n"
    target = report(run, tmp_path / "是.xlsx")
    rows = overview(target)
    assert rows["满意（非常满意＋满意＋基本满意）"][0] == 2
    assert rows["满意率"][0] == pytest.approx(2 / 4)
    assert "满意率＝回访中“非常满意”“满意”“基本满意”的÷回访数" in note(target)

    run("config", "set", "count_basically_satisfied", "否")
    assert overview(report(run, tmp_path / "又否.xlsx"))["满意率"][0] == pytest.approx(1 / 4)


def test_a_setting_that_is_not_yes_or_no_is_refused(run):
    before = run("config", "show", "--json").stdout
    out = run("config", "set", SETTING, "也许", expect=2)
    assert out.stderr == f"错误：{SETTING}：“也许”不可用；可选：是、否\n"
    assert run("config", "show", "--json").stdout == before


def test_an_office_on_the_three_value_scale(run, db_path, tmp_path):
    """Seed 002's office: 满意 / 基本满意 / 不满意 only."""
    run("config", "remove", "满意度", "非常满意")
    run("config", "remove", "满意度", "一般")
    cases = {word: revisited(run, word) for word in ("满意", "基本满意", "不满意")}
    target = report(run, tmp_path / "三级.xlsx")
    rows = overview(target)
    assert rows["满意"][0] == 1  # only 满意 counts, and only 满意 is named
    assert rows["满意率"][0] == pytest.approx(1 / 3)
    assert list(breakdown(target, "满意度（回访数）")) == ["满意", "基本满意", "不满意", "合计"]
    # The 回访表 ticks the value given, among the office's three boxes.
    form = tmp_path / "回访表.docx"
    run("print", cases["基本满意"], "回访及满意度调查表", "-o", str(form))
    assert boxes_in_row(form, "满意度") == {"满意": "□", "基本满意": "☑", "不满意": "□"}


def test_a_unit_is_ranked_on_the_same_satisfaction(run, tmp_path):
    revisited(run, "一般", unit="沙河镇")
    revisited(run, "非常满意", unit="新华镇")
    units = ranking(report(run, tmp_path / "考核.xlsx"))
    assert (units["沙河镇"][SATISFIED_000], units["沙河镇"]["满意率"]) == (0, 0.0)
    assert (units["新华镇"][SATISFIED_000], units["新华镇"]["满意率"]) == (1, 1.0)
    assert units["新华镇"]["综合得分"] - units["沙河镇"]["综合得分"] == pytest.approx(20)
    out = run("report", "stats", "--month", "2026-11").stdout
    ranked = out[out.index("承办单位考核") :].splitlines()
    line = next(line for line in ranked if "沙河镇" in line)
    assert "0.0%（0/1）" in line


# 办理质量合格率 ------------------------------------------------------------------------------


def quality_ledger(run) -> None:
    """沙河镇 reports twice on one case (the first sent back), 新华镇 once; in October
    新华镇 reported once, sent back in November."""
    october = registered(run, "2026-10-12")
    run("accept", october, "--on", "2026-10-12", "--notified-on", "2026-10-12")
    run("assign", october, "--to", "新华镇", "--due", "2026-11-20", "--on", "2026-10-13")
    run("unit-accept", october, "--on", "2026-10-14")
    run("unit-report", october, "--text", "已核查", "--on", "2026-10-20")
    run("send-back", october, "--reason", "未附核查记录", "--on", "2026-11-03")
    first = registered(run, "2026-11-02")
    run("accept", first, "--on", "2026-11-02", "--notified-on", "2026-11-02")
    run("assign", first, "--to", "沙河镇", "--due", "2026-11-30", "--on", "2026-11-03")
    run("unit-accept", first, "--on", "2026-11-04")
    run("unit-report", first, "--text", "已核查", "--on", "2026-11-09")
    run("send-back", first, "--reason", "未附入户核查记录", "--on", "2026-11-10")
    run("unit-report", first, "--text", "已补入户核查记录", "--on", "2026-11-16")
    revisited(run, "满意", day="2026-11-05", unit="新华镇")


def test_quality_rate_overall_and_per_unit_with_its_counts(run, tmp_path):
    quality_ledger(run)
    target = report(run, tmp_path / "质量.xlsx")
    rows = overview(target)
    # November: three reports, one of them (沙河镇's first) sent back. October's report,
    # sent back on 11-03, is October's: as of 10-31 it stood.
    assert rows["报送次数"][:2] == (3, 1)
    assert rows["报送未退回"][:2] == (2, 1)
    assert rows["办理质量合格率"][0] == pytest.approx(2 / 3)
    assert rows["办理质量合格率"][1] == 1.0
    units = ranking(target)
    counted = ("报送次数", "报送未退回", "退回重办", "办理质量合格率")
    assert [units["沙河镇"][key] for key in counted] == [2, 1, 1, 0.5]
    assert [units["新华镇"][key] for key in counted] == [1, 1, 1, 1.0]  # 11-03 was October's
    cells = terminal_rows(run("report", "stats", "--month", "2026-11").stdout)
    assert cells["报送次数"][1:3] == ["3", "1"]
    assert cells["报送未退回"][1:3] == ["2", "1"]
    assert cells["办理质量合格率"][1:3] == ["66.7%", "100.0%"]
    assert "办理质量合格率＝报送未退回÷报送次数" in note(target)


def test_a_ledger_without_reports_has_no_rate(run, tmp_path):
    revisited(run, "满意")
    rows = overview(report(run, tmp_path / "无.xlsx"))
    assert rows["报送次数"][0] == 0
    assert rows["办理质量合格率"][0] == "—"
