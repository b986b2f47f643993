"""The Jinja2 environment documents are rendered in.

A template is a file passed between offices: foreign input that must not run code or
take the machine. So it is rendered in Jinja2's sandbox (no attribute beginning with
"_", no unsafe callables), may call no method (a document only reads values), has only
filters whose work is bounded by their input, and spends from a budget: STEPS loop turns,
calls and filters, CHARS characters read or made (by filters, `+`, `*`, `~`, set blocks
and the output itself) and no number over BITS bits. Past it the rendering stops with
`Exceeded`, a Chinese line."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jinja2 import StrictUndefined, Template, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context, LoopContext
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.visitor import NodeTransformer

STEPS = 50_000  # loop turns, calls and filters in one document
CHARS = 10_000_000  # a printed page is ~50 KB of Word XML
BITS = 10_000  # about 3,000 digits
FILTERS = frozenset({
    "abs", "capitalize", "count", "d", "default", "e", "escape", "first", "float", "int", "last",
    "length", "list", "lower", "max", "min", "reverse", "round", "sort", "string", "striptags",
    "title", "trim", "truncate", "unique", "upper", "wordcount",
})  # fmt: skip
GLOBALS = ("dict", "namespace")
_COUNTED, _SIZED = "xinfang_counted", "xinfang_sized"  # filters the compiler inserts


class Exceeded(SecurityError):
    """The template asked for more than a document needs."""


class _Bounds(NodeTransformer):
    """Route every loop through a counter and every joined string through the scales."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = _filter(node.iter, _COUNTED, node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _filter(node, _SIZED, node.lineno)

    def visit_AssignBlock(self, node: nodes.AssignBlock) -> nodes.Node:
        self.generic_visit(node)
        node.filter = _filter(node.filter, _SIZED, node.lineno)  # None: the block's text
        return node


def _filter(value: nodes.Node | None, name: str, lineno: int) -> nodes.Filter:
    return nodes.Filter(value, name, [], [], None, None, lineno=lineno)


class _Generator(CodeGenerator):
    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        _Bounds().visit(node)
        super().visit_Template(node, frame)


class _Template(Template):
    def render(self, *args: Any, **kwargs: Any) -> str:
        spend = self.environment.spend  # type: ignore[attr-defined]
        return "".join(spend(chunk) for chunk in self.generate(*args, **kwargs))


def _size(value: object, limit: int) -> int:
    """Characters a value holds (its items' too), counted no further than `limit`."""
    if isinstance(value, str | bytes | range):
        return len(value)
    if isinstance(value, int):
        return value.bit_length() // 3
    if isinstance(value, list | tuple | set | frozenset | dict):
        total = len(value)
        for item in value.values() if isinstance(value, dict) else value:
            if total > limit:
                break
            total += _size(item, limit - total)
        return total
    return 0


class Sandbox(SandboxedEnvironment):
    """A fresh one for each document: the budget is spent across all its parts."""

    code_generator_class = _Generator
    template_class = _Template
    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self.steps = self.chars = 0
        self.filters = {
            name: self._bounded(function)
            for name, function in self.filters.items()
            if name in FILTERS
        }
        self.filters[_COUNTED] = self.counted
        self.filters[_SIZED] = self.spend
        self.globals = {name: self.globals[name] for name in GLOBALS}
        self.globals["range"] = self.range

    def step(self) -> None:
        self.steps += 1
        if self.steps > STEPS:
            raise Exceeded(f"循环、调用合计超过 {STEPS} 次")

    def spend(self, value: Any) -> Any:
        self.chars += _size(value, CHARS - self.chars)
        if self.chars > CHARS:
            raise Exceeded(f"生成的文字超过 {CHARS} 字")
        return value

    def counted(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            self.step()
            yield item

    def range(self, *args: int) -> range:
        numbers = range(*args)
        if len(numbers) > STEPS:
            raise Exceeded(f"循环次数超过 {STEPS} 次")
        return numbers

    def _bounded(self, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)  # keeps Jinja's pass_context marks
        def bounded(*args: Any, **kwargs: Any) -> Any:
            self.step()
            self.spend(args)  # what the filter reads
            return self.spend(function(*args, **kwargs))

        return bounded

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.step()
        if isinstance(__obj, LoopContext) and args:  # a recursive loop's next level
            args = (__self.counted(args[0]), *args[1:])
        return __self.spend(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "%" and isinstance(left, str):
            raise SecurityError("不能用 % 排版文字")
        if isinstance(left, int) and isinstance(right, int):
            bits = left.bit_length()
            bits = {"*": bits + right.bit_length(), "**": bits * max(right, 0)}.get(operator, 0)
            if bits > BITS:
                raise Exceeded(f"数字过大（超过 {BITS} 个二进制位）")
        elif operator == "*":  # a sequence repeated
            times, sequence = (left, right) if isinstance(left, int) else (right, left)
            if isinstance(times, int):  # counted before the copies are made
                self.chars += max(times, 0) * _size(sequence, CHARS)
                self.spend("")
        elif operator == "+":
            self.spend((left, right))
        return super().call_binop(context, operator, left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return not callable(value) and super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> None:
        return None  # str.format is a method too: refused like the others
