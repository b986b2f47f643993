"""A 领导接访 case taken on a day no reception plan covers: the 接访交办通知单 and the
办理结果回复单 leave 接访领导 blank for the pen, never the clerk who wrote the case up."""

from __future__ import annotations

from test_reception_papers import CASE, cells, register


def test_without_a_plan_day_the_leader_is_left_for_the_pen(run, tmp_path):
    register(run, "2026-11-02")  # no plan at all
    order = cells(run, tmp_path, "接访交办通知单")
    assert order["接访领导"] == ""
    run("unit-accept", CASE, "--on", "2026-11-04")
    run("unit-report", CASE, "--text", "锅炉老化", "--on", "2026-11-05")
    run("reply", CASE, "--result", "已解决", "--finding", "属实", "--text", "已更换锅炉",
        "--on", "2026-11-06")  # fmt: skip
    assert cells(run, tmp_path, "办理结果回复单")["接访领导"] == ""
