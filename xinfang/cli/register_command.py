"""`xinfang register`: by options, by questions at a terminal (for what the options do not
give, then a summary to confirm), or from a pasted text (`--from-text`)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from xinfang.cli.base import (
    ByOption,
    DbOption,
    JsonOption,
    OldUnusualOption,
    UnusualOption,
    open_ledger,
    print_json,
)
from xinfang.cli.interview import interview, unusual_confirmed, yes_no
from xinfang.cli.root import command
from xinfang.core.errors import InvalidInput
from xinfang.core.intake import registration
from xinfang.core.intake.fields import missing
from xinfang.core.intake.numbering import formal_number, parse_case_number
from xinfang.core.intake.pasted import Pasted, read_pasted
from xinfang.core.intake.repeats import Match
from xinfang.core.life.finality import NOT_AGAIN
from xinfang.core.reporting import query
from xinfang.core.vocabulary import COLLECTIVE


@command("register")
def register_command(
    name: Annotated[str | None, typer.Option("--name", help="信访人姓名")] = None,
    sex: Annotated[str | None, typer.Option("--sex", help="性别：男、女")] = None,
    age: Annotated[str | None, typer.Option("--age", help="年龄（1–120 岁）")] = None,
    phone: Annotated[
        str | None, typer.Option("--phone", help="联系电话（手机或区号-座机）")
    ] = None,
    id_number: Annotated[str | None, typer.Option("--id-number", help="身份证号码")] = None,
    address: Annotated[str | None, typer.Option("--address", help="通讯地址/单位及住址")] = None,
    persons: Annotated[
        str | None, typer.Option("--persons", help=f"人数，{COLLECTIVE} 人以上为集体访")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="信访来源，如 本级、上级交办、领导接访")
    ] = None,
    form: Annotated[
        str | None, typer.Option("--form", help="信访形式：来信、来访、来电、网上信访、信访代办")
    ] = None,
    content: Annotated[str | None, typer.Option("--content", help="反映问题（诉求）")] = None,
    category: Annotated[str | None, typer.Option("--category", help="问题类型")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="事项类别：建议意见类、检举控告类、申诉求决类")
    ] = None,
    town: Annotated[str | None, typer.Option("--town", help="属地（乡镇）")] = None,
    receiver: Annotated[str | None, typer.Option("--receiver", help="接访人")] = None,
    opinion: Annotated[str | None, typer.Option("--opinion", help="接访人意见")] = None,
    anonymous: Annotated[bool, typer.Option("--anonymous", help="匿名信访（无需告知）")] = False,
    upper_ref: Annotated[
        str | None, typer.Option("--upper-ref", help="上级信访件编号（上级交办时必填）")
    ] = None,
    raised_by: Annotated[
        str | None, typer.Option("--raised-by", help="反映人身份：人大代表、政协委员、社会知名人士")
    ] = None,
    platform: Annotated[
        str | None, typer.Option("--platform", help="网络舆情：发布平台，如 人民网领导留言板")
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help="网络舆情：原帖网址")] = None,
    posted_at: Annotated[
        str | None, typer.Option("--posted-at", help="网络舆情：发帖时间（回复期限自此起算）")
    ] = None,
    urgent: Annotated[
        bool,
        typer.Option("--urgent", help="重大、紧急信访事项：当日须向领导和上级报告（report-up）"),
    ] = False,
    new_matter: Annotated[
        bool, typer.Option("--new-matter", help="不是重复信访：同一信访人的旧件也不关联")
    ] = False,
    link: Annotated[
        str | None,
        typer.Option("--link", help="作为重复信访关联到此前的案件（编号），如内容相似的旧件"),
    ] = None,
    unusual: UnusualOption = False,
    old_unusual: OldUnusualOption = False,
    interactive: Annotated[
        bool, typer.Option("--interactive", "-i", help="逐项提问登记（终端中不带选项时默认）")
    ] = False,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            help="信访时间（收到的日期和时间），默认现在；如 11月22日 14:30、昨天下午、上周五",
        ),
    ] = None,
    from_text: Annotated[
        str | None,
        typer.Option(
            "--from-text",
            help="从粘贴的来信、12345 工单或网上留言预填（文件；- 为标准输入）",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只显示从文本认出的内容（JSON），不登记")
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="不在终端时，照文本认出的内容登记")
    ] = False,
    by: ByOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """登记信访事项（接收必登），打印案件编号。

    例：xinfang register --name 张三 --phone 13812345678 --source 本级 --form 来访
    --content "反映低保评定不公" --category 最低生活保障 --town 沙河镇 --receiver 王芳
    """
    values = {
        "name": name,
        "sex": sex,
        "age": age,
        "phone": phone,
        "id_number": id_number,
        "address": address,
        "persons": persons,
        "source": source,
        "form": form,
        "content": content,
        "category": category,
        "kind": kind,
        "township": town,
        "receiver": receiver,
        "receiver_opinion": opinion,
        "anonymous": anonymous,
        "upper_ref": upper_ref,
        "raised_by": raised_by,
        "platform": platform,
        "post_url": url,
        "posted_at": posted_at,
    }
    given = {key: value for key, value in values.items() if value not in (None, False)}
    force = unusual or old_unusual  # --force: the old spelling of --confirm-unusual
    try:
        _register(
            open_ledger(db), given, text=from_text, on=on, by=by, force=force, urgent=urgent,
            new_matter=new_matter, link=link, interactive=interactive, as_json=as_json,
            dry_run=dry_run, yes=yes,
        )  # fmt: skip
    except (KeyboardInterrupt, EOFError) as stop:
        # Ctrl-C (or Ctrl-D) mid-interview: nothing has been written; ^C left the line open.
        typer.echo("\n已取消，未登记。", err=True)
        raise typer.Exit(130 if isinstance(stop, KeyboardInterrupt) else 1) from None


def _register(
    conn: sqlite3.Connection,
    given: dict[str, Any],
    *,
    text: str | None,
    on: str | None,
    by: str | None,
    force: bool,
    urgent: bool,
    new_matter: bool,
    link: str | None,
    interactive: bool,
    as_json: bool,
    dry_run: bool,
    yes: bool,
) -> None:
    if text is None and (dry_run or yes):
        raise InvalidInput("--dry-run" if dry_run else "--yes", "只与 --from-text 一起使用")
    terminal = at_terminal()
    if on:
        given["received_at"] = on
    pasted = read_pasted(conn, _read_text(text)) if text is not None else None
    if pasted is not None:
        given = {**pasted.values, **given}  # what the clerk typed wins over the text
        if dry_run or not terminal:
            if dry_run or not yes:
                print_json(_preview(pasted, given))
                if not dry_run:
                    typer.echo("未登记：核对以上内容后加 --yes 登记（在终端中可逐项确认）。", err=True)  # fmt: skip
                return
            absent = missing(given)
            if absent:
                raise InvalidInput(
                    "必填项",
                    f"文本中没有{'、'.join(absent)}；请用选项补上，如 --name 张三、"
                    "--source 本级（匿名信访加 --anonymous）",
                )
    unusual = False
    if pasted is not None and terminal:
        given, unusual = interview(conn, given, force=force, ask_optional=interactive, repeats=pasted.repeats)  # fmt: skip
    elif interactive or (terminal and not given):
        given, unusual = interview(conn, given, force=force)
    elif terminal and missing(given):  # the options given are kept; the rest asked
        given, unusual = interview(conn, given, force=force, ask_optional=False)
    elif terminal and not force:
        unusual = unusual_confirmed(conn, given)
    asked: list[Match] = []

    def ask(candidates: list[Match]) -> str | None:
        asked.extend(candidates)
        return _ask_same_matter(candidates)

    done = registration.register(
        conn, given, on=on, by=by, force=force or unusual, link_repeats=not new_matter,
        link_to=link, ask=ask if (interactive or terminal) and not as_json else None,
        urgent=urgent,
    )  # fmt: skip
    if as_json:
        print_json(query.show(conn, done.case_no))
        return
    year, seq = parse_case_number(done.case_no)
    formal = formal_number(query.Prefixes.of(conn).case, year, seq)
    typer.echo(f"已登记：{done.case_no}（{formal}）")
    if urgent:
        typer.echo(f"重大紧急：当日须向领导和上级报告（xinfang report-up {done.case_no}）")
    _say_repeats(done, new_matter=new_matter, asked=bool(asked))


def _read_text(source: str) -> str:
    """The pasted text: a file (UTF-8, or GB18030 as Chinese Windows saves it) or stdin."""
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except FileNotFoundError:
        raise InvalidInput("--from-text", f"找不到文件 {source}") from None
    except OSError as error:
        raise InvalidInput("--from-text", f"无法读取 {source}：{error.strerror}") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if text.strip():
            return text
        raise InvalidInput("--from-text", "文本为空")
    raise InvalidInput("--from-text", "不是 UTF-8 或 GB18030 编码的文本")


def _preview(pasted: Pasted, values: dict[str, Any]) -> dict[str, Any]:
    """What `--dry-run` prints: the fields as they would be registered."""
    return {
        "kind": pasted.kind,
        "fields": values,
        "missing": missing(values),
        "notes": pasted.notes,
        "repeats": [
            {"case_no": m.case_no, "status": m.status.label, "reasons": list(m.reasons)}
            for m in pasted.repeats
        ],
    }


def at_terminal() -> bool:
    """A clerk who can answer a question (tests stand in for one)."""
    return sys.stdin.isatty()


def _show(matches: list[Match]) -> None:
    for match in matches[:5]:
        ended = f"；{NOT_AGAIN}" if match.ended else ""
        typer.echo(f"  {match.case_no}（{match.status.label}）：{'、'.join(match.reasons)}{ended}")


def _ask_same_matter(candidates: list[Match]) -> str | None:
    """Similar content from another petitioner: the clerk says whether it is one matter."""
    typer.echo("找到内容相似的旧件（不是同一信访人）：")
    for match in candidates[:5]:
        _show([match])
        if yes_no(f"  与 {match.case_no} 是否为同一事项？"):
            return match.case_no
    return None


def _say_repeats(done: registration.Registered, *, new_matter: bool, asked: bool) -> None:
    """Show the clerk the earlier petitions of the same matter."""
    linked = done.linked_to
    if not done.repeats and linked is None:
        return
    if linked is None:
        if asked:
            typer.echo("经办人确认不是同一事项，未关联。")
            return
        typer.echo("可能是重复信访，找到以下旧件（未关联）：")
        _show(done.repeats)
        if new_matter:
            typer.echo("  （按 --new-matter 未关联）")
        else:  # similar content only: linked when the clerk says so
            first = done.repeats[0].case_no
            typer.echo(f"  如为同一事项：xinfang link {done.case_no} --to {first}")
        return
    typer.echo("可能是重复信访，找到以下旧件：")
    listed = any(match.case_id == linked.case_id for match in done.repeats)
    _show(done.repeats if listed else [linked, *done.repeats])
    typer.echo(f"已作为重复信访关联到 {linked.case_no} 所属事项。")
    if linked.ended:  # 终结: shown to the clerk, who decides (不予受理), not refused here
        typer.echo(
            f"  注意：该事项{NOT_AGAIN}（{linked.ended}）。以同一事实和理由再次提出的，"
            "各级机关不再受理（《信访工作条例》第三十五、三十六条）。"
        )
    elif linked.being_handled:
        typer.echo(
            "  注意：该事项正在办理中。办理期间以同一事实和理由提出的，不再重复受理"
            "（可不予受理或并案办理）。"
        )
