"""`calendar import` reads the State Council's holiday notice as published.

tests/notices/20XX.txt are the notices for 2016–2026 as the government published them
(title, document number, salutation, items, closing paragraph, signature). Each is read
and every day of its year compared with the installed chinese-calendar's own data: the
package follows the notices, so they must agree to the day, except where a later notice
changed the year (2019: 劳动节 extended in March 2019; 2020: 春节 extended for the
epidemic), and there exactly on the days that notice changed.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from chinese_calendar import constants
from conftest import REGISTER, dump

from xinfang.core.clock import notice_text, workdays
from xinfang.core.clock.workdays import HOLIDAY
from xinfang.core.errors import InvalidInput

NOTICES = Path(__file__).parent / "notices"
YEARS = range(2016, 2027)
D = date.fromisoformat
# Days a later notice of the same year changed (the package has the later one).
CHANGED_LATER = {
    # 国务院办公厅关于调整2019年劳动节假期安排的通知: 5月1日至4日放假调休，4月28日、5月5日上班.
    2019: {D("2019-04-28"), D("2019-05-02"), D("2019-05-03"), D("2019-05-05")},
    # 国务院办公厅关于延长2020年春节假期的通知: 延长至2月2日（星期日）.
    2020: {D("2020-01-31"), D("2020-02-01")},
}
# Not the real 2027 notice (not out when this was written): one in the published form.
NOTICE_2027 = """\
国务院办公厅关于2027年部分节假日安排的通知
国办发明电〔2026〕9号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2027年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至13日（农历正月初八、周六）放假调休，共9天。2月14日（周日）、2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假1天，不调休。
六、中秋节：9月15日（周三）放假1天，不调休。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。

