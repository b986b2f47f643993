"""The documents the clerk prints, opened back with python-docx."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import REGISTER, advance, ledger_files
from docx import Document

from xinfang.core.papers.documents import DOCUMENTS

CASE = "2026-0001"
NAME, PHONE = "张三", "13812345678"
TRICKY = "低保金 < 100 元 & 200 元 <b>不公</b> “照顾关系户”"


def text_of(path: Path) -> str:
    """Every paragraph of a .docx, in the body and in its tables."""
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def printed(run, tmp_path: Path, document: str, case: str = CASE) -> str:
    target = tmp_path / f"{document}.docx"
    run("print", case, document, "-o", str(target), "--force")
    text = text_of(target)
    assert "{{" not in text and "{%" not in text, document
    return text


@pytest.fixture
def case(run):
    run(*REGISTER[:9], "--content", TRICKY, *REGISTER[11:], "--address", "临泽县沙河镇西寨村5社",
        "--id-number", "11010519491231002X")  # fmt: skip
    return CASE


def test_the_list_of_documents(run):
    assert run("print", "--list").stdout.split() == [d.title for d in DOCUMENTS]
    assert len(DOCUMENTS) == 22


def test_each_document_at_its_stage_carries_the_case(run, case, tmp_path):
    registration = printed(run, tmp_path, "受理登记表")
    assert all(word in registration for word in (NAME, PHONE, TRICKY, "2026年11月2日"))
    advance(run, CASE, "accept")
    notice = printed(run, tmp_path, "受理告知书")
    # Accepted Tue 11-03: 10 working days end Tue 11-17, the date the notice promises.
    assert all(word in notice for word in (NAME, TRICKY, "2026年11月17日", "临泽县民政局"))
    advance(run, CASE, "assign")
    order = printed(run, tmp_path, "交办单")
    assert all(word in order for word in ("沙河镇", TRICKY, "2026年11月30日"))
    assert "1" in order and "2026" in order
    advance(run, CASE, "reply")
    letter = printed(run, tmp_path, "处理意见答复书")
    assert all(
        word in letter for word in (NAME, "已纳入低保并补发", "临泽县人民政府", "张掖市民政局")
    )
    survey = printed(run, tmp_path, "回访及满意度调查表")
    assert PHONE in survey and "已纳入低保并补发" in survey
    advance(run, CASE, "publicize")
    closing = printed(run, tmp_path, "结案审批表")
    assert all(word in closing for word in (NAME, "已纳入低保并补发", "县政府门户网站"))
    advance(run, CASE, "close")
    cover = printed(run, tmp_path, "案卷封面")
    assert "2026年11月13日" in cover


def test_a_document_that_does_not_fit_is_refused(run, case, tmp_path):
    out = run("print", CASE, "受理告知书", "-o", str(tmp_path / "x.docx"), expect=2)
    assert "不能打印受理告知书：案件未受理" in out.stderr
    assert not (tmp_path / "x.docx").exists()
    assert "没有“告知单”这种文书" in run("print", CASE, "告知单", expect=2).stderr


def test_petitioners_text_comes_out_whole_and_fonts_are_east_asian(run, case, tmp_path):
    advance(run, CASE, "accept")
    target = tmp_path / "notice.docx"
    run("print", CASE, "受理告知书", "-o", str(target))
    assert TRICKY in text_of(target)
    xml = zipfile.ZipFile(target).read("word/document.xml").decode("utf-8")
    assert 'w:eastAsia="仿宋"' in xml or 'w:eastAsia="宋体"' in xml


def _office_templates(run, tmp_path: Path, title: str, old: str, new: str) -> Path:
    folder = tmp_path / "mine"
    run("templates", "export", str(folder))
    path = folder / f"{title}.docx"
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    assert old in xml, f"{old} not in the shipped {title}"
    parts["word/document.xml"] = xml.replace(old, new).encode("utf-8")
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    run("config", "templates", str(folder))
    return folder


def test_the_offices_own_template_wins(run, case, tmp_path):
    _office_templates(run, tmp_path, "受理登记表", "受理登记表", "受理登记表（沙河镇）")
    assert "受理登记表（沙河镇）" in printed(run, tmp_path, "受理登记表")


def test_a_misspelt_placeholder_is_named(run, case, tmp_path):
    _office_templates(run, tmp_path, "受理登记表", "{{ name }}", "{{ nmae }}")
    out = run("print", CASE, "受理登记表", "-o", str(tmp_path / "x.docx"), expect=2)
    assert "{{ nmae }}" in out.stderr and "无法识别" in out.stderr
    assert not (tmp_path / "x.docx").exists()


def test_a_missing_placeholder_is_named(run, case, tmp_path):
    advance(run, CASE, "accept")
    _office_templates(run, tmp_path, "受理告知书", "{{ reply_due_cn }}", "（日期）")
    out = run("print", CASE, "受理告知书", "-o", str(tmp_path / "x.docx"), expect=2)
    assert "缺少必需的占位符 {{ reply_due_cn }}" in out.stderr


def test_archive_builds_the_case_file_in_catalogue_order(run, case, tmp_path, db_path):
    scan = tmp_path / "来信扫描.pdf"
    scan.write_bytes(
        b"%PDF-1.4\n1 0 obj <</Type /Pages /Count 2>>\n2 0 obj <</Type /Page>>\n3 0 obj <</Type /Page>>\n"
    )
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff fake jpeg")
    run("attach", CASE, str(scan), "--kind", "来源材料", "--title", "信访人来信")
    run("attach", CASE, str(photo), "--kind", "调查材料", "--title", "现场照片")
    advance(run, CASE, "close")
    out = run("archive", CASE, "--retention", "10年", "--on", "2026-11-16")
    # 登记表 1, 来信 2 (a two-page PDF), 告知书 1, 交办单 and photo 2, 答复书 1, 审批表 1, 回访表 1.
    assert "卷内共 9 页" in out.stdout
    archive = ledger_files(db_path) / "archive"
    folder = next(path for path in archive.glob("2026-0001*") if path.is_dir())
    names = sorted(path.name for path in folder.iterdir())
    assert [name.split(" ", 1)[1] for name in names] == [
        "案卷封面.docx", "案卷目录.docx", "受理登记表.docx", "信访人来信.pdf", "受理告知书.docx",
        "交办单.docx", "现场照片.jpg", "处理意见答复书.docx", "结案审批表.docx", "回访及满意度调查表.docx",
    ]  # fmt: skip
    catalogue = text_of(folder / names[1])
    for pages in ("2-3", "5-6", "8", "9"):
        assert pages in catalogue
    assert "9" in text_of(folder / names[0])
    bundle = zipfile.ZipFile(f"{folder}.zip")
    assert sorted(Path(n).name for n in bundle.namelist()) == names
    ok = run("verify", CASE)
    assert ok.stdout.count("[完好]") == 12  # two attachments and ten archived files
    (folder / names[3]).write_bytes(b"changed")
    changed = run("verify", CASE, expect=1)
    assert "[已改动]" in changed.stdout and names[3] in changed.stdout
    shutil.rmtree(folder)
    assert run("verify", CASE, expect=1).stdout.count("[缺失]") == 10


def test_archive_is_refused_until_the_case_is_closed(run, case, db_path):
    advance(run, CASE, "publicize")
    out = run("archive", CASE, "--retention", "10年", expect=2)
    assert "不能归档" in out.stderr
    assert not (ledger_files(db_path) / "archive").exists() or not any(
        (ledger_files(db_path) / "archive").iterdir()
    )


def test_attach_refusals(run, case, tmp_path):
    assert "不存在" in run("attach", CASE, str(tmp_path / "none.pdf"), expect=2).stderr
    (tmp_path / "a.txt").write_text("x")
    assert (
        "材料类别"
        in run("attach", CASE, str(tmp_path / "a.txt"), "--kind", "杂项", expect=2).stderr
    )


def test_lending_an_archived_file(run, case, monkeypatch):
    assert "不能借阅" in run("lend", CASE, "--to", "王五", "--unit", "县纪委", "--approved-by", "李主任",
                              "--due", "2026-11-30", expect=2).stderr  # fmt: skip
    advance(run, CASE, "close")
    run("archive", CASE, "--retention", "10年", "--on", "2026-11-16")
    run("lend", CASE, "--to", "王五", "--unit", "县纪委", "--approved-by", "李主任",
        "--due", "2026-11-20", "--on", "2026-11-17")  # fmt: skip
    again = run("lend", CASE, "--to", "赵六", "--unit", "县法院", "--approved-by", "李主任",
                "--due", "2026-11-30", expect=2)  # fmt: skip
    assert "已借出尚未归还" in again.stderr
    register = run("loans").stdout
    assert "王五（县纪委）" in register and "【逾期未还】" in register
    report = run("overdue", "--json", expect=1).stdout
    assert "案卷借阅归还" in report
    run("return", CASE, "--on", "2026-11-23")
    assert "已于 2026-11-23 归还" in run("loans").stdout
    assert "没有借出" in run("return", CASE, expect=2).stderr


def test_the_public_notice_names_nobody(run, monkeypatch):
    content = f"我叫{NAME}，住临泽县沙河镇西寨村5社，电话{PHONE}，身份证11010519491231002X，西寨村5社低保不公"
    run("register", "--name", NAME, "--phone", PHONE, "--id-number", "11010519491231002X",
        "--address", "临泽县沙河镇西寨村5社", "--source", "本级", "--form", "来访",
        "--content", content, "--on", "2026-11-02")  # fmt: skip
    run("accept", CASE, "--on", "2026-11-03", "--notified-on", "2026-11-03")
    run("reply", CASE, "--result", "已解决", "--finding", "属实",
        "--text", f"经核实，{NAME}（电话 138-1234-5678）家庭符合条件，已纳入低保", "--on", "2026-11-10")  # fmt: skip
    run("revisit", CASE, "--method", "电话回访", "--satisfaction", "满意", "--on", "2026-11-11")
    out = run("publicize", CASE, "--on", "2026-11-12").stdout
    for secret in (NAME, PHONE, "138-1234-5678", "11010519491231002X", "西寨村", "5社"):
        assert secret not in out, secret
    assert "低保不公" in out and "已纳入低保" in out and "满意" in out


def test_the_other_documents_at_their_stages(run, tmp_path):
    run("register", "--name", "李四", "--source", "本级", "--form", "来信", "--content", "劳动报酬被拖欠",
        "--on", "2026-11-02")  # fmt: skip
    run("reject", "2026-0001", "--reason", "属劳动争议。", "--channel", "县劳动人事争议仲裁委员会",
        "--on", "2026-11-03")  # fmt: skip
    refusal = printed(run, tmp_path, "不予受理告知书", "2026-0001")
    assert (
        "属劳动争议，" in refusal
        and "。，" not in refusal
        and "县劳动人事争议仲裁委员会" in refusal
    )
    run("register", "--name", "王五", "--phone", PHONE, "--source", "领导接访", "--form", "来访",
        "--content", "敬老院冬季供暖不足", "--receiver", "刘局长", "--on", "2026-11-02")  # fmt: skip
    second = "2026-0002"
    run("accept", second, "--on", "2026-11-03", "--notified-on", "2026-11-03")
    run("assign", second, "--to", "沙河镇", "--due", "2026-11-20", "--on", "2026-11-04")
    order = printed(run, tmp_path, "接访交办通知单", second)
    assert all(word in order for word in ("王五", "敬老院冬季供暖不足", "沙河镇"))
    assert "刘局长" not in order  # no plan day: 接访领导 left for the pen, not the 接访人
    run("unit-accept", second, "--on", "2026-11-04")
    run("unit-report", second, "--text", "锅炉老化", "--on", "2026-11-05")
    run("reply", second, "--result", "正在解决", "--finding", "属实", "--text", "已更换锅炉",
        "--on", "2026-11-06")  # fmt: skip
    result = printed(run, tmp_path, "办理结果回复单", second)
    assert "已更换锅炉" in result and "正在解决" in result
    run("revisit", second, "--method", "电话回访", "--satisfaction", "不满意", "--opinion", "仍然很冷",
        "--on", "2026-11-07")  # fmt: skip
    run("reply", second, "--result", "已解决", "--finding", "属实", "--text", "已加装暖气片",
        "--on", "2026-11-10")  # fmt: skip
    check = printed(run, tmp_path, "不满意核实件", second)
    assert all(word in check for word in ("仍然很冷", "已更换锅炉", "已加装暖气片"))


def test_verify_notices_a_changed_attachment(run, case, tmp_path, db_path):
    letter = tmp_path / "来信.txt"
    letter.write_text("原件", encoding="utf-8")
    run("attach", CASE, str(letter), "--kind", "来源材料")
    assert run("verify", CASE).stdout.strip().startswith("[完好]")
    stored = next((ledger_files(db_path) / "attachments" / CASE).iterdir())
    stored.write_text("改过", encoding="utf-8")
    assert run("verify", CASE, expect=1).stdout.startswith("[已改动]")
