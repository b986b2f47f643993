"""Issue 17, long text: every template numbers its pages "第 N 页 共 M 页" in the footer,
a signature never lands alone on a page, and the 案卷封面 fits one page."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
SHIPPED = sorted(TEMPLATES.glob("*.docx"))


def _codes(part: object) -> str:
    element = part._element  # type: ignore[attr-defined]
    return " ".join(code.text or "" for code in element.iter(qn("w:instrText")))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_template_numbers_its_pages_in_the_footer(path):
    footer = Document(str(path)).sections[0].footer
    text = "".join(p.text for p in footer.paragraphs)
    codes = _codes(footer)
    assert "PAGE" in codes.split() and "NUMPAGES" in codes.split()
    assert text.startswith("第") and "页 共" in text and text.endswith("页")


def _keeps(paragraph) -> tuple[bool, bool]:
    fmt = paragraph.paragraph_format
    return bool(fmt.keep_with_next), bool(fmt.keep_together)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_a_signature_keeps_with_the_text_above_it(path):
    document = Document(str(path))
    body = list(document.element.body)
    signed = [i for i, e in enumerate(body) if _text(e).endswith("（盖章）") and i > 3]
    for index in signed:
        above = index - 1
        while body[above].tag == qn("w:p") and not _text(body[above]).strip():
            assert _keeps(Paragraph(body[above], document))[0], (path.stem, above)
            above -= 1
        if body[above].tag == qn("w:p"):  # the last words of the letter, kept whole
            assert _keeps(Paragraph(body[above], document)) == (True, True), path.stem
        assert _keeps(Paragraph(body[index], document))[0]  # the office stays with its date


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_table_row_stays_whole(path):
    for table in Document(str(path)).tables:
        for row in table.rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_a_long_petition_prints_without_orphans(run, db_path, tmp_path):
    from test_paper_layout import _archive_files, _second_round

    from xinfang.outputs import pages

    _second_round(run)
    run("archive", "2026-0001", "--retention", "10年", "--on", "2026-11-20")
    files = {p.name.split(" ", 1)[1]: p for p in _archive_files(db_path) if " " in p.name}
    wanted = ["案卷封面.docx", "受理登记表.docx", "受理告知书.docx", "处理意见答复书.docx",
              "不满意核实件.docx"]  # fmt: skip
    program = shutil.which("soffice") or ""
    subprocess.run(
        [program, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), *(str(files[n]) for n in wanted)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip

    def page_texts(name: str) -> list[str]:
        pdf = tmp_path / files[name].with_suffix(".pdf").name
        out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                             text=True, check=True).stdout  # fmt: skip
        return [page for page in out.split("\f") if page.strip()]

    assert len(page_texts("案卷封面.docx")) == 1
    for name in wanted[1:]:
        texts = page_texts(name)
        counted = pages.estimate(files[name])
        assert len(texts) == counted, name  # the estimate still matches the printer
        for number, text in enumerate(texts, 1):
            assert f"第{number}页共{len(texts)}页" in "".join(text.split()), (name, number)
            body = ["".join(line.split()) for line in text.splitlines() if line.strip()][:-1]
            # No page holds only a signature block, or a lone 备注 row.
            words = [line for line in body if not re.search(r"签名|盖章|^年月日$|日$|^备注$", line)]
            assert words, (name, number, body)
            if "信访事项核实情况说明：（可另附页）" in body:  # the 核实件's signature rows together
                assert "承办部门负责人办理意见：" in body, (name, number, body)
