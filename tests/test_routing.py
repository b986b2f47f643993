"""Routing a case between the office and its units (seeds 001 二(四)4, 三(一)2, 三(二)1;
002 一(二)4, 二(二)2): a poor report sent back (退回重办), a case moved to another unit
(改派), a unit returning a case that is not its business (退单), the unit's responsible
person (承办责任人) and reminders (催办). Each through the CLI, with what `show` and
`doctor` then say. The case is conftest's: assigned to 沙河镇 on 11-04, due 11-30."""

from __future__ import annotations

import re

import pytest
from conftest import REGISTER, advance, dump, show

CASE = "2026-0001"
REPORTED = "承办单位已报送（待答复）"


@pytest.fixture
def case(run) -> str:
    run(*REGISTER)
    return CASE


def refused(run, db_path, *args: str) -> str:
    """A command that must be refused, one line, the ledger untouched; its message."""
    before = dump(db_path)
    out = run(*args, expect=2)
    assert dump(db_path) == before, "a refused command changed the ledger"
    assert out.stdout == "" and out.stderr.count("\n") == 1, out.output
    return out.stderr


def offered(message: str) -> list[str]:
    return re.findall(r"（xinfang ([a-z-]+)）", message.partition("下一步可以：")[2])


def deadlines(run, case_no: str = CASE) -> dict[str, tuple[str, str | None, str | None]]:
    """stage -> (starts_on, due_on, met_on), from show --json."""
    found = {}
    for d in show(run, case_no)["deadlines"]:
        assert d["stage"] not in found, f"two {d['stage']} deadlines"
        found[d["stage"]] = (d["starts_on"], d["due_on"], d["met_on"])
    return found


def healthy(run) -> None:
    out = run("doctor").stdout
    assert "[问题]" not in out.replace("[问题] 工作日历", ""), out
    assert "状态与办理记录一致" in out and "期限与办理记录一致" in out, out


def last_event(run, case_no: str = CASE) -> dict:
    return show(run, case_no)["events"][-1]


# 退回重办 ----------------------------------------------------------------------------


def test_after_a_report_the_office_may_send_it_back(run, db_path, case):
    advance(run, case, "unit-report")
    for args in (
        ("reassign", case, "--to", "新华镇", "--reason", "属新华镇"),
        ("unit-return", case, "--reason", "不属本镇"),
        ("urge", case),
    ):
        message = refused(run, db_path, *args)
        assert f"当前状态为「{REPORTED}」" in message
        assert offered(message) == ["reply", "send-back"], message
    out = run("send-back", case, "--reason", "未附入户核查记录", "--due", "2026-11-27",
              "--on", "2026-11-10")  # fmt: skip
    assert out.stdout == "已退回重办：2026-0001 → 沙河镇，办结期限 2026-11-27\n"
    after = show(run, case)
    assert after["status"] == "handling"
    assert (after["unit"], after["assign_due"], after["unit_accepted_on"]) == (
        "沙河镇", "2026-11-27", "2026-11-05",
    )  # fmt: skip
    assert after["unit_reported_on"] is None and after["unit_report"] is None
    assert last_event(run)["data"] == {
        "unit": "沙河镇", "reason": "未附入户核查记录", "due": "2026-11-27",
    }  # fmt: skip
    # The unit's report is due again, from the send-back to the new date.
    assert deadlines(run)["assign_due"] == ("2026-11-10", "2026-11-27", None)
    assert deadlines(run)["unit_accept"][2] == "2026-11-05"
    healthy(run)
    run("unit-report", case, "--text", "补充了入户核查记录", "--on", "2026-11-12")
    assert deadlines(run)["assign_due"] == ("2026-11-10", "2026-11-27", "2026-11-12")
    run("reply", case, "--result", "已解决", "--finding", "属实", "--text", "已纳入低保",
        "--on", "2026-11-13")  # fmt: skip
    assert show(run, case)["status"] == "replied"
    healthy(run)


def test_a_send_back_keeps_the_due_date_unless_it_has_passed(run, db_path, case):
    advance(run, case, "unit-report")  # due 11-30
    run("send-back", case, "--reason", "结论不清", "--on", "2026-11-10")
    assert show(run, case)["assign_due"] == "2026-11-30"
    assert deadlines(run)["assign_due"] == ("2026-11-10", "2026-11-30", None)
    run("unit-report", case, "--text", "已补充", "--on", "2026-11-11")
    message = refused(run, db_path, "send-back", case, "--reason", "仍不清",
                      "--due", "2026-11-12", "--on", "2026-11-12")  # fmt: skip
    assert "办结期限：2026-11-12 必须晚于退回日期" in message
    refused(run, db_path, "send-back", case, "--reason", "", "--on", "2026-11-12")
    refused(run, db_path, "send-back", case, "--reason", "仍不清", "--on", "2026-11-10")
    healthy(run)


