"""Case numbers on the county ledger: every town numbers its own cases (each has its
2026-0001), and the county's role sees them all. A town's clerk types and reads bare numbers
as ever; the county's reads `沙河镇/2026-0001` for a town's case, may type it, and a bare
number that could mean several cases is refused with them named, never guessed."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

pytest.importorskip("psycopg", reason="PostgreSQL tests skipped: pip install -e '.[postgres]'")

from typer.testing import CliRunner

from tests.conftest import REGISTER, Result, Run
from tests.pg import County
from xinfang.cli.root import app

Clerk = Callable[..., Result]


@pytest.fixture
def clerk(county: County, monkeypatch: pytest.MonkeyPatch) -> Clerk:
    """clerk("a", "show", "2026-0001") -> Result: the CLI under that office's role."""
    runner = CliRunner()

    def invoke(who: str, *args: str, expect: int | None = 0) -> Result:
        monkeypatch.setenv("XINFANG_DB", county.dsn[who])
        result = runner.invoke(app, list(args))
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        out = Result(result.exit_code, result.stdout, result.stderr)
        if expect is not None:
            assert out.exit_code == expect, (who, args, out.output)
        return out

    return invoke


def register(clerk: Clerk, who: str, name: str, content: str) -> str:
    args = [*REGISTER]
    args[args.index("张三")] = name
    args[args.index("反映低保评定不公，家中两位老人无收入")] = content
    return clerk(who, *args).stdout.split("：")[1].split("（")[0]


@pytest.fixture
def both_towns(clerk: Clerk) -> None:
    """Each town's 2026-0001 (and 沙河镇's 2026-0002); the county has none of its own yet."""
    assert register(clerk, "a", "张三", "沙河镇低保评定不公") == "2026-0001"
    assert register(clerk, "b", "李四", "新华镇道路破损") == "2026-0001"
    assert register(clerk, "a", "王五", "沙河镇噪音扰民") == "2026-0002"


def shown(clerk: Clerk, who: str, ref: str) -> dict:
    return json.loads(clerk(who, "show", ref, "--json").stdout)


def test_a_town_clerk_sees_and_types_bare_numbers(clerk: Clerk, both_towns: None) -> None:
    listed = json.loads(clerk("a", "list", "--json").stdout)
    assert [case["case_no"] for case in listed] == ["2026-0001", "2026-0002"]
    assert shown(clerk, "a", "2026-0001")["name"] == "张三"
    assert shown(clerk, "b", "2026-0001")["name"] == "李四"
    assert "沙河镇/" not in clerk("a", "list").stdout
    # Its own office written out works too; another's case is not there for it.
    assert shown(clerk, "a", "沙河/2026-0002")["name"] == "王五"
    assert "新华镇/2026-0001" in clerk("a", "show", "新华镇/2026-0001", expect=2).output


def test_the_county_reads_town_numbers_qualified(clerk: Clerk, both_towns: None) -> None:
    listed = json.loads(clerk("county", "list", "--json").stdout)
    assert sorted(case["case_no"] for case in listed) == [
        "新华镇/2026-0001", "沙河镇/2026-0001", "沙河镇/2026-0002",
    ]  # fmt: skip
    assert "沙河镇/2026-0002" in clerk("county", "list").stdout
    case = shown(clerk, "county", "新华/2026-0001")
    assert (case["case_no"], case["name"]) == ("新华镇/2026-0001", "李四")
    assert "新华镇/2026-0001" in clerk("county", "show", "新华镇/2026-0001").stdout
    # The only 2026-0002 needs no office; 2026-0001 is two offices' and is refused.
    assert shown(clerk, "county", "2026-0002")["name"] == "王五"
    refused = clerk("county", "show", "2026-0001", expect=2)
    assert "2026-0001 有 2 件：新华镇/2026-0001、沙河镇/2026-0001；请写明单位" in refused.output
    clerk(
        "county",
        "supervise",
        "2026-0001",
        "--to",
        "沙河镇",
        "--due",
        "2026-11-30",
        "--reason",
        "x",
        expect=2,
    )
    clerk("county", "show", "某某乡/2026-0001", expect=2)
    overdue = json.loads(clerk("county", "overdue", "--json", "--within", "30", expect=None).stdout)
    numbers = {item["case_no"] for item in overdue["overdue"] + overdue["due_soon"]}
    assert numbers == {"新华镇/2026-0001", "沙河镇/2026-0001", "沙河镇/2026-0002"}
    today = clerk("county", "today").stdout
    assert "沙河镇/2026-0001" in today and "新华镇/2026-0001" in today


def test_the_county_finds_town_cases_qualified(clerk: Clerk, both_towns: None) -> None:
    out = clerk("county", "search", "道路破损", "--json")
    found = json.loads(out.stdout)
    assert [case["case_no"] for case in found] == ["新华镇/2026-0001"]


def test_the_countys_own_case_keeps_its_bare_number(clerk: Clerk, both_towns: None) -> None:
    assert register(clerk, "county", "赵六", "县里的来信") == "2026-0001"
    assert shown(clerk, "county", "2026-0001")["name"] == "赵六"  # its own first
    listed = json.loads(clerk("county", "list", "--json").stdout)
    assert "2026-0001" in [case["case_no"] for case in listed]
    assert shown(clerk, "county", "沙河镇/2026-0001")["name"] == "张三"


def test_the_countys_supervision_is_in_the_towns_lane(clerk: Clerk, both_towns: None) -> None:
    clerk("county", "accept", "沙河镇/2026-0001", "--on", "2026-11-03")
    clerk(
        "county",
        "supervise",
        "沙河镇/2026-0001",
        "--to",
        "沙河镇",
        "--due",
        "2026-11-30",
        "--reason",
        "群众反映强烈",
    )
    actions = [event["action"] for event in shown(clerk, "a", "2026-0001")["events"]]
    assert "supervise" in actions
    assert "督办" in clerk("a", "show", "2026-0001").stdout
    other = [event["action"] for event in shown(clerk, "b", "2026-0001")["events"]]
    assert other == ["register"]
    assert "督办" not in clerk("b", "show", "2026-0001").stdout


@pytest.mark.sqlite_only("a SQLite ledger is one office: a number naming one is refused")
def test_sqlite_refuses_an_office_in_a_number(run: Run, registered: str) -> None:
    refused = run("show", "沙河镇/2026-0001", expect=2)
    assert "2026-0001" in refused.output and "单位" in refused.output
    assert "Traceback" not in refused.output


def test_the_countys_repeat_hint_names_the_towns_case(clerk: Clerk, both_towns: None) -> None:
    """The county sees the towns' earlier petitions of the same person or matter: each named
    with its town, so the clerk can find it (a bare 2026-0001 would be ambiguous)."""
    args = [*REGISTER, "--new-matter"]
    args[args.index("反映低保评定不公，家中两位老人无收入")] = "新华镇道路破损"
    args[args.index("张三")] = "李四"
    out = clerk("county", *args).stdout
    assert "新华镇/2026-0001（已登记（待受理））：同一联系电话、内容相似" in out
    assert "沙河镇/2026-0001（" in out  # the same phone: named with its town too
    town = clerk("b", *args).stdout  # the town itself: its own case, bare
    assert "  2026-0001（已登记（待受理））" in town and "/" not in town.split("已登记：")[0]
