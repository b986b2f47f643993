"""`import` of a file built to hurt: a workbook whose few kilobytes ask the reader for
gigabytes (a cell at XFD1048576, repeat counts, a lying zip header, a looping .xls), a
CSV file with one endless line, and text carrying terminal escapes and NUL. Each is
refused in one line, in little memory, or read clean. The files are built here, byte by
byte; the ones that crashed the process run in a process of their own, memory capped."""

from __future__ import annotations

import json
import os
import resource
import struct
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from conftest import dump, subprocess_env
from sheets import ods, ods_rows

from xinfang.core.errors import XinfangError
from xinfang.core.exchange.importing import bounds, packed

HEADER = ["信访人", "联系电话", "信访时间", "信访形式", "信访来源", "反映问题", "是否受理", "备注"]
CAP = 2 * 2**30  # address space of a child process: the old reader blew through it


def row_of(n: int) -> list[object]:
    return [f"张{n}", f"1381234{n % 10_000:04d}", "2026-11-02", "来访", "本级", f"问题{n}"]


# .xlsx, written as Excel writes it (inline strings instead of a shared-string part).


def xlsx_cell(ref: str, value: object) -> str:
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def xlsx_rows(rows: list[list[object]], first: int = 1) -> str:
    return "".join(
        f'<row r="{n}">'
        + "".join(xlsx_cell(f"{chr(65 + i)}{n}", v) for i, v in enumerate(cells) if v != "")
        + "</row>"
        for n, cells in enumerate(rows, first)
    )


def xlsx(path: Path, sheet_data: str, *, sheet: str = "台账", dimension: str = "A1") -> Path:
    main = "http://schemas.openxmlformats.org"
    rel = f"{main}/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            f'<Types xmlns="{main}/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{main}/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}/spreadsheetml/2006/main" xmlns:r="{rel}"><sheets>'
            f'<sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{main}/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}/spreadsheetml/2006/main"><dimension ref="{dimension}"/>'
            f"<sheetData>{sheet_data}</sheetData></worksheet>"
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + text)
    return path


def ledger(path: Path, rows: int, far: str = "") -> Path:
    """`rows` petitions under a header, and perhaps one stray cell far away."""
    data = xlsx_rows([HEADER, *(row_of(n) for n in range(1, rows + 1))])
    return xlsx(path, data + far, dimension="A1:H2")


# Other processes: the reader used to abort (exit 134) or outgrow memory on these.


# The child reports its own high-water mark (VmHWM) as it exits: the rusage of a forked
# child also counts the pages it shared with this test process before the exec, which
# after a thousand tests is itself near the bound.
_MEASURED = """
import atexit, runpy, sys
def _peak(path=sys.argv[1]):
    with open("/proc/self/status") as status, open(path, "w") as out:
        out.write(next(l.split()[1] for l in status if l.startswith("VmHWM")))
atexit.register(_peak)
sys.argv = ["xinfang", *sys.argv[2:]]
runpy.run_module("xinfang", run_name="__main__")
"""


