"""The layers show the architecture: the CLI parses and renders, the core knows nothing of
the terminal or of how files are laid out, the outputs write files. An import against the
direction (core or store → outputs or cli; outputs → cli) fails here, including the
imports made inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "xinfang"
FORBIDDEN = {
    "core": ("xinfang.outputs", "xinfang.cli"),
    "store": ("xinfang.outputs", "xinfang.cli"),
    "outputs": ("xinfang.cli",),
}


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
    return found


def test_no_import_goes_against_the_layers() -> None:
    wrong = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}"
        for layer, banned in FORBIDDEN.items()
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for line, module in _imports(path)
        if module.startswith(banned)
    ]
    assert wrong == []


def test_the_check_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from xinfang.outputs import workbook\n", encoding="utf-8")
    assert _imports(sample) == [(2, "xinfang.outputs")]
