"""归档 of a case joined into another (并案): its own folder joins the 一案一卷 files once
the main case is closed, saying which case it was handled in and that its reply, revisit
and closing are that case's; before, a clear refusal naming the main case."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from conftest import REGISTER, advance, dump, ledger_files, show
from openpyxl import load_workbook
from test_documents import text_of

CASE, OTHER = "2026-0001", "2026-0002"
ARCHIVE = ("--retention", "10年", "--on", "2026-11-16")


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def joined(run):
    """2026-0001 (李四's) assigned; 2026-0002 (张三's, same matter) accepted and joined into it."""
    main = [*REGISTER[:-2], "--on", "2026-11-02 09:30"]
    main[main.index("--name") + 1] = "李四"
    main[main.index("--phone") + 1] = "13987654321"
    run(*main)
    run(*REGISTER[:-2], "--on", "2026-11-02 09:31")
    advance(run, CASE, "assign")
    advance(run, OTHER, "accept")
    run("join", OTHER, "--into", CASE, "--reason", "同一事项", "--on", "2026-11-04")


def archive_folder(db_path: Path, case_no: str) -> list[Path]:
    return list((ledger_files(db_path) / "archive").glob(f"{case_no}*"))


def doctor_clean(run) -> None:
    findings = json.loads(run("doctor", "--json").stdout)
    assert [f for f in findings if f["level"] == "问题"] == []


@pytest.mark.parametrize("main_at", ["assign", "reply", "publicize"])
def test_a_joined_case_is_not_archived_before_its_main_case_is_closed(
    run, db_path, joined, main_at
):
    advance(run, CASE, main_at)
    label = show(run, CASE)["status_label"]
    before = dump(db_path)
    out = run("archive", OTHER, *ARCHIVE, expect=2)
    assert dump(db_path) == before and archive_folder(db_path, OTHER) == []
    assert out.stderr == (
        f"错误：案件 2026-0002 已并入主案 2026-0001 办理，主案当前状态为「{label}」，"
        "尚未办结，本案还不能归档；请先办结主案（xinfang show 2026-0001 查看其下一步），"
        "主案办结后再归档本案（xinfang archive 2026-0002）。\n"
    )


def test_a_joined_case_is_archived_once_its_main_case_is_closed(
    run, db_path, tmp_path, joined, open_umask
):
    advance(run, CASE, "close")
    out = run("archive", OTHER, *ARCHIVE)
    assert "已归档：2026-0002" in out.stdout
    [folder] = [p for p in archive_folder(db_path, OTHER) if p.is_dir()]
    names = sorted(path.name for path in folder.iterdir())
    assert [name.split(" ", 1)[1] for name in names] == [
        "案卷封面.docx", "案卷目录.docx", "受理登记表.docx", "受理告知书.docx", "并案说明.docx",
    ]  # fmt: skip
    note = text_of(folder / names[-1])
    assert "本案（2026-0002）于2026年11月4日并入2026-0001号信访事项办理" in note
    assert "并案理由：同一事项" in note
    assert "答复、回访、办结随主案" in note
    for said in (
        "2026年11月10日答复（已解决）",
        "2026年11月11日回访（满意）",
        "2026年11月13日办结",
    ):
        assert said in note, said
    cover = text_of(folder / names[0])
    assert "2026年11月13日（随主案 2026-0001 办结）" in cover
    catalogue = text_of(folder / names[1])
    assert "卷内共 3 页" in catalogue  # 登记表, 告知书, 并案说明
    # The main case's petitioner is another person: nothing of theirs in this file.
    texts = [text_of(path) for path in folder.iterdir()]
    assert not any("李四" in text or "13987654321" in text for text in texts)
    with zipfile.ZipFile(f"{folder}.zip") as bundle:
        assert sorted(Path(name).name for name in bundle.namelist()) == names
    # Private, whatever the umask.
    tree = [folder.parent, folder, *folder.iterdir(), Path(f"{folder}.zip")]
    assert [
        (p.name, oct(mode(p))) for p in tree if mode(p) != (0o700 if p.is_dir() else 0o600)
    ] == []

    case = show(run, OTHER)
    assert (case["status"], case["archived_on"], case["retention"]) == (
        "archived", "2026-11-16", "10年",
    )  # fmt: skip
    assert case["joined_into"]["case_no"] == CASE  # still the main case's after 归档
    assert show(run, CASE)["joined"] == [OTHER]
    assert run("verify", OTHER).stdout.count("[完好]") == 5
    doctor_clean(run)

    target = tmp_path / "办理.xlsx"
    run("report", "handle", "--month", "2026-11", "-o", str(target), "--force")
    rows = [r for r in load_workbook(target).active.iter_rows(min_row=5, values_only=True) if r[0]]
    assert [row[6].split("；")[0] for row in rows] == ["交沙河镇办理", "并入 2026-0001 办理"]


def test_a_joined_case_is_archived_after_its_archived_main_case(run, db_path, joined):
    advance(run, CASE, "close")
    out = run("archive", CASE, *ARCHIVE)
    assert (
        "并入本案的 2026-0002 可随之归档：xinfang archive 2026-0002 --retention 10年" in out.stdout
    )
    out = run("archive", OTHER, "--retention", "永久", "--on", "2026-11-17")
    assert "已归档：2026-0002" in out.stdout
    [folder] = [p for p in archive_folder(db_path, OTHER) if p.is_dir()]
    note = text_of(next(folder.glob("*并案说明.docx")))
    assert "主案已于2026年11月16日归档（主案卷 2026-0001）" in note
    assert show(run, OTHER)["status"] == "archived"
    again = run("archive", OTHER, *ARCHIVE, expect=2)
    assert "已归档" in again.stderr
    doctor_clean(run)
