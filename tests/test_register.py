"""登记: every field from the forms, the yearly numbers, the dates clerks type, the checks
that stop a bad entry, and the questions asked when the clerk types `register -i`."""

from __future__ import annotations

import json

import pytest
from conftest import REGISTER, show


def without(*options: str) -> list[str]:
    """REGISTER minus some options and their values."""
    args, skip = [], False
    for item in REGISTER:
        if skip:
            skip = False
        elif item in options:
            skip = True
        else:
            args.append(item)
    return args


def cases_in(sql) -> int:
    return sql("SELECT count(*) FROM cases")[0][0]


FULL = (
    "register", "--name", "张三", "--persons", "6", "--phone", "0936-5521234",
    "--id-number", "11010519491231002x", "--address", "沙河镇西关村三社12号",
    "--source", "上级交办", "--upper-ref", "张信转〔2026〕88号", "--form", "来信",
    "--content", "六户村民联名反映低保评定不公开", "--category", "最低生活保障",
    "--kind", "申诉求决类", "--town", "沙河镇", "--receiver", "王芳",
    "--opinion", "建议受理，交沙河镇核查", "--on", "2026年11月2日 14:30", "--by", "李四",
)  # fmt: skip


def test_register_with_every_field(run):
    assert run(*FULL).stdout == "已登记：2026-0001（临民信〔2026〕1号）\n"
    case = show(run, "2026-0001")
    expected = {
        "case_no": "2026-0001",
        "formal_no": "临民信〔2026〕1号",
        "status": "registered",
        "status_label": "已登记（待受理）",
        "round": 1,
        "name": "张三",
        "persons": 6,
        "phone": "0936-5521234",
        "id_number": "11010519491231002X",
        "address": "沙河镇西关村三社12号",
        "anonymous": False,
        "received_at": "2026-11-02 14:30:00",
        "source": "上级交办",
        "upper_ref": "张信转〔2026〕88号",
        "form": "来信",
        "content": "六户村民联名反映低保评定不公开",
        "category": "最低生活保障",
        "kind": "申诉求决类",
        "township": "沙河镇",
        "receiver": "王芳",
        "receiver_opinion": "建议受理，交沙河镇核查",
        "assign_no": None,
        "decided_on": None,
    }
    assert {key: case[key] for key in expected} == expected
    [event] = case["events"]
    assert (event["action"], event["actor"], event["occurred_at"]) == (
        "register",
        "李四",
        "2026-11-02 14:30:00",
    )
    assert event["data"]["id_number"] == "11010519491231002X"
    assert event["data"]["persons"] == 6


def test_register_json_prints_the_new_case(run):
    case = json.loads(run(*REGISTER, "--json").stdout)
    assert (case["case_no"], case["formal_no"], case["status"]) == (
        "2026-0001",
        "临民信〔2026〕1号",
        "registered",
    )
    assert (case["name"], case["phone"], case["received_at"]) == (
        "张三",
        "13812345678",
        "2026-11-02 09:30:00",
    )
    assert [e["action"] for e in case["events"]] == ["register"]


def test_numbers_run_per_year(run):
    # The same petition again is also found as a repeat; the first line is the number.
    lines = [
        run(*REGISTER).stdout.splitlines(keepends=True)[0],
        run(*REGISTER[:-1], "2025-12-30").stdout.splitlines(keepends=True)[0],
        run(*REGISTER[:-1], "2026-11-20").stdout.splitlines(keepends=True)[0],
        run(*REGISTER[:-1], "2025-12-31 17:00").stdout.splitlines(keepends=True)[0],
    ]
    assert lines == [
        "已登记：2026-0001（临民信〔2026〕1号）\n",
        "已登记：2025-0001（临民信〔2025〕1号）\n",
        "已登记：2026-0002（临民信〔2026〕2号）\n",
        "已登记：2025-0002（临民信〔2025〕2号）\n",
    ]
    assert show(run, "2025-0002")["received_at"] == "2025-12-31 17:00:00"


def test_register_without_on_is_received_now(run):
    run(*REGISTER[:-2])
    assert show(run, "2026-0001")["received_at"] == "2026-11-23 10:00:00"


@pytest.mark.parametrize("number", ["2026-0001", "2026-1", "临民信〔2026〕1号", "临民信[2026]1号"])
def test_show_finds_the_case_by_either_number(run, registered, number):
    case = show(run, number)
    assert (case["case_no"], case["name"]) == ("2026-0001", "张三")


@pytest.mark.parametrize(
    "typed", ["2026年11月2日", "2026/11/02", "2026.11.2", "2026-11-2", "20261102"]
)
def test_dates_as_clerks_write_them(run, typed):
    run(*REGISTER[:-1], typed)
    assert show(run, "2026-0001")["received_at"] == "2026-11-02"