def test_a_send_back_after_the_due_date_needs_a_new_one(run, db_path, case):
    run("accept", case, "--on", "2026-11-03", "--notified-on", "2026-11-03")
    run("assign", case, "--to", "沙河镇", "--due", "2026-11-12", "--on", "2026-11-04")
    run("unit-accept", case, "--on", "2026-11-05")
    run("unit-report", case, "--text", "已核查", "--on", "2026-11-11")
    message = refused(run, db_path, "send-back", case, "--reason", "不全", "--on", "2026-11-13")
    assert "原办结期限 2026-11-12 已过" in message and "--due" in message
    run("send-back", case, "--reason", "不全", "--due", "2026-11-20", "--on", "2026-11-13")
    assert deadlines(run)["assign_due"] == ("2026-11-13", "2026-11-20", None)
    healthy(run)


# 改派 --------------------------------------------------------------------------------


def test_reassign_while_assigned_gives_a_new_number_and_new_deadlines(run, db_path, case, sql):
    advance(run, case, "assign")  # 沙河镇, 交办单 1, due 11-30
    out = run("reassign", case, "--to", "新华镇", "--reason", "属新华镇辖区", "--due", "2026-12-04",
              "--on", "2026-11-05")  # fmt: skip
    assert out.stdout == (
        "已改派：2026-0001 沙河镇 → 新华镇，交办单 临民交〔2026〕2号，办结期限 2026-12-04\n"
    )
    after = show(run, case)
    assert after["status"] == "assigned"
    assert (after["unit"], after["assign_seq"], after["assigned_on"], after["assign_due"]) == (
        "新华镇", 2, "2026-11-05", "2026-12-04",
    )  # fmt: skip
    assert last_event(run)["data"] == {
        "from_unit": "沙河镇", "to": "新华镇", "due": "2026-12-04", "number": 2,
        "reason": "属新华镇辖区",
    }  # fmt: skip
    # The old unit's deadlines end: only the new unit's are left, from the reassignment.
    found = deadlines(run)
    assert found["unit_accept"][:2] == ("2026-11-05", "2026-11-09")  # 3 days, off a Sunday
    assert found["assign_due"] == ("2026-11-05", "2026-12-04", None)
    assert sql("SELECT last FROM sequences WHERE name = 'assign'") == [(2,)]
    healthy(run)
    run("unit-accept", case, "--on", "2026-11-06")
    assert deadlines(run)["unit_accept"][2] == "2026-11-06"
    advance(run, case, "archive")
    healthy(run)


def test_reassign_while_handling_starts_the_new_unit_afresh(run, case):
    advance(run, case, "unit-accept")
    run("reassign", case, "--to", "社会救助股", "--reason", "涉及低保政策", "--person", "李明",
        "--phone", "0936 5521234", "--on", "2026-11-06")  # fmt: skip
    after = show(run, case)
    assert (after["status"], after["unit"], after["unit_accepted_on"]) == (
        "assigned", "社会救助股", None,
    )  # fmt: skip
    assert after["assign_due"] == "2026-11-30"  # kept: still ahead
    assert last_event(run)["data"]["person"] == "李明"
    assert last_event(run)["data"]["person_phone"] == "0936-5521234"
    assert deadlines(run)["unit_accept"] == ("2026-11-06", "2026-11-09", None)
    healthy(run)


