"""归档: the case file (一案一卷) as planned by the 案卷目录 (seed 000): cover and catalogue
first, then 1 登记表, 2 来源材料, 3 受理（不予受理）告知书, 4 调查办理材料, 5 答复书,
6 结案审批表, 7 回访表, 8 其他材料. A case joined into another (并案) is filed once
its main case is closed, with a 并案说明 in section 8 in place of its own reply, revisit
and closing, which are the main case's. The core decides what goes into the case file, in
which order, on which pages; a `Binder` from the outputs (xinfang/outputs/archive.py)
turns each planned entry into a file. Every file is hashed into `archive_files` in the
same transaction as the case's 归档 event, and the case file only takes its final name
inside that transaction: a failed archive leaves nothing behind."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from xinfang.core.clock.dates import Moment, chinese_date, moment
from xinfang.core.errors import StepRefused
from xinfang.core.life import joined, ledger
from xinfang.core.life.acting import act, choice
from xinfang.core.life.actions import REVIEW_OPINION, check_step
from xinfang.core.life.case import Case
from xinfang.core.life.files import files_dir, safe_name, sha256
from xinfang.core.life.states import Status
from xinfang.core.papers import documents
from xinfang.core.progress import DOCUMENTS, Progress
from xinfang.core.progress import counted as told
from xinfang.core.vocabulary import (
    ATTACHMENT_KINDS,
    INQUIRY_MATERIALS,
    OTHER_MATERIALS,
    RECEIPTS,
    RETENTIONS,
    SOURCE_MATERIALS,
)

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
FRONT = ("案卷封面", "案卷目录")  # section 0: they describe the rest


@dataclass(frozen=True)
class Entry:
    """One file of the case file: either a document to render from its template or an
    attachment to copy. `stem` is its name in the folder, before the binder's suffix
    for a rendered document (an attachment's name keeps its own suffix)."""

    section: int  # 1–8 in the catalogue; 0 for the cover and catalogue themselves
    stem: str
    pages: int
    document: str | None = None  # a template title to render
    source: Path | None = None  # an attachment to copy
    text: tuple[str, ...] = ()  # a note the core writes itself, one paragraph a line
    # A document of an earlier round (or one of several letters): its own placeholders,
    # as the case stood just after the event it records.
    values: Mapping[str, Any] = field(default_factory=dict, compare=False)


class Binder(Protocol):
    """Writes a planned case file (xinfang/outputs/archive.py): each entry into an
    unfinished folder, then, inside the 归档 transaction, the folder under its final name
    and a .zip of it."""

    def write(self, entry: Entry, context: Mapping[str, Any]) -> Path:
        """Write one entry into the unfinished folder; return the file written."""
        ...

    def publish(self) -> list[Path]:
        """Give the folder its final name (replacing one left by a failed run); return
        its files, in the order written."""
        ...

    def bundle(self) -> Path:
        """Write the .zip of the published folder; return its path."""
        ...

    def discard(self, *, keep_published: bool) -> None:
        """Remove what this run wrote (the published folder and .zip only if not kept)."""
        ...

    def count(self, paths: list[Path]) -> tuple[list[int], str]:
        """The pages of each written document, and how they were counted (rendered to
        PDF, or estimated from the document's own page breaks and length)."""
        ...


# The outputs' binder is built for one case file: its folder and the ledger (templates).
BinderFactory = Callable[[sqlite3.Connection, Path], Binder]


@dataclass
class Archived:
    case_no: str
    folder: Path
    zip_path: Path
    files: list[Path] = field(default_factory=list)
    pages: int = 0
    counted_by: str = ""  # how the documents' pages were counted
    waiting: list[str] = field(default_factory=list)  # cases joined into it, not yet filed


JOINED_NOTE = "并案说明"
INSTRUCTION_NOTE = "领导批示"
# The documents filed once for each event that records them (seed 000 八: every round's
# 答复书 and 回访表, every 联系函 and 督办通知), each as the case stood after its event.
EACH_EVENT = {
    "reply": "处理意见答复书",
    "revisit": "回访及满意度调查表",
    "liaise": "信访事项联系函",
    "supervise": "督办通知",
}


def plan(
    conn: sqlite3.Connection,
    case: Case,
    context: dict[str, Any],
    note: tuple[str, ...] = (),
) -> list[Entry]:
    """The entries of sections 1–8 in catalogue order, numbered as they will be filed;
    `note`, the 并案说明 of a joined case, first in section 8."""
    base = files_dir(conn)
    found: list[tuple[int, str, int, str | None, Path | None, Mapping[str, Any]]] = []
    events = ledger.live_events(conn, case.id)
    instructions = [e for e in events if e["action"] == "instruct"]

    def document(section: int, title: str) -> None:
        if documents.BY_TITLE[title].fits(context) is not None:
            return
        recorded = [e for e in events if EACH_EVENT.get(e["action"]) == title]
        # One per event, as the case stood after it; one of this round, as it stands.
        current = not recorded or recorded[-1]["round"] == case.round
        for event in recorded[:-1] if current else recorded:
            values = documents.context(conn, case, until=event["id"])
            found.append((section, title, 1, title, None, values))
        if current:
            found.append((section, title, 1, title, None, {}))

    document(1, "受理登记表")
    attachments = conn.execute(
        "SELECT kind, title, stored_path, pages FROM attachments WHERE case_id = ? ORDER BY id",
        (case.id,),
    ).fetchall()
    by_kind = {kind: [a for a in attachments if a["kind"] == kind] for kind in ATTACHMENT_KINDS}

    def attached(section: int, kind: str) -> None:
        for row in by_kind[kind]:
            source = base / row["stored_path"]
            found.append((section, row["title"] + source.suffix, row["pages"], None, source, {}))

    attached(2, SOURCE_MATERIALS)
    # 领导批办单 (section 2 of the catalogue): each 领导批示 as recorded.
    for _ in instructions:
        found.append((2, INSTRUCTION_NOTE, 1, None, None, {}))
    document(3, "受理告知书")
    document(3, "不予受理告知书")
    document(3, "转送告知书")
    document(4, "转送函")
    document(4, "交办单")
    document(4, "督办通知")
    document(4, "信访事项联系函")  # seed 002: sent to the bodies the matter also concerns
    document(4, "不满意核实件")
    document(4, "延期告知书")  # written in the handling (seed 000 八), like the 督办通知
    document(4, "催办单")
    attached(4, INQUIRY_MATERIALS)
    document(5, "处理意见答复书")
    document(5, REVIEW_OPINION)
    attached(5, RECEIPTS)  # 信访答复意见书（送达回执）
    document(5, "反馈意见表")  # the petitioner's word on a reply that 不能解决
    document(5, "办理结果报告")  # the 上级交办 case's result as reported up (seed 004 一2)
    document(6, "结案审批表")
    if any(e["action"] == "revisit" for e in events):
        document(7, "回访及满意度调查表")
    if note:
        found.append((8, JOINED_NOTE, 1, None, None, {}))
    attached(8, OTHER_MATERIALS)
    texts = {JOINED_NOTE: iter([note]), INSTRUCTION_NOTE: iter(map(_instruction, instructions))}
    return [
        Entry(
            section, f"{section}-{number:02d} {safe_name(name, 60)}", pages, title, source,
            next(texts[name]) if name in texts and source is None else (), values,
        )
        for number, (section, name, pages, title, source, values) in enumerate(found, 1)
    ]  # fmt: skip


def _instruction(event: Mapping[str, Any]) -> tuple[str, ...]:
    """A 领导批示 as the ledger recorded it: who, when, what."""
    data = event["data"]
    day = chinese_date(date.fromisoformat(event["occurred_at"][:10]))
    return (f"{data['leader']}于{day}批示：", data["text"], f"（记录人：{event['actor']}）")


def folder_name(case_no: str, content: str) -> str:
    """`2026-0001_反映低保评定不公`: the number, then the matter's first clause (at most
    16 characters), without spaces or the punctuation a cut sentence ends in."""
    head = re.split(r"[，。；！？,;!?\n]", "".join(content.split(" ")).strip())[0]
    head = "".join(head.split())[:16].rstrip(_TRAILING)
    return safe_name(f"{case_no}_{head}" if head else case_no, 60).rstrip(_TRAILING + "_")


_TRAILING = "，。、；：！？,.;:!?…—-·（(“‘《〈【[ 　"


def _main_closed(conn: sqlite3.Connection, case: Case) -> Case:
    """The main case of a joined one, once it is closed (or archived): the joined case's
    own file follows it. Refused before, naming the main case and what to do."""
    main = joined.into(conn, case)
    case_no = case.number
    if main is None:  # a joined status always has its live join
        raise StepRefused(f"案件 {case_no} 找不到其并入的主案；请用 xinfang doctor 检查台账")
    status = main.status
    if status not in (Status.CLOSED, Status.ARCHIVED):
        main_no = main.number
        raise StepRefused(
            f"案件 {case_no} 已并入主案 {main_no} 办理，主案当前状态为「{status.label}」，"
            f"尚未办结，本案还不能归档；请先办结主案（xinfang show {main_no} 查看其下一步），"
            f"主案办结后再归档本案（xinfang archive {case_no}）。"
        )
    return main


def catalogue(entries: list[Entry]) -> tuple[list[dict[str, str]], int]:
    """The 页次 of each of the eight sections, counting from 1 after cover and catalogue."""
    rows = []
    page = 1
    for number, title in enumerate(CATALOGUE, 1):
        pages = sum(entry.pages for entry in entries if entry.section == number)
        span = "" if not pages else (str(page) if pages == 1 else f"{page}-{page + pages - 1}")
        rows.append({"number": str(number), "title": title, "pages": span})
        page += pages
    return rows, page - 1


def archive(
    conn: sqlite3.Connection,
    ref: str,
    *,
    retention: str,
    binder: BinderFactory,
    on: str | None = None,
    by: str | None = None,
    progress: Progress | None = None,
) -> Archived:
    """归档 with its case file: plan it, have `binder` write it, then in one transaction
    record the event, publish the folder, hash every file into `archive_files`, zip it."""
    case = ledger.find(conn, ref)
    case_no = case.number
    check_step(case_no, case.status, "archive")  # before any file is written
    when = moment(on)
    context = documents.context(conn, case)
    note: tuple[str, ...] = ()
    if case.status == Status.JOINED:
        main = _main_closed(conn, case)
        note = joined.statement(conn, case, main)
        # The cover's 办结 and 公示 are the main case's (no text of it: another person's).
        shown = documents.context(conn, main)
        context.update(
            closed_cn=f"{shown['closed_cn']}（随主案 {main.number} 办结）",
            **{key: shown[key] for key in ("closed_upper", "closed_box", "publicized_box")},
        )
    context.update(archived_cn=chinese_date(when.day), retention=retention)
    entries = plan(conn, case, context, note)
    front = [Entry(0, f"0{index} {title}", 0, title) for index, title in enumerate(FRONT)]
    folder = folder_name(case_no, case.content)
    writer = binder(conn, files_dir(conn) / "archive" / folder)
    done: dict[str, Any] = {}
    try:
        # The documents first: their pages, as written, give the 页次 the front prints.
        written = {
            entry.stem: writer.write(entry, {**context, **entry.values})
            for entry in told(entries, DOCUMENTS, progress)
        }
        made = [entry for entry in entries if entry.source is None]
        pages, counted_by = writer.count([written[entry.stem] for entry in made])
        counted = {entry.stem: number for entry, number in zip(made, pages, strict=True)}
        entries = [replace(entry, pages=counted.get(entry.stem, entry.pages)) for entry in entries]
        rows, total = catalogue(entries)
        context.update(catalogue=rows, pages_total=str(total))
        for entry in front:
            writer.write(entry, context)

        def build(row: Case, when: Moment) -> dict[str, Any]:
            if row.status == Status.JOINED:  # the main case's close still stands
                _main_closed(conn, row)
            retained = choice(retention, RETENTIONS, "保管期限")
            # The file's page count, so a cover reprinted later says 卷内共 N 页 too.
            return {"retention": retained, "folder": folder, "pages": total}

        def record(row: Case) -> None:
            done["files"] = files = writer.publish()
            relative_base = files_dir(conn)
            for position, path in enumerate(files, 1):
                conn.execute(
                    "INSERT INTO archive_files (case_id, position, path, sha256) VALUES (?, ?, ?, ?)",
                    (row.id, position, str(path.relative_to(relative_base)), sha256(path)),
                )
            done["zip"] = writer.bundle()

        act(conn, ref, "archive", on, by, build, record)
    except BaseException:
        writer.discard(keep_published=_archived(conn, case.id))
        raise
    waiting = [no for no in joined.members(conn, case)
               if ledger.find(conn, no).status == Status.JOINED]  # fmt: skip
    return Archived(
        case_no,
        files_dir(conn) / "archive" / folder,
        done["zip"],
        done["files"],
        total,
        counted_by,
        waiting,
    )


def _archived(conn: sqlite3.Connection, case_id: int) -> bool:
    row = conn.execute("SELECT status FROM cases WHERE id = ?", (case_id,)).fetchone()
    return bool(row and row[0] == Status.ARCHIVED)
