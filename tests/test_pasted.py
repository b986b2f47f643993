"""Paste-to-register: a letter, a 12345 work order and an online post, as clerks get them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import dump, show

from xinfang.core.intake.pasted import read_pasted
from xinfang.store.db import connect

LETTER = """尊敬的县民政局领导：

    我是沙河镇西关村村民李秀英，今年67岁，身份证号620723196503151026，联系电话
13993612345。我家老伴去年瘫痪在床，家里没有别的收入，去年申请低保，村里说名额满了，
至今没有评上。请领导过问。

此致
敬礼

                                            李秀英
                                      2026年11月18日
"""

WORK_ORDER = """张掖市12345政务服务便民热线工单
工单编号：ZY20261120000153    派单时间：2026-11-20 14:32
来电人：王建国    来电号码：0936-5521234
联系地址：临泽县蓼泉镇湾子村五社
诉求类型：社会救助/特困供养
诉求内容：来电人反映其父王老汉今年82岁，无儿无女（系其侄子），
符合特困人员条件，向镇上申请半年未有答复，请相关部门核实办理。
办理时限：10个工作日
"""

POST = """【人民网领导留言板】平川镇敬老院伙食太差
发帖时间：2026-11-19 21:07
网友：平川老李
平川镇敬老院最近一个月天天土豆白菜，老人们吃不饱，院长也不管，希望民政局去看看。
https://liuyan.people.com.cn/threads/content?tid=20261119
"""


def read(db_path: Path, text: str):
    conn = connect(db_path)
    try:
        return read_pasted(conn, text)
    finally:
        conn.close()


def test_a_letter(db_path):
    pasted = read(db_path, LETTER)
    assert pasted.kind == "来信"
    assert pasted.values == {
        "name": "李秀英",
        "phone": "13993612345",
        "id_number": "620723196503151026",
        "address": "沙河镇西关村",
        "township": "沙河镇",
        "content": pasted.values["content"],
        "category": "最低生活保障",  # 低保
        "form": "来信",
        "received_at": "2026-11-18",
    }
    assert pasted.values["content"].startswith("我是沙河镇西关村村民李秀英")
    assert "此致" not in pasted.values["content"] and "尊敬的" not in pasted.values["content"]
    assert any("猜" in note for note in pasted.notes)


def test_a_12345_work_order(db_path):
    pasted = read(db_path, WORK_ORDER)
    assert pasted.kind == "12345工单"
    values = pasted.values
    assert (values["name"], values["phone"]) == ("王建国", "0936-5521234")
    assert (values["address"], values["township"]) == ("临泽县蓼泉镇湾子村五社", "蓼泉镇")
    assert (values["source"], values["form"]) == ("12345热线", "来电")
    assert values["received_at"] == "2026-11-20 14:32:00"  # 派单时间: when it reached us
    assert values["category"] == "特困人员救助供养"
    assert (
        values["content"].startswith("来电人反映其父")
        and "请相关部门核实办理。" in values["content"]
    )
    assert "办理时限" not in values["content"]
    assert "工单编号 ZY20261120000153" in pasted.notes


def test_an_online_post(db_path):
    pasted = read(db_path, POST)
    assert pasted.kind == "网上留言"
    values = pasted.values
    assert "name" not in values  # a nickname is no name
    assert (values["source"], values["form"]) == ("网络舆情", "网上信访")
    assert values["platform"] == "人民网领导留言板"
    assert values["post_url"] == "https://liuyan.people.com.cn/threads/content?tid=20261119"
    assert values["posted_at"] == "2026-11-19 21:07:00"
    assert "received_at" not in values  # registered when it is read, after the post
    assert (values["township"], values["category"]) == ("平川镇", "养老服务")


def test_a_wrong_check_digit_is_said_not_kept(db_path):
    pasted = read(db_path, LETTER.replace("620723196503151026", "620723196503151027"))
    assert "id_number" not in pasted.values
    assert pasted.notes[0] == "身份证号码：校验位应为 6，实际为 7，未填"


def test_repeat_candidates_are_found(run, db_path):
    run("register", "--name", "李秀英", "--phone", "13993612345", "--source", "本级",
        "--form", "来访", "--content", "申请低保未评上", "--on", "2026-11-10")  # fmt: skip
    pasted = read(db_path, LETTER)
    assert [(m.case_no, m.reasons) for m in pasted.repeats] == [("2026-0001", ("同一联系电话",))]


# --- the command, without a terminal -------------------------------------------------------


def test_dry_run_prints_the_fields_and_writes_nothing(run, db_path, tmp_path):
    letter = tmp_path / "letter.txt"
    letter.write_text(LETTER, encoding="gb18030")  # a file saved by Chinese Windows
    before = dump(db_path)
    out = run("register", "--from-text", str(letter), "--dry-run")
    shown = json.loads(out.stdout)
    assert shown["fields"]["name"] == "李秀英" and shown["kind"] == "来信"
    assert shown["missing"] == ["信访来源"]
    assert dump(db_path) == before


def test_without_yes_nothing_is_registered(run, db_path):
    before = dump(db_path)
    out = run("register", "--from-text", "-", "--source", "本级", input=LETTER)
    assert json.loads(out.stdout)["fields"]["source"] == "本级"  # the option kept
    assert "--yes" in out.stderr
    assert dump(db_path) == before


def test_yes_registers_with_the_options_over_the_text(run):
    out = run("register", "--from-text", "-", "--yes", "--source", "本级", "--receiver", "王芳",
              input=LETTER)  # fmt: skip
    assert "已登记：2026-0001" in out.stdout
    case = show(run)
    assert (case["name"], case["id_number"], case["township"]) == ("李秀英", "620723196503151026", "沙河镇")  # fmt: skip
    assert (case["source"], case["form"], case["receiver"]) == ("本级", "来信", "王芳")
    assert case["received_at"] == "2026-11-18"


@pytest.mark.parametrize(("text", "absent"), [(LETTER, "信访来源"), (POST, "信访人姓名")])
def test_yes_refuses_when_required_fields_are_missing(run, db_path, text, absent):
    before = dump(db_path)
    out = run("register", "--from-text", "-", "--yes", input=text, expect=2)
    assert out.stderr.startswith(f"错误：必填项：文本中没有{absent}；请用选项补上")
    assert dump(db_path) == before


def test_a_missing_file_is_refused(run):
    out = run("register", "--from-text", "nowhere.txt", "--dry-run", expect=2)
    assert "nowhere.txt" in out.stderr


def test_dry_run_is_for_a_pasted_text_only(run):
    out = run("register", "--name", "张三", "--dry-run", expect=2)
    assert out.stderr == "错误：--dry-run：只与 --from-text 一起使用\n"
