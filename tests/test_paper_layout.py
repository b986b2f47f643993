"""Issue 17, the papers as printed: pages of the case file counted from the documents
themselves (rendered to PDF when LibreOffice is there), folder names, the workbooks'
print layout, labels instead of codes, and the templates' page numbers."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from conftest import REGISTER, advance, ledger_files

from xinfang.outputs import pages
from xinfang.store.db import connect

CASE = "2026-0001"
LONG = "反映低保评定不公，家中两位老人无收入，村里评定时未入户核查。" * 12


def _archive_files(db_path: Path) -> list[Path]:
    conn = connect(db_path)
    try:
        rows = conn.execute("SELECT path FROM archive_files ORDER BY position").fetchall()
    finally:
        conn.close()
    return [ledger_files(db_path) / path for (path,) in rows]


def _second_round(run, content: str = LONG) -> None:
    """A petition (long by default) answered twice: 不满意 after the first reply."""
    register = list(REGISTER)
    register[register.index("--content") + 1] = content
    run(*register)
    advance(run, CASE, "reply")
    run("revisit", CASE, "--method", "电话回访", "--satisfaction", "不满意", "--opinion", "补发不足",
        "--on", "2026-11-11")  # fmt: skip
    run("reply", CASE, "--result", "已解决", "--finding", "属实", "--text", "已补发全部",
        "--on", "2026-11-16")  # fmt: skip
    run("revisit", CASE, "--method", "电话回访", "--satisfaction", "满意", "--on", "2026-11-17")
    run("publicize", CASE, "--where", "县政府门户网站", "--on", "2026-11-18")
    run("close", CASE, "--approved-by", "李主任", "--on", "2026-11-19")


def _catalogue_pages(folder: Path) -> list[str]:
    from docx import Document

    table = Document(str(next(folder.glob("01 *.docx")))).tables[0]
    return [row.cells[-1].text.strip() for row in table.rows[1:]]


def test_pages_of_the_case_file_are_counted_from_the_documents(run, db_path):
    _second_round(run)
    out = run("archive", CASE, "--retention", "10年", "--on", "2026-11-20").stdout
    files = _archive_files(db_path)
    filed = [path for path in files if not path.name.startswith("0")]
    counts = [pages.estimate(path) for path in filed]
    assert pages.estimate(next(p for p in filed if "登记表" in p.name)) >= 2  # a long petition
    assert pages.estimate(next(p for p in filed if "不满意核实件" in p.name)) >= 2
    assert f"卷内共 {sum(counts)} 页" in out and pages.ESTIMATE in out
    assert sum(counts) > len(filed)  # not one page a document


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
@pytest.mark.parametrize("content", [LONG, "反映低保评定不公"])
def test_with_libreoffice_the_pages_are_the_pdfs(run, db_path, monkeypatch, content):
    monkeypatch.setenv("XINFANG_SOFFICE", shutil.which("soffice") or "")
    _second_round(run, content)
    out = run("archive", CASE, "--retention", "10年", "--on", "2026-11-20").stdout
    filed = [path for path in _archive_files(db_path) if not path.name.startswith("0")]
    counted, how = pages.count(filed)
    assert how == pages.PDF and f"卷内共 {sum(counted)} 页，{pages.PDF}" in out
    # The estimate agrees with the printer on these documents.
    assert [pages.estimate(path) for path in filed] == counted


def test_archive_folder_is_named_without_spaces_or_trailing_punctuation(run, db_path):
    run(*REGISTER)
    advance(run, CASE, "archive")
    folder = _archive_files(db_path)[0].parent
    assert folder.name == "2026-0001_反映低保评定不公"
    assert (folder.parent / "2026-0001_反映低保评定不公.zip").is_file()
    assert _catalogue_pages(folder)[:1] == ["1"]


def test_export_names_every_open_deadline_in_chinese(run):
    run(*REGISTER)
    advance(run, CASE, "unit-accept")
    run("supervise", CASE, "--due", "2026-12-04", "--reason", "群众反映强烈", "--on", "2026-11-06")
    row = next(csv.DictReader(io.StringIO(run("export").stdout)))
    deadlines = row["未完成的期限"]
    assert "督办办结 2026-12-04" in deadlines and "交办办结" in deadlines
    assert not re.search(r"[a-z_]{4,}", deadlines)


def test_reception_plan_for_the_noticeboard_keeps_the_caveat_to_the_clerk(run, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "日程.xlsx"
    out = run("reception", "plan", "--year", "2027", "--rule", "last-friday 09:00-11:00",
              "--leaders", "张三,李四", "-o", str(target))  # fmt: skip
    assert "尚未录入" in out.stdout  # the clerk is told
    cells = [
        str(c.value) for row in load_workbook(target).active.iter_rows() for c in row if c.value
    ]
    assert not any("尚未录入" in text or "节假日公布后" in text for text in cells)
    assert any("领导接访日程安排表" in text for text in cells)