国务院办公厅
2026年11月20日
"""


def text(name: str) -> str:
    return (NOTICES / name).read_text(encoding="utf-8")


def working_days(notices: list[notice_text.Notice]) -> dict[date, bool]:
    """The days the notices name: True = 上班, False = 放假."""
    days: dict[date, bool] = {}
    for notice in notices:
        for first, last, kind, _ in notice.entries():
            for i in range((last - first).days + 1):
                days[first + timedelta(days=i)] = kind != HOLIDAY
    return days


@pytest.fixture(scope="module")
def published() -> dict[int, notice_text.Notice]:
    return {year: notice_text.read(text(f"{year}.txt")) for year in YEARS}


@pytest.mark.parametrize("year", YEARS)
def test_every_day_of_the_year_agrees_with_chinese_calendar(published, year):
    notice = published[year]
    assert notice.year == year
    # The next year's notice names the last days of December (元旦 2019: 2018-12-29..31).
    named = working_days(list(published.values()))
    day, differing = date(year, 1, 1), set()
    while day.year == year:
        ours = named.get(day, day.weekday() < 5)
        if ours != chinese_calendar.is_workday(day):
            differing.add(day)
        day += timedelta(days=1)
    assert differing == CHANGED_LATER.get(year, set())


@pytest.mark.parametrize("year", YEARS)
def test_each_block_is_the_festival_the_package_names(published, year):
    """An item's days off are its festival's (a misread item number would not be)."""
    for item in published[year].items:
        for first, last in item.blocks:
            for i in range((last - first).days + 1):
                day = first + timedelta(days=i)
                if day in constants.holidays and day.weekday() < 5:
                    label = constants.Holiday(constants.holidays[day]).chinese
                    assert any(f.startswith(label) for f in item.festivals.split("、")), day


def test_the_wordings_of_the_years_are_all_read(published):
    by_year = {year: {i.festivals: i for i in n.items} for year, n in published.items()}
    # 1月1日放假，1月2日（星期一）补休。
    assert by_year[2017]["元旦"].blocks == [(D("2017-01-01"),) * 2, (D("2017-01-02"),) * 2]
    # Joined festivals, the older order and the newer one.
    assert by_year[2017]["中秋节、国庆节"].blocks == [(D("2017-10-01"), D("2017-10-08"))]
    assert by_year[2017]["中秋节、国庆节"].workdays == [D("2017-09-30")]
    assert by_year[2025]["国庆节、中秋节"].blocks == [(D("2025-10-01"), D("2025-10-08"))]
    # A block across a month, one across the year (2023's 元旦 begins in 2022).
    assert by_year[2022]["春节"].blocks == [(D("2022-01-31"), D("2022-02-06"))]
    assert by_year[2023]["元旦"].blocks == [(D("2022-12-31"), D("2023-01-02"))]
    assert by_year[2019]["元旦"].workdays == [D("2018-12-29")]
    # 5月1日放假，与周末连休。 / 5月1日放假。 / 1月1日（周三）放假1天，不调休。
    assert by_year[2016]["元旦"].blocks == [(D("2016-01-01"),) * 2]
    assert by_year[2019]["劳动节"].blocks == [(D("2019-05-01"),) * 2]
    assert by_year[2025]["元旦"].blocks == [(D("2025-01-01"),) * 2]
    # 农历 in the brackets beside the weekday; 鼓励…除夕（2月9日）休息 is advice, not a day.
    assert by_year[2026]["春节"].workdays == [D("2026-02-14"), D("2026-02-28")]
    assert by_year[2024]["春节"].blocks == [(D("2024-02-10"), D("2024-02-17"))]
    assert by_year[2024]["春节"].workdays == [D("2024-02-04"), D("2024-02-18")]


@pytest.mark.parametrize(
    ("copy", "year"),
    [
        ("2026_traditional_repost.txt", 2026),  # 國務院辦公廳…放假調休…（週日）
        ("2025_page_with_clutter.txt", 2025),  # 来源、字体、责任编辑、分享到、相关稿件
        ("2024_halfwidth_linebreaks.txt", 2024),  # (星期日), 共７天, lines broken mid-date
    ],
)
def test_a_repost_reads_as_the_notice_itself(published, copy, year):
    notice = notice_text.read(text(copy))
    assert notice.year == year
    assert notice.entries() == published[year].entries()


def test_the_title_year_wins_over_other_years_on_the_page():
    # The clutter page lists 2024's notice among related items below the signature.
    assert "关于2024年部分节假日安排的通知" in text("2025_page_with_clutter.txt")
    assert notice_text.read(text("2025_page_with_clutter.txt")).year == 2025


def refused(run, db_path, notice: str, *words: str) -> str:
    before = dump(db_path)
    out = run("calendar", "import", "-", input=notice, expect=2)
    assert out.stdout == ""
    assert "整份通知未录入" in out.stderr or "通知" in out.stderr
    for word in words:
        assert word in out.stderr, out.stderr
    assert "Traceback" not in out.output
    assert dump(db_path) == before
    return out.stderr


def test_a_weekday_that_is_not_the_dates_refuses_the_notice(run, db_path):
    refused(
        run, db_path, text("2026_wrong_weekday.txt"),
        "第一项（元旦）", "1月4日写的是周一，但2026年1月4日是周日",
    )  # fmt: skip


def test_a_day_count_that_is_not_the_blocks_refuses_the_notice(run, db_path):
    refused(
        run, db_path, text("2026_wrong_count.txt"),
        "第二项（春节）", "2月15日至2月23日是9天，通知写的是“共8天”",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("change", "words"),
    [
        # A Traditional repost's weekday is checked as well.
        (
            ("2026_traditional_repost.txt", "5月9日（週六）", "5月9日（週日）"),
            ("第四项（劳动节）",),
        ),
        # A sentence with a date in no known wording is a doubt, not skipped.
        (("2026.txt", "5月9日（周六）上班。", "5月9日（周六）上班。5月10日起照常。"), ()),
        (("2026.txt", "共7天。9月20日", "共7天。其中10月8日放假。9月20日"), ("第七项（国庆节）",)),
        # The page held two copies of the notice.
        (("2026.txt", "节假日期间", "一、元旦：1月1日至3日放假。节假日期间"), ("应为第八项",)),
        # Title and body disagree on the year.
        (("2026.txt", "现将2026年", "现将2027年"), ("标题是2026年",)),
        # 上班 on a weekday, 上班 inside the block off.
        (("2026.txt", "5月9日（周六）上班", "5月8日（周五）上班"), ("本是工作日",)),
        (("2026.txt", "5月9日（周六）上班", "5月2日（周六）上班"), ("既是放假日又是上班日",)),
        # A day that does not exist.
        (
            ("2026.txt", "2月28日（周六）上班", "2月30日（周六）上班"),
            ("第二项（春节）", "没有“2月30日"),
        ),
    ],
)
def test_other_doubts_refuse_the_whole_notice(run, db_path, change, words):
    name, old, new = change
    original = text(name)
    assert old in original
    refused(run, db_path, original.replace(old, new, 1), *words)


def test_a_paste_cut_off_after_some_items_is_refused_naming_what_is_missing(run, db_path):
    whole = text("2026.txt")
    refused(
        run, db_path, whole[: whole.index("四、劳动节")],
        "没有读到劳动节、端午节、中秋节、国庆节的安排",
    )  # fmt: skip


def test_a_notice_that_only_changes_a_year_is_refused_with_the_way_to_enter_it(run, db_path):
    extension = (
        "国务院办公厅关于延长2020年春节假期的通知\n国办发明电〔2020〕1号\n"
        "经国务院批准，现就延长2020年春节假期及有关事项通知如下：\n"
        "一、延长2020年春节假期至2月2日（农历正月初九，星期日），2月3日（星期一）起正常上班。"
    )
    refused(run, db_path, extension, "calendar set")


def test_dry_run_prints_the_year_as_read_and_writes_nothing(run, db_path):
    before = dump(db_path)
    out = run("calendar", "import", "-", "--dry-run", input=NOTICE_2027)
    lines = out.stdout.splitlines()
    assert lines[0] == "读到《国务院办公厅关于2027年部分节假日安排的通知》："
    assert lines[1:6] == [
        "一、元旦",
        "  休  2027-01-01（周五）至2027-01-03（周日），共 3 天",
        "二、春节",
        "  休  2027-02-05（周五）至2027-02-13（周六），共 9 天",
        "  班  2027-02-14（周日）、2027-02-20（周六）",
    ]
    assert "  休  2027-06-09（周三）" in lines
    assert lines[-1] == "（--dry-run：未录入；核对无误后去掉 --dry-run 再执行）"
    assert dump(db_path) == before


def test_pasting_the_notice_confirms_the_year_and_the_warnings_stop(run, db_path, sql, monkeypatch):
    monkeypatch.setenv("XINFANG_NOW", "2026-12-01 09:00")
    assert "2027 年的节假日安排尚未录入" in run("doctor").stdout
    assert "2027 年的节假日安排尚未录入" in run("overdue").stderr
    out = run("calendar", "import", "-", input=NOTICE_2027)
    assert out.stdout.splitlines() == [
        "已录入《国务院办公厅关于2027年部分节假日安排的通知》：放假 7 段共 29 天，"
        "调休上班 6 天；2027 年节假日已确认，期限不再按周末估算。",
        "重算了 0 件案件的期限。",
    ]
    assert sql("SELECT value FROM settings WHERE key = 'calendar_confirmed'") == [
        (json.dumps([2027]),)
    ]
    assert sql("SELECT kind, note FROM calendar_entries WHERE day = '2027-02-14'") == [
        ("班", "春节调休上班")
    ]
    assert sql("SELECT workday, known FROM calendar WHERE day = '2027-10-08'") == [(1, 1)]
    assert sql("SELECT workday FROM calendar WHERE day = '2027-10-09'") == [(1,)]  # Saturday
    assert "2027 年的节假日安排尚未录入" not in run("doctor").stdout
    assert "尚未录入" not in run("overdue").stderr


def test_the_file_form_and_the_old_line_form_both_import(run, db_path, sql, tmp_path):
    path = tmp_path / "通知.txt"
    path.write_text(text("2026_traditional_repost.txt"), encoding="utf-8")
    run("calendar", "import", str(path))
    assert sql("SELECT count(*) FROM calendar_entries") == [(39,)]
    lines = tmp_path / "lines.txt"
    lines.write_text("# 国务院办公厅关于2027年部分节假日安排的通知\n2027-01-01 休 元旦\n")
    assert run("calendar", "import", str(lines)).stdout.startswith("已录入 1 天")


def test_deadlines_that_moved_and_notices_that_promised_another_date_are_named(
    run, db_path, monkeypatch
):
    """Accepted and told on Thu 2026-12-31: 10 working days counted weekends-only end on
    Thu 2027-01-14 (the 受理告知书 says so); with 元旦 1–3 off they end on Fri 01-15."""
    monkeypatch.setenv("XINFANG_NOW", "2026-12-31 10:00")
    told = run(*REGISTER[:-1], "2026-12-31 09:00").stdout.split("：")[1].split("（")[0]
    run("accept", told, "--on", "2026-12-31", "--notified-on", "2026-12-31")
    # Registered the same day, accepted, not told yet: 3 working days to tell.
    untold = run(*REGISTER[:-1], "2026-12-31 09:30").stdout.split("：")[1].split("（")[0]
    run("accept", untold, "--on", "2026-12-31")
    shown = json.loads(run("show", told, "--json").stdout)
    assert any(d.get("due_on") == "2027-01-14" for d in shown["deadlines"]), shown["deadlines"]
    out = run("calendar", "import", "-", input=NOTICE_2027).stdout.splitlines()
    assert out[1] == "重算了 2 件案件的期限。"
    assert out[2:] == [
        "期限有变化的未完成事项 3 项：",
        f"  {untold}  受理告知  2027-01-05 → 2027-01-06（推后 1 天）",  # not told yet
        f"  {told}  答复  2027-01-14 → 2027-01-15（推后 1 天）",
        f"  {untold}  答复  2027-01-14 → 2027-01-15（推后 1 天）",
        "已发出的受理告知书中答复期限与现在不同的 1 件，可能需要告知信访人：",
        f"  {told}  2026-12-31 告知，告知书写的是 2027年1月14日，现应为 2027年1月15日",
    ]
    assert "[问题]" not in run("doctor").stdout


def test_doctor_names_each_day_the_office_and_the_package_disagree(run, db_path):
    run("calendar", "import", "-", input=text("2026.txt"))
    assert "不一致" not in run("doctor").stdout
    # The 2019 notice as first published, before 劳动节 was extended in March 2019.
    run("calendar", "import", "-", input=text("2019.txt"))
    out = run("doctor").stdout
    line = next(line for line in out.splitlines() if "不一致" in line)
    assert line.startswith(
        "[提示] 工作日历：本单位录入的节假日与已安装的 chinese-calendar 不一致（共 4 天）"
    )
    assert "2019-04-28（周日）本单位录入的通知为休息，chinese-calendar 为上班" in line
    assert "2019-05-02（周四）本单位录入的通知为上班，chinese-calendar 为休息" in line
    assert "2019-05-03（周五）" in line and "2019-05-05（周日）" in line
    # Entering the day as the later notice has it settles it.
    run("calendar", "set", "2019-04-28", "班")
    assert "（共 3 天）" in run("doctor").stdout


def test_a_bad_notice_in_a_file_is_refused_like_a_pasted_one(run, db_path, tmp_path):
    path = tmp_path / "通知.txt"
    path.write_text(text("2026_wrong_count.txt"), encoding="utf-8")
    before = dump(db_path)
    out = run("calendar", "import", str(path), expect=2)
    assert "第二项（春节）" in out.stderr
    assert dump(db_path) == before


def test_the_parser_refuses_with_invalid_input_naming_the_field():
    with pytest.raises(InvalidInput) as caught:
        notice_text.read(text("2026_wrong_weekday.txt"))
    assert caught.value.field == "通知"


def test_a_chinese_calendar_that_learns_the_year_moves_the_deadlines_and_says_so(
    run, db_path, monkeypatch
):
    """The package's next release covers 2027 (元旦 1–3 off): the morning check rebuilds
    the calendar and names what moved, as an import does."""
    monkeypatch.setenv("XINFANG_NOW", "2026-12-31 10:00")
    told = run(*REGISTER[:-1], "2026-12-31 09:00").stdout.split("：")[1].split("（")[0]
    run("accept", told, "--on", "2026-12-31", "--notified-on", "2026-12-31")
    installed = workdays._package_calendar

    def newer() -> tuple[str, dict[date, bool], set[int]]:
        _, days, years = installed()
        return "9.9.9", {**days, D("2027-01-01"): False}, years | {2027}

    monkeypatch.setattr(workdays, "_package_calendar", newer)
    monkeypatch.setattr(workdays, "_package_version", lambda: "9.9.9")
    warnings = run("overdue").stderr.splitlines()
    assert warnings[:4] == [
        "提示：工作日历已按新版 chinese-calendar 重建，随之改变的：",
        "提示：期限有变化的未完成事项 1 项：",
        f"提示：  {told}  答复  2027-01-14 → 2027-01-15（推后 1 天）",
        "提示：已发出的受理告知书中答复期限与现在不同的 1 件，可能需要告知信访人：",
    ]
    assert "2027 年的节假日安排尚未录入" not in run("overdue").stderr
    assert "重建" not in run("overdue").stderr  # said once


def test_calendar_set_names_what_it_moved_too(run, db_path, monkeypatch):
    monkeypatch.setenv("XINFANG_NOW", "2026-12-31 10:00")
    told = run(*REGISTER[:-1], "2026-12-31 09:00").stdout.split("：")[1].split("（")[0]
    run("accept", told, "--on", "2026-12-31", "--notified-on", "2026-12-31")
    out = run("calendar", "set", "2027-01-01", "休", "--note", "元旦").stdout.splitlines()
    assert f"  {told}  答复  2027-01-14 → 2027-01-15（推后 1 天）" in out
    assert f"  {told}  2026-12-31 告知，告知书写的是 2027年1月14日，现应为 2027年1月15日" in out
    # Nothing moves twice: the same day entered again names nothing.
    again = run("calendar", "set", "2027-01-01", "休", "--note", "元旦").stdout
    assert "期限有变化" not in again and "受理告知书" not in again


def test_a_repost_numbered_in_digits_with_short_festival_names_reads_the_same(published):
    repost = text("2026.txt")
    for n, numeral in enumerate("一二三四五六七", 1):
        repost = re.sub(f"^{numeral}、", f"{n}.", repost, flags=re.MULTILINE)
    repost = repost.replace("清明节：", "清明：").replace("国庆节：", "国庆:")
    notice = notice_text.read(repost)
    assert [item.name for item in notice.items][2::4] == ["三、清明节", "七、国庆节"]
    assert notice.entries() == published[2026].entries()
