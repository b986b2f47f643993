"""复查 and 复核 (信访工作条例 art. 35–36): the petitioner's windows counted once, by the
deadline rule `show` uses (roll-forward off holidays; 工作日 rule sets), from the 送达 of
the written decision; the 复核; 终结; the 复查意见书 opened back with python-docx."""

from __future__ import annotations

import pytest
from conftest import ledger_files, show

BASE = ("--source", "本级", "--form", "来访", "--category", "最低生活保障")
CASE = "2026-0001"


def register(run, on: str, content: str = "反映低保评定不公", *person: str) -> str:
    person = person or ("--name", "张三", "--phone", "13812345678")
    return run("register", *BASE, "--content", content, "--on", on, *person).stdout


def replied(run, on: str, *, rules: str | None = None) -> str:
    """A case replied on `on` (registered and accepted the week before)."""
    if rules:
        run("config", "rules", "use", rules)
    register(run, "2026-08-24")
    run("accept", CASE, "--on", "2026-08-25", "--notified-on", "2026-08-25")
    run("reply", CASE, "--result", "不能解决", "--finding", "不属实", "--text", "符合规定",
        "--on", on)  # fmt: skip
    return CASE


def window(run, stage: str = "review_request", case: str = CASE) -> dict:
    rows = [d for d in show(run, case)["deadlines"] if d["stage"] == stage]
    assert len(rows) == 1, rows  # only the latest round's window is listed
    return rows[0]


def request(run, day: str, *more: str, expect: int | None = 0):
    """The 复查 request, typed the day it came in."""
    return run("review", CASE, "--requested-on", day, "--on", day, *more, expect=expect)


def window_line(run, label: str, case: str = CASE) -> str:
    """The line of `show`'s deadline table for the window `label`."""
    table = run("show", case).stdout.split("办理过程")[0]
    return next(line for line in table.splitlines() if line.strip().startswith(label))


# --- one count: the deadline's ---------------------------------------------------------


@pytest.mark.parametrize("rule_set", ["seed000", "2022"])
def test_a_window_ending_in_national_day_moves_to_the_next_working_day(run, rule_set):
    # Replied Tue 09-01: 30 days end Thu 10-01 (国庆, to 10-07): the window ends Thu 10-08.
    replied(run, "2026-09-01", rules=rule_set)
    assert window(run)["due_on"] == "2026-10-08"
    refused = request(run, "2026-10-09", expect=2).stderr
    assert "已超过复查申请期限" in refused and "至 2026-10-08" in refused
    assert "自答复日起算（未登记送达）" in refused
    request(run, "2026-10-08")
    assert window(run)["state"] == "met"


@pytest.mark.parametrize("rule_set", ["seed000", "2022"])
def test_a_window_ending_on_a_saturday_moves_to_monday(run, rule_set):
    # Replied Thu 10-08: 30 days end Sat 11-07: the window ends Mon 11-09.
    replied(run, "2026-10-08", rules=rule_set)
    assert window(run)["due_on"] == "2026-11-09"
    assert "至 2026-11-09" in request(run, "2026-11-10", expect=2).stderr
    request(run, "2026-11-09")


def test_a_working_day_rule_counts_working_days(run):
    run("config", "rules", "set", "复查申请", "15", "工作日")
    # 15 working days from Tue 09-01: 2–4, 7–11, 14–18, Sun 09-20 (调休), Mon 09-21.
    replied(run, "2026-09-01")
    assert (window(run)["rule"], window(run)["due_on"]) == ("15个工作日", "2026-09-21")
    assert "15个工作日，至 2026-09-21" in request(run, "2026-09-22", expect=2).stderr
    request(run, "2026-09-21")  # day 20 counted in calendar days: refused before


def test_a_late_request_taken_for_a_reason_is_late_in_the_deadline_table_too(run):
    replied(run, "2026-09-01")
    request(run, "2026-10-09", "--late-reason", "住院治疗，有证明")
    late = window(run)
    assert (late["met_on"], late["state"]) == ("2026-10-09", "met_late")
    history = [e for e in show(run)["events"] if e["action"] == "review"]
    assert history[-1]["data"]["late_reason"] == "住院治疗，有证明"
    assert "逾期申请" in window_line(run, "复查申请")


