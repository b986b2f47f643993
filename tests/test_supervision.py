"""督办 (seed 000 六 and its 督办通知), 领导批示, 信访事项联系函 (seed 002 附件7), and
`suggest`: the open cases in the supervision scope, each with its reasons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REGISTER, advance, dump, show
from docx import Document

from xinfang.store.db import connect

CASE = "2026-0001"


# A case's life up to where it can be supervised, and on to the end (dates ≤ 2026-11-23).
def register(
    run,
    db_path: Path,
    n: int,
    *options: str,
    on: str = "2026-11-02 09:30",
    source: str = "本级",
    category: str | None = None,
) -> str:
    """Register case number n of 2026 with its own phone and content (no 问题类型 unless
    given, so that no category trends by accident). Registration may link a case to an
    earlier one as a repeat (repeat_of); these tests set repeat_of themselves, so it is
    cleared here."""
    run(
        "register", "--name", f"信访人{n}", "--phone", f"139{n:08d}", "--source", source,
        "--form", "来访", "--content", f"第{n}号事项：{'甲乙丙丁戊己庚辛壬癸'[n % 10] * 3}问题{n * 7919}",
        "--town", "沙河镇", "--receiver", "王芳", "--on", on,
        *(("--category", category) if category else ()), *options,
    )  # fmt: skip
    case_no = f"2026-{n:04d}"
    set_column(db_path, case_no, "repeat_of", None)
    return case_no


def set_column(db_path: Path, case_no: str, column: str, value: object) -> None:
    """repeat_of written straight into the ledger, to set up repeats without relying on
    automatic linking."""
    year, seq = (int(part) for part in case_no.split("-"))
    conn = connect(db_path)
    try:
        if column == "repeat_of" and value is not None:
            linked_year, linked_seq = (int(part) for part in str(value).split("-"))
            value = conn.execute(
                "SELECT id FROM cases WHERE year = ? AND seq = ?", (linked_year, linked_seq)
            ).fetchone()[0]
        conn.execute(
            f"UPDATE cases SET {column} = ? WHERE year = ? AND seq = ?", (value, year, seq)
        )
    finally:
        conn.close()


def text_of(path: Path) -> str:
    document = Document(str(path))
    return "\n".join(p.text for p in document.paragraphs)


def printed(run, tmp_path: Path, case: str, title: str) -> str:
    target = tmp_path / f"{case}_{title}.docx"
    run("print", case, title, "-o", str(target), "--force")
    text = text_of(target)
    assert "{{" not in text and "{%" not in text
    return text


def suggestions(run, *options: str) -> dict:
    return json.loads(run("suggest", "--json", *options).stdout)


def reasons_of(found: dict) -> dict[str, list[str]]:
    return {item["case_no"]: [r["text"] for r in item["reasons"]] for item in found["cases"]}


def event(case: dict, action: str, index: int = -1) -> dict:
    return [e for e in case["events"] if e["action"] == action][index]


def supervise_deadlines(case: dict) -> list[tuple]:
    return [
        (d["round"], d["starts_on"], d["due_on"], d["met_on"], d["state"])
        for d in case["deadlines"]
        if d["stage"] == "supervise_due"
    ]


# ------------------------------------------------------------------- 督办


def test_supervision_numbers_run_per_year_in_the_formal_form(run, db_path, sql):
    first = register(run, db_path, 1)
    second = register(run, db_path, 2)
    advance(run, first, "assign")
    run("accept", second, "--on", "2026-11-03")
    run("assign", second, "--to", "新华镇", "--due", "2026-11-30", "--on", "2026-11-04")

    out = run("supervise", first, "--due", "2026-12-04", "--reason", "县长批示，限期办结",
              "--on", "2026-11-10").stdout  # fmt: skip
    assert out == (
        "已督办：2026-0001 → 沙河镇，督办通知 临民督办字〔2026〕1号，限 2026-12-04 前办结\n"
    )
    out = run("supervise", second, "--due", "2026-12-01", "--reason", "群众反映强烈",
              "--on", "2026-11-11").stdout  # fmt: skip
    assert out == (
        "已督办：2026-0002 → 新华镇，督办通知 临民督办字〔2026〕2号，限 2026-12-01 前办结\n"
    )
    # A second 督办 of the first case takes the next number; the 交办 numbers are their own.
    out = run("supervise", first, "--due", "2026-12-10", "--reason", "进展缓慢，再次督办",
              "--to", "社会救助股", "--on", "2026-11-20").stdout  # fmt: skip
    assert "临民督办字〔2026〕3号" in out and "→ 社会救助股" in out
    assert sql("SELECT name, year, last FROM sequences WHERE name IN ('supervise', 'assign') "
               "ORDER BY name") == [("assign", 2026, 2), ("supervise", 2026, 3)]  # fmt: skip

    case = show(run, first)
    assert event(case, "supervise", 0)["data"] == {
        "due": "2026-12-04",
        "number": 1,
        "year": 2026,
        "to": "沙河镇",
        "reason": "县长批示，限期办结",
    }
    assert event(case, "supervise")["data"]["number"] == 3
    assert case["status"] == "assigned"  # a side step: the case stays where it was
    assert event(case, "supervise")["status_after"] == "assigned"


def test_the_number_year_is_the_supervision_year(run, db_path):
    run(*REGISTER[:-1], "2025-12-20 09:00")
    run("accept", "2025-0001", "--on", "2025-12-22")
    run("assign", "2025-0001", "--to", "蓼泉镇", "--due", "2026-01-20", "--on", "2025-12-23")
    out = run("supervise", "2025-0001", "--due", "2026-01-10", "--reason", "上级交办",
              "--on", "2025-12-30").stdout  # fmt: skip
    assert "临民督办字〔2025〕1号" in out
    out = run("supervise", "2025-0001", "--due", "2026-01-15", "--reason", "再次督办",
              "--on", "2026-01-05").stdout  # fmt: skip
    assert "临民督办字〔2026〕1号" in out


def test_the_due_date_is_a_deadline_overdue_once_past_and_met_by_the_answer(run, db_path):
    advance(run, register(run, db_path, 1), "unit-accept")
    run("supervise", CASE, "--due", "2026-11-20", "--reason", "县长批示", "--on", "2026-11-10")
    assert supervise_deadlines(show(run)) == [(1, "2026-11-10", "2026-11-20", None, "overdue")]
    late = json.loads(run("overdue", "--json", expect=1).stdout)
    items = [i for i in late["overdue"] if i["stage"] == "supervise_due"]
    assert [(i["case_no"], i["label"], i["due_on"], i["days_left"]) for i in items] == [
        (CASE, "督办办结", "2026-11-20", -3)
    ]
    # Before the due day it is not overdue, and it is listed as coming up.
    early = json.loads(run("overdue", "--json", "--as-of", "2026-11-18", expect=1).stdout)
    assert [i for i in early["overdue"] if i["stage"] == "supervise_due"] == []
    assert [(i["stage"], i["due_on"], i["days_left"]) for i in early["due_soon"]] == [
        ("supervise_due", "2026-11-20", 2)
    ]

    out = run("supervise-answer", CASE, "--text", "已入户核查，12月起发放", "--on", "2026-11-23")
    assert out.stdout == "已记录督办回复：2026-0001（临民督办字〔2026〕1号）\n"
    case = show(run)
    assert supervise_deadlines(case) == [(1, "2026-11-10", "2026-11-20", "2026-11-23", "met_late")]
    assert event(case, "supervise-answer")["data"] == {
        "text": "已入户核查，12月起发放",
        "unit": "沙河镇",
        "answers": [1],
    }
    after = json.loads(run("overdue", "--json", expect=1).stdout)  # the reply is late too
    assert [i for i in after["overdue"] if i["stage"] == "supervise_due"] == []


def test_an_answer_in_time_meets_every_open_supervision(run, db_path):
    advance(run, register(run, db_path, 1), "assign")
    run("supervise", CASE, "--due", "2026-11-30", "--reason", "领导批示", "--on", "2026-11-10")
    run("supervise", CASE, "--due", "2026-12-04", "--reason", "再次督办", "--on", "2026-11-20")
    assert [d[-1] for d in supervise_deadlines(show(run))] == ["open", "open"]
    out = run("supervise-answer", CASE, "--text", "已办结", "--on", "2026-11-23").stdout
    assert out == "已记录督办回复：2026-0001（临民督办字〔2026〕1号、临民督办字〔2026〕2号）\n"
    assert supervise_deadlines(show(run)) == [
        (1, "2026-11-10", "2026-11-30", "2026-11-23", "met"),
        (2, "2026-11-20", "2026-12-04", "2026-11-23", "met"),
    ]
    refused = run("supervise-answer", CASE, "--text", "再报一次", expect=2)
    assert "没有待回复的督办" in refused.stderr


def test_refused_without_a_unit_and_nothing_written(run, db_path):
    advance(run, register(run, db_path, 1), "accept")
    before = dump(db_path)
    out = run("supervise", CASE, "--due", "2026-12-04", "--reason", "县长批示", expect=2)
    assert out.stderr == (
        "错误：被督办单位：案件 2026-0001 尚未交办，没有承办单位；请用 --to 指定被督办单位\n"
    )
    out = run("supervise", CASE, "--due", "2026-12-04", "--reason", "x", "--to", "火星镇", expect=2)
    assert out.stderr.startswith("错误：承办单位：“火星镇”不在承办单位名单中")
    assert dump(db_path) == before
    # Naming the unit is enough, and the number not taken by the refusals is the first.
    out = run("supervise", CASE, "--due", "2026-12-04", "--reason", "县长批示", "--to", "平川镇")
    assert "→ 平川镇，督办通知 临民督办字〔2026〕1号" in out.stdout


@pytest.mark.parametrize(
    ("due", "message"),
    [
        ("2026-11-10", "督办期限：2026-11-10 必须晚于督办日期 2026-11-10"),
        ("2026-11-09", "督办期限：2026-11-09 必须晚于督办日期 2026-11-10"),
        ("2026-13-01", "督办期限：无法识别“2026-13-01”"),
    ],
)
def test_refused_when_due_is_not_after_the_supervision(run, db_path, due, message):
    advance(run, register(run, db_path, 1), "assign")
    before = dump(db_path)
    out = run(
        "supervise", CASE, "--due", due, "--reason", "县长批示", "--on", "2026-11-10", expect=2
    )
    assert out.stderr.startswith(f"错误：{message}")
    assert dump(db_path) == before


def test_refused_answer_without_supervision(run, db_path):
    advance(run, register(run, db_path, 1), "assign")
    before = dump(db_path)
    out = run("supervise-answer", CASE, "--text", "已办结", expect=2)
    assert out.stderr == (
        "错误：案件 2026-0001 当前状态为「已交办（待承办单位受理）」，没有待回复的督办"
        "（先用 xinfang supervise 督办）。下一步可以：承办受理（xinfang unit-accept）、"
        "改派（xinfang reassign）、退单（xinfang unit-return）。\n"
    )
    assert dump(db_path) == before


@pytest.mark.parametrize(("until", "label"), [("close", "已办结（待归档）"), ("archive", "已归档")])
def test_refused_on_a_finished_case(run, db_path, until, label):
    advance(run, register(run, db_path, 1), until)
    before = dump(db_path)
    out = run("supervise", CASE, "--due", "2026-12-04", "--reason", "县长批示", expect=2)
    assert out.stderr.startswith(f"错误：案件 2026-0001 当前状态为「{label}」，不能督办。")
    assert dump(db_path) == before


def test_the_notice_prints_with_number_unit_dates_and_reason(run, db_path, tmp_path):
    advance(run, register(run, db_path, 1), "assign")
    refused = run("print", CASE, "督办通知", "-o", str(tmp_path / "x.docx"), expect=2)
    assert "不能打印督办通知：案件没有督办记录" in refused.stderr
    run("supervise", CASE, "--due", "2026-11-30", "--reason", "县长批示", "--on", "2026-11-10")
    run("supervise", CASE, "--due", "2026-12-04", "--reason", "进展缓慢，再次督办",
        "--to", "社会救助股", "--on", "2026-11-20")  # fmt: skip
    text = printed(run, tmp_path, CASE, "督办通知")
    lines = text.split("\n")
    # The latest 督办 is the one printed.
    assert lines[:5] == [
        "临泽县民政局",
        "信访问题督办通知",
        "临民督办字〔2026〕2号",
        "",
        "社会救助股：",
    ]
    body = lines[5]
    assert "信访人1反映的“第1号事项：乙乙乙问题7919”信访问题（交办单临民交〔2026〕1号）" in body
    assert "（督办事由：进展缓慢，再次督办）" in body
    assert "于2026年12月4日前办结该信访问题" in body
    assert "临民督办字〔2026〕1号" not in text and "县长批示" not in text
    assert lines[-2:] == ["临泽县民政局（盖章）", "二〇二六年十一月二十日"]  # the day it was issued


# -------------------------------------------------------------- 领导批示


def test_instruction_recorded(run, db_path):
    register(run, db_path, 1)
    out = run("instruct", CASE, "--leader", "县长", "--text", "请民政局抓紧核实，依法解决",
              "--on", "2026-11-03")  # fmt: skip
    assert out.stdout == "已记录领导批示：2026-0001（县长）\n"
    case = show(run)
    assert (case["status"], event(case, "instruct")["data"]) == (
        "registered",
        {"leader": "县长", "text": "请民政局抓紧核实，依法解决"},
    )
    out = run("instruct", CASE, "--leader", " ", "--text", "x", expect=2)
    assert out.stderr == "错误：批示领导：必填，不能为空\n"


# ---------------------------------------------------------------- 联系函


def test_liaison_numbers_answers_and_the_printed_letter(run, db_path, tmp_path):
    first = register(run, db_path, 1)
    second = register(run, db_path, 2)
    run("accept", first, "--on", "2026-11-03")
    run("accept", second, "--on", "2026-11-03")
    refused = run("liaise-answer", first, "--text", "已核实", expect=2)
    assert "没有待回复的联系函（先用 xinfang liaise 发函）" in refused.stderr

    out = run("liaise", first, "--to", "县人力资源和社会保障局", "--matter",
              "请核实信访人的养老保险缴费情况", "--on", "2026-11-05").stdout  # fmt: skip
    assert out == "已发联系函：2026-0001 → 县人力资源和社会保障局，联系函 临民联〔2026〕1号\n"
    out = run("liaise", second, "--to", "县残联", "--matter", "请核实残疾等级",
              "--on", "2026-11-06").stdout  # fmt: skip
    assert "联系函 临民联〔2026〕2号" in out
    out = run("liaise", first, "--to", "沙河镇派出所", "--matter", "请核实户籍",
              "--on", "2026-11-07").stdout  # fmt: skip
    assert "联系函 临民联〔2026〕3号" in out
    assert event(show(run, first), "liaise", 0)["data"] == {
        "to": "县人力资源和社会保障局",
        "matter": "请核实信访人的养老保险缴费情况",
        "number": 1,
        "year": 2026,
    }

    # Two letters out: the answer must say whose it is.
    out = run("liaise-answer", first, "--text", "已足额缴费15年", expect=2)
    assert out.stderr.startswith("错误：回复单位：有 2 份联系函待回复，请用 --from 指明：")
    assert (
        "县人力资源和社会保障局（临民联〔2026〕1号）、沙河镇派出所（临民联〔2026〕3号）"
        in out.stderr
    )
    out = run("liaise-answer", first, "--text", "x", "--from", "县民政局", expect=2)
    assert "“县民政局”没有待回复的联系函" in out.stderr
    out = run("liaise-answer", first, "--text", "已足额缴费15年", "--from",
              "县人力资源和社会保障局", "--on", "2026-11-12").stdout  # fmt: skip
    assert out == "已记录联系函回复：2026-0001（临民联〔2026〕1号，县人力资源和社会保障局）\n"
    # One letter left: no --from needed.
    out = run("liaise-answer", first, "--text", "户籍属实", "--on", "2026-11-13").stdout
    assert out == "已记录联系函回复：2026-0001（临民联〔2026〕3号，沙河镇派出所）\n"
    assert [e["data"] for e in show(run, first)["events"] if e["action"] == "liaise-answer"] == [
        {"text": "已足额缴费15年", "from": "县人力资源和社会保障局", "answers": [1]},
        {"text": "户籍属实", "from": "沙河镇派出所", "answers": [3]},
    ]
    assert "没有待回复的联系函" in run("liaise-answer", first, "--text", "x", expect=2).stderr

    text = printed(run, tmp_path, first, "信访事项联系函")
    lines = text.split("\n")
    assert lines[:3] == ["信访事项联系函", "编号：临民联〔2026〕3号", "沙河镇派出所："]
    assert "信访事项（编号：2026-0001）为我单位主办件" in lines[3]
    assert "信访人信访人1（联系电话：13900000001）于2026年11月2日以来访方式反映" in text
    assert lines[7] == "请核实户籍"
    assert lines[-2:] == ["临泽县民政局（盖章）", "二〇二六年十一月七日"]  # the day it was sent
    second_text = printed(run, tmp_path, second, "信访事项联系函")
    assert "编号：临民联〔2026〕2号\n县残联：" in second_text
    assert "请核实残疾等级" in second_text


def test_no_letter_printed_before_one_is_sent(run, db_path, tmp_path):
    register(run, db_path, 1)
    out = run("print", CASE, "信访事项联系函", "-o", str(tmp_path / "x.docx"), expect=2)
    assert "不能打印信访事项联系函：案件没有联系函记录" in out.stderr


# ---------------------------------------------------------------- suggest


def test_nothing_to_suggest(run, db_path):
    register(run, db_path, 1)
    assert run("suggest").stdout == "截至 2026-11-23，没有属于督办范围的在办案件。\n"
    assert suggestions(run)["cases"] == []


def test_upper_level_cases_are_suggested_with_the_upper_number(run, db_path):
    register(run, db_path, 1, "--upper-ref", "甘信转〔2026〕12号", source="上级交办")
    register(run, db_path, 2)
    found = suggestions(run)
    assert reasons_of(found) == {CASE: ["上级交办（上级信访件编号：甘信转〔2026〕12号）"]}
    assert found["cases"][0]["reasons"] == [
        {"kind": "上级交办", "text": "上级交办（上级信访件编号：甘信转〔2026〕12号）",
         "upper_ref": "甘信转〔2026〕12号"}
    ]  # fmt: skip


def test_instructed_cases_are_suggested_with_every_leader(run, db_path):
    register(run, db_path, 1)
    register(run, db_path, 2)
    run("instruct", CASE, "--leader", "县长", "--text", "抓紧办", "--on", "2026-11-03")
    run("instruct", CASE, "--leader", "张副县长", "--text", "限期办结", "--on", "2026-11-10")
    run("instruct", CASE, "--leader", "县长", "--text", "再催", "--on", "2026-11-12")
    assert reasons_of(suggestions(run)) == {CASE: ["领导批示（县长、张副县长）"]}
    # As of a day before the second instruction, only the first counts.
    assert reasons_of(suggestions(run, "--as-of", "2026-11-09")) == {CASE: ["领导批示（县长）"]}


def test_cases_raised_by_deputies_members_and_public_figures(run, db_path):
    for n, who in ((1, "人大代表"), (2, "政协委员"), (3, "社会知名人士"), (4, None)):
        register(run, db_path, n, *(("--raised-by", who) if who else ()))
    assert reasons_of(suggestions(run)) == {
        "2026-0001": ["人大代表反映"],
        "2026-0002": ["政协委员反映"],
        "2026-0003": ["社会知名人士反映"],
    }


def test_repeats_within_the_window(run, db_path):
    first = register(run, db_path, 1, on="2026-04-01 09:00")
    second = register(run, db_path, 2, on="2026-11-02 09:00")  # 215 days after the first
    third = register(run, db_path, 3, on="2026-11-10 09:00")
    register(run, db_path, 4, on="2026-11-11 09:00")
    set_column(db_path, second, "repeat_of", first)
    set_column(db_path, third, "repeat_of", first)
    # Window 180 days: the first is too long ago for the other two, which are close.
    assert reasons_of(suggestions(run)) == {
        second: ["短期内重复信访（180日内同一事项另有 1 件：2026-0003）"],
        third: ["短期内重复信访（180日内同一事项另有 1 件：2026-0002）"],
    }
    run("config", "set", "重复信访查找天数", "365")
    found = suggestions(run)
    assert found["repeat_window_days"] == 365
    assert reasons_of(found) == {
        first: ["短期内重复信访（365日内同一事项另有 2 件：2026-0002、2026-0003）"],
        second: ["短期内重复信访（365日内同一事项另有 2 件：2026-0001、2026-0003）"],
        third: ["短期内重复信访（365日内同一事项另有 2 件：2026-0001、2026-0002）"],
    }
    # As of before the third arrived, it does not count for the others.
    assert reasons_of(suggestions(run, "--as-of", "2026-11-05")) == {
        first: ["短期内重复信访（365日内同一事项另有 1 件：2026-0002）"],
        second: ["短期内重复信访（365日内同一事项另有 1 件：2026-0001）"],
    }


def test_collective_petitions_from_five_people(run, db_path):
    register(run, db_path, 1, "--persons", "5")
    register(run, db_path, 2, "--persons", "4")
    register(run, db_path, 3, "--persons", "12")
    assert reasons_of(suggestions(run)) == {
        "2026-0001": ["多人联名/集体访（5人）"],
        "2026-0003": ["多人联名/集体访（12人）"],
    }


TREND = "临时救助"
# Received days, by window as of 2026-11-23: the 30 days 10-25..11-23, then 09-25..10-24,
# 08-26..09-24, 07-27..08-25.
TREND_DAYS = ["2026-07-30", "2026-09-01", "2026-10-01", "2026-10-24",
              "2026-10-25", "2026-11-05", "2026-11-10", "2026-11-20"]  # fmt: skip


def test_a_trending_category_with_its_numbers(run, db_path):
    for n, day in enumerate(TREND_DAYS, 1):
        register(run, db_path, n, category=TREND, on=f"{day} 09:00")
    # The 11-05 case was turned away: it still counts as a petition received, but only
    # open cases are suggested.
    run("reject", "2026-0006", "--reason", "不属本机关职责", "--channel", "向县法院起诉",
        "--on", "2026-11-06")  # fmt: skip
    # Three a month, steadily: not more than the average.
    days = ["2026-08-01", "2026-08-02", "2026-08-03", "2026-09-01", "2026-09-02", "2026-09-03",
            "2026-10-01", "2026-10-02", "2026-10-03", "2026-11-01", "2026-11-02", "2026-11-03"]  # fmt: skip
    for n, day in enumerate(days, 9):
        register(run, db_path, n, category="养老服务", on=f"{day} 09:00")
    # Two in the last 30 days and none before: more, but fewer than three.
    for n, day in enumerate(["2026-11-01", "2026-11-02"], 21):
        register(run, db_path, n, category="殡葬管理", on=f"{day} 09:00")

    found = suggestions(run)
    trend = "同类事项集中反映（临时救助：近30日 4 件，此前三个30日 2、1、1 件，平均 1.3 件）"
    assert reasons_of(found) == {"2026-0005": [trend], "2026-0007": [trend], "2026-0008": [trend]}
    assert [(t["category"], t["recent"], t["earlier"], t["average"], t["trending"])
            for t in found["trends"]] == [
        ("临时救助", 4, [2, 1, 1], 1.33, True),
        ("养老服务", 3, [3, 3, 3], 3.0, False),
        ("殡葬管理", 2, [0, 0, 0], 0.0, False),
    ]  # fmt: skip
    assert found["trends"][0]["windows"] == [
        ["2026-10-25", "2026-11-23"], ["2026-09-25", "2026-10-24"],
        ["2026-08-26", "2026-09-24"], ["2026-07-27", "2026-08-25"],
    ]  # fmt: skip
    assert found["cases"][0]["reasons"][0] == {
        "kind": "同类事项集中反映", "text": trend, "recent": 4, "earlier": [2, 1, 1],
        "average": 1.33,
    }  # fmt: skip

    # As of 11-19 the windows move: 10-24 joins the latest window, 11-20 is not yet there.
    found = suggestions(run, "--as-of", "2026-11-19")
    trend = "同类事项集中反映（临时救助：近30日 4 件，此前三个30日 1、1、1 件，平均 1.0 件）"
    assert reasons_of(found) == {"2026-0004": [trend], "2026-0005": [trend], "2026-0007": [trend]}


def test_every_reason_of_one_case_and_the_open_supervision_mark(run, db_path):
    register(
        run, db_path, 1, "--upper-ref", "张民信〔2026〕8号", "--persons", "6",
        "--raised-by", "政协委员", source="上级交办",
    )  # fmt: skip
    register(run, db_path, 2)
    set_column(db_path, "2026-0002", "repeat_of", CASE)
    run("instruct", CASE, "--leader", "县长", "--text", "抓紧办", "--on", "2026-11-03")
    advance(run, CASE, "assign")
    run("supervise", CASE, "--due", "2026-12-04", "--reason", "县长批示", "--on", "2026-11-10")

    found = suggestions(run)
    assert reasons_of(found)[CASE] == [
        "上级交办（上级信访件编号：张民信〔2026〕8号）",
        "领导批示（县长）",
        "政协委员反映",
        "短期内重复信访（180日内同一事项另有 1 件：2026-0002）",
        "多人联名/集体访（6人）",
    ]
    assert found["cases"][0]["supervised"] == {
        "number": "临民督办字〔2026〕1号", "to": "沙河镇", "due": "2026-12-04", "overdue": False,
    }  # fmt: skip
    late = run("suggest", "--as-of", "2026-12-05").stdout.split("\n")[1]
    assert late.endswith("【督办中：临民督办字〔2026〕1号，沙河镇，限 2026-12-04，已超期】")
    assert found["cases"][1]["supervised"] is None
    out = run("suggest").stdout
    assert out.split("\n")[:8] == [
        "截至 2026-11-23，属于督办范围的在办案件 2 件：",
        "2026-0001  已交办（待承办单位受理）  第1号事项：乙乙乙问题7919"
        "  【督办中：临民督办字〔2026〕1号，沙河镇，限 2026-12-04】",
        "  · 上级交办（上级信访件编号：张民信〔2026〕8号）",
        "  · 领导批示（县长）",
        "  · 政协委员反映",
        "  · 短期内重复信访（180日内同一事项另有 1 件：2026-0002）",
        "  · 多人联名/集体访（6人）",
        "2026-0002  已登记（待受理）  第2号事项：丙丙丙问题15838",
    ]
    # Answered, the case is no longer under an open supervision.
    run("supervise-answer", CASE, "--text", "已办结", "--on", "2026-11-23")
    assert suggestions(run)["cases"][0]["supervised"] is None
    assert "督办中" not in run("suggest").stdout


@pytest.mark.parametrize("until", ["close", "archive"])
def test_a_finished_case_is_never_suggested(run, db_path, until):
    register(
        run, db_path, 1, "--upper-ref", "甘信转〔2026〕3号", "--persons", "8",
        "--raised-by", "人大代表", source="上级交办",
    )  # fmt: skip
    run("instruct", CASE, "--leader", "县长", "--text", "抓紧办", "--on", "2026-11-03")
    assert list(reasons_of(suggestions(run))) == [CASE]
    advance(run, CASE, until)
    assert suggestions(run)["cases"] == []
    assert run("suggest").stdout == "截至 2026-11-23，没有属于督办范围的在办案件。\n"


def test_suggest_writes_nothing(run, db_path):
    register(run, db_path, 1, "--persons", "5")
    before = dump(db_path)
    run("suggest")
    run("suggest", "--json", "--as-of", "2026-11-10")
    assert dump(db_path) == before
    out = run("suggest", "--as-of", "明年", expect=2)
    assert out.stderr.startswith("错误：查找日期：无法识别“明年”")


def test_a_voided_instruction_is_no_reason_to_supervise(run, db_path):
    register(run, db_path, 1)
    run("instruct", CASE, "--leader", "县长", "--text", "抓紧办", "--on", "2026-11-03")
    assert reasons_of(suggestions(run)) == {CASE: ["领导批示（县长）"]}
    run("void", CASE, "--reason", "批示录错了案件")
    assert reasons_of(suggestions(run)) == {}
