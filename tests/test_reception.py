"""Leader reception days (seed 003, 领导接访日程安排表): `xinfang reception plan` and `show`
on a real ledger, and the look-ups `register` uses. Every date below was checked by hand
against the State Council's 2026 notice as chinese-calendar carries it (today is
2026-11-23 in these tests)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import Run, dump
from xinfang.core.intake import reception, reception_rules
from xinfang.core.intake.reception import ReceptionDay
from xinfang.store.db import connect

LAST_FRIDAY = "last-friday 09:00-11:00"
LEADERS = "张三,李四,王五"
ROTATION = ["张三", "李四", "王五"] * 4

# Last Fridays of 2026; 9-25 is in the 中秋 holiday (9-25..9-27) and moves to Thu 9-24.
LAST_FRIDAYS_2026 = [
    "2026-01-30", "2026-02-27", "2026-03-27", "2026-04-24", "2026-05-29", "2026-06-26",
    "2026-07-31", "2026-08-28", "2026-09-24", "2026-10-30", "2026-11-27", "2026-12-25",
]  # fmt: skip

# First Fridays of 2026: 1-2 is in 元旦 (1-1..1-3) and the working day before it is in
# 2025, so it moves on to the adjusted workday Sunday 1-4; 5-1 (劳动节) moves to Thu
# 4-30; 10-2 (国庆节) moves to Wed 9-30.
FIRST_FRIDAYS_2026 = [
    "2026-01-04", "2026-02-06", "2026-03-06", "2026-04-03", "2026-04-30", "2026-06-05",
    "2026-07-03", "2026-08-07", "2026-09-04", "2026-09-30", "2026-11-06", "2026-12-04",
]  # fmt: skip

# 2027 is not in chinese-calendar 1.11: weekends only.
LAST_FRIDAYS_2027 = [
    "2027-01-29", "2027-02-26", "2027-03-26", "2027-04-30", "2027-05-28", "2027-06-25",
    "2027-07-30", "2027-08-27", "2027-09-24", "2027-10-29", "2027-11-26", "2027-12-31",
]  # fmt: skip


def shown(run: Run, year: str | None = None) -> dict:
    args = ["reception", "show", "--json"] + (["--year", year] if year else [])
    return json.loads(run(*args).stdout)


def plan(run: Run, *extra: str, year: str = "2026", rule: str = LAST_FRIDAY, expect: int = 0):
    return run(
        "reception", "plan", "--year", year, "--rule", rule, "--leaders", LEADERS, *extra,
        expect=expect,
    )  # fmt: skip


def test_last_fridays_of_2026_rotate_and_mid_autumn_moves_to_thursday(run: Run, sql) -> None:
    out = plan(run)
    assert "已编排 2026 年领导接访日程：每月最后一个星期五 09:00—11:00" in out.stdout
    assert "原定 9月25日（星期五）为节假日（中秋），提前到前一个工作日 9月24日（星期四）" in (
        out.stdout
    )
    assert "尚未录入" not in out.output  # 2026 is known
    assert sql("SELECT day, starts, ends, leader, place FROM reception_days ORDER BY day") == [
        (day, "09:00", "11:00", leader, "局接访室")
        for day, leader in zip(LAST_FRIDAYS_2026, ROTATION, strict=True)
    ]
    days = shown(run, "2026")["days"]
    assert [d["day"] for d in days] == LAST_FRIDAYS_2026
    assert [d["leader"] for d in days] == ROTATION
    moved = [d for d in days if d["note"]]
    assert [(d["day"], d["weekday"]) for d in moved] == [("2026-09-24", "星期四")]
    assert all(d["weekday"] == "星期五" for d in days if not d["note"])
    assert all(d["off_now"] is None for d in days)


def test_first_friday_in_national_day_moves_to_the_wednesday_before(run: Run) -> None:
    out = plan(run, rule="first-friday 09:00-11:00")
    assert "原定 10月2日（星期五）为节假日（国庆节）" in out.stdout
    days = shown(run, "2026")["days"]
    assert [d["day"] for d in days] == FIRST_FRIDAYS_2026
    assert [d["leader"] for d in days] == ROTATION
    assert [d["note"] for d in days if d["note"]] == [
        "原定 1月2日（星期五）为节假日（元旦），此前的工作日已在上一年，"
        "推后到调休上班日 1月4日（星期日）",
        "原定 5月1日（星期五）为节假日（劳动节），提前到前一个工作日 4月30日（星期四）",
        "原定 10月2日（星期五）为节假日（国庆节），提前到前一个工作日 9月30日（星期三）",
    ]


def test_unknown_year_is_weekends_only_and_replanned_after_the_notice(run: Run, db_path) -> None:
    out = plan(run, year="2027", rule="每月最后一周五上午9:00—11:00")  # the seed's wording
    assert "2027 年的节假日安排尚未录入" in out.stdout
    assert "--replace 重新编排" in out.stdout
    assert [d["day"] for d in shown(run, "2027")["days"]] == LAST_FRIDAYS_2027

    run("calendar", "set", "2027-04-30..2027-05-05", "休", "--note", "劳动节")
    run("calendar", "confirm", "2027")
    # The stored plan still says 4-30; show now flags it.
    before = shown(run, "2027")
    flagged = [(d["day"], d["off_now"]) for d in before["days"] if d["off_now"]]
    assert flagged == [("2027-04-30", "节假日（劳动节）")]
    assert not any("尚未录入" in w for w in before["warnings"])
    assert any("录入前编排" in w for w in before["warnings"])

    ledger = dump(db_path)
    refused = plan(run, year="2027", expect=2)
    assert "年份" in refused.stderr and "--replace" in refused.stderr
    assert dump(db_path) == ledger

    out = plan(run, "--replace", year="2027")
    assert "替换原有 12 天" in out.stdout
    assert "原定 4月30日（星期五）为节假日（劳动节），提前到前一个工作日 4月29日（星期四）" in (
        out.stdout
    )
    assert "尚未录入" not in out.output
    after = shown(run, "2027")
    assert [d["day"] for d in after["days"]] == [
        "2027-04-29" if day == "2027-04-30" else day for day in LAST_FRIDAYS_2027
    ]
    assert after["warnings"] == []


def test_replace_refused_then_done(run: Run, sql, db_path) -> None:
    plan(run)
    ledger = dump(db_path)
    refused = plan(run, rule="first-friday 09:00-11:00", expect=2)
    assert "2026 年已有领导接访日程（12 天，自 2026-01-30 起）" in refused.stderr
    assert dump(db_path) == ledger
    out = plan(run, "--replace", rule="first-friday 14:30-16:30")
    assert "已重新编排 2026 年领导接访日程（替换原有 12 天）" in out.stdout
    rows = sql("SELECT day, starts, ends FROM reception_days ORDER BY day")
    assert [r[0] for r in rows] == FIRST_FRIDAYS_2026
    assert {(r[1], r[2]) for r in rows} == {("14:30", "16:30")}
    # Another year's plan is left alone by a replace.
    plan(run, year="2027")
    plan(run, "--replace")
    assert sql("SELECT count(*) FROM reception_days WHERE day LIKE '2027-%'") == [(12,)]


def test_workbook_is_the_printable_schedule(run: Run, tmp_path: Path, sql) -> None:
    target = tmp_path / "领导接访日程安排表_2026年.xlsx"
    out = plan(run, "--place", "信访接待大厅", "-o", str(target))
    assert f"已保存：{target}" in out.stdout
    assert "调整：原定 9月25日（星期五）" in out.stdout
    sheet = load_workbook(target).active
    assert sheet["A1"].value == "领导接访日程安排表（2026年）"
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = values.index(["序号", "接访日期", "星期", "接访时间", "接访领导", "接访地点", "备注"])
    body = values[header + 1 :]
    assert len(body) == 12
    assert [row[0] for row in body] == [str(n) for n in range(1, 13)]
    assert body[8][:6] == ["9", "2026年9月24日", "星期四", "09:00—11:00", "王五", "信访接待大厅"]
    assert "中秋" in body[8][6]
    assert [row[4] for row in body] == ROTATION
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == f"${header + 1}:${header + 1}"
    assert sql("SELECT DISTINCT place FROM reception_days") == [("信访接待大厅",)]


def test_workbook_not_overwritten_and_nothing_stored_when_refused(
    run: Run, tmp_path: Path, db_path
) -> None:
    target = tmp_path / "日程.xlsx"
    target.write_bytes(b"old")
    ledger = dump(db_path)
    refused = plan(run, "-o", str(target), expect=2)
    assert "输出文件" in refused.stderr and "--force" in refused.stderr
    assert target.read_bytes() == b"old"
    assert dump(db_path) == ledger
    # A file that cannot be written even with --force: the plan is not stored either.
    folder = tmp_path / "目录.xlsx"
    folder.mkdir()
    failed = plan(run, "-o", str(folder), "--force", expect=2)
    assert "输出文件" in failed.stderr
    assert dump(db_path) == ledger
    plan(run, "-o", str(target), "--force")
    assert load_workbook(target).active["A1"].value == "领导接访日程安排表（2026年）"
    plan(run, "-o", str(tmp_path / "无后缀"), "--replace")
    assert (tmp_path / "无后缀.xlsx").exists()


@pytest.mark.parametrize(
    ("option", "value", "field"),
    [
        ("--rule", "fifth-friday 09:00-11:00", "接访规则"),
        ("--rule", "last-funday 09:00-11:00", "接访规则"),
        ("--rule", "last-friday", "接访规则"),
        ("--rule", "last-friday 11:00-09:00", "接访规则"),
        ("--rule", "last-friday 24:00-25:00", "接访规则"),
        ("--rule", "每月第五个周五 09:00-11:00", "接访规则"),
        ("--rule", "every friday", "接访规则"),
        ("--leaders", " , ，", "接访领导"),
        ("--leaders", "张三,李四,张三", "接访领导"),
        ("--leaders", ",".join(f"领导{n}" for n in range(13)), "接访领导"),
        ("--leaders", "张" * 21, "接访领导"),
        ("--year", "二〇二七", "年份"),
        ("--year", "2003", "年份"),
        ("--year", "2101", "年份"),
        ("--place", "地" * 51, "接访地点"),
    ],
)
def test_bad_input_refused_naming_the_field(run: Run, db_path, option, value, field) -> None:
    args = {"--year": "2026", "--rule": LAST_FRIDAY, "--leaders": LEADERS, option: value}
    ledger = dump(db_path)
    out = run("reception", "plan", *[x for pair in args.items() for x in pair], expect=2)
    assert out.stderr.startswith(f"错误：{field}："), out.stderr
    assert dump(db_path) == ledger


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("last-friday 09:00-11:00", (-1, 4, "09:00", "11:00")),
        ("Last-Fri 9:00–11:30", (-1, 4, "09:00", "11:30")),
        ("first monday 08:30-10:00", (1, 0, "08:30", "10:00")),
        ("third-sunday 09:00~11:00", (3, 6, "09:00", "11:00")),
        ("每月最后一个周五 09:00—11:00", (-1, 4, "09:00", "11:00")),
        ("每月最后一周五上午9:00—11:00", (-1, 4, "09:00", "11:00")),
        ("第二个星期三 下午2:30-4:30", (2, 2, "14:30", "16:30")),
        ("每月第4个礼拜一 ９：００－１１：００", (4, 0, "09:00", "11:00")),
    ],
)
def test_rules_understood(text: str, expected: tuple) -> None:
    rule = reception_rules.parse_rule(text)
    assert (rule.ordinal, rule.weekday, rule.starts, rule.ends) == expected


def test_rule_days_before_holidays() -> None:
    rule = reception_rules.parse_rule("fourth-thursday 09:00-11:00")
    assert rule.day_in(2026, 10) == date(2026, 10, 22)
    assert reception_rules.parse_rule(LAST_FRIDAY).day_in(2027, 12) == date(2027, 12, 31)
    first_friday = reception_rules.parse_rule("first-friday 09:00-11:00")
    assert first_friday.day_in(2026, 5) == date(2026, 5, 1)


def test_day_for_and_latest_on_or_before(run: Run, db_path) -> None:
    conn = connect(db_path)
    assert reception.day_for(conn, date(2026, 9, 24)) is None
    assert reception.latest_on_or_before(conn, date(2026, 12, 31)) is None
    plan(run)
    plan(run, year="2027")
    mid_autumn = ReceptionDay(date(2026, 9, 24), "09:00", "11:00", "王五", "局接访室")
    assert reception.day_for(conn, date(2026, 9, 24)) == mid_autumn
    assert reception.day_for(conn, date(2026, 9, 25)) is None  # the day it moved from
    assert reception.latest_on_or_before(conn, date(2026, 9, 25)) == mid_autumn
    assert reception.latest_on_or_before(conn, date(2026, 9, 24)) == mid_autumn
    assert reception.latest_on_or_before(conn, date(2026, 10, 29)) == mid_autumn
    assert reception.latest_on_or_before(conn, date(2026, 1, 29)) is None
    assert reception.latest_on_or_before(conn, date(2027, 1, 28)) == ReceptionDay(
        date(2026, 12, 25), "09:00", "11:00", "王五", "局接访室"
    )
    assert reception.day_for(conn, date(2027, 1, 29)) == ReceptionDay(
        date(2027, 1, 29), "09:00", "11:00", "张三", "局接访室"
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        mid_autumn.leader = "李四"  # type: ignore[misc]
    conn.close()


def test_show_marks_the_next_reception_and_covers_later_years(run: Run) -> None:
    empty = run("reception", "show")
    assert "没有2026 年及以后的领导接访日程" in empty.stdout
    run("config", "set", "领导接访地点", "县信访接待中心")
    plan(run)
    plan(run, year="2027")
    out = run("reception", "show")
    assert "领导接访日程安排表（2026年）" in out.stdout
    assert "领导接访日程安排表（2027年）" in out.stdout
    assert "县信访接待中心" in out.stdout
    line = next(row for row in out.stdout.splitlines() if "← 下次接访" in row)
    assert "2026-11-27" in line and "李四" in line
    both = shown(run)
    assert both["years"] == [2026, 2027]
    assert len(both["days"]) == 24
    assert shown(run, "2025")["days"] == []


def test_help_is_chinese_with_examples(run: Run) -> None:
    for args in (["reception"], ["reception", "plan"], ["reception", "show"]):
        out = run(*args, "--help")
        assert "例：xinfang reception" in out.stdout, args
