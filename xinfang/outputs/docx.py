"""Word documents from the office-editable templates (docxtpl: Jinja2 inside Word).

Rendering is strict: a placeholder the ledger does not provide (a misspelling, say)
fails with its name instead of printing a blank, and a template that lost one of the
placeholders its document needs fails too. Values are XML-escaped (autoescape), so a
petitioner's `<` or `&` comes out whole instead of silently truncating the paragraph.
A template may come from another office: it is rendered in a sandbox, within bounds
(sandbox.py)."""

from __future__ import annotations

import io
import re
import shutil
import sqlite3
from importlib import resources
from pathlib import Path
from typing import Any

from xinfang.core import settings
from xinfang.core.errors import InvalidInput, XinfangError, shorten
from xinfang.store.files import write_bytes

# Placeholders that are whole clauses now (documents.py): a template written before
# puts them in a frame of its own (程序向{{ reject_channel }}提出), which is dropped.
FRAMED = {"reject_channel": ("向", "提出")}
# Placeholders without which a document would say the wrong thing ("a|b": either will do,
# as an office's template written before review_bodies names the review_government).
REQUIRED: dict[str, set[str]] = {
    "受理告知书": {"name", "content", "received_cn", "reply_due_cn", "office"},
    "不予受理告知书": {"name", "content", "reject_reason", "reject_channel", "office"},
    "转送告知书": {"name", "content", "transfer_to", "office"},
    "转送函": {"transfer_to", "content", "office"},
    "处理意见答复书": {
        "name",
        "content",
        "reply_text",
        "review_bodies|review_government",
        "office",
    },
    "交办单": {"unit", "content", "assign_due_cn", "office"},
    "督办通知": {"supervise_to", "supervise_due_cn", "office"},
    "复查意见书": {"name", "review_outcome", "review_text", "recheck_days", "office"},
    "延期告知书": {"name", "content", "extend_reason", "extended_due_cn", "office"},
    "催办单": {"urge_to", "content", "assign_due_cn", "office"},
    "办理结果报告": {"upper_to", "upper_ref", "content", "reply_text", "office"},
}


def shipped_templates() -> Path:
    """The templates that come with xinfang: in the installed package or the checkout."""
    packaged = resources.files("xinfang").joinpath("templates")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "templates"


def template_for(conn: sqlite3.Connection, title: str) -> Path:
    """The office's own copy wins (`config templates DIR`); else the shipped one."""
    office_dir = settings.get(conn, "templates_dir")
    if office_dir:
        own = Path(office_dir) / f"{title}.docx"
        if own.is_file():
            return own
    shipped = shipped_templates() / f"{title}.docx"
    if not shipped.is_file():
        raise XinfangError(f"找不到文书模板“{title}.docx”（{shipped.parent}）")
    return shipped


def render(template: Path, context: dict[str, Any], target: Path) -> None:
    import jinja2
    from docxtpl import DocxTemplate
    from jinja2.sandbox import SecurityError

    from xinfang.outputs.sandbox import Exceeded, Sandbox

    class _Unframing(DocxTemplate):
        def patch_xml(self, src_xml: str) -> str:
            return _unframed(super().patch_xml(src_xml))

    env = Sandbox()  # autoescaped and strict, like the placeholders always were
    try:
        document = _Unframing(template)
        used = document.get_undeclared_template_variables(env)
    except jinja2.TemplateSyntaxError as error:
        raise XinfangError(
            f"文书模板 {template.name} 有语法错误：{error.message}（第 {error.lineno} 行）"
        ) from None
    except Exception as error:  # a file that is not a Word document at all
        raise XinfangError(f"无法读取文书模板 {template}：{error}") from None
    unknown = sorted(used - set(context))
    if unknown:
        names = "、".join(f"{{{{ {name} }}}}" for name in unknown)
        raise XinfangError(
            f"文书模板 {template.name} 中的占位符 {names} 无法识别（拼写错误？可用的占位符见 templates/README.md）"
        )
    quoted = {"content"} if "matter" in used else set()  # {{ matter }}: the content, quoted
    present = used | quoted
    required = REQUIRED.get(template.stem, set())
    missing = sorted(need for need in required if not set(need.split("|")) & present)
    if missing:
        names = "、".join(f"{{{{ {need.split('|')[0]} }}}}" for need in missing)
        raise XinfangError(f"文书模板 {template.name} 缺少必需的占位符 {names}")
    try:
        document.render(context, jinja_env=env, autoescape=True)
    except jinja2.UndefinedError as error:
        raise XinfangError(f"文书模板 {template.name}：{error.message}") from None
    except Exceeded as error:
        raise XinfangError(f"文书模板 {template.name} 超出限制：{error}，已停止") from None
    except SecurityError as error:
        raise XinfangError(
            f"文书模板 {template.name} 中有不允许的操作（{_line(error)}）：模板只能填写占位符"
        ) from None
    except jinja2.TemplateSyntaxError as error:  # e.g. a filter xinfang does not offer
        raise XinfangError(f"文书模板 {template.name}：{_line(error.message)}") from None
    except Exception as error:  # whatever else a foreign template may provoke
        raise XinfangError(f"文书模板 {template.name} 无法填写：{_line(error)}") from None
    stream = io.BytesIO()
    document.save(stream)
    write_bytes(target, stream.getbuffer())


def _unframed(xml: str) -> str:
    """The template's text without the old frame around a placeholder that is now a
    whole clause (FRAMED), even when Word split the frame into runs of its own."""
    for name, (before, after) in FRAMED.items():
        held = rf"((?:<[^>]*>)*\{{\{{-?\s*{name}\s*-?\}}\}}(?:<[^>]*>)*)"
        xml = re.sub(re.escape(before) + held, r"\1", xml)
        xml = re.sub(held + re.escape(after), r"\1", xml)
    return xml


def _line(error: object) -> str:
    return shorten(" ".join(str(error).split()), 200)


def use_templates(conn: sqlite3.Connection, folder: str) -> tuple[Path, list[str]]:
    """Make the office's folder of edited templates win over the shipped ones."""
    label = settings.SETTINGS["templates_dir"]
    try:
        path = Path(folder).expanduser().resolve()
        own = sorted(p.stem for p in path.glob("*.docx")) if path.is_dir() else []
    except (OSError, ValueError):  # a NUL byte or a name too long for the file system
        raise InvalidInput(label, "不是可用的目录名") from None
    if not own:
        raise InvalidInput(label, f"{shorten(path, 200)} 不存在或其中没有 .docx 模板")
    settings.set_value(conn, "templates_dir", str(path))
    return path, own


def export_templates(target: Path, *, force: bool) -> list[Path]:
    """Copy the shipped templates out for the office to edit."""
    try:
        target.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InvalidInput("目录", f"{shorten(target, 200)} 是一个文件，不是目录") from None
    except (OSError, ValueError) as error:
        raise InvalidInput(
            "目录", f"无法创建 {shorten(target, 200)}：{getattr(error, 'strerror', None) or error}"
        ) from None
    sources = [*sorted(shipped_templates().glob("*.docx")), shipped_templates() / "README.md"]
    clashes = [source.name for source in sources if (target / source.name).exists()]
    if clashes and not force:
        raise XinfangError(f"{target} 中已有 {'、'.join(clashes)}；如要覆盖请加 --force")
    copied = []
    for source in sources:
        if source.exists():
            shutil.copyfile(source, target / source.name)
            copied.append(target / source.name)
    return copied