def test_a_request_in_the_window_is_on_time_in_both_places(run):
    replied(run, "2026-09-01")
    request(run, "2026-10-05")  # inside the window (国庆): taken, and on time
    assert window(run)["state"] == "met"
    assert "已申请" in window_line(run, "复查申请")


# --- 送达 moves the window ----------------------------------------------------------------


@pytest.mark.parametrize("rule_set", ["seed000", "2022"])
def test_the_delivery_moves_the_window(run, tmp_path, rule_set):
    replied(run, "2026-09-01", rules=rule_set)
    assert window(run)["counted_from"] == "自答复日起算（未登记送达）"
    assert "自答复日起算（未登记送达）" in run("show", CASE).stdout
    receipt = tmp_path / "回执.jpg"
    receipt.write_bytes(b"signed receipt")
    out = run("deliver", CASE, "--on", "2026-09-10", "--method", "邮寄", "--receipt", str(receipt))
    # Received Thu 09-10: 30 days end Sat 10-10, a working day (国庆调休): it stands.
    assert out.stdout.strip() == (
        "已登记送达：2026-0001 处理意见答复书（2026-09-10 邮寄）；申请期限自送达之日起算，至 2026-10-10"
    )
    moved = window(run)
    assert (moved["starts_on"], moved["due_on"]) == ("2026-09-10", "2026-10-10")
    assert moved["counted_from"] == "自送达之日起算（2026-09-10 邮寄）"
    request(run, "2026-10-10")  # two days past the reply's count: on time from the delivery
    assert window(run)["state"] == "met"
    assert run("verify", CASE).stdout.strip().startswith("[完好] attachments/2026-0001/01-回执.jpg")
    event = next(e for e in show(run)["events"] if e["action"] == "deliver")
    assert event["data"]["method"] == "邮寄" and event["data"]["receipt"] == "01-回执.jpg"
    assert run("doctor").exit_code == 0


def test_a_request_made_before_the_delivery_was_typed_stays_made(run):
    replied(run, "2026-09-01")
    request(run, "2026-09-20")
    run("deliver", CASE, "--on", "2026-09-05", "--method", "直接送达")
    moved = window(run)
    assert (moved["starts_on"], moved["due_on"], moved["met_on"]) == (
        "2026-09-05", "2026-10-08", "2026-09-20",
    )  # fmt: skip


def test_delivery_refusals_write_nothing(run, tmp_path, db_path):
    from conftest import dump

    register(run, "2026-08-24")
    before = dump(db_path)
    assert "不能送达" in run("deliver", CASE, "--method", "邮寄", expect=2).stderr  # no reply
    assert dump(db_path) == before
    run("accept", CASE, "--on", "2026-08-25", "--notified-on", "2026-08-25")
    run("reply", CASE, "--result", "不能解决", "--finding", "不属实", "--text", "符合规定",
        "--on", "2026-09-01")  # fmt: skip
    before = dump(db_path)
    receipt = tmp_path / "回执.pdf"
    receipt.write_bytes(b"%PDF-1.4")
    for args, said in (
        (
            ("--method", "托人带交"),
            "送达方式：“托人带交”不可用；可选：直接送达、邮寄、电子送达、公告",
        ),
        (
            ("--method", "邮寄", "--on", "2026-08-31"),
            "送达日期 2026-08-31 早于处理意见答复书的日期",
        ),
        (("--method", "邮寄", "--receipt", str(tmp_path / "无.pdf")), "不存在或不是文件"),
        (("--method", "邮寄", "--document", "复查意见书"), "复查意见尚未作出，无从送达"),
        (("--method", "邮寄", "--document", "交办单"), "送达文书：“交办单”不可用"),
        (("--method", "邮寄", "--receipt", str(receipt), "--on", "2026-08-31"), "早于"),
    ):
        assert said in run("deliver", CASE, *args, expect=2).stderr, args
    assert dump(db_path) == before
    folder = ledger_files(db_path) / "attachments" / CASE
    assert not folder.exists() or not any(folder.iterdir())  # no receipt left behind


