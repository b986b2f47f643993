"""The county roll-up: towns `bundle` their cases of a month, the county `merge`s them —
keeping each case's origin and number, idempotently — and reports over the whole county."""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest
from conftest import dump, fresh_identity, ledger_files, show
from openpyxl import load_workbook

TOWNS = {"沙河镇人民政府": "沙河镇", "新华镇人民政府": "新华镇"}


@pytest.fixture
def towns(run, tmp_path, template_ledger):
    """Two town ledgers with a few cases each, at different stages."""
    paths = {}
    for office, town in TOWNS.items():
        db = tmp_path / f"{town}.db"
        shutil.copyfile(template_ledger, db)
        fresh_identity(db)  # another office, not a copy of one
        paths[office] = db
        at = ("--db", str(db))
        run("config", "set", "单位名称", office, *at)
        for n, content in enumerate(("低保金停发", "敬老院供暖不足", "公墓收费过高"), 1):
            run("register", "--name", f"{town}信访人{n}", "--source", "本级", "--form", "来访",
                "--content", f"{town}{content}", "--town", town, "--new-matter",
                "--on", f"2026-11-0{n + 1} 09:00", *at)  # fmt: skip
        run("accept", "2026-0001", "--on", "2026-11-03", "--notified-on", "2026-11-03", *at)
        run("assign", "2026-0001", "--to", "社会救助股", "--due", "2026-11-20", "--on", "2026-11-04", *at)  # fmt: skip
        run("reject", "2026-0002", "--reason", "属诉讼事项", "--channel", "人民法院", "--on", "2026-11-04", *at)  # fmt: skip
    return paths


def _bundle(run, tmp_path, db, name, *extra):
    target = tmp_path / name
    out = run("bundle", "--month", "2026-11", "-o", str(target), "--force", "--db", str(db), *extra)
    assert out.stdout.startswith(f"已生成：{target}（2026年11月，3 件")
    return target


def test_two_towns_merge_into_one_county_ledger(run, tmp_path, towns):
    bundles = [_bundle(run, tmp_path, db, f"{n}.zip") for n, db in enumerate(towns.values())]
    out = run("merge", *map(str, bundles)).stdout.splitlines()
    assert out == [f"{office}：新增 3 件，更新 0 件，无变化 0 件，新增办理记录 6 条"
                   for office in TOWNS]  # fmt: skip
    merged = json.loads(run("list", "--json").stdout)
    assert [(c["origin"], c["origin_no"]) for c in merged] == [
        (office, f"2026-000{n}") for office in TOWNS for n in (1, 2, 3)
    ]
    first = show(run, merged[3]["case_no"])  # 新华镇's 2026-0001
    assert (first["status"], first["unit"], first["content"]) == (
        "assigned",
        "社会救助股",
        "新华镇低保金停发",
    )
    assert first["events"][0]["data"]["merged_from"]["office"] == "新华镇人民政府"
    open_stages = {d["stage"] for d in first["deadlines"] if d["met_on"] is None}
    assert open_stages == {"reply", "unit_accept", "assign_due"}
    assert "[问题]" not in run("doctor").stdout  # state, history and deadlines agree
    screen = run("show", merged[3]["case_no"]).stdout
    assert "新华镇人民政府" in screen and screen.count("汇总自 新华镇人民政府 2026-0001") == 1


def test_merging_again_changes_nothing_and_a_newer_bundle_only_adds(run, tmp_path, towns, db_path):
    town = towns["沙河镇人民政府"]
    first = _bundle(run, tmp_path, town, "a.zip")
    run("merge", str(first))
    before = dump(db_path)
    assert "无变化 3 件" in run("merge", str(first)).stdout
    assert dump(db_path) == before
    run("unit-accept", "2026-0001", "--on", "2026-11-05", "--db", str(town))
    run("note", "2026-0003", "信访人再次来电", "--on", "2026-11-06", "--db", str(town))
    newer = _bundle(run, tmp_path, town, "b.zip")
    assert run("merge", str(newer)).stdout.strip() == (
        "沙河镇人民政府：新增 0 件，更新 2 件，无变化 1 件，新增办理记录 2 条"
    )
    cases = json.loads(run("list", "--json").stdout)
    assert len(cases) == 3 and cases[0]["status"] == "handling"
    actions = [e["action"] for e in show(run, cases[0]["case_no"])["events"]]
    assert actions == ["register", "accept", "assign", "unit-accept"]


def test_county_reports_cover_every_town_with_a_breakdown_by_origin(run, tmp_path, towns):
    run("merge", *(str(_bundle(run, tmp_path, db, f"{n}.zip")) for n, db in enumerate(towns.values())))  # fmt: skip
    table = tmp_path / "accept.xlsx"
    run("report", "accept", "--month", "2026-11", "-o", str(table))
    names = [row[1] for row in load_workbook(table).active.iter_rows(min_row=5, values_only=True)]
    assert sorted(names) == sorted(f"{t}信访人{n}" for t in TOWNS.values() for n in (1, 2, 3))
    stats = tmp_path / "stats.xlsx"
    run("report", "stats", "--month", "2026-11", "-o", str(stats))
    cells = [c for row in load_workbook(stats)["分类统计"].iter_rows(values_only=True) for c in row]
    assert cells.count("沙河镇人民政府") == 1 and cells.count("新华镇人民政府") == 1


def test_attachments_travel_only_when_asked(run, tmp_path, towns, db_path):
    town = towns["沙河镇人民政府"]
    scan = tmp_path / "来信.txt"
    scan.write_text("来信原件", encoding="utf-8")
    run("attach", "2026-0001", str(scan), "--kind", "来源材料", "--db", str(town))
    plain = _bundle(run, tmp_path, town, "plain.zip")
    assert [n for n in zipfile.ZipFile(plain).namelist() if n.startswith("attachments/")] == []
    full = _bundle(run, tmp_path, town, "full.zip", "--with-attachments")
    assert len([n for n in zipfile.ZipFile(full).namelist() if n.startswith("attachments/")]) == 1
    run("merge", str(full))
    copied = list((ledger_files(db_path) / "merged").rglob("*来信*"))
    assert [p.read_text(encoding="utf-8") for p in copied] == ["来信原件"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"not a zip", "不是 xinfang 汇总包"),
        (None, "不存在"),
    ],
)
def test_what_is_not_a_bundle_is_refused_and_nothing_written(
    run, tmp_path, db_path, content, words
):
    path = tmp_path / "x.zip"
    if content is not None:
        path.write_bytes(content)
    before = dump(db_path)
    assert words in run("merge", str(path), expect=2).stderr
    assert dump(db_path) == before


def test_a_bundle_of_the_county_itself_is_refused(run, tmp_path, db_path):
    run("register", "--name", "张三", "--source", "本级", "--form", "来访", "--content", "x", "--on", "2026-11-02")  # fmt: skip
    own = tmp_path / "own.zip"
    run("bundle", "--month", "2026-11", "-o", str(own))
    before = dump(db_path)
    assert "来自本单位" in run("merge", str(own), expect=2).stderr
    assert dump(db_path) == before


def test_one_bad_bundle_merges_nothing(run, tmp_path, towns, db_path):
    good = _bundle(run, tmp_path, towns["沙河镇人民政府"], "good.zip")
    with zipfile.ZipFile(good) as archive:
        manifest = json.loads(archive.read("bundle.json"))
    manifest["version"] = 99
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("bundle.json", json.dumps(manifest))
    before = dump(db_path)
    assert "第 99 版格式" in run("merge", str(good), str(bad), expect=2).stderr
    assert dump(db_path) == before
