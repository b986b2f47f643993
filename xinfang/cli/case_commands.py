"""The commands that move a case through its life. Each parses its options, calls one
core function and prints one line."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated

import typer

from xinfang.cli.base import (
    ByOption,
    CaseArgument,
    DbOption,
    OldUnusualOption,
    OnOption,
    PersonOption,
    PhoneOption,
    UnusualOption,
    open_ledger,
)
from xinfang.cli.root import command
from xinfang.core import vocabulary
from xinfang.core.clock import due as due_words
from xinfang.core.intake.numbering import formal_number
from xinfang.core.life import closing, deciding, handling, notes, timing
from xinfang.core.settings import get as setting

NotifiedOnOption = Annotated[
    str | None,
    typer.Option(
        "--notified-on", help="已告知信访人的日期（当场或书面告知）；不填则稍后用 notify 记录"
    ),
]
NoticeMethodOption = Annotated[
    str | None,
    typer.Option("--notice-method", help=f"告知方式：{'、'.join(vocabulary.NOTICE_METHODS)}"),
]


def _done(what: str, case_no: str, extra: str = "") -> None:
    typer.echo(f"{what}：{case_no}{extra}")


def _notice_open(conn: sqlite3.Connection, case_no: str) -> None:
    """A notice recorded that meets no duty (a phone call where the rules want it written):
    the clerk reads at once that the written notice is still owed."""
    from xinfang.core.clock import deadlines
    from xinfang.core.life import ledger

    case = ledger.find(conn, case_no)
    if case.notified_on and not deadlines.notice_given(conn, case):
        typer.echo(
            f"{case.notice_method}已记录，但规则要求须书面告知，告知期限仍未完成；"
            f"书面告知后用 xinfang notify {case_no} --notice-method {vocabulary.WRITTEN_NOTICE} 记录"
        )


def _provisional(conn: sqlite3.Connection, case_no: str, *stages: str) -> None:
    """The dates this step fixed that may move once the year's holidays are known."""
    from xinfang.core.clock import promises

    for date_ in promises.provisional(conn, case_no, stages):
        typer.echo(f"{date_.label}期限 {date_.due_on}{date_.note}")


