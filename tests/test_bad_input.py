"""Bad input, tried systematically over every command that takes input: each row of CASES
is one input that must be refused with exit status 2 and one Chinese line naming what is
wrong, with no traceback, no personal number echoed, the ledger file byte-for-byte
unchanged and nothing new in its files folder. len(CASES) is the number of inputs tried."""

from __future__ import annotations

import itertools
import re
import shlex
import shutil
import signal
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest
from conftest import LIFE, REGISTER, dump, ledger_files
from typer.testing import CliRunner

from xinfang.cli import app

BIG = "低保" * 500_000  # 1 MB of text
MARKS = {"<BIG>": BIG, "<NUL>": "\x00", "<ESC>": "\x1b[31m", "<BEL>": "\x07", "<LF>": "\n"}
# The small ledger every row runs against: one case at each stage (built once, copied).
CASE_STATES = dict(
    R="2026-0001",  # 已登记 (2026-11-02 09:30)
    ASG="2026-0002",  # 已交办 (11-04), then 督办 and 联系函 on 11-16
    REP="2026-0003",  # 承办单位已报送 (11-06)
    RPL="2026-0004",  # 已答复 (11-09)
    RVS="2026-0005",  # 已回访 (11-10)
    PUB="2026-0006",  # 已公示 (11-11)
    CLO="2026-0007",  # 已办结 (11-12)
    ARC="2026-0008",  # 已归档 (11-13)
    LNT="2026-0009",  # 已归档, lent out on 11-16
    PAU="2026-0010",  # 已受理 and notified (11-03), paused on 11-16
    RND="2026-0011",  # 不满意 on 11-10: back to 已受理, round 2
)
STEPS_TAKEN = {"ASG": 2, "REP": 4, "RPL": 5, "RVS": 6, "PUB": 7, "CLO": 8, "ARC": 9, "LNT": 9}
EXTRA = [
    ("lend", "2026-0009", "--to", "王五", "--unit", "县纪委监委", "--approved-by", "李主任",
     "--due", "2026-12-10", "--on", "2026-11-16"),
    ("supervise", "2026-0002", "--due", "2026-12-01", "--reason", "久拖", "--on", "2026-11-16"),
    ("liaise", "2026-0002", "--to", "县人社局", "--matter", "核实缴费", "--on", "2026-11-16"),
    ("accept", "2026-0010", "--on", "2026-11-03", "--notified-on", "2026-11-03"),
    ("pause", "2026-0010", "--reason", "听证", "--on", "2026-11-16"),
    *[(step[0], "2026-0011", *step[1:]) for step in LIFE[:5]],
    ("revisit", "2026-0011", "--method", "电话回访", "--satisfaction", "不满意", "--on", "2026-11-10"),
]  # fmt: skip
REG = "register --source 本级 --form 来访 --name 王某 --content 反映道路问题"

