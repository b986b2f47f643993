"""The register interview at a terminal: questions for the fields not already given, then
a numbered summary the clerk confirms, or corrects field by field, before the number is
issued. Lines are read through `readline` when Python has it (arrow keys, backspace over
Chinese, the old value offered for editing), with the prompt given to input() so
readline knows its width. Ctrl-C anywhere: nothing is written (the caller exits 130)."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from typing import Any

import typer
from rich.cells import cell_len

from xinfang.core import settings
from xinfang.core.errors import InvalidInput, XinfangError
from xinfang.core.intake.fields import (
    FIELDS_BY_KEY,
    ONLINE_FIELDS,
    REQUIRED,
    Field,
    check_record,
    clean_value,
    find_field,
)
from xinfang.core.intake.repeats import Match
from xinfang.core.validate import without_hint
from xinfang.core.vocabulary import ONLINE_SOURCE, UPPER_SOURCE

ORDER = (
    "anonymous", "name", "sex", "age", "persons", "phone", "id_number", "address", "received_at",
    "source", "upper_ref", "platform", "post_url", "posted_at", "form", "content", "category",
    "kind", "township", "receiver", "receiver_opinion", "raised_by",
)  # fmt: skip
PERSONAL = ("name", "sex", "age", "phone", "id_number", "address")
UNUSUAL = ("phone", "id")  # kinds whose refusal the clerk may overrule (an unusual number)


def read_line(prompt: str, preset: str = "") -> str:
    """One line from the clerk. `preset`: text already on the line, to edit."""
    try:
        import readline
    except ImportError:  # no readline (Windows): input() still works, without editing
        readline = None  # type: ignore[assignment]
    if readline is not None and preset:
        readline.set_startup_hook(lambda: readline.insert_text(preset))
    try:
        answer = input(prompt)
    finally:
        if readline is not None and preset:
            readline.set_startup_hook(None)
    if not sys.stdin.isatty():  # answers piped in: the transcript shows them
        print(answer, flush=True)
    return answer.strip()


def yes_no(question: str, *, default: bool = False) -> bool:
    while True:
        answer = read_line(f"{question} [{'Y/n' if default else 'y/N'}]: ").lower()
        if not answer:
            return default
        if answer in ("y", "yes", "是", "1"):
            return True
        if answer in ("n", "no", "否", "0"):
            return False
        typer.echo("  请回答 y（是）或 n（否）。")


def menu(options: list[str], width: int | None = None) -> list[str]:
    """Numbered choices, wrapped at the terminal's width between whole items."""
    width = width or shutil.get_terminal_size().columns
    lines: list[str] = []
    line = ""
    for number, value in enumerate(options, 1):
        item = f"{number}.{value}"
        if line and cell_len(f"  {line}  {item}") > width:
            lines.append(f"  {line}")
            line = item
        else:
            line = f"{line}  {item}" if line else item
    return [*lines, f"  {line}"] if line else lines


def shown(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value).replace("\n", " ")


