"""Every malformed bundle is refused whole, before anything is written: one Chinese line,
exit status 2, no traceback, the ledger byte for byte as it was, no file left. The table
below is what was tried."""

from __future__ import annotations

import json
import shutil
import struct
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, beside_ledger, dump, fresh_identity, ledger_files
from merging import Change, read_bundle, rewrite, write_bundle
from typer.testing import CliRunner

from xinfang.cli import app

# ------------------------------------------------------------ every malformed bundle


@pytest.fixture(scope="module")
def good_bundle(tmp_path_factory: pytest.TempPathFactory, template_ledger: Path) -> Path:
    """One town's November, with a file: two cases, one replied, one rejected."""
    folder = tmp_path_factory.mktemp("good")
    db = folder / "town.db"
    shutil.copyfile(template_ledger, db)
    fresh_identity(db)
    env = {"XINFANG_NOW": TODAY, "XINFANG_USER": "王芳", "XDG_DATA_HOME": str(folder / "xdg"),
           "XINFANG_DB": str(db)}  # fmt: skip
    runner = CliRunner()
    scan = folder / "来信.txt"
    scan.write_text("来信原件", encoding="utf-8")
    for args in (
        ("config", "set", "单位名称", "沙河镇人民政府"),
        ("register", "--name", "张三", "--phone", "13812345678", "--source", "本级", "--form",
         "来访", "--content", "低保金停发", "--town", "沙河镇", "--on", "2026-11-02 09:30"),
        ("accept", "2026-0001", "--on", "2026-11-03", "--notified-on", "2026-11-03"),
        ("assign", "2026-0001", "--to", "沙河镇", "--due", "2026-11-30", "--on", "2026-11-04"),
        ("unit-accept", "2026-0001", "--on", "2026-11-05"),
        ("unit-report", "2026-0001", "--text", "已核实", "--on", "2026-11-09"),
        ("reply", "2026-0001", "--result", "已解决", "--finding", "属实", "--text", "已补发",
         "--on", "2026-11-10"),
        ("attach", "2026-0001", str(scan), "--kind", "来源材料", "--on", "2026-11-10"),
        ("register", "--name", "李四", "--source", "本级", "--form", "来信", "--content",
         "院墙被占", "--town", "沙河镇", "--new-matter", "--on", "2026-11-04 10:00"),
        ("reject", "2026-0002", "--reason", "属诉讼事项", "--channel", "人民法院", "--on",
         "2026-11-05"),
        ("bundle", "--month", "2026-11", "-o", str(folder / "good.zip"), "--with-attachments"),
    ):  # fmt: skip
        result = runner.invoke(app, list(args), env=env)
        assert result.exit_code == 0, (args, result.output)
    return folder / "good.zip"


