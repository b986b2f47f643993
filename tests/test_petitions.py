"""Repeat and collective petitions, 复查/复核, the 不满意 trail, online opinion."""

from __future__ import annotations

import pytest
from conftest import show

BASE = ("--source", "本级", "--form", "来访", "--category", "最低生活保障")


def register(run, on: str, content: str, *person: str) -> str:
    out = run("register", *BASE, "--content", content, "--on", on, *person)
    return out.stdout


# --- repeats -------------------------------------------------------------------------------


def test_the_same_person_again_is_linked_and_counted(run):
    register(run, "2026-11-02", "反映低保评定不公", "--name", "张三", "--phone", "13812345678")
    out = register(
        run, "2026-11-09", "孩子上学的补助没发", "--name", "张三", "--phone", "13812345678"
    )
    assert "可能是重复信访" in out and "2026-0001（已登记（待受理））：同一联系电话" in out
    assert "该事项正在办理中" in out  # the first is still being handled
    assert show(run, "2026-0002")["repeat_of"] == "2026-0001"
    assert show(run, "2026-0001")["petitions_in_matter"] == 2
    listed = run("list").stdout
    assert "张三（重复）" in listed


def test_similar_wording_in_another_order_is_found(run):
    register(run, "2026-11-02", "我村低保评定不公开，村干部优亲厚友，请求调查。", "--name", "李四")
    out = register(
        run, "2026-11-05", "请求调查！村干部优亲厚友——我村低保评定不公开", "--name", "王五"
    )
    assert "2026-0001" in out and "内容相似" in out
    # Another person: found, not linked unless the clerk says so (test_repeats_links.py).
    assert show(run, "2026-0002")["repeat_of"] is None


def test_a_different_person_with_a_different_matter_is_not_flagged(run):
    register(run, "2026-11-02", "反映低保评定不公", "--name", "张三", "--phone", "13812345678")
    out = register(
        run, "2026-11-05", "婚姻登记信息有误请求更正", "--name", "赵六", "--phone", "13900001111"
    )
    assert "重复" not in out
    assert show(run, "2026-0002")["repeat_of"] is None


def test_a_new_matter_is_not_linked_when_the_clerk_says_so(run):
    register(run, "2026-11-02", "反映低保评定不公", "--name", "张三", "--phone", "13812345678")
    out = run("register", *BASE, "--content", "另一件事：养老院收费", "--name", "张三",
              "--phone", "13812345678", "--new-matter", "--on", "2026-11-05").stdout  # fmt: skip
    assert "未关联" in out
    assert show(run, "2026-0002")["repeat_of"] is None


def test_outside_the_window_is_not_a_repeat(run):
    run("config", "set", "重复信访查找天数", "30")
    register(run, "2026-09-01", "反映低保评定不公", "--name", "张三", "--phone", "13812345678")
    out = register(
        run, "2026-11-02", "反映低保评定不公", "--name", "张三", "--phone", "13812345678"
    )
    assert "重复" not in out


def test_collective_petitions_are_marked(run):
    register(run, "2026-11-02", "集体反映安置补助", "--name", "王某某", "--persons", "6")
    assert show(run)["collective"] is True
    assert "王某某等6人" in run("list").stdout
    assert "集体访（6 人）" in run("show", "2026-0001").stdout


# --- 复查 / 复核 -----------------------------------------------------------------------------


@pytest.fixture
def replied(run):
    register(run, "2026-10-08", "反映低保评定不公", "--name", "张三")
    run("accept", "2026-0001", "--on", "2026-10-09", "--notified-on", "2026-10-09")
    run("reply", "2026-0001", "--result", "不能解决", "--finding", "不属实", "--text", "符合规定",
        "--on", "2026-10-20")  # fmt: skip
    return "2026-0001"


@pytest.mark.parametrize(("day", "allowed"), [("2026-11-19", True), ("2026-11-20", False)])
def test_the_review_window_edges(run, replied, day, allowed):
    # Replied 10-20: 30 days end Thu 11-19.
    out = run("review", replied, "--requested-on", day, expect=None)
    assert out.exit_code == (0 if allowed else 2)
    if not allowed:
        assert "已超过复查申请期限" in out.stderr and "--late-reason" in out.stderr
        run("review", replied, "--requested-on", day, "--late-reason", "住院治疗，有证明")


def test_review_deadline_outcome_and_upper_review(run, replied):
    run("review", replied, "--requested-on", "2026-11-10")
    review = next(d for d in show(run)["deadlines"] if d["stage"] == "review")
    assert (review["starts_on"], review["due_on"], review["state"]) == (
        "2026-11-10",
        "2026-12-10",
        "open",
    )
    assert "尚未" in run("recheck", replied, "--requested-on", "2026-11-11", expect=2).stderr
    run("review", replied, "--outcome", "维持", "--text", "原处理意见正确")
    review = next(d for d in show(run)["deadlines"] if d["stage"] == "review")
    assert review["state"] == "met"
    assert "已经作出" in run("review", replied, "--outcome", "变更", "--text", "x", expect=2).stderr
    run("recheck", replied, "--requested-on", "2026-11-23", "--body", "张掖市民政局")
    run("recheck", replied, "--outcome", "维持")
    actions = [(e["action"], e["data"].get("upper_outcome")) for e in show(run)["events"]]
    assert actions[-1] == ("recheck", "维持")
    assert (
        "已经申请过复查" in run("review", replied, "--requested-on", "2026-11-11", expect=2).stderr
    )