def xinfang(tmp_path: Path, *args: str) -> tuple[int, str, int]:
    """`python -m xinfang …` in a process of its own, its address space capped: its exit
    status, what it said on stderr, and its peak memory in MB."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))

    err, peak = tmp_path / "stderr.txt", tmp_path / "peak.txt"
    with open(os.devnull, "w") as out, err.open("w") as errors:
        child = subprocess.run(
            [sys.executable, "-c", _MEASURED, str(peak), *args],
            stdout=out, stderr=errors, env=subprocess_env(), preexec_fn=cap, check=False,
        )  # fmt: skip
    kilobytes = int(peak.read_text())  # written as the child exits, however it exits
    return child.returncode, err.read_text(), kilobytes // 1024


def refused(tmp_path: Path, db_path: Path, path: Path, *words: str) -> str:
    before = dump(db_path)
    status, said, peak = xinfang(tmp_path, "import", str(path))
    assert status == 2, (status, said[-2000:])
    assert "Traceback" not in said and all(word in said for word in words), said
    assert peak < 200, peak
    assert dump(db_path) == before
    assert not list(tmp_path.glob("*未导入行*"))
    return said


def test_one_cell_at_xfd1048576_is_refused_in_one_line(tmp_path, db_path):
    """It used to abort the process: calamine asked for 17 billion cells (512 GB)."""
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    path = ledger(tmp_path / "台账.xlsx", 2, far)
    said = refused(tmp_path, db_path, path, "XFD1048576", "台账", "16,384 列")
    assert len(said.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("far", "named"),
    [
        ('<row r="1048576"><c r="K1048576"><v>1</v></c></row>', "K1048576"),  # 570 MB
        ('<row r="3"><c r="XFD3"><v>1</v></c></row>', "XFD3"),  # 3.2 GB for --dry-run
    ],
    ids=["down", "across"],
)
def test_five_thousand_rows_and_one_stray_cell(tmp_path, db_path, far, named):
    """The stray cell is named and the file refused: the reader lays out the whole
    rectangle up to it, and nothing should be read past a cell the clerk cannot see."""
    path = ledger(tmp_path / "台账.xlsx", 5_000, far)
    refused(tmp_path, db_path, path, named, "若是误填的内容，请在 Excel 或 WPS 中删除该格")


@pytest.mark.parametrize(
    "far",
    [
        '<row r="9"><c s=">" r="XFD1048576"><v>1</v></c></row>',  # '>' inside quotes
        '<row r="9"><c r="A9" s="1" r="XFD1048576"><v>1</v></c></row>',  # two r
        '<row r="9"><c r="XFC9"></c><c><v>1</v></c></row>',  # after an empty one: XFD9
        '<row r="1048576">' + "<c><v>1</v></c>" * 11 + "</row>",  # no r at all: A…K
        '<x:row r="9"><x:c r="XFD9"><x:v>1</x:v></x:c></x:row>',  # a namespace prefix
    ],
    ids=["quoted", "two-r", "after-empty", "no-r", "prefixed"],
)
def test_a_far_cell_written_in_unusual_ways_is_found(tmp_path, db_path, far):
    path = ledger(tmp_path / "台账.xlsx", 2, far)
    refused(tmp_path, db_path, path, "台账")


def test_empty_cells_far_down_are_no_trouble(run, tmp_path, monkeypatch):
    """Formatted cells and formulas that give "" (an auto-numbering column filled down
    the whole sheet) hold nothing: the reader keeps none of them, nor does the count."""
    monkeypatch.setattr(bounds, "MAX_CELLS", 10_000)
    empty = "".join(
        f'<row r="{n}"><c r="A{n}" s="1"/><c r="B{n}" s="1"></c>'
        f'<c r="C{n}" t="str"><f>IF(D{n}="","",ROW())</f><v></v></c></row>'
        for n in range(5, 3_000)
    )
    path = ledger(tmp_path / "台账.xlsx", 3, empty)
    assert "已导入 3 件" in run("import", str(path)).stdout


def test_a_sheet_may_start_far_down_but_not_too_far(run, tmp_path, monkeypatch):
    """Rows above the table are walked one by one, so they count."""
    path = ledger(tmp_path / "台账.xlsx", 3, xlsx_rows([["尾注"]], 2_000))
    assert "已导入 3 件" in run("import", str(path)).stdout
    monkeypatch.setattr(bounds, "MAX_CELLS", 1_000)
    out = run("import", str(path), expect=2)
    assert "A2000 格有内容" in out.stderr and "2,000 行 × 8 列" in out.stderr


# The zip around the sheets.


def _patch_sizes(path: Path, member: str, size: int) -> None:
    """Make the zip's headers claim `size` bytes for the member, whatever it holds."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    for signature, at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                struct.pack_into("<L", data, start + at, size)
            start += 4
    path.write_bytes(bytes(data))


def test_a_part_claiming_gigabytes_is_refused_before_it_is_unpacked(tmp_path, db_path):
    path = ledger(tmp_path / "台账.xlsx", 2)
    _patch_sizes(path, "xl/worksheets/sheet1.xml", 3 * 2**30)
    refused(tmp_path, db_path, path, "xl/worksheets/sheet1.xml", "解压后超过 1,024 MB")


