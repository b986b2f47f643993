"""Mistakes undone and petitions joined, at the clerk's desk: 撤销 a step, 作废 a case,
并案, 不公示 at closing, and notices or revisits that could not be made (无法联系)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import merging
import pytest
from conftest import REGISTER, advance, dump, show
from merging import at, new_town
from openpyxl import load_workbook
from test_documents import text_of

from xinfang.core.clock import periods
from xinfang.core.reporting import stats
from xinfang.store.db import connect

CASE, OTHER = "2026-0001", "2026-0002"
REPLY = ("--result", "已解决", "--finding", "属实", "--text", "已纳入低保并补发")


def register(run, minute: int = 30, *extra: str) -> str:
    out = run(*REGISTER[:-2], "--on", f"2026-11-02 09:{minute:02d}", *extra)
    return out.stdout.split("：")[1].split("（")[0]


def doctor_clean(run) -> None:
    findings = json.loads(run("doctor", "--json").stdout)
    assert [f for f in findings if f["level"] == "问题"] == []


def refused(run, db_path: Path, *args: str) -> str:
    """A refusal: exit 2, one Chinese line, nothing written."""
    before = dump(db_path)
    out = run(*args, expect=2)
    assert dump(db_path) == before, "a refused command changed the ledger"
    assert out.stderr.startswith("错误：") and out.stderr.count("\n") == 1, out.stderr
    return out.stderr


def deadline(case: dict, stage: str, round_no: int = 1) -> dict | None:
    found = [d for d in case["deadlines"] if d["stage"] == stage and d["round"] == round_no]
    return found[0] if found else None


def handle_table(run, tmp_path: Path) -> list[list]:
    target = tmp_path / "办理.xlsx"
    run("report", "handle", "--month", "2026-11", "-o", str(target), "--force")
    sheet = load_workbook(target).active
    return [list(row) for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]]


# --- 撤销 ---------------------------------------------------------------------------------


def test_voiding_a_reply_reopens_its_deadlines_and_leaves_the_handle_table(run, tmp_path):
    register(run)
    advance(run, CASE, "reply")
    replied = show(run)
    assert deadline(replied, "reply")["met_on"] == "2026-11-10"
    assert deadline(replied, "revisit") is not None
    assert any(row[5] == "属实" for row in handle_table(run, tmp_path))

    out = run("void", CASE, "--reason", "答复书尚未盖章送达，误录", "--on", "2026-11-20")
    assert out.stdout == "已撤销：2026-0001 第 6 条「答复」；案件现为「承办单位已报送（待答复）」\n"
    case = show(run)
    assert case["status"] == "reported" and case["replied_on"] is None
    assert case["reply_text"] is None
    assert deadline(case, "reply")["met_on"] is None  # open again
    assert deadline(case, "revisit") is None and deadline(case, "review_request") is None
    reply, void = case["events"][5], case["events"][6]
    assert (reply["no"], reply["action"], reply["voided"]) == (6, "reply", True)
    assert reply["voided_by"] == 7
    assert (void["action"], void["voided"], void["data"]["event"]) == ("void", False, 6)
    assert void["data"]["reason"] == "答复书尚未盖章送达，误录"
    [row] = handle_table(run, tmp_path)
    assert row[5] is None and "已纳入低保" not in row[6] and row[7] == "否"
    doctor_clean(run)

    # The real reply, dated before the void was recorded: the voided one fixes no order.
    run("reply", CASE, *REPLY[:-1], "已核实后答复", "--on", "2026-11-12")
    case = show(run)
    assert (case["status"], case["replied_on"]) == ("replied", "2026-11-12")
    assert deadline(case, "reply")["met_on"] == "2026-11-12"
    assert handle_table(run, tmp_path)[0][6].endswith("已解决。已核实后答复")
    doctor_clean(run)


def test_a_reply_entered_on_the_wrong_case_is_voided_there(run):
    register(run, 30)
    register(run, 31)
    for case in (CASE, OTHER):
        advance(run, case, "unit-report")
    run("reply", OTHER, *REPLY, "--on", "2026-11-10")  # meant for 2026-0001
    run("void", OTHER, "6", "--reason", "录错案件，应为 2026-0001")
    run("reply", CASE, *REPLY, "--on", "2026-11-10")
    first, second = show(run, CASE), show(run, OTHER)
    assert (first["status"], second["status"]) == ("replied", "reported")
    assert [e["action"] for e in second["events"]][-2:] == ["reply", "void"]
    assert second["events"][-2]["voided_by"] == 7
    doctor_clean(run)


def test_the_timeline_strikes_the_voided_step_through(run, monkeypatch):
    register(run)
    advance(run, CASE, "accept")
    run("note", CASE, "信访人来电", "--on", "2026-11-04")
    run("void", CASE, "--reason", "记错案件")
    plain = run("show", CASE).stdout
    assert "撤销第 3 条「备注」：记错案件" in plain
    assert "（已撤销，见第 4 条）" in plain
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    coloured = run("show", CASE).stdout
    assert re.search(r"\x1b\[(\d+;)*9m", coloured)  # rich's strike style on a terminal


@pytest.mark.parametrize(
    ("stage", "args", "words"),
    [
        (None, ("void", CASE, "--reason", "误录"), "没有可撤销的步骤；登记有误的整件作废：xinfang void 2026-0001 --whole --reason 理由"),
        ("accept", ("void", CASE, "1", "--reason", "误录"), "登记不能单独撤销；登记有误的整件作废：xinfang void 2026-0001 --whole --reason 理由"),
        ("unit-accept", ("void", CASE, "3", "--reason", "交办错了"), "其后的第 4 条「承办受理」（2026-11-05）以它为前提；须先撤销其后的步骤（从最后一步起：xinfang void 2026-0001）"),
        ("accept", ("void", CASE, "9", "--reason", "误录"), "步骤：本案只有第 1—2 条办理记录（xinfang show 2026-0001 查看编号）"),
        ("accept", ("void", CASE, "--whole", "2", "--reason", "误录"), "步骤：整件作废（--whole）不能再指定步骤"),
        ("accept", ("void", CASE, "--reason", " "), "撤销理由：必填，不能为空"),
        ("archive", ("void", CASE, "--reason", "误录"), "「已归档」，不能撤销。案件已归档，不能再办理"),
    ],
    ids=["nothing", "registration", "a-later-step-depends", "no-such-step", "whole-and-step",
         "no-reason", "archived"],
)  # fmt: skip
def test_void_refusals(run, db_path, stage, args, words):
    register(run)
    if stage:
        advance(run, CASE, stage)
    assert words in refused(run, db_path, *args)
    doctor_clean(run)


def test_a_void_is_not_voided_and_a_step_is_voided_once(run, db_path):
    register(run)
    run("accept", CASE, "--on", "2026-11-03")
    run("assign", CASE, "--to", "沙河镇", "--due", "2026-11-30", "--on", "2026-11-04")
    run("void", CASE, "--reason", "交办单位错了")  # step 3
    again = ("--reason", "再撤一次")
    assert "第 4 条是撤销记录，不能再撤销" in refused(run, db_path, "void", CASE, "4", *again)
    assert "第 3 条「交办」已由第 4 条撤销" in refused(run, db_path, "void", CASE, "3", *again)
    # The last step now is the acceptance again; a side step may go at any time.
    run("notify", CASE, "--on", "2026-11-05")
    assert "其后的第 5 条「告知」" in refused(run, db_path, "void", CASE, "2", "--reason", "x")
    run("void", CASE, "5", "--reason", "未告知，误录")
    case = show(run)
    assert (case["status"], case["notified_on"], case["unit"]) == ("accepted", None, None)
    assert deadline(case, "notice")["met_on"] is None
    doctor_clean(run)


def test_an_attachment_is_not_voided(run, db_path, tmp_path):
    register(run)
    scan = tmp_path / "来信.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    run("attach", CASE, str(scan), "--kind", "来源材料", "--title", "信访人来信")
    message = refused(run, db_path, "void", CASE, "--reason", "加错了")
    assert "第 2 条「添加材料」：材料已存入案件文件夹（卷内材料），不能撤销" in message


def test_a_dissatisfied_revisit_voided_closes_the_new_round(run):
    register(run)
    advance(run, CASE, "reply")
    run("revisit", CASE, "--method", "电话回访", "--satisfaction", "不满意", "--on", "2026-11-11")
    assert show(run)["round"] == 2
    run("void", CASE, "--reason", "满意度勾错")
    case = show(run)
    assert (case["status"], case["round"], case["replied_on"]) == ("replied", 1, "2026-11-10")
    assert deadline(case, "reply", 2) is None and deadline(case, "revisit")["met_on"] is None
    run("revisit", CASE, "--method", "电话回访", "--satisfaction", "满意", "--on", "2026-11-11")
    assert show(run)["status"] == "revisited"
    doctor_clean(run)


def test_voiding_the_whole_case_keeps_its_number(run, db_path):
    register(run, 30)
    advance(run, CASE, "accept")
    out = run("void", CASE, "--whole", "--reason", "同一来信重复登记")
    assert out.stdout == "已作废：2026-0001（编号保留，不再办理）\n"
    case = show(run)
    assert (case["status"], case["status_label"]) == ("voided", "已作废")
    assert case["deadlines"] == []
    listed = json.loads(run("list", "--json").stdout)
    assert [(c["case_no"], c["status_label"]) for c in listed] == [(CASE, "已作废")]
    assert "已作废" in run("list", "--all").stdout  # not in the default list: not open
    assert json.loads(run("list", "--status", "在办", "--json").stdout) == []
    message = refused(run, db_path, "assign", CASE, "--to", "沙河镇", "--due", "2026-12-05")
    assert "「已作废」，不能交办。案件已作废（编号保留），不再办理" in message
    assert "「已作废」" in refused(run, db_path, "void", CASE, "--reason", "再撤")
    assert register(run, 40) == OTHER  # the number is not given out again
    november = stats.figures(connect(db_path), periods.choose(month="2026-11"), date(2026, 11, 23))
    assert (november.registered, november.accepted) == (1, 0)  # not a petition: not counted
    doctor_clean(run)


# --- 并案 ---------------------------------------------------------------------------------


def test_a_joined_case_follows_the_main_case(run, db_path):
    register(run, 30)
    register(run, 31)
    advance(run, CASE, "assign")
    advance(run, OTHER, "accept")
    out = run("join", OTHER, "--into", CASE, "--reason", "同一事项", "--on", "2026-11-04")
    assert out.stdout == "已并案：2026-0002 并入 2026-0001 办理（两个编号都保留）\n"
    joined = show(run, OTHER)
    assert (joined["status"], joined["status_label"]) == ("joined", "已并案（随主案办理）")
    assert joined["joined_into"]["case_no"] == CASE
    assert joined["joined_into"]["status"] == "assigned"
    assert all(d["met_on"] for d in joined["deadlines"])  # its own deadlines end
    assert deadline(joined, "reply")["met_on"] == "2026-11-04"
    assert show(run, CASE)["joined"] == [OTHER]
    assert "随主案 2026-0001 办理" in run("show", OTHER).stdout
    assert "并案：2026-0002" in run("show", CASE).stdout
    message = refused(run, db_path, "reply", OTHER, *REPLY)
    assert "「已并案（随主案办理）」，不能答复。案件已并入主案办理" in message

    advance(run, CASE, "close")
    joined = show(run, OTHER)["joined_into"]
    assert (joined["status"], joined["replied_on"], joined["closed_on"]) == (
        "closed", "2026-11-10", "2026-11-13",
    )  # fmt: skip
    assert "主案已办结" in run("show", OTHER).stdout
    doctor_clean(run)


@pytest.mark.parametrize(
    ("setup", "args", "words"),
    [
        ((), ("join", OTHER, "--into", OTHER), "并入：不能并入本案自身"),
        ((), ("join", OTHER, "--into", "2026-0009"), "没有编号为 2026-0009 的案件"),
        ((("join", "2026-0003", "--into", CASE),), ("join", OTHER, "--into", "2026-0003"), "2026-0003 已并入 2026-0001；请并入主案：xinfang join 2026-0002 --into 2026-0001"),
        ((("reply", CASE, *REPLY, "--on", "2026-11-05"),), ("join", OTHER, "--into", CASE), "主案 2026-0001 已答复，不能再并入；请单独办理本案"),
        ((("void", CASE, "--whole", "--reason", "重复"),), ("join", OTHER, "--into", CASE), "主案 2026-0001 当前状态为「已作废」"),
    ],
    ids=["itself", "no-such-case", "into-a-joined-case", "main-replied", "main-voided"],
)  # fmt: skip
def test_join_refusals(run, db_path, setup, args, words):
    for minute in (30, 31, 32):
        register(run, minute)
        advance(run, f"2026-{minute - 29:04d}", "accept")
    for step in setup:
        run(*step)
    assert words in refused(run, db_path, *args)


def test_join_before_acceptance_is_refused_with_the_next_steps(run, db_path):
    register(run, 30)
    register(run, 31)
    advance(run, CASE, "accept")
    message = refused(run, db_path, "join", OTHER, "--into", CASE)
    assert "「已登记（待受理）」，不能并案。下一步可以：受理（xinfang accept）" in message


def test_a_wrong_join_is_voided(run):
    register(run, 30)
    register(run, 31)
    advance(run, CASE, "accept")
    advance(run, OTHER, "accept")
    run("join", OTHER, "--into", CASE, "--on", "2026-11-04")
    run("void", OTHER, "--reason", "并非同一事项")
    case = show(run, OTHER)
    assert case["status"] == "accepted" and "joined_into" not in case
    assert deadline(case, "reply")["met_on"] is None
    assert show(run, CASE)["joined"] == []
    doctor_clean(run)


# --- 不公示 ---------------------------------------------------------------------------------


def test_close_without_publicizing_is_recorded_on_the_closing_form(run, db_path, tmp_path):
    register(run)
    advance(run, CASE, "revisit")
    message = refused(run, db_path, "close", CASE)
    assert "不能办结。下一步可以：公示（xinfang publicize）。不公示的" in message
    assert "--no-publicize" in message
    assert "不公示理由：不能为空" in refused(run, db_path, "close", CASE, "--no-publicize")
    run("close", CASE, "--no-publicize", "--reason", "涉及个人隐私", "--on", "2026-11-12")
    case = show(run)
    assert (case["status"], case["publicized_on"]) == ("closed", None)
    assert deadline(case, "publicize")["met_on"] == "2026-11-12"
    form = tmp_path / "结案审批表.docx"
    run("print", CASE, "结案审批表", "-o", str(form))
    text = text_of(form)
    assert "已公示：是 □  否 ☑" in text
    assert "不公示：涉及个人隐私" in text
    doctor_clean(run)


def test_no_publicize_refusals(run, db_path):
    register(run)
    advance(run, CASE, "reply")
    message = refused(run, db_path, "close", CASE, "--no-publicize", "--reason", "隐私")
    assert "答复后须先回访信访人（匿名信访除外）" in message
    advance(run, CASE, "publicize")
    message = refused(run, db_path, "close", CASE, "--no-publicize", "--reason", "隐私")
    assert "已于 2026-11-12 公示，不能再选不公示" in message
    assert "--reason" in refused(run, db_path, "close", CASE, "--reason", "隐私")


def test_an_anonymous_case_closes_unpublicized_after_the_reply(run):
    run(*REGISTER[:1], "--anonymous", *REGISTER[5:-2], "--on", "2026-11-02 09:30")
    run("accept", CASE, "--on", "2026-11-03")
    run("reply", CASE, *REPLY, "--on", "2026-11-10")
    run("close", CASE, "--no-publicize", "--reason", "涉及举报人信息", "--on", "2026-11-11")
    assert show(run)["status"] == "closed"
    doctor_clean(run)


# --- 无法联系 and written notices ---------------------------------------------------------------


def test_an_unreachable_petitioner_meets_the_notice_duty_with_the_reason(run, db_path, tmp_path):
    register(run)
    run("accept", CASE, "--on", "2026-11-03")
    assert "无法联系的须写明理由" in refused(run, db_path, "notify", CASE, "--method", "无法联系")
    run("notify", CASE, "--method", "无法联系", "--reason", "电话空号，地址查无此人",
        "--on", "2026-11-05")  # fmt: skip
    case = show(run)
    assert deadline(case, "notice")["met_on"] == "2026-11-05"
    assert case["events"][-1]["data"]["reason"] == "电话空号，地址查无此人"
    target = tmp_path / "受理.xlsx"
    run("report", "accept", "--month", "2026-11", "-o", str(target))
    [row] = [r for r in load_workbook(target).active.iter_rows(min_row=5, values_only=True) if r[0]]
    assert row[8] == "无法联系"
    doctor_clean(run)


def test_a_phone_notice_does_not_meet_a_written_duty(run, db_path):
    register(run)
    run("accept", CASE, "--on", "2026-11-03", "--notified-on", "2026-11-03",
        "--notice-method", "电话告知")  # fmt: skip
    case = show(run)
    assert case["notice_method"] == "电话告知"
    assert deadline(case, "notice")["met_on"] is None  # seed 000: 书面告知
    message = refused(run, db_path, "notify", CASE, "--method", "电话告知")
    assert "规则要求书面告知" in message
    run("notify", CASE, "--method", "书面告知书", "--on", "2026-11-04")
    case = show(run)
    assert deadline(case, "notice")["met_on"] == "2026-11-04"
    assert "已于 2026-11-04 告知过信访人" in refused(run, db_path, "notify", CASE)
    assert "须书面告知" in run("config", "rules").stdout
    doctor_clean(run)


def test_an_unreachable_revisit_meets_the_duty_without_a_satisfaction(run, db_path):
    register(run)
    advance(run, CASE, "reply")
    assert "满意度" in refused(run, db_path, "revisit", CASE, "--method", "电话回访")
    unreachable = ("revisit", CASE, "--method", "无法联系")
    message = refused(run, db_path, *unreachable, "--satisfaction", "满意")
    assert "无法联系的回访没有满意度" in message
    run(*unreachable, "--reason", "多次电话无人接听", "--on", "2026-11-11")
    case = show(run)
    assert (case["status"], case["satisfaction"], case["revisit_method"]) == (
        "revisited", None, "无法联系",
    )  # fmt: skip
    assert deadline(case, "revisit")["met_on"] == "2026-11-11"
    assert deadline(case, "publicize")["met_on"] is None
    figures = stats.figures(connect(db_path), periods.choose(month="2026-11"), date(2026, 11, 23))
    assert (figures.revisited, figures.satisfied) == (0, 0)  # no satisfaction to count
    doctor_clean(run)


# --- at the county ----------------------------------------------------------------------------


def test_a_towns_voids_and_joins_merge_at_the_county(run, tmp_path, template_ledger):
    town = new_town(run, tmp_path, template_ledger, "town", "沙河镇人民政府")
    for n in (1, 2, 3):
        merging.register(run, town, f"信访人{n}", "低保金停发", f"2026-11-02 09:0{n}")
        run("accept", f"2026-000{n}", "--on", "2026-11-03", *at(town))
    run("reply", CASE, *REPLY, "--on", "2026-11-05", *at(town))
    run("void", CASE, "--reason", "误录", "--on", "2026-11-06", *at(town))
    run("join", OTHER, "--into", CASE, "--on", "2026-11-06", *at(town))
    run("void", "2026-0003", "--whole", "--reason", "重复登记", "--on", "2026-11-06", *at(town))
    run("merge", str(merging.bundle(run, town, tmp_path / "town.zip", "2026-11")))
    merged = {c["origin_no"]: c for c in json.loads(run("list", "--json").stdout)}
    assert {no: c["status"] for no, c in merged.items()} == {
        CASE: "accepted", OTHER: "joined", "2026-0003": "voided",
    }  # fmt: skip
    main, member = merged[CASE]["case_no"], merged[OTHER]["case_no"]
    assert show(run, member)["joined_into"]["case_no"] == main
    assert show(run, main)["joined"] == [member]
    doctor_clean(run)
