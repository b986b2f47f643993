"""Screens that fit: at 60, 80 and 120 columns no list cuts a case number, a date or the
days overdue; below 100 columns (or when a table would not fit) a list takes two lines an
item; piped output is as wide as COLUMNS says; `--help` fits 80 columns."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import on_a_terminal
from rich.cells import cell_len
from typer.testing import CliRunner

from xinfang.cli import app

NUMBER = re.compile(r"\d{4}-\d{4}")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DAYS = re.compile(r"(?:超期|剩) \d+(?:个工作日|日)")
# A case number or a date with a piece cut off: `2026-…`, `2026-1…`, or `2…` opening a line.
CUT = re.compile(r"\d+-[\d-]*…|^\s*\d{1,8}…", re.M)
WIDTHS = (60, 80, 120)


@pytest.fixture(scope="module")
def demo_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo ledger (every stage, overdue items, repeats), made once for the module,
    with one archived file lent out."""
    from conftest import TODAY

    path = tmp_path_factory.mktemp("screens") / "demo.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XINFANG_NOW", TODAY)
        patch.setenv("XINFANG_USER", "王芳")
        patch.setenv("XDG_DATA_HOME", str(path.parent / "xdg"))
        runner = CliRunner()
        done = runner.invoke(app, ["demo", "--db", str(path)])
        assert done.exit_code == 0, done.output
        lent = runner.invoke(
            app,
            ["lend", "2026-0001", "--to", "李四", "--unit", "县纪委监委第三纪检监察室",
             "--approved-by", "赵局长", "--due", "2026-12-31", "--db", str(path)],
        )  # fmt: skip
        assert lent.exit_code == 0, lent.output
    conn = sqlite3.connect(path)  # everything into the file, so that a copy has it
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def ledger(demo_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_ledger, path)
    monkeypatch.setenv("XINFANG_DB", str(path))
    return path


