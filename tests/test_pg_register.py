"""`xinfang register` and `show` on the county ledger: each town's clerk, pointed at it with
XINFANG_DB=postgresql://…, registers and reads exactly as on a SQLite file, in its lane."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("psycopg", reason="PostgreSQL tests skipped: pip install -e '.[postgres]'")

import psycopg

from tests.conftest import REGISTER, Run
from tests.pg import A, B, County
from xinfang.store.pg_ledger import COMPAT, to_postgres


def as_clerk(monkeypatch: pytest.MonkeyPatch, county: County, who: str) -> None:
    monkeypatch.setenv("XINFANG_DB", county.dsn[who])


def test_each_town_registers_and_shows_its_own(
    run: Run, county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_clerk(monkeypatch, county, "a")
    out = run(*REGISTER)
    assert out.stdout.strip() == "已登记：2026-0001（临民信〔2026〕1号）"
    as_clerk(monkeypatch, county, "b")
    other = [*REGISTER]
    other[other.index("张三")] = "李四"
    other[other.index("13812345678")] = "13900000000"
    assert "2026-0001" in run(*other).stdout  # each office numbers its own cases

    as_clerk(monkeypatch, county, "a")
    shown = json.loads(run("show", "2026-0001", "--json").stdout)
    assert (shown["name"], shown["phone"], shown["status"]) == ("张三", "13812345678", "registered")
    assert "李四" not in run("show", "2026-0001").stdout
    as_clerk(monkeypatch, county, "b")
    shown = json.loads(run("show", "2026-0001", "--json").stdout)
    assert (shown["name"], shown["phone"]) == ("李四", "13900000000")

    # A second opinion, read by the owner: one case, one event, its deadline, per lane.
    with psycopg.connect(county.admin) as owner:
        rows = owner.execute(
            "SELECT c.office_id, c.seq, c.name, e.action, d.stage, d.due_on FROM cases c "
            "JOIN events e ON e.case_id = c.id JOIN deadlines d ON d.case_id = c.id "
            "ORDER BY c.office_id"
        ).fetchall()
    assert rows == [(A, 1, "张三", "register", "notice", "2026-11-05"),
                    (B, 1, "李四", "register", "notice", "2026-11-05")]  # fmt: skip


def test_a_bad_registration_writes_nothing(
    run: Run, county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_clerk(monkeypatch, county, "a")
    run("register", "--name", "张三", "--source", "不存在的来源", "--form", "来访",
        "--content", "x", "--on", "2026-11-02", expect=2)  # fmt: skip
    run(*REGISTER)
    with psycopg.connect(county.admin) as owner:
        assert owner.execute("SELECT seq FROM cases").fetchall() == [(1,)]


def test_a_role_in_no_lane_is_refused(
    run: Run, county: County, monkeypatch: pytest.MonkeyPatch, pg_cluster: object
) -> None:
    with psycopg.connect(county.admin, autocommit=True) as owner:
        owner.execute("DROP ROLE IF EXISTS stranger")
        owner.execute("CREATE ROLE stranger LOGIN IN ROLE xinfang_clerk")
    monkeypatch.setenv(
        "XINFANG_DB",
        county.dsn["a"].replace(county.dsn["a"].split("@")[0].split("//")[1], "stranger"),
    )
    out = run("show", "2026-0001", expect=2)
    assert "尚未分配到任何单位" in out.output


# What each COMPAT rule rewrites, as the core spells it.
SPELLINGS = {
    "begin": "BEGIN IMMEDIATE", "day_after": "'+1 day')", "case_no": "printf('%d-%04d'",
    "json_text": "json_extract(", "concat_all": "group_concat(", "days_between": "julianday(",
    "greatest": "max(sequences.last, excluded.last)", "lane_upsert": "ON CONFLICT (",
    "sequence_last": "SET last = last + 1", "subquery_alias": "FROM (SELECT",
    "null_safe_equal": "IS ?", "indexed_by": "INDEXED BY",
}  # fmt: skip


@pytest.mark.parametrize("name", [rule[0] for rule in COMPAT])
def test_every_compat_rule_still_has_work(name: str) -> None:
    """The bridge shrinks as the core calls Dialect itself: a rule whose SQLite spelling
    no module writes any more is to be deleted."""
    import pathlib

    root = pathlib.Path(__file__).parents[1] / "xinfang"
    mine = {"pg_ledger.py", "dialect.py"}
    core = [p.read_text() for p in root.rglob("*.py") if p.name not in mine]
    assert any(SPELLINGS[name] in text for text in core), name


def test_translation_of_the_core_spellings() -> None:
    assert to_postgres(
        "INSERT INTO sequences (name, year, last) VALUES (?, ?, 1) "
        "ON CONFLICT (name, year) DO UPDATE SET last = last + 1 RETURNING last"
    ) == (
        "INSERT INTO sequences (name, year, last) VALUES (%s, %s, 1) "
        "ON CONFLICT (office_id, name, year) DO UPDATE SET last = sequences.last + 1 RETURNING last"
    )
    assert to_postgres("INSERT INTO cases (a) VALUES (?)").endswith("RETURNING id")


def test_show_says_the_same_on_both_stores(
    run: Run, county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(*REGISTER)
    on_sqlite = json.loads(run("show", "2026-0001", "--json").stdout)
    as_clerk(monkeypatch, county, "a")
    run(*REGISTER)
    on_postgres = json.loads(run("show", "2026-0001", "--json").stdout)
    assert sorted(on_postgres) == sorted(on_sqlite)