# --- windows read as windows -----------------------------------------------------------


def test_the_petitioners_window_reads_as_a_window_never_overdue(run):
    replied(run, "2026-09-01")  # the window ended 10-08; today is 11-23
    passed = window(run)
    assert (passed["state"], passed["days_left"]) == ("passed", -46)
    line = window_line(run, "复查申请")
    assert "已过" in line and "超期" not in line
    assert "超期" in window_line(run, "回访")  # the office's own deadline is
    assert "复查申请" not in run("overdue", expect=1).stdout  # 回访 is overdue
    register(run, "2026-11-02", "婚姻登记信息有误", "--name", "李四")
    run("accept", "2026-0002", "--on", "2026-11-03", "--notified-on", "2026-11-03")
    run("reply", "2026-0002", "--result", "已解决", "--finding", "属实", "--text", "已更正",
        "--on", "2026-11-10")  # fmt: skip
    assert window(run, case="2026-0002")["due_on"] == "2026-12-10"
    assert "剩 17日" in window_line(run, "复查申请", "2026-0002")


def test_only_the_latest_rounds_window_is_listed(run):
    replied(run, "2026-09-01")
    run("revisit", CASE, "--method", "当面", "--satisfaction", "不满意", "--on", "2026-09-03")
    # The first reply is handled again: no reply stands, no window to list.
    assert [d for d in show(run)["deadlines"] if d["stage"] == "review_request"] == []
    assert "复查申请" not in run("show", CASE).stdout.split("期限")[1].split("办理过程")[0]
    run("reply", CASE, "--result", "已解决", "--finding", "属实", "--text", "已补发",
        "--on", "2026-11-10")  # fmt: skip
    latest = window(run)
    assert (latest["round"], latest["due_on"], latest["state"]) == (2, "2026-12-10", "open")


# --- 复核 and 终结 --------------------------------------------------------------------------


def reviewed(run, rule_set: str | None = None) -> None:
    """Replied 09-01, 复查 asked for 09-20, decided Mon 10-12 (维持)."""
    replied(run, "2026-09-01", rules=rule_set)
    request(run, "2026-09-20")
    run("review", CASE, "--outcome", "维持", "--text", "经复查，原处理意见认定事实清楚",
        "--recheck-body", "张掖市民政局", "--on", "2026-10-12")  # fmt: skip