CASES = [
    # register: missing, empty, huge, control characters, wrong types, ranges, order
    ("register-no-name", "register --source 本级 --form 来访 --content 反映", "缺少 信访人姓名"),
    ("register-empty-name", "register --name '' --source 本级 --form 来访 --content x", "缺少 信访人姓名"),
    ("register-no-source", "register --name 王某 --form 来访 --content x", "缺少 信访来源"),
    ("register-no-form", "register --name 王某 --source 本级 --content x", "缺少 信访形式"),
    ("register-empty-content", "register --name 王某 --source 本级 --form 来访 --content ''", "缺少 反映问题"),
    ("register-huge-content", "register --name 王某 --source 本级 --form 来访 --content <BIG>", "反映问题：过长"),
    ("register-huge-name", "register --name <BIG> --source 本级 --form 来访 --content x", "信访人姓名：过长"),
    ("register-huge-address", f"{REG} --address <BIG>", "通讯地址：过长"),
    ("register-huge-receiver", f"{REG} --receiver <BIG>", "接访人：过长"),
    ("register-huge-opinion", f"{REG} --opinion <BIG>", "接访人意见：过长"),
    ("register-huge-upper-ref", f"{REG} --upper-ref <BIG>", "上级信访件编号：过长"),
    ("register-huge-by", f"{REG} --by <BIG>", "经办人：过长"),
    ("register-nul-name", "register --name <NUL> --source 本级 --form 来访 --content x", "缺少 信访人姓名"),
    ("register-bel-content", "register --name 王某 --source 本级 --form 来访 --content <BEL>", "缺少 反映问题"),
    ("register-nul-by", f"{REG} --by <NUL>", "经办人：必填"),
    ("register-esc-phone", f"{REG} --phone <ESC>", "联系电话：含有控制字符"),
    ("register-phone-letter", f"{REG} --phone 1381234567x", "联系电话：所填号码（11 位）"),
    ("register-phone-12-digits", f"{REG} --phone 138123456789", "联系电话：所填号码（12 位）"),
    ("register-phone-forced-41", f"{REG} --phone 13812345671381234567138123456713812345671 --force", "联系电话：过长"),
    ("register-id-checksum", f"{REG} --id-number 110105194912310021", "身份证号码：校验位"),
    ("register-id-17-digits", f"{REG} --id-number 11010519491231002", "身份证号码：长度应为 18 位"),
    ("register-id-letter", f"{REG} --id-number 11010519491231002Y", "身份证号码：前 17 位只能是数字"),
    ("register-id-birth-0231", f"{REG} --id-number 110105194902310023", "身份证号码：出生日期"),
    ("register-id-born-future", f"{REG} --id-number 110105202712310023", "身份证号码：出生日期"),
    ("register-id-forced-symbol", f"{REG} --id-number 11010519491231002! --force", "身份证号码：即使加了 --confirm-unusual"),
    ("register-persons-0", f"{REG} --persons 0", "人数：0 超出范围"),
    ("register-persons-100001", f"{REG} --persons 100001", "人数：100001 超出范围"),
    ("register-persons-minus-1", f"{REG} --persons=-1", "人数：-1 超出范围"),
    ("register-persons-letters", f"{REG} --persons abc", "人数：“abc”不是整数"),
    ("register-persons-1e3", f"{REG} --persons 1e3", "人数：“1e3”不是整数"),
    ("register-on-feb-30", f"{REG} --on 2026-02-30", "信访时间：无法识别"),
    ("register-on-letters", f"{REG} --on abc", "信访时间：无法识别"),
    ("register-on-future-day", f"{REG} --on 2026-12-01", "信访时间：2026-12-01 晚于今天"),
    ("register-on-future-minute", f"{REG} --on '2026-11-23 10:01'", "信访时间：2026-11-23 10:01 晚于现在"),
    ("register-on-before-calendar", f"{REG} --on 1900-01-01", "超出工作日历范围"),
    ("register-source-not-listed", "register --name 王某 --source 外星 --form 来访 --content x", "信访来源：“外星”不在列表中"),
    ("register-kind-not-listed", f"{REG} --kind abc", "事项类别：“abc”不在列表中"),
    ("register-raised-by-unknown", f"{REG} --raised-by abc", "反映人身份：“abc”不可用"),
    ("register-url-not-online", f"{REG} --url http://x", "原帖网址：只用于信访来源为“网络舆情”"),
    ("register-upper-without-ref", "register --name 王某 --source 上级交办 --form 来访 --content x", "上级信访件编号"),
    ("register-posted-future", "register --name 王某 --source 网络舆情 --form 网上信访 --content x --posted-at 2026-12-01", "发帖时间：2026-12-01 晚于今天"),
    ("register-posted-after-received", "register --name 王某 --source 网络舆情 --form 网上信访 --content x --posted-at 2026-11-21 --on 2026-11-20", "发帖时间"),
    ("register-bogus-option", f"{REG} --bogus", "没有选项 --bogus"),
    # case numbers: nonexistent and malformed
    ("accept-missing-case", "accept", "缺少必填项 CASE"),
    ("accept-case-9999", "accept 2026-9999", "没有编号为 2026-9999 的案件"),
    ("accept-case-0000", "accept 2026-0000", "没有编号为 2026-0000 的案件"),
    ("accept-case-letters", "accept abc", "案件编号：无法识别"),
    ("accept-case-empty", "accept ''", "案件编号：无法识别"),
    ("accept-case-trailing-x", "accept 2026-0001x", "案件编号：无法识别"),
    ("accept-case-slash", "accept 2026/0001", "案件编号：无法识别"),
    ("accept-case-no-number", "accept 临民信〔2026〕", "案件编号：无法识别"),
    ("accept-case-nul", "accept <NUL>", "案件编号：无法识别"),
    ("accept-case-huge", "accept <BIG>", "案件编号：无法识别"),
    ("accept-case-minus-1", "accept -1", "没有选项 -1"),
    *[(f"{cmd}-case-9999", f"{cmd} 2026-9999 {rest}", "没有编号为 2026-9999 的案件") for cmd, rest in (
        ("reject", "--reason x --channel y"), ("transfer", "--to x"), ("notify", ""),
        ("assign", "--to 沙河镇 --due 2026-12-05"), ("unit-accept", ""), ("unit-report", "--text x"),
        ("reply", "--result 已解决 --finding 属实 --text x"), ("publicize", ""), ("close", ""),
        ("revisit", "--method 电话回访 --satisfaction 满意"), ("archive", "--retention 10年"),
        ("note", "x"), ("correct", "--field 人数 --value 2"), ("extend", "--reason x"),
        ("pause", "--reason x"), ("resume", ""), ("verify", ""), ("print", "受理登记表"),
        ("lend", "--to x --unit y --approved-by z --due 2026-12-10"), ("return", ""),
        ("review", "--requested-on 2026-11-20"), ("reexamine", "--examiner x --findings y"),
        ("supervise", "--due 2026-12-05 --reason x"), ("supervise-answer", "--text x"),
        ("instruct", "--leader x --text y"), ("liaise", "--to x --matter y"),
        ("liaise-answer", "--text x"), ("show", ""))],
    ("verify-case-letters", "verify abc", "案件编号：无法识别"),
    ("show-case-esc", "show <ESC>", "案件编号：无法识别"),
    # the steps: dates, order, required options, choices
    ("accept-on-before-registration", "accept {R} --on 2026-11-01", "早于案件上一步的日期 2026-11-02"),
    ("accept-on-feb-30", "accept {R} --on 2026-02-30", "日期：无法识别"),
    ("accept-on-month-13", "accept {R} --on 2026-13-01", "日期：无法识别"),
    ("accept-on-future", "accept {R} --on 2026-11-24", "2026-11-24 晚于今天"),
    ("accept-on-bel", "accept {R} --on <BEL>", "日期：无法识别"),
    ("accept-on-huge", "accept {R} --on <BIG>", "日期：无法识别"),
    ("accept-notified-letters", "accept {R} --notified-on abc", "告知日期：无法识别"),
    ("accept-notified-future", "accept {R} --notified-on 2026-12-01", "告知日期：2026-12-01 晚于今天"),
    ("accept-notified-before-decision", "accept {R} --on 2026-11-05 --notified-on 2026-11-04", "告知日期：不能早于"),
    ("accept-notice-method-unknown", "accept {R} --notice-method 飞鸽", "告知方式：“飞鸽”不可用"),
    ("accept-notice-method-esc", "accept {R} --notice-method <ESC>", "告知方式："),
    ("accept-by-huge", "accept {R} --by <BIG>", "经办人：过长"),
    ("reject-no-reason", "reject {R} --channel 县法院", "缺少必填项 --reason"),
    ("reject-no-channel", "reject {R} --reason x", "缺少必填项 --channel"),
    ("reject-huge-reason", "reject {R} --reason <BIG> --channel x", "不予受理理由：过长"),
    ("reject-nul-channel", "reject {R} --reason x --channel <NUL>", "法定途径或有权机关：必填"),
    ("transfer-no-to", "transfer {R}", "缺少必填项 --to"),
    ("transfer-empty-to", "transfer {R} --to ''", "转送机关：必填"),
    ("transfer-huge-reason", "transfer {R} --to x --reason <BIG>", "转送理由：过长"),
    ("notify-already-notified", "notify {PAU} --method 短信告知", "已于 2026-11-03 告知过信访人"),
    ("assign-no-due", "assign {PAU} --to 沙河镇", "缺少必填项 --due"),
    ("assign-due-letters", "assign {PAU} --to 沙河镇 --due abc", "办结期限：无法识别"),
    ("assign-due-feb-30", "assign {PAU} --to 沙河镇 --due 2026-02-30", "办结期限：无法识别"),
    ("assign-due-before-assign", "assign {PAU} --to 沙河镇 --due 2026-11-01", "办结期限：2026-11-01 必须晚于交办日期"),
    ("assign-due-year-9999", "assign {PAU} --to 沙河镇 --due 9999-12-31", "办结期限"),
    ("assign-on-before-previous", "assign {PAU} --to 沙河镇 --due 2026-12-05 --on 2026-11-01", "早于案件上一步的日期"),
    ("assign-unit-unknown", "assign {PAU} --to 不存在的单位 --due 2026-12-05", "承办单位：“不存在的单位”不在承办单位名单中"),
    ("assign-unit-esc", "assign {PAU} --to <ESC> --due 2026-12-05", "承办单位："),
    ("assign-unit-huge", "assign {PAU} --to <BIG> --due 2026-12-05", "承办单位："),
    ("unit-accept-on-before", "unit-accept {ASG} --on 2026-11-03", "早于案件上一步的日期"),
    ("unit-accept-on-letters", "unit-accept {ASG} --on abc", "日期：无法识别"),
    ("unit-report-no-text", "unit-report {ASG}", "缺少必填项 --text"),
    ("reply-no-text", "reply {REP} --result 已解决 --finding 属实", "缺少必填项 --text"),
    ("reply-no-result", "reply {REP} --finding 属实 --text x", "缺少必填项 --result"),
    ("reply-nul-text", "reply {REP} --result 已解决 --finding 属实 --text <NUL>", "答复内容：必填"),
    ("reply-huge-text", "reply {REP} --result 已解决 --finding 属实 --text <BIG>", "答复内容：过长"),
    ("reply-result-unknown", "reply {REP} --result 已办完 --finding 属实 --text x", "答复结果：“已办完”不可用"),
    ("reply-result-esc", "reply {REP} --result <ESC> --finding 属实 --text x", "答复结果："),
    ("reply-result-newline", "reply {REP} --result 已解决<LF> --finding 属实 --text x", "答复结果："),
    ("reply-result-huge", "reply {REP} --result <BIG> --finding 属实 --text x", "答复结果："),
    ("reply-finding-unknown", "reply {REP} --result 已解决 --finding 基本属实 --text x", "是否属实：“基本属实”不可用"),
    ("reply-on-before-report", "reply {REP} --result 已解决 --finding 属实 --text x --on 2026-11-05", "早于案件上一步的日期 2026-11-09"),
    ("revisit-no-method", "revisit {RPL} --satisfaction 满意", "缺少必填项 --method"),
    ("revisit-satisfaction-bel", "revisit {RPL} --method 电话回访 --satisfaction <BEL>", "满意度："),
    ("revisit-method-huge", "revisit {RPL} --method <BIG> --satisfaction 满意", "回访方式："),
    ("revisit-huge-opinion", "revisit {RPL} --method 电话回访 --satisfaction 满意 --opinion <BIG>", "信访人意见：过长"),
    ("revisit-on-before-reply", "revisit {RPL} --method 电话回访 --satisfaction 满意 --on 2026-11-08", "早于案件上一步的日期"),
    ("publicize-huge-where", "publicize {RVS} --where <BIG>", "公示位置：过长"),
    ("publicize-on-before", "publicize {RVS} --on 2026-11-09", "早于案件上一步的日期"),
    ("publicize-output-no-dir", "publicize {RVS} -o {T}/nope/x.txt", "输出文件：目录"),
    ("publicize-output-is-dir", "publicize {RVS} -o {T}", "输出文件："),
    ("publicize-output-exists", "publicize {RVS} -o {T}/exists.txt", "已存在；如要覆盖请加 --force"),
    ("close-huge-approver", "close {PUB} --approved-by <BIG>", "审批人：过长"),
    ("close-huge-opinion", "close {PUB} --opinion <BIG>", "承办人意见：过长"),
    ("close-on-before", "close {PUB} --on 2026-11-10", "早于案件上一步的日期"),
    ("archive-no-retention", "archive {CLO}", "缺少必填项 --retention"),
    ("archive-retention-5y", "archive {CLO} --retention 5年", "保管期限：“5年”不可用"),
    ("archive-retention-bel", "archive {CLO} --retention <BEL>", "保管期限："),
    ("archive-on-before", "archive {CLO} --retention 10年 --on 2026-11-10", "早于案件上一步的日期"),
    ("note-no-text", "note {R}", "缺少必填项 TEXT"),
    ("note-empty", "note {R} ''", "备注：必填"),
    ("note-only-control", "note {R} <NUL><BEL>", "备注：必填"),
    ("note-huge", "note {R} <BIG>", "备注：过长"),
    ("note-on-future", "note {R} x --on 2026-12-01", "晚于今天"),
    ("correct-no-value", "correct {R} --field 联系电话", "缺少必填项 --value"),
    ("correct-field-unknown", "correct {R} --field 不存在 --value x", "字段：没有“不存在”这个字段"),
    ("correct-field-huge", "correct {R} --field <BIG> --value x", "字段："),
    ("correct-phone-letter", "correct {R} --field 联系电话 --value 1381234567x", "联系电话：所填号码"),
    ("correct-phone-esc-forced", "correct {R} --field 联系电话 --value <ESC> --force", "联系电话：含有控制字符"),
    ("correct-id-checksum", "correct {R} --field 身份证号码 --value 110105194912310021", "身份证号码：校验位"),
    ("correct-id-22-digits", "correct {R} --field 身份证号码 --value 1101051949123100211234", "身份证号码：长度"),
    ("correct-persons-0", "correct {R} --field 人数 --value 0", "人数：0 超出范围"),
    ("correct-content-empty", "correct {R} --field 反映问题 --value ''", "缺少 反映问题"),
    ("correct-content-huge", "correct {R} --field 反映问题 --value <BIG>", "反映问题：过长"),
    ("correct-huge-reason", "correct {R} --field 人数 --value 2 --reason <BIG>", "更正理由：过长"),
    ("correct-received-other-year", "correct {R} --field 信访时间 --value 2025-11-01", "不能跨年"),
    ("correct-received-future", "correct {R} --field 信访时间 --value 2026-12-01", "晚于今天"),
    ("correct-received-after-accept", "correct {ASG} --field 信访时间 --value 2026-11-20", "信访时间"),
    ("extend-no-reason", "extend {REP}", "缺少必填项 --reason"),
    ("extend-empty-reason", "extend {PAU} --reason ''", "延期理由：必填"),
    ("extend-nul-reason", "extend {REP} --reason <NUL>", "延期理由：必填"),
    ("extend-days-letters", "extend {REP} --reason x --days abc", "延期天数：“abc”不是整数"),
    ("extend-days-0", "extend {REP} --reason x --days 0", "延期天数：0 超出范围"),
    ("extend-days-minus-1", "extend {REP} --reason x --days=-1", "延期天数：-1 超出范围"),
    ("extend-days-366", "extend {REP} --reason x --days 366", "延期天数：366 超出范围"),
    ("extend-stage-unknown", "extend {REP} --reason x --stage abc", "期限环节：没有“abc”"),
    ("extend-stage-esc", "extend {REP} --reason x --stage <ESC>", "期限环节："),
    ("extend-stage-huge", "extend {REP} --reason x --stage <BIG>", "期限环节："),
    ("extend-huge-approver", "extend {REP} --reason x --approved-by <BIG>", "批准人：过长"),
    ("pause-no-reason", "pause {REP}", "缺少必填项 --reason"),
    ("pause-empty-reason", "pause {REP} --reason ''", "暂停理由：必填"),
    ("pause-huge-reason", "pause {REP} --reason <BIG>", "暂停理由：过长"),
    ("pause-on-before", "pause {REP} --reason x --on 2026-11-01", "早于案件上一步的日期"),
    ("resume-on-before-pause", "resume {PAU} --on 2026-11-15", "早于案件上一步的日期 2026-11-16"),
    ("resume-on-letters", "resume {PAU} --on abc", "日期：无法识别"),
    ("resume-on-future", "resume {PAU} --on 2026-12-01", "晚于今天"),
    # files that are not what they claim
    ("attach-no-file", "attach {R}", "缺少必填项 FILE"),
    ("attach-directory", "attach {R} {F}/adir", "不存在或不是文件"),
    ("attach-missing-file", "attach {R} {F}/nope.pdf", "不存在或不是文件"),
    ("attach-empty-path", "attach {R} ''", "不存在或不是文件"),
    ("attach-kind-unknown", "attach {R} {F}/a.txt --kind abc", "材料类别：只能是"),
    ("attach-kind-huge", "attach {R} {F}/a.txt --kind <BIG>", "材料类别："),
    ("attach-huge-title", "attach {R} {F}/a.txt --title <BIG>", "材料名称：过长"),
    ("attach-on-future", "attach {R} {F}/a.txt --on 2026-12-01", "晚于今天"),
    ("attach-on-letters", "attach {R} {F}/a.txt --on abc", "日期：无法识别"),
    ("attach-archived-case", "attach {ARC} {F}/a.txt", "已归档"),
    ("attach-huge-by", "attach {R} {F}/a.txt --by <BIG>", "经办人：过长"),
    ("verify-no-case", "verify", "缺少必填项 CASE"),
    ("print-nothing", "print", "请给出案件编号和文书名称"),
    ("print-no-document", "print {R}", "请给出案件编号和文书名称"),
    ("print-document-unknown", "print {R} 不存在的文书", "没有“不存在的文书”这种文书"),
    ("print-document-esc", "print {R} <ESC>", "这种文书"),
    ("print-document-huge", "print {R} <BIG>", "这种文书"),
    ("print-wrong-stage", "print {R} 受理告知书", "不能打印受理告知书"),
    ("print-output-pdf", "print {R} 受理登记表 -o {T}/x.pdf", "输出文件：x.pdf 的扩展名只能是 .docx"),
    ("print-output-is-dir", "print {R} 受理登记表 -o {T}", "输出文件："),
    ("print-output-no-dir", "print {R} 受理登记表 -o {T}/nope/x.docx", "输出文件："),
    # lending, review, re-examination, supervision, instructions, letters
    ("lend-no-due", "lend {ARC} --to x --unit y --approved-by z", "缺少必填项 --due"),
    ("lend-empty-borrower", "lend {ARC} --to '' --unit y --approved-by z --due 2026-12-10", "借阅人：必填"),
    ("lend-huge-borrower", "lend {ARC} --to <BIG> --unit y --approved-by z --due 2026-12-10", "借阅人：过长"),
    ("lend-nul-unit", "lend {ARC} --to x --unit <NUL> --approved-by z --due 2026-12-10", "借阅单位：必填"),
    ("lend-huge-purpose", "lend {ARC} --to x --unit y --approved-by z --due 2026-12-10 --purpose <BIG>", "借阅事由：过长"),
    ("lend-due-letters", "lend {ARC} --to x --unit y --approved-by z --due abc", "归还期限：无法识别"),
    ("lend-due-feb-30", "lend {ARC} --to x --unit y --approved-by z --due 2026-02-30", "归还期限：无法识别"),
    ("lend-due-before-lending", "lend {ARC} --to x --unit y --approved-by z --due 2026-11-01", "归还期限：2026-11-01 必须晚于借出日期"),
    ("lend-due-year-9999", "lend {ARC} --to x --unit y --approved-by z --due 9999-12-31", "归还期限"),
    ("lend-on-before-archive", "lend {ARC} --to x --unit y --approved-by z --due 2026-12-10 --on 2026-11-10", "早于案件上一步的日期"),
    ("lend-open-case", "lend {R} --to x --unit y --approved-by z --due 2026-12-10", "不能借阅"),
    ("return-on-before-lending", "return {LNT} --on 2026-11-15", "早于案件上一步的日期 2026-11-16"),
    ("return-on-future", "return {LNT} --on 2026-11-24", "晚于今天"),
    ("return-not-lent", "return {ARC}", "案卷没有借出"),
    ("review-no-mode", "review {RPL}", "请用 --requested-on"),
    ("review-two-modes", "review {RPL} --requested-on 2026-11-20 --outcome 维持", "请用 --requested-on"),
    ("review-requested-letters", "review {RPL} --requested-on abc", "申请日期：无法识别"),
    ("review-requested-future", "review {RPL} --requested-on 2026-12-01", "申请日期：应在答复日期"),
    ("review-requested-before-reply", "review {RPL} --requested-on 2026-11-01", "申请日期：应在答复日期"),
    ("review-huge-late-reason", "review {RPL} --requested-on 2026-11-20 --late-reason <BIG>", "逾期理由：过长"),
    ("review-outcome-unknown", "review {RPL} --outcome abc --text x", "复查结论：只能是"),
    ("review-outcome-huge", "review {RPL} --outcome <BIG> --text x", "复查结论："),
    ("review-outcome-no-text", "review {RPL} --outcome 维持", "复查意见：请用 --text"),
    ("recheck-outcome-bel", "recheck {RPL} --outcome <BEL> --body x", "复核结论："),
    ("recheck-not-reviewed", "recheck {RPL} --requested-on 2026-11-20", "复查意见尚未作出"),
    ("recheck-no-mode", "recheck {RPL}", "请用 --requested-on"),
    ("recheck-extend-huge-days", "recheck {RPL} --extend --days <BIG> --reason x", "延期天数："),
    ("deliver-no-method", "deliver {RPL}", "缺少必填项 --method"),
    ("deliver-method-unknown", "deliver {RPL} --method 托人带交", "送达方式：“托人带交”不可用"),
    ("deliver-method-bel", "deliver {RPL} --method <BEL>", "送达方式："),
    ("deliver-before-reply", "deliver {RPL} --method 邮寄 --on 2026-11-08", "早于"),
    ("deliver-future", "deliver {RPL} --method 邮寄 --on 2026-11-24", "晚于今天"),
    ("deliver-receipt-missing", "deliver {RPL} --method 邮寄 --receipt 无此文件.pdf", "文件："),
    ("deliver-document-unknown", "deliver {RPL} --method 邮寄 --document 交办单", "送达文书："),
    ("deliver-not-replied", "deliver {R} --method 邮寄", "不能送达"),
    ("reexamine-no-findings", "reexamine {RND} --examiner x", "缺少必填项 --findings"),
    ("reexamine-empty-examiner", "reexamine {RND} --examiner '' --findings x", "核实人：必填"),
    ("reexamine-huge-findings", "reexamine {RND} --examiner x --findings <BIG>", "核实情况：过长"),
    ("reexamine-on-before", "reexamine {RND} --examiner x --findings y --on 2026-11-01", "早于本案登记的日期"),
    ("supervise-no-due", "supervise {REP} --reason x", "缺少必填项 --due"),
    ("supervise-due-letters", "supervise {REP} --due abc --reason x", "督办期限：无法识别"),
    ("supervise-due-past", "supervise {REP} --due 2026-11-01 --reason x", "督办期限：2026-11-01 必须晚于督办日期"),
    ("supervise-due-year-9999", "supervise {REP} --due 9999-12-31 --reason x", "督办期限"),
    ("supervise-empty-reason", "supervise {REP} --due 2026-12-05 --reason ''", "督办事由：必填"),
    ("supervise-huge-reason", "supervise {REP} --due 2026-12-05 --reason <BIG>", "督办事由：过长"),
    ("supervise-unit-esc", "supervise {REP} --due 2026-12-05 --reason x --to <ESC>", "承办单位："),
    ("supervise-unit-huge", "supervise {REP} --due 2026-12-05 --reason x --to <BIG>", "承办单位："),
    ("supervise-on-before", "supervise {REP} --due 2026-12-05 --reason x --on 2026-11-01", "早于本案登记的日期"),
    ("supervise-answer-empty", "supervise-answer {ASG} --text ''", "督办回复内容：必填"),
    ("supervise-answer-huge", "supervise-answer {ASG} --text <BIG>", "督办回复内容：过长"),
    ("supervise-answer-on-before", "supervise-answer {ASG} --text x --on 2026-11-10", "早于督办的日期 2026-11-16"),
    ("supervise-answer-none-open", "supervise-answer {REP} --text x", "没有待回复的督办"),
    ("instruct-no-text", "instruct {REP} --leader 县长", "缺少必填项 --text"),
    ("instruct-empty-leader", "instruct {REP} --leader '' --text x", "批示领导：必填"),
    ("instruct-huge-leader", "instruct {REP} --leader <BIG> --text x", "批示领导：过长"),
    ("instruct-nul-text", "instruct {REP} --leader x --text <NUL>", "批示内容：必填"),
    ("instruct-on-feb-30", "instruct {REP} --leader x --text y --on 2026-02-30", "日期：无法识别"),
    ("liaise-no-matter", "liaise {REP} --to x", "缺少必填项 --matter"),
    ("liaise-empty-to", "liaise {REP} --to '' --matter x", "收函单位：必填"),
    ("liaise-huge-matter", "liaise {REP} --to x --matter <BIG>", "协调联系事项：过长"),
    ("liaise-on-before", "liaise {REP} --to x --matter y --on 2026-11-01", "早于本案登记的日期"),
    ("liaise-answer-empty", "liaise-answer {ASG} --text ''", "回复内容：必填"),
    ("liaise-answer-from-unknown", "liaise-answer {ASG} --text x --from 不存在", "回复单位：“不存在”没有待回复的联系函"),
    ("liaise-answer-from-huge", "liaise-answer {ASG} --text x --from <BIG>", "回复单位：过长"),
    ("liaise-answer-on-before", "liaise-answer {ASG} --text x --on 2026-11-10", "早于联系函的日期 2026-11-16"),
    ("liaise-answer-none-open", "liaise-answer {REP} --text x", "没有待回复的联系函"),
    # reading: show, list, search, overdue, suggest
    ("show-no-case", "show", "缺少必填项 CASE"),
    ("list-status-unknown", "list --status abc", "状态：没有“abc”这种状态"),
    ("list-status-esc", "list --status <ESC>", "状态："),
    ("list-month-13", "list --month 2026-13", "月份：无法识别"),
    ("list-from-feb-30", "list --from 2026-02-30", "起始日期：无法识别"),
    ("list-to-before-from", "list --from 2026-11-20 --to 2026-11-01", "截止日期：不能早于起始日期"),
    ("list-due-within-minus-1", "list --due-within=-1", "到期工作日数：-1 超出范围"),
    ("list-due-within-letters", "list --due-within abc", "到期工作日数：“abc”不是整数"),
    ("list-due-within-huge", "list --due-within <BIG>", "到期工作日数："),
    ("list-limit-0", "list --limit 0", "最多列出：0 超出范围"),
    ("list-limit-letters", "list --limit abc", "最多列出：“abc”不是整数"),
    ("list-sort-unknown", "list --sort abc", "排序：没有“abc”这种排序方式"),
    ("list-text-nul", "list --text <NUL>", "不能为空"),
    ("list-text-huge", "list --text <BIG>", "过长"),
    ("search-no-text", "search", "缺少必填项 TEXT"),
    ("search-empty", "search ''", "检索词：必填，不能为空"),
    ("search-nul", "search <NUL>", "检索词：必填，不能为空"),
    ("search-huge", "search <BIG>", "检索词：过长"),
    ("overdue-within-minus-1", "overdue --within=-1", "提前工作日数：-1 超出范围"),
    ("overdue-within-letters", "overdue --within abc", "提前工作日数：“abc”不是整数"),
    ("overdue-within-61", "overdue --within 61", "提前工作日数：61 超出范围"),
    ("overdue-as-of-feb-30", "overdue --as-of 2026-02-30", "检查日期：无法识别"),
    ("overdue-as-of-1900", "overdue --as-of 1900-01-01", "超出工作日历范围"),
    ("overdue-as-of-9999", "overdue --as-of 9999-12-31", "检查日期"),
    ("overdue-output-pdf", "overdue -o {T}/x.pdf", "扩展名只能是 .xlsx、.csv"),
    ("overdue-output-is-dir", "overdue -o {T}", "输出文件："),
    ("overdue-output-no-dir", "overdue -o {T}/nope/x.xlsx", "输出文件：目录"),
    ("overdue-output-exists", "overdue -o {T}/exists.xlsx", "已存在；如要覆盖请加 --force"),
    ("suggest-as-of-letters", "suggest --as-of abc", "查找日期：无法识别"),
    # reports
    ("report-accept-month-and-year", "report accept --month 2026-11 --year 2026", "统计期间：请用 --month"),
    ("report-accept-month-13", "report accept --month 2026-13", "月份：无法识别"),
    ("report-accept-month-huge", "report accept --month <BIG>", "月份：无法识别"),
    ("report-accept-quarter-5", "report accept --quarter 2026Q5", "季度：无法识别"),
    ("report-accept-year-letters", "report accept --year abc", "年份：无法识别"),
    ("report-accept-from-only", "report accept --from 2026-11-20", "--from 和 --to 须同时给出"),
    ("report-accept-to-before-from", "report accept --from 2026-11-20 --to 2026-11-01", "截止日期：不能早于起始日期"),
    ("report-accept-two-periods", "report accept --month 2026-11 --year 2026", "同时给了 --month、--year"),
    ("report-accept-as-of-letters", "report accept --month 2026-11 --as-of abc", "截至日期：无法识别"),
    ("report-accept-as-of-before-period", "report accept --month 2026-11 --as-of 2026-10-01 -o {T}/a.xlsx", "截至日期"),
    ("report-accept-output-no-dir", "report accept --month 2026-11 -o {T}/nope/x.xlsx", "输出文件："),
    ("report-accept-output-exists", "report accept --month 2026-11 -o {T}/exists.xlsx", "已存在；如要覆盖请加 --force"),
    ("report-handle-quarter-letters", "report handle --quarter abc", "季度：无法识别"),
    ("report-handle-from-feb-30", "report handle --from 2026-02-30 --to 2026-03-01", "起始日期：无法识别"),
    ("report-handle-as-of-before-period", "report handle --month 2026-11 --as-of 2026-10-01 -o {T}/h.xlsx", "截至日期"),
    ("report-handle-output-no-dir", "report handle --month 2026-11 -o {T}/nope/x.xlsx", "输出文件："),
    ("report-stats-no-period", "report stats", "统计期间：请用 --month"),
    ("report-stats-month-13", "report stats --month 2026-13", "月份：无法识别"),
    ("report-stats-to-before-from", "report stats --from 2026-11-20 --to 2026-11-01", "截止日期：不能早于起始日期"),
    ("report-stats-as-of-before-period", "report stats --month 2026-11 --as-of 2026-10-01", "截至日期：2026-10-01 早于统计期间的第一天"),
    ("report-stats-year-9999", "report stats --year 9999", "年份：9999 年超出范围"),
    ("report-stats-year-0001", "report stats --year 0001", "年份"),
    ("report-stats-month-0001-01", "report stats --month 0001-01", "月份"),
    ("report-stats-output-no-dir", "report stats --month 2026-11 -o {T}/nope/x.xlsx", "输出文件：目录"),
    ("report-stats-output-exists", "report stats --month 2026-11 -o {T}/exists.xlsx", "已存在；如要覆盖请加 --force"),
    # the working calendar
    ("calendar-set-no-kind", "calendar set 2027-01-01", "缺少必填项 KIND"),
    ("calendar-set-feb-30", "calendar set 2027-02-30 休", "日期：无法识别"),
    ("calendar-set-letters", "calendar set abc 休", "日期：无法识别"),
    ("calendar-set-nul", "calendar set <NUL> 休", "日期：无法识别"),
    ("calendar-set-range-reversed", "calendar set 2027-01-03..2027-01-01 休", "结束日期早于开始日期"),
    ("calendar-set-range-too-long", "calendar set 2027-01-01..2099-01-01 休", "一次最多录入 31 天"),
    ("calendar-set-kind-unknown", "calendar set 2027-01-01 放假", "类型：只能是“休”"),
    ("calendar-set-kind-esc", "calendar set 2027-01-01 <ESC>", "类型：只能是“休”"),
    ("calendar-set-kind-huge", "calendar set 2027-01-01 <BIG>", "类型：只能是“休”"),
    ("calendar-set-huge-note", "calendar set 2027-01-01 休 --note <BIG>", "说明：过长"),
    ("calendar-set-year-1999", "calendar set 1999-01-01 休", "超出工作日历范围"),
    ("calendar-set-year-2101", "calendar set 2101-01-01 休", "日期：2101 年超出范围"),
    ("calendar-set-year-9999", "calendar set 9999-01-01 休", "日期：9999 年超出范围"),
    ("calendar-import-no-file", "calendar import", "缺少必填项 FILE"),
    ("calendar-import-missing", "calendar import {F}/nope.txt", "无法读取"),
    ("calendar-import-directory", "calendar import {F}/adir", "无法读取"),
    ("calendar-import-gbk", "calendar import {F}/gbk.txt", "UTF-8 编码"),
    ("calendar-import-real-xlsx", "calendar import {F}/real.xlsx", "UTF-8 编码"),
    ("calendar-import-txt-named-xlsx", "calendar import {F}/fake.xlsx", "第 1 行"),
    ("calendar-import-feb-30", "calendar import {F}/feb30.txt", "第 2 行：日期：无法识别“2027-02-30”"),
    ("calendar-import-kind-unknown", "calendar import {F}/kind.txt", "第 1 行：类型只能是“休”或“班”"),
    ("calendar-import-range-reversed", "calendar import {F}/reversed.txt", "结束日期早于开始日期"),
    ("calendar-import-control-line", "calendar import {F}/control.txt", "第 1 行"),
    ("calendar-import-huge-line", "calendar import {F}/huge.txt", "第 1 行"),
    ("calendar-import-empty", "calendar import {F}/empty.txt", "中没有任何日期"),
    ("calendar-show-month-13", "calendar show 2026-13", "月份：无法识别"),
    ("calendar-show-huge", "calendar show <BIG>", "月份：无法识别"),
    ("calendar-confirm-letters", "calendar confirm abc", "年份：“abc”不是整数"),
    ("calendar-confirm-1999", "calendar confirm 1999", "年份：1999 超出范围"),
    ("calendar-confirm-99999", "calendar confirm 99999", "年份：99999 超出范围"),
    ("calendar-confirm-minus-1", "calendar confirm -1", "没有选项 -1"),
    # settings
    ("config-set-no-value", "config set 单位名称", "缺少必填项 VALUE"),
    ("config-set-key-unknown", "config set 不存在 x", "设置项：没有“不存在”这一项"),
    ("config-set-key-huge", "config set <BIG> x", "设置项："),
    ("config-set-empty-unit-name", "config set 单位名称 ''", "单位名称：必填"),
    ("config-set-nul-unit-name", "config set 单位名称 <NUL>", "单位名称：必填"),
    ("config-set-huge-unit-name", "config set 单位名称 <BIG>", "单位名称：过长"),
    ("config-set-repeat-days-letters", "config set 重复信访查找天数 abc", "重复信访查找天数"),
    ("config-add-no-values", "config add 问题类型", "缺少必填项 VALUES"),
    ("config-add-list-unknown", "config add 不存在 x", "列表：没有“不存在”这一项"),
    ("config-add-list-huge", "config add <BIG> x", "列表："),
    ("config-add-empty", "config add 问题类型 ok ''", "问题类型：必填"),
    ("config-add-bel", "config add 问题类型 <BEL>", "问题类型：必填"),
    ("config-add-huge", "config add 问题类型 <BIG>", "问题类型：过长"),
    ("config-remove-absent", "config remove 问题类型 不存在", "问题类型：列表中没有“不存在”"),
    ("config-remove-esc", "config remove 问题类型 <ESC>", "问题类型：列表中没有"),
    ("config-remove-huge", "config remove 问题类型 <BIG>", "问题类型：列表中没有"),
    ("config-remove-required-value", "config remove 信访来源 上级交办", "程序依赖的值，不能删除"),
    ("config-unit-empty", "config unit ''", "承办单位：必填"),
    ("config-unit-nul", "config unit <NUL>", "承办单位：必填"),
    ("config-unit-huge", "config unit <BIG>", "承办单位：过长"),
    ("config-unit-phone-letter", "config unit 沙河镇 --phone 1381234567x", "联络员电话：所填号码"),
    ("config-unit-phone-esc", "config unit 沙河镇 --phone <ESC>", "联络员电话：含有控制字符"),
    ("config-unit-huge-liaison", "config unit 沙河镇 --liaison <BIG>", "联络员：过长"),
    ("config-unit-remove-absent", "config unit 不存在 --remove", "承办单位：名单中没有“不存在”"),
    ("config-unit-remove-esc", "config unit <ESC> --remove", "承办单位：名单中没有"),
    ("config-unit-remove-huge", "config unit <BIG> --remove", "承办单位：名单中没有"),
    ("config-unit-remove-in-use", "config unit 沙河镇 --remove", "已有交办案件，不能删除"),
    ("config-rules-use-unknown", "config rules use abc", "期限规则：没有“abc”"),
    ("config-rules-use-esc", "config rules use <ESC>", "期限规则："),
    ("config-rules-set-no-unit", "config rules set 答复 15", "缺少必填项 UNIT"),
    ("config-rules-set-letters", "config rules set 答复 abc 工作日", "天数：“abc”不是整数"),
    ("config-rules-set-0", "config rules set 答复 0 工作日", "天数：0 超出范围"),
    ("config-rules-set-366", "config rules set 答复 366 工作日", "天数：366 超出范围"),
    ("config-rules-set-unit-unknown", "config rules set 答复 15 周", "计算方式：只能是"),
    ("config-rules-set-stage-unknown", "config rules set 不存在 15 工作日", "期限环节：没有“不存在”"),
    ("config-rules-set-stage-huge", "config rules set <BIG> 15 工作日", "期限环节："),
    ("config-rules-set-max-letters", "config rules set 答复 15 工作日 --max abc", "最长期限：“abc”不是整数"),
    ("config-rules-set-max-below", "config rules set 答复 30 工作日 --max 15", "最长期限：不能短于一般期限 30"),
    ("config-rules-off-unknown", "config rules off 不存在", "期限环节：没有“不存在”"),
    ("config-templates-missing", "config templates {F}/nope", "不存在或其中没有 .docx 模板"),
    ("config-templates-no-docx", "config templates {F}/adir", "不存在或其中没有 .docx 模板"),
    ("config-templates-a-file", "config templates {F}/a.txt", "不存在或其中没有 .docx 模板"),
    ("config-templates-nul", "config templates <NUL>", "文书模板目录"),
    ("config-templates-huge", "config templates <BIG>", "文书模板目录"),
    ("templates-export-no-folder", "templates export", "缺少必填项 FOLDER"),
    ("templates-export-to-a-file", "templates export {T}/exists.txt", "目录"),
    ("init-empty-unit-name", "init --unit-name ''", "单位名称：必填"),
    ("init-huge-unit-name", "init --unit-name <BIG>", "单位名称：过长"),
    ("init-nul-prefix", "init --prefix <NUL>", "案件编号前缀：必填"),
    ("init-huge-clerk", "init --clerk <BIG>", "经办人：过长"),
    ("init-bogus-option", "init --bogus", "没有选项 --bogus"),
    # leaders' reception days
    ("reception-no-leaders", "reception plan --year 2027 --rule 'last-friday 09:00-11:00'", "缺少必填项 --leaders"),
    ("reception-year-letters", "reception plan --year abc --rule 'last-friday 09:00-11:00' --leaders 张三", "年份：“abc”不是整数"),
    ("reception-year-1999", "reception plan --year 1999 --rule 'last-friday 09:00-11:00' --leaders 张三", "年份：1999 超出范围"),
    ("reception-rule-no-time", "reception plan --year 2027 --rule abc --leaders 张三", "接访规则：“abc”缺少接访时间段"),
    ("reception-rule-ends-first", "reception plan --year 2027 --rule 'last-friday 11:00-09:00' --leaders 张三", "结束时间不晚于开始时间"),
    ("reception-rule-hour-25", "reception plan --year 2027 --rule 'last-friday 25:00-26:00' --leaders 张三", "时间 25:00 不存在"),
    ("reception-rule-fifth", "reception plan --year 2027 --rule 'fifth-friday 09:00-11:00' --leaders 张三", "“fifth”不是第几个"),
    ("reception-rule-huge", "reception plan --year 2027 --rule <BIG> --leaders 张三", "接访规则：过长"),
    ("reception-leaders-empty", "reception plan --year 2027 --rule 'last-friday 09:00-11:00' --leaders ''", "接访领导：至少写一位领导"),
    ("reception-leaders-commas", "reception plan --year 2027 --rule 'last-friday 09:00-11:00' --leaders ,,,", "接访领导：至少写一位领导"),
    ("reception-leaders-nul", "reception plan --year 2027 --rule 'last-friday 09:00-11:00' --leaders <NUL>", "接访领导：至少写一位领导"),
    ("reception-leaders-repeated", "reception plan --year 2027 --rule 'last-friday 09:00-11:00' --leaders 张三,张三", "张三 重复出现"),
    ("reception-leaders-huge", "reception plan --year 2027 --rule 'last-friday 09:00-11:00' --leaders <BIG>", "接访领导：过长"),
    ("reception-place-huge", "reception plan --year 2027 --rule 'last-friday 09:00-11:00' --leaders 张三 --place <BIG>", "接访地点：过长"),
    ("reception-output-no-dir", "reception plan --year 2027 --rule 'last-friday 09:00-11:00' --leaders 张三 -o {T}/nope/x.xlsx", "输出文件：目录"),
    ("reception-output-pdf", "reception plan --year 2027 --rule 'last-friday 09:00-11:00' --leaders 张三 -o {T}/x.pdf", "扩展名只能是 .xlsx"),
    ("reception-output-exists", "reception plan --year 2027 --rule 'last-friday 09:00-11:00' --leaders 张三 -o {T}/exists.xlsx", "已存在；如要覆盖请加 --force"),
    ("reception-show-year-letters", "reception show --year abc", "年份：“abc”不是整数"),
    ("reception-show-year-minus-1", "reception show --year=-1", "年份：-1 超出范围"),
    # backup and restore
    ("backup-keep-0", "backup --keep 0", "保留份数：0 超出范围"),
    ("backup-keep-letters", "backup --keep abc", "保留份数：“abc”不是整数"),
    ("backup-into-a-file", "backup {T}/exists.txt", "无法创建备份目录"),
    ("restore-no-file", "restore", "缺少必填项 FILE"),
    ("restore-missing", "restore {F}/nope.db", "不存在"),
    ("restore-text-file", "restore {F}/a.txt", "不是可用的台账文件"),
    ("restore-directory", "restore {F}/adir", "不是"),
]  # fmt: skip

