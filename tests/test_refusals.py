"""Steps out of order, dates that cannot be, values not on the lists, mistyped commands:
each is refused with exit status 2 and one Chinese line, and the ledger file is untouched."""

from __future__ import annotations

import re

import pytest
from conftest import REGISTER, dump

from xinfang.core.life.actions import ACTIONS

CASE = "2026-0001"

# The case's life up to a stage; a test brings the case to the stage it needs. Unlike
# conftest.LIFE the acceptance gives no notice, so that `notify` stays a next step.
LIFE = [
    ("accept", "--on", "2026-11-03"),
    ("assign", "--to", "沙河镇", "--due", "2026-12-05", "--on", "2026-11-04"),
    ("unit-accept", "--on", "2026-11-05"),
    ("unit-report", "--text", "已入户核查", "--on", "2026-11-06"),
    ("reply", "--result", "已解决", "--finding", "属实", "--text", "已纳入低保", "--on", "2026-11-09"),
    ("revisit", "--method", "电话回访", "--satisfaction", "满意", "--on", "2026-11-10"),
    ("publicize", "--on", "2026-11-11"),
    ("close", "--on", "2026-11-12"),
    ("archive", "--retention", "10年", "--on", "2026-11-13"),
]  # fmt: skip


def bring_to(run, stage: str | None) -> None:
    """Register 2026-0001 (on 2026-11-02) and take it through the steps up to `stage`."""
    run(*REGISTER)
    if stage is None:
        return
    for action, *options in LIFE:
        run(action, CASE, *options)
        if action == stage:
            return
    raise AssertionError(stage)


def refused(run, db_path, *args: str) -> str:
    """Run a command that must be refused; return its stderr."""
    before = dump(db_path)
    out = run(*args, expect=2)
    assert dump(db_path) == before, "a refused command changed the ledger"
    assert out.stdout == ""
    assert out.stderr.startswith("错误：")
    assert out.stderr.count("\n") == 1, out.stderr
    assert "Traceback" not in out.output
    return out.stderr


REGISTERED = ["accept", "reject", "transfer"]
ACCEPTED = ["notify", "assign", "reply"]
ASSIGNED = ["notify", "unit-accept", "reassign", "unit-return"]
REVISITED = ["publicize"]
REPLY = ("reply", CASE, "--result", "已解决", "--finding", "属实", "--text", "已办")


def offered(message: str) -> list[str]:
    """The commands the refusal suggests after 下一步可以."""
    hint = message.partition("下一步可以：")[2]
    return re.findall(r"（xinfang ([a-z-]+)）", hint)


@pytest.mark.parametrize(
    ("stage", "args", "state", "nexts"),
    [
        (None, REPLY, "已登记（待受理）", REGISTERED),
        (None, ("assign", CASE, "--to", "沙河镇", "--due", "2026-12-05"), "已登记（待受理）", REGISTERED),
        (None, ("revisit", CASE, "--method", "电话回访", "--satisfaction", "满意"), "已登记（待受理）", REGISTERED),
        ("accept", ("archive", CASE, "--retention", "10年"), "已受理（办理中）", ACCEPTED),
        ("accept", ("accept", CASE), "已受理（办理中）", ACCEPTED),
        ("accept", ("reject", CASE, "--reason", "不属实", "--channel", "县法院"), "已受理（办理中）", ACCEPTED),
        ("accept", ("revisit", CASE, "--method", "电话回访", "--satisfaction", "满意"), "已受理（办理中）", ACCEPTED),
        ("accept", ("unit-accept", CASE), "已受理（办理中）", ACCEPTED),
        ("accept", ("close", CASE), "已受理（办理中）", ACCEPTED),
        ("assign", ("unit-report", CASE, "--text", "已办"), "已交办（待承办单位受理）", ASSIGNED),
        ("assign", REPLY, "已交办（待承办单位受理）", ASSIGNED),
        ("revisit", ("close", CASE), "已回访（待公示）", REVISITED),
    ],
    ids=[
        "reply-before-accept", "assign-before-accept", "revisit-before-accept",
        "archive-open-case", "accept-twice", "reject-after-accept", "revisit-before-reply",
        "unit-accept-before-assign", "close-open-case", "unit-report-before-unit-accept",
        "reply-before-unit-report", "close-before-publicize",
    ],
)  # fmt: skip
def test_step_out_of_order(run, db_path, stage, args, state, nexts):
    bring_to(run, stage)
    message = refused(run, db_path, *args)
    action = ACTIONS[args[0]]
    assert message.startswith(
        f"错误：案件 2026-0001 当前状态为「{state}」，不能{action.label}。下一步可以："
    )
    assert offered(message) == nexts
    assert args[0] not in offered(message)


