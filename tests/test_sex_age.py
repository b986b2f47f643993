"""性别 and 年龄, as seed 001 二(三)1 has the 来访登记表 record them (姓名、性别、年龄、住址、
联系方式): optional registration fields, typed, corrected, shown, exported, imported,
bundled, printed on the 受理登记表, and masked with the other personal fields."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from conftest import REGISTER, dump, show
from docx import Document
from merging import at, bundle, new_town, read_bundle, write_bundle

from xinfang.store import migrations, shape

CASE = "2026-0001"
WITH_SEX_AGE = (*REGISTER, "--sex", "女", "--age", "67")


def test_register_keeps_sex_and_age_and_show_prints_them(run):
    run(*WITH_SEX_AGE)
    case = show(run)
    assert (case["sex"], case["age"]) == ("女", 67)
    assert case["events"][0]["data"]["sex"] == "女" and case["events"][0]["data"]["age"] == 67
    screen = run("show", CASE).stdout
    assert "性别" in screen and "年龄" in screen and "67" in screen
    run(*REGISTER[:-2], "--on", "2026-11-03 09:30", "--new-matter")
    plain = show(run, "2026-0002")
    assert (plain["sex"], plain["age"]) == (None, None)  # both optional
    assert "性别" not in run("show", "2026-0002").stdout  # an empty field is not printed


def test_age_may_be_written_with_its_unit_and_in_full_width(run):
    run(*REGISTER, "--sex", "男", "--age", "４５岁")
    assert (show(run)["sex"], show(run)["age"]) == ("男", 45)


BAD = {
    "sex 其他": (("--sex", "其他"), "性别：", "男、女"),
    "sex 男的": (("--sex", "男的"), "性别：", "男、女"),
    "age 0": (("--age", "0"), "年龄：", "1 到 120"),
    "age 200": (("--age", "200"), "年龄：", "1 到 120"),
    "age abc": (("--age", "abc"), "年龄：", "1 到 120"),
    "age -5": (("--age", "-5"), "年龄：", "1 到 120"),
    "age 4.5": (("--age", "4.5"), "年龄：", "1 到 120"),
}


@pytest.mark.parametrize("label", BAD)
def test_bad_sex_or_age_is_refused_and_nothing_is_written(run, db_path, label):
    options, field, allowed = BAD[label]
    run(*REGISTER)
    before = dump(db_path)
    out = run(*REGISTER[:-2], "--on", "2026-11-03 09:30", *options, expect=2)
    assert out.stderr.startswith(f"错误：{field}") and allowed in out.stderr, out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    assert dump(db_path) == before
    # The same values refused by a correction.
    which = "性别" if field == "性别：" else "年龄"
    out = run("correct", CASE, "--field", which, "--value", options[1], expect=2)
    assert out.stderr.startswith(f"错误：{field}") and allowed in out.stderr, out.stderr
    assert dump(db_path) == before


def test_correct_sets_changes_and_clears_them_keeping_the_old_values(run):
    run(*REGISTER)
    run("correct", CASE, "--field", "性别", "--value", "男", "--reason", "登记时漏填")
    run("correct", CASE, "--field", "age", "--value", "45")
    run("correct", CASE, "--field", "年龄", "--value", "46", "--reason", "笔误")
    case = show(run)
    assert (case["sex"], case["age"]) == ("男", 46)
    corrections = [e["data"] for e in case["events"] if e["action"] == "correct"]
    assert [(d["field"], d["label"], d.get("old"), d["new"]) for d in corrections] == [
        ("sex", "性别", None, "男"),
        ("age", "年龄", None, 45),
        ("age", "年龄", 45, 46),
    ]
    run("correct", CASE, "--field", "性别", "--value", "")
    assert show(run)["sex"] is None
    out = run("correct", CASE, "--field", "年龄", "--value", "46", expect=2)
    assert "新值与原值相同" in out.stderr
    assert "[问题]" not in run("doctor").stdout  # the row is the projection of its events


def test_masked_outputs_hide_sex_and_age_like_the_other_personal_fields(run):
    run(*WITH_SEX_AGE)
    run("correct", CASE, "--field", "年龄", "--value", "68")
    case = json.loads(run("show", CASE, "--mask", "--json").stdout)
    assert (case["sex"], case["age"]) == ("***", "***")
    registered = case["events"][0]["data"]
    assert (registered["sex"], registered["age"]) == ("***", "***")
    corrected = case["events"][-1]["data"]
    assert (corrected["old"], corrected["new"]) == ("***", "***")
    (listed,) = json.loads(run("list", "--mask", "--json").stdout)
    assert (listed["sex"], listed["age"]) == ("***", "***")
    screen = run("show", CASE, "--mask").stdout.splitlines()
    shown = [line.split() for line in screen if line.startswith(("性别", "年龄"))]
    assert shown == [["性别", "***"], ["年龄", "***"]]


def test_export_has_them_and_the_statistics_export_leaves_them_out(run, tmp_path):
    run(*WITH_SEX_AGE)
    (row,) = csv.DictReader(io.StringIO(run("export").stdout))
    assert (row["性别"], row["年龄"]) == ("女", "67")
    header = next(csv.reader(io.StringIO(run("export", "--mask").stdout)))
    assert not {"性别", "年龄"} & set(header)
    target = tmp_path / "stats.json"
    run("export", "--mask", "-o", str(target))
    (masked,) = json.loads(target.read_text(encoding="utf-8"))
    assert "sex" not in masked and "age" not in masked


def test_the_registration_form_has_a_place_for_them(run, tmp_path):
    run(*WITH_SEX_AGE)
    target = tmp_path / "登记表.docx"
    run("print", CASE, "受理登记表", "-o", str(target))
    cells = [cell.text for table in Document(str(target)).tables for row in table.rows
             for cell in row.cells]  # fmt: skip
    text = "\n".join(cells)
    assert "性别" in text and "年龄" in text
    assert "女" in text and "67" in text


# ------------------------------------------------------------------ an older ledger


def _v7_ledger(path: Path) -> None:
    """A ledger as xinfang wrote it at schema version 7, with one registered case."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(migrations.v1_schema_sql())
    conn.execute("BEGIN")
    for step in range(1, 7):
        migrations.STEPS[step](conn)
    conn.execute(
        "INSERT INTO cases (id, year, seq, status, name, received_at, source, form, content, "
        "updated_at, rule_version) VALUES (1, 2026, 1, 'registered', '张三', "
        "'2026-11-02 09:30:00', '本级', '来访', '低保评定不公', '2026-11-02 09:30:00', "
        "(SELECT max(id) FROM rule_versions))"
    )
    conn.execute(
        "INSERT INTO events (case_id, action, occurred_at, recorded_at, actor, round, "
        "status_after, data) VALUES (1, 'register', '2026-11-02 09:30:00', "
        "'2026-11-02 09:30:00', '王芳', 1, 'registered', ?)",
        (json.dumps({"name": "张三", "source": "本级", "form": "来访", "content": "低保评定不公",
                     "received_at": "2026-11-02 09:30:00", "persons": 1}, ensure_ascii=False),),
    )  # fmt: skip
    conn.execute("INSERT INTO sequences (name, year, last) VALUES ('case', 2026, 1)")
    conn.execute("COMMIT")
    conn.execute("PRAGMA user_version = 7")
    conn.close()
    path.chmod(0o600)


