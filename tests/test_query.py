"""Finding cases again: `list` with its filters and `search` over names, content, addresses
and notes. The --json output is what scripts read, so its keys are checked too."""

from __future__ import annotations

import json

import pytest

BASE = ("register", "--receiver", "王芳")


@pytest.fixture
def ledger(run) -> None:
    """Five cases across two months, sources, categories, towns, units and states.

    2026-0001 张三 本级 最低生活保障 沙河镇, 10-31 16:00, registered
    2026-0002 李四 上级交办 养老服务 新华镇, 11-01 08:00, assigned to 养老服务股
    2026-0003 王五 12345热线 殡葬管理 沙河镇, 11-20 23:59, accepted, with a note
    2026-0004 赵六 本级 最低生活保障 蓼泉镇, 11-21, rejected
    2026-0005 (匿名) 网络舆情 临时救助 沙河镇, 11-22, assigned to 沙河镇
    """
    cases = [
        ("--name", "张三", "--source", "本级", "--form", "来访", "--category", "最低生活保障",
         "--town", "沙河镇", "--address", "沙河镇西关村三社", "--on", "2026-10-31 16:00",
         "--content", "反映低保评定不公，家中两位老人无收入"),
        ("--name", "李四", "--source", "上级交办", "--upper-ref", "市信转〔2026〕5号",
         "--form", "来信", "--category", "养老服务", "--town", "新华镇",
         "--on", "2026-11-01 08:00", "--content", "敬老院伙食差，冬季供暖不足"),
        ("--name", "王五", "--source", "12345热线", "--form", "来电", "--category", "殡葬管理",
         "--town", "沙河镇", "--on", "2026-11-20 23:59", "--content", "公墓收费过高"),
        ("--name", "赵六", "--source", "本级", "--form", "来访", "--category", "最低生活保障",
         "--town", "蓼泉镇", "--on", "2026-11-21", "--content", "工资被拖欠要求民政局解决"),
        ("--anonymous", "--source", "网络舆情", "--form", "网上信访", "--category", "临时救助",
         "--town", "沙河镇", "--on", "2026-11-22", "--content", "网帖称临时救助金被截留"),
    ]  # fmt: skip
    for number, options in enumerate(cases, 1):
        assert run(*BASE, *options).stdout.startswith(f"已登记：2026-000{number}")
    run("accept", "2026-0002", "--on", "2026-11-02")
    run("assign", "2026-0002", "--to", "养老服务股", "--due", "2026-12-01", "--on", "2026-11-03")
    run("accept", "2026-0003", "--on", "2026-11-21")
    run("note", "2026-0003", "信访人情绪激动，要求领导接待", "--on", "2026-11-21")
    run("reject", "2026-0004", "--reason", "属劳动争议", "--channel", "劳动仲裁", "--on", "2026-11-21")  # fmt: skip
    run("accept", "2026-0005", "--on", "2026-11-22")
    run("assign", "2026-0005", "--to", "沙河镇", "--due", "2026-11-30", "--on", "2026-11-23")


def numbers(run, *args: str) -> list[str]:
    return [case["case_no"] for case in json.loads(run(*args, "--json").stdout)]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ((), ["0001", "0002", "0003", "0004", "0005"]),
        (("--status", "已受理"), ["0003"]),
        (("--status", "accepted"), ["0003"]),
        (("--status", "已受理（办理中）"), ["0003"]),
        (("--status", "已交办"), ["0002", "0005"]),
        (("--status", "不予受理"), ["0004"]),
        (("--status", "已登记"), ["0001"]),
        (("--status", "在办"), ["0001", "0002", "0003", "0005"]),
        (("--status", "open"), ["0001", "0002", "0003", "0005"]),
        (("--status", "已归档"), []),
        (("--month", "2026-11"), ["0002", "0003", "0004", "0005"]),
        (("--month", "2026年10月"), ["0001"]),
        (("--month", "2026-12"), []),
        (("--from", "2026-11-01", "--to", "2026-11-20"), ["0002", "0003"]),
        (("--from", "2026-10-31", "--to", "2026-10-31"), ["0001"]),
        (("--from", "2026-11-21"), ["0004", "0005"]),
        (("--to", "2026-11-01"), ["0001", "0002"]),
        (("--source", "本级"), ["0001", "0004"]),
        (("--source", "12345热线"), ["0003"]),
        (("--form", "来电"), ["0003"]),
        (("--category", "最低生活保障"), ["0001", "0004"]),
        (("--town", "沙河镇"), ["0001", "0003", "0005"]),
        (("--unit", "养老服务股"), ["0002"]),
        (("--unit", "沙河镇"), ["0005"]),
        (("--text", "供暖"), ["0002"]),
        (("--text", "临时救助金"), ["0005"]),
        (("--town", "沙河镇", "--status", "在办"), ["0001", "0003", "0005"]),
        (("--month", "2026-11", "--category", "最低生活保障"), ["0004"]),
        (("--town", "沙河镇", "--text", "低保"), ["0001"]),
        (("--limit", "2"), ["0001", "0002"]),
        (("--status", "在办", "--limit", "3"), ["0001", "0002", "0003"]),
    ],
)
def test_list_filters(run, ledger, filters, expected):
    assert numbers(run, "list", *filters) == [f"2026-{n}" for n in expected]


