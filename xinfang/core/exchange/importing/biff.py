"""An .xls workbook measured before calamine reads it. calamine loads every sheet of an
.xls file when it opens it, trusting the file's numbers: a sector count or a DIMENSIONS
record can make it reserve gigabytes, a chain of sectors that loops makes it grow until
memory runs out, and cells may sit at any of 65,536 × 65,536 places. So the compound
file's chains are walked here as calamine walks them (refused at the first loop or
stray number), and each sheet's cell records give its area."""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from pathlib import Path

from xinfang.core.exchange.importing.bounds import MAX_CELLS, Area, Unreadable, check_areas

SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
END_OF_CHAIN, FIRST_RESERVED, FIRST_SPECIAL = 0xFFFFFFFE, 0xFFFFFFFA, 0xFFFFFFFC
STREAMS = ("Workbook", "Book", "WORKBOOK", "BOOK")  # the names calamine looks for, in order
MINI_CUTOFF, MINI_SECTOR = 4096, 64
_U16, _U32, _RECORD = struct.Struct("<H"), struct.Struct("<L"), struct.Struct("<HH")
# Records that place one cell at (row, column), as calamine reads them.
_CELLS = {0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006}
_MULRK, _STRING, _DIMENSIONS, _LABELSST = 0x00BD, 0x0207, 0x0200, 0x00FD
_SST, _CONTINUE = 0x00FC, 0x003C
_BOF, _EOF, _BOUNDSHEET = 0x0809, 0x000A, 0x0085


def check_xls(path: Path) -> None:
    data = path.read_bytes()
    stream = _workbook_stream(data)
    if stream is not None:
        check_areas(_areas(stream), together=True)


def _u32s(block: bytes) -> list[int]:
    return list(struct.unpack_from(f"<{len(block) // 4}L", block))


def _workbook_stream(data: bytes) -> bytes | None:
    """The workbook stream, assembled as calamine assembles it; None if there is none
    (an encrypted .xlsx is such a file: calamine says so itself)."""
    if len(data) < 512 or data[:8] != SIGNATURE:
        raise Unreadable
    shift = _U16.unpack_from(data, 30)[0]
    if shift not in (9, 12) or _U16.unpack_from(data, 32)[0] != 6:
        raise Unreadable
    size = 1 << shift
    version = _U16.unpack_from(data, 26)[0]
    last = len(data) // size  # calamine's highest sector number
    fat_sectors, dir_start = _U32.unpack_from(data, 44)[0], _U32.unpack_from(data, 48)[0]
    mini_fat_start, mini_fat_sectors = _U32.unpack_from(data, 60)[0], _U32.unpack_from(data, 64)[0]
    difat_start = _U32.unpack_from(data, 68)[0]
    # calamine reserves room for these counts before reading anything (the second one
    # it takes from the wrong offset, 62): bound them by what the file can hold.
    if fat_sectors > last + 1 or _U32.unpack_from(data, 62)[0] > 2**24:
        raise Unreadable

    def sector(number: int) -> bytes:
        if number > last:
            raise Unreadable
        return data[size * (number + 1) : size * (number + 2)]

    difat = _u32s(data[76:512])
    seen: set[int] = set()
    while difat_start < FIRST_RESERVED:
        if difat_start in seen:
            raise Unreadable  # calamine would loop, growing, until memory runs out
        seen.add(difat_start)
        difat += _u32s(sector(difat_start))
        difat_start = difat.pop()
    listed = [number for number in difat if number < FIRST_SPECIAL]
    if len(listed) > last + 1:
        raise Unreadable  # the same sector listed again and again: a FAT of gigabytes
    fat = [entry for number in listed for entry in _u32s(sector(number))]

    def chain(start: int, table: list[int], read: Callable[[int], bytes], limit: int) -> bytes:
        """Sectors from `start` until the end mark or `limit` bytes, as calamine reads
        them; a loop, or a link outside the table, is refused."""
        parts: list[bytes] = []
        total, number, visited = 0, start, set()
        while number != END_OF_CHAIN and total < limit:
            if number in visited or number >= len(table):
                raise Unreadable
            visited.add(number)
            part = read(number)
            parts.append(part[: limit - total])
            total += len(parts[-1])
            number = table[number]
        return b"".join(parts)

    directory = chain(dir_start, fat, sector, len(data))
    entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        raise Unreadable
    names = [entry[:64].decode("utf-16-le", "replace").split("\0")[0] for entry in entries]

    def length(entry: bytes) -> int:
        return (_U32 if size == 512 else struct.Struct("<Q")).unpack_from(entry, 120)[0]

    root_start = _U32.unpack_from(entries[0], 116)[0]
    if version != 3 and root_start == END_OF_CHAIN:
        raise Unreadable
    mini_stream, mini_fat = b"", []
    if mini_fat_sectors > 0:
        mini_stream = chain(root_start, fat, sector, min(length(entries[0]), len(data)))
        mini_fat = _u32s(chain(mini_fat_start, fat, sector, mini_fat_sectors * size))

    def mini_sector(number: int) -> bytes:
        if (number + 1) * MINI_SECTOR > len(mini_stream):
            raise Unreadable  # calamine would read past its mini stream, growing it
        return mini_stream[number * MINI_SECTOR : (number + 1) * MINI_SECTOR]

    for wanted in STREAMS:
        if wanted in names:
            entry = entries[names.index(wanted)]
            start, total = _U32.unpack_from(entry, 116)[0], length(entry)
            if total < MINI_CUTOFF:
                return chain(start, mini_fat, mini_sector, total)
            return chain(start, fat, sector, min(total, len(data)))
    return None