def case(n: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda m: m["cases"][n]


def event(c: int, e: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda m: m["cases"][c]["events"][e]


def setting(where: Callable[[dict[str, Any]], dict[str, Any]], key: str, value: Any) -> Change:
    def change(m: dict[str, Any], z: dict[str, bytes]) -> None:
        where(m)[key] = value

    return change


def dropping(where: Callable[[dict[str, Any]], dict[str, Any]], key: str) -> Change:
    return lambda m, z: where(m).pop(key)


def data(c: int, e: int, key: str, value: Any) -> Change:
    return setting(lambda m: m["cases"][c]["events"][e]["data"], key, value)


def inserting(c: int, at: int, action: str, status: str, payload: dict[str, Any]) -> Change:
    """A step of the town's own, between two others (the later ones numbered on)."""

    def change(m: dict[str, Any], z: dict[str, bytes]) -> None:
        events = m["cases"][c]["events"]
        before = events[at - 1]
        for later in events[at:]:
            later["id"] += 1
        new = {**before, "id": before["id"] + 1, "action": action, "status_after": status,
               "data": payload}  # fmt: skip
        events.insert(at, new)

    return change


def member(name: str, content: bytes = b"x") -> Change:
    return lambda m, z: z.__setitem__(name, content)


def attachment(key: str, value: Any) -> Change:
    return setting(lambda m: m["cases"][0]["attachments"][0], key, value)


def _scan_name(z: dict[str, bytes]) -> str:
    return next(n for n in z if n.startswith("attachments/"))


# Changes to a good bundle, each of which must be refused whole.
MALFORMED: dict[str, Change] = {
    "format": setting(lambda m: m, "format", "zip-bundle"),
    "version 99": setting(lambda m: m, "version", 99),
    "version as text": setting(lambda m: m, "version", "2"),
    "no version": dropping(lambda m: m, "version"),
    "no office": dropping(lambda m: m, "office"),
    "empty office": setting(lambda m: m, "office", "   "),
    "office a number": setting(lambda m: m, "office", 123),
    "office only control characters": setting(lambda m: m, "office", "\x1b\x07"),
    "office name too long": setting(lambda m: m, "office", "镇" * 500),
    "no office id": dropping(lambda m: m, "office_id"),
    "office id a number": setting(lambda m: m, "office_id", 123),
    "office id a path": setting(lambda m: m, "office_id", "../../etc/passwd"),
    "office id of the name kind": setting(lambda m: m, "office_id", "name:沙河镇"),
    "created_at garbage": setting(lambda m: m, "created_at", "昨天"),
    "no cases": dropping(lambda m: m, "cases"),
    "cases an object": setting(lambda m: m, "cases", {"2026-0001": {}}),
    "case a string": lambda m, z: m["cases"].__setitem__(1, "2026-0002"),
    "case number short form": setting(case(1), "case_no", "2026-2"),
    "case number a number": setting(case(1), "case_no", 20260002),
    "case number year 9999": setting(case(1), "case_no", "9999-0002"),
    "case number zero": setting(case(1), "case_no", "2026-0000"),
    "case number twice": setting(case(1), "case_no", "2026-0001"),
    "no events": setting(case(1), "events", []),
    "events an object": setting(case(1), "events", {}),
    "event a string": lambda m, z: m["cases"][1]["events"].__setitem__(1, "reject"),
    "event id twice": setting(event(0, 2), "id", 1),
    "event id text": setting(event(0, 2), "id", "3"),
    "event id true": setting(event(0, 2), "id", True),
    "event id negative": setting(event(0, 2), "id", -4),
    "no registration": lambda m, z: m["cases"][1]["events"].pop(0),
    "registered twice": lambda m, z: m["cases"][1]["events"].append(
        {**m["cases"][1]["events"][0], "id": 999}
    ),
    "unknown action": setting(event(0, 3), "action", "explode"),
    "unknown status": setting(event(0, 1), "status_after", "suspended"),
    "status not what the step gives": setting(event(0, 1), "status_after", "archived"),
    "a reply straight after the registration": lambda m, z: [
        m["cases"][0]["events"].pop(1) for _ in range(4)
    ],
    "round as text": setting(event(0, 1), "round", "1"),
    "round not the case's": setting(event(0, 1), "round", 5),
    "occurred_at words": setting(event(0, 1), "occurred_at", "yesterday"),
    "occurred_at 1800": setting(event(0, 1), "occurred_at", "1800-11-03"),
    "occurred_at 9999": setting(event(0, 1), "occurred_at", "9999-12-31"),
    "occurred_at a number": setting(event(0, 1), "occurred_at", 20261103),
    "occurred_at 30 February": setting(event(0, 1), "occurred_at", "2026-02-30"),
    "a step before the registration": setting(event(0, 1), "occurred_at", "2026-10-01"),
    "recorded_at garbage": setting(event(0, 1), "recorded_at", "x"),
    "actor a number": setting(event(0, 1), "actor", 42),
    "data a string": setting(event(0, 1), "data", "{}"),
    "data a list": setting(event(0, 1), "data", []),
    "data too deep": data(0, 1, "x", [[[[["deep"]]]]]),
    "data a list of objects": data(0, 1, "x", [{"a": 1}]),
    "data a float": data(0, 1, "x", 1.5),
    "no content": data(1, 0, "content", None),
    "no source": lambda m, z: m["cases"][1]["events"][0]["data"].pop("source"),
    "persons words": data(0, 0, "persons", "many"),
    "persons zero": data(0, 0, "persons", 0),
    "persons true": data(0, 0, "persons", True),
    "anonymous yes": data(0, 0, "anonymous", "yes"),
    "content too long": data(0, 0, "content", "长" * 30_000),
    "name too long": data(0, 0, "name", "名" * 1_000),
    "received_at garbage": data(0, 0, "received_at", "garbage"),
    "phone a number": data(0, 0, "phone", 13812345678),
    "unknown registration field": data(0, 0, "salary", "3000"),
    "assign without due": lambda m, z: m["cases"][0]["events"][2]["data"].pop("due"),
    "assign due words": data(0, 2, "due", "soon"),
    "assign to nobody": data(0, 2, "to", ""),
    "assign unit too long": data(0, 2, "to", "单" * 60),
    "notice on a bad day": data(0, 1, "notified_on", "2026-13-01"),
    "reply result unknown": data(0, 5, "result", "搞定了"),
    "extend of no stage": inserting(
        0, 2, "extend", "accepted", {"stage": "nope", "days": 5, "reason": "x"}
    ),
    "extend days words": inserting(
        0, 2, "extend", "accepted", {"stage": "reply", "days": "five", "reason": "x"}
    ),
    "supervise without due": inserting(
        0, 3, "supervise", "assigned", {"to": "沙河镇", "reason": "x", "number": 1, "year": 2026}
    ),
    "correct of no field": inserting(
        0, 2, "correct", "accepted", {"field": "evil", "label": "x", "new": "y"}
    ),
    "correct persons to words": inserting(
        0, 2, "correct", "accepted", {"field": "persons", "label": "人数", "new": "x"}
    ),
    "correct content away": inserting(
        0, 2, "correct", "accepted", {"field": "content", "label": "反映问题", "new": None}
    ),
    "attachments a string": setting(case(0), "attachments", "x"),
    "attachment hash malformed": attachment("sha256", "zz"),
    "attachment file climbing": attachment("file", "../../x.txt"),
    "attachment file with a folder": attachment("file", "a/b.txt"),
    "attachment file name too long for a disk": attachment("file", "名" * 90 + ".txt"),
    "attachment kind unknown": attachment("kind", "病毒"),
    "attachment size words": attachment("size", "big"),
    "attachment listed twice": lambda m, z: m["cases"][0]["attachments"].append(
        dict(m["cases"][0]["attachments"][0])
    ),
    "attachment content changed": lambda m, z: z.__setitem__(_scan_name(z), b"changed"),
    "attachment size not as listed": attachment("size", 3),
    "member not listed": member("attachments/2026-0001/99-extra.txt"),
    "member of no case": member("attachments/2026-0099/01-x.txt"),
    "member at the top": member("evil.sh", b"rm -rf /"),
    "member climbing": member("attachments/../../evil.sh"),
    "member absolute": member("/etc/cron.d/evil"),
    "member a folder of its own": member("attachments/2026-0001/sub/x.txt"),
}
# Bundles broken below the manifest: the zip itself, the JSON text.
RAW: dict[str, Callable[[Path, dict[str, Any], dict[str, bytes]], None]] = {
    "not a zip": lambda p, m, z: p.write_bytes(b"not a zip at all"),
    "empty file": lambda p, m, z: p.write_bytes(b""),
    "truncated zip": lambda p, m, z: p.write_bytes(write_bundle(p, m, z).read_bytes()[:300]),
    "no bundle.json": lambda p, m, z: _zip(p, {"other.json": b"{}"}),
    "not JSON": lambda p, m, z: _zip(p, {"bundle.json": b"{not json"}),
    "not UTF-8": lambda p, m, z: _zip(p, {"bundle.json": '{"office": "沙河"}'.encode("gbk")}),
    "a JSON list": lambda p, m, z: _zip(p, {"bundle.json": b"[1, 2]"}),
    "nested a million deep": lambda p, m, z: _zip(p, {"bundle.json": b"[" * 1_000_000}),
    "a number of 5000 digits": lambda p, m, z: _zip(
        p,
        {"bundle.json": json.dumps(m).replace('"round": 1', '"round": ' + "9" * 5000, 1).encode()},
    ),
    "NaN": lambda p, m, z: _zip(
        p, {"bundle.json": json.dumps(m).replace('"round": 1', '"round": NaN', 1).encode()}
    ),
    "a member twice": lambda p, m, z: _zip(p, {"bundle.json": json.dumps(m).encode()}, twice=True),
    "a symbolic link": lambda p, m, z: _zip(p, {"bundle.json": json.dumps(m).encode()}, link=True),
    "sizes that lie": lambda p, m, z: _lying(write_bundle(p, m, z)),
    "three million objects": lambda p, m, z: _zip(
        p,
        {"bundle.json": b'{"format": "xinfang-bundle", "cases": [' + b"{}," * 3_000_000 + b"{}]}"},
    ),
}


def _zip(path: Path, members: dict[str, bytes], *, twice: bool = False, link: bool = False) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
        if twice:
            with warnings.catch_warnings():  # zipfile warns of it, and writes it
                warnings.simplefilter("ignore")
                archive.writestr("bundle.json", b'{"format": "xinfang-bundle"}')
        if link:
            info = zipfile.ZipInfo("attachments/2026-0001/01-link.txt")
            info.create_system = 3
            info.external_attr = 0o120777 << 16
            archive.writestr(info, "/etc/passwd")


def _lying(path: Path) -> None:
    """The central directory says bundle.json is 10 bytes: a reader that trusts it reads
    a truncated manifest, one that does not trust the header finds the CRC wrong."""
    raw = bytearray(path.read_bytes())
    at = raw.find(b"PK\x01\x02")
    struct.pack_into("<I", raw, at + 24, 10)
    path.write_bytes(bytes(raw))


ALL = [*MALFORMED, *RAW]


def test_the_table_is_long():
    assert len(ALL) >= 100, len(ALL)


@pytest.mark.parametrize("label", ALL)
def test_a_malformed_bundle_is_refused_whole(run, tmp_path, db_path, good_bundle, label):
    manifest, members = read_bundle(good_bundle)
    path = tmp_path / "bad.zip"
    if label in RAW:
        RAW[label](path, manifest, members)
    else:
        MALFORMED[label](manifest, members)
        write_bundle(path, manifest, members)
    file_bytes = (lambda: db_path.read_bytes()) if isinstance(db_path, Path) else (lambda: None)
    before, before_bytes = dump(db_path), file_bytes()  # the file itself, on SQLite
    out = run("merge", str(good_bundle), str(path), expect=2)
    import os as _os

    if _os.environ.get("SHOW_MSG"):
        with open("/tmp/msgs.txt", "a") as f:
            f.write(f"{label}\t{out.stderr.split('bad.zip', 1)[-1].strip()}\n")
    assert out.stdout == ""
    assert out.stderr.startswith("错误：") and out.stderr.count("\n") == 1, out.stderr
    assert "Traceback" not in out.stderr and "bad.zip" in out.stderr
    assert dump(db_path) == before and file_bytes() == before_bytes
    assert not (ledger_files(db_path)).exists()
    assert not [p for p in beside_ledger(db_path) if "merge" in p.name]


def test_the_good_bundle_itself_merges(run, db_path, good_bundle):
    assert "新增 2 件" in run("merge", str(good_bundle)).stdout
    assert run("doctor").exit_code == 0


def test_a_bundle_of_unknown_status_leaves_every_command_working(
    run, tmp_path, db_path, good_bundle
):
    bad = rewrite(
        good_bundle, tmp_path / "bad.zip", setting(event(0, 1), "status_after", "suspended")
    )
    assert "suspended" in run("merge", str(bad), expect=2).stderr
    for args in (
        ("list",),
        ("search", "低保"),
        ("overdue",),
        ("export", "-o", str(tmp_path / "e.csv")),
    ):
        run(*args)


# The parameters are inputs, formats or widths of one code path: their variants run on SQLite,
# and each test's first on PostgreSQL too (conftest.pytest_collection_modifyitems).
pytestmark = pytest.mark.variants_on_sqlite
