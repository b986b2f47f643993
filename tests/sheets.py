"""Spreadsheets for the import tests: a plain workbook (openpyxl), and OpenDocument
spreadsheets as LibreOffice or WPS saves them, built by hand (no library writes .ods here)."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape


def workbook(path: Path, header: list[str], *rows: list[object]) -> Path:
    """A workbook whose first sheet holds `header` and `rows`, cells typed as given."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(header)
    for values in rows:
        book.active.append(values)
    book.save(path)
    return path


NS = "urn:oasis:names:tc:opendocument:xmlns"
MIME = "application/vnd.oasis.opendocument.spreadsheet"


def ods(path: Path, table: str, name: str = "登记") -> Path:
    """A one-sheet .ods whose sheet holds `table` (rows of table:table-row XML)."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        f'xmlns:office="{NS}:office:1.0" xmlns:table="{NS}:table:1.0" '
        f'xmlns:text="{NS}:text:1.0" office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="{name}">{table}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        f'xmlns:manifest="{NS}:manifest:1.0" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{MIME}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", MIME, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


def ods_rows(rows: list[list[object]]) -> str:
    """Rows of text, number and date cells; None is an empty cell."""

    def cell(value: object) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, date):
            typed = f'office:value-type="date" office:date-value="{value.isoformat()}"'
        elif isinstance(value, int | float):
            typed = f'office:value-type="float" office:value="{value}"'
        else:
            typed = 'office:value-type="string"'
        return f"<table:table-cell {typed}><text:p>{escape(str(value))}</text:p></table:table-cell>"

    return "".join(
        "<table:table-row>" + "".join(cell(v) for v in values) + "</table:table-row>"
        for values in rows
    )
