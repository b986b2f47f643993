"""The county roll-up: a town sends its cases of a period as a bundle; the county merges
the towns' bundles into one ledger, keeping each case's origin office and number.

A bundle is a .zip holding `bundle.json` (format below) and, when asked, the cases'
attachments under `attachments/<case number>/<file>`. Format `xinfang-bundle`, version 2:

    {"format": "xinfang-bundle", "version": 2,
     "office": "沙河镇人民政府",          the office's name now (it may change)
     "office_id": "9f86d081884c7d65…",   32 hex digits: who the office is (settings office_id)
     "case_prefix": "沙信", "first": "2026-11-01", "last": "2026-11-30",
     "created_at": "2026-12-01 09:00:00",
     "cases": [{"case_no": "2026-0001",
                "events": [{"id": 1, "action": "register", "occurred_at": …,
                            "recorded_at": …, "actor": …, "round": 1,
                            "status_after": "registered", "data": {…}}, …],
                "attachments": [{"title": …, "kind": …, "file": "01-来信.pdf",
                                 "sha256": …, "size": 52311}]}]}

Each case travels as its whole history, in the order it was recorded; its fields do not
travel: the county derives them from the events (projection.py). A period's bundle holds
the cases received in it and those with any step recorded in it, so sending November
again after late entries brings them too. Version 1 (no `office_id` nor `size`, a
`fields` snapshot) is still merged: its office is known by its name (the one office known
under that name, else the key 'name:' + name) and its snapshot is ignored.

Merging (`merge`): every bundle is read without trusting it (bundle_zip: bounded sizes,
safe member names) and checked whole (bundle_check: statuses, dates, event order, types,
lengths; text cleaned as typed text is), then staged files are checked against their
size and sha256, and only then are all bundles merged in one transaction. A town's case
is keyed by (office id, case number), an event by (office, case, its id there): only the
events not merged before are added — a bundle's history must extend what was merged,
never contradict it — and the case's row is projected from all its events, so an older
bundle adds nothing and changes nothing. A renamed office keeps its cases under its
latest name; two offices of one name stay two. Files are recorded as attachments under
`merged/<office id>/<case number>/` and moved into place as the transaction commits.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from xinfang.core import settings
from xinfang.core.clock import deadlines, rules, workdays
from xinfang.core.clock.dates import now
from xinfang.core.clock.periods import Period
from xinfang.core.errors import XinfangError, shorten
from xinfang.core.exchange import bundle_check
from xinfang.core.exchange.bundle_check import FORMAT, VERSION, Bundle, Case, Event
from xinfang.core.exchange.bundle_zip import MANIFEST, Refused, Staged, Staging, open_bundle
from xinfang.core.intake.fields import REGISTRATION_FIELDS
from xinfang.core.intake.numbering import next_in_sequence, short_number
from xinfang.core.life import columns, links
from xinfang.core.life.files import count_pages, files_dir, safe_name
from xinfang.core.progress import MERGE, PACK, Progress, counted
from xinfang.store.db import transaction
from xinfang.store.files import private_output

NAME_KEY = "name:"  # an office known only by its name (version-1 bundles, merges before v7)
OFFICES = "merged_offices"  # settings: office key -> its latest name, from the newest bundle
FACTS = tuple(k for k in columns.PROJECTED if k not in columns.ASSIGN_NUMBER)
# The lists a merged case's values join, as an import's do: column -> settings list.
LISTED = {
    **{f.key: f.choice_list for f in REGISTRATION_FIELDS if f.choice_list},
    "revisit_method": "revisit_method",
    "satisfaction": "satisfaction",
}


@dataclass(frozen=True)
class Bundled:
    path: Path
    cases: int
    events: int
    attachments: int


def write(
    conn: sqlite3.Connection,
    period: Period,
    path: Path,
    *,
    with_attachments: bool,
    progress: Progress | None = None,
) -> Bundled:
    """The office's cases of `period` as a bundle at `path` (checked by the caller)."""
    span = {"first": period.first.isoformat(), "last": period.last.isoformat()}
    rows = conn.execute(
        "SELECT id, year, seq FROM cases c "
        "WHERE c.received_at >= :first AND c.received_at < date(:last, '+1 day') "
        "OR c.id IN (SELECT case_id FROM events WHERE occurred_at >= :first "
        "AND occurred_at < date(:last, '+1 day')) ORDER BY c.year, c.seq",
        span,
    ).fetchall()
    base = files_dir(conn)
    cases, files, event_count = [], [], 0
    for row in counted(rows, PACK, progress):
        case_no = short_number(row["year"], row["seq"])
        events = [
            {**dict(event), "data": json.loads(event["data"])}
            for event in conn.execute(
                "SELECT id, action, occurred_at, recorded_at, actor, round, status_after, data "
                "FROM events WHERE case_id = ? ORDER BY id",
                (row["id"],),
            )
        ]
        event_count += len(events)
        attached = []
        for kind, title, stored, digest, size in conn.execute(
            "SELECT kind, title, stored_path, sha256, size FROM attachments WHERE case_id = ? "
            "ORDER BY id",
            (row["id"],),
        ):
            name = Path(stored).name
            attached.append(
                {"title": title, "kind": kind, "file": name, "sha256": digest, "size": size}
            )
            if with_attachments and (base / stored).is_file():
                files.append((base / stored, f"attachments/{case_no}/{name}"))
        cases.append({"case_no": case_no, "events": events, "attachments": attached})
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "office": settings.get(conn, "unit_name"),
        "office_id": settings.office_id(conn),
        "case_prefix": settings.get(conn, "case_prefix"),
        **span,
        "created_at": now().isoformat(sep=" "),
        "cases": cases,
    }
    with (
        private_output(path) as partial,  # a half-written bundle never carries the final name
        zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        for source, name in files:
            archive.write(source, name)
    return Bundled(path, len(cases), event_count, len(files))


@dataclass
class Merged:
    office: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    events: int = 0
    files: int = 0
    units_added: list[str] = field(default_factory=list)
    values_added: list[str] = field(default_factory=list)  # 问题类型：X
    notes: list[str] = field(default_factory=list)  # about the office: renamed, same name …


def load(path: Path) -> Bundle:
    """One bundle read and checked whole, or one line saying what is wrong with it."""
    try:
        return bundle_check.check(open_bundle(path))
    except Refused as error:
        raise XinfangError(f"汇总包 {shorten(path, 200)}：{error.message}") from None


def merge(
    conn: sqlite3.Connection, paths: list[Path], progress: Progress | None = None
) -> list[Merged]:
    """Every bundle checked first, then all merged in one transaction: all, or none."""
    bundles = [load(path) for path in paths]
    own, own_name = settings.office_id(conn), settings.get(conn, "unit_name")
    for bundle in bundles:
        where = f"汇总包 {shorten(bundle.archive.path, 200)}"
        if bundle.office_id == own:
            raise XinfangError(f"{where} 来自本单位（{own_name}）自己，不能汇入本台账")
        if bundle.office_id is None and bundle.office == own_name:
            raise XinfangError(
                f"{where} 是第 1 版汇总包，没有单位标识，其单位名称与本单位（{own_name}）相同，"
                "无法区分是否来自本单位；请该单位升级 xinfang 后重新生成"
            )
    staging = Staging(files_dir(conn))
    try:
        staged = _stage(staging, bundles)
        with transaction(conn):
            merger = _Merger(conn, staged, own_name)
            results = [merger.merge(n, bundle, progress) for n, bundle in enumerate(bundles)]
            links.settle(conn)  # a town's unlink, a first case merged after its repeats
            merger.save_offices()
            staging.place(merger.moves)  # last: a failure here still rolls everything back
    except BaseException:
        staging.unplace()  # the commit itself failed after the files were placed
        raise
    finally:
        staging.close()
    return results


StagedFiles = dict[tuple[int, str, str], Staged]  # (bundle, case number, file)


def _stage(staging: Staging, bundles: list[Bundle]) -> StagedFiles:
    wanted = [
        (n, bundle, case.case_no, entry, bundle.archive.files[(case.case_no, entry.file)])
        for n, bundle in enumerate(bundles)
        for case in bundle.cases
        for entry in case.attachments
        if (case.case_no, entry.file) in bundle.archive.files
    ]
    staging.check_room(sum(info.file_size for *_, info in wanted))
    staged: StagedFiles = {}
    for n, bundle, case_no, entry, info in wanted:
        try:
            staged[(n, case_no, entry.file)] = staging.stage(
                bundle.archive.path, info, entry.size, entry.sha256
            )
        except Refused as error:
            raise XinfangError(
                f"汇总包 {shorten(bundle.archive.path, 200)}：案件 {case_no} {error.message}"
            ) from None
    return staged


class _Merger:
    """One merge's transaction: the offices known, the files to place."""

    def __init__(self, conn: sqlite3.Connection, staged: StagedFiles, own_name: str) -> None:
        self.conn = conn
        self.own_name = own_name
        self.staged = staged
        self.base = files_dir(conn)
        self.rule_version = rules.current_version(conn)
        self.stamp = now().isoformat(sep=" ")
        self.offices = _offices(conn)
        self.offices_before = json.dumps(self.offices, sort_keys=True)
        self.units = {unit.name for unit in settings.units(conn)}
        self.lists = {name: set(settings.choices(conn, name)) for name in set(LISTED.values())}
        self.moves: list[tuple[Path, Path]] = []
        self.calendar: workdays.WorkCalendar | None = None  # loaded once, when first needed

    def merge(self, number: int, bundle: Bundle, progress: Progress | None = None) -> Merged:
        """Bundle `number` of this merge."""
        key, notes = self._office(bundle)
        result = Merged(self.offices[key]["name"], notes=notes)
        for case in counted(bundle.cases, f"{MERGE} {result.office}", progress):
            try:
                self._case(number, bundle, key, case, result)
            except Refused as error:
                raise XinfangError(
                    f"汇总包 {shorten(bundle.archive.path, 200)}：{error.message}"
                ) from None
        return result

    def _office(self, bundle: Bundle) -> tuple[str, list[str]]:
        """The key the bundle's cases are merged under, and what the clerk should know."""
        notes = []
        legacy = NAME_KEY + bundle.office
        if bundle.office_id is None:
            notes.append("第 1 版汇总包，没有单位标识，按单位名称识别")
            same = [
                key
                for key, office in self.offices.items()
                if office["name"] == bundle.office and not key.startswith(NAME_KEY)
            ]
            key = same[0] if len(same) == 1 else legacy
        else:
            key = bundle.office_id
            if key not in self.offices and legacy in self.offices:  # its first version-2 bundle
                taken = self.conn.execute(
                    "UPDATE cases SET origin_office = ? WHERE origin_office = ?", (key, legacy)
                ).rowcount
                del self.offices[legacy]
                notes.append(f"此前按名称汇入的 {taken} 件归入该单位")
        known = self.offices.setdefault(key, {"name": bundle.office, "named_at": ""})
        if known["name"] != bundle.office and bundle.made < known["named_at"]:
            notes.append(f"汇总包中的旧名“{bundle.office}”不采用，仍记为 {known['name']}")
        elif known["name"] != bundle.office:
            self.conn.execute(
                "UPDATE cases SET origin = ? WHERE origin_office = ?", (bundle.office, key)
            )
            notes.append(f"原名 {known['name']}，现名 {bundle.office}")
            known["name"] = bundle.office
        known["named_at"] = max(known["named_at"], bundle.made)
        twins = [
            k for k, office in self.offices.items() if k != key and office["name"] == known["name"]
        ]
        if twins:
            notes.append(f"另有 {len(twins)} 个单位同名“{known['name']}”，按不同单位分别汇入")
        if known["name"] == self.own_name:
            notes.append("与本单位同名，按单位标识区分")
        return key, notes

    def save_offices(self) -> None:
        if json.dumps(self.offices, sort_keys=True) != self.offices_before:
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (OFFICES, json.dumps(self.offices, ensure_ascii=False, sort_keys=True)),
            )

    def _case(self, number: int, bundle: Bundle, key: str, case: Case, result: Merged) -> None:
        conn = self.conn
        found = conn.execute(
            "SELECT * FROM cases WHERE origin_office = ? AND origin_no = ?", (key, case.case_no)
        ).fetchone()
        stored = _events(conn, found["id"]) if found else []
        fresh = _fresh(case, stored)
        name = self.offices[key]["name"]
        for event in fresh:
            event["data"]["merged_from"] = {
                "office": name, "office_id": key, "case": case.case_no, "event": event["id"],
                "bundle": bundle.archive.path.name,
            }  # fmt: skip
        union = [*stored, *fresh]
        row = bundle_check.replay(case.case_no, union, in_order=False)
        facts = {k: row[k] for k in FACTS}
        self._known_values(facts, result)
        repeat_of = self._repeat_of(key, union[0]["data"].get("repeat_of"))
        if found is None:
            year = int(case.case_no[:4])
            columns = {
                **facts, "year": year, "seq": next_in_sequence(conn, "case", year),
                "rule_version": self.rule_version, "origin": name, "origin_no": case.case_no,
                "origin_office": key, "updated_at": self.stamp, "repeat_of": repeat_of,
            }  # fmt: skip
            case_id = int(
                conn.execute(
                    f"INSERT INTO cases ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' * len(columns))})",
                    tuple(columns.values()),
                ).lastrowid
                or 0
            )
            changes: dict[str, Any] = columns
            result.new += 1
        else:
            case_id = found["id"]
            changes = {k: v for k, v in facts.items() if found[k] != v}
            if repeat_of is not None and repeat_of != found["repeat_of"]:
                changes["repeat_of"] = repeat_of
            if changes:  # an unchanged row is not rewritten (nor its search index)
                changes["updated_at"] = self.stamp
                conn.execute(
                    f"UPDATE cases SET {', '.join(f'{k} = ?' for k in changes)} WHERE id = ?",
                    (*changes.values(), case_id),
                )
            if fresh or changes:
                result.updated += 1
            else:
                result.unchanged += 1
        conn.executemany(
            "INSERT INTO events (case_id, action, occurred_at, recorded_at, actor, round, "
            "status_after, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (case_id, e["action"], e["occurred_at"], e["recorded_at"], e["actor"],
                 e["round"], e["status_after"], json.dumps(e["data"], ensure_ascii=False))
                for e in fresh
            ],
        )  # fmt: skip
        result.events += len(fresh)
        if fresh or changes:
            self.calendar = self.calendar or workdays.load(conn)
            deadlines.sync(conn, case_id, self.calendar)
        self._files(number, key, case, case_id, result)

    def _known_values(self, facts: dict[str, Any], result: Merged) -> None:
        """A town's own department or list value: known here from now on."""
        unit = facts.get("unit")
        if unit and unit not in self.units:
            settings.append_units(self.conn, [unit])
            self.units.add(unit)
            result.units_added.append(unit)
        for column, list_name in LISTED.items():
            value = facts.get(column)
            if value and value not in self.lists[list_name]:
                settings.append_choices(self.conn, list_name, [value])
                self.lists[list_name].add(value)
                result.values_added.append(f"{settings.LISTS[list_name]}：{value}")

    def _repeat_of(self, key: str, origin_no: Any) -> int | None:
        """The first case of the matter here, when the town's is merged already."""
        if not isinstance(origin_no, str):
            return None
        row = self.conn.execute(
            "SELECT id, repeat_of FROM cases WHERE origin_office = ? AND origin_no = ?",
            (key, origin_no),
        ).fetchone()
        return (row["repeat_of"] or row["id"]) if row else None

    def _files(self, number: int, key: str, case: Case, case_id: int, result: Merged) -> None:
        """The case's files that came with the bundle, recorded once each."""
        folder = self.base / "merged" / safe_name(key, 80) / case.case_no
        for entry in case.attachments:
            staged = self.staged.get((number, case.case_no, entry.file))
            if staged is None:
                continue
            if self.conn.execute(
                "SELECT 1 FROM attachments WHERE case_id = ? AND sha256 = ? AND original_name = ?",
                (case_id, entry.sha256, entry.file),
            ).fetchone():
                continue
            target = folder / entry.file
            planned = {placed for _, placed in self.moves}
            n = 1
            while target.exists() or target in planned:  # never over an earlier file
                n += 1
                target = folder / f"{Path(entry.file).stem}-{n}{Path(entry.file).suffix}"
            self.conn.execute(
                "INSERT INTO attachments (case_id, kind, title, original_name, stored_path, "
                "sha256, size, pages, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (case_id, entry.kind, entry.title, entry.file, str(target.relative_to(self.base)),
                 entry.sha256, staged.size, count_pages(staged.path), self.stamp),
            )  # fmt: skip
            self.moves.append((staged.path, target))
            result.files += 1


