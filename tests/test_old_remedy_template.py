"""An office's 不予受理告知书 written for the old wording, "程序向{{ reject_channel }}提出。",
reads right too (issue 17): the renderer drops the template's own 向 and 提出 around the
clause, so every example `reject --help` gives prints one 向 and one verb."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from test_document_truth import _help_channels
from test_documents import text_of

from xinfang.outputs.docx import shipped_templates

TITLE = "不予受理告知书"


def _old_template(folder: Path, *, split: bool) -> None:
    """The shipped template with the old wording; `split`: 向 in a run of its own, as Word
    often saves an edited sentence."""
    document = Document(str(shipped_templates() / f"{TITLE}.docx"))
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if "{{ reject_channel }}" in run.text:
                if split:
                    head, tail = run.text.split("{{ reject_channel }}")
                    run._element.addprevious(_run_like(run, f"{head}向"))
                    run.text = "{{ reject_channel }}提出" + tail
                else:
                    run.text = run.text.replace(
                        "{{ reject_channel }}", "向{{ reject_channel }}提出"
                    )
    folder.mkdir()
    document.save(str(folder / f"{TITLE}.docx"))


def _run_like(run, text: str):  # type: ignore[no-untyped-def]
    import copy

    element = copy.deepcopy(run._element)
    for node in element.iter():
        if node.tag.endswith("}t"):
            node.text = text
    return element


@pytest.mark.parametrize("split", [False, True])
def test_an_old_template_reads_right_with_every_help_example(run, tmp_path, split):
    _old_template(tmp_path / "own", split=split)
    run("config", "templates", str(tmp_path / "own"))
    channels = [*_help_channels(run), "县信访局", "向县人民法院提起诉讼"]
    for n, channel in enumerate(channels, start=1):
        case = f"2026-{n:04d}"
        run("register", "--name", "王五", "--source", "本级", "--form", "来信",
            "--content", "工资被拖欠", "--on", "2026-11-02")  # fmt: skip
        run("reject", case, "--reason", "属劳动争议", "--channel", channel, "--on", "2026-11-03")
        target = tmp_path / f"{n}.docx"
        run("print", case, TITLE, "-o", str(target))
        sentence = next(line for line in text_of(target).splitlines() if "程序" in line)
        assert "向向" not in sentence and "提出提出" not in sentence, sentence
        assert not re.search(r"(诉讼|申请仲裁)提出", sentence), sentence
        assert re.fullmatch(r"请依照有关法律、行政法规规定的程序向[^向]+。", sentence), sentence
