"""The shape of a ledger: every table, index, trigger and view, each by its CREATE
statement as SQLite keeps it (comments and spacing aside), and how a file's shape differs
from what its version must have. A restore takes nothing else: a dropped no-delete
trigger, an extra trigger that deletes history, a missing table or a version number that
does not match the tables all show here."""

from __future__ import annotations

import re
import sqlite3
from functools import cache

from xinfang.store import migrations

Shape = dict[tuple[str, str], str]

KINDS = {"trigger": "触发器", "table": "数据表", "view": "视图", "index": "索引"}
_PIECE = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]"""  # quoted: kept as written
    r"""|--[^\n]*|/\*.*?(?:\*/|\Z)|\s+"""  # comments and spacing: one space
    r"""|[^'"`\[\s/-]+|.""",
    re.S,
)


def _normal(sql: str) -> str:
    pieces: list[str] = []
    for match in _PIECE.finditer(sql):
        piece = match.group()
        if piece[0].isspace() or piece.startswith(("--", "/*")):
            if pieces and pieces[-1] != " ":
                pieces.append(" ")
        else:
            pieces.append(piece)
    return "".join(pieces).strip()


def of(conn: sqlite3.Connection) -> Shape:
    """Every schema object but SQLite's own statistics and the indexes behind UNIQUE
    constraints (those follow from the table's statement)."""
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master "
        "WHERE sql IS NOT NULL AND NOT (type = 'table' AND name LIKE 'sqlite^_stat%' ESCAPE '^')"
    ).fetchall()
    shape = {(kind, name): _normal(sql) for kind, name, sql in rows}
    # A full-text index's own tables are made by SQLite's fts5 module, whose statements
    # may vary with the SQLite version: they must be there, as written is not compared.
    virtual = [
        name for (kind, name), sql in shape.items() if sql.upper().startswith("CREATE VIRTUAL")
    ]
    for key in shape:
        if key[0] == "table" and any(key[1].startswith(f"{v}_") for v in virtual):
            shape[key] = ""
    return shape


@cache
def expected(version: int) -> Shape:
    conn = migrations.reference(version)
    try:
        return of(conn)
    finally:
        conn.close()


def differences(conn: sqlite3.Connection, version: int) -> list[str]:
    """What differs from a ledger of `version`, in Chinese, triggers first."""
    want, have = expected(version), of(conn)
    found = []
    for kind, name in sorted(
        want.keys() | have.keys(),
        key=lambda k: (list(KINDS).index(k[0]) if k[0] in KINDS else 9, k[1]),
    ):
        label = KINDS.get(kind, kind)
        if (kind, name) not in have:
            found.append(f"缺少{label} {name}")
        elif (kind, name) not in want:
            found.append(f"多出{label} {name}")
        elif have[kind, name] != want[kind, name]:
            found.append(f"{label} {name} 与应有的不同")
    return found