@pytest.mark.parametrize("rule_set", ["seed000", "2022"])
def test_recheck_windows_and_the_end_of_the_matter(run, monkeypatch, rule_set):
    reviewed(run, rule_set)
    monkeypatch.setenv("XINFANG_NOW", "2026-11-16 10:00")
    # From the 复查意见 (none delivered): 30 days end Wed 11-11.
    first = window(run, "recheck_request")
    assert (first["due_on"], first["counted_from"]) == (
        "2026-11-11", "自复查意见作出之日起算（未登记送达）",
    )  # fmt: skip
    run("deliver", CASE, "--on", "2026-10-15", "--method", "直接送达")  # the 复查意见书
    # Received Thu 10-15: 30 days end Sat 11-14: Mon 11-16.
    assert window(run, "recheck_request")["due_on"] == "2026-11-16"
    assert show(run)["ended"] is None  # the window's last day
    monkeypatch.setenv("XINFANG_NOW", "2026-11-17 10:00")
    refused = run("recheck", CASE, "--requested-on", "2026-11-17", expect=2).stderr
    assert (
        "已超过复核申请期限（自送达之日起算（2026-10-15 直接送达），30日，至 2026-11-16）"
        in refused
    )
    run("recheck", CASE, "--requested-on", "2026-11-16", "--body", "张掖市民政局")
    assert window(run, "recheck_request")["state"] == "met"
    deciding = window(run, "recheck")
    assert (deciding["starts_on"], deciding["due_on"], deciding["office_duty"]) == (
        "2026-11-16", "2026-12-16", True,
    )  # fmt: skip
    out = run("recheck", CASE, "--extend", "--days", "10", "--reason", "需要听证")
    assert out.stdout.strip() == "已延长复核期限：2026-0001，复核期限现为 40日"
    assert window(run, "recheck")["due_on"] == "2026-12-28"  # 40 days: Sat 12-26: Monday
    assert "最长 60日" in run("recheck", CASE, "--extend", "--days", "21", "--reason", "x",
                              expect=2).stderr  # fmt: skip
    monkeypatch.setenv("XINFANG_NOW", "2026-11-23 10:00")
    out = run("recheck", CASE, "--outcome", "维持", "--text", "复查意见正确", "--on", "2026-11-23")
    assert out.stdout.strip() == "已记录复核意见：2026-0001（维持）；该信访事项已终结"
    assert window(run, "recheck")["state"] == "met"
    assert show(run)["ended"] == {"on": "2026-11-23", "why": "复核意见已作出（维持）"}
    assert "已终结（复核意见已作出（维持））" in run("show", CASE).stdout
    assert "事项已终结" in run("recheck", CASE, "--outcome", "变更", expect=2).stderr
    assert "已经申请过复核" in run("recheck", CASE, "--requested-on", "2026-11-20",
                                   expect=2).stderr  # fmt: skip
    assert run("doctor").exit_code == 0


def test_no_recheck_asked_for_in_time_ends_the_matter(run, monkeypatch):
    reviewed(run)
    monkeypatch.setenv("XINFANG_NOW", "2026-11-11 10:00")
    assert show(run)["ended"] is None
    assert "剩 0日" in window_line(run, "复核申请")  # the window's last day
    monkeypatch.setenv("XINFANG_NOW", "2026-11-12 10:00")
    assert show(run)["ended"] == {
        "on": "2026-11-12", "why": "复查意见作出后未在期限内（至 2026-11-11）申请复核",
    }  # fmt: skip
    assert "已终结" in run("show", CASE).stdout
    assert "已过" in window_line(run, "复核申请") and "超期" not in window_line(run, "复核申请")


def test_recheck_refusals(run):
    replied(run, "2026-09-01")
    for args, said in (
        (("--requested-on", "2026-10-01"), "复查意见尚未作出，无从申请复核"),
        (("--outcome", "维持"), "尚未申请复核"),
        (("--extend", "--reason", "x"), "没有未完成的复核期限可以延长"),
        (("--requested-on", "2026-10-01", "--outcome", "维持"), "请用 --requested-on"),
        ((), "请用 --requested-on"),
        (("--outcome", "驳回"), "复核结论：只能是 维持、撤销、变更"),
    ):
        assert said in run("recheck", CASE, *args, expect=2).stderr, args
    request(run, "2026-09-20")
    run("review", CASE, "--outcome", "变更", "--text", "补发差额", "--on", "2026-10-12")
    assert (
        "应在复查意见日期 2026-10-12 与今天之间"
        in run("recheck", CASE, "--requested-on", "2026-10-11", expect=2).stderr
    )


def test_a_later_petition_on_an_ended_matter_is_flagged_not_refused(run):
    reviewed(run)  # no 复核 asked for by 11-11: ended on 11-12
    out = register(run, "2026-11-20")
    assert "已终结，不再受理" in out and "已作为重复信访关联到 2026-0001" in out
    assert show(run, "2026-0002")["matter_ended"]["why"].startswith("复查意见作出后未在期限内")
    assert "该事项已终结，不再受理" in run("show", "2026-0002").stdout


def test_an_ended_matter_is_found_long_after_the_repeat_window(run):
    reviewed(run)  # registered 08-24
    run("config", "set", "重复信访查找天数", "30")
    # Another matter of the same petitioner, out of the window: not flagged.
    assert "重复" not in register(run, "2026-11-20", "婚姻登记信息有误请求更正")
    # The same petitioner on the same facts: found, flagged, linked.
    out = register(run, "2026-11-23", "再次反映低保评定不公", "--name", "张三", "--phone",
                   "13812345678", "--new-matter")  # fmt: skip
    assert "2026-0001（已答复（待回访））：同一联系电话、内容相似" in out
    assert "已终结，不再受理" in out