BUGS: dict[str, str] = {
}  # fmt: skip


GROUPS = {"report", "calendar", "config", "reception", "templates"}  # two-word commands


def _command(line: str) -> str:
    words = line.split()
    return " ".join(words[:2] if words[0] in GROUPS else words[:1])


# On the county's store: each command's first case, and each that names a case that is not
# there (both read the store); the other refusals are the same argument checks over again.
ON_BOTH = {
    next(name for name, line, _ in CASES if _command(line) == command)
    for command in {_command(line) for _, line, _ in CASES}
} | {name for name, _, _ in CASES if "9999" in name}


def _param(case: tuple[str, str, str]) -> object:
    marks = (
        [pytest.mark.xfail(reason=f"BUG: {BUGS[case[0]]}", strict=True)] if case[0] in BUGS else []
    )
    if case[0] not in ON_BOTH:
        marks.append(pytest.mark.sqlite_only("one case per command runs on PostgreSQL too"))
    return pytest.param(*case[1:], id=case[0], marks=marks)


def _sh(*args: str) -> None:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, (args, result.output)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, template_ledger: Path) -> Path:
    """The small ledger, built once through the CLI; each test gets a copy."""
    folder = tmp_path_factory.mktemp("built")
    db = folder / "ledger.db"
    shutil.copyfile(template_ledger, db)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XINFANG_DB", str(db))
        patch.setenv("XINFANG_NOW", "2026-11-23 10:00")
        patch.setenv("XINFANG_USER", "王芳")
        _sh(*REGISTER)
        for n, key in enumerate(list(CASE_STATES)[1:], 2):
            person = f"--name 信访人{n} --content 反映事项{n} --new-matter"
            _sh(*REG.split()[:5], *person.split(), "--on", f"2026-11-02 {n + 8}:00")
            for action, *options in LIFE[: STEPS_TAKEN.get(key, 0)]:
                _sh(action, CASE_STATES[key], *options)
        for step in EXTRA:
            _sh(*step)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    inputs = folder / "in"
    (inputs / "adir").mkdir(parents=True)
    for name, text in {
        "a.txt": "hello", "fake.xlsx": "hello", "feb30.txt": "2027-01-01 休\n2027-02-30 休\n",
        "kind.txt": "2027-01-01 放假\n", "reversed.txt": "2027-01-03..2027-01-01 休\n",
        "control.txt": "2027-01-01 \x1b[31m休\n", "huge.txt": BIG + "\n", "empty.txt": "# 空\n",
    }.items():  # fmt: skip
        (inputs / name).write_text(text, encoding="utf-8")
    (inputs / "gbk.txt").write_bytes("2027-01-01 休 元旦\n".encode("gbk"))
    book = openpyxl.Workbook()
    book.active["A1"] = "2027-01-01 休"
    book.save(inputs / "real.xlsx")
    return folder


