"""Repeat petitions (重复信访): linked automatically only when it is the same petitioner;
content alone is a candidate the clerk confirms at a terminal, or links explicitly
(`register --link`, `link`); a wrong link is removed (`unlink`). The link is history: the
events say it, the row follows, `doctor` checks it, the statistics count it."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import show

from xinfang.cli import register_command
from xinfang.core import demo, stats
from xinfang.core.periods import Period
from xinfang.core.repeats import similarity
from xinfang.store.db import connect

BASE = ("--source", "本级", "--form", "来访", "--category", "最低生活保障")
FIRST = "反映本村低保评定不公开，家庭收入较高的农户被纳入低保，本人因病致贫却未纳入。"
SIMILAR = "本村低保评定不公开，收入较高的人被纳入低保，要求重新评定。"  # 55% alike
OTHER = "婚姻登记信息有误，出生日期登记错误，请求更正。"
ZHANG = ("--name", "张三", "--phone", "13812345678", "--id-number", "620702198001011231",
         "--address", "沙河镇西寨村3社", "--town", "沙河镇")  # fmt: skip
LI = ("--name", "李四", "--phone", "13900001111", "--address", "新华镇大寨村1社",
      "--town", "新华镇")  # fmt: skip


def register(run, on: str, content: str, *options: str, **kwargs) -> str:
    return run("register", *BASE, "--content", content, "--on", on, *options, **kwargs).stdout


def linked(run, case_no: str) -> str | None:
    return show(run, case_no)["repeat_of"]


def repeat_figure(db_path) -> int:
    conn = connect(db_path)
    try:
        year = Period(date(2026, 1, 1), date(2026, 12, 31), "year")
        return stats.figures(conn, year, date(2026, 11, 23)).repeat
    finally:
        conn.close()


def doctor_is_clean(run) -> None:
    out = run("doctor", expect=None)
    assert out.exit_code == 0, out.stdout


@pytest.fixture
def terminal(monkeypatch):
    """The clerk at a terminal (CliRunner's stdin is not one)."""
    monkeypatch.setattr(register_command, "at_terminal", lambda: True)


# --- who is linked automatically ---------------------------------------------------------


def test_a_different_person_in_another_town_is_not_linked_on_content_alone(run, db_path):
    assert 0.5 < similarity(FIRST, SIMILAR) < 0.6
    register(run, "2026-11-02", FIRST, *ZHANG)
    out = register(run, "2026-11-05", SIMILAR, *LI)
    assert linked(run, "2026-0002") is None
    assert "不再重复受理" not in out and "已作为重复信访关联" not in out
    # Reported, with the way to link it if the clerk finds it is the same matter.
    assert "2026-0001（已登记（待受理））：内容相似（55%）" in out
    assert "未关联" in out and "xinfang link 2026-0002 --to 2026-0001" in out
    assert "（重复）" not in run("list").stdout
    assert repeat_figure(db_path) == 0


@pytest.mark.parametrize(
    "same",
    [
        ("--name", "张三", "--id-number", "620702198001011231"),  # same ID number
        ("--name", "张小三", "--phone", "13812345678"),  # same phone
        ("--name", "张三", "--address", "沙河镇西寨村3社"),  # same name and address
    ],
    ids=["id-number", "phone", "name-and-address"],
)
def test_the_same_person_is_linked(run, db_path, same):
    register(run, "2026-11-02", FIRST, *ZHANG)
    out = register(run, "2026-11-05", OTHER, *same)
    assert "已作为重复信访关联到 2026-0001" in out and "不再重复受理" in out
    assert linked(run, "2026-0002") == "2026-0001"
    assert repeat_figure(db_path) == 1
    doctor_is_clean(run)


def test_a_name_alone_is_not_the_same_person(run):
    register(run, "2026-11-02", FIRST, *ZHANG)
    register(run, "2026-11-05", OTHER, "--name", "张三", "--address", "新华镇大寨村2社")
    assert linked(run, "2026-0002") is None


# --- at a terminal the clerk is asked ------------------------------------------------------


def test_at_a_terminal_the_clerk_confirms_the_same_matter(run, db_path, terminal):
    register(run, "2026-11-02", FIRST, *ZHANG)
    out = register(run, "2026-11-05", SIMILAR, *LI, input="y\n")
    assert "内容相似（55%）" in out and "是否为同一事项？ [y/N]" in out
    assert linked(run, "2026-0002") == "2026-0001"
    assert "经办人确认" in run("show", "2026-0002", "--json").stdout
    assert repeat_figure(db_path) == 1
    doctor_is_clean(run)


def test_at_a_terminal_no_or_enter_leaves_it_a_new_matter(run, terminal):
    register(run, "2026-11-02", FIRST, *ZHANG)
    out = register(run, "2026-11-05", SIMILAR, *LI, input="\n")  # [y/N]: no by default
    assert "是否为同一事项？ [y/N]" in out and "未关联" in out
    out = register(run, "2026-11-06", SIMILAR, *LI[:2], "--phone", "13900002222",
                   input="n\nn\n")  # fmt: skip
    assert out.count("是否为同一事项") == 2  # two matters alike: asked about each
    assert linked(run, "2026-0002") is None and linked(run, "2026-0003") is None


def test_the_same_person_is_not_asked_about(run, terminal):
    register(run, "2026-11-02", FIRST, *ZHANG)
    out = register(run, "2026-11-05", SIMILAR, *ZHANG)  # no input: a question would abort
    assert "是否为同一事项" not in out
    assert linked(run, "2026-0002") == "2026-0001"


def test_the_interview_asks_too(run):
    register(run, "2026-11-02", FIRST, *ZHANG)
    # 匿名？, 姓名, 人数, 电话, 身份证, 地址, 信访时间, 来源, 形式, 反映问题, 问题类型,
    # 事项类别, 属地, 接访人, 接访人意见, 反映人身份; then the question.
    answers = ["n", "李四", "", "13900001111", "", "新华镇大寨村1社", "2026-11-05 09:30",
               "1", "2", SIMILAR, "1", "", "2", "王芳", "", "", "y"]  # fmt: skip
    out = run("register", "-i", input="\n".join(answers) + "\n")
    assert "是否为同一事项？ [y/N]" in out.stdout
    assert linked(run, "2026-0002") == "2026-0001"


# --- explicit links ------------------------------------------------------------------------


def test_register_link_links_explicitly(run, db_path):
    register(run, "2026-11-02", FIRST, *ZHANG)
    out = register(run, "2026-11-05", OTHER, *LI, "--link", "2026-0001")
    assert "已作为重复信访关联到 2026-0001" in out
    assert linked(run, "2026-0002") == "2026-0001"
    assert repeat_figure(db_path) == 1
    doctor_is_clean(run)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--link", "2026-0009"), "没有编号为 2026-0009 的案件"),
        (("--link", "2026-0001", "--new-matter"), "--new-matter"),
        (("--link", "2026-0002", "--on", "2026-11-01"), "晚于本件"),
    ],
    ids=["unknown", "new-matter-too", "a-later-case"],
)
def test_register_link_refusals_write_nothing(run, sql, options, message):
    register(run, "2026-11-02", FIRST, *ZHANG)
    register(run, "2026-11-03", OTHER, *LI)
    out = run("register", *BASE, "--content", OTHER, *LI, *options, expect=2)
    assert message in out.output and "Traceback" not in out.output
    assert sql("SELECT count(*) FROM cases") == [(2,)]


# --- the statistics count the links -----------------------------------------------------------


def test_a_new_matter_of_the_same_person_is_not_counted(run, db_path):
    register(run, "2026-11-02", FIRST, *ZHANG)
    register(run, "2026-11-05", OTHER, *ZHANG, "--new-matter")
    assert repeat_figure(db_path) == 0


def test_the_demo_counts_the_repeats_it_links(tmp_path):
    path = tmp_path / "demo.db"
    conn = connect(path)
    demo.build(conn)
    linked_cases = conn.execute("SELECT count(*) FROM cases WHERE repeat_of IS NOT NULL")
    count = linked_cases.fetchone()[0]
    weeks = Period(date(2025, 1, 1), date(2026, 11, 23), "range")
    assert stats.figures(conn, weeks, date(2026, 11, 23)).repeat == count
    # The demo has petitioners who come back, and different people with one complaint.
    assert 0 < count < 10
    conn.close()
