"""First run: `init` sets everything that reaches a petitioner; until it has been run,
`print` (on stderr, never on the paper) and `doctor` say the seed office's values are in use."""

from __future__ import annotations

import fcntl
import json
import os
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from conftest import advance, subprocess_env
from test_documents import text_of

from xinfang.core import presets, settings, vocabulary
from xinfang.outputs.archive import CaseFolder
from xinfang.store.db import connect

TOWN = (
    "init", "--unit-name", "沙河镇人民政府", "--prefix", "沙信", "--assign-prefix", "沙交",
    "--review-government", "临泽县人民政府", "--review-department", "",
    "--upper-office", "临泽县信访局", "--reception-place", "镇信访接待室",
    "--supervise-prefix", "沙督", "--liaison-prefix", "沙联", "--preset", "乡镇综合",
    "--unit", "沙河村委会,西寨村委会", "--unit", "镇派出所",
)  # fmt: skip
SEED_WORDS = "尚未运行 xinfang init"


def doctor(run) -> dict[str, dict]:
    result = run("doctor", "--json")
    return {f["check"]: f for f in json.loads(result.stdout)}


def test_a_new_ledger_says_the_seed_office_is_in_use_beside_the_paper(run, registered, tmp_path):
    target = tmp_path / "登记表.docx"
    out = run("print", registered, "受理登记表", "-o", str(target))
    assert SEED_WORDS in out.stderr and "临泽县民政局" in out.stderr
    assert SEED_WORDS not in out.stdout and SEED_WORDS not in text_of(target)
    finding = doctor(run)["本单位设置"]
    assert finding["level"] == "提示" and "复查机关" in finding["detail"]


def test_init_outside_a_terminal_without_options_records_nothing(run):
    out = run("init")
    assert SEED_WORDS in out.stderr
    assert doctor(run)["本单位设置"]["level"] == "提示"


def test_a_towns_init_puts_its_own_bodies_on_its_papers(run, sql, registered, tmp_path):
    advance(run, registered, "assign")  # set up after its first case went out
    out = run(*TOWN)
    # The county government is the town's 复查机关 too; init says it is the seed's value.
    assert "复查机关（同级人民政府）" in out.stderr and "单位名称" not in out.stderr
    advance(run, registered, "reply")
    target = tmp_path / "答复书.docx"
    printed = run("print", registered, "处理意见答复书", "-o", str(target))
    assert printed.stderr == ""
    text = text_of(target)
    assert "沙河镇人民政府" in text and "张掖市民政局" not in text
    # A town's 复查 goes to the county government alone (no 上级部门): no dangling 或.
    assert "30日内向临泽县人民政府提出复查申请" in text
    assert doctor(run)["本单位设置"]["level"] == "正常"
    values = dict(sql("SELECT key, value FROM settings"))
    assert json.loads(values["reception_place"]) == "镇信访接待室"
    assert json.loads(values["supervise_prefix"]) == "沙督"
    assert json.loads(values[presets.INITIALISED]) == "2026-11-23"


def test_a_preset_sets_the_lists_and_the_units(run, sql):
    run("init", "--unit-name", "临泽县纪委监委信访室", "--preset", "纪检")
    lists = json.loads(run("config", "show", "--json").stdout)
    chosen = presets.PRESETS["纪检"]
    assert lists["lists"]["kind"] == list(chosen.kinds)
    assert lists["lists"]["category"] == list(chosen.categories)
    assert [u["name"] for u in lists["units"]] == list(chosen.units)
    assert lists["lists"]["source"][0] == "本级"  # lists no preset names stay


def test_units_given_replace_the_presets_and_units_with_cases_stay(run, registered):
    advance(run, registered, "assign")  # assigned to 沙河镇
    out = run("init", "--unit-name", "沙河镇人民政府", "--preset", "乡镇综合",
              "--unit", "甲村, 乙村", "--unit", "丙村、甲村")  # fmt: skip
    assert "沙河镇" in out.stdout
    units = [u["name"] for u in json.loads(run("config", "show", "--json").stdout)["units"]]
    assert units == ["甲村", "乙村", "丙村", "沙河镇"]


@pytest.mark.parametrize(
    "args",
    [
        ("--unit-name", "沙河镇人民政府", "--preset", "民宗"),
        ("--unit-name", " ", "--prefix", "沙信"),
        ("--unit-name", "沙河镇人民政府", "--unit", " , "),
    ],
)
def test_a_wrong_answer_writes_nothing(run, db_path, args):
    before = dict(connect(db_path).execute("SELECT key, value FROM settings").fetchall())
    out = run("init", *args, expect=2)
    assert "Traceback" not in out.output and out.stderr.strip()
    after = dict(connect(db_path).execute("SELECT key, value FROM settings").fetchall())
    assert after == before


