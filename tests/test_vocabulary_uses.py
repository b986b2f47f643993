"""The domain words and thresholds as the clerk meets them: every value of the office's
lists ticks its box on the printed forms, and the 集体访 threshold means the same in
every place that reads it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from xinfang.core.vocabulary import COLLECTIVE, DISSATISFIED
from xinfang.store.db import connect


def office_list(db_path: Path, name: str) -> list[str]:
    conn = connect(db_path)
    try:
        rows = conn.execute("SELECT value FROM choices WHERE list = ? ORDER BY position", (name,))
        return [value for (value,) in rows]
    finally:
        conn.close()


def register(
    run,
    *extra: str,
    form: str = "来访",
    persons: int = 1,
    name: str = "张三",
    content: str = "反映低保评定不公",
) -> str:
    out = run("register", "--name", name, "--source", "本级", "--form", form,
              "--content", content, "--category", "最低生活保障", "--receiver", "王芳",
              "--persons", str(persons), "--on", "2026-11-02 09:30", *extra)  # fmt: skip
    return out.stdout.split("：")[1].split("（")[0]


def boxes_in_row(path: Path, label: str) -> dict[str, str]:
    """The boxes of a form's row, read back with python-docx: {value: ☑ or □}."""
    for table in Document(str(path)).tables:
        for row in table.rows:
            cells = [cell.text for cell in row.cells]
            if cells[0] == label:
                text = cells[1]
                pairs = re.findall(r"([^\s□☑　]+)\s*([□☑])", text)
                assert "".join(f"{v}{b}" for v, b in pairs) == re.sub(r"[\s　]", "", text), text
                return dict(pairs)
    raise AssertionError(f"no row {label} in {path.name}")


def printed(run, tmp_path: Path, case: str, title: str) -> Path:
    target = tmp_path / f"{case}-{title}.docx"
    run("print", case, title, "-o", str(target))
    return target


def test_the_revisit_form_ticks_every_method_and_satisfaction_of_the_office(run, db_path, tmp_path):
    run("config", "add", "回访方式", "上门走访")  # the office's own word: a box of its own
    run("config", "add", "满意度", "比较满意")
    methods = office_list(db_path, "revisit_method")
    scale = [word for word in office_list(db_path, "satisfaction") if word != DISSATISFIED]
    assert {"当面", "上门走访"} <= set(methods) and {"基本满意", "比较满意"} <= set(scale)
    for n in range(max(len(methods), len(scale))):
        method, satisfaction = methods[n % len(methods)], scale[n % len(scale)]
        case = register(run)
        run("accept", case, "--on", "2026-11-03", "--notified-on", "2026-11-03")
        run("reply", case, "--result", "已解决", "--finding", "属实", "--text", "已纳入低保",
            "--on", "2026-11-10")  # fmt: skip
        run("revisit", case, "--method", method, "--satisfaction", satisfaction,
            "--on", "2026-11-11")  # fmt: skip
        form = printed(run, tmp_path, case, "回访及满意度调查表")
        assert boxes_in_row(form, "回访方式") == {m: "☑" if m == method else "□" for m in methods}
        assert boxes_in_row(form, "满意度") == {
            s: "☑" if s == satisfaction else "□" for s in office_list(db_path, "satisfaction")
        }


def test_the_registration_form_ticks_every_form_of_the_office(run, db_path, tmp_path):
    run("config", "add", "信访形式", "微信留言")
    forms = office_list(db_path, "form")
    for form in forms:
        case = register(run, form=form)
        printed_form = printed(run, tmp_path, case, "受理登记表")
        assert boxes_in_row(printed_form, "信访形式") == {
            f: "☑" if f == form else "□" for f in forms
        }


def test_a_value_since_removed_from_the_list_is_still_ticked(run, db_path, tmp_path):
    case = register(run, form="信访代办")
    run("config", "remove", "信访形式", "信访代办")
    boxes = boxes_in_row(printed(run, tmp_path, case, "受理登记表"), "信访形式")
    assert boxes["信访代办"] == "☑" and list(boxes.values()).count("☑") == 1


def test_collective_means_the_same_everywhere(run, tmp_path, monkeypatch):
    """One case just at the 集体访 threshold, one just below: show, the monthly table,
    the statistics and the 督办 suggestions all draw the line in the same place."""
    monkeypatch.setenv("XINFANG_NOW", "2026-12-05 10:00")
    at = register(run, persons=COLLECTIVE)
    below = register(run, persons=COLLECTIVE - 1, name="李四", content="要求公开殡葬收费依据")
    assert json.loads(run("show", at, "--json").stdout)["collective"] is True
    assert json.loads(run("show", below, "--json").stdout)["collective"] is False

    target = tmp_path / "受理.xlsx"
    run("report", "accept", "--month", "2026-11", "-o", str(target))
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    remarks = {row[-1].split("；")[0]: row[-1] for row in rows if row[-1] and "-" in row[-1]}
    assert remarks[at] == f"{at}；集体访 {COLLECTIVE} 人"
    assert remarks[below] == below

    out = run("report", "stats", "--month", "2026-11").stdout
    cells = next(line for line in out.splitlines() if "│ 集体访 " in line).split("│")
    assert cells[2].strip() == "1"

    reasons = {
        s["case_no"]: [r["kind"] for r in s["reasons"]]
        for s in json.loads(run("suggest", "--json").stdout)["cases"]
    }
    assert reasons.get(at) == ["多人联名/集体访"] and below not in reasons

    # Where the threshold is written out for the clerk, it says the same number.
    assert f"{COLLECTIVE} 人以上" in run("register", "--help").stdout
    assert f"{COLLECTIVE} 人以上" in run("report", "stats", "--help").stdout