@pytest.mark.parametrize(
    "args",
    [
        ("accept", CASE),
        ("note", CASE, "信访人又来电"),
        ("correct", CASE, "--field", "联系电话", "--value", "13912345678"),
        REPLY,
        ("notify", CASE),
        ("archive", CASE, "--retention", "永久"),
    ],
    ids=lambda args: args[0],
)
def test_nothing_more_on_an_archived_case(run, db_path, args):
    bring_to(run, "archive")
    message = refused(run, db_path, *args)
    assert message == (
        f"错误：案件 2026-0001 当前状态为「已归档」，不能{ACTIONS[args[0]].label}。"
        "案件已归档，不能再办理；如需查阅请用 xinfang show，借阅案卷用 xinfang lend。\n"
    )


# --- dates ------------------------------------------------------------------------------


def test_step_dated_before_the_previous_one(run, db_path):
    bring_to(run, None)
    message = refused(run, db_path, "accept", CASE, "--on", "2026-11-01")
    assert message == (
        "错误：日期：受理日期 2026-11-01 早于案件上一步的日期 2026-11-02；请核对 --on\n"
    )


def test_step_dated_in_the_future(run, db_path):
    bring_to(run, None)
    message = refused(run, db_path, "accept", CASE, "--on", "2026-12-01")
    assert message == "错误：日期：2026-12-01 晚于今天，不能登记将来的事\n"


def test_notice_dated_before_the_decision(run, db_path):
    bring_to(run, None)
    message = refused(
        run, db_path, "accept", CASE, "--on", "2026-11-05", "--notified-on", "2026-11-04"
    )
    assert message == "错误：告知日期：不能早于受理决定的日期\n"


def test_registration_dated_in_the_future(run, db_path, sql):
    run("init")
    args = [*REGISTER[:-1], "2026-12-01"]
    assert refused(run, db_path, *args) == "错误：信访时间：2026-12-01 晚于今天，不能登记将来的事\n"
    assert sql("SELECT count(*) FROM cases") == [(0,)]


def test_registration_later_today_is_in_the_future(run, db_path):
    run("init")
    args = [*REGISTER[:-1], "2026-11-23 18:00"]  # the clock says 10:00
    assert "信访时间" in refused(run, db_path, *args)


def test_step_timed_before_the_previous_one_the_same_day(run, db_path):
    bring_to(run, None)  # received 2026-11-02 09:30
    assert "日期" in refused(run, db_path, "accept", CASE, "--on", "2026-11-02 08:00")


