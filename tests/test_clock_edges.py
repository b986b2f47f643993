"""The clock at its edges (issue 15, "figures the seeds ask for"): half-year periods, the
overdue check as of a past day, a working-day deadline looked at on a weekend, what a
resume moves, provisional dates where they are fixed, and an assign --due that looks
wrong. Due dates are counted by hand from the 2026 State Council notice (National Day
Oct 1–7, Sat Oct 10 worked; November has no holidays); 2027 is unknown to the installed
chinese-calendar."""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import LIFE, REGISTER, show

from xinfang.core.clock import periods
from xinfang.core.errors import InvalidInput


def reg(run, on: str) -> str:
    out = run(*REGISTER[:-1], on)
    return out.stdout.split("：")[1].split("（")[0]


def scan(run, *options: str, expect: int | None = 0) -> dict:
    return json.loads(run("overdue", "--json", *options, expect=expect).stdout)


def brief(items: list[dict]) -> list[tuple]:
    return [(i["stage"], i["case_no"], i["due_on"], i["days_left"]) for i in items]


def deadline(run, case: str, stage: str) -> dict:
    return next(d for d in show(run, case)["deadlines"] if d["stage"] == stage)


# Half-year periods ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last", "label"),
    [
        ("2026H2", date(2026, 7, 1), date(2026, 12, 31), "2026年下半年"),
        ("2026h1", date(2026, 1, 1), date(2026, 6, 30), "2026年上半年"),
        ("2026-H2", date(2026, 7, 1), date(2026, 12, 31), "2026年下半年"),
        ("2026年上半年", date(2026, 1, 1), date(2026, 6, 30), "2026年上半年"),
        ("2026下半年", date(2026, 7, 1), date(2026, 12, 31), "2026年下半年"),
    ],
)
def test_a_half_year_is_named_and_read(text, first, last, label):
    period = periods.choose(half=text)
    assert (period.first, period.last, period.label) == (first, last, label)


def test_the_period_before_a_half_year_is_the_half_year_before():
    second = periods.choose(half="2026H2")
    assert second.previous().label == "2026年上半年"
    assert (second.previous().first, second.previous().last) == (
        date(2026, 1, 1),
        date(2026, 6, 30),
    )
    assert second.previous().previous().label == "2025年下半年"
    assert second.year_before().label == "2025年下半年"


def test_a_range_that_is_exactly_a_half_year_compares_with_the_half_year_before():
    # Before: 184 days back, 2025年12月29日至2026年6月30日.
    period = periods.choose(date_from="2026-07-01", date_to="2026-12-31")
    assert period.previous().label == "2026年上半年"
    # A range that is a calendar quarter or month compares the same way.
    assert periods.choose(date_from="2026-10-01", date_to="2026-12-31").previous().label == (
        "2026年第3季度"
    )
    assert periods.choose(date_from="2026-03-01", date_to="2026-03-31").previous().label == (
        "2026年2月"
    )
    # Any other range: the same number of days just before.
    odd = periods.choose(date_from="2026-07-02", date_to="2026-12-31")
    assert (odd.previous().first, odd.previous().last) == (date(2025, 12, 31), date(2026, 7, 1))


@pytest.mark.parametrize("text", ["2026H3", "2026H0", "下半年", "2026年中"])
def test_a_half_year_that_cannot_be_read_is_refused(text):
    with pytest.raises(InvalidInput) as refused:
        periods.choose(half=text)
    assert "2026H2" in str(refused.value)


def test_half_is_one_of_the_ways_to_name_a_period():
    with pytest.raises(InvalidInput) as refused:
        periods.choose(half="2026H2", year="2026")
    assert "--half" in str(refused.value)


def test_report_stats_over_a_half_year(run):
    reg(run, "2026-11-02 09:30")
    out = run("report", "stats", "--half", "2026H2").stdout
    assert "本期：2026年下半年；上期：2026年上半年；去年同期：2025年下半年" in out
    assert "12月29日" not in out


