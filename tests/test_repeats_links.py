"""Repeat petitions (重复信访): linked automatically only when it is the same petitioner;
content alone is a candidate the clerk confirms at a terminal, or links explicitly
(`register --link`, `link`); a wrong link is removed (`unlink`). The link is history: the
events say it, the row follows, `doctor` checks it, the statistics count it."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import show
from merging import at, bundle, new_town

from xinfang.cli import register_command
from xinfang.core import demo
from xinfang.core.clock.periods import Period
from xinfang.core.intake.repeats import similarity
from xinfang.core.reporting import stats
from xinfang.outputs.archive import CaseFolder
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
    # 匿名？, 姓名, 性别, 年龄, 人数, 电话, 身份证, 地址, 信访时间, 来源, 形式, 反映问题, 问题类型,
    # 事项类别, 属地, 接访人, 接访人意见, 反映人身份; Enter on the summary; then the question.
    answers = ["n", "李四", "", "", "", "13900001111", "", "新华镇大寨村1社", "2026-11-05 09:30",
               "1", "2", SIMILAR, "1", "", "2", "王芳", "", "", "", "y"]  # fmt: skip
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


def test_link_after_registration(run, db_path):
    register(run, "2026-11-02", FIRST, *ZHANG)
    register(run, "2026-11-05", SIMILAR, *LI)  # reported, not linked
    out = run("link", "2026-0002", "--to", "2026-0001", "--reason", "核实为同一事项")
    assert "2026-0002" in out.stdout and "2026-0001" in out.stdout
    assert linked(run, "2026-0002") == "2026-0001"
    assert show(run, "2026-0001")["petitions_in_matter"] == 2
    assert repeat_figure(db_path) == 1
    doctor_is_clean(run)
    refused = run("link", "2026-0002", "--to", "2026-0001", expect=2).output
    assert "已关联" in refused and "unlink" in refused
    assert "不能关联到本案自己" in run("link", "2026-0001", "--to", "2026-0001", expect=2).output
    # Linking the first to its own repeat would make a circle.
    assert "已是本案的重复信访" in run("link", "2026-0001", "--to", "2026-0002", expect=2).output


# --- unlink --------------------------------------------------------------------------------


def test_unlink_removes_a_wrong_link(run, db_path, sql):
    register(run, "2026-11-02", FIRST, *ZHANG)
    register(run, "2026-11-05", OTHER, "--name", "张小三", "--phone", "13812345678")
    assert linked(run, "2026-0002") == "2026-0001" and repeat_figure(db_path) == 1
    out = run("unlink", "2026-0002", "--reason", "同一电话，但不是同一人")
    assert "已解除" in out.stdout and "2026-0001" in out.stdout
    case = show(run, "2026-0002")
    assert case["repeat_of"] is None
    assert show(run, "2026-0001")["petitions_in_matter"] == 1
    text = run("show", "2026-0002").stdout
    assert "重复信访（同" not in text and "解除重复关联" in text and "不是同一人" in text
    assert "（重复）" not in run("list").stdout
    assert repeat_figure(db_path) == 0
    assert sql("SELECT action FROM events WHERE case_id = 2 ORDER BY id") == [
        ("register",),
        ("unlink",),
    ]
    doctor_is_clean(run)


def test_unlink_refusals(run, sql):
    register(run, "2026-11-02", FIRST, *ZHANG)
    out = run("unlink", "2026-0001", "--reason", "误关联", expect=2).output
    assert "未关联为重复信访" in out and "下一步可以" in out
    assert "--reason" in run("unlink", "2026-0001", expect=2).output
    assert sql("SELECT count(*) FROM events") == [(1,)]


def test_unlinking_the_middle_of_a_matter_keeps_the_later_ones_with_it(run, sql):
    """3 was linked because of 2 (the same phone); 2 was linked to 1 by the clerk. When
    2 is not 1's matter after all, 3 stays with 2."""
    register(run, "2026-11-02", FIRST, *ZHANG)
    register(run, "2026-11-05", SIMILAR, *LI, "--link", "2026-0001")
    register(run, "2026-11-09", OTHER, "--name", "李四", "--phone", "13900001111")
    assert [linked(run, n) for n in ("2026-0002", "2026-0003")] == ["2026-0001", "2026-0001"]
    run("unlink", "2026-0002", "--reason", "内容相近，实为两件事")
    assert [linked(run, n) for n in ("2026-0002", "2026-0003")] == [None, "2026-0002"]
    doctor_is_clean(run)
    # Linked again later: the whole of 2's matter joins 1's.
    run("link", "2026-0002", "--to", "2026-0001")
    assert [linked(run, n) for n in ("2026-0002", "2026-0003")] == ["2026-0001", "2026-0001"]
    doctor_is_clean(run)


def test_doctor_finds_a_link_its_history_does_not_give(run, db_path):
    register(run, "2026-11-02", FIRST, *ZHANG)
    register(run, "2026-11-05", OTHER, *LI)
    conn = connect(db_path)  # autocommit: the UPDATE is written at once, on either store
    conn.execute("UPDATE cases SET repeat_of = 1 WHERE id = 2")
    conn.close()
    out = run("doctor", expect=1).stdout
    assert "重复信访关联" in out and "2026-0002" in out


# --- the county follows the towns' links -------------------------------------------------


def test_a_towns_link_and_unlink_reach_the_county(run, tmp_path, template_ledger, sql):
    town = new_town(run, tmp_path, template_ledger, "shahe", "沙河镇人民政府")
    register(run, "2026-11-02", FIRST, *ZHANG, *at(town))
    register(run, "2026-11-05", OTHER, "--name", "张小三", "--phone", "13812345678", *at(town))
    register(run, "2026-11-06", SIMILAR, *LI, *at(town))
    run("merge", str(bundle(run, town, tmp_path / "a.zip", "2026-11")))
    county = "SELECT origin_no, repeat_of FROM cases ORDER BY id"
    assert sql(county) == [("2026-0001", None), ("2026-0002", 1), ("2026-0003", None)]
    run("unlink", "2026-0002", "--reason", "不是同一人", *at(town))
    run("link", "2026-0003", "--to", "2026-0001", *at(town))
    run("merge", str(bundle(run, town, tmp_path / "b.zip", "2026-11")))
    assert sql(county) == [("2026-0001", None), ("2026-0002", None), ("2026-0003", 1)]
    doctor_is_clean(run)


# --- the statistics count the links -----------------------------------------------------------


def test_a_new_matter_of_the_same_person_is_not_counted(run, db_path):
    register(run, "2026-11-02", FIRST, *ZHANG)
    register(run, "2026-11-05", OTHER, *ZHANG, "--new-matter")
    assert repeat_figure(db_path) == 0


def test_the_demo_counts_the_repeats_it_links(tmp_path):
    path = tmp_path / "demo.db"
    conn = connect(path)
    demo.build(conn, binder=CaseFolder)
    linked_cases = conn.execute("SELECT count(*) FROM cases WHERE repeat_of IS NOT NULL")
    count = linked_cases.fetchone()[0]
    weeks = Period(date(2025, 1, 1), date(2026, 11, 23), "range")
    assert stats.figures(conn, weeks, date(2026, 11, 23)).repeat == count
    # The demo has petitioners who come back, and different people with one complaint.
    assert 0 < count < 10
    conn.close()
