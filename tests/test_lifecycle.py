"""A case's whole life at the clerk's desk, and the shorter lives: 不予受理, 转送, 匿名."""

from __future__ import annotations

import pytest
from conftest import show

CASE = "2026-0001"


def actions(case: dict) -> list[str]:
    return [event["action"] for event in case["events"]]


def pick(case: dict, *keys: str) -> tuple:
    return tuple(case[key] for key in keys)


def reply(run, on: str, text: str = "已纳入低保", finding: str = "属实") -> None:
    run("reply", CASE, "--result", "已解决", "--finding", finding, "--text", text, "--on", on)


# One step a line: the command, its options, then where the case stands afterwards.
WHOLE_LIFE = [
    (("accept", "--notified-on", "2026-11-04", "--on", "2026-11-03"), "accepted", 1),
    (("assign", "--to", "沙河镇", "--due", "2026-12-05", "--on", "2026-11-05"), "assigned", 1),
    (("unit-accept", "--on", "2026-11-06", "--by", "李四"), "handling", 1),
    (("unit-report", "--text", "经入户核查，家庭人均收入低于标准", "--on", "2026-11-09"), "reported", 1),
    (("reply", "--result", "正在解决", "--finding", "属实", "--text", "已提交低保评审", "--on", "2026-11-10"), "replied", 1),
    (("revisit", "--method", "电话回访", "--satisfaction", "不满意", "--opinion", "低保金还没发", "--on", "2026-11-12"), "accepted", 2),
    (("reply", "--result", "已解决", "--finding", "属实", "--text", "已纳入低保，自12月起发放", "--on", "2026-11-16"), "replied", 2),
    (("revisit", "--method", "现场走访", "--satisfaction", "满意", "--on", "2026-11-17"), "revisited", 2),
    (("publicize", "--where", "县政府门户网站", "--on", "2026-11-18"), "publicized", 2),
    (("close", "--approved-by", "李主任", "--on", "2026-11-19"), "closed", 2),
    (("archive", "--retention", "10年", "--on", "2026-11-20"), "archived", 2),
]  # fmt: skip


def test_whole_life_with_a_dissatisfied_revisit(run, registered):
    assert registered == CASE
    for (action, *options), status, round_no in WHOLE_LIFE:
        run(action, CASE, *options)
        case = show(run)
        assert (action, case["status"], case["round"]) == (action, status, round_no)

    case = show(run)
    assert case["status"] == "archived"
    assert case["status_label"] == "已归档"
    assert case["round"] == 2
    assert case["formal_no"] == "临民信〔2026〕1号"
    assert case["assign_no"] == "临民交〔2026〕1号"
    assert actions(case) == [
        "register", "accept", "assign", "unit-accept", "unit-report", "reply",
        "revisit", "reply", "revisit", "publicize", "close", "archive",
    ]  # fmt: skip
    # The 不满意 revisit still belongs to round 1; what follows is round 2.
    assert [e["round"] for e in case["events"]] == [1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]
    assert [e["status_after"] for e in case["events"]] == [
        "registered", "accepted", "assigned", "handling", "reported", "replied",
        "accepted", "replied", "revisited", "publicized", "closed", "archived",
    ]  # fmt: skip
    assert [e["occurred_at"] for e in case["events"]] == [
        "2026-11-02 09:30:00", "2026-11-03", "2026-11-05", "2026-11-06", "2026-11-09",
        "2026-11-10", "2026-11-12", "2026-11-16", "2026-11-17", "2026-11-18",
        "2026-11-19", "2026-11-20",
    ]  # fmt: skip
    actors = [e["actor"] for e in case["events"]]
    assert actors == ["王芳", "王芳", "王芳", "李四"] + ["王芳"] * 8
    dissatisfied = case["events"][6]["data"]
    assert dissatisfied == {
        "method": "电话回访",
        "satisfaction": "不满意",
        "opinion": "低保金还没发",
        "new_round": 2,
    }
    assert case["events"][2]["data"] == {"to": "沙河镇", "due": "2026-12-05", "number": 1}
    expected = {
        "decided_on": "2026-11-03",
        "notified_on": "2026-11-04",
        "notice_method": "书面告知书",
        "unit": "沙河镇",
        "assigned_on": "2026-11-05",
        "assign_due": "2026-12-05",
        "unit_accepted_on": "2026-11-06",
        "unit_reported_on": "2026-11-09",
        "replied_on": "2026-11-16",
        "reply_result": "已解决",
        "reply_finding": "属实",
        "reply_text": "已纳入低保，自12月起发放",
        "revisited_on": "2026-11-17",
        "revisit_method": "现场走访",
        "satisfaction": "满意",
        "publicized_on": "2026-11-18",
        "closed_on": "2026-11-19",
        "archived_on": "2026-11-20",
        "retention": "10年",
    }
    assert {key: case[key] for key in expected} == expected
    # Every deadline of the life, met in time (seed 000 rules, 2026 calendar).
    assert [
        (d["stage"], d["round"], d["due_on"], d["met_on"], d["state"]) for d in case["deadlines"]
    ] == [
        ("notice", 1, "2026-11-05", "2026-11-04", "met"),  # 3 working days from Mon 11-02
        ("reply", 1, "2026-11-17", "2026-11-10", "met"),  # 10 working days from 11-03
        ("assign_due", 1, "2026-12-05", "2026-11-09", "met"),  # the clerk's date
        ("unit_accept", 1, "2026-11-09", "2026-11-06", "met"),  # 3 days from Fri 11-06
        ("revisit", 1, "2026-11-13", "2026-11-12", "met"),
        ("reply", 2, "2026-11-26", "2026-11-16", "met"),  # the new round counts from 不满意
        # The petitioner's 30 days to ask for a 复查 of the reply that stands (not the
        # office's duty: it runs on after the file is archived).
        ("review_request", 2, "2026-12-16", None, "open"),
        ("revisit", 2, "2026-11-19", "2026-11-17", "met"),
        ("publicize", 2, "2026-11-20", "2026-11-18", "met"),
        ("archive", 2, "2026-11-26", "2026-11-20", "met"),  # 5 working days from close
    ]