def test_a_matter_still_open_to_recheck_is_not_flagged(run, monkeypatch):
    reviewed(run)
    monkeypatch.setenv("XINFANG_NOW", "2026-11-10 10:00")
    out = register(run, "2026-11-10")
    assert "已作为重复信访关联到 2026-0001" in out and "已终结" not in out


def test_a_rule_set_stage_for_recheck_can_be_set(run):
    run("config", "rules", "set", "复核申请", "15", "工作日")
    reviewed(run)
    # 15 working days from Mon 10-12: 13–16, 19–23, 26–30, Mon 11-02.
    assert (window(run, "recheck_request")["rule"], window(run, "recheck_request")["due_on"]) == (
        "15个工作日", "2026-11-02",
    )  # fmt: skip


# --- the 复查意见书 ---------------------------------------------------------------------------


def test_the_review_opinion_prints_the_outcome_the_reasons_and_the_recheck_right(run, tmp_path):
    from docx import Document

    replied(run, "2026-09-01")
    target = tmp_path / "复查意见书.docx"
    refused = run("print", CASE, "复查意见书", "-o", str(target), expect=2).stderr
    assert "复查意见尚未作出" in refused and not target.exists()
    request(run, "2026-09-20")
    run("review", CASE, "--outcome", "维持", "--text", "经复查，原处理意见认定事实清楚",
        "--recheck-body", "张掖市民政局", "--on", "2026-10-12")  # fmt: skip
    assert "复查意见书" in run("print", "--list").stdout.split()
    run("print", CASE, "复查意见书", "-o", str(target))
    document = Document(str(target))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "{{" not in text and "{%" not in text
    for words in (
        "信访事项复查意见书",
        "张三：",
        "您反映的“低保评定不公”的问题",
        "2026年9月1日",
        "2026年9月20日",
        "经复查，原处理意见认定事实清楚",
        "决定维持原处理意见",
        "自收到本复查意见书之日起30日内向张掖市民政局请求复核",
        "不再受理",
        "二〇二六年十月十二日",
    ):
        assert words in text, words
    fonts = {r.element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        for p in document.paragraphs for r in p.runs if r.element.rPr is not None}  # fmt: skip
    assert fonts <= {"仿宋", "宋体", "黑体", None}


def test_the_case_file_holds_the_review_opinion_and_the_receipt_with_the_reply(
    run, tmp_path, db_path
):
    from conftest import REGISTER, advance

    run(*REGISTER)
    advance(run, CASE, "reply")  # replied Tue 11-10
    receipt = tmp_path / "回执.jpg"
    receipt.write_bytes(b"\xff\xd8 signed")
    run("deliver", CASE, "--on", "2026-11-10", "--method", "直接送达", "--receipt", str(receipt))
    advance(run, CASE, "revisit")
    run("review", CASE, "--requested-on", "2026-11-11", "--on", "2026-11-11")
    run("review", CASE, "--outcome", "变更", "--text", "补发差额", "--on", "2026-11-12")
    advance(run, CASE, "archive")
    archive = ledger_files(db_path) / "archive"
    folder = next(path for path in archive.glob("2026-0001*") if path.is_dir())
    names = [path.name.split(" ", 1)[1] for path in sorted(folder.iterdir())]
    at = names.index("处理意见答复书.docx")
    assert names[at : at + 3] == [
        "处理意见答复书.docx",
        "复查意见书.docx",
        "送达回执（处理意见答复书）.jpg",
    ]
    assert all(
        name.startswith("5-") for name in sorted(p.name for p in folder.iterdir())[at : at + 3]
    )
    # The file is archived; the petitioner's 复核 window runs on.
    assert window(run, "recheck_request")["state"] == "open"
