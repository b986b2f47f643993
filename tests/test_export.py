"""`export`: every case with its fields and open deadlines, as CSV, JSON or a workbook;
with --mask, fit for statistics: no name, phone, ID number or address anywhere."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
from conftest import REGISTER

ID_NUMBER = "11010519491231002X"
PERSONAL = (
    "register", "--name", "李秀兰", "--phone", "13912345678", "--id-number", ID_NUMBER,
    "--address", "沙河镇西关村三社12号", "--source", "本级", "--form", "来访",
    "--content", "李秀兰（电话13912345678）反映西关村三社12号院墙被占，身份证11010519491231002X",
    "--new-matter", "--on", "2026-11-05 10:00",
)  # fmt: skip
SECRETS = ("李秀兰", "13912345678", ID_NUMBER, "西关村", "三社", "12号")


def _ledger(run) -> None:
    run(*REGISTER)
    run("accept", "2026-0001", "--on", "2026-11-03", "--notified-on", "2026-11-03")
    run(*PERSONAL)


def test_csv_to_stdout_has_every_case_with_chinese_headers(run):
    _ledger(run)
    rows = list(csv.DictReader(io.StringIO(run("export").stdout)))
    assert [row["案件编号"] for row in rows] == ["2026-0001", "2026-0002"]
    assert rows[0]["状态"] == "已受理（办理中）" and rows[0]["信访人姓名"] == "张三"
    assert rows[0]["未完成的期限"].startswith("答复 ")
    assert rows[1]["身份证号码"] == ID_NUMBER


def test_json_keeps_the_deadlines_as_a_list(run, tmp_path):
    _ledger(run)
    target = tmp_path / "cases.json"
    out = run("export", "-o", str(target), "--status", "已受理")
    assert "已导出 1 件" in out.stderr
    (case,) = json.loads(target.read_text(encoding="utf-8"))
    assert case["case_no"] == "2026-0001"
    assert [d["stage"] for d in case["open_deadlines"]] == ["reply"]
    assert case["open_deadlines"][0]["due_on"] == case["next_due"]


def test_mask_leaves_no_personal_data_in_any_format(run, tmp_path):
    _ledger(run)
    for suffix in ("csv", "json", "xlsx"):
        target = tmp_path / f"stats.{suffix}"
        run("export", "--mask", "-o", str(target))
        if suffix == "xlsx":
            sheet = openpyxl.load_workbook(target).active
            text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row)
        else:
            text = target.read_text(encoding="utf-8-sig")
        assert "院墙被占" in text, suffix  # the matter itself stays
        assert [secret for secret in SECRETS if secret in text] == [], suffix
    header = next(csv.reader(io.StringIO(run("export", "--mask").stdout)))
    assert not {"信访人姓名", "联系电话", "身份证号码", "通讯地址"} & set(header)


def test_workbook_reopens_with_one_row_per_case(run, tmp_path):
    _ledger(run)
    target = tmp_path / "all.xlsx"
    run("export", "-o", str(target))
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("案件编号", "文号", "状态")
    assert [row[0] for row in rows[1:]] == ["2026-0001", "2026-0002"]


def test_a_bad_target_is_refused_before_reading(run, tmp_path):
    out = run("export", "-o", str(tmp_path / "x.pdf"), expect=2)
    assert "扩展名只能是 .csv、.json、.xlsx" in out.stderr
    (tmp_path / "old.csv").write_text("keep", encoding="utf-8")
    out = run("export", "-o", str(tmp_path / "old.csv"), expect=2)
    assert "已存在；如要覆盖请加 --force" in out.stderr
    assert (tmp_path / "old.csv").read_text(encoding="utf-8") == "keep"