def test_dissatisfied_revisit_clears_the_reply_and_a_new_assignment_gets_the_next_number(
    run, registered
):
    run("accept", CASE, "--on", "2026-11-03")
    run("assign", CASE, "--to", "沙河镇", "--due", "2026-12-05", "--on", "2026-11-04")
    run("unit-accept", CASE, "--on", "2026-11-05")
    run("unit-report", CASE, "--text", "已核查", "--on", "2026-11-06")
    reply(run, "2026-11-09", "经查不属实", "不属实")
    out = run("revisit", CASE, "--method", "当面", "--satisfaction", "不满意", "--on", "2026-11-10")
    assert out.stdout.strip() == "已回访（不满意）：2026-0001，重新办理，第 2 轮"
    case = show(run)
    assert pick(case, "status", "status_label", "round") == ("accepted", "已受理（办理中）", 2)
    assert pick(case, "replied_on", "reply_result", "reply_finding", "reply_text") == (None,) * 4

    out = run("assign", CASE, "--to", "新华镇", "--due", "2026-12-10", "--on", "2026-11-11")
    assert out.stdout.strip() == "已交办：2026-0001 → 新华镇，交办单 临民交〔2026〕2号"
    case = show(run)
    assert pick(case, "unit", "assign_no", "unit_accepted_on") == (
        "新华镇",
        "临民交〔2026〕2号",
        None,
    )
    assert [(d["stage"], d["round"], d["due_on"], d["state"]) for d in case["deadlines"]] == [
        ("notice", 1, "2026-11-05", "overdue"),  # accepted without telling the petitioner
        ("reply", 1, "2026-11-17", "met"),
        ("assign_due", 1, "2026-12-05", "met"),
        ("unit_accept", 1, "2026-11-09", "met"),
        ("revisit", 1, "2026-11-12", "met"),
        ("reply", 2, "2026-11-24", "open"),
        ("assign_due", 2, "2026-12-10", "open"),
        ("unit_accept", 2, "2026-11-16", "overdue"),  # 3 days from 11-11 is a Saturday: Monday
    ]


def test_reject_names_the_channel_then_archive(run, registered):
    out = run(
        "reject", CASE, "--reason", "属劳动争议", "--channel", "向县劳动人事争议仲裁委员会申请仲裁",
        "--notified-on", "2026-11-03", "--notice-method", "当场告知", "--on", "2026-11-03",
    )  # fmt: skip
    assert out.stdout.strip() == "不予受理：2026-0001"
    assert show(run)["status"] == "rejected"
    run("archive", CASE, "--retention", "30年", "--on", "2026-11-04")
    case = show(run)
    assert pick(case, "status", "retention", "archived_on") == ("archived", "30年", "2026-11-04")
    assert pick(case, "decision_reason", "notified_on", "notice_method") == (
        "属劳动争议",
        "2026-11-03",
        "当场告知",
    )
    assert case["reject_channel"] == "向县劳动人事争议仲裁委员会申请仲裁"
    assert actions(case) == ["register", "reject", "archive"]
    assert [e["status_after"] for e in case["events"]] == ["registered", "rejected", "archived"]
    assert case["events"][1]["data"] == {
        "reason": "属劳动争议",
        "channel": "向县劳动人事争议仲裁委员会申请仲裁",
        "notified_on": "2026-11-03",
        "notice_method": "当场告知",
    }


