"""The one error type the clerk sees: a Chinese message, exit status 2, nothing written."""

from __future__ import annotations


class XinfangError(Exception):
    """Something the user asked for that is not allowed. The CLI prints it and exits 2."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(XinfangError):
    """A value the clerk typed is wrong; the message names the field and what is allowed."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}：{message}")
        self.field = field


class NotFound(XinfangError):
    """A case number (or other record) that does not exist."""


class StepRefused(XinfangError):
    """A step out of order for the case's current state."""


def shorten(text: object, limit: int = 40) -> str:
    """What was typed, for echoing in a message: not a whole pasted paragraph."""
    shown = str(text)
    return shown if len(shown) <= limit else shown[:limit] + "…"