def test_reassign_refusals(run, db_path, case):
    run("accept", case, "--on", "2026-11-03", "--notified-on", "2026-11-03")
    message = refused(run, db_path, "reassign", case, "--to", "新华镇", "--reason", "x")
    assert "当前状态为「已受理（办理中）」，不能改派。" in message
    assert offered(message) == ["assign", "reply"]
    run("assign", case, "--to", "沙河镇", "--due", "2026-11-30", "--on", "2026-11-04")
    same = refused(run, db_path, "reassign", case, "--to", "沙河镇", "--reason", "x")
    assert "承办单位：案件已由沙河镇承办" in same
    assert "不在承办单位名单中" in refused(
        run, db_path, "reassign", case, "--to", "火星镇", "--reason", "x"
    )
    refused(run, db_path, "reassign", case, "--to", "新华镇", "--reason", " ")
    refused(
        run, db_path, "reassign", case, "--to", "新华镇", "--reason", "x", "--due", "2026-11-04"
    )
    refused(run, db_path, "reassign", case, "--to", "新华镇", "--reason", "x", "--phone", "12")
    # The refused numbers were not taken: the next 交办单 is still 2.
    run("reassign", case, "--to", "新华镇", "--reason", "属新华镇", "--on", "2026-11-05")
    assert show(run, case)["assign_seq"] == 2


# 退单 --------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["assign", "unit-accept"])
def test_a_unit_returns_a_case_to_the_office(run, db_path, case, stage):
    advance(run, case, stage)
    out = run("unit-return", case, "--reason", "属县级部门职责", "--on", "2026-11-06")
    assert out.stdout == (
        "已记录退单：2026-0001（沙河镇退回），案件回到已受理，请重新交办（xinfang assign）\n"
    )
    after = show(run, case)
    assert after["status"] == "accepted"
    for key in ("unit", "assign_seq", "assigned_on", "assign_due", "unit_accepted_on"):
        assert after[key] is None, key
    assert last_event(run)["data"] == {"unit": "沙河镇", "reason": "属县级部门职责"}
    found = deadlines(run)
    # Returning is the unit's answer on whether it takes the case; its report is not due.
    assert found["unit_accept"][2] == ("2026-11-06" if stage == "assign" else "2026-11-05")
    assert "assign_due" not in found
    assert found["reply"][2] is None  # the office's own reply still runs
    healthy(run)
    message = refused(run, db_path, "unit-accept", case)
    assert offered(message) == ["assign", "reply"]
    out = run("assign", case, "--to", "社会救助股", "--due", "2026-12-04", "--on", "2026-11-09")
    assert "临民交〔2026〕2号" in out.stdout
    assert deadlines(run)["assign_due"] == ("2026-11-09", "2026-12-04", None)
    healthy(run)


def test_unit_return_needs_a_reason_and_a_unit_holding_the_case(run, db_path, case):
    run("accept", case, "--on", "2026-11-03", "--notified-on", "2026-11-03")
    message = refused(run, db_path, "unit-return", case, "--reason", "不属本镇")
    assert "不能退单" in message and offered(message) == ["assign", "reply"]
    run("assign", case, "--to", "沙河镇", "--due", "2026-11-30", "--on", "2026-11-04")
    assert "退单理由" in refused(run, db_path, "unit-return", case, "--reason", "")


def test_refusals_at_assigned_name_the_routing_steps(run, db_path, case):
    advance(run, case, "assign")
    message = refused(run, db_path, "unit-report", case, "--text", "已办")
    assert offered(message) == ["unit-accept", "reassign", "unit-return"]


# 承办责任人 and 催办 ------------------------------------------------------------------


def test_assign_names_the_responsible_person(run, db_path, case):
    run("accept", case, "--on", "2026-11-03", "--notified-on", "2026-11-03")
    assert "责任人电话" in refused(
        run, db_path, "assign", case, "--to", "沙河镇", "--due", "2026-11-30",
        "--person", "李明", "--phone", "123",
    )  # fmt: skip
    assert "承办责任人" in refused(
        run, db_path, "assign", case, "--to", "沙河镇", "--due", "2026-11-30", "--phone",
        "13900000000",
    )  # fmt: skip
    run("assign", case, "--to", "沙河镇", "--due", "2026-11-30", "--person", "李明",
        "--phone", "139 0000 0000", "--on", "2026-11-04")  # fmt: skip
    data = last_event(run)["data"]
    assert (data["person"], data["person_phone"]) == ("李明", "13900000000")
    human = run("show", case).stdout
    assert "承办责任人：李明" in human and "责任人电话：13900000000" in human
    healthy(run)


