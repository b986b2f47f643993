"""A progress bar on stderr for work the core reports on (xinfang/core/progress.py):
shown only at a terminal, only once the work has taken a moment, and never with --json;
it disappears when the work is done, leaving the command's own lines."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from xinfang.core.progress import Progress

SHOW_AFTER = 1.0  # seconds: quick work draws no bar at all


@contextmanager
def bar(*, as_json: bool = False) -> Iterator[Progress | None]:
    """A `progress` callback for the core, or None when nothing should be drawn."""
    if as_json or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bars

    bars = Bars(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    tasks: dict[str, Any] = {}
    started = time.monotonic()

    def tell(step: str, done: int, total: int) -> None:
        if not bars.live.is_started and time.monotonic() - started >= SHOW_AFTER:
            bars.start()
        if step not in tasks:
            tasks[step] = bars.add_task(step, total=total or None)
        bars.update(tasks[step], completed=done, total=total or None)

    try:
        yield tell
    finally:
        if bars.live.is_started:
            bars.stop()
