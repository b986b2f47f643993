"""The domain's words and thresholds are defined once, in xinfang/core/vocabulary.py: a
copy elsewhere in xinfang/ fails here, and so does a default list of the office that
lacks a value the code relies on.

A copy is a whole string constant equal to a value of the vocabulary or of the office's
default lists (a sentence that mentions the word is not one), a number equal to a
threshold, a comparison of 人数 with a number, or a name of the vocabulary defined or
imported anywhere else."""

from __future__ import annotations

import ast
import re
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from xinfang.core import settings, vocabulary

ROOT = Path(__file__).resolve().parents[1]
HOME = ROOT / "xinfang" / "core" / "vocabulary.py"
NAMES = {name for name in vars(vocabulary) if name.isupper()}
# The office's own data, not the domain's words: places and subject matters.
OFFICE_DATA_LISTS = {"category", "township"}

SAMPLE = "demonstration petitions, as a clerk types them: values of the default lists"
SAMPLED = ("12345热线", "来信", "来访", "来电", "网上信访", "电话回访", "非常满意", "建议意见类", "申诉求决类")  # fmt: skip
ALLOWED: dict[tuple[str, object], str] = {
    **{("xinfang/core/demo.py", value): SAMPLE for value in SAMPLED},
    **{("xinfang/core/presets.py", v): "the 条例's kinds a preset restores" for v in SAMPLED[-2:]},
    ("xinfang/outputs/workbook.py", 0.5): "page margins in inches, not a similarity",
    ("xinfang/core/life/actions.py", "撤销"): "the void action's label, not a 复查 outcome",
}


def schema_defaults() -> sqlite3.Connection:
    """What a new ledger starts with: schema.sql run on an empty database."""
    conn = sqlite3.connect(":memory:")
    conn.executescript((ROOT / "schema.sql").read_text(encoding="utf-8"))
    return conn


def vocabulary_values() -> dict[object, str]:
    """Each value a copy of which is refused -> where it is defined."""
    found: dict[object, str] = {}
    for name in sorted(NAMES):
        value = getattr(vocabulary, name)
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if isinstance(item, str):
                found.setdefault(item, name)
            elif isinstance(item, float) or (isinstance(item, int) and abs(item) >= 100):
                found.setdefault(item, name)  # small whole numbers are everywhere
    rows = schema_defaults().execute("SELECT list, value FROM choices").fetchall()
    for list_name, value in rows:
        if list_name not in OFFICE_DATA_LISTS:
            found.setdefault(value, f"schema.sql 的 {list_name} 列表")
    return found


def modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted((ROOT / "xinfang").rglob("*.py")):
        if path != HOME:
            yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def copies(tree: ast.Module, values: dict[object, str]) -> Iterator[tuple[int, object, str]]:
    typed = {(type(value), value): where for value, where in values.items()}  # 1 == 1.0 == True
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and type(node.value) in (str, int, float):
            where = typed.get((type(node.value), node.value))
            if where:
                yield node.lineno, node.value, f"copy of vocabulary {where}"
            if isinstance(node.value, str):
                for said in re.findall(r"(\d+)\s*人以上", node.value):
                    if int(said) != vocabulary.COLLECTIVE:
                        yield node.lineno, said, "集体访 threshold is not vocabulary.COLLECTIVE"
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if "persons" in ast.unparse(node) and any(
                isinstance(side, ast.Constant) and isinstance(side.value, int) for side in sides
            ):
                yield node.lineno, ast.unparse(node), "人数 compared with a number, not COLLECTIVE"
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names = target.elts if isinstance(target, ast.Tuple | ast.List) else [target]
                for name in names:
                    if isinstance(name, ast.Name) and name.id in NAMES:
                        yield node.lineno, name.id, "defined again outside vocabulary.py"
        elif isinstance(node, ast.ImportFrom) and node.module != "xinfang.core.vocabulary":
            for alias in node.names:
                if alias.name in NAMES:
                    yield node.lineno, alias.name, f"imported from {node.module}, not vocabulary"
        elif isinstance(node, ast.Attribute) and node.attr in NAMES and not _ours(node.value):
            yield node.lineno, ast.unparse(node), "read through another module"


def _ours(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "vocabulary"


def test_no_copy_of_the_vocabulary_outside_it():
    values = vocabulary_values()
    found = [
        f"{path}:{line}: {value!r} — {why}"
        for path, tree in modules()
        for line, value, why in copies(tree, values)
        if (path, value) not in ALLOWED
    ]
    assert found == [], "\n".join(found)


def test_every_allowance_is_still_needed():
    values = vocabulary_values()
    used = {(path, value) for path, tree in modules() for _, value, _ in copies(tree, values)}
    assert set(ALLOWED) - used == set()


def test_the_guard_sees_a_copy():
    """A module that writes the words out itself is caught, each way it can."""
    tree = ast.parse(
        "from xinfang.core.life.cases import DISSATISFIED\n"
        "SATISFACTIONS = ('非常满意', '满意', '一般', '不满意')\n"
        "COLLECTIVE = 5\n"
        "seen[COLLECTIVE] = 1\n"  # a use, not a definition
        "window = setting or 180\n"
        "big = case['persons'] >= 5\n"
        "note = '集体访＝人数6人以上'\n"
        "said = '信访人对处理结果不满意'\n"  # a sentence, not a copy
        "ok = vocabulary.DISSATISFIED\n"
        "bad = cases.RETENTIONS\n"
    )
    found = {(line, value) for line, value, _ in copies(tree, vocabulary_values())}
    assert found == {
        (1, "DISSATISFIED"), (2, "非常满意"), (2, "满意"), (2, "一般"), (2, "不满意"),
        (3, "COLLECTIVE"), (5, 180), (6, "case['persons'] >= 5"), (7, "6"),
        (10, "cases.RETENTIONS"),
    }  # fmt: skip


def test_every_word_and_threshold_has_its_glossary_names():
    assert set(vocabulary.GLOSSARY) == NAMES - {"GLOSSARY"}
    for term in vocabulary.GLOSSARY.values():
        assert re.search(r"[\u4e00-\u9fff]", term.chinese) and term.english.isascii()


def test_the_office_default_lists_hold_what_the_code_relies_on():
    conn = schema_defaults()
    defaults = set(conn.execute("SELECT list, value FROM choices").fetchall())
    relied_on = {(name, value) for name, words in vocabulary.RELIED_ON.items() for value in words}
    assert relied_on >= settings.REQUIRED_CHOICES
    assert relied_on - defaults == set()
    assert set(vocabulary.RELIED_ON) <= set(settings.LISTS)
    window = conn.execute("SELECT value FROM settings WHERE key = 'repeat_window_days'")
    assert int(window.fetchone()[0]) == vocabulary.REPEAT_WINDOW_DAYS


def test_vocabulary_is_plain_data():
    """`show` imports it: the standard library only, and nothing that runs."""
    tree = ast.parse(HOME.read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}  # fmt: skip
    assert imported <= {"__future__", "dataclasses", "datetime"}
    assert isinstance(vocabulary.RECEPTION_LOOKBACK, timedelta)


def test_the_readmes_glossary_has_every_action_and_every_word():
    from xinfang.core.life.actions import EVENTS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    glossary = readme[readme.index("Glossary (one English") :]
    missing = [
        f"{action.label} {name}"
        for name, action in EVENTS.items()
        if f"| {action.label} | `{name}` |" not in glossary
    ] + [
        f"{term.chinese} {name}"
        for name, term in vocabulary.GLOSSARY.items()
        if f"| {term.chinese} | `{name}` |" not in glossary
    ]
    assert missing == []
