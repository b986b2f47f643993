"""The words a clerk types: natural dates and periods, Chinese names for statuses, sort
keys, documents and units, bare case numbers, one option name per meaning (issue 19).
The clock is fixed at 2026-11-23 10:00, a Monday."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import REGISTER, advance, show
from xinfang.core.clock import dates, periods
from xinfang.core.errors import InvalidInput


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("12月14日", date(2025, 12, 14)),  # this year's would be ahead: last year's
        ("12-14", date(2025, 12, 14)),
        ("11-02", date(2026, 11, 2)),
        ("11月23日", date(2026, 11, 23)),
        ("上周五", date(2026, 11, 20)),
        ("上周一", date(2026, 11, 16)),
        ("本周一", date(2026, 11, 23)),
        ("前天", date(2026, 11, 21)),
    ],
)
def test_natural_dates_in_the_past(typed: str, day: date) -> None:
    assert dates.parse_date(typed) == day


def test_a_date_ahead_without_year_is_this_year_or_next() -> None:
    assert dates.parse_date("12-14", ahead=True) == date(2026, 12, 14)
    assert dates.parse_date("1月5日", ahead=True) == date(2027, 1, 5)
    assert dates.parse_date("11-23", ahead=True) == date(2026, 11, 23)


def test_a_part_of_day_alone_keeps_the_date_and_invents_no_time() -> None:
    assert dates.parse_when("昨天下午") == (dates.datetime(2026, 11, 22), False)
    assert dates.moment("昨天下午").text == "2026-11-22"
    assert dates.parse_when("昨天下午3点") == (dates.datetime(2026, 11, 22, 15), True)


def test_this_week_s_later_day_is_not_yet() -> None:
    with pytest.raises(InvalidInput, match="晚于今天"):
        dates.moment("本周五")


def test_month_day_typed_on_the_command_line(run, sql) -> None:
    args = list(REGISTER)
    args[args.index("--on") + 1] = "11月2日 9:30"
    run(*args)
    assert sql("SELECT received_at FROM cases") == [("2026-11-02 09:30:00",)]


def test_date_options_document_the_natural_forms(run) -> None:
    assert "上周五" in run("register", "--help").stdout


@pytest.mark.parametrize(
    ("kwargs", "first", "last"),
    [
        ({"month": "上月"}, date(2026, 10, 1), date(2026, 10, 31)),
        ({"month": "本月"}, date(2026, 11, 1), date(2026, 11, 30)),
        ({"quarter": "上季度"}, date(2026, 7, 1), date(2026, 9, 30)),
        ({"quarter": "本季度"}, date(2026, 10, 1), date(2026, 12, 31)),
        ({"year": "去年"}, date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_relative_periods(kwargs: dict[str, str], first: date, last: date) -> None:
    period = periods.choose(**kwargs)
    assert (period.first, period.last) == (first, last)


def test_monthly_table_default_period() -> None:
    assert periods.monthly_default(date(2026, 12, 9)).label == "2026年11月"
    assert periods.monthly_default(date(2026, 12, 10)).label == "2026年12月"
    assert periods.monthly_default(date(2027, 1, 3)).label == "2026年12月"


def test_report_accept_without_a_period(run, registered, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XINFANG_NOW", "2026-12-05 10:00")
    out = run("report", "accept", "-o", str(tmp_path / "t.xlsx"))
    assert "2026年11月，1 件" in out.stdout


def test_list_month_last_month(run, registered, monkeypatch) -> None:
    monkeypatch.setenv("XINFANG_NOW", "2026-12-05 10:00")
    assert "2026-0001" in run("list", "--month", "上月").stdout


@pytest.mark.parametrize(
    ("due", "expected"),
    [("10个工作日", "2026-11-18"), ("15日", "2026-11-19"), ("30天", "2026-12-04"),
     ("12-14", "2026-12-14")],
)  # fmt: skip
def test_assign_due_as_a_count(run, registered, due: str, expected: str) -> None:
    run("accept", registered, "--on", "2026-11-03", "--notified-on", "2026-11-03")
    out = run("assign", registered, "--to", "沙河镇", "--due", due, "--on", "2026-11-04")
    assert show(run, registered)["assign_due"] == expected, out.stdout


def _three(run) -> None:
    for category in ("最低生活保障", "临时救助", "殡葬管理"):
        args = list(REGISTER)
        args[args.index("--category") + 1] = category
        run(*args)


def test_status_by_label_and_prefix(run) -> None:
    _three(run)
    advance(run, "2026-0001", "accept")
    assert len(run("list", "--status", "办理中", "--json").stdout.split('"case_no"')) == 4
    assert run("list", "--status", "已受", "--json").stdout.count('"case_no"') == 1
    assert run("list", "--status", "已受理（办理中）", "--json").stdout.count('"case_no"') == 1
    refused = run("list", "--status", "承办单位", expect=2)
    assert "承办单位办理中" in refused.output and "承办单位已报送" in refused.output


def test_sort_by_chinese_name(run) -> None:
    _three(run)
    assert run("list", "--sort", "期限").exit_code == 0
    assert run("list", "--sort", "最新", "--json").stdout.index("2026-0003") < run(
        "list", "--sort", "最新", "--json"
    ).stdout.index("2026-0001")
    assert "期限" in run("list", "--sort", "大小", expect=2).output


def test_repeated_category_means_either(run) -> None:
    _three(run)
    out = run("list", "--category", "最低生活保障", "--category", "临时救助", "--json").stdout
    assert out.count('"case_no"') == 2 and "殡葬管理" not in out


def test_partial_unit_names(run, registered) -> None:
    run("accept", registered, "--on", "2026-11-03", "--notified-on", "2026-11-03")
    refused = run("assign", registered, "--to", "社会", "--due", "2026-11-30", expect=2)
    assert "社会救助股" in refused.output and "社会事务股" in refused.output
    run("assign", registered, "--to", "救助", "--due", "2026-11-30", "--on", "2026-11-04")
    assert show(run, registered)["unit"] == "社会救助股"
    assert run("list", "--unit", "救助", "--json").stdout.count('"case_no"') == 1


def test_bare_case_number_is_this_year_s(run, registered) -> None:
    assert show(run, "1")["case_no"] == "2026-0001"
    run("accept", "1", "--on", "2026-11-03", "--notified-on", "2026-11-03")
    assert show(run)["status"] == "accepted"


def test_print_by_part_of_a_document_name(run, registered, tmp_path) -> None:
    advance(run, registered, "reply")
    out = run("print", registered, "答复书", "-o", str(tmp_path / "a.docx"))
    assert (tmp_path / "a.docx").exists(), out.output
    refused = run("print", registered, "告知书", expect=2)
    assert "受理告知书" in refused.output and "转送告知书" in refused.output


def test_confirm_unusual_phone(run, sql) -> None:
    args = list(REGISTER)
    args[args.index("--phone") + 1] = "12345"
    refused = run(*args, expect=2)
    assert "--confirm-unusual" in refused.output and "--force" not in refused.output
    run(*args, "--confirm-unusual")
    run(*args, "--force")  # old scripts still work
    assert len(sql("SELECT id FROM cases")) == 2
    assert "--force" not in run("register", "--help").stdout
    assert "--confirm-unusual" in run("correct", "--help").stdout


def test_one_name_for_the_notice_method(run, registered) -> None:
    run("accept", registered, "--on", "2026-11-03")
    run("notify", registered, "--notice-method", "书面告知书", "--on", "2026-11-03")
    assert show(run)["notice_method"] == "书面告知书"
    assert "--notice-method" in run("notify", "--help").stdout


def test_other_due_dates_without_a_year_lie_ahead(run, registered, sql) -> None:
    advance(run, registered, "assign")
    run("supervise", registered, "--due", "12-14", "--reason", "县长批示", "--on", "2026-11-20")
    assert "2026-12-14" in str(sql("SELECT data FROM events WHERE action = 'supervise'"))
