""".xlsx and .ods workbooks are zip files: their parts are unpacked here, each one as its
bytes really inflate (a header may claim 1 KB for a part that inflates to 10 GB, and the
reader believes the bytes, not the header), bounded, and scanned for where their cells
lie, as calamine will read them: an .xlsx cell at its `r` reference (or after the one
before it), an .ods cell after the ones before it with their repeat counts."""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from array import array
from collections.abc import Callable, Iterator
from functools import partial
from html import unescape
from pathlib import Path
from typing import BinaryIO

from xinfang.core.exchange.importing.bounds import (
    MAX_PARTS,
    Area,
    Unreadable,
    check_areas,
    check_part,
)

CHUNK = 4 * 2**20
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # signature … name length, extra length
_CENTRAL_END = b"PK\x05\x06"
_MAX_DIRECTORY = 4 * 2**20  # bytes of the zip's table of contents (~40,000 parts)

# An .xlsx cell or row tag (any namespace prefix), then — for a cell — the body of an
# empty one: nothing, or a formula whose cached value is empty. calamine keeps neither.
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
# Attributes, with '>' allowed inside quotes as XML allows it.
_ATTRIBUTES = rb"""([^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*)"""
_EMPTY_BODY = rb"(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?(?:<v/>|<v></v>)?</c>"
# After a cell's tag: the body of an empty one, or the number a value starts with (for a
# shared string, its index).
_BODY = rb"(?:(" + _EMPTY_BODY + rb")|<v>([0-9]{1,10})</v>)?"
_TAGS = rb"<%s(c|row)(?=[\s/>])" + _ATTRIBUTES + rb">" + _BODY + rb"|</%s(row)\s*>"
_PLAIN_TAGS = re.compile(_TAGS % (b"", b""))
_ANY_TAGS = re.compile(_TAGS % (_PREFIX, _PREFIX))
_TAG_START = re.compile(rb"<" + _PREFIX + rb"(?:c|row)(?=[\s/>])")
_BODY_TAGS = (b"</c>", b"<f", b"</f", b"<v", b"</v")
_MAX_CARRY = 2**20  # a text longer than this between two tags is not kept whole
_REF = re.compile(rb'(?:^|\s)r\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
# A cell as every writer writes it, `r` first: its reference, whether it closes itself,
# and the body of an empty one.
_PLAIN_CELLS = re.compile(
    rb'<c r="([A-Z]{1,3}[1-9][0-9]{0,6})"((?:\s+(?!r[\s=])[\w:.-]+="[^"]*")*)\s*(/?)>' + _BODY
)
_SHARED = re.compile(rb"""(?:^|\s)t\s*=\s*["']s["']""")  # a shared string's cell
_SI = re.compile(rb"<" + _PREFIX + rb"si(?=[\s/>])")
_OTHER_CELL = re.compile(rb'<c(?:[\t\n\r/>]| (?!r="))')
_UPPER = bytes(range(65, 91))
_CELL_REF = re.compile(rb"([A-Za-z]*)([0-9]*)")

# An .ods table, row or cell tag, with what follows it up to the next such tag (a cell's
# text, which calamine copies into every column and row the cell is repeated over).
_ODS_TAGS = re.compile(
    rb"<table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])" + _ATTRIBUTES + rb">"
    rb"((?:[^<]+|<(?!/?table:))*)|</table:(table|table-row)>"
)
_ODS_VALUE = rb"""\s*=\s*(?:"([^"]*)"|'([^']*)')"""
_ODS_NAME = re.compile(rb"\stable:name" + _ODS_VALUE)
_ODS_ROWS = re.compile(rb"\stable:number-rows-repeated" + _ODS_VALUE)
_ODS_COLUMNS = re.compile(rb"\stable:number-columns-repeated" + _ODS_VALUE)
ODS_MAX_ROWS, ODS_MAX_COLUMNS = 1_048_576, 16_384  # calamine caps repeats at these


def check_zip(path: Path) -> None:
    """Every part within bounds, and every sheet's used area (.xlsx: each sheet on its
    own, as the reader loads one at a time; .ods: all together, as it loads them all)."""
    _check_directory(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Unreadable from None
    with archive, path.open("rb") as raw:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise Unreadable
        for part in parts:
            check_part(part.filename, part.file_size)
        names = {part.filename for part in parts}
        sheets = _sheet_names(archive) if "xl/workbook.xml" in names else {}
        strings = Strings()
        for part in parts:  # calamine looks for it in any case, under the workbook's folder
            if part.filename.lower().endswith("sharedstrings.xml"):
                strings.read(_inflate(raw, part))
        areas = []
        for part in parts:
            if part.filename == "content.xml":
                check_areas(_ods_areas(_inflate(raw, part)), together=True)
            # Any part may be named a sheet by the workbook's relations: scan them all.
            name = sheets.get(part.filename, part.filename)
            area = _xlsx_area(partial(_inflate, raw, part), name, strings)
            if area.bottom >= 0:
                areas.append(area)
        check_areas(areas, together=False)


def is_zip(path: Path) -> bool:
    """Whether any zip reader would take the file for a zip (it looks for the end record)."""
    return _central_end(path) is not None


def _check_directory(path: Path) -> None:
    """The zip's table of contents is read whole by both zip readers: bound it first."""
    found = _central_end(path)
    if found is None:
        raise Unreadable
    entries, directory = found
    if entries == 0xFFFF or directory > _MAX_DIRECTORY:  # zip64, or absurdly many parts
        raise Unreadable


def _central_end(path: Path) -> tuple[int, int] | None:
    """(parts, bytes of the table of contents) from the zip's end record, if any."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 65_557))
        tail = handle.read()
    end = tail.rfind(_CENTRAL_END)
    if end < 0 or len(tail) < end + 22:
        return None
    entries, directory = struct.unpack_from("<HL", tail, end + 10)
    return entries, directory


def _inflate(raw: BinaryIO, part: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's bytes as they really inflate, in chunks, refused past the limit."""
    if part.flag_bits & 1 or part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise Unreadable  # encrypted, or packed in a way no spreadsheet program uses
    raw.seek(part.header_offset)
    header = raw.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise Unreadable
    *_, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    raw.seek(part.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    inflater = zlib.decompressobj(-15) if part.compress_type == zipfile.ZIP_DEFLATED else None
    left, total = part.compress_size, 0
    while left > 0 and not (inflater and inflater.eof):
        packed = raw.read(min(left, CHUNK // 4 + 1))
        if not packed:
            raise Unreadable
        left -= len(packed)
        while packed:
            try:
                out = inflater.decompress(packed, CHUNK) if inflater else packed
            except zlib.error:
                raise Unreadable from None
            packed = inflater.unconsumed_tail if inflater else b""
            total += len(out)
            check_part(part.filename, total)
            if out:
                yield out
    if inflater and (rest := inflater.flush()):
        check_part(part.filename, total + len(rest))
        yield rest


def _tags(chunks: Iterator[bytes]) -> Iterator[tuple[bytes, ...]]:
    """The .xlsx tags in the stream, in the faster pattern where no namespace prefix is
    in sight."""
    for buffer, end in _regions(chunks, _cut, _carry):
        prefixed = buffer.find(b":c", 0, end) >= 0 or buffer.find(b":row", 0, end) >= 0
        yield from (_ANY_TAGS if prefixed else _PLAIN_TAGS).findall(buffer, 0, end)


def _regions(
    chunks: Iterator[bytes], cut: Callable[[bytes], int], carry: Callable[[bytes], bytes]
) -> Iterator[tuple[bytes, int]]:
    """The stream as (buffer, end): what is before `end` is whole, the rest is carried
    over to the next chunk."""
    kept = b""
    for chunk in chunks:
        buffer = kept + chunk
        end = cut(buffer)
        yield buffer, end
        kept = carry(buffer[end:])
    yield kept, len(kept)


def _cut(buffer: bytes) -> int:
    """Where to stop this time: at the last '<', unless it is inside a cell's body (the
    empty-cell pattern must see the whole body after the cell's tag)."""
    cut = buffer.rfind(b"<")
    while cut > 0 and _in_body(buffer[cut : cut + 4]):
        cut = buffer.rfind(b"<", 0, cut)
    return max(cut, 0)


def _in_body(start: bytes) -> bool:
    """Whether a tag starting so (perhaps cut short) may be part of a cell's body."""
    return any(tag.startswith(start) or start.startswith(tag) for tag in _BODY_TAGS)


def _carry(rest: bytes) -> bytes:
    """What is kept for the next chunk: the tag that may be cut, not a long text after it."""
    if len(rest) <= _MAX_CARRY:
        return rest
    whole = _ANY_TAGS.match(rest)
    if whole:
        return rest[: whole.end()]
    if _TAG_START.match(rest):
        raise Unreadable  # a cell or row tag longer than any spreadsheet writes
    return b""


def _ods_cut(buffer: bytes) -> int:
    """At the last table, row or cell tag: a cell and its text are measured whole (no
    such tag: all but the end, where one may begin)."""
    cut = max(buffer.rfind(b"<table:"), buffer.rfind(b"</table:"))
    return cut if cut >= 0 else max(len(buffer) - 16, 0)


def _ods_carry(rest: bytes) -> bytes:
    """The last tag, with the text after it while that may be a cell's."""
    if len(rest) <= _MAX_CARRY:
        return rest
    whole = _ODS_TAGS.match(rest)
    if whole is None:
        return rest[-16:]
    if whole.group(3) is None:  # an end tag
        return rest[: whole.end()]
    if whole.group(1) in (b"table-cell", b"covered-table-cell"):
        raise Unreadable  # one cell's text longer than any spreadsheet holds
    return rest[: whole.start(3)]  # a table or row: what follows it is not a cell's


class Strings:
    """The shared strings' sizes in bytes (each at most its XML), by index: calamine
    copies a shared string into every cell that names it."""

    def __init__(self) -> None:
        self.sizes: array[int] = array("q")
        self.largest = 0

    def size(self, index: bytes) -> int:
        """The string a cell's `<v>` names (not read: written otherwise, the largest)."""
        if not index:
            return self.largest
        number = int(index)
        return self.sizes[number] if number < len(self.sizes) else 0

    def read(self, chunks: Iterator[bytes]) -> None:
        """Each `<si>` item's bytes, up to the next, a part at a time."""
        current = -1  # bytes of the item being read so far (none yet)
        for buffer, end in _regions(chunks, _si_cut, bytes):
            head, *items = _SI.split(buffer[:end])
            current += len(head) if current >= 0 else 0
            if items:
                if current >= 0:
                    self.sizes.append(current)
                self.sizes.extend(map(len, items[:-1]))
                current = len(items[-1])
        if current >= 0:
            self.sizes.append(current)
        self.largest = max(self.sizes, default=0)


def _si_cut(buffer: bytes) -> int:
    """All of it but a tag that may be cut at its end."""
    cut = buffer.rfind(b"<", max(0, len(buffer) - 32))
    return cut if cut >= 0 else len(buffer)


class _Irregular(Exception):
    """A cell written otherwise than with one plain `r="B7"`: measured the slow way."""


def _xlsx_area(part: Callable[[], Iterator[bytes]], sheet: str, strings: Strings) -> Area:
    """Where the part's non-empty cells lie, as calamine places them, and the text it
    copies into them from the shared strings. Every writer puts a plain `r="B7"` on each
    cell: those are gathered and measured in bulk; a part that does otherwise is walked
    cell by cell."""
    try:
        return _plain_area(part(), sheet, strings)
    except _Irregular:
        return _exact_area(part(), sheet, strings)


def _plain_area(chunks: Iterator[bytes], sheet: str, strings: Strings) -> Area:
    area = Area(sheet)
    for buffer, end in _regions(chunks, _cut, _carry):
        if _OTHER_CELL.search(buffer, 0, end) or buffer.find(b":c", 0, end) >= 0:
            raise _Irregular  # a cell not starting `<c r="`, or a namespace prefix
        cells = _PLAIN_CELLS.findall(buffer, 0, end)
        if len(cells) != buffer.count(b'<c r="', 0, end):
            raise _Irregular
        kept = [cell for cell in cells if not (cell[2] or cell[3])]
        _measure_refs([cell[0] for cell in kept], area)
        if strings.largest:  # attributes written plainly: ` t="s"` is the shared-string mark
            area.text += sum(strings.size(cell[4]) for cell in kept if b' t="s"' in cell[1])
    return area


def _measure_refs(refs: list[bytes], area: Area) -> None:
    """The extremes of a batch of plain references, found at C speed."""
    if not refs:
        return
    blob = b"\n".join(refs)
    letters = blob.translate(None, b"0123456789").split()
    numbers = blob.translate(None, _UPPER).split()
    lowest = max(map(int, numbers))
    at = numbers.index(b"%d" % lowest)
    area.add(lowest - 1, _column(letters[at]))
    distinct = {word: _column(word) for word in set(letters)}
    right = max(distinct, key=distinct.__getitem__)
    at = letters.index(right)
    area.add(int(numbers[at]) - 1, distinct[right])
    area.add(area.bottom, min(distinct.values()))
    area.held += len(refs)


def _column(letters: bytes) -> int:
    column = 0
    for letter in letters:
        column = column * 26 + letter - 64
    return column - 1


def _exact_area(chunks: Iterator[bytes], sheet: str, strings: Strings) -> Area:
    """Cell by cell, as calamine reads them: at their `r`, or after the cell before (a
    row without `r` follows the one before)."""
    area = Area(sheet)
    row = column = 0
    for name, attributes, empty, value, end in _tags(chunks):
        if end:
            row, column = row + 1, 0
            continue
        if attributes.endswith(b"/"):
            continue  # <c …/> or <row …/>: calamine does not even count it
        refs = [_place(a or b) for a, b in _REF.findall(attributes)]
        places = [place for place in refs if place is not None]
        if len(places) < len(refs):
            break  # a reference calamine cannot read: it refuses the sheet here
        if name == b"row":
            row = places[-1][0] if places else row
            continue
        if any(place[1] < 0 for place in places):
            break  # a cell reference without a column: refused the same way
        cells = places or [(row, column)]
        column = cells[-1][1] + 1
        if not empty:
            for cell in cells:  # two `r` in one tag: both counted, whichever it takes
                area.add(*cell)
                area.held += 1
                area.text += strings.size(value) if _SHARED.search(attributes) else 0
    return area


def _place(ref: bytes) -> tuple[int, int] | None:
    """`B7` -> (6, 1), `7` -> (6, -1), with calamine's 32-bit arithmetic; None if it
    would refuse it."""
    found = _CELL_REF.fullmatch(ref)
    if found is None or not found.group(2):
        return None
    column = 0
    for letter in found.group(1).upper():
        column = (column * 26 + letter - 64) & 0xFFFFFFFF
    row = 0
    for digit in found.group(2):
        row = (row * 10 + digit - 48) & 0xFFFFFFFF
    if row == 0:
        return None
    return row - 1, column - 1


def _ods_areas(chunks: Iterator[bytes]) -> list[Area]:
    """Each table's area, as calamine lays it out: the rows from the first to the last
    with a value, each repeated as often as it says, a cell's text in every copy."""
    areas: list[Area] = []
    area: Area | None = None
    rows = column = pending = 0  # pending: empty cells laid out only if a cell follows
    first = last = 0  # the rows the current row element stands for
    for buffer, stop in _regions(chunks, _ods_cut, _ods_carry):
        for name, attributes, body, end in _ODS_TAGS.findall(buffer, 0, stop):
            if end == b"table":
                area = None
            elif name == b"table":
                named = _attribute(_ODS_NAME, attributes)
                area = None if named is None else Area(named)
                if area is not None:
                    areas.append(area)
                rows = 0
            elif area is None:
                continue
            elif name == b"table-row":
                first = rows
                rows += min(_repeats(_ODS_ROWS, attributes), ODS_MAX_ROWS - rows)
                last, column, pending = rows - 1, 0, 0
            elif name:  # a cell: read once, laid out on every row its row element repeats
                column += min(pending, ODS_MAX_COLUMNS - column)
                width = min(_repeats(_ODS_COLUMNS, attributes), ODS_MAX_COLUMNS - column)
                area.held += pending
                if b"office:value" in attributes or b"table:formula" in attributes:
                    area.held += width
                    if width > 0 and last >= first:
                        area.add(first, column, last, column + width - 1)
                        copies = width * (last - first + 1)
                        area.text += (len(attributes) + len(body)) * copies
                    column, pending = column + width, 0
                else:
                    pending = width
    return areas


def _attribute(pattern: re.Pattern[bytes], attributes: bytes) -> str | None:
    found = pattern.search(attributes)
    if found is None:
        return None
    return unescape((found.group(1) or found.group(2) or b"").decode("utf-8", "replace"))


def _repeats(pattern: re.Pattern[bytes], attributes: bytes) -> int:
    """A repeat count as calamine parses it (Rust's usize: an optional '+', digits);
    1 if absent — or unreadable, which calamine refuses."""
    value = _attribute(pattern, attributes)
    if value is None or not re.fullmatch(r"\+?[0-9]{1,20}", value, re.ASCII):
        return 1
    return min(int(value), 2**64 - 1)


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name -> the sheet's name, for naming it in a refusal (best effort)."""

    def tags(part: str, tag: bytes) -> list[dict[bytes, str]]:
        found = re.findall(rb"<" + tag + rb"\b([^>]*)>", _small(archive, part))
        return [
            {key.split(b":")[-1]: unescape(value.decode("utf-8", "replace"))
             for key, value in re.findall(rb'([\w:.-]+)\s*=\s*"([^"]*)"', attributes)}
            for attributes in found
        ]  # fmt: skip

    try:
        targets = {
            tag.get(b"Id"): tag.get(b"Target", "")
            for tag in tags("xl/_rels/workbook.xml.rels", b"Relationship")
        }
        found = {}
        for sheet in tags("xl/workbook.xml", b"sheet"):
            target = targets.get(sheet.get(b"id"), "")
            found[target[1:] if target.startswith("/") else f"xl/{target}"] = sheet.get(b"name", "")
        return found
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError):
        return {}


def _small(archive: zipfile.ZipFile, name: str) -> bytes:
    """A part that is read whole only if small (the names are only for messages)."""
    if archive.getinfo(name).file_size > 2**20:
        return b""
    with archive.open(name) as handle:
        return handle.read(2**20)
