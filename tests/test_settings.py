"""The office's own settings: name, number prefixes, the lists the clerk picks from, the
handling units; and Chinese help with an example on every command."""

from __future__ import annotations

import json
import re

import pytest
import typer
from conftest import REGISTER

from xinfang.cli import app

DOCUMENT_SETTINGS = {
    "review_government": "临泽县人民政府",
    "review_department": "张掖市民政局",
    "templates_dir": "",
    "supervise_prefix": "临民督办字",
    "liaison_prefix": "临民联",
    "repeat_window_days": 180,
    "reception_place": "局接访室",
    "upper_office": "",
    "time_zone": "Asia/Shanghai",
    "count_basically_satisfied": "否",
}


def show(run, case_no: str = "2026-0001") -> dict:
    return json.loads(run("show", case_no, "--json").stdout)


def overview(run) -> dict:
    return json.loads(run("config", "show", "--json").stdout)


def test_init_sets_the_office_and_its_prefixes(run, no_ledger):
    db_path = no_ledger
    out = run(
        "init", "--unit-name", "沙河镇人民政府", "--prefix", "沙信", "--assign-prefix", "沙交"
    )
    assert out.stdout == f"已建立台账：{db_path}\n单位名称：沙河镇人民政府；案件编号前缀：沙信\n"
    assert run("init").stdout.startswith(f"已打开台账：{db_path}\n")
    assert run(*REGISTER).stdout == "已登记：2026-0001（沙信〔2026〕1号）\n"
    run("accept", "2026-0001", "--on", "2026-11-03")
    out = run("assign", "2026-0001", "--to", "沙河镇", "--due", "2026-12-01", "--on", "2026-11-04")
    assert out.stdout == "已交办：2026-0001 → 沙河镇，交办单 沙交〔2026〕1号\n"
    case = show(run, "沙信〔2026〕1号")
    assert (case["formal_no"], case["assign_no"]) == ("沙信〔2026〕1号", "沙交〔2026〕1号")
    assert overview(run)["settings"] == {
        "unit_name": "沙河镇人民政府",
        "case_prefix": "沙信",
        "assign_prefix": "沙交",
        "clerk": "",
        **DOCUMENT_SETTINGS,
    }


def test_config_set_by_label_or_key(run):
    assert (
        run("config", "set", "单位名称", "临泽县民政局").stdout == "已设置 单位名称：临泽县民政局\n"
    )
    run("config", "set", "case_prefix", "临信")
    run("config", "set", "经办人", "李四")
    assert overview(run)["settings"] == {
        "unit_name": "临泽县民政局",
        "case_prefix": "临信",
        "assign_prefix": "临民交",
        "clerk": "李四",
        **DOCUMENT_SETTINGS,
    }
    assert run(*REGISTER).stdout == "已登记：2026-0001（临信〔2026〕1号）\n"


def test_clerk_from_settings_is_the_actor_when_no_user_is_given(run, monkeypatch):
    run("config", "set", "经办人", "李四")
    monkeypatch.delenv("XINFANG_USER")
    run(*REGISTER)
    assert show(run)["events"][0]["actor"] == "李四"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("set", "电话", "123"), "设置项：没有“电话”这一项；可选：单位名称（unit_name）"),
        (("set", "单位名称", "  "), "单位名称：必填，不能为空"),
        (("add", "颜色", "红"), "列表：没有“颜色”这一项；可选：信访来源（source）"),
        (("remove", "问题类型", "高龄津贴"), "问题类型：列表中没有“高龄津贴”"),
        (("remove", "信访来源", "上级交办"), "“上级交办”是信访来源中程序依赖的值，不能删除。"),
        (("remove", "满意度", "不满意"), "“不满意”是满意度中程序依赖的值，不能删除。"),
        (("unit", "外县民政局", "--remove"), "承办单位：名单中没有“外县民政局”"),
    ],
)
def test_config_refusals(run, args, message):
    before = overview(run)
    out = run("config", *args, expect=2)
    assert out.stderr.startswith("错误：")
    assert message in out.stderr
    assert overview(run) == before