def snapshot(folder: Path) -> list[tuple[str, int]]:
    """Every file and folder under the ledger's files folder, with file sizes."""
    return sorted(
        (str(p.relative_to(folder)), p.stat().st_size if p.is_file() else -1)
        for p in folder.rglob("*")
    )


class Hang(Exception):
    pass


def _hang(*_: object) -> None:
    raise Hang("still running after 10 s")


@contextmanager
def time_limit() -> Iterator[None]:
    """A command that hangs fails its test instead of stopping the whole run."""
    previous = signal.signal(signal.SIGALRM, _hang)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(("line", "expected"), [_param(c) for c in CASES])
def test_bad_input_is_refused(
    run, db_path, tmp_path, monkeypatch, built, line, expected, store, request
):
    if store == "postgresql":  # the built ledger, moved into a town's database
        db_path = request.getfixturevalue("pg_towns").from_file(built / "ledger.db")
        monkeypatch.setenv("XINFANG_DB", db_path)
    else:
        shutil.copyfile(built / "ledger.db", db_path)
    shutil.copytree(built / "ledger-files", ledger_files(db_path))
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for name in ("exists.xlsx", "exists.txt"):
        (out_dir / name).write_text("x")
    monkeypatch.chdir(out_dir)
    words = {**CASE_STATES, "F": str(built / "in"), "T": str(out_dir)}
    args = shlex.split(line.format_map(words))
    for mark, value in MARKS.items():
        args = [a.replace(mark, value) for a in args]
    files = ledger_files(db_path)
    before, files_before = dump(db_path), snapshot(files)
    with time_limit():
        out = run(*args, expect=None)
    assert out.exit_code == 2, out.output[:300]
    assert out.stderr.startswith("错误："), out.stderr[:300]
    assert expected in out.stderr, out.stderr[:300]
    assert "Traceback" not in out.output
    assert out.stdout == ""
    # One short line: what was typed is not echoed raw (control characters, a megabyte).
    assert len(out.stderr) < 1000 and out.stderr.count("\n") == 1 and out.stderr.endswith("\n")
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f]", out.stderr), repr(out.stderr[:300])
    # No personal data in error messages: a phone or ID number typed is not repeated back.
    for number in re.findall(r"[0-9]{7,}", " ".join(a for a in args if "/" not in a)):
        assert number not in out.stderr
    personal = {"--phone", "--id-number"} | (
        {"--value"} if {"联系电话", "身份证号码"} & {*args} else set()
    )
    for option, value in itertools.pairwise(args):
        if option in personal and len(value) > 4:
            assert value not in out.stderr
    assert dump(db_path) == before, "a refused command changed the ledger"
    assert snapshot(files) == files_before, "a refused command left files behind"


