"""Words a clerk reads in lists and exports: a 集体访 named "周九等8人" is not "等8人" twice;
the repeat column says what it holds."""

from __future__ import annotations

import csv

import pytest

from tests.conftest import REGISTER, on_a_terminal


def _with(option: str, value: str) -> list[str]:
    args = list(REGISTER)
    at = args.index(option)
    args[at + 1] = value
    return args


def test_a_collective_named_with_its_count_is_not_counted_twice(run):
    run(*_with("--name", "周九等8人"), "--persons", "8")
    listed = run("list").stdout
    assert "周九等8人" in listed
    assert "等8人等8人" not in listed


def test_a_collective_gets_its_count_once(run):
    run(*_with("--name", "周九"), "--persons", "8")
    assert "周九等8人" in run("list").stdout


def test_the_export_names_the_repeat_column_plainly(run, tmp_path):
    run(*REGISTER)
    out = tmp_path / "cases.csv"
    run("export", "-o", str(out))
    header = next(csv.reader(out.open(encoding="utf-8-sig")))
    assert "重复信访（首件编号）" in header
    assert not any(cell.endswith("，同") for cell in header)


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_a_narrow_terminal_never_cuts_the_number_or_the_date_of_a_case(run, columns):
    run(*REGISTER)
    out = on_a_terminal(columns, "list")
    assert "2026-0001" in out and "2026-11-02" in out
