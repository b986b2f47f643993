"""The `xinfang` command group; the command modules register themselves on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xinfang.cli.base import Command, new_app

app = new_app(
    "信访案件台账：登记、受理、交办、答复、回访、公示、办结、归档，一案一卷。\n\n"
    "例：xinfang register --name 张三 --phone 13812345678 --source 本级 --form 来访 "
    '--content "低保评定不公"；xinfang show 2026-0001'
)


def command(name: str, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return app.command(name, cls=Command, **kwargs)


@app.callback()
def group() -> None:
    # A callback keeps `app` a group even when main() has loaded a single command.
    pass