def test_urge_is_a_dated_reminder_listed_in_show(run, db_path, case):
    run("accept", case, "--on", "2026-11-03", "--notified-on", "2026-11-03")
    message = refused(run, db_path, "urge", case)
    assert "不能催办" in message and "urge" not in offered(message)
    run("assign", case, "--to", "沙河镇", "--due", "2026-11-30", "--on", "2026-11-04")
    assert run("urge", case, "--on", "2026-11-10").stdout == "已催办：2026-0001 → 沙河镇\n"
    run("unit-accept", case, "--on", "2026-11-11")
    run("urge", case, "--note", "电话催问入户核查进度", "--on", "2026-11-12")
    urges = [e for e in show(run, case)["events"] if e["action"] == "urge"]
    assert [(e["occurred_at"][:10], e["data"]) for e in urges] == [
        ("2026-11-10", {"unit": "沙河镇"}),
        ("2026-11-12", {"unit": "沙河镇", "text": "电话催问入户核查进度"}),
    ]
    assert show(run, case)["status"] == "handling"  # a reminder moves nothing
    assert "催办" in run("show", case).stdout and "电话催问入户核查进度" in run("show", case).stdout
    healthy(run)


# The 办理情况汇总表 as of a day sees where the case was ---------------------------------


def test_the_monthly_handle_table_follows_the_routing(run, case, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    monkeypatch.setenv("XINFANG_NOW", "2026-12-05 10:00")
    advance(run, case, "unit-report")  # reported 11-09
    run("send-back", case, "--reason", "不全", "--on", "2026-11-10")
    run("unit-report", case, "--text", "已补充", "--on", "2026-11-12")
    run("send-back", case, "--reason", "仍不全", "--on", "2026-11-13")
    run("reassign", case, "--to", "新华镇", "--reason", "属新华镇", "--on", "2026-11-16")
    run("unit-return", case, "--reason", "不属本镇", "--on", "2026-11-17")

    def progress(day: str) -> list:
        target = tmp_path / f"{day}.xlsx"
        run("report", "handle", "--month", "2026-11", "--as-of", day, "-o", str(target))
        row = next(load_workbook(target).active.iter_rows(min_row=5, values_only=True))
        return [row[6], row[8]]

    assert progress("2026-11-09") == ["已交沙河镇办理，已报送办理情况，待答复", "2026-0001"]
    assert progress("2026-11-10") == ["已交沙河镇办理", "2026-0001；退回重办 1 次"]
    assert progress("2026-11-13") == ["已交沙河镇办理", "2026-0001；退回重办 2 次"]
    assert progress("2026-11-16") == ["已交新华镇办理", "2026-0001；退回重办 2 次"]
    assert progress("2026-11-17") == ["正在办理", "2026-0001；退回重办 2 次"]


# The 承办单位考核 counts each unit's send-backs, returns, reassignments, reminders ------


def _scenario(run) -> None:
    """Four cases in November 2026, the clock on 12-10 (see the expectations below)."""
    for n in range(4):
        run(*REGISTER[:-2], "--on", f"2026-11-02 09:0{n}")
        run("accept", f"2026-000{n + 1}", "--on", "2026-11-02", "--notified-on", "2026-11-02")
    a, b, c, d = "2026-0001", "2026-0002", "2026-0003", "2026-0004"
    run("assign", a, "--to", "沙河镇", "--due", "2026-11-20", "--on", "2026-11-03")
    run("unit-accept", a, "--on", "2026-11-04")
    run("unit-report", a, "--text", "已核查", "--on", "2026-11-06")
    run("send-back", a, "--reason", "未附材料", "--on", "2026-11-09")
    run("unit-report", a, "--text", "已补充", "--on", "2026-11-12")
    run(
        "reply",
        a,
        "--result",
        "已解决",
        "--finding",
        "属实",
        "--text",
        "已办",
        "--on",
        "2026-11-13",
    )
    run("assign", b, "--to", "沙河镇", "--due", "2026-11-25", "--on", "2026-11-05")
    run("urge", b, "--on", "2026-11-10")
    run("urge", b, "--on", "2026-11-12")
    run("unit-return", b, "--reason", "不属本镇", "--on", "2026-11-13")
    run("assign", b, "--to", "新华镇", "--due", "2026-11-30", "--on", "2026-11-16")
    run("unit-accept", b, "--on", "2026-11-17")
    run("unit-report", b, "--text", "已核查", "--on", "2026-11-18")
    run(
        "reply",
        b,
        "--result",
        "已解决",
        "--finding",
        "属实",
        "--text",
        "已办",
        "--on",
        "2026-11-19",
    )
    run("revisit", b, "--method", "电话回访", "--satisfaction", "满意", "--on", "2026-11-20")
    run("assign", c, "--to", "蓼泉镇", "--due", "2026-11-25", "--on", "2026-11-05")
    run("reassign", c, "--to", "新华镇", "--reason", "属新华镇", "--due", "2026-11-26",
        "--on", "2026-11-06")  # fmt: skip
    run("urge", c, "--on", "2026-11-20")
    run("assign", d, "--to", "平川镇", "--due", "2026-11-25", "--on", "2026-11-05")
    run("unit-return", d, "--reason", "不属本镇", "--on", "2026-11-06")
    run(
        "reply",
        d,
        "--result",
        "已解决",
        "--finding",
        "属实",
        "--text",
        "已办",
        "--on",
        "2026-11-09",
    )
    run("revisit", d, "--method", "电话回访", "--satisfaction", "满意", "--on", "2026-11-10")


# name: 交办件数, 已受理, 按期受理, 已报送, 按期报送, 超期未报送, 回访数, 满意, 报送次数,
# 报送未退回, 退回重办, 办理质量合格率, 退单, 改派, 催办
UNITS = {
    # a: reported twice, sent back once; b: urged twice, then returned
    "沙河镇": (2, 1, 1, 1, 1, 0, 0, 0, 2, 1, 1, 0.5, 1, 0, 2),
    # b: accepted and reported in time, revisited; c (reassigned to it): never accepted,
    # its report overdue
    "新华镇": (2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1.0, 0, 0, 1),
    # c: taken from it the next day
    "蓼泉镇": (1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "—", 0, 1, 0),
    # d: returned in time (the 3-day answer); the office's own reply and revisit are not its
    "平川镇": (1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, "—", 1, 0, 0),
}


def test_units_are_counted_for_send_backs_returns_reassignments_and_reminders(
    run, tmp_path, monkeypatch
):
    from openpyxl import load_workbook

    monkeypatch.setenv("XINFANG_NOW", "2026-12-10 10:00")
    _scenario(run)
    healthy(run)
    target = tmp_path / "考核.xlsx"
    run("report", "stats", "--month", "2026-11", "-o", str(target))
    sheet = load_workbook(target)["承办单位考核"]
    header = [c.value for c in sheet[3]]
    assert header[-8:] == [
        "报送次数",
        "报送未退回",
        "退回重办",
        "办理质量合格率",
        "退单",
        "改派",
        "催办",
        "综合得分",
    ]
    keys = ("交办件数", "已受理", "按期受理", "已报送", "按期报送", "超期未报送", "回访数",
            "满意（非常满意＋满意）", *header[-8:-1])  # fmt: skip
    got = {}
    for row in sheet.iter_rows(min_row=4, values_only=True):
        values = dict(zip(header, row, strict=True))
        got[values["承办单位"]] = tuple(values[k] for k in keys)
    assert got == UNITS
    out = run("report", "stats", "--month", "2026-11").stdout
    quality = out[out.index("承办单位办理质量") :]
    lines = [
        [c.strip() for c in line.split("│")[1:-1]]
        for line in quality.splitlines()
        if line.count("│") == 8
    ]
    header = quality.splitlines()[2]  # under the title and the table's top
    assert [c.strip() for c in header.split("┃")[1:-1]] == [
        "承办单位", "报送次数", "退回重办", "办理质量合格率", "退单", "改派", "催办",
    ]  # fmt: skip
    assert {line[0]: line[1:] for line in lines} == {
        "沙河镇": ["2", "1", "50.0%（1/2）", "1", "0", "2"],
        "新华镇": ["1", "0", "100.0%（1/1）", "0", "0", "1"],
        "蓼泉镇": ["0", "0", "—", "0", "1", "0"],
        "平川镇": ["0", "0", "—", "1", "0", "0"],
    }


def test_a_report_sent_back_after_the_day_counts_as_accepted_then(run, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    monkeypatch.setenv("XINFANG_NOW", "2026-12-10 10:00")
    _scenario(run)
    target = tmp_path / "早.xlsx"
    run("report", "stats", "--month", "2026-11", "--as-of", "2026-11-08", "-o", str(target))
    sheet = load_workbook(target)["承办单位考核"]
    header = [c.value for c in sheet[3]]
    rows = {
        r[1]: dict(zip(header, r, strict=True))
        for r in sheet.iter_rows(min_row=4, values_only=True)
    }
    # On 11-08 沙河镇's one report stood unchallenged; the send-back came on 11-09.
    assert (rows["沙河镇"]["报送次数"], rows["沙河镇"]["退回重办"]) == (1, 0)
    assert rows["沙河镇"]["办理质量合格率"] == 1.0
    assert (rows["沙河镇"]["退单"], rows["沙河镇"]["催办"]) == (0, 0)
    assert rows["蓼泉镇"]["改派"] == 1


# Mistyped input: refused in one line, nothing written --------------------------------

MISSING = "没有编号为 2026-9999 的案件"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("send-back", "2026-9999", "--reason", "x"), MISSING),
        (("reassign", "2026-9999", "--to", "新华镇", "--reason", "x"), MISSING),
        (("unit-return", "2026-9999", "--reason", "x"), MISSING),
        (("urge", "2026-9999"), MISSING),
        (("send-back", CASE, "--reason", "x", "--due", "下周"), "办结期限：无法识别"),
        (("reassign", CASE, "--to", "新华镇", "--reason", "x", "--due", "2026-13-01"), "办结期限"),
        (("send-back", CASE), "缺少必填项 --reason"),
        (("reassign", CASE, "--reason", "x"), "缺少必填项 --to"),
        (("unit-return", CASE), "缺少必填项 --reason"),
        (("urge", CASE, "--on", "昨天半夜三更"), "日期"),
        (("urge", CASE, "--on", "2026-11-01"), "早于本案登记的日期"),
        (("send-back", CASE, "--reason", "x" * 2_001), "退回理由"),
    ],
    ids=lambda value: value[0] if isinstance(value, tuple) else None,
)
def test_mistyped_routing_input_is_refused(run, db_path, case, args, says):
    advance(run, case, "unit-accept")
    assert says in refused(run, db_path, *args)