def _records(stream: bytes, position: int) -> Iterator[tuple[int, int, int]]:
    """(type, offset of its data, its size) of each record from `position`."""
    while position + 4 <= len(stream):
        kind, size = _RECORD.unpack_from(stream, position)
        if position + 4 + size > len(stream):
            return  # cut short: calamine refuses the file
        yield kind, position + 4, size
        position += 4 + size


def _areas(stream: bytes) -> list[Area]:
    """Each sheet's area, from its cell records; calamine's DIMENSIONS reservation
    counted as held cells."""
    sheets: list[tuple[int, str]] = []
    strings: list[int] = []
    for kind, at, size in _records(stream, 0):
        if kind == _EOF:
            break
        if kind == _SST:
            strings = _string_sizes(_continued(stream, at, size))
        if kind == _BOUNDSHEET and size >= 4:
            sheets.append((_U32.unpack_from(stream, at)[0], _sheet_name(stream[at : at + size])))
    areas = []
    for position, name in sheets:
        if position > len(stream):
            raise Unreadable  # calamine would panic reading it
        area = Area(name)
        areas.append(area)
        depth, begun = 0, False
        for kind, at, size in _records(stream, position):
            if depth:  # an embedded chart's records: calamine skips them
                depth += (kind == _BOF) - (kind == _EOF)
                continue
            if kind == _BOF:
                depth, begun = (1, begun) if begun else (0, True)
            elif kind == _EOF:
                break
            elif kind == _DIMENSIONS:
                area.held = max(area.held, _reserved(stream[at : at + size]))
            elif kind in _CELLS and size >= 4:
                row, column = _RECORD.unpack_from(stream, at)
                area.add(row, column)
                area.held += 1
                if kind == _LABELSST and size >= 10:  # a copy of the shared string
                    index = _U32.unpack_from(stream, at + 6)[0]
                    area.text += strings[index] if index < len(strings) else 0
            elif kind == _STRING:  # a formula's text, at the formula's place
                area.held += 1
            elif kind == _MULRK and size >= 6:
                row, first = _RECORD.unpack_from(stream, at)
                count = (size - 6) // 6
                if count:
                    area.add(row, first, row, first + count - 1)
                    area.held += count
    return areas


def _continued(stream: bytes, at: int, size: int) -> list[bytes]:
    """A record's data and that of the CONTINUE records after it, as calamine joins them."""
    blocks = [stream[at : at + size]]
    position = at + size
    while position + 4 <= len(stream):
        kind, size = _RECORD.unpack_from(stream, position)
        if kind != _CONTINUE:
            break
        blocks.append(stream[position + 4 : position + 4 + size])
        position += 4 + size
    return blocks


def _string_sizes(blocks: list[bytes]) -> list[int]:
    """Each shared string's size as UTF-8 (at most 3 bytes a character), walked as
    calamine walks the SST record: a string's characters may go on in the next block,
    which then starts with its own flags byte."""
    sizes: list[int] = []
    data, position, rest = blocks[0], 8, blocks[1:]  # after the two counts
    try:
        while position < len(data) or rest:
            if position >= len(data):
                data, position = rest.pop(0), 0
                continue
            count, flags = _U16.unpack_from(data, position)[0], data[position + 2]
            position += 3
            runs = 4 * _U16.unpack_from(data, position)[0] if flags & 0x8 else 0
            position += 2 if flags & 0x8 else 0
            extra = _U32.unpack_from(data, position)[0] if flags & 0x4 else 0
            position += 4 if flags & 0x4 else 0
            left, wide = count, flags & 0x1
            while left:
                taken = min(left, (len(data) - position) // (2 if wide else 1))
                position, left = position + taken * (2 if wide else 1), left - taken
                if left:
                    data, position = rest.pop(0), 1
                    wide = data[0] & 0x1
            sizes.append(3 * count)
            skip = runs + extra
            while skip:
                if position >= len(data):
                    data, position = rest.pop(0), 0
                taken = min(skip, len(data) - position)
                position, skip = position + taken, skip - taken
    except (IndexError, struct.error):
        pass  # cut short: calamine refuses the file; what was read is what counts
    return sizes


def _reserved(record: bytes) -> int:
    """The cells calamine reserves room for from a DIMENSIONS record (its arithmetic,
    wrapping past 2^32 as it does, refused beyond the limit)."""
    if len(record) == 10:
        first_row, last_row, first_col, last_col = struct.unpack_from("<4H", record)
    elif len(record) == 14:
        first_row, last_row, first_col, last_col = struct.unpack_from("<LLHH", record)
    else:
        return 0
    if first_col > 0xFF or last_col < first_col:
        first_col = 0
    if last_row < 1 or last_col < 1:
        return 1
    rows = (last_row - 1 - first_row + 1) & 0xFFFFFFFF
    columns = (last_col - 1 - first_col + 1) & 0xFFFFFFFF
    return min(rows * columns, MAX_CELLS + 1)


def _sheet_name(record: bytes) -> str:
    """A BoundSheet record's name (for the refusal only): BIFF8 Unicode, or bytes."""
    if len(record) < 8:
        return "?"
    count, flags = record[6], record[7]
    if flags & 1:
        return record[8 : 8 + 2 * count].decode("utf-16-le", "replace")
    if flags == 0 and len(record) >= 8 + count:
        return record[8 : 8 + count].decode("latin-1")
    return record[7 : 7 + count].decode("gbk", "replace")  # BIFF5: bytes in the code page
