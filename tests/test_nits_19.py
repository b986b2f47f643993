"""Issue 19's NIT list: the month calendar's columns, an anonymous 受理, the unit ranking."""

from __future__ import annotations

import unicodedata

import pytest

from tests.test_stats import ledger, scenario  # noqa: F401  (the stats scenario)


def columns(line: str) -> list[str]:
    """The line as the terminal lays it out: a wide (CJK) character takes two cells."""
    cells: list[str] = []
    for char in line:
        cells.append(char)
        if unicodedata.east_asian_width(char) in ("W", "F"):
            cells.append("")
    return cells


def test_anonymous_accept_does_not_ask_to_notify_anybody(run) -> None:
    from tests.conftest import REGISTER

    args = list(REGISTER)
    for option in ("--name", "--phone"):
        at = args.index(option)
        del args[at : at + 2]
    out = run(*args, "--anonymous").stdout
    number = out.split("：")[1].split("（")[0]
    accepted = run("accept", number, "--on", "2026-11-03").stdout
    assert "已受理" in accepted
    assert "尚未告知" not in accepted


def test_named_accept_without_notice_still_reminds(run, registered) -> None:
    accepted = run("accept", registered, "--on", "2026-11-03").stdout
    assert "尚未告知信访人" in accepted


def _ranking_rows(out: str) -> list[list[str]]:
    return [
        [c.strip() for c in line.split("│")[1:-1]]
        for line in out[out.index("承办单位考核") :].splitlines()
        if line.count("│") == 9
    ]


@pytest.mark.usefixtures("ledger")
def test_a_unit_with_nothing_to_measure_has_no_score_and_comes_last(run, tmp_path):
    """板桥镇 had a case assigned but no deadline met or missed and no revisit yet: it was
    ranked first at 100.0 above units that did the work."""
    from openpyxl import load_workbook

    rows = _ranking_rows(run("report", "stats", "--month", "2026-11").stdout)
    assert rows[-1] == ["—", "板桥镇", "1", "—", "—", "0", "—", "—"]
    assert [row[1] for row in rows[:3]] == ["沙河镇", "蓼泉镇", "新华镇"]
    assert rows[0][0] == "1"
    target = tmp_path / "s.xlsx"
    run("report", "stats", "--month", "2026-11", "-o", str(target))
    sheet = load_workbook(target)["承办单位考核"]
    header = [c.value for c in sheet[3]]
    last = dict(zip(header, [c.value for c in sheet[7]], strict=True))
    assert (last["承办单位"], last["综合得分"], last["名次"]) == ("板桥镇", "—", "—")