def test_report_tables_and_bundle_take_a_half_year(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    reg(run, "2026-11-02 09:30")
    out = run("report", "accept", "--half", "2026H2").stdout
    assert "（2026年下半年，1 件）" in out
    assert (tmp_path / "信访问题受理情况汇总表_2026年下半年.xlsx").exists()
    assert "（2026年上半年，0 件）" in run("report", "handle", "--half", "2026H1").stdout
    out = run("bundle", "--half", "2026H2").stdout
    assert "2026年下半年" in out and "1 件" in out


# overdue --as-of a past day ------------------------------------------------------------


def test_overdue_as_of_a_past_day_counts_what_was_done_after_it_as_not_yet_done(run):
    case = reg(run, "2026-09-01 09:30")
    run("accept", case, "--notified-on", "2026-09-02", "--on", "2026-09-02")
    # Reply: 10 working days from Wed 09-02: 3, 4, 7–11, 14, 15, Wed 09-16.
    run(
        "reply", case, "--result", "已解决", "--finding", "属实", "--text", "已解决",
        "--on", "2026-10-08",
    )  # fmt: skip
    # Today: answered (late); only the revisit it opened is overdue.
    assert [i["stage"] for i in scan(run, expect=1)["overdue"]] == ["revisit"]
    then = scan(run, "--as-of", "2026-09-29", expect=1)
    # Working days in (09-16, 09-29]: 17, 18, Sun 20 (调休), 21–24, 28, 29 (25 中秋) = 9.
    assert brief(then["overdue"]) == [("reply", case, "2026-09-16", -9)]
    # What the reply opened (回访, 复查申请) did not exist yet on 09-29.
    assert then["due_soon"] == []
    # The notice, met on 09-02, was met by then.
    assert scan(run, "--as-of", "2026-09-02", "--within", "0")["overdue"] == []
    # The day after the reply it is answered, and the revisit is due soon.
    after = scan(run, "--as-of", "2026-10-09")
    assert after["overdue"] == [] and [i["stage"] for i in after["due_soon"]] == ["revisit"]


def test_overdue_as_of_a_past_day_sees_a_case_file_not_yet_returned(run):
    case = reg(run, "2026-11-02 09:30")
    for action, *options in LIFE:
        run(action, case, *options)
    run(
        "lend", case, "--to", "王五", "--unit", "县纪委监委", "--approved-by", "李主任",
        "--due", "2026-11-19", "--on", "2026-11-17",
    )  # fmt: skip
    run("return", case, "--on", "2026-11-23")
    assert scan(run)["overdue"] == []
    assert brief(scan(run, "--as-of", "2026-11-20", expect=1)["overdue"]) == [
        ("loan", case, "2026-11-19", -1)
    ]
    assert scan(run, "--as-of", "2026-11-16")["due_soon"] == []  # not lent yet


# A working-day deadline looked at on a weekend -----------------------------------------


@pytest.mark.parametrize(
    ("day", "late"),
    [("2026-11-07", 1), ("2026-11-08", 1), ("2026-11-09", 1), ("2026-11-10", 2)],
)
def test_a_working_day_deadline_past_on_a_weekend_is_overdue_by_one_at_least(
    run, monkeypatch, day, late
):
    case = reg(run, "2026-11-03 09:30")  # notice: Wed 4, Thu 5, Fri 11-06
    item = scan(run, "--as-of", day, expect=1)["overdue"]
    assert brief(item) == [("notice", case, "2026-11-06", -late)]
    screen = run("overdue", "--as-of", day, expect=1).stdout
    assert f"超期 {late}个工作日" in screen and "剩 0" not in screen
    monkeypatch.setenv("XINFANG_NOW", f"{day} 10:00")
    notice = deadline(run, case, "notice")
    assert (notice["state"], notice["days_left"]) == ("overdue", -late)
    shown = run("show", case).stdout
    assert f"超期 {late}个工作日" in shown and "剩 0" not in shown


def test_a_working_day_deadline_past_on_a_holiday_is_overdue(run):
    case = reg(run, "2026-09-25 09:30")  # notice: 28, 29, Wed 09-30
    item = scan(run, "--as-of", "2026-10-03", expect=1)["overdue"]
    assert brief(item) == [("notice", case, "2026-09-30", -1)]


def test_due_today_on_a_weekend_is_still_due_not_late(run):
    case = reg(run, "2026-11-02 09:30")
    run("accept", case, "--notified-on", "2026-11-02", "--on", "2026-11-02")
    run("assign", case, "--to", "沙河镇", "--due", "2026-11-07", "--on", "2026-11-03")
    soon = scan(run, "--as-of", "2026-11-07", expect=1)["due_soon"]  # unit_accept: 11-06
    assert ("assign_due", case, "2026-11-07", 0) in brief(soon)


# resume: by how much each open deadline moved ------------------------------------------


def test_resume_says_how_far_each_open_deadline_moved(run):
    case = reg(run, "2026-11-02 09:30")
    run("accept", case, "--notified-on", "2026-11-03", "--on", "2026-11-03")
    # Reply: 10 working days from Tue 11-03: Wed 4 … Tue 11-17.
    run("assign", case, "--to", "沙河镇", "--due", "2026-11-30", "--on", "2026-11-04")
    run("pause", case, "--reason", "组织听证", "--on", "2026-11-05")
    out = run("resume", case, "--on", "2026-11-10").stdout.splitlines()
    assert out[0] == "已恢复计时：2026-0001（暂停 5 天，期限顺延）"
    # Not counted: 11-05 up to 11-09 (5 days; 3 working days: 5, 6, 9).
    # 答复: 11-17 + 3 working days = Fri 11-20.
    # 交办单位受理: 3 days from 11-04 (Sat 11-07 → Mon 11-09) + 5 days = Thu 11-12.
    # 交办办结: 11-30 + 5 days = Sat 12-05 → Mon 12-07.
    assert sorted(out[1:]) == sorted(
        [
            "答复期限顺延 3个工作日，至 2026-11-20",
            "交办单位受理期限顺延 5日，至 2026-11-12",
            "交办办结期限顺延 5日，至 2026-12-07",
        ]
    )
    assert deadline(run, case, "reply")["due_on"] == "2026-11-20"


def test_resume_with_nothing_open_to_move_says_only_that_it_resumed(run):
    case = reg(run, "2026-11-02 09:30")
    run("accept", case, "--notified-on", "2026-11-03", "--on", "2026-11-03")
    run("pause", case, "--reason", "组织听证", "--on", "2026-11-18")  # reply due 11-17: past
    out = run("resume", case, "--on", "2026-11-20").stdout.splitlines()
    assert out == ["已恢复计时：2026-0001（暂停 2 天，期限顺延）"]


# Provisional dates where they are fixed ------------------------------------------------


def test_accept_says_when_the_reply_date_is_counted_on_weekends_only(run, monkeypatch):
    monkeypatch.setenv("XINFANG_NOW", "2026-12-29 10:00")
    case = reg(run, "2026-12-28 09:00")
    out = run("accept", case, "--notified-on", "2026-12-28", "--on", "2026-12-28").stdout
    # Weekends only: 29, 30, 31, Jan 1, 4, 5, 6, 7, 8, Mon 2027-01-11.
    assert "答复期限 2027-01-11（按周末估算，2027年节假日未公布）" in out
    run("calendar", "confirm", "2027")
    other = reg(run, "2026-12-28 09:30")
    out = run("accept", other, "--notified-on", "2026-12-28", "--on", "2026-12-28").stdout
    assert "按周末估算" not in out


def test_accept_in_a_known_year_prints_one_line(run):
    case = reg(run, "2026-11-02 09:30")
    out = run("accept", case, "--notified-on", "2026-11-03", "--on", "2026-11-03").stdout
    assert out == "已受理：2026-0001\n"


def test_assign_says_when_its_dates_are_counted_on_weekends_only(run, monkeypatch):
    monkeypatch.setenv("XINFANG_NOW", "2026-12-29 10:00")
    case = reg(run, "2026-12-28 09:00")
    run("accept", case, "--notified-on", "2026-12-28", "--on", "2026-12-28")
    result = run("assign", case, "--to", "沙河镇", "--due", "2027-01-15", "--on", "2026-12-29")
    # 交办单位受理: 3 days from 12-29: Fri 2027-01-01, a weekday as far as anyone knows.
    assert "交办单位受理期限 2027-01-01（按周末估算，2027年节假日未公布）" in result.stdout
    # The clerk's own date is not counted: whether it is a holiday cannot be checked yet.
    assert "交办办结期限 2027-01-15（2027年节假日未公布，无法核对是否节假日）" in result.stdout


# assign --due that looks wrong: a warning, not a refusal -------------------------------


def accepted(run) -> str:
    case = reg(run, "2026-11-02 09:30")
    run("accept", case, "--notified-on", "2026-11-02", "--on", "2026-11-02")
    return case


def test_assign_due_on_a_weekend_warns(run):
    case = accepted(run)
    result = run("assign", case, "--to", "沙河镇", "--due", "2026-11-28", "--on", "2026-11-03")
    assert result.stdout.startswith("已交办：2026-0001 → 沙河镇")
    assert "提示：办结期限 2026-11-28 是周六（休息日）" in result.stderr
    assert show(run, case)["assign_due"] == "2026-11-28"


def test_assign_due_on_a_holiday_warns(run, monkeypatch):
    case = reg(run, "2026-09-01 09:30")
    run("accept", case, "--notified-on", "2026-09-01", "--on", "2026-09-01")
    result = run("assign", case, "--to", "沙河镇", "--due", "2026-10-05", "--on", "2026-09-02")
    assert "提示：办结期限 2026-10-05 是节假日" in result.stderr


def test_assign_due_on_an_adjusted_workday_is_fine(run):
    case = reg(run, "2026-09-01 09:30")
    run("accept", case, "--notified-on", "2026-09-01", "--on", "2026-09-01")
    result = run("assign", case, "--to", "沙河镇", "--due", "2026-10-10", "--on", "2026-09-02")
    assert result.stderr == ""


def test_assign_due_before_the_units_own_acceptance_deadline_warns(run):
    case = accepted(run)
    # 交办单位受理: 3 days from Tue 11-03 = Fri 11-06; due Thu 11-05 comes first.
    result = run("assign", case, "--to", "沙河镇", "--due", "2026-11-05", "--on", "2026-11-03")
    assert "提示：办结期限 2026-11-05 早于承办单位的受理期限 2026-11-06" in result.stderr
    assert show(run, case)["assign_due"] == "2026-11-05"


def test_assign_due_on_an_ordinary_working_day_says_nothing_more(run):
    case = accepted(run)
    result = run("assign", case, "--to", "沙河镇", "--due", "2026-11-30", "--on", "2026-11-03")
    assert (result.stdout, result.stderr) == (
        "已交办：2026-0001 → 沙河镇，交办单 临民交〔2026〕1号\n",
        "",
    )
