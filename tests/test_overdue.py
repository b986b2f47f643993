"""`xinfang overdue`: the morning check, for the clerk and for cron.

Clock 2026-11-23 (Mon) unless a test moves it; November 2026 has no holidays, so a case
registered Mon 11-02 owes its notice (3 working days) on Thu 11-05.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time

import pytest
from conftest import REGISTER, on_a_terminal

from xinfang.cli.overdue_command import HEADER

PHONE = "13812345678"  # the one in REGISTER


def reg(run, on: str, *extra: str) -> str:
    out = run(*REGISTER[:-1], on, *extra)
    return out.stdout.split("：")[1].split("（")[0]


def scan(run, *options: str, expect: int | None = 0) -> dict:
    return json.loads(run("overdue", "--json", *options, expect=expect).stdout)


def brief(items: list[dict]) -> list[tuple]:
    return [(i["stage"], i["handled_by"], i["due_on"], i["case_no"], i["days_left"]) for i in items]


def test_empty_ledger_exits_0(run):
    out = run("overdue")
    assert out.stdout.strip() == "2026-11-23：没有超期或 3 个工作日内到期的期限。"
    report = scan(run)
    assert (report["as_of"], report["within"], report["horizon"]) == ("2026-11-23", 3, "2026-11-26")
    assert (report["overdue"], report["due_soon"]) == ([], [])


def test_only_due_soon_exits_0_and_something_overdue_exits_1(run):
    reg(run, "2026-11-23 09:00")  # notice due Thu 11-26
    report = scan(run)
    assert report["overdue"] == []
    assert brief(report["due_soon"]) == [("notice", "本单位", "2026-11-26", "2026-0001", 3)]
    assert report["due_soon"][0]["day_unit"] == "个工作日"
    reg(run, "2026-11-02 09:30")  # notice due Thu 11-05
    report = scan(run, expect=1)
    # Working days in (11-05, 11-23]: 6, 9–13, 16–20, 23 = 12.
    assert brief(report["overdue"]) == [("notice", "本单位", "2026-11-05", "2026-0002", -12)]
    assert "超期 12个工作日" in run("overdue", expect=1).stdout


def test_a_long_list_is_summed_up_on_screen_and_listed_whole_with_all(run, monkeypatch):
    from xinfang.cli import overdue_command

    monkeypatch.setattr(overdue_command, "SCREEN_LIMIT", 2)
    for day in ("2026-11-02 09:00", "2026-11-03 09:00", "2026-11-04 09:00"):
        reg(run, day)
    out = run("overdue", expect=1).stdout
    assert "按环节和承办单位汇总（共 3 项）" in out
    assert "2026-0001" in out and "2026-0003" not in out
    assert "另有 1 项未列出" in out
    full = run("overdue", "--all", expect=1).stdout
    assert "2026-0003" in full and "汇总" not in full and "另有" not in full


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (("--within", "x"), "提前工作日数"),
        (("--within", "61"), "提前工作日数"),
        (("--as-of", "2026-13-01"), "检查日期"),
        (("--output", "x.txt"), ".xlsx、.csv"),
    ],
)
def test_bad_options_exit_2(run, tmp_path, monkeypatch, options, words):
    monkeypatch.chdir(tmp_path)
    reg(run, "2026-11-02 09:30")  # something overdue: 2 must still win over 1
    out = run("overdue", *options, expect=2)
    assert words in out.stderr
    assert not (tmp_path / "x.txt").exists()


def test_as_of_moves_the_check_day(run):
    reg(run, "2026-11-02 09:30")  # notice due Thu 11-05
    early = scan(run, "--as-of", "2026-11-02")
    assert (early["as_of"], early["horizon"]) == ("2026-11-02", "2026-11-05")
    assert brief(early["due_soon"]) == [("notice", "本单位", "2026-11-05", "2026-0001", 3)]
    on_the_day = scan(run, "--as-of", "2026年11月5日")
    assert brief(on_the_day["due_soon"]) == [("notice", "本单位", "2026-11-05", "2026-0001", 0)]
    late = scan(run, "--as-of", "2026-11-06", expect=1)
    assert brief(late["overdue"]) == [("notice", "本单位", "2026-11-05", "2026-0001", -1)]


def test_within_counts_working_days_to_the_horizon_inclusive(run):
    reg(run, "2026-09-30 09:00")  # notice due Sat 10-10 (调休)
    # From Wed 09-30: Thu 10-08 (1), Fri 10-09 (2), Sat 10-10 (3).
    at = scan(run, "--as-of", "2026-09-30", "--within", "3")
    assert at["horizon"] == "2026-10-10"
    assert brief(at["due_soon"]) == [("notice", "本单位", "2026-10-10", "2026-0001", 3)]
    short = scan(run, "--as-of", "2026-09-30", "--within", "2")
    assert (short["horizon"], short["due_soon"]) == ("2026-10-09", [])
    assert scan(run, "--as-of", "2026-09-30", "--within", "0")["horizon"] == "2026-09-30"


def build_office(run) -> None:
    """Cases 1–5 with overdue deadlines of the office and two units; case 6 due soon."""

    def accept(case: str, day: str) -> None:
        run("accept", case, "--notified-on", day, "--on", day)

    reg(run, "2026-11-02 09:00")  # 0001: reply due Mon 11-16
    accept("2026-0001", "2026-11-02")
    reg(run, "2026-11-03 09:00")  # 0002: unit 3 日 from Wed 11-04 -> Sat: Mon 11-09
    accept("2026-0002", "2026-11-03")  # reply Tue 11-17
    run("assign", "2026-0002", "--to", "社会救助股", "--due", "2026-11-20", "--on", "2026-11-04")
    reg(run, "2026-11-02 10:00")  # 0003: unit 3 日 from Thu 11-05 -> Sun: Mon 11-09
    accept("2026-0003", "2026-11-05")  # reply Thu 11-19
    run("assign", "2026-0003", "--to", "沙河镇", "--due", "2026-11-13", "--on", "2026-11-05")
    reg(run, "2026-11-09 09:00")  # 0004: notice due Thu 11-12
    reg(run, "2026-11-02 11:00", "--anonymous")  # 0005: notice due 11-05 (anonymous)
    reg(run, "2026-11-20 09:00")  # 0006: notice due Wed 11-25


def test_grouped_by_stage_then_unit_then_due_date(run):
    build_office(run)
    report = scan(run, expect=1)
    assert brief(report["overdue"]) == [
        ("notice", "本单位", "2026-11-05", "2026-0005", -12),
        ("notice", "本单位", "2026-11-12", "2026-0004", -7),
        ("unit_accept", "沙河镇", "2026-11-09", "2026-0003", -14),  # calendar days
        ("unit_accept", "社会救助股", "2026-11-09", "2026-0002", -14),
        ("reply", "本单位", "2026-11-16", "2026-0001", -5),
        ("reply", "沙河镇", "2026-11-19", "2026-0003", -2),  # unit before due date
        ("reply", "社会救助股", "2026-11-17", "2026-0002", -4),
        ("assign_due", "沙河镇", "2026-11-13", "2026-0003", -10),
        ("assign_due", "社会救助股", "2026-11-20", "2026-0002", -3),
    ]
    assert brief(report["due_soon"]) == [("notice", "本单位", "2026-11-25", "2026-0006", 2)]
    assert [i["day_unit"] for i in report["overdue"][2:4]] == ["日", "日"]


def test_json_items_mask_the_petitioner_and_never_show_the_phone(run):
    build_office(run)
    out = run("overdue", "--json", expect=1).stdout
    report = json.loads(out)
    assert set(report) == {"as_of", "within", "horizon", "overdue", "due_soon", "warnings"}
    first = report["overdue"][1]
    assert first == {
        "case_no": "2026-0004",
        "stage": "notice",
        "label": "受理告知",
        "round": 1,
        "handled_by": "本单位",
        "due_on": "2026-11-12",
        "days_left": -7,
        "day_unit": "个工作日",
        "provisional": False,
        "petitioner": "张*",
        "content": "反映低保评定不公，家中两位老人无收入",
        "status": "已登记（待受理）",
        "urgent": False,
    }
    assert report["overdue"][0]["petitioner"] == "（匿名）"
    assert {i["petitioner"] for i in report["overdue"][2:]} == {"张*"}
    text = run("overdue", expect=1).stdout
    for shown in (out, text):
        assert PHONE not in shown and "张三" not in shown


def test_warning_about_next_year_from_november_on(run, monkeypatch):
    reg(run, "2026-10-12 09:00")  # notice due Thu 10-15
    warned = scan(run, expect=1)
    assert len(warned["warnings"]) == 1
    assert warned["warnings"][0].startswith("2027 年的节假日安排尚未录入")
    assert "提示：2027 年的节假日安排尚未录入" in run("overdue", expect=1).stderr
    monkeypatch.setenv("XINFANG_NOW", "2026-10-15 08:00")
    quiet = scan(run)
    assert (quiet["warnings"], brief(quiet["due_soon"])) == (
        [],
        [("notice", "本单位", "2026-10-15", "2026-0001", 0)],
    )
    assert "提示" not in run("overdue").stderr
    monkeypatch.setenv("XINFANG_NOW", "2026-11-23 10:00")
    run("calendar", "set", "2027-01-01..2027-01-03", "休")
    assert "2027 年的节假日安排尚未录入完毕" in scan(run, expect=1)["warnings"][0]
    run("calendar", "confirm", "2027")
    assert scan(run, expect=1)["warnings"] == []


def test_provisional_due_dates_are_flagged(run, monkeypatch):
    monkeypatch.setenv("XINFANG_NOW", "2026-12-29 10:00")
    reg(run, "2026-12-28 09:00")
    run("accept", "2026-0001", "--notified-on", "2026-12-28", "--on", "2026-12-28")
    report = scan(run, "--within", "10")
    # Weekends only: reply due Mon 2027-01-11; horizon 30, 31, 1, 4, 5, 6, 7, 8, 11, 12.
    assert report["horizon"] == "2027-01-12"
    assert [(i["due_on"], i["provisional"]) for i in report["due_soon"]] == [("2027-01-11", True)]
    assert len(report["warnings"]) == 2 and "按周末估算" in report["warnings"][1]
    assert "（按周末估算）" in run("overdue", "--within", "10").stdout


def test_an_archived_case_is_not_reported(run):
    case = reg(run, "2026-11-02 09:30")
    run("accept", case, "--on", "2026-11-03")  # the notice is never recorded
    run(
        "reply",
        case,
        "--result",
        "已解决",
        "--finding",
        "属实",
        "--text",
        "已解决",
        "--on",
        "2026-11-05",
    )
    run("revisit", case, "--method", "电话回访", "--satisfaction", "满意", "--on", "2026-11-06")
    run("publicize", case, "--on", "2026-11-09")
    run("close", case, "--on", "2026-11-09")
    run("archive", case, "--retention", "10年", "--on", "2026-11-10")
    report = scan(run, expect=None)
    assert (report["overdue"], report["due_soon"]) == ([], [])


def expected_rows() -> list[list[str]]:
    return [
        ["已超期", "受理告知", "本单位", "2026-0001", "2026-11-05", "超期 12个工作日", "张*",
         "=1+1 反映低保金被克扣", "已登记（待受理）"],
        ["即将到期", "受理告知", "本单位", "2026-0002", "2026-11-25", "剩 2个工作日", "（匿名）",
         "反映低保评定不公，家中两位老人无收入", "已登记（待受理）"],
    ]  # fmt: skip


def test_output_xlsx_and_csv(run, tmp_path):
    from openpyxl import load_workbook

    content = ("--content", "=1+1 反映低保金被克扣")
    reg(run, "2026-11-02 09:30", *content)
    reg(run, "2026-11-20 09:00", "--anonymous")
    xlsx, table = tmp_path / "list.xlsx", tmp_path / "list.csv"
    out = run("overdue", "--output", str(xlsx), expect=1)
    assert f"清单已保存：{xlsx}" in out.stderr
    sheet = load_workbook(xlsx).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    assert rows == [list(HEADER), *expected_rows()]  # under the title, office and note
    formula_cell = sheet.cell(row=5, column=8)
    assert (formula_cell.value, formula_cell.data_type) == ("=1+1 反映低保金被克扣", "s")

    run("overdue", "--output", str(table), expect=1)
    with table.open(encoding="utf-8-sig", newline="") as handle:
        read = list(csv.reader(handle))
    assert table.read_bytes().startswith(b"\xef\xbb\xbf")
    guarded = [[*row[:7], row[7].removeprefix("\t"), *row[8:]] for row in read]
    assert guarded == [list(HEADER), *expected_rows()]
    assert read[1][7] == "\t=1+1 反映低保金被克扣"  # kept from being read as a formula

    for target in (xlsx, table):
        before = target.read_bytes()
        refused = run("overdue", "--output", str(target), expect=2)
        assert "--force" in refused.stderr
        assert target.read_bytes() == before
    run("overdue", "--output", str(table), "--as-of", "2026-11-02", "--force")
    with table.open(encoding="utf-8-sig", newline="") as handle:
        assert [row[3] for row in csv.reader(handle)] == ["编号", "2026-0001"]


WRITER = """
import os, subprocess, sys, time
register = sys.argv[1:]
done = 0
stop = time.monotonic() + 3
while time.monotonic() < stop:
    out = subprocess.run(register, capture_output=True, text=True)
    if out.returncode:
        sys.exit("register failed: " + out.stderr)
    case = out.stdout.split("：")[1].split("（")[0]
    accept = [*register[:3], "accept", case, "--notified-on", "2026-11-03", "--on", "2026-11-03"]
    out = subprocess.run(accept, capture_output=True, text=True)
    if out.returncode:
        sys.exit("accept failed: " + out.stderr)
    done += 1