def test_the_seed_is_the_civil_affairs_preset_and_the_seed_values(run):
    """The seed lives in the schema; this keeps the preset and ASKED saying the same."""
    shown = json.loads(run("config", "show", "--json").stdout)
    seed = presets.PRESETS[presets.SEED_PRESET]
    assert shown["lists"]["kind"] == list(seed.kinds)
    assert shown["lists"]["category"] == list(seed.categories)
    assert set(seed.units) <= {u["name"] for u in shown["units"]}
    assert {key: shown["settings"][key] for key in presets.ASKED} == presets.ASKED


def test_every_preset_keeps_the_kind_the_papers_mask_for():
    for preset in presets.PRESETS.values():
        assert vocabulary.ACCUSATION in preset.kinds


def test_the_demo_ledger_counts_as_set_up(tmp_path):
    conn = connect(tmp_path / "demo.db")
    from xinfang.core import demo

    demo.build(conn, binder=CaseFolder)
    assert presets.seed_warning(conn) is None
    assert settings.get(conn, "upper_office") == demo.DEMO_UPPER


def converse(args: list[str], answers: list[tuple[str, str]]) -> tuple[int, str]:
    """Run `xinfang` on a pseudo-terminal; when the screen shows each prompt, type the
    answer (a line, or b'\\x03' for Ctrl-C). Returns the exit status and the screen."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 80, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "xinfang", *args], stdin=slave, stdout=slave, stderr=slave,
        env=subprocess_env(), start_new_session=True,
        preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
    )  # fmt: skip
    os.close(slave)
    screen, pending = b"", list(answers)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the other side closed
                break
            if not chunk:
                break
            screen += chunk
        if pending and pending[0][0].encode() in screen.rsplit(b"\n", 1)[-1]:
            keys = pending.pop(0)[1]
            if keys == "\x03":  # as a clerk would, once the prompt waits for a key
                time.sleep(0.5)
            os.write(master, keys.encode())
        if process.poll() is not None and not ready:
            break
    os.close(master)
    if process.poll() is None:  # still waiting: never leave it running
        process.kill()
    return process.wait(timeout=10), screen.decode("utf-8", "replace")


def test_init_at_a_terminal_asks_what_was_not_given(run, sql, db_path):
    status, screen = converse(
        ["init", "--unit-name", "沙河镇人民政府"],
        [
            ("案件编号前缀", "沙信\n"),
            ("交办单编号前缀", "沙交\n"),
            ("复查机关（同级人民政府）", "\n"),  # Enter keeps the current value
            ("复查机关（上级部门）", "临泽县信访局\n"),
            ("上级信访部门", "临泽县信访局\n"),
            ("领导接访地点", " \n"),  # refused: asked again
            ("领导接访地点", "镇信访接待室\n"),
            ("督办通知编号前缀", "沙督\n"),
            ("联系函编号前缀", "沙联\n"),
            ("类别预设", "乡镇综合\n"),
            ("承办单位", "甲村，乙村\n"),
        ],
    )
    assert status == 0, screen
    assert "单位名称 [" not in screen  # given on the command line: not asked
    assert "[临民信]" in screen and "[临泽县人民政府]" in screen  # current values offered
    assert "[党政综合办公室、综治中心" in screen  # the new preset's units offered
    values = {key: json.loads(value) for key, value in sql("SELECT key, value FROM settings")}
    assert values["unit_name"] == "沙河镇人民政府" and values["case_prefix"] == "沙信"
    assert values["review_government"] == "临泽县人民政府"
    assert values["review_department"] == values["upper_office"] == "临泽县信访局"
    assert values["reception_place"] == "镇信访接待室"
    units = [u["name"] for u in json.loads(run("config", "show", "--json").stdout)["units"]]
    assert units == ["甲村", "乙村"]
    assert doctor(run)["本单位设置"]["level"] == "正常"


def test_ctrl_c_in_the_interview_writes_nothing(run, db_path):
    before = dict(connect(db_path).execute("SELECT key, value FROM settings").fetchall())
    status, screen = converse(
        ["init"], [("单位名称", "沙河镇人民政府\n"), ("案件编号前缀", "\x03")]
    )
    assert status != 0, screen
    after = dict(connect(db_path).execute("SELECT key, value FROM settings").fetchall())
    assert after == before
    assert isinstance(db_path, str) or Path(db_path).exists()  # a county database is no file