def test_transfer_then_notify_then_archive(run, registered):
    to = "县人力资源和社会保障局"
    out = run("transfer", CASE, "--to", to, "--reason", "不属民政职责", "--on", "2026-11-03")
    assert out.stdout.strip() == "已转送：2026-0001 → 县人力资源和社会保障局"
    case = show(run)
    assert pick(case, "status", "transfer_to", "notified_on") == ("transferred", to, None)
    run("notify", CASE, "--on", "2026-11-04")
    run("archive", CASE, "--retention", "永久", "--on", "2026-11-05")
    case = show(run)
    assert case["status"] == "archived"
    assert (case["notified_on"], case["notice_method"]) == ("2026-11-04", "书面告知书")
    assert actions(case) == ["register", "transfer", "notify", "archive"]
    assert [e["status_after"] for e in case["events"]] == [
        "registered", "transferred", "transferred", "archived",
    ]  # fmt: skip


ANONYMOUS = (
    "register", "--anonymous", "--source", "本级", "--form", "来信",
    "--content", "举报某村干部优亲厚友，把不符合条件的亲属评为低保户", "--on", "2026-11-02",
)  # fmt: skip


def test_anonymous_case_goes_from_reply_straight_to_publicity(run):
    assert run(*ANONYMOUS).stdout.strip() == "已登记：2026-0001（临民信〔2026〕1号）"
    refused = run("accept", CASE, "--notified-on", "2026-11-03", "--on", "2026-11-03", expect=2)
    assert "匿名信访无需告知" in refused.stderr
    run("accept", CASE, "--on", "2026-11-03")
    refused = run("notify", CASE, "--on", "2026-11-04", expect=2)
    assert "「已受理（办理中）」，匿名信访无需告知" in refused.stderr
    reply(run, "2026-11-10", "已取消一户低保", "部分属实")
    run("publicize", CASE, "--where", "村务公开栏", "--on", "2026-11-11")
    run("close", CASE, "--on", "2026-11-12")
    case = show(run)
    assert (case["status"], case["anonymous"], case["name"]) == ("closed", True, None)
    assert pick(case, "notified_on", "revisited_on", "publicized_on") == (None, None, "2026-11-11")
    assert actions(case) == ["register", "accept", "reply", "publicize", "close"]


def test_named_case_must_be_revisited_before_publicity(run, registered):
    run("accept", CASE, "--on", "2026-11-03")
    reply(run, "2026-11-10")
    refused = run("publicize", CASE, "--on", "2026-11-11", expect=2)
    assert refused.stderr.startswith("错误：案件 2026-0001 当前状态为「已答复（待回访）」")
    assert "答复后须先回访信访人（匿名信访除外）" in refused.stderr
    case = show(run)
    assert (case["status"], case["publicized_on"]) == ("replied", None)
    assert actions(case) == ["register", "accept", "reply"]


def test_notice_recorded_later_and_only_once(run, registered):
    out = run("accept", CASE, "--on", "2026-11-03")
    assert out.stdout.strip() == "已受理：2026-0001（尚未告知信访人，告知后用 xinfang notify 记录）"
    assert show(run)["notified_on"] is None
    assert run("notify", CASE, "--on", "2026-11-05", "--method", "短信告知").stdout.strip() == (
        "已记录告知：2026-0001"
    )
    case = show(run)
    assert pick(case, "status", "notified_on", "notice_method") == (
        "accepted",
        "2026-11-05",
        "短信告知",
    )
    assert case["events"][-1]["action"] == "notify"
    assert case["events"][-1]["status_after"] == "accepted"
    assert case["events"][-1]["data"] == {"notified_on": "2026-11-05", "notice_method": "短信告知"}

    again = run("notify", CASE, "--on", "2026-11-06", expect=2)
    assert "已于 2026-11-05 告知过信访人" in again.stderr
    assert actions(show(run)) == ["register", "accept", "notify"]


@pytest.mark.parametrize("method", ["书面告知书", "短信告知", "网上告知"])
def test_notice_methods_from_the_list(run, registered, method):
    run("accept", CASE, "--on", "2026-11-03", "--notified-on", "2026-11-04", "--notice-method", method)  # fmt: skip
    assert show(run)["notice_method"] == method


def test_notice_method_outside_the_list_is_refused(run, registered):
    notice = ("--on", "2026-11-03", "--notified-on", "2026-11-04", "--notice-method", "托人带话")
    out = run("accept", CASE, *notice, expect=2)
    allowed = "书面告知书、当场告知、电话告知、短信告知、网上告知"
    assert f"告知方式：“托人带话”不可用；可选：{allowed}" in out.stderr
    assert show(run)["status"] == "registered"
