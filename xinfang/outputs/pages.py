"""How many pages a written .docx fills, for the 页次 and 卷内共 N 页 of the case file.

With LibreOffice installed (`soffice`, or the program named by XINFANG_SOFFICE) the
documents are rendered to PDF, all in one run, and their pages counted: that is what the
printer will give. Without it (XINFANG_SOFFICE set empty forces this) the count comes from
the document itself: its explicit page breaks, and the height of its paragraphs and table
rows laid out on the page, each line as wide and as tall as its font. The estimate is
what the file says; the caller records which of the two it got."""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.etree import ElementTree

PDF = "LibreOffice 转换 PDF 计数"
ESTIMATE = "按文书分页符与篇幅估算"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LINE = 1.4  # a line of CJK text is about 1.4 times its font size tall
CELL_MARGIN = 216  # twips: Word's default 0.19 cm either side of a cell's text
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def soffice() -> str | None:
    """The LibreOffice program, or None to estimate."""
    chosen = os.environ.get("XINFANG_SOFFICE")
    if chosen is not None:
        return chosen or None
    return shutil.which("soffice") or shutil.which("libreoffice")


def count(paths: Sequence[Path]) -> tuple[list[int], str]:
    """The pages of each .docx in `paths`, and how they were counted."""
    program = soffice()
    if program and paths:
        try:
            return _pdf_pages(program, paths), PDF
        except (OSError, subprocess.SubprocessError, KeyError):
            pass  # a broken LibreOffice must not stop the archive: estimate instead
    return [estimate(path) for path in paths], ESTIMATE