@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        ("公墓收费", ["0003"]),  # 3+ characters: the trigram index
        ("两位老人无收入", ["0001"]),
        ("低保", ["0001"]),  # 2 characters: scanned
        ("救助", ["0005"]),
        ("赵六", ["0004"]),  # a name
        ("西关村", ["0001"]),  # an address
        ("领导接待", ["0003"]),  # a note
        ("激动", ["0003"]),
        ("沙河镇西关", ["0001"]),
        ("不存在的事", []),
        ("无", ["0001"]),
    ],
)
def test_search(run, ledger, needle, expected):
    assert numbers(run, "search", needle) == [f"2026-{n}" for n in expected]


@pytest.mark.parametrize("needle", ["不", "要求"])
def test_search_puts_the_latest_petitions_first(run, ledger, needle):
    found = numbers(run, "search", needle)
    assert len(found) > 1 and found == sorted(found, reverse=True)
    assert numbers(run, "list", "--text", needle) == sorted(found)


def test_search_says_when_the_limit_cut_the_list(run, ledger):
    out = run("search", "不", "--limit", "1", "--json")
    assert [case["case_no"] for case in json.loads(out.stdout)] == ["2026-0002"]
    assert "多于 1 件，只列出最新的 1 件" in out.stderr
    assert run("search", "不", "--limit", "2").stderr == ""


def test_search_human_output(run, ledger):
    out = run("search", "公墓收费").stdout
    assert "2026-0003" in out
    assert "共 1 件" in out
    assert run("search", "不存在的事").stdout == "没有符合条件的案件。\n"


def test_json_keys_are_stable(run, ledger):
    [case] = json.loads(run("list", "--unit", "养老服务股", "--json").stdout)
    assert list(case)[:6] == ["case_no", "formal_no", "status", "status_label", "assign_no", "round"]  # fmt: skip
    expected = {
        "case_no": "2026-0002",
        "formal_no": "临民信〔2026〕2号",
        "status": "assigned",
        "status_label": "已交办（待承办单位受理）",
        "assign_no": "临民交〔2026〕1号",
        "round": 1,
        "name": "李四",
        "anonymous": False,
        "received_at": "2026-11-01 08:00:00",
        "source": "上级交办",
        "upper_ref": "市信转〔2026〕5号",
        "form": "来信",
        "content": "敬老院伙食差，冬季供暖不足",
        "category": "养老服务",
        "township": "新华镇",
        "unit": "养老服务股",
        "assign_due": "2026-12-01",
    }
    assert {key: case[key] for key in expected} == expected
    assert not {"id", "year", "seq", "events"} & set(case)
    shown = json.loads(run("show", "2026-0002", "--json").stdout)
    assert {key: shown[key] for key in case} == case
    assert list(shown)[-2:] == ["events", "deadlines"]
    [found] = json.loads(run("search", "供暖", "--json").stdout)
    assert found == case


def test_anonymous_case_in_the_list(run, ledger):
    [case] = json.loads(run("list", "--source", "网络舆情", "--json").stdout)
    assert (case["case_no"], case["name"], case["anonymous"]) == ("2026-0005", None, True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--status", "办完了"), "状态：没有“办完了”这种状态；可选：已登记、已受理"),
        (("--month", "2026-13"), "月份：无法识别“2026-13”"),
        (("--month", "2026-11", "--from", "2026-11-01"), "月份：--month 不能与 --from/--to 同时使用"),
        (("--from", "2026-11-20", "--to", "2026-11-01"), "截止日期：不能早于起始日期"),
        (("--from", "上个月"), "起始日期：无法识别“上个月”"),
        (("--limit", "0"), "最多列出：0 超出范围"),
        (("--limit", "十"), "最多列出：“十”不是整数"),
    ],
)  # fmt: skip
def test_bad_filters_refused(run, ledger, args, message):
    out = run("list", *args, "--json", expect=2)
    assert out.stdout == ""
    assert out.stderr.startswith("错误：")
    assert message in out.stderr


def test_empty_search_is_refused(run, ledger):
    out = run("search", "", "--json", expect=2)
    assert "检索词：必填，不能为空" in out.stderr


def test_blank_search_is_refused(run, ledger):
    out = run("search", "   ", "--json", expect=2)
    assert out.stderr == "错误：检索词：必填，不能为空\n"


def test_empty_ledger_lists_nothing(run):
    assert numbers(run, "list") == []
    assert run("list").stdout == "没有符合条件的案件。\n"