# --- checks -----------------------------------------------------------------------------


def test_bad_phone_refused_unless_forced(run, sql):
    args = [*without("--phone"), "--phone", "12345"]
    out = run(*args, expect=2)
    assert out.stderr.startswith("错误：联系电话：所填号码（5 位）不是有效的手机号")
    assert "12345" not in out.stderr  # no personal data in error messages
    assert "--confirm-unusual" in out.stderr
    assert cases_in(sql) == 0
    run(*args, "--confirm-unusual")
    assert show(run, "2026-0001")["phone"] == "12345"


def test_id_number_with_wrong_check_digit(run, sql):
    out = run(*REGISTER, "--id-number", "110105194912310021", expect=2)
    assert out.stderr == (
        "错误：身份证号码：校验位应为 X，实际为 1；请核对号码，如确认无误请加 --confirm-unusual\n"
    )
    assert cases_in(sql) == 0


@pytest.mark.parametrize(
    ("missing", "label"),
    [("--content", "反映问题"), ("--source", "信访来源"), ("--form", "信访形式")],
)
def test_required_field_missing(run, sql, missing, label):
    out = run(*without(missing), expect=2)
    assert out.stderr == f"错误：必填项：缺少 {label}\n"
    assert cases_in(sql) == 0


def test_name_required_unless_anonymous(run):
    out = run(*without("--name", "--phone"), expect=2)
    assert out.stderr == "错误：必填项：缺少 信访人姓名（匿名信访请加 --anonymous）\n"
    run(*without("--name", "--phone"), "--anonymous")
    case = show(run, "2026-0001")
    assert (case["name"], case["anonymous"]) == (None, True)


def test_upper_source_needs_the_upper_case_number(run, sql):
    args = [*without("--source"), "--source", "上级交办"]
    out = run(*args, expect=2)
    assert out.stderr == "错误：上级信访件编号：信访来源为“上级交办”时必须填写上级的信访件编号\n"
    assert cases_in(sql) == 0
    run(*args, "--upper-ref", "市信转〔2026〕5号")
    assert show(run, "2026-0001")["upper_ref"] == "市信转〔2026〕5号"


@pytest.mark.parametrize(
    ("option", "value", "label", "allowed"),
    [
        ("--category", "高龄津贴", "问题类型", "最低生活保障、特困人员救助供养、临时救助、养老服务、残疾人两项补贴、儿童福利、殡葬管理、婚姻登记、社会组织、区划地名、其他"),
        ("--source", "乡里转来", "信访来源", "本级、上级交办、部门转办、领导接访、12345热线、网络舆情"),
        ("--form", "微信", "信访形式", "来信、来访、来电、网上信访、信访代办"),
        ("--town", "北京市", "属地", "沙河镇、新华镇、蓼泉镇、平川镇、板桥镇、鸭暖镇、倪家营镇"),
        ("--kind", "投诉类", "事项类别", "建议意见类、检举控告类、申诉求决类"),
    ],
)  # fmt: skip
def test_value_not_in_the_list(run, sql, option, value, label, allowed):
    out = run(*without(option), option, value, expect=2)
    assert out.stderr.startswith(f"错误：{label}：“{value}”不在列表中；可选：{allowed}（")
    assert cases_in(sql) == 0


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--persons", "0", "人数：0 超出范围"),
        ("--persons", "六", "人数：“六”不是整数"),
        ("--on", "2026-02-30", "信访时间：无法识别“2026-02-30”"),
        ("--on", "2026-11-32", "信访时间：无法识别“2026-11-32”"),
    ],
)
def test_malformed_values(run, sql, option, value, message):
    out = run(*without(option), option, value, expect=2)
    assert message in out.stderr
    assert cases_in(sql) == 0


# --- register -i: the clerk answers questions --------------------------------------------

# The questions in order: 匿名？, 姓名, 性别, 年龄, 人数, 电话, 身份证, 地址, 信访时间, 来源 (a
# number picks from the list), [上级信访件编号], 形式, 反映问题, 问题类型, 事项类别, 属地, 接访人,
# 接访人意见.
ANSWERS = [
    "n", "张三", "2", "45", "2", "13812345678", "", "沙河镇西关村", "2026-11-02 09:30", "1", "2",
    "反映低保评定不公", "1", "", "1", "王芳", "",
]  # fmt: skip


def interview(run, answers: list[str], expect: int = 0):
    # The last question, 反映人身份 (人大代表/政协委员/…), is left empty; Enter confirms.
    return run("register", "-i", input="\n".join([*answers, "", ""]) + "\n", expect=expect)


def times_asked(stdout: str, label: str) -> int:
    """Prompts start a line; the messages about a bad answer are indented."""
    return sum(line.startswith(label) for line in stdout.splitlines())


