"""`import` drops no cell, skips no row without naming it, and adds nothing to the office's
lists unless told: the columns xinfang has no field for are kept with the case (shown,
searched), the duplicate check reads every cell of the row, and a value the lists lack is
mapped (`--map-value`) or added (`--add-values`) by the clerk's choice."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from conftest import dump, fresh_identity, show

HEADER = ["序号", "信访人", "联系电话", "信访时间", "反映问题", "信访来源", "信访形式", "属地"]
KEPT = ["包案领导", "稳控措施"]


def workbook(path: Path, rows: list[list], header: list[str] | None = None) -> Path:
    book = openpyxl.Workbook()
    book.active.append(header or [*HEADER, *KEPT])
    for values in rows:
        book.active.append(values)
    book.save(path)
    return path


def line(n: int, name: str = "", lead: str = "李副县长", step: str = "专人稳控，每日报告") -> list:
    return [n, name, "", "2026-11-02", "低保金停发", "本级", "来访", "沙河镇", lead, step]


def test_columns_without_a_field_are_kept_shown_and_searched(run, tmp_path):
    path = workbook(tmp_path / "台账.xlsx", [line(1, "张三")])
    out = run("import", str(path)).stdout
    assert "其他列（已随案件保留）：序号、包案领导、稳控措施" in out
    assert show(run)["imported_extra"] == {
        "序号": "1",
        "包案领导": "李副县长",
        "稳控措施": "专人稳控，每日报告",
    }
    human = run("show", "2026-0001").stdout
    assert "原台账其他列" in human and "专人稳控，每日报告" in human
    assert "2026-0001" in run("search", "每日报告").stdout
    assert "2026-0001" in run("search", "副县长").stdout
    run("doctor")


@pytest.mark.sqlite_only("migrates a SQLite file of version 11")
def test_a_ledger_of_version_11_gets_its_kept_columns_indexed(run, tmp_path, db_path):
    run("import", str(workbook(tmp_path / "台账.xlsx", [line(1, "张三")])))
    conn = sqlite3.connect(db_path)
    with conn:  # as version 11 left it: the kept text not in the index
        conn.execute("DROP TRIGGER cases_fts_extra")
        conn.execute("UPDATE cases_fts SET notes = ''")
        conn.execute("PRAGMA user_version = 11")
    conn.close()
    assert "2026-0001" in run("search", "每日报告").stdout
    run("doctor")


def test_rows_alike_but_for_one_cell_are_both_imported_and_a_true_twin_is_named(run, tmp_path, sql):
    rows = [line(0, lead="李副县长"), line(0, lead="王局长"), line(0, lead="李副县长")]
    header = ["序号", "信访人", "联系电话", "信访时间", "反映问题", "信访来源", "信访形式", "属地"]
    for values in rows:
        values[0], values[1] = None, "匿名"
    path = workbook(tmp_path / "台账.xlsx", rows, [*header, *KEPT])
    out = run("import", str(path)).stdout
    assert "已导入 2 件" in out and "重复跳过 1 行" in out
    assert "第 4 行：与第 2 行相同" in out
    report = tmp_path / "台账_未导入行.xlsx"
    lines = list(openpyxl.load_workbook(report).active.iter_rows(values_only=True))
    assert [(r[0], r[-1]) for r in lines[1:]] == [(4, "重复：与第 2 行相同")]
    assert sql("SELECT count(*) FROM cases")[0][0] == 2

    again = run("import", str(path)).stdout
    assert "已导入 0 件；重复跳过 3 行" in again
    assert "第 2 行：已于 2026-11-23 导入（2026-0001）" in again
    assert "第 3 行：已于 2026-11-23 导入（2026-0002）" in again
    assert "第 4 行：已于 2026-11-23 导入（2026-0001）" in again  # as row 2 was
    lines = list(openpyxl.load_workbook(report).active.iter_rows(values_only=True))
    assert [r[0] for r in lines[1:]] == [2, 3, 4]


@pytest.mark.sqlite_only("rewrites an old SQLite file's history past its trigger")
def test_a_file_imported_before_every_cell_counted_still_adds_nothing(run, tmp_path, db_path):
    path = workbook(tmp_path / "台账.xlsx", [line(1, "张三"), line(2, "李四")])
    run("import", str(path))
    conn = sqlite3.connect(db_path)
    with conn:  # the fingerprints an import made before: name, phone, time and content
        (guard,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'events_no_update'"
        ).fetchone()
        conn.execute("DROP TRIGGER events_no_update")
        for event_id, data in conn.execute("SELECT id, data FROM events WHERE action = 'register'"):
            given = json.loads(data)
            parts = [given.get(k) or "" for k in ("name", "phone", "received_at", "content")]
            old = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
            given["imported_from"]["fingerprint"] = old
            given.pop("imported_extra")
            conn.execute("UPDATE events SET data = ? WHERE id = ?", (json.dumps(given), event_id))
        conn.execute(guard)
    conn.close()
    before = dump(db_path)
    out = run("import", str(path)).stdout
    assert "已导入 0 件；重复跳过 2 行" in out
    assert dump(db_path) == before


FREE = ["序号", "信访人", "信访时间", "反映问题", "信访来源", "属地"]


def free_rows() -> list[list]:
    return [
        [1, "张三", "2026-11-02", "低保金停发", "群众来访", "山东省临沂市沂南县城关镇"],
        [2, "李四", "2026-11-03", "院墙被占", "群众来访", "沙河镇"],
        [3, "王五", "2026-11-04", "补贴未发", "本级", "山东省临沂市沂南县城关镇"],
    ]


def test_a_value_the_lists_lack_is_refused_up_front(run, tmp_path, db_path, sql):
    path = workbook(tmp_path / "台账.xlsx", free_rows(), FREE)
    before = dump(db_path)
    out = run("import", str(path), "--default", "信访形式=来访", expect=2)
    assert "属地“山东省临沂市沂南县城关镇” 2 行（第 2、4 行）" in out.stderr
    assert "信访来源“群众来访” 2 行（第 2、3 行）" in out.stderr
    assert "--map-value 属地:山东省临沂市沂南县城关镇=" in out.stderr
    assert "--add-values" in out.stderr
    assert dump(db_path) == before
    assert not (tmp_path / "台账_未导入行.xlsx").exists()


def test_map_value_maps_and_splits_and_add_values_adds(run, tmp_path, sql):
    path = workbook(tmp_path / "台账.xlsx", free_rows(), FREE)
    out = run(
        "import", str(path),
        "--map-value", "信访来源:群众来访=本级",
        "--map-value", "信访形式:群众来访=来访",  # the one cell gives the form too
        "--map-value", "属地:山东省临沂市沂南县城关镇=沙河镇",
        "--default", "信访形式=来信",
    ).stdout  # fmt: skip
    assert "已导入 3 件" in out and "新增列表值" not in out
    assert sql("SELECT name, source, form, township FROM cases ORDER BY id") == [
        ("张三", "本级", "来访", "沙河镇"),
        ("李四", "本级", "来访", "沙河镇"),
        ("王五", "本级", "来信", "沙河镇"),
    ]
    # the cells as written are kept beside the values they were mapped to
    assert show(run)["imported_extra"] == {
        "序号": "1",
        "信访来源（原值）": "群众来访",
        "属地（原值）": "山东省临沂市沂南县城关镇",
    }


def test_add_values_lets_the_lists_grow(run, tmp_path, sql):
    path = workbook(tmp_path / "台账.xlsx", free_rows(), FREE)
    out = run("import", str(path), "--default", "信访形式=来访", "--add-values").stdout
    assert "已导入 3 件" in out
    assert "新增列表值 2 个：信访来源“群众来访”、属地“山东省临沂市沂南县城关镇”" in out
    assert sql("SELECT count(*) FROM choices WHERE value = '群众来访'")[0][0] == 1


def test_a_map_value_names_a_known_field(run, tmp_path):
    path = workbook(tmp_path / "台账.xlsx", free_rows(), FREE)
    out = run("import", str(path), "--map-value", "来源群众来访=本级", expect=2)
    assert "--map-value" in out.stderr and "字段:原值=新值" in out.stderr


def test_kept_columns_travel_in_a_bundle_and_are_searched_where_merged(
    run, tmp_path, template_ledger
):
    town = tmp_path / "town.db"
    shutil.copyfile(template_ledger, town)
    fresh_identity(town)
    at = ("--db", str(town))
    run("config", "set", "单位名称", "沙河镇人民政府", *at)
    run("import", str(workbook(tmp_path / "台账.xlsx", [line(1, "张三")])), *at)
    bundle = tmp_path / "town.zip"
    run("bundle", "--month", "2026-11", "-o", str(bundle), *at)
    assert "新增 1 件" in run("merge", str(bundle)).stdout
    merged = json.loads(run("list", "--json").stdout)[0]["case_no"]
    assert merged in run("search", "每日报告").stdout
    assert show(run, merged)["imported_extra"]["包案领导"] == "李副县长"
