"""Every paper, at every stage it fits (issue 17, "Done when"): a few cases driven through
the CLI cover 受理, 不予受理, 转送, 交办, 延期, 督办, 催办, 联系函, 领导批示, 答复, 不满意 and
a second round, 复查, 复核, 上级交办, 检举控告 and 领导接访. After each step every document
of the registry (a new one is covered without touching this test) is printed, where it
fits, on two print days far from any event, and opened with python-docx: no placeholder
left, no None, no raw code, never the print day, the same text both days, and the boxes
ticked are the values on record."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_documents import text_of

from xinfang.core.life import ledger
from xinfang.core.papers import documents
from xinfang.core.papers.documents import CHECKED, DOCUMENTS
from xinfang.store.db import connect

# Sundays, on which no event or deadline falls: a paper that prints them took the print day.
PRINT_DAYS = {
    "2027-03-07 10:00": ("二〇二七年三月七日", "2027年3月7日"),
    "2027-04-11 16:00": ("二〇二七年四月十一日", "2027年4月11日"),
}
RAW = re.compile(r"[A-Za-z]\w*_\w+|(?<![A-Za-z])[a-z]{3,}(?![A-Za-z])|None|True|False")

PLAN = ("reception", "plan", "--year", "2026", "--rule", "last-friday 09:00-11:00",
        "--leaders", "张三,李四,王五", "--place", "县信访接待大厅")  # fmt: skip

# Each case: its registration, then its steps (the case number is put in by `drive`).
CASES = {
    "全程两轮": (
        ("register", "--name", "张三", "--phone", "13812345678", "--source", "本级", "--form",
         "来访", "--content", "反映低保评定不公，家中两位老人无收入", "--category",
         "最低生活保障", "--town", "沙河镇", "--receiver", "王芳", "--on", "2026-10-08 09:30"),
        [
            ("accept", "--on", "2026-10-09", "--notified-on", "2026-10-09"),
            ("instruct", "--leader", "李县长", "--text", "请民政局抓紧核实", "--on", "2026-10-09"),
            ("assign", "--to", "沙河镇", "--due", "2026-10-30", "--on", "2026-10-10"),
            ("extend", "--reason", "涉及多部门，需联合调查", "--on", "2026-10-12"),
            ("supervise", "--due", "2026-10-28", "--reason", "群众反映强烈", "--on", "2026-10-14"),
            ("urge", "--note", "电话催问入户核查进度", "--on", "2026-10-15"),
            ("liaise", "--to", "县人社局", "--matter", "核对养老金发放", "--on", "2026-10-15"),
            ("unit-accept", "--on", "2026-10-16"),
            ("unit-report", "--text", "经入户核查，家庭人均收入略高于标准", "--on", "2026-10-20"),
            ("reply", "--result", "不能解决", "--finding", "部分属实", "--text",
             "家庭人均收入高于低保标准，暂不能纳入", "--on", "2026-10-22"),
            ("revisit", "--method", "电话回访", "--satisfaction", "不满意", "--opinion",
             "收入算错了", "--on", "2026-10-24"),
            ("reexamine", "--examiner", "王科长", "--findings", "重新核算收入，低于标准",
             "--on", "2026-10-27"),
            ("reply", "--result", "已解决", "--finding", "属实", "--text",
             "重新核算后已纳入低保，自11月起发放", "--on", "2026-10-30"),
            ("deliver", "--method", "直接送达", "--on", "2026-10-31"),
            ("revisit", "--method", "当面", "--satisfaction", "基本满意", "--on", "2026-11-02"),
            ("publicize", "--where", "县政府门户网站", "--on", "2026-11-03"),
            ("close", "--approved-by", "李主任", "--on", "2026-11-04"),
            ("archive", "--retention", "10年", "--on", "2026-11-05"),
        ],
    ),
    "不予受理": (
        ("register", "--name", "王五", "--source", "本级", "--form", "来信", "--content",
         "工资被拖欠", "--on", "2026-11-02"),
        [
            ("reject", "--reason", "属劳动争议", "--channel", "向县劳动人事争议仲裁委员会申请仲裁",
             "--on", "2026-11-03", "--notified-on", "2026-11-04"),
            ("archive", "--retention", "10年", "--on", "2026-11-06"),
        ],
    ),
    "转送": (
        ("register", "--name", "赵七", "--source", "本级", "--form", "来信", "--content",
         "养老保险缴费年限认定有误", "--on", "2026-11-02"),
        [("transfer", "--to", "县人力资源和社会保障局", "--on", "2026-11-03")],
    ),
    "上级交办检举复查复核": (
        ("register", "--name", "李四", "--phone", "13900000000", "--source", "上级交办",
         "--upper-ref", "市信2026-11", "--form", "来访", "--content", "反映村干部优亲厚友",
         "--kind", "检举控告类", "--on", "2026-08-20"),
        [
            ("accept", "--on", "2026-08-21", "--notified-on", "2026-08-21"),
            ("assign", "--to", "沙河镇", "--due", "2026-08-28", "--on", "2026-08-21"),
            ("unit-accept", "--on", "2026-08-24"),
            ("unit-report", "--text", "核查属实，已纠正", "--on", "2026-08-28"),
            ("reply", "--result", "已解决", "--finding", "属实", "--text", "已纠正并通报",
             "--on", "2026-09-01"),
            ("review", "--requested-on", "2026-09-20", "--on", "2026-09-20"),
            ("review", "--outcome", "维持", "--text", "经复查，原处理意见认定事实清楚",
             "--recheck-body", "张掖市民政局", "--on", "2026-10-12"),
            ("recheck", "--requested-on", "2026-10-20", "--body", "张掖市民政局",
             "--on", "2026-10-20"),
            ("recheck", "--outcome", "维持", "--text", "复查意见正确", "--on", "2026-11-10"),
        ],
    ),
    "领导接访": (
        ("register", "--name", "赵六", "--phone", "13812345678", "--source", "领导接访",
         "--form", "来访", "--content", "敬老院冬季供暖不足", "--receiver", "王芳",
         "--on", "2026-10-30"),
        [
            ("accept", "--on", "2026-11-02", "--notified-on", "2026-11-02"),
            ("assign", "--to", "沙河镇", "--due", "2026-11-20", "--on", "2026-11-03"),
            ("unit-accept", "--on", "2026-11-04"),
            ("unit-report", "--text", "锅炉老化", "--on", "2026-11-05"),
            ("reply", "--result", "已解决", "--finding", "属实", "--text", "已更换锅炉",
             "--on", "2026-11-06"),
        ],
    ),
}  # fmt: skip


def fitting(db_path: Path, case: str) -> list[str]:
    with connect(db_path) as conn:
        row = ledger.find(conn, case)
        return [d.title for d in DOCUMENTS if documents.fits(conn, row, d) is None]


def print_every_paper(run, monkeypatch, db_path: Path, folder: Path, case: str) -> dict[str, str]:
    """Each document that fits, printed on each print day: its text (the same each day)."""
    texts: dict[str, str] = {}
    for title in fitting(db_path, case):
        seen = []
        for n, (day, words) in enumerate(PRINT_DAYS.items()):
            monkeypatch.setenv("XINFANG_NOW", day)
            target = folder / f"{title}-{n}.docx"
            run("print", case, title, "-o", str(target))
            text = text_of(target)
            assert "{{" not in text and "{%" not in text, (title, text)
            assert not RAW.findall(text), (title, RAW.findall(text))
            assert not any(word in text for word in words), (title, day)
            seen.append(text)
        assert seen[0] == seen[-1], title  # a reprint on another day
        texts[title] = seen[0]
    return texts


def ticked(text: str) -> set[str]:
    """The words ticked: what stands right before each ☑."""
    return {m.group(1) for m in re.finditer(rf"([^\s{CHECKED}□　:：]+)\s*{CHECKED}", text)}


@pytest.mark.parametrize(
    "name", list(CASES), ids=["whole", "reject", "transfer", "upper", "leader"]
)
def test_every_paper_at_every_stage(run, monkeypatch, tmp_path, db_path, name):
    registration, steps = CASES[name]
    set_up(run, name)
    run(*registration)
    case = "2026-0001"
    for n, (action, *options) in enumerate([("register",), *steps]):
        if action != "register":
            monkeypatch.setenv("XINFANG_NOW", "2026-11-23 10:00")
            run(action, case, *options)
        folder = tmp_path / str(n)
        folder.mkdir()
        texts = print_every_paper(run, monkeypatch, db_path, folder, case)
        # The boxes ticked are the record's: the form, the revisit, 是/否, 上级/本级.
        record = {*registration, *(value for step in steps[:n] for value in step)}
        for title, text in texts.items():
            for word in ticked(text):
                assert word in record or word in ("是", "否", "上级", "本级"), (title, word)


def set_up(run, name: str) -> None:
    """The office as `init` leaves it: its upper office named (else the 核实情况说明 says
    how to name it); a reception plan for the 领导接访 case."""
    run("config", "set", "上级信访部门", "张掖市信访局")
    if name == "领导接访":
        run(*PLAN)


def test_the_cases_cover_every_document(run, db_path):
    """Every document of the registry fits one of the cases above at some stage."""
    covered: set[str] = set()
    for number, (name, (registration, steps)) in enumerate(CASES.items(), 1):
        set_up(run, name)
        run(*registration)
        case = f"2026-{number:04d}"
        for action, *options in [("register",), *steps]:
            if action != "register":
                run(action, case, *options)
            covered |= set(fitting(db_path, case))
    assert covered == {document.title for document in DOCUMENTS}