# --- values not allowed -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "args", "message"),
    [
        ("accept", ("reply", CASE, "--result", "已办完", "--finding", "属实", "--text", "x"),
         "答复结果：“已办完”不可用；可选：已解决、正在解决、暂时无法解决、不能解决"),
        ("accept", ("reply", CASE, "--result", "已解决", "--finding", "基本属实", "--text", "x"),
         "是否属实：“基本属实”不可用；可选：属实、部分属实、不属实"),
        ("accept", ("reply", CASE, "--result", "已解决", "--finding", "属实", "--text", "  "),
         "答复内容：必填，不能为空"),
        ("reply", ("revisit", CASE, "--method", "电话回访", "--satisfaction", "很好"),
         "满意度：“很好”不在列表中；可选：非常满意、满意、基本满意、一般、不满意"),
        ("reply", ("revisit", CASE, "--method", "微信", "--satisfaction", "满意"),
         "回访方式：“微信”不在列表中；可选：现场走访、电话回访、网页公示、当面、其它"),
        ("close", ("archive", CASE, "--retention", "5年"),
         "保管期限：“5年”不可用；可选：永久、30年、10年"),
        ("accept", ("assign", CASE, "--to", "不存在的单位", "--due", "2026-12-05"),
         "承办单位：“不存在的单位”不在承办单位名单中"),
        ("accept", ("assign", CASE, "--to", "沙河镇", "--due", "2026-11-20"),
         "办结期限：2026-11-20 必须晚于交办日期"),
        ("accept", ("assign", CASE, "--to", "沙河镇", "--due", "2026-11-05", "--on", "2026-11-05"),
         "办结期限：2026-11-05 必须晚于交办日期"),
        ("accept", ("assign", CASE, "--to", "沙河镇", "--due", "下个月"),
         "办结期限：无法识别“下个月”"),
        (None, ("reject", CASE, "--reason", "", "--channel", "县法院"),
         "不予受理理由：必填，不能为空"),
        (None, ("transfer", CASE, "--to", " "), "转送机关：必填，不能为空"),
        (None, ("accept", CASE, "--on", "11月33日"), "日期：无法识别“11月33日”"),
        # Refused after the 交办单 number was taken: the number must go back too.
        ("accept", ("assign", CASE, "--to", "沙河镇", "--due", "2026-12-05", "--by", "李" * 51),
         "经办人：过长（51 字），最多 50 字"),
    ],
)  # fmt: skip
def test_value_not_allowed(run, db_path, stage, args, message):
    bring_to(run, stage)
    assert message in refused(run, db_path, *args)


# --- case numbers and the command line itself -------------------------------------------


USAGE = "--help 查看用法）\n"  # click's own errors also point at the command's help


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "2026-0099"), "错误：没有编号为 2026-0099 的案件。\n"),
        (("accept", "2026-99"), "错误：没有编号为 2026-0099 的案件。\n"),
        (("note", "临民信〔2025〕1号", "备注"), "错误：没有编号为 2025-0001 的案件。\n"),
        (
            ("show", "abc"),
            "错误：案件编号：无法识别“abc”；请写成 2026-0001、17（今年的第 17 号）或 临民信〔2026〕1号 的形式\n",
        ),
        (("reject", CASE, "--channel", "县法院"), "错误：缺少必填项 --reason（不予受理的理由）（"),
        (("assign", CASE, "--to", "沙河镇"), "错误：缺少必填项 --due（办结期限）（"),
        (("accept", CASE, "--bogus"), "错误：没有选项 --bogus（"),
        (("acept", CASE), "错误：没有这个命令：acept；是否想用 accept（"),
        (("bogus",), "错误：没有这个命令：bogus（"),
        (("note", CASE, "两条", "备注"), "错误：多余的参数：备注（含空格的内容请加引号）（"),
    ],
)
def test_mistyped_command_line(run, db_path, args, message):
    bring_to(run, None)
    stderr = refused(run, db_path, *args)
    assert stderr.startswith(message)
    if not message.endswith("\n"):
        assert stderr.endswith(USAGE)


# --- the hint must not offer the step just refused --------------------------------------


@pytest.mark.parametrize(
    ("setup", "args"),
    [
        ([("accept", CASE, "--on", "2026-11-03"), REPLY], ("publicize", CASE)),
        ([("accept", CASE, "--notified-on", "2026-11-03", "--on", "2026-11-03")], ("notify", CASE)),
    ],
    ids=["publicize-before-revisit", "second-notify"],
)
def test_refusal_does_not_offer_the_refused_step(run, db_path, setup, args):
    bring_to(run, None)
    for step in setup:
        run(*step)
    message = refused(run, db_path, *args)
    assert "下一步可以" in message
    assert args[0] not in offered(message)
