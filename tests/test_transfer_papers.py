"""转送: the notice to the petitioner (转送告知书) and the letter to the receiving body
(转送函), printed and opened back with python-docx; and `print` telling the clerk when a
date on the paper is counted over a year whose holidays are not known yet."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REGISTER, ledger_files
from docxtpl import DocxTemplate
from test_documents import printed, text_of

from xinfang.core.papers.documents import DOCUMENTS
from xinfang.outputs.docx import REQUIRED

CASE = "2026-0001"
NAME, PHONE, ID_NUMBER = "张三", "13812345678", "11010519491231002X"
ADDRESS = "临泽县沙河镇西寨村5社"
BODY = "县人力资源和社会保障局"
TRANSFER = (
    "transfer",
    CASE,
    "--to",
    BODY,
    "--reason",
    "属劳动保障监察事项。",
    "--on",
    "2026-11-03",
)


@pytest.fixture
def transferred(run):
    run(*REGISTER[:9], "--content", "工地拖欠农民工工资三个月", *REGISTER[11:],
        "--id-number", ID_NUMBER, "--address", ADDRESS)  # fmt: skip
    run(*TRANSFER)
    return CASE


def test_print_list_has_both_transfer_papers(run):
    titles = run("print", "--list").stdout.split()
    assert titles == [d.title for d in DOCUMENTS]
    assert "转送告知书" in titles and "转送函" in titles


def test_the_transfer_notice_tells_the_petitioner_where_the_matter_went(run, transferred, tmp_path):
    text = printed(run, tmp_path, "转送告知书")
    assert "信访事项转送告知书" in text and "临民信〔2026〕1号" in text
    assert f"{NAME}：" in text
    assert "工地拖欠农民工工资三个月" in text and "2026年11月2日" in text  # the matter, received
    assert f"于2026年11月3日将该事项转送{BODY}" in text
    assert "属劳动保障监察事项，" in text and "。，" not in text  # the reason, as one clause
    assert "临泽县民政局（盖章）" in text
    assert "二〇二六年十一月三日" in text  # dated by the transfer, whenever printed
    for secret in (PHONE, ID_NUMBER, ADDRESS):
        assert secret not in text


def test_the_transfer_letter_carries_the_matter_not_the_petitioners_numbers(
    run, transferred, tmp_path
):
    text = printed(run, tmp_path, "转送函")
    assert "信访事项转送函" in text and "临民信〔2026〕1号" in text
    assert f"{BODY}：" in text
    assert NAME in text and "工地拖欠农民工工资三个月" in text and "来访" in text
    assert "2026年11月2日" in text and "二〇二六年十一月三日" in text
    assert "15日内书面告知信访人" in text and "5个工作日内提出异议" in text  # 条例 art. 23
    assert "保密" in text
    for secret in (PHONE, ID_NUMBER, ADDRESS):
        assert secret not in text, secret


def test_the_transfer_papers_fit_only_a_transferred_case(run, db_path, tmp_path):
    run(*REGISTER)
    for title in ("转送告知书", "转送函"):
        out = run("print", CASE, title, "-o", str(tmp_path / "x.docx"), expect=2)
        assert f"不能打印{title}：案件未转送" in out.stderr
    run("accept", CASE, "--on", "2026-11-03")
    assert "案件未转送" in run("print", CASE, "转送函", expect=2).stderr
    assert not (tmp_path / "x.docx").exists()


def test_an_anonymous_case_gets_the_letter_but_no_notice(run, tmp_path):
    run("register", "--anonymous", "--source", "本级", "--form", "来信",
        "--content", "某工地拖欠工资", "--on", "2026-11-02")  # fmt: skip
    run(*TRANSFER)
    out = run("print", CASE, "转送告知书", "-o", str(tmp_path / "x.docx"), expect=2)
    assert "匿名信访无需告知" in out.stderr
    assert "匿名" in printed(run, tmp_path, "转送函")


def test_the_archived_transfer_files_both_papers(run, transferred, db_path):
    run("notify", CASE, "--on", "2026-11-04")
    out = run("archive", CASE, "--retention", "10年", "--on", "2026-11-05")
    assert "卷内共 3 页" in out.stdout  # 登记表, 转送告知书, 转送函
    folder = next(p for p in (ledger_files(db_path) / "archive").glob("2026-0001*") if p.is_dir())
    names = sorted(path.name for path in folder.iterdir())
    assert any("转送告知书" in name for name in names) and any("转送函" in name for name in names)
    letter = next(path for path in folder.iterdir() if "转送函" in path.name)
    assert BODY in text_of(letter)


# --- provisional dates on the paper ------------------------------------------------------


def test_print_says_when_the_promised_date_is_counted_on_weekends_only(run, tmp_path):
    """2022 rules: accepted Tue 11-03, 60 days end Sat 2027-01-02, moved to Mon 01-04; the
    holidays of 2027 are not known, so the date on the 受理告知书 is an estimate."""
    run("config", "rules", "use", "2022")
    run(*REGISTER)
    run("accept", CASE, "--on", "2026-11-03", "--notified-on", "2026-11-03")
    target = tmp_path / "notice.docx"
    out = run("print", CASE, "受理告知书", "-o", str(target))
    assert "2027年1月4日" in text_of(target)
    assert "答复期限 2027-01-04" in out.stdout and "按周末估算" in out.stdout
    assert "2027年节假日未公布" in out.stdout


def test_print_says_when_the_due_date_falls_in_an_unknown_year(run, tmp_path):
    run(*REGISTER)
    run("accept", CASE, "--on", "2026-11-03", "--notified-on", "2026-11-03")
    run("assign", CASE, "--to", "沙河镇", "--due", "2027-01-08", "--on", "2026-11-04")
    out = run("print", CASE, "交办单", "-o", str(tmp_path / "order.docx"))
    assert "交办办结期限 2027-01-08" in out.stdout and "2027年节假日未公布" in out.stdout


def test_print_says_nothing_of_a_date_in_a_known_year(run, tmp_path):
    run(*REGISTER)
    run("accept", CASE, "--on", "2026-11-03", "--notified-on", "2026-11-03")
    out = run("print", CASE, "受理告知书", "-o", str(tmp_path / "notice.docx"))
    assert out.stdout.strip() == f"已生成：{tmp_path / 'notice.docx'}"


# --- the templates: built by the script, documented in the README ------------------------

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@pytest.mark.parametrize("title", ["转送告知书", "转送函"])
def test_the_shipped_template_is_what_the_build_script_writes(title, tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(TEMPLATES))
    import build_templates

    build_templates.save_reproducibly(build_templates.build(title), tmp_path / "t.docx")
    assert (tmp_path / "t.docx").read_bytes() == (TEMPLATES / f"{title}.docx").read_bytes()


@pytest.mark.parametrize("title", ["转送告知书", "转送函"])
def test_the_readme_lists_the_placeholders_the_template_uses(title):
    used = DocxTemplate(TEMPLATES / f"{title}.docx").get_undeclared_template_variables()
    readme = (TEMPLATES / "README.md").read_text(encoding="utf-8").splitlines()
    [row] = [line for line in readme if line.startswith(f"| {title} | office")]
    assert set(row.split("|")[2].split()) == used
    assert REQUIRED[title] <= used | ({"content"} if "matter" in used else set())
