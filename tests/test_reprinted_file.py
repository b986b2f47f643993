"""What an inspector read on the PDFs of a two-round archived case (issue 17): the
second round's 答复书 cites its own 核实, not the first round's investigation; a 案卷封面
reprinted after archiving still says how many pages the file holds; and the demo's
replies do not repeat the sentence the 答复书 itself writes."""

from __future__ import annotations

import re

from conftest import REGISTER
from test_archive_rounds import CASE, LIFE, _folder
from test_documents import text_of

REEXAMINE = (
    "reexamine",
    "--examiner",
    "王科长",
    "--findings",
    "再次入户核查",
    "--on",
    "2026-11-14",
)


def _live(run) -> None:
    run(*REGISTER)
    for action, *options in LIFE:
        if action == "reply" and options[options.index("--on") + 1] == "2026-11-16":
            run(REEXAMINE[0], CASE, *REEXAMINE[1:])
        run(action, CASE, *options)


def test_the_second_reply_cites_its_own_reexamination(run, db_path, tmp_path):
    _live(run)
    folder = _folder(db_path)
    first, second = (text_of(path) for path in sorted(folder.glob("*处理意见答复书*.docx")))
    assert "11月9日" in first  # the unit's report
    assert "11月14日" in second and "11月9日" not in second


def test_a_cover_reprinted_after_archiving_counts_the_pages(run, db_path, tmp_path):
    _live(run)
    folder = _folder(db_path)
    (filed,) = folder.glob("*案卷封面*.docx")
    counted = re.search(r"卷内共 (\d+) 页", text_of(filed))
    assert counted, text_of(filed)
    out = tmp_path / "封面.docx"
    run("print", CASE, "案卷封面", "-o", str(out))
    assert f"卷内共 {counted.group(1)} 页" in text_of(out)


def test_demo_replies_do_not_repeat_the_letters_own_sentence(run, db_path, tmp_path):
    run("demo", "--db", str(db_path))
    printed = 0
    for number in range(1, 40):
        target = tmp_path / f"{number}.docx"
        result = run(
            "print", f"2026-{number:04d}", "处理意见答复书", "-o", str(target), expect=None
        )
        if result.exit_code == 0:
            printed += 1
            assert text_of(target).count("经调查") == 1, text_of(target)
    assert printed >= 5