def test_a_version_7_ledger_is_brought_forward_and_takes_them(run, no_ledger):
    _v7_ledger(no_ledger)
    assert shape.differences(sqlite3.connect(no_ledger), 7) == []  # a true version 7
    case = show(run)
    assert (case["name"], case["sex"], case["age"]) == ("张三", None, None)
    conn = sqlite3.connect(no_ledger)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST >= 8
    assert shape.differences(conn, migrations.LATEST) == []  # exactly a new ledger's shape
    assert shape.differences(conn, 7) != []  # and no longer a version 7 one
    conn.close()
    run("correct", CASE, "--field", "性别", "--value", "男")
    run("correct", CASE, "--field", "年龄", "--value", "70")
    assert (show(run)["sex"], show(run)["age"]) == ("男", 70)
    assert "[问题]" not in run("doctor").stdout


# ------------------------------------------------------------------ import and bundles


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["信访人", "性 别", "年龄（岁）", "信访时间", "信访形式", "信访来源", "反映问题"])
    for values in rows:
        sheet.append(values)
    book.save(path)
    return path


def test_import_reads_sex_and_age_columns_and_refuses_bad_rows(run, tmp_path):
    rows = [
        ["张三", "男", 45, "2026-11-02", "来访", "本级", "低保金停发"],
        ["李四", "女", "38岁", "2026-11-03", "来信", "本级", "院墙被占"],
        ["王五", "", None, "2026-11-04", "来访", "本级", "道路损坏"],
        ["赵六", "其他", 30, "2026-11-05", "来访", "本级", "补贴未发"],
        ["钱七", "女", 200, "2026-11-06", "来访", "本级", "殡葬收费"],
    ]
    out = run("import", str(_workbook(tmp_path / "台账.xlsx", rows)))
    assert "已导入 3 件" in out.stdout and "未导入 2 行" in out.stdout, out.stdout
    assert (
        "第 5 行：性别：“其他”不可用；可选：男、女" in out.stdout
        and "第 6 行：年龄（岁）：" in out.stdout
    ), out.stdout
    got = [(show(run, f"2026-000{n}")["sex"], show(run, f"2026-000{n}")["age"]) for n in (1, 2, 3)]
    assert got == [("男", 45), ("女", 38), (None, None)]


