"""A joined case filed (归档) with its main case's closing in its 并案说明: that closing
can no longer be withdrawn (撤销), or the filed file would tell what the ledger no
longer says. Refused, naming the filed case; before the filing it may still be."""

from __future__ import annotations

import pytest
from conftest import advance, show
from test_joined_archive import ARCHIVE, CASE, OTHER, doctor_clean, joined  # noqa: F401
from test_void_join import refused


@pytest.mark.usefixtures("joined")
def test_the_main_close_is_not_voided_once_a_joined_case_is_filed(run, db_path):
    advance(run, CASE, "close")
    run("archive", OTHER, *ARCHIVE)
    message = refused(run, db_path, "void", CASE, "--reason", "办结审批有误")
    assert message == (
        "错误：案件 2026-0001 当前状态为「已办结（待归档）」，并入本案的 2026-0002 已随本案办结"
        "归档（其并案说明载明本案的答复、回访、办结），不能再撤销第 9 条「办结」。"
        "下一步可以：归档（xinfang archive）。\n"
    )
    assert show(run, CASE)["status"] == "closed"
    run("note", CASE, "电话通知信访人领取答复书", "--on", "2026-11-16")
    out = run("void", CASE, "--reason", "记错了案件", "--on", "2026-11-16")  # a note may go
    assert out.stdout.startswith("已撤销：2026-0001 第 10 条「备注」")
    doctor_clean(run)


@pytest.mark.usefixtures("joined")
def test_the_main_close_is_voided_while_the_joined_case_waits(run):
    advance(run, CASE, "close")
    out = run("void", CASE, "--reason", "办结审批有误", "--on", "2026-11-16")
    assert "已撤销：2026-0001" in out.stdout
    assert show(run, CASE)["status"] == "publicized"
    assert show(run, OTHER)["status"] == "joined"
    doctor_clean(run)
