"""Deadlines derived from a case's events, through the CLI (`show --json`).

Every due date is counted by hand in the comments from the 2026 State Council notice:
Mid-Autumn Sep 25–27, National Day Oct 1–7 with Sun Sep 20 and Sat Oct 10 worked;
November has no holidays.
Seed 000 rules unless a test chooses otherwise.
"""

from __future__ import annotations

import json

from conftest import REGISTER, show


def reg(run, on: str) -> str:
    out = run(*REGISTER[:-1], on)  # REGISTER ends with --on <time>
    return out.stdout.split("：")[1].split("（")[0]


def reply(run, case: str, on: str) -> None:
    run("reply", case, "--result", "已解决", "--finding", "属实", "--text", "已解决", "--on", on)


def dl(run, case: str, stage: str, round_no: int = 1) -> dict:
    found = [
        d for d in show(run, case)["deadlines"] if (d["stage"], d["round"]) == (stage, round_no)
    ]
    assert len(found) == 1, (stage, round_no, show(run, case)["deadlines"])
    return found[0]


def due(run, case: str, stage: str, round_no: int = 1) -> str | None:
    return dl(run, case, stage, round_no)["due_on"]


def test_notice_and_reply_across_national_day(run):
    case = reg(run, "2026-09-30 09:30")
    notice = dl(run, case, "notice")
    # Wed 09-30 is day zero: Thu 10-08 (1), Fri 10-09 (2), Sat 10-10 (3, 调休).
    assert (notice["starts_on"], notice["rule"], notice["unit"]) == (
        "2026-09-30",
        "3个工作日",
        "workday",
    )
    assert (notice["due_on"], notice["state"], notice["provisional"]) == (
        "2026-10-10",
        "overdue",
        False,
    )
    run("accept", case, "--on", "2026-09-30")
    # 10 working days: Oct 8, 9, 10, 12, 13, 14, 15, 16, 19, 20.
    assert (due(run, case, "reply"), dl(run, case, "reply")["rule"]) == ("2026-10-20", "10个工作日")
    run("notify", case, "--on", "2026-10-10")
    assert (dl(run, case, "notice")["met_on"], dl(run, case, "notice")["state"]) == (
        "2026-10-10",
        "met",
    )
    reply(run, case, "2026-10-21")  # one working day late
    answered = dl(run, case, "reply")
    assert (answered["due_on"], answered["met_on"], answered["state"]) == (
        "2026-10-20",
        "2026-10-21",
        "met_late",
    )
    assert answered["days_left"] is None


def test_reply_on_the_due_day_is_met(run):
    case = reg(run, "2026-09-28 09:00")
    run("accept", case, "--notified-on", "2026-09-28", "--on", "2026-09-28")
    # Mon 09-28: 29, 30, Oct 8, 9, 10, 12, 13, 14, 15, Fri 10-16.
    assert due(run, case, "reply") == "2026-10-16"
    reply(run, case, "2026-10-16")
    assert (dl(run, case, "reply")["met_on"], dl(run, case, "reply")["state"]) == (
        "2026-10-16",
        "met",
    )
    assert dl(run, case, "notice")["state"] == "met"


def test_deadline_in_an_unknown_year_is_provisional_until_the_year_is_entered(run, monkeypatch):
    monkeypatch.setenv("XINFANG_NOW", "2026-12-29 10:00")
    case = reg(run, "2026-12-28 09:00")
    run("accept", case, "--notified-on", "2026-12-28", "--on", "2026-12-28")
    assert (due(run, case, "notice"), dl(run, case, "notice")["provisional"]) == (
        "2026-12-31",
        False,
    )
    # Weekends only: 29, 30, 31, Fri 2027-01-01, 4, 5, 6, 7, 8, Mon 01-11.
    first = dl(run, case, "reply")
    assert (first["due_on"], first["provisional"], first["days_left"]) == ("2027-01-11", True, 9)
    out = run("calendar", "set", "2027-01-01", "休", "--note", "元旦")
    assert out.stdout.splitlines()[0] == "已录入 1 天（休）；重算了 1 件案件的期限。"
    assert "xinfang calendar confirm 2027" in out.stdout  # one day is not the whole notice
    # Jan 1 off: 29, 30, 31, Jan 4, 5, 6, 7, 8, 11, Tue 01-12 — still an estimate.
    assert (due(run, case, "reply"), dl(run, case, "reply")["provisional"]) == ("2027-01-12", True)
    run("calendar", "set", "2027-01-04..2027-01-05", "休")
    # And Jan 4–5 off: 29, 30, 31, Jan 6, 7, 8, 11, 12, 13, Thu 01-14.
    assert (due(run, case, "reply"), dl(run, case, "reply")["provisional"]) == ("2027-01-14", True)
    out = run("calendar", "confirm", "2027")
    assert out.stdout.strip() == "已确认 2027 年节假日安排录入完毕；重算了 1 件案件的期限。"
    assert (due(run, case, "reply"), dl(run, case, "reply")["provisional"]) == ("2027-01-14", False)


