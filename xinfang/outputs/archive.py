"""The case file (一案一卷) on disk: the core (xinfang/core/life/archiving.py) plans it and
records it; this binder writes it. Each planned entry goes into a hidden staging folder
(a document rendered from its .docx template, an attachment copied, a note the core
wrote laid out as a plain letter: the 并案说明 of a joined case); inside the 归档
transaction the folder takes its final name and a .zip of it is written beside it."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from xinfang.core.life.archiving import Entry
from xinfang.outputs import docx, pages
from xinfang.store.files import copy_private, private_dir, private_output, write_bytes

# As the shipped letters (templates/build_templates.py): 宋体 22 pt title, 仿宋 16 pt text.
TITLE_FONT, TEXT_FONT = ("宋体", 22), ("仿宋", 16)


class CaseFolder:
    """A `xinfang.core.life.archiving.Binder`: the case file as `folder` and `folder`.zip."""

    def __init__(self, conn: sqlite3.Connection, folder: Path) -> None:
        self.conn = conn
        self.final = folder
        self.zip_path = folder.parent / f"{folder.name}.zip"
        base = private_dir(folder.parent)
        case_no = folder.name.split("_", 1)[0]
        self.staging = base / f".{case_no}.{os.getpid()}.tmp"
        for stale in base.glob(f".{case_no}.*.tmp"):  # left by an archive that was killed
            shutil.rmtree(stale, ignore_errors=True)
        private_dir(self.staging)
        self.written: list[tuple[int, Path]] = []

    def write(self, entry: Entry, context: Mapping[str, Any]) -> Path:
        target = self.staging / entry.stem
        if entry.document:
            target = target.with_suffix(".docx")
            docx.render(docx.template_for(self.conn, entry.document), dict(context), target)
        elif entry.text:
            target = target.with_suffix(".docx")
            _letter(entry.stem.split(" ", 1)[-1], entry.text, target)
        else:
            assert entry.source is not None
            copy_private(entry.source, target)
        self.written.append((entry.section, target))
        return target

    def count(self, paths: list[Path]) -> tuple[list[int], str]:
        return pages.count(paths)

    def _order(self) -> list[Path]:
        """The files as the case file holds them: cover and catalogue (written last, once
        the pages are counted) first, then sections 1–8 as planned."""
        return [path for _, path in sorted(self.written, key=lambda written: written[0])]

    def publish(self) -> list[Path]:
        if self.final.exists():  # left by an archive that failed after its rename
            shutil.rmtree(self.final)
        self.staging.rename(self.final)
        return [self.final / path.name for path in self._order()]

    def bundle(self) -> Path:
        with (
            private_output(self.zip_path) as partial,
            zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle,
        ):
            for path in self._order():
                bundle.write(self.final / path.name, f"{self.final.name}/{path.name}")
        return self.zip_path

    def discard(self, *, keep_published: bool) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        if self.final.exists() and not keep_published:
            shutil.rmtree(self.final, ignore_errors=True)
            self.zip_path.unlink(missing_ok=True)


def _letter(title: str, paragraphs: tuple[str, ...], target: Path) -> None:
    """A one-page note without a template: the title, then each paragraph indented."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    for section in document.sections:
        section.top_margin = section.bottom_margin = Cm(2.5)
        section.left_margin = section.right_margin = Cm(2.5)

    def line(text: str, font: tuple[str, int], *, heading: bool = False) -> None:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        run.font.name, run.font.size, run.bold = font[0], Pt(font[1]), heading
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font[0])
        if heading:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            paragraph.paragraph_format.first_line_indent = Pt(font[1] * 2)

    line(title, TITLE_FONT, heading=True)
    for text in paragraphs:
        line(text, TEXT_FONT)
    stream = io.BytesIO()
    document.save(stream)
    write_bytes(target, stream.getbuffer())