COMMANDS = (
    "register", "accept", "reject", "transfer", "notify", "assign", "unit-accept", "unit-report",
    "reply", "revisit", "publicize", "close", "archive", "note", "correct", "extend", "pause",
    "resume", "attach", "verify", "print", "lend", "return", "review", "recheck", "deliver",
    "reexamine", "supervise",
    "supervise-answer", "instruct", "liaise", "liaise-answer", "show", "list", "search",
    "overdue", "suggest", "init", "backup", "restore", "report accept", "report handle",
    "report stats", "calendar set", "calendar import", "calendar show", "calendar confirm",
    "config set", "config add", "config remove", "config unit", "config rules use",
    "config rules set", "config rules off", "config templates", "reception plan",
    "reception show", "templates export",
)  # fmt: skip


def test_the_table_covers_every_command_that_takes_input():
    words = [line.split() for _, line, _ in CASES]
    tried = {" ".join(w[:n]) for w in words for n in (1, 2, 3)}
    assert [name for name in COMMANDS if name not in tried] == []
    assert len({case[0] for case in CASES}) == len(CASES), "row ids must be unique"
    assert set(BUGS) <= {case[0] for case in CASES}


def test_control_characters_in_free_text_are_dropped_not_stored(run, sql):
    """Free text is cleaned rather than refused (validate.clean_text): nothing raw is stored."""
    name, address = "王\x1b[31m某\x07", "沙河镇\x00一组"
    run(*REG.split()[:5], "--name", name, "--address", address, "--content", "x")
    (row,) = sql("SELECT name, address FROM cases")
    assert row == ("王[31m某", "沙河镇一组")


def test_a_far_but_valid_supervision_due_date_does_not_hang(run, registered):
    run("accept", registered, "--on", "2026-11-03")
    with time_limit():
        run("supervise", registered, "--due", "2100-12-31", "--reason", "x", "--to", "沙河镇")