def test_entering_the_year_recounts_a_met_provisional_deadline(run, monkeypatch):
    monkeypatch.setenv("XINFANG_NOW", "2027-01-20 10:00")
    case = reg(run, "2026-12-30 09:00")
    channel = ("--reason", "属劳动争议", "--channel", "向县劳动人事争议仲裁委员会申请仲裁")
    run("reject", case, *channel, "--notified-on", "2027-01-06", "--on", "2027-01-06")
    # Weekends only: 12-31, Fri 01-01, Mon 01-04 -> told on 01-06 is late.
    assert (due(run, case, "notice"), dl(run, case, "notice")["state"]) == (
        "2027-01-04",
        "met_late",
    )
    run("calendar", "set", "2027-01-01", "休")
    run("calendar", "set", "2027-01-04..2027-01-05", "休")
    run("calendar", "confirm", "2027")
    # With the holidays: 12-31, 01-06, Thu 01-07 -> told on 01-06 is in time.
    notice = dl(run, case, "notice")
    assert (notice["due_on"], notice["state"], notice["provisional"]) == (
        "2027-01-07",
        "met",
        False,
    )


def test_calendar_day_deadlines_move_to_the_next_working_day(run):
    case = reg(run, "2026-11-16 09:00")
    run("accept", case, "--notified-on", "2026-11-17", "--on", "2026-11-17")
    run("assign", case, "--to", "沙河镇", "--due", "2026-12-04", "--on", "2026-11-19")
    unit = dl(run, case, "unit_accept")
    # 3 日 from Thu 11-19 ends Sun 11-22: Monday.
    assert (unit["rule"], unit["unit"], unit["due_on"], unit["state"]) == (
        "3日",
        "day",
        "2026-11-23",
        "open",
    )
    fixed = dl(run, case, "assign_due")
    assert (fixed["label"], fixed["rule"], fixed["unit"], fixed["due_on"]) == (
        "交办办结",
        "指定日期",
        "date",
        "2026-12-04",
    )
    run("unit-accept", case, "--on", "2026-11-23")
    assert (dl(run, case, "unit_accept")["met_on"], dl(run, case, "unit_accept")["state"]) == (
        "2026-11-23",
        "met",
    )
    run("unit-report", case, "--text", "已入户核查", "--on", "2026-11-23")
    fixed = dl(run, case, "assign_due")
    assert (fixed["met_on"], fixed["state"], fixed["days_left"]) == ("2026-11-23", "met", None)


def test_revisit_and_publicity_days_skip_holidays_and_weekends(run):
    case = reg(run, "2026-09-21 09:00")
    run("accept", case, "--notified-on", "2026-09-21", "--on", "2026-09-21")
    reply(run, case, "2026-09-28")
    assert due(run, case, "revisit") == "2026-10-08"  # 3 日 from 09-28 ends Thu 10-01 (国庆)
    run("revisit", case, "--method", "电话回访", "--satisfaction", "满意", "--on", "2026-10-08")
    assert dl(run, case, "revisit")["state"] == "met"
    assert due(run, case, "publicize") == "2026-10-12"  # ends Sun 10-11: Monday


def test_complex_case_gets_the_maximum_once(run):
    case = reg(run, "2026-11-16 09:00")
    run("accept", case, "--notified-on", "2026-11-16", "--on", "2026-11-16")
    assert due(run, case, "reply") == "2026-11-30"  # Nov 17–20, 23–27, Mon 11-30
    out = run("extend", case, "--reason", "涉及多部门，需联合调查", "--on", "2026-11-23")
    assert out.stdout.strip() == "已延期：2026-0001，答复期限现为 30个工作日"
    # 30 working days from Mon 11-16: 4 + 5 + 5 + 5 + 5 + 5 = 29 by Fri 12-25, then Mon 12-28.
    extended = dl(run, case, "reply")
    assert (extended["rule"], extended["due_on"], extended["state"]) == (
        "30个工作日",
        "2026-12-28",
        "open",
    )
    assert show(run, case)["complex"] in (1, True)
    again = run("extend", case, "--reason", "仍需调查", "--on", "2026-11-23", expect=2)
    assert "已是最长的 30个工作日" in again.stderr
    assert due(run, case, "reply") == "2026-12-28"


