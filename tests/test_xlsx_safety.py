"""Formula injection: text beginning with = + - @ typed into any field that reaches a
workbook must come back as that same text, never as a formula (or a hyperlink), in every
.xlsx the program writes."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.main import get_command
from typer.testing import CliRunner

from xinfang.cli import app

HYPER = '=HYPERLINK("http://evil.example","点此")'
CMD = "=cmd|' /C calc'!A0"
ONE, PLUS, MINUS, AT = "=1+1", "+1+1", "-2+3", "@SUM(A1:A9)"
LEADER = "=cmd|'/Ccalc'!A0"  # leaders are separated by commas and spaces
PAYLOADS = (HYPER, CMD, ONE, PLUS, MINUS, AT, LEADER)
FORMULA_START = ("=", "+", "-", "@")

SETUP = [
    ("config", "set", "单位名称", ONE),
    ("config", "add", "问题类型", HYPER),
    ("config", "add", "信访形式", AT),
    ("config", "add", "信访来源", "--", MINUS),
    ("config", "add", "属地", PLUS),
    ("config", "unit", CMD, "--liaison", ONE, "--phone", MINUS, "--force"),
    ("config", "unit", PLUS),
    # 2026-0001: every registration field that reaches a table carries a payload
    ("register", "--name", CMD, "--phone", ONE, "--force", "--source", "本级", "--form", AT,
     "--content", HYPER, "--category", HYPER, "--town", PLUS, "--receiver", PLUS,
     "--address", MINUS, "--on", "2026-11-02 09:00"),
    ("register", "--name", MINUS, "--source", MINUS, "--form", "来访", "--content", AT,
     "--category", HYPER, "--receiver", AT, "--new-matter", "--on", "2026-11-02 10:00"),
    ("register", "--name", AT, "--source", "本级", "--form", "来访", "--content", PLUS,
     "--receiver", CMD, "--new-matter", "--on", "2026-11-02 11:00"),
    ("register", "--name", PLUS, "--source", "本级", "--form", "来访", "--content", ONE,
     "--receiver", MINUS, "--new-matter", "--on", "2026-11-02 12:00"),
    ("register", "--name", "张三", "--source", "本级", "--form", "来访", "--content", MINUS,
     "--new-matter", "--on", "2026-11-02 13:00"),
    # 0001 assigned to a unit named like a formula, overdue by the end of the year
    ("accept", "2026-0001", "--on", "2026-11-03"),
    ("assign", "2026-0001", "--to", CMD, "--due", "2026-11-20", "--on", "2026-11-04"),
    # 0002 handled by the unit +1+1, report and reply are payloads
    ("accept", "2026-0002", "--on", "2026-11-03"),
    ("assign", "2026-0002", "--to", PLUS, "--due", "2026-12-20", "--on", "2026-11-04"),
    ("unit-accept", "2026-0002", "--on", "2026-11-05"),
    ("unit-report", "2026-0002", "--text", MINUS, "--on", "2026-11-06"),
    ("reply", "2026-0002", "--result", "已解决", "--finding", "属实", "--text", CMD, "--on", "2026-11-09"),
    # 0003 rejected and 0004 transferred, with reasons and bodies as payloads
    ("reject", "2026-0003", "--reason", HYPER, "--channel", ONE, "--on", "2026-11-03"),
    ("transfer", "2026-0004", "--to", AT, "--reason", MINUS, "--on", "2026-11-03"),
    # 0005 archived and lent out, overdue by the end of the year
    ("accept", "2026-0005", "--on", "2026-11-03", "--notified-on", "2026-11-03"),
    ("reply", "2026-0005", "--result", "已解决", "--finding", "属实", "--text", PLUS, "--on", "2026-11-09"),
    ("revisit", "2026-0005", "--method", "电话回访", "--satisfaction", "满意", "--on", "2026-11-10"),
    ("publicize", "2026-0005", "--on", "2026-11-11"),
    ("close", "2026-0005", "--opinion", ONE, "--approved-by", AT, "--on", "2026-11-12"),
    ("archive", "2026-0005", "--retention", "10年", "--on", "2026-11-13"),
    ("lend", "2026-0005", "--to", MINUS, "--unit", HYPER, "--approved-by", PLUS,
     "--due", "2026-11-30", "--on", "2026-11-16"),
]  # fmt: skip

# command -> (its arguments, texts that must be whole cells, texts that must be in some cell)
WORKBOOKS = {
    "report accept": (
        ("report", "accept", "--month", "2026-11", "-o", "accept.xlsx"),
        (CMD, ONE, AT, HYPER, PLUS, MINUS),
        ("单位：=1+1", "来访（-2+3）", "告知途径：=1+1", "转送@SUM(A1:A9)"),
    ),
    "report handle": (
        ("report", "handle", "--month", "2026-11", "-o", "handle.xlsx"),
        (AT, HYPER, MINUS),
        ("填报单位（盖章）：=1+1", f"交{PLUS}办理；已解决。{CMD}", f"已交{CMD}办理", f"。{PLUS}"),
    ),
    "report stats": (
        ("report", "stats", "--month", "2026-11", "-o", "stats.xlsx"),
        (AT, HYPER, PLUS, CMD, MINUS),
        ("单位：=1+1",),
    ),
    "report stats --xlsx": (
        ("report", "stats", "--month", "2026-11", "--xlsx"),
        (AT, HYPER, PLUS, CMD, MINUS),
        ("单位：=1+1",),
    ),
    "overdue": (
        ("overdue", "--as-of", "2026-12-31", "--output", "overdue.xlsx"),
        (CMD, HYPER, AT, ONE),
        ("借阅人 -2+3",),
    ),
    "export": (
        ("export", "-o", "export.xlsx"),
        (CMD, ONE, AT, HYPER, PLUS, MINUS),
        (),
    ),
    "import": (  # the rows it could not read, given back with their reasons
        ("import", "old.xlsx"),
        (CMD, ONE, HYPER, PLUS, AT),
        (),
    ),
    "reception plan": (
        ("reception", "plan", "--year", "2027", "--rule", "last-friday 09:00-11:00",
         "--leaders", f"{LEADER},{PLUS},{MINUS},{AT},{ONE}", "--place", HYPER,
         "-o", "reception.xlsx"),
        (LEADER, PLUS, MINUS, AT, ONE, HYPER),
        ("单位：=1+1", f"接访领导按 {LEADER}、{PLUS}、{MINUS}、{AT}、{ONE} 的顺序"),
    ),
}  # fmt: skip


def _invoke(*args: str, codes: tuple[int, ...] = (0,)) -> None:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in codes, (args, result.output)


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory, template_ledger: Path) -> dict[str, Path]:
    """One ledger full of formula-like text, and every workbook written from it."""
    folder = tmp_path_factory.mktemp("xlsx")
    shutil.copyfile(template_ledger, folder / "ledger.db")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XINFANG_DB", str(folder / "ledger.db"))
        patch.setenv("XINFANG_NOW", "2026-11-23 10:00")
        patch.setenv("XINFANG_USER", "王芳")
        patch.chdir(folder)
        for step in SETUP:
            _invoke(*step)
        old = openpyxl.Workbook()
        old.active.append(["信访人", "联系电话", "信访时间", "反映问题", "信访来源", "信访形式"])
        old.active.append([CMD, ONE, "2026-13-45", HYPER, PLUS, AT])  # an impossible date
        for cell in old.active[2]:
            cell.data_type = "s"  # text in the old ledger, as a clerk typed it
        old.save(folder / "old.xlsx")
        written = {}
        for name, (args, _, _) in WORKBOOKS.items():
            before = set(folder.glob("*.xlsx"))
            _invoke(*args, codes=(0, 1, 2))  # overdue says 1; import 2: it imports nothing
            (new,) = set(folder.glob("*.xlsx")) - before
            written[name] = new
    return written


def cells(path: Path) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(path)
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("name", WORKBOOKS)
def test_no_cell_holds_a_formula(workbooks, name):
    risky = 0
    for cell in cells(workbooks[name]):
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        assert cell.hyperlink is None, (cell.coordinate, cell.value)
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
            # Text a spreadsheet would read as a formula is stored as a string cell.
            assert cell.data_type == "s", (cell.coordinate, cell.value, cell.data_type)
            risky += 1
    assert risky >= len(WORKBOOKS[name][1]), "the payloads did not reach the workbook"
    # And in the file itself, whatever a reader makes of it: no <f> element in any sheet.
    with zipfile.ZipFile(workbooks[name]) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        for sheet in sheets:
            assert not re.search(rb"<(\w+:)?f[\s>/]", archive.read(sheet)), sheet


@pytest.mark.parametrize("name", WORKBOOKS)
def test_injected_text_comes_back_as_the_same_string(workbooks, name):
    _, whole, inside = WORKBOOKS[name]
    texts = {cell.value for cell in cells(workbooks[name]) if isinstance(cell.value, str)}
    assert [text for text in whole if text not in texts] == []
    assert [part for part in inside if not any(part in text for text in texts)] == []


def test_no_payload_was_mangled_on_the_way_in(workbooks):
    """The ledger itself holds the payloads as typed (else the workbooks prove nothing)."""
    everything = set()
    for path in workbooks.values():
        everything |= {c.value for c in cells(path) if isinstance(c.value, str)}
    assert [text for text in PAYLOADS if text not in everything] == []


def _xlsx_commands(command, path: str = "") -> set[str]:
    found = set()
    for param in command.params:
        if re.search(r"xlsx|Excel", getattr(param, "help", None) or ""):
            found.add(path.strip())
    for name, sub in getattr(command, "commands", {}).items():
        found |= _xlsx_commands(sub, f"{path} {name}")
    return found


def test_every_command_that_writes_a_workbook_is_checked():
    covered = {name.split(" --")[0] for name in WORKBOOKS}
    assert _xlsx_commands(get_command(app)) == covered