def test_an_export_with_them_reads_back(run, tmp_path):
    run(*WITH_SEX_AGE)
    exported = tmp_path / "全部.xlsx"
    run("export", "-o", str(exported))
    other = tmp_path / "other.db"
    run("import", str(exported), "--db", str(other))
    copy = json.loads(run("show", CASE, "--json", "--db", str(other)).stdout)
    assert (copy["sex"], copy["age"]) == ("女", 67)


@pytest.fixture
def town_bundle(run, tmp_path, template_ledger) -> Path:
    town = new_town(run, tmp_path, template_ledger, "town", "沙河镇人民政府")
    run(*WITH_SEX_AGE, *at(town))
    run("correct", CASE, "--field", "年龄", "--value", "68", *at(town))
    return bundle(run, town, tmp_path / "town.zip", "2026-11")


def test_a_bundle_carries_them_to_the_county(run, town_bundle):
    assert "新增 1 件" in run("merge", str(town_bundle)).stdout
    (merged,) = json.loads(run("list", "--json").stdout)
    case = show(run, merged["case_no"])
    assert (case["sex"], case["age"]) == ("女", 68)
    assert "[问题]" not in run("doctor").stdout


BAD_BUNDLE = {
    "sex 其他": (0, "sex", "其他", "性别"),
    "age 200": (0, "age", 200, "年龄"),
    "age as text": (0, "age", "67", "年龄"),
    "corrected age 0": (1, "new", 0, "new"),
}


@pytest.mark.parametrize("label", BAD_BUNDLE)
def test_a_bundle_with_a_bad_sex_or_age_is_refused_whole(
    run, db_path, tmp_path, town_bundle, label
):
    number, key, value, named = BAD_BUNDLE[label]
    manifest, members = read_bundle(town_bundle)
    manifest["cases"][0]["events"][number]["data"][key] = value
    bad = write_bundle(tmp_path / "bad.zip", manifest, members)
    before = dump(db_path)
    out = run("merge", str(bad), expect=2)
    assert named in out.stderr and out.stderr.count("\n") == 1, out.stderr
    assert dump(db_path) == before
