"""The case file keeps every round (issue 17, Archive): a case answered, found 不满意,
answered again and revisited 满意 files two 答复书 and two 回访表, each dated by its own
round's reply or revisit and saying what that round said; its 联系函 and 领导批示 are
filed too, and the 卷内目录's 页次 count them. Each file is opened with python-docx."""

from __future__ import annotations

from pathlib import Path

from conftest import REGISTER, ledger_files
from docx import Document
from test_documents import text_of

CASE = "2026-0001"

LIFE = [
    ("accept", "--on", "2026-11-03", "--notified-on", "2026-11-04"),
    ("instruct", "--leader", "李县长", "--text", "请民政局抓紧核实", "--on", "2026-11-04"),
    ("assign", "--to", "沙河镇", "--due", "2026-12-05", "--on", "2026-11-05"),
    ("liaise", "--to", "县人社局", "--matter", "核对养老金发放", "--on", "2026-11-06"),
    ("unit-accept", "--on", "2026-11-06"),
    ("unit-report", "--text", "经入户核查，家庭人均收入低于标准", "--on", "2026-11-09"),
    ("reply", "--result", "正在解决", "--finding", "属实", "--text", "已提交低保评审", "--on", "2026-11-10"),
    ("revisit", "--method", "电话回访", "--satisfaction", "不满意", "--opinion", "低保金还没发", "--on", "2026-11-12"),
    ("reply", "--result", "已解决", "--finding", "属实", "--text", "已纳入低保，自12月起发放", "--on", "2026-11-16"),
    ("revisit", "--method", "当面", "--satisfaction", "满意", "--on", "2026-11-17"),
    ("publicize", "--where", "县政府门户网站", "--on", "2026-11-18"),
    ("close", "--approved-by", "李主任", "--on", "2026-11-19"),
    ("archive", "--retention", "10年", "--on", "2026-11-20"),
]  # fmt: skip


def _folder(db_path: Path) -> Path:
    (folder,) = [p for p in (ledger_files(db_path) / "archive").iterdir()
                 if p.is_dir()]  # fmt: skip
    return folder


def test_every_round_is_filed_with_its_own_date_and_text(run, db_path):
    run(*REGISTER)
    for action, *options in LIFE:
        run(action, CASE, *options)
    folder = _folder(db_path)
    names = sorted(path.stem for path in folder.glob("*.docx"))
    replies = [n for n in names if "处理意见答复书" in n]
    revisits = [n for n in names if "回访及满意度调查表" in n]
    assert len(replies) == 2 and len(revisits) == 2, names
    first, second = (text_of(folder / f"{n}.docx") for n in replies)
    assert "已提交低保评审" in first and "已纳入低保" not in first
    assert "二〇二六年十一月十日" in first
    assert "已纳入低保，自12月起发放" in second and "二〇二六年十一月十六日" in second
    one, two = (text_of(folder / f"{n}.docx") for n in revisits)
    assert "不满意☑" in one.replace(" ", "") and "低保金还没发" in one
    assert "2026年11月12日" in one
    assert "满意☑" in two.replace(" ", "") and "不满意☑" not in two.replace(" ", "")
    assert "2026年11月17日" in two
    # The 联系函 and the 领导批示 are in the file.
    assert any("信访事项联系函" in n for n in names), names
    (instruction,) = [n for n in names if "领导批示" in n]
    assert "李县长" in text_of(folder / f"{instruction}.docx")
    assert "请民政局抓紧核实" in text_of(folder / f"{instruction}.docx")
    # The 卷内目录 counts them all: section 2 holds the 批示, 5 and 7 two papers each.
    (catalogue,) = [n for n in names if "案卷目录" in n]
    table = Document(str(folder / f"{catalogue}.docx")).tables[0]
    spans = {row.cells[0].text: row.cells[-1].text for row in table.rows}
    assert spans["2"] != ""
    for section in ("5", "7"):
        first_page, last_page = map(int, spans[section].split("-"))
        assert last_page - first_page >= 1, spans
