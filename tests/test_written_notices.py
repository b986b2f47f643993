"""书面告知: the rule set says which decisions' notices must be written. A phone call is
recorded, but the written duty stays open (the deadline, the morning check, the monthly
table's 是否告知, the hints), in both rule sets, for 受理, 不予受理 and 转送 alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import show
from openpyxl import load_workbook
from test_void_join import deadline, doctor_clean, refused, register

from xinfang.store.db import connect

CASE = "2026-0001"
DECISIONS = {
    "accept": (),
    "reject": ("--reason", "属劳动争议", "--channel", "向县劳动人事争议仲裁委员会申请仲裁"),
    "transfer": ("--to", "县人力资源和社会保障局", "--reason", "属劳动保障监察事项"),
}
PHONE = ("--notified-on", "2026-11-03", "--notice-method", "电话告知")


def told_column(run, tmp_path) -> str:
    """是否告知 of the case in the 受理情况汇总表 of November."""
    target = tmp_path / "受理.xlsx"
    run("report", "accept", "--month", "2026-11", "-o", str(target), "--force")
    [row] = [r for r in load_workbook(target).active.iter_rows(min_row=5, values_only=True) if r[0]]
    return str(row[8])


def overdue_stages(run) -> list[str]:
    out = run("overdue", "--json", expect=None)
    return [item["stage"] for item in json.loads(out.stdout)["overdue"] if item["case_no"] == CASE]


def override_notice(db_path: Path, notice: dict) -> None:
    """The office's own notice rule, as `config rules` stores it (or an older xinfang did)."""
    conn = connect(db_path)  # autocommit: the one statement is written at once
    try:
        conn.execute(
            "INSERT INTO settings (key, value) VALUES ('rule_overrides', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (json.dumps({"notice": notice}),),
        )
    finally:
        conn.close()


def decide(run, rule_set: str, decision: str, *notice: str) -> str:
    if rule_set != "seed000":
        run("config", "rules", "use", rule_set)
    register(run)
    return run(decision, CASE, *DECISIONS[decision], "--on", "2026-11-03", *notice).stdout


@pytest.mark.parametrize("rule_set", ["seed000", "2022"])
@pytest.mark.parametrize("decision", DECISIONS)
def test_a_phone_notice_with_the_decision_leaves_the_written_duty_open(
    run, db_path, tmp_path, rule_set, decision
):
    out = decide(run, rule_set, decision, *PHONE)
    assert "须书面告知" in out  # the clerk reads it at once
    case = show(run)
    assert case["notice_method"] == "电话告知"
    assert deadline(case, "notice")["met_on"] is None
    # seed 000: 3 working days from Mon 11-02; 2022: 15 days. Both past on 11-23.
    assert "notice" in overdue_stages(run)
    assert told_column(run, tmp_path).startswith("否")
    assert "规则要求书面告知" in refused(run, db_path, "notify", CASE, "--method", "电话告知")
    run("notify", CASE, "--method", "书面告知书", "--on", "2026-11-04")
    case = show(run)
    assert deadline(case, "notice")["met_on"] == "2026-11-04"
    assert "notice" not in overdue_stages(run)
    assert told_column(run, tmp_path) == "是（11月4日）"
    doctor_clean(run)


@pytest.mark.parametrize("rule_set", ["seed000", "2022"])
@pytest.mark.parametrize("decision", DECISIONS)
def test_a_phone_notify_after_the_decision_leaves_the_written_duty_open(
    run, db_path, tmp_path, rule_set, decision
):
    decide(run, rule_set, decision)
    out = run("notify", CASE, "--method", "电话告知", "--on", "2026-11-04").stdout
    assert "须书面告知" in out
    case = show(run)
    assert (case["notified_on"], case["notice_method"]) == ("2026-11-04", "电话告知")
    assert deadline(case, "notice")["met_on"] is None
    assert told_column(run, tmp_path).startswith("否")
    # The refusals still offer the notice as a way forward: it is not done.
    message = refused(run, db_path, "unit-accept", CASE)
    assert "告知（xinfang notify）" in message
    run("notify", CASE, "--method", "书面告知书", "--on", "2026-11-05")
    assert deadline(show(run), "notice")["met_on"] == "2026-11-05"
    assert "告知（xinfang notify）" not in refused(run, db_path, "unit-accept", CASE)
    doctor_clean(run)


@pytest.mark.parametrize("rule_set", ["seed000", "2022"])
def test_the_rules_say_which_notices_must_be_written(run, rule_set):
    if rule_set != "seed000":
        run("config", "rules", "use", rule_set)
    [line] = [line for line in run("config", "rules").stdout.splitlines() if "受理告知" in line]
    assert "受理、不予受理、转送须书面告知" in line


def test_a_decision_the_rules_let_be_told_by_phone_is_met_by_the_call(run, db_path):
    """Which notices must be written is the rule set's data: an office whose rules want
    only the 受理 notice in writing meets a 转送 notice by phone."""
    override_notice(db_path, {"amount": 3, "unit": "workday", "written": ["accept"]})
    [line] = [line for line in run("config", "rules").stdout.splitlines() if "受理告知" in line]
    assert "受理须书面告知" in line and "转送" not in line
    out = decide(run, "seed000", "transfer", *PHONE)
    assert "须书面告知" not in out
    assert deadline(show(run), "notice")["met_on"] == "2026-11-03"


def test_a_ledger_whose_rules_said_written_yes_wants_every_decision_written(run, db_path):
    """Rules stored before the decisions were named (`"written": true`) read as all three."""
    override_notice(db_path, {"amount": 3, "unit": "workday", "written": True})
    decide(run, "seed000", "reject", *PHONE)
    assert deadline(show(run), "notice")["met_on"] is None
