"""`import` and the dates of real old ledgers: fractional seconds, ISO time with a zone,
上午/下午 without a time, a weekday in brackets, two-digit years, 9:5, day-first dates
decided for the whole column, a time-only column beside the date column; a month alone
refused. And ID and phone numbers that Excel kept as numbers: broken, not repaired."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from sheets import workbook

from xinfang.core.clock.dates import parse_month_day, parse_when

HEADER = ["信访人", "联系电话", "信访时间", "信访形式", "信访来源", "反映问题"]


def ledger(path: Path, whens: list[object], header: list[str] = HEADER, extra=None) -> Path:
    """A CSV (or, for .xlsx, a workbook with typed cells) with one petition per date."""
    rows = [
        [f"张{n}", f"1381234{n:04d}", when, "来访", "本级", f"低保金停发{n}"]
        + (extra[n] if extra else [])
        for n, when in enumerate(whens)
    ]
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([header, *rows])
    else:
        workbook(path, header, *rows)
    return path


def received(sql) -> list[str]:
    return [r[0] for r in sql("SELECT received_at FROM cases ORDER BY id")]


def imported(run, path: Path, expect: int = 0) -> dict:
    return json.loads(run("import", str(path), "--json", expect=expect).stdout)


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("2026-06-22 11:49:49.0", "2026-06-22 11:49:49"),
        ("2026-06-22 11:49:49.123", "2026-06-22 11:49:49"),
        ("2026-06-22T11:49:49+08:00", "2026-06-22 11:49:49"),
        ("2026-06-22T01:00:00Z", "2026-06-22 09:00:00"),  # converted to the office's zone
        ("2026-06-21T20:30:00-04:00", "2026-06-22 08:30:00"),  # across midnight
        ("2026年6月22日上午", "2026-06-22"),  # a half of the day is no time: none invented
        ("2026年6月22日下午", "2026-06-22"),
        ("2026年6月22日晚上", "2026-06-22"),
        ("2026年6月22日下午3点", "2026-06-22 15:00:00"),
        ("2026年6月22日晚上8:30", "2026-06-22 20:30:00"),
        ("26-6-22", "2026-06-22"),
        ("2026-6-22 9:5", "2026-06-22 09:05:00"),
        ("2026年06月22日（周一）", "2026-06-22"),
        ("2026年06月22日(星期一)", "2026-06-22"),
        ("2026年06月22日（周一）14:30", "2026-06-22 14:30:00"),
    ],
)
def test_date_forms_of_old_ledgers(run, tmp_path, sql, written, stored):
    out = imported(run, ledger(tmp_path / "台账.csv", [written]))
    assert (out["imported"], out["rejected"]) == (1, []), out["rejected"]
    assert received(sql) == [stored]


def test_typed_dates_take_the_same_forms():
    assert parse_when("2026-6-22 9:5") == (datetime(2026, 6, 22, 9, 5), True)
    assert parse_when("2026-06-22T11:49:49+00:00") == (datetime(2026, 6, 22, 19, 49, 49), True)
    assert parse_when("2026年6月22日(周一)") == (datetime(2026, 6, 22), False)
    assert parse_month_day("6月22日上午", 2026) == (datetime(2026, 6, 22), False)  # a file's


def test_a_weekday_that_is_not_the_dates_is_refused(run, tmp_path, sql):
    out = imported(run, ledger(tmp_path / "台账.csv", ["2026年6月22日（周二）"]), expect=None)
    [rejected] = out["rejected"]
    assert rejected["row"] == 2
    assert "2026-06-22 是星期一，不是星期二" in rejected["reasons"][0]


@pytest.mark.parametrize("month", ["2026年6月", "2026-06", "2026/6"])
def test_a_month_alone_is_no_day(run, tmp_path, sql, month):
    out = imported(run, ledger(tmp_path / "台账.csv", [month]), expect=None)
    [rejected] = out["rejected"]
    assert rejected["reasons"] == [
        f"信访时间：“{month}”只写了年月，没有写哪一天；请补上日期（如 2026-06-22），不能猜"
    ]
    assert received(sql) == []


def test_day_first_dates_where_the_column_says_so(run, tmp_path, sql):
    # 05/06/2026 alone could be either; 22/06/2026 in the same column settles it.
    out = imported(run, ledger(tmp_path / "台账.csv", ["05/06/2026", "22/06/2026 9:30"]))
    assert out["imported"] == 2
    assert received(sql) == ["2026-06-05", "2026-06-22 09:30:00"]


def test_month_first_dates_where_the_column_says_so(run, tmp_path, sql):
    imported(run, ledger(tmp_path / "台账.csv", ["06/22/2026", "06/05/2026"]))
    assert received(sql) == ["2026-06-22", "2026-06-05"]


def test_a_column_that_could_be_read_either_way_is_refused(run, tmp_path, sql):
    out = run("import", str(ledger(tmp_path / "台账.csv", ["05/06/2026", "01/02/2026"])), expect=2)
    assert out.stderr.strip() == (
        "错误：信访时间：该列的日期写成“05/06/2026”这样，分不清是日/月/年还是月/日/年；"
        "请在 Excel 中把该列设为“yyyy-mm-dd”格式（如 2026-06-22）后重新导出"
    )
    assert "Traceback" not in out.output
    assert received(sql) == []


def test_a_column_read_both_ways_is_refused(run, tmp_path, sql):
    out = run("import", str(ledger(tmp_path / "台账.csv", ["22/06/2026", "06/22/2026"])), expect=2)
    assert "既有“22/06/2026”（日/月/年）又有“06/22/2026”（月/日/年）" in out.stderr
    assert received(sql) == []


def test_a_time_column_beside_the_date_column(run, tmp_path, sql):
    header = ["信访人", "联系电话", "来访日期", "信访形式", "信访来源", "反映问题", "来访时间"]
    extra = [["9:30"], ["下午3点"], [""]]
    path = ledger(
        tmp_path / "台账.csv", ["2026-06-22", "2026/6/23", "2026年6月24日"], header, extra
    )
    out = imported(run, path)
    assert out["imported"] == 3
    assert received(sql) == ["2026-06-22 09:30:00", "2026-06-23 15:00:00", "2026-06-24"]
    assert not any("来访时间" in column for column in out["kept_columns"])


def test_a_time_column_first_and_typed_cells(run, tmp_path, sql):
    header = ["来访时间", "信访人", "联系电话", "来访日期", "信访形式", "信访来源", "反映问题"]
    book = openpyxl.Workbook()
    book.active.append(header)
    book.active.append([datetime(1900, 1, 1, 9, 30).time(), "张三", "13812340001",
                        datetime(2026, 6, 22), "来访", "本级", "低保"])  # fmt: skip
    book.save(tmp_path / "台账.xlsx")
    imported(run, tmp_path / "台账.xlsx")
    assert received(sql) == ["2026-06-22 09:30:00"]


def test_excel_dates_still_come_in(run, tmp_path, sql):
    whens = [datetime(2026, 6, 22, 11, 49, 49), 46195, "2026-06-22"]
    imported(run, ledger(tmp_path / "台账.xlsx", whens))
    assert received(sql) == ["2026-06-22 11:49:49", "2026-06-22", "2026-06-22"]


ID_HEADER = [*HEADER, "身份证号码"]


def test_an_id_number_kept_as_a_number_is_broken(run, tmp_path, sql):
    # Excel keeps 15 significant digits: 371602195101243012 became 371602195101243000.
    extra = [[371602195101243000], [3.71602195101243e17], ["3.71602195101243E+17"]]
    path = ledger(tmp_path / "台账.xlsx", ["2026-06-22"] * 3, ID_HEADER, extra)
    out = imported(run, path, expect=None)
    assert [r["row"] for r in out["rejected"]] == [2, 3, 4]
    assert {r["reasons"][0] for r in out["rejected"]} == {
        "身份证号码：以数字格式保存，已丢失末几位；请在 Excel 中把该列设为文本、补全号码后重新导出"
    }
    assert received(sql) == []


def test_a_number_cell_with_every_digit_is_read_as_text(run, tmp_path, sql):
    extra = [["11010519491231002X"], [130503670401001]]  # 15 digits: an old card, exact
    path = ledger(tmp_path / "台账.xlsx", ["2026-06-22"] * 2, ID_HEADER, extra)
    path_book = openpyxl.load_workbook(path)
    path_book.active["B2"] = 13812340001  # a phone in a number cell, every digit there
    path_book.save(path)
    out = imported(run, path)
    assert (out["imported"], out["warnings"]) == (2, 0)
    assert sql("SELECT phone, id_number FROM cases ORDER BY id") == [
        ("13812340001", "11010519491231002X"),
        ("13812340001", "130503670401001"),
    ]


def test_a_phone_number_cell_that_lost_its_zero_is_broken(run, tmp_path, sql):
    path = ledger(tmp_path / "台账.xlsx", ["2026-06-22"])
    book = openpyxl.load_workbook(path)
    book.active["B2"] = 5311234567  # 0531-1234567 typed as a number
    book.save(path)
    out = imported(run, path, expect=None)
    assert out["rejected"][0]["reasons"] == [
        "联系电话：以数字格式保存，开头的 0 或末几位已丢失；请在 Excel 中把该列设为文本、"
        "补全号码后重新导出"
    ]


def test_warnings_name_their_rows(run, tmp_path, sql):
    extra = [["11010519491231002X"], ["110105194912310028"], ["123"]]  # bad check digit
    path = ledger(tmp_path / "台账.csv", ["2026-06-22"] * 3, ID_HEADER, extra)
    text = run("import", str(path), "--dry-run", expect=None).stdout
    assert "1 个电话或身份证号未通过校验，已按原样保留" in text
    assert "  第 3 行：身份证号码：" in text
    out = imported(run, path, expect=None)
    assert out["warnings"] == 1
    assert out["warned"] == [{"row": 3, "reasons": [out["warned"][0]["reasons"][0]]}]
    assert out["warned"][0]["reasons"][0].startswith("身份证号码：")


# The parameters are inputs, formats or widths of one code path: their variants run on SQLite,
# and each test's first on PostgreSQL too (conftest.pytest_collection_modifyitems).
pytestmark = pytest.mark.variants_on_sqlite
