"""复查 and 复核 (信访工作条例 art. 35–36): the petitioner's windows counted once, by the
deadline rule `show` uses (roll-forward off holidays; 工作日 rule sets), from the 送达 of
the written decision; the 复核; 终结; the 复查意见书 opened back with python-docx."""

from __future__ import annotations

import pytest
from conftest import show

BASE = ("--source", "本级", "--form", "来访", "--category", "最低生活保障")
CASE = "2026-0001"


def register(run, on: str, content: str = "反映低保评定不公", *person: str) -> str:
    person = person or ("--name", "张三", "--phone", "13812345678")
    return run("register", *BASE, "--content", content, "--on", on, *person).stdout


def replied(run, on: str, *, rules: str | None = None) -> str:
    """A case replied on `on` (registered and accepted the week before)."""
    if rules:
        run("config", "rules", "use", rules)
    register(run, "2026-08-24")
    run("accept", CASE, "--on", "2026-08-25", "--notified-on", "2026-08-25")
    run("reply", CASE, "--result", "不能解决", "--finding", "不属实", "--text", "符合规定",
        "--on", on)  # fmt: skip
    return CASE


def window(run, stage: str = "review_request", case: str = CASE) -> dict:
    rows = [d for d in show(run, case)["deadlines"] if d["stage"] == stage]
    assert len(rows) == 1, rows  # only the latest round's window is listed
    return rows[0]


def request(run, day: str, *more: str, expect: int | None = 0):
    return run("review", CASE, "--requested-on", day, *more, expect=expect)


# --- one count: the deadline's ---------------------------------------------------------


@pytest.mark.parametrize("rule_set", ["seed000", "2022"])
def test_a_window_ending_in_national_day_moves_to_the_next_working_day(run, rule_set):
    # Replied Tue 09-01: 30 days end Thu 10-01 (国庆, to 10-07): the window ends Thu 10-08.
    replied(run, "2026-09-01", rules=rule_set)
    assert window(run)["due_on"] == "2026-10-08"
    refused = request(run, "2026-10-09", expect=2).stderr
    assert "已超过复查申请期限" in refused and "至 2026-10-08" in refused
    assert "自答复日起算（未登记送达）" in refused
    request(run, "2026-10-08")
    assert window(run)["state"] == "met"


@pytest.mark.parametrize("rule_set", ["seed000", "2022"])
def test_a_window_ending_on_a_saturday_moves_to_monday(run, rule_set):
    # Replied Thu 10-08: 30 days end Sat 11-07: the window ends Mon 11-09.
    replied(run, "2026-10-08", rules=rule_set)
    assert window(run)["due_on"] == "2026-11-09"
    assert "至 2026-11-09" in request(run, "2026-11-10", expect=2).stderr
    request(run, "2026-11-09")


def test_a_working_day_rule_counts_working_days(run):
    run("config", "rules", "set", "复查申请", "15", "工作日")
    # 15 working days from Tue 09-01: 2–4, 7–11, 14–18, Sun 09-20 (调休), Mon 09-21.
    replied(run, "2026-09-01")
    assert (window(run)["rule"], window(run)["due_on"]) == ("15个工作日", "2026-09-21")
    assert "15个工作日，至 2026-09-21" in request(run, "2026-09-22", expect=2).stderr
    request(run, "2026-09-21")  # day 20 counted in calendar days: refused before


def test_a_late_request_taken_for_a_reason_is_late_in_the_deadline_table_too(run):
    replied(run, "2026-09-01")
    request(run, "2026-10-09", "--late-reason", "住院治疗，有证明")
    late = window(run)
    assert (late["met_on"], late["state"]) == ("2026-10-09", "met_late")
    history = [e for e in show(run)["events"] if e["action"] == "review"]
    assert history[-1]["data"]["late_reason"] == "住院治疗，有证明"
    assert "逾期申请" in run("show", CASE).stdout


def test_a_request_in_the_window_is_on_time_in_both_places(run):
    replied(run, "2026-09-01")
    request(run, "2026-10-05")  # inside the window (国庆): taken, and on time
    assert window(run)["state"] == "met"
    assert "已申请" in run("show", CASE).stdout