def screen(run, monkeypatch: pytest.MonkeyPatch, columns: int, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", str(columns))
    return run(*args, expect=None).stdout


def expected(text: str) -> set[str]:
    return set(NUMBER.findall(text)) | set(DATE.findall(text)) | set(DAYS.findall(text))


def assert_fits(out: str, columns: int, whole: set[str]) -> None:
    """Every line within the width, each number, date and count of days whole on a line."""
    wide = [line for line in out.splitlines() if cell_len(line) > columns]
    assert not wide, wide[:3]
    assert not CUT.findall(out), CUT.findall(out)[:3]
    missing = whole - expected(out)
    assert not missing, sorted(missing)[:5]


LISTS = [
    ("list",),
    ("list", "--overdue"),
    ("search", "低保"),
    ("overdue",),
    ("show", "2026-0006"),
    ("show", "2026-0005"),
    ("loans",),
    ("suggest",),
    ("calendar", "show", "2026-10"),
    ("report", "stats", "--month", "2026-11"),
]


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("args", LISTS, ids=" ".join)
def test_no_list_cuts_a_case_number_a_date_or_the_days(run, ledger, monkeypatch, columns, args):
    # What a wide screen shows whole is what the narrow one must show whole too.
    whole = expected(screen(run, monkeypatch, 200, *args))
    assert whole or args[0] in ("calendar", "report")
    assert_fits(screen(run, monkeypatch, columns, *args), columns, whole)


@pytest.mark.parametrize("columns", WIDTHS)
def test_list_and_overdue_show_every_number_and_due_date_of_their_json(
    run, ledger, monkeypatch, columns
):
    cases = json.loads(run("list", "--json").stdout)  # every case, as `list --all` shows
    out = screen(run, monkeypatch, columns, "list", "--all")
    for case in cases:
        assert case["case_no"] in out
        assert case["received_at"][:10] in out
        if case.get("next_due"):
            assert case["next_due"] in out
    scan = json.loads(run("overdue", "--json", expect=1).stdout)
    out = screen(run, monkeypatch, columns, "overdue")
    for item in scan["overdue"] + scan["due_soon"]:
        assert item["case_no"] in out and item["due_on"] in out


def test_below_100_columns_a_list_takes_two_lines_a_case(run, ledger, monkeypatch):
    out = screen(run, monkeypatch, 80, "list")
    lines = out.splitlines()
    first = next(at for at, line in enumerate(lines) if "期限 2026-" in line)
    # Line 1: number, date, state, next deadline; line 2 indented: who · where · unit · what.
    assert re.match(r"2026-\d{4}  2026-\d\d-\d\d  \S+ +期限 2026-\d\d-\d\d$", lines[first])
    assert lines[first + 1].startswith("    ") and " · " in lines[first + 1]
    assert "┃" not in out and "│" not in out


def test_a_wide_screen_keeps_the_table(run, ledger, monkeypatch):
    out = screen(run, monkeypatch, 200, "overdue")
    assert "┃ 情况" in out and "当前状态" in out


def test_piped_output_is_as_wide_as_columns_says_and_160_without(run, ledger, monkeypatch):
    monkeypatch.setenv("COLUMNS", "90")
    assert max(map(cell_len, run("overdue", expect=1).stdout.splitlines())) <= 90
    monkeypatch.delenv("COLUMNS")
    assert 120 < max(map(cell_len, run("list").stdout.splitlines())) <= 160


def test_show_at_80_columns_keeps_every_deadline_state_whole(run, ledger, monkeypatch):
    from xinfang.cli.render import deadline_state
    from xinfang.core.reporting import query
    from xinfang.store.db import connect

    out = screen(run, monkeypatch, 80, "show", "2026-0006")
    joined = "".join(line.strip() for line in out.splitlines())
    case = query.show(connect(ledger), "2026-0006", mask=False)
    for deadline in case["deadlines"]:
        state = re.sub(r"\[/?[a-z ]*\]", "", deadline_state(deadline))
        for part in state.split("；"):  # the state, and how it is counted on line 2
            assert part in joined, state
    assert "…" not in out.split("\n期限")[1].split("办理过程")[0]


def test_show_on_a_real_80_column_terminal(ledger):
    out = on_a_terminal(80, "show", "2026-0006")
    text = re.sub(r"\x1b\[[0-9;]*m", "", out)
    deadlines = text.split("\n期限")[1].split("办理过程")[0]
    assert re.search(r"回访 +到期 2026-\d\d-\d\d +超期 7日", deadlines), deadlines
    assert "…" not in deadlines
    assert not CUT.findall(text)
    assert not [line for line in text.splitlines() if cell_len(line.rstrip()) > 80]


GROUPS = [(), ("config",), ("config", "rules"), ("calendar",), ("report",), ("reception",),
          ("templates",)]  # fmt: skip


@pytest.mark.parametrize("group", GROUPS, ids=lambda g: " ".join(g) or "xinfang")
def test_help_at_80_columns_gives_each_command_one_whole_line(run, monkeypatch, group):
    out = screen(run, monkeypatch, 80, *group, "--help")
    panel = out.split("命令")[1].split("╰")[0].splitlines()[1:]
    assert panel
    assert not [line for line in panel if line.rstrip(" │").endswith("…")]
    # A line of its own for each command: no help carried over to a second line.
    assert not [line for line in panel if re.match(r"│ {6,}\S", line)], panel


def test_option_help_wraps_its_allowed_values_instead_of_cutting_them(run, monkeypatch):
    out = screen(run, monkeypatch, 80, "reply", "--help")
    joined = "".join(line.strip(" │") for line in out.splitlines())
    assert "已解决、正在解决、暂时无法解决、不能解决" in joined
    assert "…" not in out


def test_calendar_columns_stay_aligned_after_a_holiday(run, ledger):
    out = run("calendar", "show", "2026-10").stdout.split("休 = ")[0].splitlines()
    weeks = [line for line in out if re.match(r"^ *\d", line) and "年" not in line]
    assert any("休" in week for week in weeks) and any("班" in week for week in weeks)
    heading = next(line for line in out if line.strip().startswith("一"))
    period = cell_len(heading[: heading.index("二")]) - cell_len(heading[: heading.index("一")])
    for week in weeks:
        # Each day's number ends at the same display column as in every other week.
        ends = {cell_len(week[: found.end()]) % period for found in re.finditer(r"\d+(?!\])", week)}
        assert len(ends) == 1, week


# The parameters are inputs, formats or widths of one code path: their variants run on SQLite,
# and each test's first on PostgreSQL too (conftest.pytest_collection_modifyitems).
pytestmark = pytest.mark.variants_on_sqlite