def _pdf_pages(program: str, paths: Sequence[Path]) -> list[int]:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "pdf"
        # Copies under plain names: a case's file names may start with "-" or hold spaces.
        sources = []
        for index, path in enumerate(paths):
            sources.append(Path(scratch) / f"{index}.docx")
            shutil.copyfile(path, sources[-1])
        subprocess.run(
            [program, f"-env:UserInstallation=file://{scratch}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", str(out), *map(str, sources)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        return [
            len(_PAGE_OBJECT.findall((out / f"{i}.pdf").read_bytes())) for i in range(len(paths))
        ]


def estimate(path: Path) -> int:
    """The pages of a .docx from its own layout (no renderer)."""
    with zipfile.ZipFile(path) as archive:
        body = ElementTree.fromstring(archive.read("word/document.xml")).find(f"{W}body")
    assert body is not None
    section = body.find(f"{W}sectPr")
    size = section.find(f"{W}pgSz") if section is not None else None
    margin = section.find(f"{W}pgMar") if section is not None else None
    height = _twips(size, "h", 16838) - _twips(margin, "top", 1440) - _twips(margin, "bottom", 1440)
    width = _twips(size, "w", 11906) - _twips(margin, "left", 1800) - _twips(margin, "right", 1800)
    page = _Page(height)
    elements = list(body)
    for index, element in enumerate(elements):
        if element.tag == f"{W}p":
            page.paragraph(element, width, _kept(elements[index:], width))
        elif element.tag == f"{W}tbl":
            page.table(element)
    return page.number


def _kept(elements: list[ElementTree.Element], width: float) -> float:
    """The height that must share a page with the first paragraph: itself and those it
    keeps with (w:keepNext), down to the first line of the one that ends the chain; 0 when
    it keeps with nothing (or is a many-line paragraph that may itself split)."""
    first = elements[0]
    if first.find(f"{W}pPr/{W}keepNext") is None:
        return 0.0
    if first.find(f"{W}pPr/{W}keepLines") is None and len(_all_lines(first, width)) > 1:
        return 0.0
    total = 0.0
    for element in elements:
        if element.tag != f"{W}p":
            break
        lines = _all_lines(element, width)
        if element.find(f"{W}pPr/{W}keepNext") is None:
            total += lines[0]
            break
        total += sum(lines)
    return total


class _Page:
    """Lays blocks down page after page, in twips."""

    def __init__(self, height: float) -> None:
        self.height, self.used, self.number = height, 0.0, 1

    def _new(self) -> None:
        self.number, self.used = self.number + 1, 0.0

    def paragraph(self, p: ElementTree.Element, width: float, kept: float = 0.0) -> None:
        if p.find(f"{W}pPr/{W}pageBreakBefore") is not None and self.used:
            self._new()
        if self.used and self.used + kept > self.height >= kept:
            self._new()  # kept with what follows (a signature with the text above it)
        for part, tall in enumerate(_split(p)):
            if part:  # an explicit page break inside the paragraph
                self._new()
            for line in _lines(tall, width):
                if self.used + line > self.height and self.used:
                    self._new()
                self.used += line

    def table(self, table: ElementTree.Element) -> None:
        grid = [_twips(col, "w", 0) for col in table.iter(f"{W}gridCol")]
        rows = table.findall(f"{W}tr")
        talls = [_row(row, grid) for row in rows]
        for index, (row, tall) in enumerate(zip(rows, talls, strict=True)):
            whole = row.find(f"{W}trPr/{W}cantSplit") is not None
            kept = tall
            for later, more in zip(rows[index:], talls[index + 1 :], strict=False):
                if later.find(f".//{W}pPr/{W}keepNext") is None:
                    break
                kept += more  # a row kept with the next (signature rows travel together)
            overflows = self.used + tall > self.height and (whole or tall < self.height)
            if self.used and (overflows or self.used + kept > self.height >= kept):
                self._new()
            while tall > self.height:  # a row taller than a page runs over
                tall -= self.height
                self._new()
            self.used += tall


def _twips(element: ElementTree.Element | None, name: str, default: int) -> int:
    value = element.get(f"{W}{name}") if element is not None else None
    return int(value) if value and value.lstrip("-").isdigit() else default


def _row(row: ElementTree.Element, grid: list[int]) -> float:
    """A row's height: its exact height, or at least its floor and what its cells hold."""
    height = row.find(f"{W}trPr/{W}trHeight")
    floor = _twips(height, "val", 0)
    if height is not None and height.get(f"{W}hRule") == "exact":
        return float(floor)
    return max([floor, *(_cell(cell, grid, row) for cell in row.findall(f"{W}tc"))])


def _cell(cell: ElementTree.Element, grid: list[int], row: ElementTree.Element) -> float:
    start = sum(_twips(c.find(f"{W}tcPr/{W}gridSpan"), "val", 1) for c in _before(row, cell))
    span = _twips(cell.find(f"{W}tcPr/{W}gridSpan"), "val", 1)
    width = sum(grid[start : start + span]) or _twips(cell.find(f"{W}tcPr/{W}tcW"), "w", 2000)
    inner = max(width - CELL_MARGIN, 200)
    return sum(sum(_lines(tall, inner)) for p in cell.iter(f"{W}p") for tall in _split(p))


def _before(row: ElementTree.Element, cell: ElementTree.Element) -> list[ElementTree.Element]:
    cells = row.findall(f"{W}tc")
    return cells[: cells.index(cell)]


def _split(p: ElementTree.Element) -> list[tuple[str, float, float, int]]:
    """The paragraph's text between explicit page breaks, with its font size (twips)
    and the space before and after it."""
    spacing = p.find(f"{W}pPr/{W}spacing")
    before, after = _twips(spacing, "before", 0), _twips(spacing, "after", 0)
    exact = (
        _twips(spacing, "line", 0)
        if spacing is not None and spacing.get(f"{W}lineRule") == "exact"
        else 0
    )
    text, size = [""], 0.0
    for run in p.iter(f"{W}r"):
        half_points = _twips(run.find(f"{W}rPr/{W}sz"), "val", 0)
        size = max(size, half_points * 10)
        for child in run:
            if child.tag == f"{W}t":
                text[-1] += child.text or ""
            elif child.tag == f"{W}br" and child.get(f"{W}type") == "page":
                text.append("")
            elif child.tag in (f"{W}br", f"{W}cr"):
                text[-1] += "\n"
    size = size or 210  # 10.5 pt, Word's 五号
    return [(chunk, size, before + after, exact) for chunk in text]


def _all_lines(p: ElementTree.Element, width: float) -> list[float]:
    return [line for tall in _split(p) for line in _lines(tall, width)]


def _lines(tall: tuple[str, float, float, int], width: float) -> list[float]:
    """The heights of the lines a paragraph takes at `width` (its spacing on the first)."""
    text, size, spacing, exact = tall
    per_line = max(int(width // (size / 2)), 1)  # in half-width characters
    count = sum(
        max(1, math.ceil(len(line.encode("gbk", "replace")) / per_line))
        for line in text.split("\n")
    )
    heights = [float(exact or size * LINE)] * count
    heights[0] += spacing
    return heights
