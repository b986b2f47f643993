"""A template passed between offices may say anything: it is rendered in Jinja2's sandbox
and within bounds, so a hostile one runs no code, hangs nothing and leaves no file."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import REGISTER, subprocess_env

CASE = "2026-0001"
TITLE = "受理登记表"  # printable from registration on; it holds {{ name }}


def _edit(template: Path, old: str, new: str) -> None:
    """Put `new` where the template says `old`, as someone editing it in Word would."""
    with zipfile.ZipFile(template) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    assert old in xml
    parts["word/document.xml"] = xml.replace(old, new, 1).encode("utf-8")
    with zipfile.ZipFile(template, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)


@pytest.fixture
def hostile(run, tmp_path):
    """Install the office's templates; returns a function that plants a placeholder."""
    folder = tmp_path / "来自外单位的模板"
    run("templates", "export", str(folder))
    pristine = (folder / f"{TITLE}.docx").read_bytes()
    run("config", "templates", str(folder))
    run(*REGISTER)

    def plant(placeholder: str) -> Path:
        template = folder / f"{TITLE}.docx"
        template.write_bytes(pristine)
        _edit(template, "{{ name }}", placeholder)
        return template

    return plant


def test_a_template_cannot_reach_python(run, hostile, tmp_path):
    proof = tmp_path / "pwned"
    hostile(
        "{% for c in name.__class__.__mro__[1].__subclasses__() %}"
        "{% if c.__name__ == '_wrap_close' %}"
        f"{{{{ c.__init__.__globals__['system']('touch {proof}') }}}}"
        "{% endif %}{% endfor %}{{ name }}"
    )
    target = tmp_path / "out.docx"
    out = run("print", CASE, TITLE, "-o", str(target), expect=2)
    assert not proof.exists()
    assert not target.exists()
    assert f"文书模板 {TITLE}.docx 中有不允许的操作" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def _limited() -> None:
    """A template that escaped its bounds must fail this test, not the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def test_a_loop_bomb_is_refused_at_once(hostile, tmp_path):
    hostile("{% for i in range(10**12) %}{{ name }}{% endfor %}")
    target = tmp_path / "out.docx"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "xinfang", "print", CASE, TITLE, "-o", str(target)],
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limited,
    )
    assert time.monotonic() - started < 20
    assert done.returncode == 2, done.stderr
    assert "超出" in done.stderr and "Traceback" not in done.stderr
    assert not target.exists()


# Each stays quiet on the way and blows up time or memory only if nothing bounds it.
BOMBS = {
    "nested loops": "{% for i in range(90000) %}{% for j in range(90000) %}{% endfor %}{% endfor %}",
    "loop over a list": "{% set l = range(90000)|list %}{% for i in l %}{% for j in l %}{% endfor %}{% endfor %}",
    "string times": "{{ name * 10**10 }}",
    "list times": "{{ [name] * 10**10 }}",
    "power": "{{ 10**(10**10) }}",
    "squaring": "{% set n = 10**300 %}" + "{% set n = n * n %}" * 40 + "{{ n > 0 }}",
    "doubling": "{% set s = name %}" + "{% set s = s ~ s %}" * 60 + "{{ s|length }}",
    "plus": "{% set s = name %}" + "{% set s = s + s %}" * 60 + "{{ s|length }}",
    "block doubling": "{% set s = name %}" + "{% set s %}{{ s }}{{ s }}{% endset %}" * 60,
    "macro fan-out": "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}",
    "recursive loop": "{% for i in range(9) recursive %}{{ loop(range(9)) }}{% endfor %}",
    "centre": "{{ name|center(10**9) }}",
    "string method": "{{ name.ljust(10**9) }}",
    "format": "{{ '%0999999999d'|format(1) }}",
    "percent": "{{ '%0999999999d' % 1 }}",
    "str.format": "{{ '{:0999999999}'.format(1) }}",
    "replace": "{{ (name * 9000)|replace('', name * 9000) }}",
    "lipsum": "{{ lipsum(10**6) }}",
    "include": "{% include '/etc/passwd' %}",
    "output": "{% for i in range(90000) %}{{ name * 900 }}{% endfor %}",
    "private attribute": "{{ name._Markup__x }}",
}

_PROBE = """
import json, sys, time
from pathlib import Path
from xinfang.outputs import docx
from xinfang.core.errors import XinfangError
found = {}
for label, template in json.loads(sys.argv[1]).items():
    target = Path(sys.argv[2]) / (label + '.docx')
    started = time.monotonic()
    try:
        docx.render(Path(template), {'name': '张三'}, target)
        outcome = 'rendered'
    except XinfangError as error:
        outcome = str(error)
    found[label] = [outcome, time.monotonic() - started, target.exists()]
print(json.dumps(found, ensure_ascii=False))
"""


def test_bombs_are_refused_quickly_and_leave_nothing(tmp_path):
    from docx import Document

    templates = {}
    for number, (label, bomb) in enumerate(BOMBS.items()):
        document = Document()
        document.add_paragraph(bomb)
        templates[label] = str(tmp_path / f"{number}.docx")
        document.save(templates[label])
    out = tmp_path / "out"
    out.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(templates), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limited,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout)
    for label, (outcome, seconds, left) in found.items():
        assert outcome.startswith("文书模板"), (label, outcome)
        assert "\n" not in outcome and seconds < 5 and not left, (label, outcome, seconds)
    assert not list(out.iterdir())


def test_an_ordinary_template_with_a_bounded_loop_still_prints(run, hostile, tmp_path):
    hostile("{% for i in range(3) %}{{ name }}{{ loop.index }}{% endfor %}")
    target = tmp_path / "out.docx"
    run("print", CASE, TITLE, "-o", str(target))
    assert "张三1张三2张三3" in zipfile.ZipFile(target).read("word/document.xml").decode()
