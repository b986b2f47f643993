"""The register interview on a real terminal (a pseudo-terminal): line editing over Chinese,
a correction on the summary before the number is issued, Ctrl-C writing nothing."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time

import pytest
from conftest import dump, show, subprocess_env
from rich.cells import cell_len

from xinfang.cli import register_command
from xinfang.cli.interview import menu

LEFT, BACKSPACE, CTRL_C = "\x1b[D", "\x7f", "\x03"


LIVE: list[int] = []  # the programs started, killed after each test whatever happened


@pytest.fixture(autouse=True)
def _no_program_left_running():
    yield
    while LIVE:
        pid = LIVE.pop()
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass  # it had ended and was waited for


class Terminal:
    """`python -m xinfang …` on a pseudo-terminal of its own: the clerk types keys."""

    def __init__(self, *args: str, columns: int = 80) -> None:
        env = {**subprocess_env(), "TERM": "xterm", "LANG": "C.UTF-8", "INPUTRC": "/dev/null"}
        env.pop("COLUMNS", None)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the terminal is its controlling terminal
            os.execve(sys.executable, [sys.executable, "-m", "xinfang", *args], env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
        self.screen = b""
        self.seen = 0  # where the next `expect` starts looking
        LIVE.append(self.pid)

    def read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # the program ended and closed its side
            return False
        self.screen += chunk
        return bool(chunk)

    def expect(self, text: str, timeout: float = 30) -> None:
        wanted = text.encode()
        end = time.monotonic() + timeout
        while wanted not in self.screen[self.seen :]:
            if time.monotonic() > end or not self.read(0.2):
                raise AssertionError(f"no {text!r} on the screen:\n{self.text}")
        self.seen = self.screen.index(wanted, self.seen) + len(wanted)

    def type(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def interrupt(self) -> None:
        """^C, as a clerk presses it: after the prompt is up (readline takes the terminal over
        only once it waits for a key, and a ^C in the instant before can be lost), and again
        if the program is still there a few seconds later (a loaded machine is slow to draw)."""
        for _ in range(3):
            time.sleep(0.5)
            self.type(CTRL_C)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                self.read(0.2)
                if os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT):
                    return  # ended (end() collects its status)

    def end(self, timeout: float = 30) -> int:
        """The program's exit status once it has ended; killed (and the test failed) if it
        is still waiting after `timeout` seconds, so a stuck prompt never hangs the suite."""
        deadline = time.monotonic() + timeout
        while True:
            self.read(0.2)
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
                os.close(self.fd)
                raise AssertionError(f"still running after {timeout} s:\n{self.text}")
        while select.select([self.fd], [], [], 0)[0] and self.read(0):
            pass  # what it printed last
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)

    @property
    def text(self) -> str:
        return self.screen.decode(errors="replace")


# Given on the command line, kept: only 反映问题 (required) is asked, then the summary.
GIVEN = ("register", "--name", "张三", "--source", "本级", "--form", "来访", "--town", "沙河镇")
# Every field but 问题类型 given.
EVERYTHING = (
    *GIVEN, "--content", "反映低保评定不公", "--sex", "男", "--age", "45", "--persons", "1",
    "--phone", "13812345678", "--id-number", "620702198001011231", "--address", "西关村",
    "--on", "2026-11-20", "--kind", "申诉求决类", "--receiver", "王芳", "--opinion", "转民政局",
    "--raised-by", "人大代表",
)  # fmt: skip


def test_left_arrow_and_backspace_edit_chinese_and_a_correction_before_confirming(run):
    clerk = Terminal(*GIVEN)
    clerk.expect("反映问题：")
    # Left moves over 不公 (no ^[[D in the text); Backspace takes a whole 正, not a byte.
    clerk.type(f"反映低保不公正{BACKSPACE}{LEFT}{LEFT}评定\r")
    clerk.expect("回车 = 登记；输入序号或字段名修改：")
    assert "反映问题：反映低保评定不公" in clerk.text
    clerk.type("信访人姓名\r")  # the old name is on the line, ready to edit
    clerk.expect("信访人姓名：张三")
    clerk.type(f"{BACKSPACE}{BACKSPACE}李四\r")
    clerk.expect("信访人姓名：李四")
    clerk.expect("回车 = 登记；输入序号或字段名修改：")
    clerk.type("\r")
    clerk.expect("已登记：2026-0001")
    assert clerk.end() == 0
    case = show(run)
    assert (case["name"], case["content"]) == ("李四", "反映低保评定不公")
    assert (case["source"], case["form"], case["township"]) == ("本级", "来访", "沙河镇")
    assert "1.本级" not in clerk.text  # what was given was not asked again


@pytest.mark.parametrize("where", ["mid-interview", "on-the-summary"])
def test_ctrl_c_writes_nothing(run, db_path, where):
    before = dump(db_path)
    if where == "mid-interview":
        clerk = Terminal("register")
        clerk.expect("匿名信访？ [y/N]: ")
        clerk.type("n\r张三\r")
        clerk.expect("性别（可空）：")
    else:
        clerk = Terminal(*EVERYTHING, "--category", "最低生活保障", "-i")
        clerk.expect("回车 = 登记；输入序号或字段名修改：")
    clerk.interrupt()
    assert clerk.end() == 130
    assert clerk.text.count("已取消，未登记。") == 1 and "Traceback" not in clerk.text
    assert dump(db_path) == before


def test_menus_wrap_between_whole_items(run):
    options = ["最低生活保障", "特困人员救助供养", "临时救助", "养老服务", "残疾人两项补贴"]
    lines = menu(options, width=30)
    assert [line.split() for line in lines] == [
        ["1.最低生活保障"], ["2.特困人员救助供养"], ["3.临时救助", "4.养老服务"], ["5.残疾人两项补贴"],
    ]  # fmt: skip
    assert max(cell_len(line) for line in lines) <= 30
    clerk = Terminal(*EVERYTHING, "-i", columns=40)
    clerk.expect("问题类型（可空）：")
    menu_lines = clerk.text.split("1.最低生活保障")[1].split("问题类型")[0]
    assert "特困人员救助供养" in menu_lines.replace("\r\n", "")  # no item cut across lines
    assert all("特困人员救助供养" in line or "特困" not in line for line in menu_lines.splitlines())
    clerk.interrupt()
    assert clerk.end() == 130


@pytest.fixture
def terminal(monkeypatch):
    monkeypatch.setattr(register_command, "at_terminal", lambda: True)


def test_an_unusual_phone_is_asked_about_not_refused(run, terminal):
    given = ("register", "--name", "张三", "--phone", "12345", "--source", "本级", "--form", "来访",
             "--content", "反映低保评定不公")  # fmt: skip
    out = run(*given, input="y\n\n")
    assert "联系电话：所填号码（5 位）不是有效的手机号" in out.stdout
    assert "确认联系电话无误，照此登记？ [y/N]: y" in out.stdout and "--force" not in out.stdout
    assert show(run)["phone"] == "12345"


def test_an_unusual_phone_turned_down_is_asked_again(run, terminal):
    given = ("register", "--name", "张三", "--phone", "12345", "--source", "本级", "--form", "来访",
             "--content", "反映低保评定不公", "-i")  # fmt: skip
    out = run(*given, input="\n" * 3 + "n\n13812345678\n" + "\n" * 20)  # 性别, 年龄, 人数 first
    assert "联系电话（可空）：13812345678" in out.stdout  # the number was asked again
    assert show(run)["phone"] == "13812345678"


def test_at_a_terminal_only_the_missing_required_fields_are_asked(run, terminal):
    out = run(
        "register", "--name", "张三", "--source", "本级", "--form", "来访", input="反映低保\n\n"
    )
    assert "性别" not in out.stdout.split("请核对")[0]  # optional ones are not asked
    assert show(run)["content"] == "反映低保"


def test_the_summary_refuses_what_is_not_there(run, terminal):
    given = ("register", "--name", "张三", "--source", "本级", "--form", "来访", "--content", "x", "-i")  # fmt: skip
    # 13 optional questions skipped; then on the summary: a number and a field not there,
    # 信访来源 changed to 上级交办, whose number is then asked for.
    answers = [""] * 13 + ["99", "上级信访件编号", "信访来源", "2", "市信转〔2026〕5号", ""]
    out = run(*given, input="\n".join(answers) + "\n")
    assert "没有“99”这一项" in out.stdout and "没有“上级信访件编号”这一项" in out.stdout
    assert show(run)["source"] == "上级交办"


def test_pasted_text_at_a_terminal_goes_through_the_summary(run, terminal, tmp_path):
    from test_pasted import WORK_ORDER

    order = tmp_path / "order.txt"
    order.write_text(WORK_ORDER, encoding="utf-8")
    out = run("register", "--from-text", str(order), input="接访人\n王芳\n\n")
    assert "请核对" in out.stdout and "信访人姓名：王建国" in out.stdout
    case = show(run)
    assert (case["name"], case["source"], case["receiver"]) == ("王建国", "12345热线", "王芳")


def test_an_unusual_phone_turned_down_with_options_complete_registers_nothing(
    run, db_path, terminal
):
    before = dump(db_path)
    given = ("register", "--name", "张三", "--phone", "12345", "--source", "本级", "--form", "来访",
             "--content", "反映低保评定不公")  # fmt: skip
    out = run(*given, input="n\n", expect=2)
    assert out.stderr.startswith("错误：联系电话：所填号码（5 位）") and "--force" not in out.stderr
    assert dump(db_path) == before
