"""The README's deadline table lists every stage with the event its count starts from and
its length in each shipped rule set, as the code has them."""

from __future__ import annotations

from pathlib import Path

from xinfang.core.clock import rules

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_stage_is_in_the_readme_with_its_start_and_lengths():
    missing = []
    for key, stage in {**rules.STAGES, **rules.FIXED_STAGES}.items():
        lengths = [
            rule.describe() if (rule := ruleset.get(key)) else None
            for _, ruleset in rules.RULE_SETS.values()
        ]
        line = next((ln for ln in README.splitlines() if f"| {stage.label} `{key}` |" in ln), "")
        cells = [cell.strip() for cell in line.split("|")[1:-1]]
        if not cells or cells[1] != stage.starts:
            missing.append(f"{key}: start")
            continue
        for cell, length in zip(cells[2:4], lengths, strict=True):
            if length is not None and cell != length:
                missing.append(f"{key}: {cell} != {length}")
    assert missing == []
