"""Each action's meaning is declared once (xinfang/core/life/actions.py): the projection,
the deadline replay, the as-of view of the monthly tables and the importer read that
table and never branch on an action's name themselves."""

from __future__ import annotations

import ast
from pathlib import Path

from xinfang.core.life.actions import ACTIONS, EVENTS, RECORDS, SIDE_ACTIONS
from xinfang.core.life.states import Status

ROOT = Path(__file__).resolve().parent.parent / "xinfang" / "core"
READERS = (
    "life/projection.py",
    "clock/deadlines.py",
    "reporting/reports.py",
    "exchange/importing/writing.py",
)


# Where naming an action is a question about the history, not its meaning.
ALLOWED = {("reports.py", "accept"): "which acceptance counts for the 办理情况 period"}


def _names_an_action(node: ast.expr) -> bool:
    text = ast.unparse(node)
    return "action" in text


def _branches_on_an_action(path: Path) -> list[str]:
    """`action == "reply"`, `event["action"] in ("accept", "reject")`: a test of an
    action's name."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Compare):
            continue
        sides = (node.left, *node.comparators)
        if not any(_names_an_action(side) for side in sides):
            continue
        for side in sides:
            names = []
            if isinstance(side, ast.Constant):
                names = [side.value]
            elif isinstance(side, ast.Tuple | ast.Set | ast.List):
                names = [e.value for e in side.elts if isinstance(e, ast.Constant)]
            hits = [
                name
                for name in names
                if name in EVENTS and name != "register" and (path.name, name) not in ALLOWED
            ]
            if hits:
                found.append(f"{path.name}:{node.lineno}: {hits}")
    return found


def test_the_readers_of_the_table_never_branch_on_an_action_name():
    found = [hit for name in READERS for hit in _branches_on_an_action(ROOT / name)]
    assert found == []


def test_the_guard_sees_a_branch(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        'if action in ("accept", "reject"):\n    pass\n'
        'if e["action"] == "reply": pass\n'
        'if state.decision == "reject": pass\n'
    )
    assert len(_branches_on_an_action(module)) == 2


def test_every_action_declares_where_it_may_happen_and_what_it_is():
    for name, action in ACTIONS.items():
        assert action.allowed_from, name
        assert action.label and not action.label.isascii(), name
    assert EVENTS["register"].leads_to is Status.REGISTERED
    assert RECORDS <= SIDE_ACTIONS  # a record is never "the next step"
    answered = {a.answered_by for a in ACTIONS.values() if a.answered_by}
    assert answered <= set(ACTIONS)


def test_a_step_that_moves_the_case_sets_its_columns():
    """A main step (one that leads to a status) that set no column would leave the row
    saying nothing of when it happened."""
    for name, action in ACTIONS.items():
        if action.leads_to is not None and name != "join":
            assert action.sets is not None, name
