"""`list` by default: the open cases, newest first, a page of 50 with how many more and
how to see them; `--all` every case, printed chunk by chunk as it is read; at a terminal
a list longer than the screen goes through the pager."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from xinfang.core.reporting import query
from xinfang.store.db import connect

REGISTER = ("register", "--name", "张三", "--phone", "13812345678", "--source", "本级",
            "--form", "来信", "--content", "低保评定不公")  # fmt: skip


def register(run: Any, count: int) -> None:
    for _ in range(count):
        run(*REGISTER, "--on", "2026-11-20")


def listed(text: str) -> list[str]:
    return [line.split()[0] for line in text.splitlines() if line.strip().startswith("2026-")]


def test_the_default_page_is_the_newest_50_open_cases(db_path: Path, run: Any) -> None:
    register(run, 53)
    run("accept", "2026-0001")
    run("reject", "2026-0002", "--reason", "不属于本机关职权范围", "--channel", "县人民法院")
    out = run("list").stdout
    shown = listed(out)
    assert shown == [f"2026-{n:04d}" for n in range(53, 3, -1)]  # newest first, 50
    assert "还有 2 件，--all 全部列出" in out  # 0001 and 0003, not 0002 (rejected)
    everything = listed(run("list", "--all").stdout)
    assert len(everything) == 53 and everything[0] == "2026-0053"
    assert "2026-0002" in everything  # --all: every status
    assert listed(run("list", "--status", "不予受理").stdout) == ["2026-0002"]
    # --sort number keeps the old order; --limit is the page.
    assert listed(run("list", "--sort", "number", "--limit", "3").stdout) == [
        "2026-0001", "2026-0003", "2026-0004",
    ]  # fmt: skip
    # --json, for scripts, as before: every status, by number, not paged.
    scripted = [case["case_no"] for case in json.loads(run("list", "--json").stdout)]
    assert scripted == [f"2026-{n:04d}" for n in range(1, 54)]


def test_a_short_list_says_its_count_only(db_path: Path, run: Any) -> None:
    register(run, 3)
    out = run("list").stdout
    assert "共 3 件" in out and "--all" not in out


def test_all_is_read_chunk_by_chunk(db_path: Path, run: Any) -> None:
    register(run, 7)
    conn = connect(db_path)
    chunks = query.iter_cases(conn, query.Filters(sort="newest"), chunk=3)
    assert [len(chunk) for chunk in chunks] == [3, 3, 1]
    conn.close()
    out = run("list", "--all").stdout
    assert out.count("案件列表") == 1 and out.count("共 7 件") == 1
    assert listed(out) == [f"2026-{n:04d}" for n in range(7, 0, -1)]


def test_a_long_list_at_a_terminal_goes_through_the_pager(
    db_path: Path, run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xinfang.cli import read_commands

    register(run, 30)
    conn = connect(db_path)
    cases = query.list_cases(conn, query.Filters(sort="newest"))
    conn.close()
    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"sh -c 'cat > {paged}'")
    monkeypatch.setenv("LINES", "20")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    read_commands._paged(cases, "共 30 件")
    assert "2026-0030" in paged.read_text() and "共 30 件" in paged.read_text()
    paged.unlink()
    read_commands._paged(cases[:3], "共 3 件")  # fits the screen: printed as it is
    assert not paged.exists()


def test_the_page_reads_no_more_than_it_shows(db_path: Path, run: Any) -> None:
    """The page is chosen before the derived columns are computed: 50 rows, not all."""
    register(run, 60)
    recording = Recording(connect(db_path))
    conn: Any = recording
    page = query.page(conn, query.Filters(status="在办", sort="newest"))
    conn.close()
    assert len(page.cases) == 50 and page.more == 10
    assert any("LIMIT 50" in statement for statement in recording.statements)


class Recording:
    """A ledger connection that notes each statement the core sends, on either store
    (sqlite3's trace callback has no counterpart in the county's connection)."""

    def __init__(self, conn: Any) -> None:
        self.conn, self.statements = conn, list[str]()

    def execute(self, statement: str, *params: Any) -> Any:
        self.statements.append(statement)
        return self.conn.execute(statement, *params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)