@command("accept")
def accept_command(
    case: CaseArgument,
    notified_on: NotifiedOnOption = None,
    notice_method: NoticeMethodOption = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """受理信访事项（3 个工作日内书面告知信访人）

    受理信访事项。须在 3 个工作日内书面告知信访人（匿名除外）。

    例：xinfang accept 2026-0001 --notified-on 2026-11-23
    """
    conn = open_ledger(db)
    case_no = deciding.accept(
        conn, case, on=on, notified_on=notified_on, notice_method=notice_method, by=by
    )
    from xinfang.core.life import ledger

    # An anonymous petition has nobody to tell (受理告知 is owed to a named petitioner).
    told = notified_on or ledger.find(conn, case_no).anonymous
    _done("已受理", case_no, "" if told else "（尚未告知信访人，告知后用 xinfang notify 记录）")
    _notice_open(conn, case_no)
    _provisional(conn, case_no, "reply")


@command("reject")
def reject_command(
    case: CaseArgument,
    reason: Annotated[str, typer.Option("--reason", help="不予受理的理由")],
    channel: Annotated[
        str, typer.Option("--channel", help="法定途径或有权处理的机关，如：向县人民法院提起诉讼")
    ],
    notified_on: NotifiedOnOption = None,
    notice_method: NoticeMethodOption = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """不予受理，写明理由和应走的法定途径或有权机关。

    例：xinfang reject 2026-0002 --reason "属劳动争议" --channel "向县劳动人事争议仲裁委员会申请仲裁"
    """
    conn = open_ledger(db)
    case_no = deciding.reject(
        conn,
        case,
        reason=reason,
        channel=channel,
        on=on,
        notified_on=notified_on,
        notice_method=notice_method,
        by=by,
    )
    _done("不予受理", case_no)
    _notice_open(conn, case_no)


@command("transfer")
def transfer_command(
    case: CaseArgument,
    to: Annotated[str, typer.Option("--to", help="转送的有权处理机关")],
    reason: Annotated[str | None, typer.Option("--reason", help="转送理由")] = None,
    notified_on: NotifiedOnOption = None,
    notice_method: NoticeMethodOption = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """转送：不属本单位职责的事项转送有权处理的机关。

    例：xinfang transfer 2026-0003 --to 县人力资源和社会保障局
    """
    conn = open_ledger(db)
    case_no = deciding.transfer(
        conn,
        case,
        to=to,
        reason=reason,
        on=on,
        notified_on=notified_on,
        notice_method=notice_method,
        by=by,
    )
    _done("已转送", case_no, f" → {to}")
    _notice_open(conn, case_no)


@command("notify")
def notify_command(
    case: CaseArgument,
    method: Annotated[
        str,
        typer.Option(
            "--notice-method",
            help=f"告知方式：{'、'.join(vocabulary.NOTICE_METHODS)}；联系不上的填 {vocabulary.UNREACHABLE}",
        ),
    ] = vocabulary.WRITTEN_NOTICE,
    old_method: Annotated[str | None, typer.Option("--method", hidden=True)] = None,  # old name
    reason: Annotated[
        str | None, typer.Option("--reason", help="无法联系的理由，如 电话空号、地址查无此人")
    ] = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """记录已告知信访人受理、不予受理或转送的决定（是否告知）。

    规则要求书面告知的，电话告知照记但不算告知完成；信访人无法联系的用 --notice-method 无法联系 --reason 写明理由。

    例：xinfang notify 2026-0001 --on 2026-11-24 --notice-method 书面告知书；xinfang notify 2026-0001 --notice-method 无法联系 --reason "电话空号"
    """
    conn = open_ledger(db)
    method = old_method or method
    case_no = deciding.notify(conn, case, method=method, reason=reason, on=on, by=by)
    _done("已记录告知", case_no)
    _notice_open(conn, case_no)


@command("assign")
def assign_command(
    case: CaseArgument,
    to: Annotated[str, typer.Option("--to", help="承办单位（乡镇或部门）")],
    due: Annotated[str, typer.Option("--due", help=f"办结期限，{due_words.HELP}")],
    person: PersonOption = None,
    phone: PhoneOption = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """交办：交承办单位办理，生成交办单编号

    交办：按属地管理、分级负责交承办单位办理，生成交办单编号；可写明承办责任人。

    例：xinfang assign 2026-0001 --to 沙河镇 --due 2026-12-05 --person 李明 --phone 13900000000
    """
    conn = open_ledger(db)
    case_no, year, seq = handling.assign(
        conn, case, to=to, due=due, person=person, phone=phone, on=on, by=by
    )
    number = formal_number(setting(conn, "assign_prefix"), year, seq)
    _done("已交办", case_no, f" → {to}，交办单 {number}")
    _provisional(conn, case_no, "unit_accept", "assign_due")
    from xinfang.core.clock import promises

    for warning in promises.assign_warnings(conn, case_no):
        typer.echo(f"提示：{warning}", err=True)


@command("unit-accept")
def unit_accept_command(
    case: CaseArgument, on: OnOption = None, by: ByOption = None, db: DbOption = None
) -> None:
    """记录承办单位已决定受理交办事项

    记录承办单位已决定受理交办事项（收到交办之日起 3 日内）。

    例：xinfang unit-accept 2026-0001 --on 2026-11-25
    """
    conn = open_ledger(db)
    _done("承办单位已受理", handling.unit_accept(conn, case, on=on, by=by))


@command("unit-report")
def unit_report_command(
    case: CaseArgument,
    text: Annotated[str, typer.Option("--text", help="承办单位报送的办理情况（办结报告）")],
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """记录承办单位报送的办理情况（办结报告）。

    例：xinfang unit-report 2026-0001 --text "经入户核查，已重新评定为低保对象"
    """
    conn = open_ledger(db)
    _done("已记录办理情况", handling.unit_report(conn, case, text=text, on=on, by=by))


@command("reply")
def reply_command(
    case: CaseArgument,
    result: Annotated[
        str, typer.Option("--result", help=f"答复结果：{'、'.join(vocabulary.REPLY_RESULTS)}")
    ],
    finding: Annotated[
        str, typer.Option("--finding", help=f"是否属实：{'、'.join(vocabulary.FINDINGS)}")
    ],
    text: Annotated[str, typer.Option("--text", help="答复意见（调查处理情况）")],
    approved_by: Annotated[
        str | None,
        typer.Option("--approved-by", help="审定回复的领导（网络舆情的回复必填）"),
    ] = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """答复信访人：办理结果、是否属实、答复意见

    答复信访人：办理结果、是否属实、答复意见。网络舆情的回复经单位领导审定后才在原留言
    网站发布，须写明审定的领导（--approved-by）。

    例：xinfang reply 2026-0001 --result 已解决 --finding 属实 --text "已纳入低保，自12月起发放"
    """
    conn = open_ledger(db)
    done = handling.reply(
        conn, case, result=result, finding=finding, text=text, approved_by=approved_by,
        on=on, by=by,
    )  # fmt: skip
    _done("已答复", done)


@command("revisit")
def revisit_command(
    case: CaseArgument,
    method: Annotated[
        str,
        typer.Option(
            "--method",
            help=f"回访方式，如 电话回访、现场走访；联系不上的填 {vocabulary.UNREACHABLE}",
        ),
    ],
    satisfaction: Annotated[
        str | None,
        typer.Option("--satisfaction", help="满意度：非常满意、满意、基本满意、一般、不满意"),
    ] = None,
    opinion: Annotated[str | None, typer.Option("--opinion", help="信访人意见")] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="无法联系的理由，如 多次电话无人接听")
    ] = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """回访信访人；不满意的重新办理

    回访信访人。不满意的，案件重新办理（编号不变，办理轮次加一）；信访人无法联系的，
    用 --method 无法联系 --reason 写明理由（不计满意度）。

    例：xinfang revisit 2026-0001 --method 电话回访 --satisfaction 满意
    """
    conn = open_ledger(db)
    case_no, round_no = closing.revisit(
        conn, case, method=method, satisfaction=satisfaction, opinion=opinion, reason=reason,
        on=on, by=by,
    )  # fmt: skip
    if satisfaction is None:
        _done("已回访", case_no, f"（{method}）")
    elif satisfaction == vocabulary.DISSATISFIED:
        _done("已回访（不满意）", case_no, f"，重新办理，第 {round_no} 轮")
    else:
        _done("已回访", case_no, f"（{satisfaction}）")


@command("publicize")
def publicize_command(
    case: CaseArgument,
    where: Annotated[str | None, typer.Option("--where", help="公示位置，如 单位门户网站")] = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="另存公示文本为 .txt 文件")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件")] = False,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """公示办理结果（办结后 3 日内），给出公示文本

    公示办理结果（办结后 3 日内），并给出公示文本：不含信访人姓名、电话、地址和身份证号。

    例：xinfang publicize 2026-0001 --where 县政府门户网站
    """
    target = Path(output) if output else None
    if target:
        from xinfang.store.files import check_target

        check_target(target, force=force, suffixes=(".txt",))  # before the 公示 is recorded
    conn = open_ledger(db)
    case_no, notice = closing.publicize(conn, case, where=where, on=on, by=by)
    _done("已公示", case_no, "；公示内容（不含信访人个人信息）：")
    typer.echo(notice)
    if target:
        from xinfang.store.files import write_text

        write_text(target, notice + "\n")


@command("close")
def close_command(
    case: CaseArgument,
    opinion: Annotated[str | None, typer.Option("--opinion", help="承办人意见")] = None,
    approved_by: Annotated[
        str | None, typer.Option("--approved-by", help="审批人（承办机构负责人）")
    ] = None,
    no_publicize: Annotated[
        bool, typer.Option("--no-publicize", help="不公示（结案审批表“是否公示”勾否），须写理由")
    ] = False,
    reason: Annotated[
        str | None, typer.Option("--reason", help="不公示的理由，如 涉及个人隐私")
    ] = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """办结（结案审批）

    办结（结案审批）。一般在公示之后；不公示的（如涉及个人隐私）回访后即可办结，理由记入结案审批表。

    例：xinfang close 2026-0001 --approved-by 李主任；xinfang close 2026-0001 --no-publicize --reason 涉及个人隐私
    """
    conn = open_ledger(db)
    case_no = closing.close(
        conn, case, opinion=opinion, approved_by=approved_by, publicize=not no_publicize,
        reason=reason, on=on, by=by,
    )  # fmt: skip
    _done("已办结", case_no, "（不公示）" if no_publicize else "")


@command("archive")
def archive_command(
    case: CaseArgument,
    retention: Annotated[
        str, typer.Option("--retention", help=f"保管期限：{'、'.join(vocabulary.RETENTIONS)}")
    ],
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """归档：生成案卷文件夹和压缩包（一案一卷）

    归档（一案一卷，办结后 5 个工作日内）：按案卷目录顺序生成案卷文件夹和压缩包。

    文件夹含案卷封面、案卷目录（含页次）、各项文书和 xinfang attach 添加的材料，
    每个文件都记录校验值，日后可用 xinfang verify 核对。

    例：xinfang archive 2026-0001 --retention 10年
    """
    from xinfang.cli.progress import bar
    from xinfang.core.life.archiving import archive
    from xinfang.outputs.archive import CaseFolder

    conn = open_ledger(db)
    with bar() as progress:
        done = archive(
            conn, case, retention=retention, binder=CaseFolder, on=on, by=by, progress=progress
        )
    _done("已归档", done.case_no, f"（卷内共 {done.pages} 页，{done.counted_by}）")
    typer.echo(f"案卷文件夹：{done.folder}")
    typer.echo(f"压缩包：{done.zip_path}")
    for other in done.waiting:  # 并案: their own folders follow the main case's
        typer.echo(
            f"并入本案的 {other} 可随之归档：xinfang archive {other} --retention {retention}"
        )


@command("note")
def note_command(
    case: CaseArgument,
    text: Annotated[str, typer.Argument(help="备注内容")],
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """给案件加一条备注（记入办理过程，可检索）。

    例：xinfang note 2026-0001 "信访人来电询问进度"
    """
    conn = open_ledger(db)
    _done("已备注", notes.note(conn, case, text, on=on, by=by))


@command("correct")
def correct_command(
    case: CaseArgument,
    field: Annotated[str, typer.Option("--field", help="要更正的字段，如 联系电话 或 phone")],
    value: Annotated[str, typer.Option("--value", help="更正后的值（空字符串表示清空）")],
    reason: Annotated[str | None, typer.Option("--reason", help="更正理由")] = None,
    unusual: UnusualOption = False,
    old_unusual: OldUnusualOption = False,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """更正登记信息。原值保留在办理过程中，不会被悄悄覆盖。

    例：xinfang correct 2026-0001 --field 联系电话 --value 13912345678 --reason 信访人更换号码
    """
    conn = open_ledger(db)
    case_no = notes.correct(
        conn, case, field=field, value=value, reason=reason, force=unusual or old_unusual,
        on=on, by=by,
    )  # fmt: skip
    _done("已更正", case_no, f"（{field}）")


@command("extend")
def extend_command(
    case: CaseArgument,
    reason: Annotated[str, typer.Option("--reason", help="延期理由（将告知信访人）")],
    days: Annotated[
        str | None,
        typer.Option("--days", help="延长天数；不填则认定为疑难复杂，延至规则允许的最长期限"),
    ] = None,
    stage: Annotated[
        str, typer.Option("--stage", help="延长哪个期限：答复（默认）或 网络舆情回复")
    ] = "答复",
    approved_by: Annotated[
        str | None, typer.Option("--approved-by", help="批准延期的负责人")
    ] = None,
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """延期：延长疑难复杂案件的答复期限

    延期：疑难复杂案件延长答复期限（不超过规则允许的最长期限），记入办理过程。

    例：xinfang extend 2026-0001 --reason "涉及多部门，需联合调查"；xinfang extend 2026-0001 --days 5 --reason …
    """
    conn = open_ledger(db)
    case_no, length = timing.extend(
        conn, case, reason=reason, days=days, stage=stage, approved_by=approved_by, on=on, by=by
    )
    _done("已延期", case_no, f"，{stage}期限现为 {length}")


@command("pause")
def pause_command(
    case: CaseArgument,
    reason: Annotated[str, typer.Option("--reason", help="暂停计时的理由，如 听证、鉴定")],
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """暂停计时：听证、鉴定等期间不计入办理期限

    暂停计时：听证、鉴定等期间不计入办理期限（恢复后期限顺延）。

    例：xinfang pause 2026-0001 --reason "组织听证"
    """
    conn = open_ledger(db)
    _done("已暂停计时", timing.pause(conn, case, reason=reason, on=on, by=by))


@command("resume")
def resume_command(
    case: CaseArgument, on: OnOption = None, by: ByOption = None, db: DbOption = None
) -> None:
    """恢复计时：暂停的天数不计入期限，各期限相应顺延。

    例：xinfang resume 2026-0001 --on 2026-12-10
    """
    conn = open_ledger(db)
    case_no, paused, moved = timing.resume(conn, case, on=on, by=by)
    _done("已恢复计时", case_no, f"（暂停 {paused} 天，期限顺延）")
    for shift in moved:
        typer.echo(f"{shift.label}期限顺延 {shift.days}{shift.unit}，至 {shift.due_on}")
