"""The county roll-up: a town sends its cases of a period as a bundle; the county merges
the towns' bundles into one ledger, keeping each case's origin office and number.

A bundle is a .zip holding `bundle.json` (format below) and, when asked, the cases'
attachments under `attachments/<case number>/`. Format `xinfang-bundle`, version 1:

    {"format": "xinfang-bundle", "version": 1, "office": "沙河镇人民政府",
     "case_prefix": "沙信", "first": "2026-11-01", "last": "2026-11-30",
     "created_at": "2026-12-01 09:00:00",
     "cases": [{"case_no": "2026-0001", "fields": {column: value, …},
                "events": [{"id": 1, "action": "register", "occurred_at": …,
                            "recorded_at": …, "actor": …, "round": 1,
                            "status_after": "registered", "data": {…}}, …],
                "attachments": [{"title": …, "kind": …, "file": …, "sha256": …}]}]}

`fields` are the columns of `cases` (schema.sql) but the ledger's own keys: no `id`,
`rule_version`, `assign_year`/`assign_seq`; `repeat_of` is the case number of the first
petition of the matter. A period's bundle holds the cases received in it and those with
any step recorded in it, so sending November again after late entries brings them too.

Merging is idempotent: a case already merged from the same office and number is updated
(its fields replaced, only the events not merged before appended), never duplicated.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xinfang.core import deadlines, rules, settings
from xinfang.core.dates import now
from xinfang.core.errors import InvalidInput, XinfangError, shorten
from xinfang.core.files import files_dir, private_dir
from xinfang.core.numbering import next_in_sequence, parse_case_number, short_number
from xinfang.core.periods import Period
from xinfang.store.db import transaction
from xinfang.store.files import private_output

FORMAT, VERSION = "xinfang-bundle", 1
MANIFEST = "bundle.json"
# Columns that are the ledger's own bookkeeping, not the case's facts.
LOCAL = ("id", "year", "seq", "rule_version", "assign_year", "assign_seq", "repeat_of",
         "origin", "origin_no", "origin_office")  # fmt: skip


@dataclass(frozen=True)
class Bundled:
    path: Path
    cases: int
    events: int
    attachments: int


def write(
    conn: sqlite3.Connection, period: Period, path: Path, *, with_attachments: bool
) -> Bundled:
    """The office's cases of `period` as a bundle at `path` (checked by the caller)."""
    span = {"first": period.first.isoformat(), "last": period.last.isoformat()}
    rows = conn.execute(
        "SELECT c.*, (SELECT printf('%d-%04d', r.year, r.seq) FROM cases r "
        "WHERE r.id = c.repeat_of) AS repeat_of_no FROM cases c "
        "WHERE c.received_at >= :first AND c.received_at < date(:last, '+1 day') "
        "OR c.id IN (SELECT case_id FROM events WHERE occurred_at >= :first "
        "AND occurred_at < date(:last, '+1 day')) ORDER BY c.year, c.seq",
        span,
    ).fetchall()
    base = files_dir(conn)
    cases, files, event_count = [], [], 0
    for row in rows:
        case_no = short_number(row["year"], row["seq"])
        fields = {k: row[k] for k in row.keys() if k not in LOCAL and k != "repeat_of_no"}  # noqa: SIM118
        fields["repeat_of"] = row["repeat_of_no"]
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
        for kind, title, stored, digest in conn.execute(
            "SELECT kind, title, stored_path, sha256 FROM attachments WHERE case_id = ? "
            "ORDER BY id",
            (row["id"],),
        ):
            name = Path(stored).name
            attached.append({"title": title, "kind": kind, "file": name, "sha256": digest})
            if with_attachments and (base / stored).is_file():
                files.append((base / stored, f"attachments/{case_no}/{name}"))
        cases.append(
            {"case_no": case_no, "fields": fields, "events": events, "attachments": attached}
        )
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "office": settings.get(conn, "unit_name"),
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
    units_added: list[str] = field(default_factory=list)


