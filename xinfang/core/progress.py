"""How long work tells how far it has got: the core calls `progress(step, done, total)`
now and then; what is shown (a bar at a terminal, nothing in a pipe) is the caller's
business (xinfang/cli/progress.py). No terminal here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from typing import TypeVar, overload

# (what is being done, in Chinese; how many done; how many in all, 0 if not known)
Progress = Callable[[str, int, int], None]

EVERY = 200  # items between calls: often enough for a bar, rare enough to cost nothing

READ = "读取"
WRITE = "写入"
PACK = "打包"
MERGE = "汇入"
COPY = "复制"
DOCUMENTS = "生成文书"

T = TypeVar("T")


def counted(items: Iterable[T], step: str, progress: Progress | None) -> Iterator[T]:
    """The items, telling `progress` as they are used: at the start, every EVERY and at
    the end (a stream, such as rows read from a file, has no total: 0)."""
    if progress is None:
        yield from items
        return
    total = len(items) if isinstance(items, Sized) else 0
    progress(step, 0, total)
    done = 0
    for done, item in enumerate(items, 1):
        yield item
        if done % EVERY == 0:
            progress(step, done, total)
    progress(step, done, total or done)


class Told(Sequence[T]):
    """A list that tells `progress` as it is gone through, for a writer that only
    iterates (rows written to a workbook)."""

    def __init__(self, items: Sequence[T], step: str, progress: Progress | None) -> None:
        self.items, self.step, self.progress = items, step, progress

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return self.items[index]

    def __iter__(self) -> Iterator[T]:
        return counted(self.items, self.step, self.progress)
