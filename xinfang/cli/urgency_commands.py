"""重大、紧急信访事项: `mark-urgent` and `report-up` (each report and 续报)."""

from __future__ import annotations

from typing import Annotated

import typer

from xinfang.cli.base import ByOption, CaseArgument, DbOption, OnOption, open_ledger
from xinfang.cli.root import command
from xinfang.core.life import urgency


@command("mark-urgent")
def mark_urgent_command(
    case: CaseArgument,
    reason: Annotated[
        str, typer.Option("--reason", help="为何重大紧急，如 家属聚集，可能引发群体性事件")
    ],
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """标记为重大、紧急信访事项（当日须上报）

    标记为重大、紧急信访事项：当日须向领导和上级报告（xinfang report-up），期限计入 overdue
    检查；此后在 overdue 和 list 中排在前面，计入统计的“重大紧急”。登记时即可加 --urgent。

    例：xinfang mark-urgent 2026-0001 --reason "家属聚集，可能引发群体性事件"
    """
    case_no = urgency.mark_urgent(open_ledger(db), case, reason=reason, on=on, by=by)
    typer.echo(f"已标记重大紧急：{case_no}；当日须向领导和上级报告（xinfang report-up {case_no}）")


@command("report-up")
def report_up_command(
    case: CaseArgument,
    to: Annotated[str, typer.Option("--to", help="报告对象，如 县民政局局长、市民政局")],
    text: Annotated[str, typer.Option("--text", help="报告内容：基本情况、发展态势、已采取的措施")],
    on: OnOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """向领导或上级报告（上报）及续报

    向领导或上级报告（上报），此后的每次报告为续报，直至事件妥善解决。完成重大紧急事项的
    当日报告，以及上级转办舆情的 2 日内书面报告（答复网民不算）。--on 可写实际报告的时间。

    例：xinfang report-up 2026-0001 --to 县民政局局长 --text "已送医，家属情绪稳定" --on "2026-11-23 08:40"
    """
    done = urgency.report_up(open_ledger(db), case, to=to, text=text, on=on, by=by)
    kind = "续报" if done.follow_up else "报告"
    met = f"；已完成：{'、'.join(done.met)}" if done.met else ""
    typer.echo(f"已{kind}：{done.case_no} → {done.to}{met}")