def read(path: Path) -> dict[str, Any]:
    """A bundle's manifest, or a clear refusal of a file that is not one."""
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(MANIFEST))
    except FileNotFoundError:
        raise InvalidInput("汇总包", f"{shorten(path, 200)} 不存在") from None
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        raise InvalidInput(
            "汇总包", f"{shorten(path, 200)} 不是 xinfang 汇总包（xinfang bundle 生成的 .zip）"
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InvalidInput("汇总包", f"{shorten(path, 200)} 不是 xinfang 汇总包")
    if manifest.get("version") != VERSION:
        raise XinfangError(
            f"汇总包 {path.name} 是第 {manifest.get('version')} 版格式，本程序只能读第 {VERSION} 版；"
            "请升级 xinfang。"
        )
    if not manifest.get("office"):
        raise InvalidInput("汇总包", f"{path.name} 没有填报单位名称")
    return manifest


def merge(conn: sqlite3.Connection, paths: list[Path]) -> list[Merged]:
    """Every bundle in one transaction: all of them merge, or none."""
    manifests = [(path, read(path)) for path in paths]
    own = settings.get(conn, "unit_name")
    results = []
    with transaction(conn):
        version = rules.current_version(conn)
        for path, manifest in manifests:
            if manifest["office"] == own:
                raise InvalidInput("汇总包", f"{path.name} 来自本单位（{own}）自己，不能汇入本台账")
            results.append(_merge_one(conn, path, manifest, version))
    return results


def _merge_one(
    conn: sqlite3.Connection, path: Path, manifest: dict[str, Any], rule_version: int
) -> Merged:
    office = manifest["office"]
    result = Merged(office)
    units = {unit.name for unit in settings.units(conn)}
    columns = {row[1] for row in conn.execute("PRAGMA table_info(cases)")} - set(LOCAL)
    for case in manifest["cases"]:
        changed: dict[str, Any] = {}
        origin_no = case["case_no"]
        year, _ = parse_case_number(origin_no)
        fields = {k: v for k, v in case["fields"].items() if k in columns}
        unit = fields.get("unit")
        if unit and unit not in units:  # a town's own department: known here from now on
            settings.append_units(conn, [unit])
            units.add(unit)
            result.units_added.append(unit)
        fields["repeat_of"] = _local_id(conn, office, case["fields"].get("repeat_of"))
        found = conn.execute(
            f"SELECT id, {', '.join(fields)} FROM cases WHERE origin = ? AND origin_no = ?",
            (office, origin_no),
        ).fetchone()
        if found is None:
            fields |= {"year": year, "seq": next_in_sequence(conn, "case", year),
                       "rule_version": rule_version, "origin": office, "origin_no": origin_no}  # fmt: skip
            inserted = conn.execute(
                f"INSERT INTO cases ({', '.join(fields)}) VALUES ({', '.join('?' * len(fields))})",
                tuple(fields.values()),
            )
            case_id = int(inserted.lastrowid or 0)
            result.new += 1
        else:
            case_id = found[0]
            changed = {k: v for k, v in fields.items() if found[k] != v}
            if changed:  # an unchanged row is not rewritten (nor its search index)
                conn.execute(
                    f"UPDATE cases SET {', '.join(f'{k} = ?' for k in changed)} WHERE id = ?",
                    (*changed.values(), case_id),
                )
        merged_before = {
            row[0]
            for row in conn.execute(
                "SELECT json_extract(data, '$.merged_from.event') FROM events WHERE case_id = ?",
                (case_id,),
            )
        }
        fresh = [event for event in case["events"] if event["id"] not in merged_before]
        conn.executemany(
            "INSERT INTO events (case_id, action, occurred_at, recorded_at, actor, round, "
            "status_after, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (case_id, e["action"], e["occurred_at"], e["recorded_at"], e["actor"],
                 e["round"], e["status_after"], json.dumps(
                     {**e["data"], "merged_from": {"office": office, "case": origin_no,
                                                   "event": e["id"], "bundle": path.name}},
                     ensure_ascii=False))
                for e in fresh
            ],
        )  # fmt: skip
        result.events += len(fresh)
        if found is not None and not (fresh or changed):
            result.unchanged += 1
            continue
        result.updated += found is not None
        deadlines.sync(conn, case_id)
    _copy_attachments(conn, path, manifest)
    return result


def _local_id(conn: sqlite3.Connection, office: str, origin_no: str | None) -> int | None:
    if not origin_no:
        return None
    row = conn.execute(
        "SELECT id FROM cases WHERE origin = ? AND origin_no = ?", (office, origin_no)
    ).fetchone()
    return row[0] if row else None


def _copy_attachments(conn: sqlite3.Connection, path: Path, manifest: dict[str, Any]) -> None:
    """Attachments that came with the bundle, into `merged/<office>/<case number>/`."""
    with zipfile.ZipFile(path) as archive:
        names = [
            n for n in archive.namelist() if n.startswith("attachments/") and not n.endswith("/")
        ]
        if not names:
            return
        target = private_dir(files_dir(conn) / "merged" / _safe(manifest["office"]))
        for name in names:
            relative = Path(name).relative_to("attachments")
            if ".." in relative.parts:
                raise InvalidInput("汇总包", f"{path.name} 中有不安全的文件名：{shorten(name)}")
            destination = target / relative
            private_dir(destination.parent)
            destination.write_bytes(archive.read(name))


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text)[:40] or "来源单位"
