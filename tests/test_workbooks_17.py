"""Issue 17, workbooks: the `overdue --output .xlsx` list is a form (title, office, date,
borders, whole 反映问题, print titles), and the stats workbook never lets a breakdown table
run onto the next page without its header."""

from __future__ import annotations

from pathlib import Path

from conftest import REGISTER
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

# The scenario ledger of the stats tests (a fixture of this module too).
from test_stats import ledger, scenario  # noqa: F401

from xinfang.cli.overdue_command import HEADER

LONG = (
    "反映本村低保评定不公，家中两位老人常年卧病无收入，村委会评议时未入户调查，"
    "多次到镇政府反映均未得到答复，请求重新评定并公开评议结果。"
)  # longer than the 40 characters the screen shows
A4_LANDSCAPE_HEIGHT = 595.3  # points
DEFAULT_ROW = 15.0  # Excel's height for a row without its own


def _overdue_book(run, tmp_path: Path) -> Worksheet:
    args = list(REGISTER)
    args[args.index("--content") + 1] = LONG
    run(*args[:-1], "2026-11-02 09:30")
    target = tmp_path / "期限.xlsx"
    run("overdue", "--output", str(target), expect=1)
    return load_workbook(target).active


def _header_row(sheet: Worksheet) -> int:
    for row in range(1, 10):
        if [sheet.cell(row, c).value for c in range(1, len(HEADER) + 1)] == list(HEADER):
            return row
    raise AssertionError("no header row")


def test_overdue_workbook_has_title_office_and_date(run, tmp_path):
    sheet = _overdue_book(run, tmp_path)
    assert "期限检查" in str(sheet["A1"].value)
    assert sheet["A1"].font.bold and sheet["A1"].font.size >= 14
    above = " ".join(
        str(sheet.cell(r, c).value or "") for r in range(2, _header_row(sheet)) for c in (1, 5)
    )
    assert "临泽县民政局" in above  # the office, from the settings
    assert "2026年11月23日" in above  # the check day


def test_overdue_workbook_has_borders_whole_wrapped_content_and_print_titles(run, tmp_path):
    sheet = _overdue_book(run, tmp_path)
    header = _header_row(sheet)
    assert sheet.print_title_rows == f"${header}:${header}"
    content = HEADER.index("反映问题") + 1
    cell = sheet.cell(header + 1, content)
    assert cell.value == LONG  # never cut
    assert cell.alignment.wrap_text
    assert (sheet.row_dimensions[header + 1].height or 0) > 2 * 14  # room for the lines
    for row in (header, header + 1):
        for column in range(1, len(HEADER) + 1):
            border = sheet.cell(row, column).border
            assert all(
                side.style == "thin"
                for side in (border.left, border.right, border.top, border.bottom)
            ), (row, column)


def test_overdue_workbook_empty_list_still_a_form(run, tmp_path):
    target = tmp_path / "空.xlsx"
    run("overdue", "--output", str(target))
    sheet = load_workbook(target).active
    assert "期限检查" in str(sheet["A1"].value)
    assert _header_row(sheet) > 1


def _pages(sheet: Worksheet) -> list[tuple[int, int]]:
    breaks = sorted(b.id for b in sheet.row_breaks.brk)
    starts = [1, *(b + 1 for b in breaks)]
    ends = [*breaks, sheet.max_row]
    return list(zip(starts, ends, strict=True))


def _height(sheet: Worksheet, row: int) -> float:
    return sheet.row_dimensions[row].height or DEFAULT_ROW


def test_stats_breakdown_tables_never_split_across_pages(run, ledger, tmp_path):  # noqa: F811
    target = tmp_path / "分析.xlsx"
    run("report", "stats", "--month", "2026-11", "-o", str(target))
    sheet = load_workbook(target)["分类统计"]
    margins = sheet.page_margins
    # Fitting to the width only ever shrinks the print: this is the least a page holds.
    room = A4_LANDSCAPE_HEIGHT - (margins.top + margins.bottom) * 72
    titles = sheet.print_title_rows
    first, last = (int(part.strip("$")) for part in titles.split(":"))
    repeated = sum(_height(sheet, r) for r in range(first, last + 1))
    pages = _pages(sheet)
    assert len(pages) > 1, "the six tables take more than a page"
    for number, (start, end) in enumerate(pages):
        used = sum(_height(sheet, r) for r in range(start, end + 1))
        used += repeated if number else 0
        assert used <= room, (start, end, used, room)
    tables = [
        r for r in range(4, sheet.max_row + 1) if sheet.cell(r, 2).value == "本期"
    ]  # each table's header row
    assert len(tables) == 6
    for top in tables:
        bottom = next(r for r in range(top, sheet.max_row + 1) if sheet.cell(r, 1).value == "合计")
        page = next(p for p in pages if p[0] <= top <= p[1])
        assert bottom <= page[1], f"table at row {top} runs past its page (rows {page})"


def test_stats_charts_are_not_cut_by_a_page_break(run, ledger, tmp_path):  # noqa: F811
    target = tmp_path / "分析.xlsx"
    run("report", "stats", "--month", "2026-11", "-o", str(target))
    sheet = load_workbook(target)["分类统计"]
    pages = _pages(sheet)
    assert len(sheet._charts) == 2
    for chart in sheet._charts:
        anchor = chart.anchor
        row = anchor._from.row + 1  # 1-based
        tall = anchor.ext.height / 12700 if anchor.ext is not None else chart.height / 2.54 * 72
        page = next(p for p in pages if p[0] <= row <= p[1])
        below = sum(_height(sheet, r) for r in range(row, page[1] + 1))
        if page is not pages[-1]:
            assert below >= tall, f"chart at row {row} ({tall:.0f} pt) cut at row {page[1]}"
        tables = {sheet.cell(r, 1).value: r for r in range(4, sheet.max_row + 1)}
        assert row in (tables["信访来源"], tables["问题类型"])  # beside its own table
