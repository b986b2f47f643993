"""Choosing one of a list by what the clerk types: the whole name, or any part of it that
only one name contains (答复书 for 处理意见答复书, 救助 for 社会救助股). An ambiguous part
is refused with the names it fits, never guessed."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TypeVar

from xinfang.core.errors import InvalidInput, shorten

T = TypeVar("T")


def matching(text: str, names: Iterable[tuple[str, T]]) -> dict[str, T]:
    """The names `text` may mean, one per value: the name written in full, else every
    name containing it. Several names may share a value (a key and its label)."""
    typed = unicodedata.normalize("NFKC", text).strip()
    pairs = [(unicodedata.normalize("NFKC", name), value) for name, value in names]
    exact = [(name, value) for name, value in pairs if name == typed]
    fitting: dict[str, T] = {}
    for name, value in exact or pairs:
        if typed and typed in name and value not in fitting.values():
            fitting[name] = value
    return fitting


def ambiguous(text: str, fitting: Iterable[str], field: str) -> InvalidInput:
    return InvalidInput(field, f"“{shorten(text.strip())}”可指{'、'.join(fitting)}；请写得更完整些")


def pick(text: str, names: Iterable[tuple[str, T]], field: str, what: str) -> T:
    """The value named by `text` among (name, value) pairs; `what`: the list, as the
    refusal names it, with its Chinese names."""
    pairs = list(names)
    fitting = matching(text, pairs)
    if len(fitting) == 1:
        return next(iter(fitting.values()))
    if fitting:
        raise ambiguous(text, fitting, field)
    chinese = [name for name, _ in pairs if not name.isascii()]
    # A label with its note (已受理（办理中）) is offered by its head alone (已受理).
    shown = dict.fromkeys(
        n for n in chinese if n.split("（")[0] == n or n.split("（")[0] not in chinese
    )
    raise InvalidInput(field, f"没有“{shorten(text.strip())}”这种{what}；可选：{'、'.join(shown)}")