print(done)
"""


def test_overdue_runs_while_another_process_writes(db_path, sql):
    env = dict(os.environ)  # XINFANG_DB, XINFANG_NOW, XINFANG_USER from the fixtures
    xinfang = [sys.executable, "-m", "xinfang"]
    register = [*xinfang, *REGISTER[:-1], "2026-11-02 09:30"]
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, *register],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    runs = []
    deadline = time.monotonic() + 30
    while writer.poll() is None and time.monotonic() < deadline:
        out = subprocess.run(
            [*xinfang, "overdue", "--json"], env=env, capture_output=True, text=True, timeout=30
        )
        assert out.returncode in (0, 1), out.stderr
        assert "locked" not in out.stderr
        report = json.loads(out.stdout)
        runs.append(len(report["overdue"]))
    stdout, stderr = writer.communicate(timeout=30)
    assert writer.returncode == 0, stderr
    written = int(stdout)
    assert written >= 2 and len(runs) >= 3
    # A case owes its notice until accepted, then its reply: one overdue item either way,
    # and each scan sees at least what the one before saw.
    assert runs == sorted(runs)
    assert sql(
        "SELECT count(*), sum(CASE WHEN status = 'accepted' THEN 1 ELSE 0 END) FROM cases"
    ) == [(written, written)]
    final = subprocess.run([*xinfang, "overdue", "--json"], env=env, capture_output=True, text=True)
    stages = [item["stage"] for item in json.loads(final.stdout)["overdue"]]
    assert stages == ["reply"] * written


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_a_narrow_terminal_never_cuts_the_number_the_due_date_or_the_days(run, columns):
    reg(run, "2026-11-02 09:30")  # notice due Thu 11-05, 12 working days late on 11-23
    out = on_a_terminal(columns, "overdue")
    assert "2026-0001" in out and "2026-11-05" in out and "超期 12个工作日" in out
