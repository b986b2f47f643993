"""归档: the case file (一案一卷) as a folder and a .zip of it, in the order of the 案卷目录
(seed 000): cover and catalogue first, then 1 登记表, 2 来源材料, 3 受理（不予受理）告知书,
4 调查办理材料, 5 答复书, 6 结案审批表, 7 回访表, 8 其他材料. Every file is hashed into
`archive_files` in the same transaction as the case's 归档 event, and the folder only
takes its final name inside that transaction: a failed archive leaves nothing behind."""

from __future__ import annotations

import os
import shutil
import sqlite3
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xinfang.core import cases, documents, ledger
from xinfang.core.dates import chinese_date, moment
from xinfang.core.files import files_dir, safe_name, sha256
from xinfang.core.numbering import short_number
from xinfang.core.states import Status, check_step
from xinfang.core.vocabulary import (
    ATTACHMENT_KINDS,
    INQUIRY_MATERIALS,
    OTHER_MATERIALS,
    SOURCE_MATERIALS,
)
from xinfang.outputs import docx
from xinfang.store.files import copy_private, private_dir, private_output

# The eight sections of 一案一卷 (seed 000), as the 案卷目录 template prints them:
# templates/build_templates.py takes them from here.
CATALOGUE = (
    "信访来访登记表",
    "来访记录、信件、电话记录、部门转办、交办信访案件的函、县委、县政府领导批办单、"
    "舆情转办单等信访受理来源资料",
    "信访来访受理告知书（送达回执）",
    "信访调查办理过程中形成的书面文字资料",
    "信访答复意见书（送达回执）",
    "信访结案审批登记表",
    "信访回访及满意度调查情况表",
    "其他涉及信访案件的资料",
)


@dataclass
class Entry:
    section: int  # 1–8 in the catalogue; 0 for the cover and catalogue themselves
    name: str
    pages: int
    document: str | None = None  # a template title to render
    source: Path | None = None  # an attachment to copy


@dataclass
class Archived:
    case_no: str
    folder: Path
    zip_path: Path
    files: list[Path] = field(default_factory=list)
    pages: int = 0


def _plan(conn: sqlite3.Connection, case: sqlite3.Row, context: dict[str, Any]) -> list[Entry]:
    base = files_dir(conn)
    plan: list[Entry] = []

    def document(section: int, title: str) -> None:
        if documents.BY_TITLE[title].fits(context) is None:
            plan.append(Entry(section, title, 1, document=title))

    document(1, "受理登记表")
    attachments = conn.execute(
        "SELECT kind, title, stored_path, pages FROM attachments WHERE case_id = ? ORDER BY id",
        (case["id"],),
    ).fetchall()
    by_kind = {kind: [a for a in attachments if a["kind"] == kind] for kind in ATTACHMENT_KINDS}

    def attached(section: int, kind: str) -> None:
        for row in by_kind[kind]:
            source = base / row["stored_path"]
            plan.append(Entry(section, row["title"] + source.suffix, row["pages"], source=source))

    attached(2, SOURCE_MATERIALS)
    document(3, "受理告知书")
    document(3, "不予受理告知书")
    document(4, "交办单")
    document(4, "督办通知")
    document(4, "不满意核实件")
    attached(4, INQUIRY_MATERIALS)
    document(5, "处理意见答复书")
    document(6, "结案审批表")
    if case["revisited_on"]:
        document(7, "回访及满意度调查表")
    attached(8, OTHER_MATERIALS)
    return plan


def _catalogue(plan: list[Entry]) -> tuple[list[dict[str, str]], int]:
    """The 页次 of each of the eight sections, counting from 1 after cover and catalogue."""
    rows = []
    page = 1
    for number, title in enumerate(CATALOGUE, 1):
        pages = sum(entry.pages for entry in plan if entry.section == number)
        span = "" if not pages else (str(page) if pages == 1 else f"{page}-{page + pages - 1}")
        rows.append({"number": str(number), "title": title, "pages": span})
        page += pages
    return rows, page - 1


def build(
    conn: sqlite3.Connection,
    ref: str,
    *,
    retention: str,
    on: str | None = None,
    by: str | None = None,
) -> Archived:
    case = ledger.find(conn, ref)
    case_no = short_number(case["year"], case["seq"])
    check_step(case_no, Status(case["status"]), "archive")  # before any file is written
    when = moment(on)
    context = documents.context(conn, case)
    plan = _plan(conn, case, context)
    rows, total = _catalogue(plan)
    context.update(
        catalogue=rows,
        pages_total=str(total),
        archived_cn=chinese_date(when.day),
        retention=retention,
    )
    base = private_dir(files_dir(conn), "archive")
    final = base / safe_name(f"{case_no} {case['content'][:16]}", 60)
    staging = base / f".{case_no}.{os.getpid()}.tmp"
    for stale in base.glob(f".{case_no}.*.tmp"):  # left by an archive that was killed
        shutil.rmtree(stale, ignore_errors=True)
    private_dir(staging)
    written: list[Path] = []
    try:
        for index, title in enumerate(("案卷封面", "案卷目录")):
            target = staging / f"0{index} {title}.docx"
            docx.render(docx.template_for(conn, title), context, target)
            written.append(target)
        for number, entry in enumerate(plan, 1):
            target = staging / f"{entry.section}-{number:02d} {safe_name(entry.name, 60)}"
            if entry.document:
                docx.render(
                    docx.template_for(conn, entry.document), context, target.with_suffix(".docx")
                )
                target = target.with_suffix(".docx")
            else:
                assert entry.source is not None
                copy_private(entry.source, target)
            written.append(target)
        zip_path = base / f"{final.name}.zip"

        def record(row: sqlite3.Row) -> None:
            if final.exists():  # left by an archive that failed after its rename
                shutil.rmtree(final)
            staging.rename(final)
            relative_base = files_dir(conn)
            for position, path in enumerate(written, 1):
                moved = final / path.name
                conn.execute(
                    "INSERT INTO archive_files (case_id, position, path, sha256) VALUES (?, ?, ?, ?)",
                    (row["id"], position, str(moved.relative_to(relative_base)), sha256(moved)),
                )
            with (
                private_output(zip_path) as partial,
                zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle,
            ):
                for path in written:
                    bundle.write(final / path.name, f"{final.name}/{path.name}")

        cases.archive(conn, ref, retention=retention, on=on, by=by, folder=final.name, after=record)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if final.exists() and not _archived(conn, case["id"]):
            shutil.rmtree(final, ignore_errors=True)
            Path(f"{final}.zip").unlink(missing_ok=True)
        raise
    files = [final / path.name for path in written]
    return Archived(case_no, final, zip_path, files, total)


def _archived(conn: sqlite3.Connection, case_id: int) -> bool:
    row = conn.execute("SELECT status FROM cases WHERE id = ?", (case_id,)).fetchone()
    return bool(row and row[0] == Status.ARCHIVED)
