"""Issue 17 "Wrong today": every paper is dated by the event it records, says what the
record says, and ticks what the record ticks. Each document is read back with python-docx."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_documents import text_of

from xinfang.core.papers.documents import DOCUMENTS

CASE = "2026-0001"
ACCUSED = "李四"  # the petitioner of a 检举控告类 case, never named to the accused unit

# An upper-office 检举控告 case taken once round again (不满意), then to the archive.
WHOLE_LIFE = [
    ("register", "--name", ACCUSED, "--phone", "13812345678", "--source", "上级交办",
     "--upper-ref", "市信2026-11", "--form", "来访", "--content", "反映村干部优亲厚友。",
     "--kind", "检举控告类", "--id-number", "11010519491231002X", "--address", "西寨村5社",
     "--on", "2026-11-02"),
    ("accept", CASE, "--on", "2026-11-03", "--notified-on", "2026-11-04"),
    ("assign", CASE, "--to", "沙河镇", "--due", "2026-11-30", "--on", "2026-11-04"),
    ("supervise", CASE, "--reason", "进度缓慢", "--due", "2026-11-20", "--on", "2026-11-06"),
    ("unit-accept", CASE, "--on", "2026-11-05"),
    ("unit-report", CASE, "--text", "核查属实", "--on", "2026-11-09"),
    ("reply", CASE, "--result", "已解决", "--finding", "属实", "--text", "已纠正", "--on", "2026-11-10"),
    ("revisit", CASE, "--method", "当面", "--satisfaction", "不满意", "--opinion", "处理太轻",
     "--on", "2026-11-11"),
    ("reply", CASE, "--result", "已解决", "--finding", "属实", "--text", "已追责", "--on", "2026-11-16"),
    ("revisit", CASE, "--method", "当面", "--satisfaction", "基本满意", "--on", "2026-11-17"),
    ("publicize", CASE, "--where", "县政府门户网站", "--on", "2026-11-18"),
    ("close", CASE, "--approved-by", "李主任", "--on", "2026-11-19"),
    ("archive", CASE, "--retention", "10年", "--on", "2026-11-20"),
]  # fmt: skip

PRINT_DAYS = ("2026-11-23 10:00", "2026-12-05 16:00")
PRINT_DAY_WORDS = ("十一月二十三日", "十二月五日", "11月23日", "12月5日")


def print_all(run, folder: Path) -> dict[str, str]:
    texts = {}
    for document in DOCUMENTS:
        target = folder / f"{document.title}.docx"
        if run("print", CASE, document.title, "-o", str(target), expect=None).exit_code == 0:
            texts[document.title] = text_of(target)
    return texts


def test_a_reprint_on_another_day_is_the_same_text(run, monkeypatch, tmp_path):
    for step in WHOLE_LIFE[:-1]:  # 受理告知书 and the rest print before the archive too
        run(*step)
    firsts = []
    for n, day in enumerate(PRINT_DAYS):
        monkeypatch.setenv("XINFANG_NOW", day)
        (tmp_path / str(n)).mkdir()
        firsts.append(print_all(run, tmp_path / str(n)))
    assert firsts[0] == firsts[1]
    assert {"受理告知书", "不满意核实件", "交办单", "督办通知"} <= set(firsts[0])
    for title, text in firsts[0].items():
        assert not any(word in text for word in PRINT_DAY_WORDS), title
    # Accepted 11-03, told 11-04: the notice is signed the day it was given.
    assert "二〇二六年十一月四日" in firsts[0]["受理告知书"]
    # The 核实情况说明 reports the re-check, answered 11-16.
    assert "二〇二六年十一月十六日" in firsts[0]["不满意核实件"]


def test_a_reject_notice_is_dated_by_the_decision(run, monkeypatch, tmp_path):
    run("register", "--name", "王五", "--source", "本级", "--form", "来信", "--content", "工资被拖欠",
        "--on", "2026-11-02")  # fmt: skip
    run("reject", CASE, "--reason", "属劳动争议", "--channel", "县劳动人事争议仲裁委员会",
        "--on", "2026-11-03")  # fmt: skip
    monkeypatch.setenv("XINFANG_NOW", "2026-12-05 10:00")
    assert "二〇二六年十一月三日" in print_all(run, tmp_path)["不予受理告知书"]


def test_the_public_notice_is_dated_by_the_publicizing(run, monkeypatch):
    for step in WHOLE_LIFE[:10]:
        run(*step)
    monkeypatch.setenv("XINFANG_NOW", "2026-11-30 10:00")
    out = run("publicize", CASE, "--on", "2026-11-17").stdout
    assert "2026年11月17日" in out and "2026年11月30日" not in out


def _help_channels(run) -> list[str]:
    text = run("reject", "--help").stdout
    found = re.findall(r'--channel "([^"]+)"', text) + re.findall(r"如：(\S+)", text)
    assert len(found) >= 2, text
    return found


@pytest.mark.parametrize(
    "typed",
    [
        "HELP",
        "县劳动人事争议仲裁委员会",
        "向县信访局提出",
        "县人民法院。",
        "向县人民法院提起诉讼。",
    ],
)
def test_the_remedy_sentence_reads_right(run, tmp_path, typed):
    channels = _help_channels(run) if typed == "HELP" else [typed]
    for n, channel in enumerate(channels, start=1):
        case = f"2026-{n:04d}"
        run("register", "--name", "王五", "--source", "本级", "--form", "来信",
            "--content", "工资被拖欠", "--on", "2026-11-02")  # fmt: skip
        run("reject", case, "--reason", "属劳动争议", "--channel", channel, "--on", "2026-11-03")
        target = tmp_path / f"{n}.docx"
        run("print", case, "不予受理告知书", "-o", str(target))
        sentence = next(line for line in text_of(target).splitlines() if "程序" in line)
        assert "向向" not in sentence and "提出提出" not in sentence, sentence
        assert "。。" not in sentence and not re.search(r"(诉讼|申请仲裁)提出", sentence)
        assert re.fullmatch(r"请依照有关法律、行政法规规定的程序向[^向]+。", sentence), sentence
        body = channel.removeprefix("向").rstrip("。")
        assert body in sentence


def test_the_check_goes_to_the_upper_office_and_ends_with_the_answer(run, tmp_path):
    for step in WHOLE_LIFE[:8]:
        run(*step)
    target = tmp_path / "check.docx"
    run("print", CASE, "不满意核实件", "-o", str(target))
    text = text_of(target)
    assert "××" not in text and "上级信访部门未设置" in text
    assert "答复如下：\n" not in text + "\n" and "尚未再次答复" in text
    run("config", "set", "上级信访部门", "张掖市民政局")
    run("reply", *WHOLE_LIFE[8][1:])
    run("print", CASE, "不满意核实件", "-o", str(target), "--force")
    text = text_of(target)
    assert "张掖市民政局：" in text and "答复如下：已解决。已追责" in text
    # It has an upper number: 上级 ticked, 本级 not.
    assert "上级☑" in text and "本级□" in text


def test_an_own_case_with_an_upper_number_is_ticked_upper(run, tmp_path):
    run("register", "--name", "王五", "--phone", "13812345678", "--source", "本级",
        "--upper-ref", "市信2026-12", "--form", "来信", "--content", "工资被拖欠",
        "--on", "2026-11-02")  # fmt: skip
    for step in WHOLE_LIFE[1:8]:
        run(*step)
    target = tmp_path / "check.docx"
    run("print", CASE, "不满意核实件", "-o", str(target))
    assert "上级☑" in text_of(target)


def test_every_value_of_the_lists_ticks_on_the_revisit_form(run, sql, tmp_path):
    run("config", "add", "回访方式", "上门座谈")  # a value the office added
    methods = [row[0] for row in sql("SELECT value FROM choices WHERE list = 'revisit_method'")]
    scale = [row[0] for row in sql("SELECT value FROM choices WHERE list = 'satisfaction'")]
    assert "当面" in methods and "上门座谈" in methods and "基本满意" in scale
    scale.remove("不满意")  # goes round again: its own paper is the 不满意核实件
    pairs = [(m, scale[i % len(scale)]) for i, m in enumerate(methods)]
    pairs += [(methods[i % len(methods)], s) for i, s in enumerate(scale)]
    for n, (method, satisfaction) in enumerate(pairs, start=1):
        case = f"2026-{n:04d}"
        run("register", "--name", "王五", "--phone", "13812345678", "--source", "本级",
            "--form", "来信", "--content", "工资被拖欠", "--on", "2026-11-02")  # fmt: skip
        run("accept", case, "--on", "2026-11-03", "--notified-on", "2026-11-03")
        run("reply", case, "--result", "已解决", "--finding", "属实", "--text", "已补发",
            "--on", "2026-11-10")  # fmt: skip
        run("revisit", case, "--method", method, "--satisfaction", satisfaction,
            "--on", "2026-11-11")  # fmt: skip
        target = tmp_path / f"{n}.docx"
        run("print", case, "回访及满意度调查表", "-o", str(target))
        text = text_of(target)
        assert f"{method}☑" in text and f"{satisfaction}☑" in text, (method, satisfaction)
        assert "".join(set(text.splitlines())).count("☑") == 2, text  # merged cells repeat


SECRETS = (ACCUSED, "13812345678", "11010519491231002X", "西寨村5社")


def test_an_accusation_names_nobody_on_the_papers_sent_out(run, tmp_path):
    for step in WHOLE_LIFE[:4]:
        run(*step)
    run(
        "liaise",
        CASE,
        "--to",
        "县人力资源和社会保障局",
        "--matter",
        "请提供用工记录",
        "--on",
        "2026-11-05",
    )
    # 领导接访 and 转送 cases of the same kind
    run("register", "--name", ACCUSED, "--phone", "13812345678", "--source", "领导接访",
        "--receiver", "刘局长", "--form", "来访", "--content", "反映站长吃拿卡要",
        "--kind", "检举控告类", "--address", "西寨村5社", "--on", "2026-11-02")  # fmt: skip
    run("accept", "2026-0002", "--on", "2026-11-03", "--notified-on", "2026-11-03")
    run("assign", "2026-0002", "--to", "沙河镇", "--due", "2026-11-20", "--on", "2026-11-04")
    run("register", "--name", ACCUSED, "--phone", "13812345678", "--source", "本级",
        "--form", "来信", "--content", "反映法官受贿", "--kind", "检举控告类", "--on", "2026-11-02")  # fmt: skip
    run("transfer", "2026-0003", "--to", "县纪委监委", "--on", "2026-11-03")
    sent = [(CASE, "交办单"), (CASE, "督办通知"), (CASE, "信访事项联系函"),
            ("2026-0002", "接访交办通知单"), ("2026-0003", "转送函")]  # fmt: skip
    for case, title in sent:
        target = tmp_path / f"{title}.docx"
        run("print", case, title, "-o", str(target))
        text = text_of(target)
        assert not [secret for secret in SECRETS if secret in text], title
        assert "（姓名保密）" in text, title
    # The papers kept in the office or given to the petitioner still name them.
    run("print", CASE, "受理登记表", "-o", str(tmp_path / "r.docx"))
    assert ACCUSED in text_of(tmp_path / "r.docx")


def test_the_letters_quote_the_matter_once(run, tmp_path):
    for step in WHOLE_LIFE[:3]:
        run(*step)
    run("print", CASE, "受理告知书", "-o", str(tmp_path / "a.docx"))
    notice = text_of(tmp_path / "a.docx")
    assert "您反映的“村干部优亲厚友”的问题" in notice, notice


@pytest.mark.parametrize(("unit", "internal"), [("沙河镇", False), ("社会救助股", True)])
def test_an_order_to_a_section_of_the_office_says_no_locality(run, tmp_path, unit, internal):
    run("register", "--name", "王五", "--source", "本级", "--form", "来信", "--content", "低保不公",
        "--on", "2026-11-02")  # fmt: skip
    run("accept", CASE, "--on", "2026-11-03", "--notified-on", "2026-11-03")
    run("assign", CASE, "--to", unit, "--due", "2026-11-30", "--on", "2026-11-04")
    run("supervise", CASE, "--reason", "进度缓慢", "--due", "2026-11-20", "--on", "2026-11-06")
    for title in ("交办单", "督办通知"):
        run("print", CASE, title, "-o", str(tmp_path / f"{title}.docx"))
        text = text_of(tmp_path / f"{title}.docx")
        assert ("门户网站公示" in text) is not internal, title
        assert "反馈投诉人。" in text or "公示。" in text, text
    order = text_of(tmp_path / "交办单.docx")
    assert ("属地管理" in order) is not internal
    assert "现将信访人王五反映的“低保不公”信访事项交办你单位" in order
