"""WorkCalendar on a real ledger's calendar table, and the `calendar` commands that feed it.

Dates are counted by hand from the 2026 State Council notice: New Year Jan 1–3 (Sun Jan 4
worked); Spring Festival Feb 15–23 (Sat Feb 14 and Sat Feb 28 worked); Labour Day May 1–5
(Sat May 9 worked); Mid-Autumn Sep 25–27; National Day Oct 1–7 (Sun Sep 20 and Sat Oct 10 worked).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import dump

from xinfang.core.clock import workdays
from xinfang.store.db import connect

D = date.fromisoformat


@pytest.fixture
def cal(tmp_path):
    conn = connect(tmp_path / "x.db")
    try:
        yield workdays.load(conn)
    finally:
        conn.close()


def loaded(db_path) -> workdays.WorkCalendar:
    conn = connect(db_path)
    try:
        return workdays.load(conn)
    finally:
        conn.close()


def test_three_working_days_from_the_eve_of_national_day_end_on_the_adjusted_saturday(cal):
    # Wed 09-30 is day zero; Oct 1–7 off; Thu 10-08 (1), Fri 10-09 (2), Sat 10-10 (3, 调休).
    assert cal.add_workdays(D("2026-09-30"), 3) == D("2026-10-10")
    assert cal.add_workdays(D("2026-09-30"), 1) == D("2026-10-08")
    assert cal.add_workdays(D("2026-09-30"), 4) == D("2026-10-12")  # Sun 10-11 is off
    assert cal.add_workdays(D("2026-09-30"), 0) == D("2026-09-30")
    # Starting inside the holiday: the first working day after it.
    assert cal.add_workdays(D("2026-10-03"), 1) == D("2026-10-08")


def test_counting_across_the_spring_festival_from_either_side(cal):
    # Before: Thu 02-12; Fri 02-13 (1), Sat 02-14 (2, 调休), then 02-15..02-23 off,
    # Tue 02-24 (3), 25 (4), 26 (5), 27 (6), Sat 02-28 (7, 调休), Mon 03-02 (8) …
    assert cal.add_workdays(D("2026-02-12"), 2) == D("2026-02-14")
    assert cal.add_workdays(D("2026-02-12"), 3) == D("2026-02-24")
    assert cal.add_workdays(D("2026-02-12"), 7) == D("2026-02-28")
    assert cal.add_workdays(D("2026-02-12"), 10) == D("2026-03-04")
    # From inside the holiday: Mon 02-16 → Tue 02-24 is the first working day.
    assert cal.add_workdays(D("2026-02-16"), 1) == D("2026-02-24")
    # The whole month: Feb 2–13 (10) + Sat 14 + Feb 24–27 (4) + Sat 28 = 16.
    assert cal.workdays_between(D("2026-02-01"), D("2026-03-01")) == 16
    # Back from after the holiday to before it.
    assert cal.workdays_between(D("2026-02-25"), D("2026-02-13")) == -3  # 14, 24, 25


def test_workdays_between_counts_the_half_open_interval_with_a_sign(cal):
    # (a, b]: the start day is never counted, the end day is.
    assert cal.workdays_between(D("2026-02-13"), D("2026-02-14")) == 1
    assert cal.workdays_between(D("2026-02-14"), D("2026-02-23")) == 0  # all holiday
    assert cal.workdays_between(D("2026-02-13"), D("2026-02-24")) == 2
    assert cal.workdays_between(D("2026-02-24"), D("2026-02-13")) == -2
    assert cal.workdays_between(D("2026-10-10"), D("2026-10-10")) == 0
    # Across New Year: Jan 1–3 off, Sun Jan 4 worked, Mon Jan 5.
    assert cal.workdays_between(D("2025-12-31"), D("2026-01-05")) == 2
    # add_workdays and workdays_between agree.
    start = D("2026-09-18")
    for n in range(1, 25):
        assert cal.workdays_between(start, cal.add_workdays(start, n)) == n


def test_calendar_day_deadline_ending_on_a_day_off_moves_to_the_next_working_day(cal):
    assert cal.add_days(D("2026-09-28"), 3) == D("2026-10-08")  # ends Thu 10-01 (国庆)
    assert cal.add_days(D("2026-10-07"), 3) == D("2026-10-10")  # Sat 10-10 is worked
    assert cal.add_days(D("2026-11-19"), 3) == D("2026-11-23")  # ends Sun 11-22 → Mon
    assert cal.add_days(D("2026-04-30"), 3) == D("2026-05-06")  # ends Sun 05-03 (劳动节)
    assert cal.add_days(D("2026-05-05"), 4) == D("2026-05-09")  # Sat 05-09 is worked
    assert cal.add_days(D("2026-11-02"), 3) == D("2026-11-05")  # a plain Thursday
    assert cal.next_workday(D("2026-10-01")) == D("2026-10-08")
    assert cal.next_workday(D("2026-09-20")) == D("2026-09-20")  # 调休 Sunday


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-02-14", True),  # Saturday, 春节调休
        ("2026-02-16", False),  # Monday, 春节
        ("2026-02-28", True),  # Saturday, 春节调休
        ("2026-01-01", False),
        ("2026-01-04", True),  # Sunday, 元旦调休
        ("2026-05-01", False),
        ("2026-05-09", True),  # Saturday
        ("2026-09-20", True),  # Sunday
        ("2026-09-25", False),  # Friday, 中秋
        ("2026-10-07", False),
        ("2026-10-10", True),  # Saturday
        ("2026-10-11", False),  # plain Sunday
        ("2026-11-23", True),  # plain Monday
    ],
)
def test_is_workday_follows_the_2026_notice(cal, day, working):
    assert cal.is_workday(D(day)) is working


def test_2027_is_unknown_and_counted_weekends_only(cal):
    assert cal.year_known(2026) is True
    assert cal.year_known(2027) is False
    assert cal.unknown_years(D("2026-12-20"), D("2027-01-10")) == [2027]
    assert cal.unknown_years(D("2026-01-01"), D("2026-12-31")) == []
    assert cal.is_workday(D("2027-01-01")) is True  # a Friday, as far as anyone knows
    assert cal.is_workday(D("2027-02-06")) is False  # a Saturday
    # Mon 2026-12-28: 29, 30, 31, Fri 2027-01-01, 4, 5, 6, 7, 8, Mon 01-11.
    assert cal.add_workdays(D("2026-12-28"), 10) == D("2027-01-11")


def test_entering_2027_makes_the_year_known_and_counted(run, db_path):
    out = run("calendar", "set", "2027-02-06..2027-02-12", "休", "--note", "春节")
    assert out.stdout.splitlines()[0] == "已录入 7 天（休）；重算了 0 件案件的期限。"
    run("calendar", "set", "2027-02-14", "班")
    assert loaded(db_path).year_known(2027) is False  # entered, not yet confirmed complete
    run("calendar", "confirm", "2027")
    cal = loaded(db_path)
    assert cal.year_known(2027) is True
    assert cal.unknown_years(D("2026-12-20"), D("2027-03-01")) == []
    assert cal.is_workday(D("2027-02-08")) is False  # Monday, entered as 休
    assert cal.is_workday(D("2027-02-13")) is False  # plain Saturday
    assert cal.is_workday(D("2027-02-14")) is True  # Sunday, entered as 班
    # Fri 02-05: Sun 02-14 (1), Mon 02-15 (2).
    assert cal.add_workdays(D("2027-02-05"), 1) == D("2027-02-14")
    assert cal.add_workdays(D("2027-02-05"), 2) == D("2027-02-15")
    assert cal.workdays_between(D("2027-02-05"), D("2027-02-15")) == 2
    assert cal.add_days(D("2027-02-03"), 3) == D("2027-02-14")  # ends Sat 02-06 (休)


def test_calendar_set_refuses_bad_kinds_and_ranges_and_writes_nothing(run, db_path):
    before = dump(db_path)
    assert "只能是" in run("calendar", "set", "2027-01-01", "放", expect=2).stderr
    assert "早于" in run("calendar", "set", "2027-01-05..2027-01-01", "休", expect=2).stderr
    assert "31" in run("calendar", "set", "2027-01-01..2027-03-01", "休", expect=2).stderr
    assert dump(db_path) == before


IMPORT_OK = """\
# 国务院办公厅关于2027年部分节假日安排的通知（录入示例）
2027-01-01 休 元旦