def test_added_category_can_be_used_then_removed(run):
    out = run("config", "add", "问题类型", "高龄津贴", "孤儿基本生活费")
    assert out.stdout.strip().endswith("区划地名、其他、高龄津贴、孤儿基本生活费")
    run(*REGISTER[:-4], "--category", "高龄津贴", *REGISTER[-2:])
    assert show(run)["category"] == "高龄津贴"

    run("config", "add", "问题类型", "高龄津贴")  # adding twice keeps one
    assert overview(run)["lists"]["category"].count("高龄津贴") == 1

    out = run("config", "remove", "问题类型", "高龄津贴")
    assert "高龄津贴" not in out.stdout
    assert "高龄津贴" not in overview(run)["lists"]["category"]
    refused = run(*REGISTER[:-4], "--category", "高龄津贴", *REGISTER[-2:], expect=2)
    assert "问题类型：“高龄津贴”不在列表中" in refused.stderr
    assert show(run)["category"] == "高龄津贴"  # the registered case keeps its value


def test_required_choices_stay(run):
    run("config", "remove", "信访来源", "上级交办", expect=2)
    assert "上级交办" in overview(run)["lists"]["source"]
    run("config", "remove", "信访来源", "网络舆情")
    assert overview(run)["lists"]["source"] == ["本级", "上级交办", "部门转办", "领导接访", "12345热线"]  # fmt: skip


def test_new_unit_with_liaison_can_be_assigned(run):
    out = run("config", "unit", "县残联", "--liaison", "王五", "--phone", "0936-5521234")
    assert out.stdout == "承办单位：县残联（联络员 王五，0936-5521234）\n"
    assert overview(run)["units"][-1] == {"name": "县残联", "liaison": "王五", "phone": "0936-5521234"}  # fmt: skip
    run(*REGISTER)
    run("accept", "2026-0001", "--on", "2026-11-03")
    run("assign", "2026-0001", "--to", "县残联", "--due", "2026-12-01", "--on", "2026-11-04")
    assert show(run)["unit"] == "县残联"
    assert json.loads(run("list", "--unit", "县残联", "--json").stdout)[0]["case_no"] == "2026-0001"
    refused = run("config", "unit", "县残联", "--remove", expect=2)
    assert refused.stderr == "错误：承办单位“县残联”已有交办案件，不能删除。\n"


def test_unit_liaison_updated_and_unused_unit_removed(run):
    run("config", "unit", "县残联", "--liaison", "王五")
    run("config", "unit", "县残联", "--phone", "13812345678")
    units = {unit["name"]: unit for unit in overview(run)["units"]}
    assert units["县残联"] == {"name": "县残联", "liaison": "王五", "phone": "13812345678"}
    assert run("config", "unit", "县残联", "--remove").stdout == "已删除承办单位：县残联\n"
    assert "县残联" not in [unit["name"] for unit in overview(run)["units"]]


def test_unit_phone_refusal_gives_advice_that_works(run):
    out = run("config", "unit", "县残联", "--phone", "123", expect=2)
    assert "123" in out.stderr
    if "--force" in out.stderr:
        run("config", "unit", "县残联", "--phone", "123", "--force")


def test_config_without_subcommand_shows_everything(run):
    out = run("config").stdout
    assert "单位名称（unit_name）：临泽县民政局" in out
    assert "满意度（satisfaction）：非常满意、满意、基本满意、一般、不满意" in out
    assert "  社会事务股" in out


# --- help ---------------------------------------------------------------------------------


def walk(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():  # a click Group
        yield from walk(sub, (*path, name))


COMMANDS = list(walk(typer.main.get_command(app)))
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_the_walk_sees_every_command():
    paths = {" ".join(path) for path, _ in COMMANDS}
    expected = {
        "", "register", "accept", "reject", "transfer", "notify", "assign", "unit-accept",
        "unit-report", "reply", "revisit", "publicize", "close", "archive", "note", "correct",
        "show", "list", "search", "init", "config", "config show", "config set", "config add",
        "config remove", "config unit",
    }  # fmt: skip
    assert expected <= paths


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(path) or "xinfang" for path, _ in COMMANDS]
)
def test_help_in_chinese_with_an_example(run, path, command):
    assert command.help
    assert CJK.search(command.help)
    assert "例" in command.help
    out = run(*path, "--help")
    assert out.exit_code == 0
    assert "例" in out.stdout
    assert "显示本帮助并退出" in out.stdout


# The parameters are inputs, formats or widths of one code path: their variants run on SQLite,
# and each test's first on PostgreSQL too (conftest.pytest_collection_modifyitems).
pytestmark = pytest.mark.variants_on_sqlite