# A town's routing reaches the county as the town has it -----------------------------


def _routed_town(run, tmp_path, template_ledger):
    from merging import at, new_town, register

    town = new_town(run, tmp_path, template_ledger, "shahe", "沙河镇人民政府")
    register(run, town, "张三", "低保金停发", "2026-11-02 09:00")
    register(run, town, "李四", "敬老院供暖不足", "2026-11-02 10:00")
    for case, steps in {
        "2026-0001": [
            ("accept", "--on", "2026-11-03", "--notified-on", "2026-11-03"),
            ("assign", "--to", "沙河镇", "--due", "2026-11-30", "--person", "李明",
             "--phone", "13900000000", "--on", "2026-11-04"),
            ("urge", "--note", "电话催办", "--on", "2026-11-05"),
            ("unit-accept", "--on", "2026-11-06"),
            ("unit-report", "--text", "已核查", "--on", "2026-11-09"),
            ("send-back", "--reason", "不全", "--due", "2026-11-27", "--on", "2026-11-10"),
            ("reassign", "--to", "新华镇", "--reason", "属新华镇", "--on", "2026-11-11"),
        ],
        "2026-0002": [
            ("accept", "--on", "2026-11-03", "--notified-on", "2026-11-03"),
            ("assign", "--to", "沙河镇", "--due", "2026-11-30", "--on", "2026-11-04"),
            ("unit-return", "--reason", "属县级部门", "--on", "2026-11-05"),
        ],
    }.items():  # fmt: skip
        for action, *options in steps:
            run(action, case, *options, *at(town))
    return town


def test_a_towns_routing_merges_into_the_county(run, tmp_path, template_ledger, db_path):
    from merging import assert_every_town_case_once_as_it_stands, bundle, overdue

    town = _routed_town(run, tmp_path, template_ledger)
    run("merge", str(bundle(run, town, tmp_path / "t.zip", "2026-11")))
    assert_every_town_case_once_as_it_stands(db_path, [town])
    assert overdue(run, db_path) == overdue(run, town)
    healthy(run)


def test_a_bundle_whose_send_back_has_no_due_date_is_refused(
    run, tmp_path, template_ledger, db_path
):
    from merging import bundle, rewrite

    town = _routed_town(run, tmp_path, template_ledger)
    source = bundle(run, town, tmp_path / "t.zip", "2026-11")

    def drop_due(manifest: dict, members: dict) -> None:
        for event in manifest["cases"][0]["events"]:
            if event["action"] == "send-back":
                del event["data"]["due"]

    broken = rewrite(source, tmp_path / "broken.zip", drop_due)
    before = dump(db_path)
    out = run("merge", str(broken), expect=2)
    assert out.stderr.endswith("案件 2026-0001 第 7 条办理记录 due：缺少，或为空\n"), out.stderr
    assert dump(db_path) == before