2027-02-06..2027-02-12, 休, 春节   # 逗号分隔也可
2027-02-14 班 春节调休
"""


def test_calendar_import_reads_comments_and_commas(run, db_path, sql, tmp_path):
    path = tmp_path / "2027.txt"
    path.write_text(IMPORT_OK, encoding="utf-8")
    out = run("calendar", "import", str(path))
    assert out.stdout.strip() == "已录入 9 天；重算了 0 件案件的期限。"
    rows = sql("SELECT day, kind, note FROM calendar_entries ORDER BY day")
    assert rows[0] == ("2027-01-01", "休", "元旦")
    assert rows[1] == ("2027-02-06", "休", "春节")
    assert rows[-1] == ("2027-02-14", "班", "春节调休")
    assert len(rows) == 9
    cal = loaded(db_path)
    assert cal.is_workday(D("2027-01-01")) is False
    assert cal.year_known(2027) is True


def test_calendar_import_with_a_bad_line_writes_nothing_and_names_the_line(run, db_path, tmp_path):
    path = tmp_path / "2027.txt"
    path.write_text(IMPORT_OK + "2027-02-30 休 不存在的日子\n", encoding="utf-8")
    before = dump(db_path)
    out = run("calendar", "import", str(path), expect=2)
    assert "第 6 行" in out.stderr
    assert dump(db_path) == before
    path.write_text("# 只有一行\n2027-04-05\n", encoding="utf-8")
    assert "第 2 行" in run("calendar", "import", str(path), expect=2).stderr
    assert dump(db_path) == before
    assert loaded(db_path).year_known(2027) is False


def marks(output: str) -> dict[int, str]:
    """Day of month -> 休/班 as `calendar show` marks them."""
    return {int(day): mark for day, mark in re.findall(r"(\d{1,2})([休班])", output)}


def test_calendar_show_october_2026(run):
    out = run("calendar", "show", "2026-10").stdout
    assert out.splitlines()[0] == "2026年10月"
    assert marks(out) == {1: "休", 2: "休", 3: "休", 4: "休", 5: "休", 6: "休", 7: "休", 10: "班"}
    assert "尚未录入" not in out
    # Thu 10-01 opens the month: the first row holds only Thursday to Sunday.
    assert re.findall(r"\d+\S?", out.splitlines()[2]) == ["1休", "2休", "3休", "4休"]


def test_calendar_show_says_when_a_year_is_not_entered(run):
    before = run("calendar", "show", "2027-02").stdout
    assert "2027 年节假日尚未录入" in before
    assert marks(before) == {}
    run("calendar", "set", "2027-02-06..2027-02-12", "休", "--note", "春节")
    run("calendar", "set", "2027-02-14", "班", "--note", "春节调休")
    run("calendar", "confirm", "2027")
    after = run("calendar", "show", "2027-02").stdout
    assert "尚未录入" not in after
    assert marks(after) == {
        6: "休",
        7: "休",
        8: "休",
        9: "休",
        10: "休",
        11: "休",
        12: "休",
        14: "班",
    }
    assert "2027-02-14：春节调休" in after
