"""Shell completion: the scripts print, and bash really completes commands, options, case
numbers and list values from the ledger, fast."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REGISTER, dump, subprocess_env


def xinfang_on_path(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH has an `xinfang` running this worktree's code."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "xinfang"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m xinfang "$@"\n')
    wrapper.chmod(0o700)
    env = subprocess_env()
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    return env


def bash_complete(env: dict[str, str], line: str) -> list[str]:
    """What bash offers after `line` (its last word being completed), through the very
    function `xinfang completion bash` defines."""
    script = subprocess.run(
        ["xinfang", "completion", "bash"], env=env, capture_output=True, text=True, check=True
    ).stdout
    words = line.split(" ")
    program = (
        f"{script}\n"
        f"COMP_WORDS=({' '.join(repr(word) for word in words)})\n"
        f"COMP_CWORD={len(words) - 1}\n"
        "_xinfang_completion xinfang\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program],
        env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return [line for line in done.stdout.splitlines() if line]


def complete_call(env: dict[str, str], line: str) -> subprocess.CompletedProcess[str]:
    """One completion call as click's bash script makes it."""
    words = line.split(" ")
    call = dict(env, COMP_WORDS=line, COMP_CWORD=str(len(words) - 1))
    call["_XINFANG_COMPLETE"] = "complete_bash"
    return subprocess.run(
        [sys.executable, "-m", "xinfang"], env=call, capture_output=True, text=True, timeout=60
    )


needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")


@needs_bash
def test_bash_completes_commands_options_cases_and_values(run, tmp_path) -> None:
    for _ in range(3):
        run(*REGISTER)
    env = xinfang_on_path(tmp_path)
    assert bash_complete(env, "xinfang acc") == ["accept"]
    assert "archive" in bash_complete(env, "xinfang a")
    assert "--json" in bash_complete(env, "xinfang show --")
    assert bash_complete(env, "xinfang show 2026-000") == ["2026-0003", "2026-0002", "2026-0001"]
    assert "来访" in bash_complete(env, "xinfang list --form ")
    assert bash_complete(env, "xinfang list --form 来") == ["来信", "来访", "来电"]
    assert "沙河镇" in bash_complete(env, "xinfang list --unit ")
    assert "已受理" in bash_complete(env, "xinfang list --status 已")
    assert "受理告知书" in bash_complete(env, "xinfang print 2026-0001 受理")


def state(db_path: Path) -> object:
    """What a write would change: the file's mtime; a county database's rows (no file)."""
    return dump(db_path) if isinstance(db_path, str) else db_path.stat().st_mtime_ns


def test_one_completion_call_is_fast_and_writes_nothing(run, db_path, tmp_path) -> None:
    run(*REGISTER)
    env = xinfang_on_path(tmp_path)
    before = state(db_path)
    started = time.perf_counter()
    done = complete_call(env, "xinfang show 2026-")
    elapsed = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2026-0001"]
    assert state(db_path) == before
    # A whole Python start-up included; the query itself is one indexed lookup.
    assert elapsed < 3, elapsed


def test_a_missing_ledger_is_not_created_by_completion(no_ledger, tmp_path) -> None:
    env = xinfang_on_path(tmp_path)
    done = complete_call(env, "xinfang show 2026")
    assert done.returncode == 0 and done.stdout.strip() == ""
    assert not no_ledger.exists()


def test_db_option_names_the_ledger_completed_from(run, db_path, tmp_path) -> None:
    run(*REGISTER)
    env = xinfang_on_path(tmp_path)
    env["XINFANG_DB"] = str(tmp_path / "other.db")
    done = complete_call(env, f"xinfang show --db {db_path} 2026")
    assert done.stdout.split() == ["2026-0001"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_print(run, shell) -> None:
    out = run("completion", shell).stdout
    assert "_XINFANG_COMPLETE" in out
    assert f"complete_{shell}" in out


def test_show_completion_is_the_completion_command(db_path, tmp_path) -> None:
    env = xinfang_on_path(tmp_path)
    done = subprocess.run(
        ["xinfang", "--show-completion", "zsh"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0 and "compdef" in done.stdout


def test_an_unknown_shell_is_refused(run) -> None:
    out = run("completion", "tcsh", expect=2)
    assert "bash、zsh、fish" in out.stderr


def test_zsh_and_fish_complete_command_names(db_path, tmp_path) -> None:
    env = xinfang_on_path(tmp_path)
    base = dict(env, _TYPER_COMPLETE_ARGS="xinfang acc")
    zsh = subprocess.run(
        [sys.executable, "-m", "xinfang"], env=dict(base, _XINFANG_COMPLETE="complete_zsh"),
        capture_output=True, text=True,
    )  # fmt: skip
    assert '"accept"' in zsh.stdout
    fish = dict(base, _XINFANG_COMPLETE="complete_fish", _TYPER_COMPLETE_FISH_ACTION="get-args")
    out = subprocess.run(
        [sys.executable, "-m", "xinfang"], env=fish, capture_output=True, text=True
    )
    assert out.stdout.split() == ["accept"]


def test_list_values_and_command_names_load_no_command(run, tmp_path) -> None:
    """Tab after `--form` or on a command name loads no command module and no core."""
    env = xinfang_on_path(tmp_path)
    probe = (
        "import sys\n"
        "from xinfang.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(' '.join(sorted(sys.modules)))\n"
    )
    for line in ("xinfang list --form 来", "xinfang sh"):
        call = dict(env, COMP_WORDS=line, COMP_CWORD=str(len(line.split(" ")) - 1))
        call["_XINFANG_COMPLETE"] = "complete_bash"
        done = subprocess.run(
            [sys.executable, "-c", probe], env=call, capture_output=True, text=True, timeout=60
        )
        loaded = set(done.stderr.split())
        assert done.stdout.split() in (["来信", "来访", "来电"], ["show"]), done.stdout
        assert not {"xinfang.cli.read_commands", "xinfang.core.reporting.query"} & loaded
