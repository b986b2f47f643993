"""The ledger's folder of files next to the database: attachments the clerk added and the
archived case files (一案一卷). Every file is hashed when it is written, so that
`verify` can tell later whether anything was changed or lost."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xinfang.core.clock.dates import Moment, now
from xinfang.core.errors import InvalidInput
from xinfang.core.life.acting import act
from xinfang.core.life.case import Case
from xinfang.core.life.ledger import find
from xinfang.core.validate import clean_text
from xinfang.core.vocabulary import ATTACHMENT_KINDS, OTHER_MATERIALS
from xinfang.store.db import ledger_path
from xinfang.store.files import copy_private, private_dir

_PDF_PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def files_dir(conn: sqlite3.Connection) -> Path:
    """`xinfang.db` keeps its files in `xinfang-files/` beside it."""
    path = ledger_path(conn)
    return path.parent / f"{path.stem}-files"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def count_pages(path: Path) -> int:
    """Pages for the 案卷目录: a PDF's own count; a scan, photo or letter is one."""
    if path.suffix.lower() == ".pdf":
        found = len(_PDF_PAGE.findall(path.read_bytes()))
        return max(found, 1)
    return 1


def safe_name(text: str, limit: int = 40) -> str:
    return _UNSAFE.sub("_", text).strip()[:limit] or "文件"


@dataclass(frozen=True)
class Attached:
    case_no: str
    title: str
    stored: Path
    sha256: str
    pages: int


class Incoming:
    """A file brought into a case's folder by an action (`attach`; the 送达回执 of
    `deliver`): copied and hashed in the action's build, its attachment row written in the
    same transaction, and the copy removed again if the action is refused."""

    def __init__(
        self, conn: sqlite3.Connection, source: Path, *, kind: str, title: str | None
    ) -> None:
        if kind not in ATTACHMENT_KINDS:
            raise InvalidInput("材料类别", f"只能是 {'、'.join(ATTACHMENT_KINDS)}，不能是“{kind}”")
        if not source.is_file():
            raise InvalidInput("文件", f"{source} 不存在或不是文件")
        self.conn, self.source, self.kind = conn, source, kind
        self.title = clean_text(title, "材料名称", max_length=100) or source.stem
        self.base = files_dir(conn)
        self.stored: Path | None = None
        self.sha256, self.pages = "", 0

    def copy(self, case: Case) -> dict[str, Any]:
        """Copy the file in (inside the action's build); returns the event's record of it."""
        folder = private_dir(self.base, "attachments", case.number)
        number = sum(not p.name.startswith(".") for p in folder.iterdir()) + 1  # not a .part
        self.stored = folder / f"{number:02d}-{safe_name(self.source.name, 80)}"
        copy_private(self.source, self.stored)
        self.sha256, self.pages = sha256(self.stored), count_pages(self.stored)
        return {"title": self.title, "kind": self.kind, "file": self.stored.name,
                "sha256": self.sha256}  # fmt: skip

    def record(self, case: Case) -> None:
        assert self.stored is not None
        self.conn.execute(
            "INSERT INTO attachments (case_id, kind, title, original_name, stored_path, sha256, "
            "size, pages, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                case.id, self.kind, self.title, self.source.name,
                str(self.stored.relative_to(self.base)), self.sha256,
                self.stored.stat().st_size, self.pages, now().isoformat(sep=" "),
            ),
        )  # fmt: skip

    def bring(
        self,
        ref: str,
        action: str,
        on: str | None,
        by: str | None,
        build: Callable[[Case, Moment], dict[str, Any]],
    ) -> str:
        """Run the action (its build calls `copy` once its checks pass) with the file."""
        try:
            return act(self.conn, ref, action, on, by, build, self.record).case_no
        except BaseException:
            if self.stored is not None:
                self.stored.unlink(missing_ok=True)  # the copy goes with the refused action
            raise


def attach(
    conn: sqlite3.Connection,
    ref: str,
    source: Path,
    *,
    kind: str = OTHER_MATERIALS,
    title: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> Attached:
    """Copy a file into the ledger's folder, hash it, and record it as an event."""
    incoming = Incoming(conn, source, kind=kind, title=title)
    case_no = incoming.bring(ref, "attach", on, by, lambda case, when: incoming.copy(case))
    assert incoming.stored is not None
    return Attached(case_no, incoming.title, incoming.stored, incoming.sha256, incoming.pages)


@dataclass(frozen=True)
class Checked:
    path: str
    state: str  # 完好 | 已改动 | 缺失


def verify(conn: sqlite3.Connection, ref: str) -> list[Checked]:
    """Every attachment and archived file of a case against the hash taken when it was
    written."""
    case = find(conn, ref)
    base = files_dir(conn)
    recorded = conn.execute(
        "SELECT stored_path, sha256 FROM attachments WHERE case_id = ? "
        "UNION ALL SELECT path, sha256 FROM archive_files WHERE case_id = ?",
        (case.id, case.id),
    ).fetchall()
    results = []
    for relative, digest in recorded:
        path = base / relative
        if not path.is_file():
            state = "缺失"
        else:
            state = "完好" if sha256(path) == digest else "已改动"
        results.append(Checked(relative, state))
    return results