def test_a_part_inflating_past_what_its_header_says_is_caught(run, tmp_path, monkeypatch):
    """The header says 1 KB; the bytes inflate to 3 MB of spaces (a 3 KB file)."""
    monkeypatch.setattr(bounds, "MAX_PART_BYTES", 2**20)
    path = ledger(tmp_path / "台账.xlsx", 2, " " * 3 * 2**20)
    assert path.stat().st_size < 20_000
    _patch_sizes(path, "xl/worksheets/sheet1.xml", 1_000)
    out = run("import", str(path), expect=2)
    assert "“xl/worksheets/sheet1.xml”解压后超过 1 MB" in out.stderr


def test_a_zip_that_is_not_a_workbook_is_unreadable(run, tmp_path):
    path = tmp_path / "台账.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert "不是有效的 Excel 文件（.xlsx）" in run("import", str(path), expect=2).stderr


def test_one_long_shared_string_named_by_every_cell_is_refused(tmp_path, db_path):
    """A 500 KB file: 100,000 cells naming one 32,000-character string, which the
    reader copies into each of them (9.6 GB)."""
    named = "".join(f'<row r="{n}"><c r="F{n}" t="s"><v>0</v></c></row>' for n in range(3, 100_000))
    path = ledger(tmp_path / "台账.xlsx", 1, named)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<si><t>{'长' * 32_000}</t></si></sst>",
        )
    assert path.stat().st_size < 1_000_000
    refused(tmp_path, db_path, path, "台账", "同一段文字被大量单元格重复引用")


def _outcome(path: Path) -> str:
    try:
        packed.check_zip(path)
    except XinfangError as error:
        return error.message
    return "ok"


def test_the_measure_does_not_depend_on_where_the_chunks_fall(tmp_path, monkeypatch):
    """Each part is read a chunk at a time; tags, empty cells, shared strings and .ods
    texts cut at every possible place are measured the same."""
    monkeypatch.setattr(bounds, "MAX_CELLS", 200)
    monkeypatch.setattr(bounds, "MAX_TEXT_BYTES", 20_000)
    empty = "".join(
        f'<row r="{n}"><c r="A{n}" s="1"/><c r="B{n}" s="1"></c>'
        f'<c r="C{n}" t="str"><f>ROW()</f><v></v></c></row>'
        for n in range(5, 60)
    )
    files = {
        "plain": ledger(tmp_path / "a.xlsx", 3, empty),
        "wide": ledger(tmp_path / "b.xlsx", 3, '<row r="7"><c r="AZ7"><v>1</v></c></row>'),
        "odd": ledger(tmp_path / "c.xlsx", 3, '<row r="9"><c r="XFC9"></c><c><v>1</v></c></row>'),
    }
    for name, repeats in (("ods-ok", 5), ("ods", 8)):  # copies of 2,700 bytes: pass, refused
        text = (
            f'<table:table-row table:number-rows-repeated="{repeats}"><table:table-cell '
            f'office:value-type="string"><text:p>{"长" * 900}</text:p></table:table-cell>'
            "</table:table-row>"
        )
        files[name] = ods(tmp_path / f"{name}.ods", ods_rows([HEADER[:6], row_of(1)]) + text)
    for shared, count in (("e", 5), ("f", 9)):  # 5 copies of 3,000 bytes pass, 9 do not
        named = "".join(
            f'<row r="{n}"><c r="F{n}" t="s"><v>0</v></c></row>' for n in range(3, count + 3)
        )
        files[shared] = ledger(tmp_path / f"{shared}.xlsx", 1, named)
        with zipfile.ZipFile(files[shared], "a") as archive:
            archive.writestr("xl/sharedStrings.xml", f"<sst><si><t>{'长' * 1000}</t></si></sst>")
    expected = {name: _outcome(path) for name, path in files.items()}
    assert expected["plain"] == expected["e"] == expected["ods-ok"] == "ok"
    assert "重复引用" in expected["ods"]
    assert "AZ7" in expected["wide"] and "XFD9" in expected["odd"] and "重复引用" in expected["f"]
    for size in [*range(1, 33), 64, 1000]:
        monkeypatch.setattr(packed, "CHUNK", size)
        assert {name: _outcome(path) for name, path in files.items()} == expected, size


