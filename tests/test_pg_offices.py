"""`xinfang office add/list` and `xinfang grant` on a county ledger, through the CLI: the
administrator sets up an empty database, offices and roles; each town's clerk then works
in its own lane. On a SQLite ledger the commands refuse (one office per file there)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("psycopg", reason="PostgreSQL tests skipped: pip install -e '.[postgres]'")

import psycopg

from tests.conftest import REGISTER, Run


def dsn_of(pg_cluster: Any, admin_dsn: str, role: str) -> str:
    dbname = admin_dsn.split("/")[3].split("?")[0]
    return str(pg_cluster.dsn(dbname, role))


@pytest.fixture
def roles() -> dict[str, str]:
    """Role names of this test (roles belong to the whole cluster)."""
    suffix = uuid.uuid4().hex[:8]
    return {kind: f"{kind}_{suffix}" for kind in ("county", "shahe", "shahe_li", "xinhua")}


def test_an_empty_database_becomes_a_county_with_two_towns(
    run: Run, pg_cluster: Any, pg_dsn: str, roles: dict[str, str]
) -> None:
    admin = ("--db", pg_dsn)
    out = run("office", "add", "临泽县信访局", "--role", roles["county"], "--county", *admin)
    assert out.stdout.startswith("已添加单位：临泽县信访局（") and "可查看各单位案件" in out.stdout
    run("office", "add", "沙河镇", "--role", roles["shahe"], *admin)
    shahe_id = "9f86d081884c7d659a2feaa0c55ad015"  # the town's SQLite identity, kept
    run("office", "add", "新华镇", "--role", roles["xinhua"], "--id", shahe_id, *admin)
    assert run("grant", roles["shahe_li"], "--office", "沙河镇", *admin).stdout.strip() == (
        f"已授权：角色 {roles['shahe_li']} → 沙河镇"
    )

    listed = json.loads(run("office", "list", "--json", *admin).stdout)
    assert [(o["name"], o["roles"], o["county"]) for o in listed] == [
        ("临泽县信访局", [roles["county"]], True),
        ("新华镇", [roles["xinhua"]], False),
        ("沙河镇", sorted([roles["shahe"], roles["shahe_li"]]), False),
    ]
    assert listed[1]["office_id"] == shahe_id
    text = run("office", "list", *admin).stdout
    assert "临泽县信访局（县级）" in text and roles["shahe_li"] in text

    # The second clerk of 沙河镇 registers; 新华镇's clerk registers its own 2026-0001.
    li = ("--db", dsn_of(pg_cluster, pg_dsn, roles["shahe_li"]))
    xinhua = ("--db", dsn_of(pg_cluster, pg_dsn, roles["xinhua"]))
    assert "2026-0001" in run(*REGISTER, *li).stdout
    other = [*REGISTER]
    other[other.index("张三")] = "李四"
    assert "2026-0001" in run(*other, *xinhua).stdout

    for clerk, own, foreign in ((li, "张三", "李四"), (xinhua, "李四", "张三")):
        cases = json.loads(run("list", "--json", *clerk).stdout)
        assert [case["name"] for case in cases] == [own]
        assert foreign not in run("list", *clerk).stdout  # the first page: paged, by index
    # 沙河镇's first clerk shares the office's lane with the second.
    shahe = ("--db", dsn_of(pg_cluster, pg_dsn, roles["shahe"]))
    assert [c["name"] for c in json.loads(run("list", "--json", *shahe).stdout)] == ["张三"]
    # A clerk's role reads the office names, not who signs in as what.
    names = json.loads(run("office", "list", "--json", *li).stdout)
    assert [(o["name"], o["roles"]) for o in names] == [
        ("临泽县信访局", []), ("新华镇", []), ("沙河镇", [])
    ]  # fmt: skip


def test_a_clerk_cannot_add_an_office_and_nothing_is_written(
    run: Run, pg_cluster: Any, pg_dsn: str, roles: dict[str, str]
) -> None:
    run("office", "add", "沙河镇", "--role", roles["shahe"], "--db", pg_dsn)
    clerk = dsn_of(pg_cluster, pg_dsn, roles["shahe"])
    out = run("office", "add", "新华镇", "--role", roles["xinhua"], "--db", clerk, expect=2)
    assert "需要县级台账数据库所有者（管理员）的连接" in out.stderr
    assert "Traceback" not in out.output
    with psycopg.connect(pg_dsn) as owner:
        assert owner.execute("SELECT name FROM offices").fetchall() == [("沙河镇",)]
        assert (
            owner.execute(
                "SELECT 1 FROM pg_roles WHERE rolname = %s", (roles["xinhua"],)
            ).fetchone()
            is None
        )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("office", "add", "沙河镇", "--role", "again"), "已有名为“沙河镇”的单位"),
        (("office", "add", "新华镇", "--role", "Bad-Name"), "不是可用的角色名"),
        (("office", "add", "新华镇", "--role", "x", "--id", "abc"), "32 位十六进制"),
        (("grant", "someone", "--office", "不存在镇"), "没有名为“不存在镇”的单位；已有：沙河镇"),
    ],
)
def test_mistakes_are_one_chinese_line(
    run: Run, pg_dsn: str, roles: dict[str, str], args: tuple[str, ...], says: str
) -> None:
    run("office", "add", "沙河镇", "--role", roles["shahe"], "--db", pg_dsn)
    out = run(*args, "--db", pg_dsn, expect=2)
    assert says in out.stderr and "Traceback" not in out.output
    with psycopg.connect(pg_dsn) as owner:
        assert owner.execute("SELECT count(*) FROM offices").fetchone() == (1,)
        assert owner.execute("SELECT count(*) FROM office_roles").fetchone() == (1,)


@pytest.mark.parametrize(
    "args",
    [
        ("office", "list"),
        ("office", "add", "沙河镇", "--role", "shahe"),
        ("grant", "a", "--office", "b"),
    ],
)
def test_a_sqlite_ledger_is_refused(run: Run, no_ledger: Path, args: tuple[str, ...]) -> None:
    out = run(*args, "--db", str(no_ledger), expect=2)
    assert out.stderr.strip() == (
        "错误：单位和角色只在县级 PostgreSQL 台账上设置（--db postgresql://…）；"
        "SQLite 台账一个文件就是一个单位，无需添加"
    )
    assert not no_ledger.exists()  # nothing created
