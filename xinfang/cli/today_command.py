"""`xinfang today` (and `xinfang` alone at a terminal): the clerk's day on one screen."""

from __future__ import annotations

import typer

from xinfang.cli.base import DbOption, JsonOption, open_ledger, print_json
from xinfang.cli.root import command
from xinfang.core import agenda
from xinfang.core.clock.dates import today
from xinfang.core.clock.promises import WEEKDAYS
from xinfang.core.vocabulary import URGENT

CONTENT = 24  # characters of 反映问题 on an agenda line


def _lines(title: str, dues: list[agenda.Due], note: str = "") -> list[str]:
    if not dues:
        return []
    lines = [f"{title}（{note}{len(dues)} 件）"]
    for due in dues:
        urgent = f"【{URGENT}】" if due.urgent else ""
        content = due.content.replace("\n", " ")
        short = content[:CONTENT] + ("…" if len(content) > CONTENT else "")
        lines.append(f"  {due.case_no} {urgent}{due.status}　{due.petitioner or ''}　{short}")
        for deadline in due.deadlines:
            lines.append(
                f"      {deadline.label}期限 {deadline.due_on} {deadline.left}"
                f"（{deadline.handled_by}）"
            )
        for label, typed in zip(due.next_steps, due.commands, strict=True):
            lines.append(f"      → {label}：{typed}")
    return lines


def agenda_lines(day: agenda.Agenda) -> list[str]:
    from datetime import date

    from xinfang.cli.calendar_commands import month_lines

    now = date.fromisoformat(day.today)
    lines = [f"今天 {day.today}（{WEEKDAYS[now.weekday()]}）"]
    lines += _lines("已超期", day.overdue)
    lines += _lines("今天到期", day.due_today)
    lines += _lines(f"{day.within} 个工作日内到期", day.due_soon, f"至 {day.horizon}，")
    if not (day.overdue or day.due_today or day.due_soon):
        lines.append(f"没有已超期、今天或 {day.within} 个工作日内到期的期限。")
    if day.notices:
        lines.append(f"待打印的告知书（{len(day.notices)} 件；告知后登记：xinfang notify 编号）")
        for notice in day.notices:
            due = f"（告知期限 {notice.due_on}）" if notice.due_on else ""
            lines.append(f"  {notice.case_no} {notice.document}{due}：{notice.command}")
    held = day.reception
    if held:
        place = f"，{held['place']}" if held["place"] else ""
        lines.append(f"今天领导接访：{held['leader']}，{held['starts']}–{held['ends']}{place}")
    else:
        lines.append("今天没有领导接访安排。")
    lines += _lines("借阅案卷到期", day.loans)
    lines.append("")
    if day.calendar is not None:
        lines += month_lines(day.calendar, now)
    lines += [f"注意：{warning}" for warning in day.warnings]
    return lines


@command("today")
def today_command(as_json: JsonOption = False, db: DbOption = None) -> None:
    """今天的工作：超期、到期的期限，待打印的告知书，接访和日历

    今天的工作：已超期、今天到期和 3 个工作日内到期的期限（每件附下一步和要输入的命令）、
    待打印的告知书、今天的领导接访、到期的借阅案卷，以及本月日历。

    例：xinfang today；xinfang today --json
    """
    day = agenda.agenda(open_ledger(db), today())
    if as_json:
        print_json(day.as_json())
        return
    for line in agenda_lines(day):
        typer.echo(line)