def _offices(conn: sqlite3.Connection) -> dict[str, dict[str, str]]:
    """Every office merged from: its key -> {"name": latest name, "named_at": the newest
    bundle's created_at}; offices merged before there was a record are known by their
    cases."""
    known = {
        key: {"name": name, "named_at": ""}
        for key, name in conn.execute(
            "SELECT origin_office, max(origin) FROM cases WHERE origin_office IS NOT NULL "
            "GROUP BY origin_office"
        )
    }
    recorded = settings.get(conn, OFFICES)
    if isinstance(recorded, dict):
        known.update(recorded)
    return known


def _events(conn: sqlite3.Connection, case_id: int) -> list[Event]:
    return [
        Event(
            id=row["id"],
            action=row["action"],
            occurred_at=row["occurred_at"],
            recorded_at=row["recorded_at"],
            actor=row["actor"],
            round=row["round"],
            status_after=row["status_after"],
            data=json.loads(row["data"]),
        )
        for row in conn.execute("SELECT * FROM events WHERE case_id = ? ORDER BY id", (case_id,))
    ]


def _fresh(case: Case, stored: list[Event]) -> list[Event]:
    """The bundle's events not merged before. What was merged must be the start of the
    bundle's history (a town's history only grows); anything else is refused."""
    merged = [event for event in stored if "merged_from" in event["data"]]
    for n, (old, new) in enumerate(zip(merged, case.events, strict=False), 1):
        merged_as = (old["data"]["merged_from"].get("event"), old["action"], old["occurred_at"])
        if merged_as != (new["id"], new["action"], new["occurred_at"]):
            raise Refused(
                f"案件 {case.case_no} 的第 {n} 条办理记录与已汇入的不一致（来源台账可能从备份恢复后"
                "重新录入过）；请与该单位核对，未汇入任何内容"
            )
    return [cast(Event, {**e, "data": dict(e["data"])}) for e in case.events[len(merged) :]]
