"""Issue 17's missing papers: 延期告知书 (after extend), 催办单 (after urge), 反馈意见表
(a reply that 不能解决), 办理结果报告 (a 上级交办 case's result, reported up) and seed 002's
"2211" 信访流程办理单. Each printed where it fits and opened back with python-docx: no
placeholder left, no "None", dated by its event (a reprint on another day is the same
text); refused where it does not fit; filed in the case file where seed 000 八 puts it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import LIFE, REGISTER, advance, ledger_files, show
from docxtpl import DocxTemplate
from test_documents import text_of

from xinfang.core.papers.documents import DOCUMENTS
from xinfang.outputs.docx import REQUIRED

CASE = "2026-0001"
NAME = "张三"
NEW = ("延期告知书", "催办单", "反馈意见表", "办理结果报告", "信访流程办理单")
REASON = "涉及多部门，需联合调查。"
URGE_NOTE = "电话催问入户核查进度"


def paper(run, tmp_path: Path, title: str, case: str = CASE) -> str:
    target = tmp_path / f"{title}.docx"
    run("print", case, title, "-o", str(target), "--force")
    text = text_of(target)
    for left in ("{{", "{%", "}}", "None"):
        assert left not in text, (title, left)
    return text


def refused(run, tmp_path: Path, title: str, why: str, case: str = CASE) -> None:
    target = tmp_path / "refused.docx"
    out = run("print", case, title, "-o", str(target), expect=2)
    assert f"不能打印{title}：{why}" in out.stderr, out.stderr
    assert not target.exists()


def reprinted_the_same(run, tmp_path: Path, title: str, monkeypatch: pytest.MonkeyPatch) -> str:
    first = paper(run, tmp_path, title)
    monkeypatch.setenv("XINFANG_NOW", "2026-12-30 16:00")
    assert paper(run, tmp_path, title) == first, title
    monkeypatch.setenv("XINFANG_NOW", "2026-11-23 10:00")
    return first


def test_print_list_names_every_new_paper(run):
    titles = run("print", "--list").stdout.split()
    assert titles == [d.title for d in DOCUMENTS]
    assert all(title in titles for title in NEW)


def test_the_extension_notice_tells_the_new_date_and_why(run, registered, tmp_path, monkeypatch):
    refused(run, tmp_path, "延期告知书", "案件没有延长答复期限的记录")
    advance(run, CASE, "accept")  # accepted Tue 11-03: the reply due 11-17 (10 working days)
    refused(run, tmp_path, "延期告知书", "案件没有延长答复期限的记录")
    run("extend", CASE, "--reason", REASON, "--approved-by", "李主任", "--on", "2026-11-05")
    due = next(d for d in show(run)["deadlines"] if d["stage"] == "reply")["due_on"]
    assert due == "2026-12-15"  # 30 working days from 11-03: the 疑难复杂 maximum
    text = reprinted_the_same(run, tmp_path, "延期告知书", monkeypatch)
    assert "信访事项延期办理告知书" in text and f"{NAME}：" in text
    assert "我们已于2026年11月3日受理" in text
    assert "因涉及多部门，需联合调查，经李主任批准" in text and "。，" not in text
    assert "办理期限延长20个工作日" in text and "于2026年12月15日前办结并书面答复您" in text
    assert "二〇二六年十一月五日" in text  # the day of the extension, never the print day
    assert "二〇二六年十一月二十三日" not in text and "二〇二六年十二月三十日" not in text


def test_an_anonymous_case_is_told_nothing(run, tmp_path):
    run("register", "--anonymous", "--source", "本级", "--form", "来信",
        "--content", "某村低保评定不公", "--on", "2026-11-02")  # fmt: skip
    run("accept", CASE, "--on", "2026-11-03")
    run("extend", CASE, "--reason", REASON, "--days", "5", "--on", "2026-11-05")
    refused(run, tmp_path, "延期告知书", "匿名信访无需告知")


def test_the_urge_notice_goes_to_the_unit_dated_by_the_urge(run, registered, tmp_path, monkeypatch):
    advance(run, CASE, "assign")
    refused(run, tmp_path, "催办单", "案件没有催办记录")
    run("urge", CASE, "--note", URGE_NOTE, "--on", "2026-11-09")
    text = reprinted_the_same(run, tmp_path, "催办单", monkeypatch)
    assert "信访事项催办单" in text and "沙河镇：" in text
    assert "反映低保评定不公，家中两位老人无收入" in text
    assert "临民交〔2026〕1号" in text and "要求于2026年11月30日前办结" in text
    assert "2026年11月4日" in text  # assigned
    assert f"现就以下事项催办：{URGE_NOTE}。" in text
    assert "二〇二六年十一月九日" in text
    assert NAME not in text and "13812345678" not in text  # it leaves the office


def test_the_feedback_form_only_for_a_problem_that_cannot_be_solved(
    run, registered, tmp_path, monkeypatch
):
    advance(run, CASE, "unit-report")
    refused(run, tmp_path, "反馈意见表", "答复结果不是“不能解决”")
    run("reply", CASE, "--result", "不能解决", "--finding", "不属实",
        "--text", "家庭人均收入高于当地低保标准，依照《社会救助暂行办法》不符合条件",
        "--on", "2026-11-10")  # fmt: skip
    text = reprinted_the_same(run, tmp_path, "反馈意见表", monkeypatch)
    assert "信访投诉反馈意见表" in text and NAME in text and "13812345678" in text
    assert "办理结果：不能解决" in text and "是否属实：不属实" in text
    assert "不符合条件" in text and "信访人签名：" in text
    assert "2026年11月10日" in text and "2026年11月2日" in text  # replied, received


def test_an_answered_case_that_was_solved_gets_no_feedback_form(run, registered, tmp_path):
    advance(run, CASE, "reply")
    refused(run, tmp_path, "反馈意见表", "答复结果不是“不能解决”")


UPPER = ("--source", "上级交办", "--upper-ref", "ZY2026-0107")


def test_the_upper_report_for_a_case_handed_down(run, tmp_path, monkeypatch):
    run(*REGISTER[:5], *UPPER, *REGISTER[7:])
    refused(run, tmp_path, "办理结果报告", "案件尚未答复")
    advance(run, CASE, "reply")
    text = reprinted_the_same(run, tmp_path, "办理结果报告", monkeypatch)
    assert "上级交办信访事项办理结果报告" in text and "张掖市民政局：" in text
    assert "信访件编号：ZY2026-0107" in text and f"信访人{NAME}（1人）以来访方式" in text
    assert "我单位于2026年11月3日受理，2026年11月4日交沙河镇调查处理。" in text
    assert "调查情况：经入户核查属实，已重新评定" in text
    assert "信访人反映的问题属实。处理结果：已解决。已纳入低保并补发" in text
    assert "已于2026年11月10日将处理意见书面答复信访人" in text
    assert "二〇二六年十一月十日" in text  # dated by the reply


def test_the_upper_report_is_not_for_the_offices_own_cases(run, registered, tmp_path):
    advance(run, CASE, "reply")
    refused(run, tmp_path, "办理结果报告", "不是上级交办的案件")


def ticked(text: str, word: str) -> bool:
    return f"{word}☑" in text


def test_the_2211_sheet_fills_along_the_case(run, tmp_path, monkeypatch):
    run(*REGISTER[:5], *UPPER, *REGISTER[7:], "--id-number", "11010519491231002X")
    text = paper(run, tmp_path, "信访流程办理单")
    assert "“2211”信访流程办理单" in text and "单号：2026-0001" in text
    assert "上级☑（信访件编号：ZY2026-0107）" in text and "本级□" in text
    assert ticked(text, "来访") and not ticked(text, "来信")
    assert "签收日期：2026年11月2日" in text and "签收人：王芳" in text
    assert "周会商\n是□　否☑" in text and "督查督办\n是□　否☑" in text  # neither yet
    advance(run, CASE, "assign")
    run("extend", CASE, "--reason", REASON, "--on", "2026-11-05")  # 疑难复杂
    run("supervise", CASE, "--due", "2026-11-20", "--reason", "上级交办", "--on", "2026-11-06")
    advance(run, CASE, "revisit")
    text = reprinted_the_same(run, tmp_path, "信访流程办理单", monkeypatch)
    assert "周会商\n是☑　否□" in text  # 疑难复杂
    assert "督查督办\n是☑　否□" in text  # 督办
    assert ticked(text, "满意") and not ticked(text, "不满意") and not ticked(text, "基本满意")
    assert ticked(text, "电话回访")
    assert "办理结果：已解决" in text and "答复日期：2026年11月10日" in text
    assert "2026年11月11日" in text  # revisited


def test_the_case_file_holds_the_new_papers_where_seed_000_puts_them(run, registered, db_path):
    advance(run, CASE, "assign")
    run("extend", CASE, "--reason", REASON, "--days", "3", "--on", "2026-11-05")
    run("urge", CASE, "--note", URGE_NOTE, "--on", "2026-11-09")
    for action, *options in LIFE[2:4]:
        run(action, CASE, *options)
    run("reply", CASE, "--result", "不能解决", "--finding", "不属实", "--text", "不符合条件",
        "--on", "2026-11-10")  # fmt: skip
    for action, *options in LIFE[5:]:
        run(action, CASE, *options)
    archive = ledger_files(db_path) / "archive"
    folder = next(path for path in archive.glob("2026-0001*") if path.is_dir())
    names = sorted(path.stem for path in folder.iterdir())
    section = {name.split(" ", 1)[1]: name.split("-", 1)[0] for name in names if " " in name}
    assert section["延期告知书"] == section["催办单"] == section["交办单"] == "4"
    assert section["反馈意见表"] == section["处理意见答复书"] == "5"
    assert "信访流程办理单" not in section and "办理结果报告" not in section
    run("doctor")


TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@pytest.mark.parametrize("title", NEW)
def test_each_new_template_is_built_by_the_script_and_documented(title, tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(TEMPLATES))
    import build_templates

    build_templates.save_reproducibly(build_templates.build(title), tmp_path / "t.docx")
    assert (tmp_path / "t.docx").read_bytes() == (TEMPLATES / f"{title}.docx").read_bytes()
    used = DocxTemplate(TEMPLATES / f"{title}.docx").get_undeclared_template_variables()
    readme = (TEMPLATES / "README.md").read_text(encoding="utf-8").splitlines()
    [row] = [line for line in readme if line.startswith(f"| {title} | office")]
    assert set(row.split("|")[2].split()) == used
    assert REQUIRED.get(title, set()) <= used
    [listed] = [line for line in readme if line.startswith(f"| {title}.docx |")]
    assert listed
