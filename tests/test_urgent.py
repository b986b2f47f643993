"""重大、紧急信访事项 (seed 000 三, seed 001 二(五)3 and 四(三)): reported to the leader and
the upper level the same day (立即/当日), each report and 续报 on record, urgent cases first
in the morning check and the lists, counted in the statistics; and 网络舆情 (seed 000 舆情
第三条): the reply published only once a leader approved it, and the upper level's 2-day
written report its own record, not met by the reply."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from conftest import REGISTER, dump, show
from merging import at, bundle, new_town, read_bundle, write_bundle

from xinfang.store import migrations, shape

CASE = "2026-0001"
URGENT_CONTENT = ("--content", "敬老院十余名老人食物中毒送医，家属聚集")


def _register(run, on: str, *extra: str) -> str:
    out = run(*REGISTER[:-2], "--on", on, "--new-matter", *extra)
    return out.stdout.split("：")[1].split("（")[0]


def _deadline(run, stage: str, case: str = CASE) -> dict:
    found = [d for d in show(run, case)["deadlines"] if d["stage"] == stage]
    assert len(found) == 1, found
    return found[0]


def _overdue(run, *extra: str) -> dict:
    out = run("overdue", "--json", *extra, expect=None)
    assert out.exit_code in (0, 1), out.output
    return json.loads(out.stdout)


# ------------------------------------------------------------------ the same-day report


def test_an_urgent_case_is_reported_the_same_day_and_overdue_the_next_morning(run, monkeypatch):
    run(*REGISTER[:-2], "--on", "2026-11-23 09:00", "--urgent")  # today, Monday
    case = show(run)
    assert case["urgent"] is True
    report = _deadline(run, "urgent_report")
    assert (report["label"], report["rule"]) == ("重大紧急事项报告", "当日")
    assert (report["starts_on"], report["due_on"], report["state"]) == (
        "2026-11-23", "2026-11-23", "open",
    )  # fmt: skip
    assert report["days_left"] == 0
    soon = [(i["stage"], i["urgent"]) for i in _overdue(run)["due_soon"]]
    assert ("urgent_report", True) in soon
    monkeypatch.setenv("XINFANG_NOW", "2026-11-24 08:00")
    late = [i for i in _overdue(run)["overdue"] if i["stage"] == "urgent_report"]
    assert [(i["case_no"], i["days_left"]) for i in late] == [(CASE, -1)]
    screen = run("overdue", expect=1).stdout
    assert "重大紧急事项报告" in screen and "超期 1日" in screen and "紧急" in screen


@pytest.mark.parametrize("rule_set", ["seed000", "2022"])
def test_same_day_even_on_a_weekend_in_both_rule_sets(run, rule_set):
    run("config", "rules", "use", rule_set)
    run(*REGISTER[:-2], "--on", "2026-11-21 22:00", "--urgent")  # Saturday night
    report = _deadline(run, "urgent_report")
    # 立即: not moved to Monday as a calendar-day deadline on a weekend would be.
    assert (report["due_on"], report["state"], report["days_left"]) == (
        "2026-11-21", "overdue", -2,
    )  # fmt: skip
    rules_screen = run("config", "rules").stdout
    assert "重大紧急事项报告：当日" in rules_screen


def test_report_up_meets_the_report_and_later_ones_are_follow_ups(run, sql):
    run(*REGISTER[:-2], *URGENT_CONTENT, "--on", "2026-11-23 08:10", "--urgent")
    out = run("report-up", CASE, "--to", "县民政局局长", "--text", "已送医，家属情绪稳定",
              "--on", "2026-11-23 08:40")  # fmt: skip
    assert "已报告" in out.stdout and "县民政局局长" in out.stdout
    report = _deadline(run, "urgent_report")
    assert (report["met_on"], report["state"]) == ("2026-11-23", "met")
    assert not [i for i in _overdue(run)["due_soon"] if i["stage"] == "urgent_report"]
    again = run("report-up", CASE, "--to", "县信访局", "--text", "12人已出院，2人留观",
                "--on", "2026-11-23 09:50")  # fmt: skip
    assert "续报" in again.stdout
    events = [e for e in show(run)["events"] if e["action"] == "report-up"]
    assert [e["data"].get("follow_up", False) for e in events] == [False, True]
    assert "县信访局" in run("show", CASE).stdout and "续报" in run("show", CASE).stdout
    assert sql("SELECT urgent FROM cases") == [(1,)]
    assert "[问题]" not in run("doctor").stdout


def test_a_report_typed_later_keeps_the_day_it_was_made(run):
    run(*REGISTER[:-2], "--on", "2026-11-21 22:00", "--urgent")
    run("accept", CASE, "--on", "2026-11-23", "--notified-on", "2026-11-23")
    # Phoned in on Saturday night, written down on Monday after the acceptance.
    run("report-up", CASE, "--to", "分管副局长", "--text", "电话报告", "--on", "2026-11-21 22:30")
    assert _deadline(run, "urgent_report")["state"] == "met"


def test_mark_urgent_opens_the_report_from_the_day_it_is_marked(run):
    _register(run, "2026-11-16 09:00")
    assert show(run)["urgent"] is False
    assert not [d for d in show(run)["deadlines"] if d["stage"] == "urgent_report"]
    run("accept", CASE, "--on", "2026-11-17", "--notified-on", "2026-11-17")
    out = run("mark-urgent", CASE, "--reason", "家属聚集，可能引发群体性事件", "--on", "2026-11-20")
    assert "重大紧急" in out.stdout and "当日" in out.stdout
    report = _deadline(run, "urgent_report")
    assert (report["starts_on"], report["due_on"], report["state"]) == (
        "2026-11-20", "2026-11-20", "overdue",
    )  # fmt: skip
    case = show(run)
    assert case["urgent"] is True and case["status"] == "accepted"  # the handling goes on
    assert "[问题]" not in run("doctor").stdout


def test_a_mark_typed_later_keeps_the_day_the_case_became_urgent(run):
    _register(run, "2026-11-16 09:00")
    run("accept", CASE, "--on", "2026-11-20", "--notified-on", "2026-11-20")
    run("mark-urgent", CASE, "--reason", "家属聚集", "--on", "2026-11-18")
    report = _deadline(run, "urgent_report")
    assert (report["starts_on"], report["due_on"]) == ("2026-11-18", "2026-11-18")
    assert "[问题]" not in run("doctor").stdout


def test_mark_urgent_refusals_write_nothing(run, db_path):
    run(*REGISTER[:-2], "--on", "2026-11-16 09:00", "--urgent")
    before = dump(db_path)
    twice = run("mark-urgent", CASE, "--reason", "再次", expect=2)
    assert "已是重大紧急" in twice.stderr and "report-up" in twice.stderr
    blank = run("mark-urgent", CASE, "--reason", "  ", expect=2)
    assert "理由" in blank.stderr
    no_to = run("report-up", CASE, "--to", "", "--text", "x", expect=2)
    assert "报告对象" in no_to.stderr
    early = run("report-up", CASE, "--to", "局长", "--text", "x", "--on", "2026-11-15", expect=2)
    assert "早于" in early.stderr
    assert dump(db_path) == before


def test_no_urgency_on_a_finished_case(run, db_path):
    _register(run, "2026-11-02 09:30")
    run("reject", CASE, "--reason", "属诉讼事项", "--channel", "人民法院", "--on", "2026-11-03",
        "--notified-on", "2026-11-03")  # fmt: skip
    run("archive", CASE, "--retention", "10年", "--on", "2026-11-04")
    before = dump(db_path)
    refused = run("mark-urgent", CASE, "--reason", "x", expect=2)
    assert "已归档" in refused.stderr and dump(db_path) == before


# ------------------------------------------------------------------ first in the lists


def _two_cases(run) -> None:
    """2026-0001 an ordinary case, 2026-0002 marked urgent later: both late today."""
    _register(run, "2026-11-02 09:30")
    _register(run, "2026-11-16 09:00")
    run("mark-urgent", "2026-0002", "--reason", "老人走失", "--on", "2026-11-20")


def test_urgent_cases_come_first_in_the_morning_check_marked(run):
    _two_cases(run)
    late = _overdue(run)["overdue"]
    numbers = [item["case_no"] for item in late]
    assert numbers == ["2026-0002", "2026-0002", "2026-0001"], late
    assert [item["urgent"] for item in late] == [True, True, False]
    lines = [line for line in run("overdue", expect=1).stdout.splitlines() if "2026-00" in line]
    assert "紧急" in lines[0] and "2026-0002" in lines[0]
    assert "紧急" not in lines[-1] and "2026-0001" in lines[-1]


def test_urgent_open_cases_come_first_in_the_list_marked(run):
    _two_cases(run)
    listed = json.loads(run("list", "--json").stdout)
    assert [(c["case_no"], c["urgent"]) for c in listed] == [
        ("2026-0002", True), ("2026-0001", False),
    ]  # fmt: skip
    by_due = json.loads(run("list", "--json", "--sort", "due").stdout)
    assert by_due[0]["case_no"] == "2026-0002"
    _register(run, "2026-11-17 09:00")
    first = json.loads(run("list", "--json", "--limit", "2").stdout)
    assert [c["case_no"] for c in first] == ["2026-0002", "2026-0001"]
    alone = json.loads(run("list", "--json", "--limit", "1", "--month", "2026-11").stdout)
    assert [c["case_no"] for c in alone] == ["2026-0002"]
    rows = [line for line in run("list").stdout.splitlines() if "2026-00" in line]
    assert "2026-0002" in rows[0] and "紧急" in rows[0] and "紧急" not in rows[1]


def test_a_finished_urgent_case_is_marked_but_no_longer_first(run):
    _register(run, "2026-11-02 09:30")
    _register(run, "2026-11-03 09:30", "--urgent")
    run("reject", "2026-0002", "--reason", "属诉讼事项", "--channel", "人民法院",
        "--on", "2026-11-04", "--notified-on", "2026-11-04")  # fmt: skip
    listed = json.loads(run("list", "--json", "--limit", "5").stdout)
    assert [(c["case_no"], c["urgent"]) for c in listed] == [
        ("2026-0001", False), ("2026-0002", True),
    ]  # fmt: skip


def test_the_statistics_count_urgent_cases_as_of_their_day(run):
    _two_cases(run)
    assert re.search(r"重大紧急\s*│\s*1\s*│", run("report", "stats", "--month", "2026-11").stdout)
    # Marked on 11-20: not yet urgent as the ledger stood on 11-19.
    before = run("report", "stats", "--month", "2026-11", "--as-of", "2026-11-19").stdout
    assert re.search(r"重大紧急\s*│\s*0\s*│", before), before


# ------------------------------------------------------------------ 网络舆情


ONLINE = ("register", "--source", "网络舆情", "--form", "网上信访", "--anonymous",
          "--content", "市长信箱转来留言：敬老院伙食差")  # fmt: skip
REPLY = ("reply", CASE, "--result", "已解决", "--finding", "属实", "--text", "已整改伙食")


def test_an_online_reply_needs_the_leader_who_approved_it(run, db_path):
    run(*ONLINE, "--on", "2026-11-19 09:00")
    run("accept", CASE, "--on", "2026-11-19")
    before = dump(db_path)
    refused = run(*REPLY, "--on", "2026-11-20", expect=2)
    assert "--approved-by" in refused.stderr and "网络舆情" in refused.stderr
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.output
    assert dump(db_path) == before
    run(*REPLY, "--approved-by", "李局长", "--on", "2026-11-20")
    reply = next(e for e in show(run)["events"] if e["action"] == "reply")
    assert reply["data"]["approved_by"] == "李局长"
    assert "李局长" in run("show", CASE).stdout


def test_an_ordinary_reply_needs_no_approval(run):
    _register(run, "2026-11-02 09:30")
    run("accept", CASE, "--on", "2026-11-03", "--notified-on", "2026-11-03")
    run(*REPLY, "--on", "2026-11-04")
    assert show(run)["status"] == "replied"


def test_the_upper_report_stays_open_after_the_reply_until_reported_up(run):
    run(*ONLINE, "--upper-ref", "张舆转〔2026〕7号", "--on", "2026-11-19 09:00")
    run("accept", CASE, "--on", "2026-11-19")
    run(*REPLY, "--approved-by", "李局长", "--on", "2026-11-20")
    assert _deadline(run, "online_reply")["state"] == "met"
    upper = _deadline(run, "upper_report")
    assert (upper["met_on"], upper["due_on"], upper["state"]) == (None, "2026-11-23", "open")
    run("report-up", CASE, "--to", "市政府办公室", "--text", "书面报告办理情况及回复意见",
        "--on", "2026-11-23")  # fmt: skip
    upper = _deadline(run, "upper_report")
    assert (upper["met_on"], upper["state"]) == ("2026-11-23", "met")
    assert "[问题]" not in run("doctor").stdout


def test_a_voided_report_reopens_the_deadline(run):
    run(*REGISTER[:-2], "--on", "2026-11-23 08:00", "--urgent")
    run("report-up", CASE, "--to", "局长", "--text", "x", "--on", "2026-11-23 09:00")
    assert _deadline(run, "urgent_report")["state"] == "met"
    run("void", CASE, "2", "--reason", "误录")
    assert _deadline(run, "urgent_report")["state"] == "open"


# ------------------------------------------------------------------ bundles and old ledgers


@pytest.fixture
def town_bundle(run, tmp_path, template_ledger) -> Path:
    town = new_town(run, tmp_path, template_ledger, "town", "沙河镇人民政府")
    run(*REGISTER[:-2], "--on", "2026-11-16 09:00", "--urgent", *at(town))
    run("report-up", CASE, "--to", "局长", "--text", "已报告", "--on", "2026-11-16", *at(town))
    run(*ONLINE, "--upper-ref", "张舆转〔2026〕7号", "--on", "2026-11-17 09:00", *at(town))
    run("accept", "2026-0002", "--on", "2026-11-17", *at(town))
    run("mark-urgent", "2026-0002", "--reason", "转载量大", "--on", "2026-11-17", *at(town))
    run("reply", "2026-0002", *REPLY[2:], "--approved-by", "李局长", "--on", "2026-11-18",
        *at(town))  # fmt: skip
    return bundle(run, town, tmp_path / "town.zip", "2026-11")


def test_a_bundle_carries_the_urgency_reports_and_approval_to_the_county(run, town_bundle):
    assert "新增 2 件" in run("merge", str(town_bundle)).stdout
    merged = json.loads(run("list", "--json").stdout)
    assert all(case["urgent"] for case in merged)
    for case in merged:
        stages = {d["stage"]: d["state"] for d in show(run, case["case_no"])["deadlines"]}
        assert stages["urgent_report"] in ("met", "overdue")
    assert "[问题]" not in run("doctor").stdout


BAD_BUNDLE = {
    "urgent as text": (0, 0, "urgent", "是", "urgent"),
    "report without recipient": (0, 1, "to", None, "to"),
    "mark without reason": (1, 2, "reason", None, "reason"),
    "approval too long": (1, 3, "approved_by", "李" * 60, "approved_by"),
}


@pytest.mark.parametrize("label", BAD_BUNDLE)
def test_a_bundle_with_bad_urgency_data_is_refused_whole(
    run, db_path, tmp_path, town_bundle, label
):
    case, number, key, value, named = BAD_BUNDLE[label]
    manifest, members = read_bundle(town_bundle)
    data = manifest["cases"][case]["events"][number]["data"]
    if value is None:
        data.pop(key)
    else:
        data[key] = value
    bad = write_bundle(tmp_path / "bad.zip", manifest, members)
    before = dump(db_path)
    out = run("merge", str(bad), expect=2)
    assert named in out.stderr and out.stderr.count("\n") == 1, out.stderr
    assert dump(db_path) == before


def _v8_ledger(path: Path) -> None:
    """A ledger as xinfang wrote it at schema version 8: an accepted case, and an upper
    level's 舆情 replied."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(migrations.v1_schema_sql())
    conn.execute("BEGIN")
    for step in range(1, 8):
        migrations.STEPS[step](conn)
    # Its rules as stored then: without the stage this version adds.
    conn.execute("UPDATE rule_versions SET rules = json_remove(rules, '$.urgent_report')")
    conn.execute(
        "INSERT INTO cases (id, year, seq, status, name, received_at, source, form, content, "
        "decided_on, notified_on, notice_method, updated_at, rule_version) VALUES (1, 2026, 1, "
        "'accepted', '张三', '2026-11-02 09:30:00', '本级', '来访', '低保评定不公', "
        "'2026-11-03', '2026-11-03', '书面告知书', '2026-11-03 09:30:00', "
        "(SELECT max(id) FROM rule_versions))"
    )
    for action, day, status, data in (
        ("register", "2026-11-02 09:30:00", "registered",
         {"name": "张三", "source": "本级", "form": "来访", "content": "低保评定不公",
          "received_at": "2026-11-02 09:30:00", "persons": 1}),
        ("accept", "2026-11-03", "accepted",
         {"notified_on": "2026-11-03", "notice_method": "书面告知书"}),
    ):  # fmt: skip
        conn.execute(
            "INSERT INTO events (case_id, action, occurred_at, recorded_at, actor, round, "
            "status_after, data) VALUES (1, ?, ?, ?, '王芳', 1, ?, ?)",
            (action, day, day, status, json.dumps(data, ensure_ascii=False)),
        )
    # An upper level's 舆情, replied: version 8 took the reply as its written report.
    conn.execute(
        "INSERT INTO cases (id, year, seq, status, anonymous, received_at, source, upper_ref, "
        "form, content, decided_on, replied_on, reply_result, reply_finding, reply_text, "
        "updated_at, rule_version) VALUES (2, 2026, 2, 'replied', 1, '2026-11-19 09:00:00', "
        "'网络舆情', '张舆转〔2026〕7号', '网上信访', '市长信箱转来留言', '2026-11-19', "
        "'2026-11-20', '已解决', '属实', '已整改', '2026-11-20 09:00:00', "
        "(SELECT max(id) FROM rule_versions))"
    )
    for action, day, status, data in (
        ("register", "2026-11-19 09:00:00", "registered",
         {"anonymous": True, "source": "网络舆情", "upper_ref": "张舆转〔2026〕7号",
          "form": "网上信访", "content": "市长信箱转来留言",
          "received_at": "2026-11-19 09:00:00", "persons": 1}),
        ("accept", "2026-11-19", "accepted", {}),
        ("reply", "2026-11-20", "replied", {"result": "已解决", "finding": "属实", "text": "已整改"}),
    ):  # fmt: skip
        conn.execute(
            "INSERT INTO events (case_id, action, occurred_at, recorded_at, actor, round, "
            "status_after, data) VALUES (2, ?, ?, ?, '王芳', 1, ?, ?)",
            (action, day, day, status, json.dumps(data, ensure_ascii=False)),
        )
    conn.execute(
        "INSERT INTO deadlines (case_id, stage, round, starts_on, amount, unit, due_on, met_on) "
        "VALUES (2, 'upper_report', 1, '2026-11-19', 2, 'day', '2026-11-23', '2026-11-20')"
    )
    conn.execute("INSERT INTO sequences (name, year, last) VALUES ('case', 2026, 2)")
    conn.execute("COMMIT")
    conn.execute("PRAGMA user_version = 8")
    conn.close()
    path.chmod(0o600)


def test_a_version_8_ledger_is_brought_forward_and_its_cases_may_be_marked(run, no_ledger):
    _v8_ledger(no_ledger)
    assert shape.differences(sqlite3.connect(no_ledger), 8) == []  # a true version 8
    assert show(run)["urgent"] is False
    conn = sqlite3.connect(no_ledger)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    assert shape.differences(conn, migrations.LATEST) == []  # exactly a new ledger's shape
    assert shape.differences(conn, 8) != []
    conn.close()
    # The reply no longer stands for the upper level's written report: due, not met.
    upper = _deadline(run, "upper_report", "2026-0002")
    assert (upper["met_on"], upper["due_on"], upper["state"]) == (None, "2026-11-23", "open")
    # Registered under rules that did not know the stage: it takes its rule set's value.
    run("mark-urgent", CASE, "--reason", "家属聚集", "--on", "2026-11-20")
    assert _deadline(run, "urgent_report")["due_on"] == "2026-11-20"
    assert "[问题]" not in run("doctor").stdout