# .ods: a row repeated, a cell repeated.


def test_an_ods_cell_repeated_across_and_down_is_refused(tmp_path, db_path):
    """Six thousand rows of 16,384 cells in 200 bytes: 3 GB to the old reader."""
    bomb = (
        '<table:table-row table:number-rows-repeated="6000"><table:table-cell '
        'table:number-columns-repeated="16384" office:value-type="float" office:value="1"/>'
        "</table:table-row>"
    )
    path = ods(tmp_path / "台账.ods", ods_rows([HEADER[:6], row_of(1)]) + bomb)
    refused(tmp_path, db_path, path, "登记", "XFD3", "16,384 列")


def test_an_ods_text_repeated_down_is_refused(tmp_path, db_path):
    """One 20,000-character cell on a row repeated 100,000 times: 6 GB of copies."""
    bomb = (
        '<table:table-row table:number-rows-repeated="100000"><table:table-cell '
        f'office:value-type="string"><text:p>{"长" * 20_000}</text:p></table:table-cell>'
        "</table:table-row>"
    )
    path = ods(tmp_path / "台账.ods", ods_rows([HEADER[:6], row_of(1)]) + bomb)
    refused(tmp_path, db_path, path, "登记", "同一段文字被大量单元格重复引用")


def test_an_ods_with_empty_repeats_reads(run, tmp_path, monkeypatch):
    """Empty cells and rows repeated to the sheet's end are what LibreOffice writes."""
    monkeypatch.setattr(bounds, "MAX_CELLS", 1_000)
    tail = (
        '<table:table-row table:number-rows-repeated="1048570">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    path = ods(tmp_path / "台账.ods", ods_rows([HEADER[:6], row_of(1)]) + tail)
    assert "已导入 1 件" in run("import", str(path)).stdout


# .xls: a compound file holding BIFF8 records, written by hand.


def biff_record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def biff_label(row: int, column: int, text: str) -> bytes:
    chars = text.encode("utf-16-le")
    return biff_record(0x0204, struct.pack("<HHHHB", row, column, 0, len(text), 1) + chars)


def xls_stream(
    rows: list[list[object]],
    *extra: bytes,
    dimensions: bytes = b"",
    globals_extra: bytes = b"",
    pad: bool = True,
) -> bytes:
    bof = struct.pack("<HHHHLL", 0x0600, 0x0005, 0, 0, 0, 0)
    name = "登记".encode("utf-16-le")
    sheet_bof = biff_record(0x0809, struct.pack("<HHHHLL", 0x0600, 0x0010, 0, 0, 0, 0))
    globals_size = 4 + len(bof) + len(globals_extra) + 4 + 8 + len(name) + 4
    bound = struct.pack("<LBBBB", globals_size, 0, 0, 2, 1) + name
    workbook = (
        biff_record(0x0809, bof) + globals_extra + biff_record(0x0085, bound)
        + biff_record(0x000A, b"")
    )  # fmt: skip
    assert len(workbook) == globals_size
    cells = b"".join(
        biff_label(r, c, str(value))
        for r, values in enumerate(rows)
        for c, value in enumerate(values)
    )
    sheet = sheet_bof + dimensions + cells + b"".join(extra) + biff_record(0x000A, b"")
    stream = workbook + sheet
    return stream + b"\0" * max(0, 4096 - len(stream)) * pad  # past the mini-stream cutoff


def compound(stream: bytes, *, difat_loop: bool = False) -> bytes:
    """A compound file (sectors of 512 bytes): the FAT first, then the directory, then
    the workbook stream — or, under 4,096 bytes, the mini FAT and the mini stream holding
    it; `difat_loop`: a DIFAT sector (the last) naming itself next."""
    free, end, fat_mark = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    mini = len(stream) < 4096
    body = stream + b"\0" * (-len(stream) % 512)
    count = len(body) // 512
    fats = -(-(count + 4) // 127)  # enough FAT sectors for themselves, the rest and one more
    first = fats + 1 + mini  # after the directory (and the mini FAT)
    fat = [fat_mark] * fats + [end] + [end] * mini + [*range(first + 1, first + count), end]
    fat += [free] * (128 * fats - len(fat))
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    mini_fat = (fats + 1, 1) if mini else (end, 0)
    struct.pack_into("<LLLLLLLL", header, 44, fats, fats, 0, 4096, *mini_fat, end, 0)
    header[76:512] = struct.pack("<109L", *range(fats), *[free] * (109 - fats))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        raw[: len(encoded)] = encoded
        struct.pack_into("<HBB3L", raw, 64, len(encoded), kind, 1, free, free, child)
        struct.pack_into("<LL", raw, 116, start, size)
        return bytes(raw)

    root = entry("Root Entry", 5, 1, first if mini else end, len(body) if mini else 0)
    directory = root + entry("Workbook", 2, free, 0 if mini else first, len(stream))
    sectors = struct.pack(f"<{len(fat)}L", *fat) + directory + b"\0" * 256
    if mini:  # mini sectors of 64 bytes, chained one after the other
        pieces = len(body) // 64
        sectors += struct.pack("<128L", *range(1, pieces), end, *[free] * (128 - pieces))
    sectors += body
    if difat_loop:
        itself = first + count
        struct.pack_into("<LL", header, 68, itself, 1)
        sectors += struct.pack("<128L", *[free] * 127, itself)
    return bytes(header) + sectors


@pytest.mark.parametrize("small", [False, True], ids=["sectors", "mini-stream"])
def test_an_xls_workbook_built_by_hand_reads(run, tmp_path, sql, small):
    path = tmp_path / "台账.xls"
    path.write_bytes(compound(xls_stream([HEADER[:6], row_of(1), row_of(2)], pad=not small)))
    out = run("import", str(path))
    assert "已导入 2 件" in out.stdout
    assert sql("SELECT name FROM cases ORDER BY id") == [("张1",), ("张2",)]


@pytest.mark.parametrize(
    ("extra", "dimensions", "words"),
    [
        # A cell at the last row and column a BIFF8 record can name: 4 billion cells.
        (biff_label(65_535, 65_535, "x"), b"", ("65536", "65,536 列")),
        # DIMENSIONS claiming every row and column: calamine reserves room for them first.
        (b"", biff_record(0x0200, struct.pack("<LLHHH", 0, 0xFFFFFFFF, 0, 0xFFFF, 0)), ("登记",)),
    ],
    ids=["far-cell", "dimensions"],
)
def test_an_xls_asking_for_billions_of_cells_is_refused(
    tmp_path, db_path, extra, dimensions, words
):
    path = tmp_path / "台账.xls"
    path.write_bytes(compound(xls_stream([HEADER[:6], row_of(1)], extra, dimensions=dimensions)))
    refused(tmp_path, db_path, path, *words)


def test_an_xls_shared_string_copied_into_every_cell_is_refused(tmp_path, db_path):
    text = "x" * 8_000
    sst = biff_record(0x00FC, struct.pack("<LLHB", 1, 1, len(text), 0) + text.encode())
    cells = b"".join(
        biff_record(0x00FD, struct.pack("<HHHL", row, column, 0, 0))
        for row in range(2, 62_502)
        for column in range(4)
    )
    stream = xls_stream([HEADER[:6], row_of(1)], cells, globals_extra=sst)
    path = tmp_path / "台账.xls"
    path.write_bytes(compound(stream))
    refused(tmp_path, db_path, path, "登记", "同一段文字被大量单元格重复引用")


def test_an_xls_whose_sector_chain_loops_is_refused(tmp_path, db_path):
    """calamine followed the loop, growing a list, until memory ran out."""
    path = tmp_path / "台账.xls"
    path.write_bytes(compound(xls_stream([HEADER[:6], row_of(1)]), difat_loop=True))
    refused(tmp_path, db_path, path, "不是有效的旧版 Excel（.xls）文件")


# CSV: a line without end, a row without end.


def test_a_csv_line_of_twenty_million_characters_is_refused_unread(tmp_path, db_path):
    path = tmp_path / "台账.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(",".join(HEADER) + "\n" + "张三," * 100 + "," * 20_000_000 + "\n")
    refused(tmp_path, db_path, path, "CSV 第 2 行超过 1,000,000 个字符")


def test_a_csv_row_of_many_columns_is_refused(run, tmp_path):
    path = tmp_path / "台账.csv"
    path.write_text(",".join(HEADER) + "\n" + ",".join(["x"] * 600) + "\n", encoding="utf-8")
    out = run("import", str(path), expect=2)
    assert "CSV 第 2 行有 600 列，最多 500 列" in out.stderr


def test_a_quoted_field_running_over_many_lines_is_bounded(run, tmp_path, monkeypatch):
    monkeypatch.setattr(bounds, "MAX_RECORD_CHARS", 10_000)
    path = tmp_path / "台账.csv"
    text = ",".join(HEADER) + '\n张三,13812345678,2026-11-02,来访,本级,"' + "很长\n" * 5_000 + '"\n'
    path.write_text(text, encoding="utf-8")
    out = run("import", str(path), expect=2)
    assert "超过 10,000 个字符" in out.stderr


# Text with terminal escapes, C1 controls and NUL, by the import door.

ESC_NAME = "_x001B_[31m张三_x001B_[0m"


def test_escapes_and_nul_from_a_workbook_never_reach_the_ledger_or_the_terminal(run, tmp_path, sql):
    rows = [
        [*HEADER, "备_x001B_[5m注二"],
        [ESC_NAME, "13812345678", "2026-10-02", "来访", "本级", "低保_x0000_停发\u0085\u009b2J"],
        [
            "李四",
            "13812345679",
            "2026-10-03",
            "来信",
            "本级",
            "院墙",
            "否（转送_x001B_]2;x_x0007_县局）",
        ],
        [
            "王五",
            "13812345670",
            "2026-10-04",
            "来访",
            "本级",
            "道路",
            "否",
            "告知途径：_x001B_[1m复议",
        ],
        ["赵六", "13812345671", "2026-13-45_x001B_[2J", "来访", "本级", "日期错"],
    ]
    path = xlsx(tmp_path / "台账.xlsx", xlsx_rows(rows), sheet="台&#27;账")
    outputs = [run("import", str(path)).output]
    outputs += [run("list").output, run("overdue", expect=None).output]
    outputs += [run("show", case).output for case in ("2026-0001", "2026-0002", "2026-0003")]
    outputs.append(run("show", "2026-0001", "--json").output)
    for output in outputs:
        assert not any(ch in output for ch in "\x1b\x00\x07\x85\x9b"), output
    assert "[31m张三[0m" in outputs[1] and "2026-0001" in outputs[2]  # overdue: not accepted
    texts = [value for row in sql("SELECT * FROM cases") for value in row if isinstance(value, str)]
    for (data,) in sql("SELECT data FROM events"):
        texts += [str(value) for value in _leaves(json.loads(data))]
    for (value,) in sql("SELECT value FROM settings"):
        texts += [str(leaf) for leaf in _leaves(json.loads(value))]
    assert texts and not [
        t
        for t in texts
        if any((ch < " " and ch not in "\n\t") or "\x7f" <= ch <= "\x9f" for ch in t)
    ]
    assert ("[31m张三[0m",) in sql("SELECT name FROM cases")  # the escape gone, the rest kept


def _leaves(value: object) -> list[object]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def test_a_csv_with_escapes_is_read_clean(run, tmp_path, sql):
    path = tmp_path / "台账.csv"
    path.write_text(
        ",".join(HEADER) + "\n\x1b[31m张三\x1b[0m,13812345678,2026-10-02,来访,本级,低保\x9b停发\n",
        encoding="utf-8",
    )
    run("import", str(path))
    assert sql("SELECT name, content FROM cases") == [("[31m张三[0m", "低保停发")]
    assert "\x1b" not in run("list").output


# The parameters are inputs, formats or widths of one code path: their variants run on SQLite,
# and each test's first on PostgreSQL too (conftest.pytest_collection_modifyitems).
pytestmark = pytest.mark.variants_on_sqlite