def test_review_needs_a_reply(run):
    register(run, "2026-11-02", "反映低保评定不公", "--name", "张三")
    assert "不能复查" in run("review", "2026-0001", "--requested-on", "2026-11-05", expect=2).stderr


# --- the 不满意 trail --------------------------------------------------------------------------


def test_dissatisfied_rounds_with_reexamination(run, replied):
    assert "无需核实" in run("reexamine", replied, "--examiner", "王科长", "--findings", "x",
                            expect=2).stderr  # fmt: skip
    run("revisit", replied, "--method", "当面", "--satisfaction", "不满意", "--opinion", "补助算错了",
        "--on", "2026-10-22")  # fmt: skip
    run("reexamine", replied, "--examiner", "王科长", "--findings", "重新核算后少发 200 元",
        "--on", "2026-10-26")  # fmt: skip
    run("reply", replied, "--result", "已解决", "--finding", "部分属实", "--text", "已补发 200 元",
        "--on", "2026-10-28")  # fmt: skip
    case = show(run)
    trail = [(e["round"], e["action"]) for e in case["events"]][-3:]
    assert trail == [(1, "revisit"), (2, "reexamine"), (2, "reply")]
    timeline = run("show", replied).stdout
    assert "核实人：王科长" in timeline and "重新核算后少发 200 元" in timeline


# --- online opinion ---------------------------------------------------------------------------


def test_online_opinion_deadlines_count_from_the_post(run):
    run("register", "--source", "网络舆情", "--form", "网上信访", "--content", "贴吧反映敬老院伙食差",
        "--anonymous",
        "--platform", "百度贴吧-张掖吧", "--url", "https://tieba.example/p/1",
        "--posted-at", "2026-11-18 21:00", "--on", "2026-11-19 09:00")  # fmt: skip
    case = show(run)
    assert (case["platform"], case["posted_at"]) == ("百度贴吧-张掖吧", "2026-11-18 21:00:00")
    online = next(d for d in case["deadlines"] if d["stage"] == "online_reply")
    # 3 days from Wed 11-18 end Sat 11-21: moved to Monday 11-23.
    assert (online["starts_on"], online["due_on"]) == ("2026-11-18", "2026-11-23")
    run(
        "extend",
        "2026-0001",
        "--stage",
        "网络舆情回复",
        "--reason",
        "需现场核实",
        "--on",
        "2026-11-20",
    )
    online = next(d for d in show(run)["deadlines"] if d["stage"] == "online_reply")
    assert (online["rule"], online["due_on"]) == ("5日", "2026-11-23")  # 11-23 is itself a Monday
    refused = run(
        "register", *BASE, "--name", "张三", "--content", "x", "--platform", "微博", expect=2
    )
    assert "只用于信访来源为“网络舆情”" in refused.stderr


def test_upper_transferred_online_opinion_needs_a_written_report_in_two_days(run):
    run("register", "--source", "网络舆情", "--form", "网上信访", "--content", "市长信箱转来留言",
        "--anonymous",
        "--upper-ref", "张舆转〔2026〕7号", "--on", "2026-11-19 09:00")  # fmt: skip
    report = next(d for d in show(run)["deadlines"] if d["stage"] == "upper_report")
    assert (report["starts_on"], report["due_on"]) == ("2026-11-19", "2026-11-23")  # Sat → Mon


# --- leader reception days ------------------------------------------------------------------


def test_a_reception_case_takes_the_leader_and_day_from_the_plan(run, monkeypatch):
    run("reception", "plan", "--year", "2026", "--rule", "last-friday 09:00-11:00",
        "--leaders", "张局长,李副局长")  # fmt: skip
    monkeypatch.setenv("XINFANG_NOW", "2026-11-30 10:00")  # the Monday after Fri 11-27
    run("register", "--source", "领导接访", "--form", "来访", "--name", "张三",
        "--content", "反映养老院收费过高")  # fmt: skip
    case = show(run)
    # November is the 11th month: the rotation of two leaders gives the first.
    assert (case["receiver"], case["received_at"]) == ("张局长", "2026-11-27 09:00:00")
    run("register", "--source", "领导接访", "--form", "来访", "--name", "李四",
        "--content", "反映临时救助", "--receiver", "王书记", "--on", "2026-11-27 10:00")  # fmt: skip
    assert show(run, "2026-0002")["receiver"] == "王书记"  # what the clerk says wins
    monkeypatch.setenv("XINFANG_NOW", "2026-12-10 10:00")  # two weeks on: no reception nearby
    run(
        "register",
        "--source",
        "领导接访",
        "--form",
        "来访",
        "--name",
        "王五",
        "--content",
        "反映残补",
    )
    assert show(run, "2026-0003")["receiver"] is None