def test_interactive_register(run):
    out = interview(run, ANSWERS)
    assert out.stdout.endswith("已登记：2026-0001（临民信〔2026〕1号）\n")
    case = show(run, "2026-0001")
    expected = {
        "name": "张三",
        "sex": "女",
        "age": 45,
        "persons": 2,
        "phone": "13812345678",
        "id_number": None,
        "address": "沙河镇西关村",
        "anonymous": False,
        "received_at": "2026-11-02 09:30:00",
        "source": "本级",
        "upper_ref": None,
        "form": "来访",
        "content": "反映低保评定不公",
        "category": "最低生活保障",
        "kind": None,
        "township": "沙河镇",
        "receiver": "王芳",
        "receiver_opinion": None,
    }
    assert {key: case[key] for key in expected} == expected


def test_interactive_asks_again_after_a_bad_answer(run):
    answers = [*ANSWERS[:5], "12345", "n", *ANSWERS[5:]]  # not kept as an unusual number
    out = interview(run, answers)
    assert "联系电话：所填号码（5 位）不是有效的手机号" in out.stdout
    assert times_asked(out.stdout, "联系电话") == 2
    assert show(run, "2026-0001")["phone"] == "13812345678"


def test_interactive_anonymous_upper_case(run):
    # Anonymous: no name, phone, ID or address questions; 上级交办 asks for its number.
    answers = [
        "y", "", "2026年11月3日", "2", "市信转〔2026〕5号", "网上信访", "匿名反映敬老院伙食差",
        "养老服务", "1", "", "", "",
    ]  # fmt: skip
    out = interview(run, answers)
    assert "信访人姓名" not in out.stdout
    assert "上级信访件编号" in out.stdout
    case = show(run, "2026-0001")
    assert (case["anonymous"], case["name"], case["phone"]) == (True, None, None)
    assert (case["source"], case["upper_ref"], case["form"]) == ("上级交办", "市信转〔2026〕5号", "网上信访")  # fmt: skip
    assert (case["received_at"], case["category"], case["kind"]) == ("2026-11-03", "养老服务", "建议意见类")  # fmt: skip


def test_interactive_required_answer_cannot_be_skipped(run):
    answers = [*ANSWERS[:11], "", *ANSWERS[11:]]  # an empty 反映问题 first
    out = interview(run, answers)
    assert "反映问题必填。" in out.stdout
    assert show(run, "2026-0001")["content"] == "反映低保评定不公"


def test_interactive_future_time_is_asked_again(run):
    answers = [*ANSWERS[:8], "2026-12-01", *ANSWERS[8:]]
    out = interview(run, answers)
    assert times_asked(out.stdout, "信访时间") == 2
    assert show(run, "2026-0001")["received_at"] == "2026-11-02 09:30:00"


ONLINE = ("register", "--name", "王某", "--source", "网络舆情", "--form", "网上信访", "--content", "x")  # fmt: skip


@pytest.mark.parametrize(
    ("posted", "received", "accepted"),
    [
        ("2026-11-20", "2026-11-20 09:00", True),  # a day without a time is the whole day
        ("2026-11-20 08:59", "2026-11-20 09:00", True),
        ("2026-11-20 09:01", "2026-11-20 09:00", False),
        ("2026-11-21", "2026-11-20", False),
    ],
)
def test_a_post_cannot_be_later_than_the_petition_it_became(run, posted, received, accepted):
    out = run(*ONLINE, "--posted-at", posted, "--on", received, expect=0 if accepted else 2)
    assert accepted or "发帖时间" in out.stderr


def test_the_received_time_may_be_corrected_only_to_before_the_next_step(run, registered):
    run("accept", registered, "--on", "2026-11-05")
    out = run("correct", registered, "--field", "信访时间", "--value", "2026-11-06", expect=2)
    assert "晚于本案已记录的“受理”（2026-11-05" in out.stderr
    run("correct", registered, "--field", "信访时间", "--value", "2026-11-04")
    assert show(run, registered)["received_at"] == "2026-11-04"


@pytest.mark.parametrize("value", ["9999-01-01", "1899-12-31", "0001-01-01"])
def test_a_year_outside_1900_to_2100_is_a_slip(run, value):
    out = run("list", "--from", value, expect=2)
    assert "年超出范围；只能是 1900 到 2100 年" in out.stderr


def test_show_json_is_the_same_on_either_store(run, registered):
    """The county's rows carry their office (the lane); a case's JSON, its history
    included, does not: a script reads the same keys from a town's file and the county."""
    shown = run("show", registered, "--json").stdout
    assert "office_id" not in shown
    assert set(json.loads(shown)["events"][0]) == {
        "id", "action", "occurred_at", "recorded_at", "actor", "round", "status_after",
        "data", "no", "voided", "voided_by",
    }  # fmt: skip