def test_extend_by_days_within_the_maximum(run):
    case = reg(run, "2026-11-16 09:00")
    run("accept", case, "--notified-on", "2026-11-16", "--on", "2026-11-16")
    refused = run(
        "extend", case, "--days", "100", "--reason", "需鉴定", "--on", "2026-11-23", expect=2
    )
    assert "答复期限最长 30个工作日，最多还能延长 20个工作日" in refused.stderr
    run("extend", case, "--days", "0", "--reason", "需鉴定", "--on", "2026-11-23", expect=2)
    out = run("extend", case, "--days", "5", "--reason", "需鉴定", "--on", "2026-11-23")
    assert out.stdout.strip() == "已延期：2026-0001，答复期限现为 15个工作日"
    # 10 working days end Mon 11-30; five more: Dec 1, 2, 3, 4, Mon 12-07.
    assert (dl(run, case, "reply")["rule"], due(run, case, "reply")) == ("15个工作日", "2026-12-07")
    assert show(run, case)["complex"] in (0, False, None)
    refused = run(
        "extend", case, "--days", "16", "--reason", "需鉴定", "--on", "2026-11-23", expect=2
    )
    assert "最多还能延长 15个工作日" in refused.stderr
    reply(run, case, "2026-11-23")
    run("extend", case, "--days", "1", "--reason", "晚了", "--on", "2026-11-23", expect=2)


def test_pause_across_the_holidays_pushes_the_reply_out(run):
    case = reg(run, "2026-09-21 09:00")
    run("accept", case, "--notified-on", "2026-09-21", "--on", "2026-09-21")
    # Mon 09-21: 22, 23, 24, (25–27 中秋) 28, 29, 30, (国庆) Oct 8, 9, Sat 10, Mon 10-12.
    assert due(run, case, "reply") == "2026-10-12"
    run("pause", case, "--reason", "组织听证", "--on", "2026-09-24")
    paused = dl(run, case, "reply")
    assert (paused["due_on"], paused["state"], paused["days_left"]) == (None, "paused", None)
    scan = json.loads(run("overdue", "--json").stdout)  # nothing else is open
    assert (scan["overdue"], scan["due_soon"]) == ([], [])
    out = run("resume", case, "--on", "2026-10-09")
    assert out.stdout.splitlines() == [
        "已恢复计时：2026-0001（暂停 15 天，期限顺延）",
        "答复期限顺延 5个工作日，至 2026-10-19",
    ]
    # The pause covers 09-24 up to the day before the resume: 5 working days (24, 28, 29,
    # 30, Oct 8) are not counted. Ran: 22, 23; then from Fri 10-09: 9, Sat 10, 12, 13, 14,
    # 15, 16, Mon 10-19.
    resumed = dl(run, case, "reply")
    assert (resumed["due_on"], resumed["paused_days"], resumed["state"]) == (
        "2026-10-19",
        5,
        "overdue",
    )
    assert (
        json.loads(run("overdue", "--json", expect=1).stdout)["overdue"][0]["due_on"]
        == "2026-10-19"
    )


def test_a_deadline_opened_while_paused_starts_at_the_resume(run):
    case = reg(run, "2026-09-21 09:00")
    run("pause", case, "--reason", "等待鉴定结论", "--on", "2026-09-24")
    run("accept", case, "--notified-on", "2026-09-28", "--on", "2026-09-28")
    assert dl(run, case, "reply")["state"] == "paused"
    run("resume", case, "--on", "2026-10-09")
    # Counted from Fri 10-09: 10, 12, 13, 14, 15, 16, 19, 20, 21, Thu 10-22; the working
    # days it waited (28, 29, 30, Oct 8) are reported in its own unit.
    assert (due(run, case, "reply"), dl(run, case, "reply")["paused_days"]) == ("2026-10-22", 4)


