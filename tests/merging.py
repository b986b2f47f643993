"""Helpers for the merge tests: town ledgers, their bundles, and bundles taken apart
and put back together changed."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import fresh_identity

from xinfang.core.life import columns
from xinfang.store.db import connect

COUNTY_FILES = "ledger-files"  # the county ledger's files folder (ledger.db -> ledger-files)


# ------------------------------------------------------------------ towns and bundles


def new_town(run, tmp_path: Path, template_ledger: Path, stem: str, name: str | None = None):
    """A town's own ledger: a copy of a new ledger with an office id of its own; `name`
    None leaves the name every new ledger starts with (临泽县民政局: init never ran)."""
    db = tmp_path / f"{stem}.db"
    shutil.copyfile(template_ledger, db)
    os.chmod(db, 0o600)
    fresh_identity(db)
    if name:
        run("config", "set", "单位名称", name, "--db", str(db))
    return db


def at(db: Path) -> tuple[str, str]:
    return ("--db", str(db))


def register(run, db: Path, name: str, content: str, on: str) -> str:
    out = run("register", "--name", name, "--source", "本级", "--form", "来访",
              "--content", content, "--town", "沙河镇", "--new-matter", "--on", on, *at(db))  # fmt: skip
    return out.stdout.split("：")[1].split("（")[0]


def bundle(run, db: Path, path: Path, month: str, *extra: str) -> Path:
    run("bundle", "--month", month, "-o", str(path), "--force", *extra, *at(db))
    return path


def office_id(db: Path) -> str:
    conn = connect(db)
    try:
        return str(
            json.loads(
                conn.execute("SELECT value FROM settings WHERE key = 'office_id'").fetchone()[0]
            )
        )
    finally:
        conn.close()


def rows(db: Path, where: str = "1 = 1", *params: Any) -> list[dict[str, Any]]:
    conn = connect(db)  # either store: the county may be PostgreSQL
    try:
        return [
            dict(r) for r in conn.execute(f"SELECT * FROM cases WHERE {where} ORDER BY id", params)
        ]
    finally:
        conn.close()


def events(db: Path, case_id: int) -> list[tuple[str, str]]:
    conn = connect(db)
    try:
        found = conn.execute(
            "SELECT action, occurred_at FROM events WHERE case_id = ? ORDER BY id", (case_id,)
        )
        return [tuple(row) for row in found]
    finally:
        conn.close()


def assert_every_town_case_once_as_it_stands(county: Path, towns: list[Path]) -> None:
    """Each case of each town is at the county once, with the town's latest state and
    the town's whole history; nothing else is there."""
    facts = [k for k in columns.PROJECTED if k not in columns.ASSIGN_NUMBER]
    merged = rows(county, "origin_office IS NOT NULL")
    expected = 0
    for town in towns:
        key = office_id(town)
        for case in rows(town):
            number = f"{case['year']}-{case['seq']:04d}"
            found = [c for c in merged if (c["origin_office"], c["origin_no"]) == (key, number)]
            assert len(found) == 1, (town.name, number, len(found))
            assert {k: found[0][k] for k in facts} == {k: case[k] for k in facts}, (
                town.name,
                number,
            )
            assert events(county, found[0]["id"]) == events(town, case["id"])
            expected += 1
    assert len(merged) == expected


def overdue(run, db: Path) -> set[tuple[str, str, str]]:
    report = json.loads(run("overdue", "--json", *at(db), expect=None).stdout)
    return {(i["content"], i["stage"], i["due_on"]) for i in report["overdue"] + report["due_soon"]}


def read_bundle(path: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(members.pop("bundle.json")), members


def write_bundle(path: Path, manifest: Any, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        text = (
            manifest
            if isinstance(manifest, (bytes, str))
            else json.dumps(manifest, ensure_ascii=False)
        )
        archive.writestr("bundle.json", text)
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def rewrite(
    source: Path, target: Path, change: Callable[[dict[str, Any], dict[str, bytes]], None]
) -> Path:
    manifest, members = read_bundle(source)
    change(manifest, members)
    return write_bundle(target, manifest, members)


def note_after(manifest: dict[str, Any], text: str) -> dict[str, Any]:
    last = manifest["cases"][0]["events"][-1]
    return {**last, "id": last["id"] + 1000, "action": "note", "data": {"text": text}}


Change = Callable[[dict[str, Any], dict[str, bytes]], Any]