class Interview:
    """The values of one new case as the clerk builds them at the terminal."""

    def __init__(self, conn: sqlite3.Connection, given: dict[str, Any], *, force: bool) -> None:
        self.conn = conn
        self.force = force
        self.unusual = False  # the clerk confirmed an unusual phone or ID number
        self.values: dict[str, Any] = {}
        self.given = {key: value for key, value in given.items() if value not in (None, "")}

    def applies(self, key: str) -> bool:
        values = self.values
        if key in PERSONAL and values.get("anonymous"):
            return False
        if key == "upper_ref" and values.get("source") != UPPER_SOURCE:
            return False
        return not (key in ONLINE_FIELDS and values.get("source") != ONLINE_SOURCE)

    def required(self, key: str) -> bool:
        return key in REQUIRED or key in ("name", "upper_ref")

    def run(self, *, ask_optional: bool, repeats: list[Match] | None = None) -> dict[str, Any]:
        """Ask what is missing, then the summary until the clerk confirms it."""
        typer.echo("登记信访事项（直接回车跳过可空项；列表项可输入序号）")
        if "name" in self.given:  # a name given: not anonymous, not asked
            self.given.setdefault("anonymous", False)
        for key in ORDER:
            if key in self.given:  # given on the command line or found in the text: kept
                self.values[key] = self.take(FIELDS_BY_KEY[key], self.given[key])
            elif self.applies(key) and (ask_optional or self.required(key)):
                self.values[key] = self.ask(FIELDS_BY_KEY[key])
        while True:
            self.fill_required()
            if self.confirmed(repeats or []):
                return {key: value for key, value in self.values.items() if self.applies(key)}

    def fill_required(self) -> None:
        for key in ORDER:
            if self.applies(key) and self.required(key) and self.values.get(key) is None:
                self.values[key] = self.ask(FIELDS_BY_KEY[key])

    def confirmed(self, repeats: list[Match]) -> bool:
        """The summary: Enter registers, a number or a field's name changes that field."""
        keys = [key for key in ORDER if self.applies(key)]
        typer.echo("\n请核对：")
        for number, key in enumerate(keys, 1):
            value = self.values.get(key)
            if key == "received_at" and value is None:
                value = "现在"
            typer.echo(f"{number:>3}. {FIELDS_BY_KEY[key].label}：{shown(value)}")
        for match in repeats[:5]:
            typer.echo(f"  可能是重复信访：{match.case_no}（{'、'.join(match.reasons)}）")
        answer = read_line("回车 = 登记；输入序号或字段名修改：")
        if not answer:
            try:
                check_record({**self.values, "anonymous": bool(self.values.get("anonymous"))})
            except InvalidInput as error:
                typer.echo(f"  {error.message}")
                return False
            return True
        chosen = self.chosen(answer, keys)
        if chosen is None:
            typer.echo(f"  没有“{answer}”这一项；请输入 1 至 {len(keys)} 的序号或字段名。")
            return False
        self.values[chosen] = self.ask(FIELDS_BY_KEY[chosen], current=self.values.get(chosen))
        return False

    @staticmethod
    def chosen(answer: str, keys: list[str]) -> str | None:
        if answer.isdigit():
            return keys[int(answer) - 1] if 1 <= int(answer) <= len(keys) else None
        try:
            key = find_field(answer).key
        except InvalidInput:
            return None
        return key if key in keys else None

    def take(self, field: Field, value: Any) -> Any:
        """A value given beforehand: kept if valid, else asked with it ready to edit."""
        if field.kind == "bool":
            return bool(value)
        try:
            return clean_value(self.conn, field, value, force=self.force)
        except InvalidInput as error:
            return self.overruled(field, str(value), error) or self.ask(field, current=value)

    def ask(self, field: Field, current: Any = None) -> Any:
        """Ask for one field until the answer is valid; a choice may be typed as its number."""
        if field.kind == "bool":
            return yes_no("匿名信访？", default=bool(current))
        options = self.options(field)
        for line in menu(options):
            typer.echo(line)
        required = self.required(field.key)
        hint = "（回车 = 现在）" if field.key == "received_at" else "" if required else "（可空）"
        preset = "" if current is None else str(current)
        while True:
            answer = read_line(f"{field.label}{hint}：", preset)
            if options and answer.isdigit() and 1 <= int(answer) <= len(options):
                answer = options[int(answer) - 1]
            if not answer:
                if not required or field.key == "received_at":
                    return None
                typer.echo(f"  {field.label}必填。")
                continue
            try:
                return clean_value(self.conn, field, answer, force=self.force)
            except InvalidInput as error:
                kept = self.overruled(field, answer, error)
                if kept is not None:
                    return kept
            preset = answer

    def overruled(self, field: Field, answer: str, error: InvalidInput) -> Any:
        """An unusual phone or ID number is kept if the clerk says it is right."""
        message = without_hint(error.message)
        typer.echo(f"  {message}")
        if field.kind not in UNUSUAL or self.force:
            return None
        try:
            value = clean_value(self.conn, field, answer, force=True)
        except InvalidInput:  # not even an unusual number (control characters, too long)
            return None
        if yes_no(f"  确认{field.label}无误，照此登记？"):
            self.unusual = True
            return value
        return None

    def options(self, field: Field) -> list[str]:
        if field.choice_list:
            return settings.choices(self.conn, field.choice_list)
        return list(field.fixed)


def interview(
    conn: sqlite3.Connection,
    given: dict[str, Any],
    *,
    force: bool,
    ask_optional: bool = True,
    repeats: list[Match] | None = None,
) -> tuple[dict[str, Any], bool]:
    """The values the clerk confirmed, and whether an unusual number was confirmed."""
    talk = Interview(conn, given, force=force)
    values = talk.run(ask_optional=ask_optional, repeats=repeats)
    return values, talk.unusual


def unusual_confirmed(conn: sqlite3.Connection, given: dict[str, Any]) -> bool:
    """Options complete at a terminal: an unusual phone or ID number is asked about there
    and then, not refused with "add an option"; turned down, nothing is registered."""
    talk = Interview(conn, given, force=False)
    for key, value in given.items():
        field = FIELDS_BY_KEY.get(key)
        if field is None or field.kind not in UNUSUAL:
            continue
        try:
            clean_value(conn, field, value, force=False)
        except InvalidInput as error:
            if talk.overruled(field, str(value), error) is None:
                raise XinfangError(f"{without_hint(error.message)}；未登记") from None
    return talk.unusual