def test_a_case_paused_on_the_day_it_was_registered_can_be_resumed(run):
    case = reg(run, "2026-11-18 09:00")
    run("accept", case, "--notified-on", "2026-11-18", "--on", "2026-11-18")
    run("pause", case, "--reason", "等待鉴定结论", "--on", "2026-11-18")
    run("resume", case, "--on", "2026-11-20")
    # The two working days 18, 19 stopped: counted from Fri 11-20, ten working days.
    assert due(run, case, "reply") == "2026-12-04"


def test_pause_on_a_calendar_day_deadline_extends_the_period_not_the_moved_date(run):
    case = reg(run, "2026-09-21 09:00")
    run("accept", case, "--notified-on", "2026-09-21", "--on", "2026-09-21")
    reply(run, case, "2026-09-28")
    run("pause", case, "--reason", "信访人住院", "--on", "2026-09-29")
    run("resume", case, "--on", "2026-09-30")
    # 3 日 from 09-28 plus 1 paused day ends Fri 10-02, inside the holiday: Thu 10-08.
    assert (due(run, case, "revisit"), dl(run, case, "revisit")["paused_days"]) == ("2026-10-08", 1)


def test_a_case_keeps_the_rule_set_it_was_registered_under(run):
    before = reg(run, "2026-09-30 09:00")
    out = run("config", "rules", "use", "2022")
    assert out.stdout.strip() == "已选用期限规则：信访工作条例（2022）（2022）"
    rules = run("config", "rules").stdout
    assert (
        "受理告知：15日" in rules
        and "答复：60日（最长 90日）" in rules
        and "回访：不设期限" in rules
    )
    after = reg(run, "2026-09-30 10:00")
    run("accept", before, "--notified-on", "2026-10-08", "--on", "2026-10-08")
    run("accept", after, "--on", "2026-09-30")
    # Seed 000 still: 3 working days to Sat 10-10; reply 10 working days from Thu 10-08:
    # 9, 10, 12, 13, 14, 15, 16, 19, 20, Wed 10-21.
    assert (due(run, before, "notice"), due(run, before, "reply")) == ("2026-10-10", "2026-10-21")
    assert dl(run, before, "reply")["rule"] == "10个工作日"
    # 2022: 15 日 from 09-30 is Thu 10-15; 60 日 is Sun 11-29: Monday 11-30.
    assert (dl(run, after, "notice")["rule"], due(run, after, "notice")) == ("15日", "2026-10-15")
    assert (dl(run, after, "reply")["rule"], due(run, after, "reply")) == ("60日", "2026-11-30")
    out = run("extend", after, "--reason", "情况复杂，经负责人批准", "--on", "2026-11-23")
    assert out.stdout.strip() == "已延期：2026-0002，答复期限现为 90日"
    assert due(run, after, "reply") == "2026-12-29"  # 90 日 from 09-30: Tue 12-29
    reply(run, after, "2026-11-23")
    # The 2022 rules set no revisit deadline.
    assert [d["stage"] for d in show(run, after)["deadlines"]] == [
        "notice",
        "reply",
        "review_request",
    ]
    assert [d["stage"] for d in show(run, before)["deadlines"]] == ["notice", "reply"]


def test_an_override_applies_only_to_cases_registered_afterwards(run):
    first = reg(run, "2026-11-02 09:00")
    out = run("config", "rules", "set", "答复", "15", "工作日", "--max", "30")
    assert "答复：15个工作日（最长 30个工作日）" in out.stdout
    second = reg(run, "2026-11-02 10:00")
    run("config", "rules", "off", "回访")
    third = reg(run, "2026-11-02 11:00")
    run("config", "rules", "reset")
    assert "答复：10个工作日（最长 30个工作日）" in run("config", "rules").stdout
    fourth = reg(run, "2026-11-02 12:00")
    for case in (first, second, third, fourth):
        run("accept", case, "--notified-on", "2026-11-02", "--on", "2026-11-02")
    # 10 working days from Mon 11-02: Mon 11-16; 15: Nov 3–6, 9–13, 16–20, Mon 11-23.
    assert [due(run, c, "reply") for c in (first, second, third, fourth)] == [
        "2026-11-16",
        "2026-11-23",
        "2026-11-23",
        "2026-11-16",
    ]
    assert dl(run, second, "reply")["rule"] == "15个工作日"
    for case in (first, third):
        reply(run, case, "2026-11-05")
    assert due(run, first, "revisit") == "2026-11-09"  # 3 日 ends Sun 11-08: Monday
    assert [d["stage"] for d in show(run, third)["deadlines"]] == [
        "notice",
        "reply",
        "review_request",
    ]
