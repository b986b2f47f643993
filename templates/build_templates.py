"""Write the office-editable Word templates for the documents xinfang prints.

    python templates/build_templates.py      # rewrites every template next to this file

Each template is an ordinary .docx with docxtpl placeholders (`{{ name }}`), laid out
like the paper forms of the seeds (seed 000: 临泽县民政局; 002: 镜湖新区开发办; 003:
临沂市民政局): A4 portrait, 2.5 cm margins, 宋体 bold 22 pt titles, 仿宋 16 pt letters,
宋体 12 pt bordered tables. Every placeholder is written as one run so docxtpl sees it
whole. The output is byte-for-byte reproducible (fixed zip times and properties), so a
rebuild that changes nothing shows no diff. templates/README.md lists the placeholders.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.styles import CT_Style
from docx.oxml.text.run import CT_R
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from xinfang.core.life.archiving import CATALOGUE

HERE = Path(__file__).resolve().parent
SONG, FANG, HEI = "宋体", "仿宋", "黑体"
TITLE_PT, LETTER_PT, TABLE_PT = 22, 16, 12
TEXT_WIDTH_CM = 16.0  # 21 cm less two 2.5 cm margins
LETTER_LINE_PT = 28  # exact line pitch of the letters (公文: 22 lines a page)
FIXED_TIME = datetime(2026, 1, 1)

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
VALIGN = {
    "top": WD_CELL_VERTICAL_ALIGNMENT.TOP,
    "center": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
    "bottom": WD_CELL_VERTICAL_ALIGNMENT.BOTTOM,
}
DATE_BLANK = "年　　月　　日"  # for a hand-written date beside a signature


# ---------------------------------------------------------------- building blocks


@dataclass
class P:
    """One paragraph: its text is a single run (so a placeholder is never split)."""

    text: str = ""
    align: str = "left"
    bold: bool = False
    font: str | None = None  # None: the document's body font
    pt: float | None = None  # None: the document's body size
    indent: int = 0  # first-line indent, in characters
    left_cm: float = 0.0
    right_chars: float = 0.0
    before: float = 0.0  # space before, pt
    after: float = 0.0
    page_break_before: bool = False
    keep_next: bool = False  # on the same page as the next paragraph (or table row)
    keep_lines: bool = False  # never split across pages
    exact_pt: float = 0.0  # an exact line pitch, pt (0: the usual one)


@dataclass
class C:
    """One table cell spanning `span` grid columns."""

    paras: list[P]
    span: int = 1
    valign: str = "center"


@dataclass
class Row:
    cells: list[C]
    height_cm: float = 0.9
    exact: bool = False
    keep_next: bool = False  # on the same page as the next row (a signature row and what follows)


@dataclass
class Form:
    """A document being built, with the font and size of its body text."""

    doc: DocxDocument
    font: str
    pt: float
    letter: bool = False  # letters: 仿宋, exact 28 pt line pitch


def set_fonts(rpr_owner: CT_R | CT_Style, font: str) -> None:
    """Name the font for Latin and East Asian text alike (Word uses w:eastAsia for CJK)."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for key in list(fonts.attrib):
        if key.endswith("Theme"):
            del fonts.attrib[key]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


def new_form(font: str, pt: float, *, letter: bool) -> Form:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Cm(2.5))
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(int(pt * 2)))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    normal = doc.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(pt)
    set_fonts(normal.element, font)
    properties = doc.core_properties
    properties.author = properties.last_modified_by = "xinfang"
    properties.title = properties.subject = properties.keywords = properties.comments = ""
    properties.created = properties.modified = FIXED_TIME
    properties.revision = 1
    return Form(doc, font, pt, letter=letter)


def write_para(form: Form, paragraph: Paragraph, spec: P, *, in_table: bool) -> None:
    font = spec.font or form.font
    size = spec.pt or form.pt
    fmt = paragraph.paragraph_format
    paragraph.alignment = ALIGN[spec.align]
    fmt.space_before, fmt.space_after = Pt(spec.before), Pt(spec.after)
    if spec.exact_pt:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(spec.exact_pt)
    elif form.letter and not in_table and size <= LETTER_PT:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LETTER_LINE_PT)
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if spec.left_cm:
        fmt.left_indent = Cm(spec.left_cm)
    if spec.right_chars:
        fmt.right_indent = Pt(spec.right_chars * size)
    if spec.indent:
        fmt.first_line_indent = Pt(spec.indent * size)
        ind = paragraph._p.get_or_add_pPr().find(qn("w:ind"))
        ind.set(qn("w:firstLineChars"), str(spec.indent * 100))  # follows the font size
    if spec.page_break_before:
        fmt.page_break_before = True
    if spec.keep_next:
        fmt.keep_with_next = True
    if spec.keep_lines:
        fmt.keep_together = True
    if spec.text:
        run = paragraph.add_run(spec.text)
        run.font.name = font
        run.font.size = Pt(size)
        if spec.bold:
            run.font.bold = True
        set_fonts(run._element, font)
    else:  # an empty line keeps the size, so the gap is the same in Word and WPS
        mark = paragraph._p.get_or_add_pPr()
        rpr = OxmlElement("w:rPr")
        size_el = OxmlElement("w:sz")
        size_el.set(qn("w:val"), str(int(size * 2)))
        rpr.append(size_el)
        mark.append(rpr)


def add(form: Form, *specs: P) -> None:
    for spec in specs:
        write_para(form, form.doc.add_paragraph(), spec, in_table=False)


def blank(form: Form, count: int = 1) -> None:
    add(form, *[P() for _ in range(count)])


def title(form: Form, *lines: str, after: float = 12) -> None:
    for index, line in enumerate(lines):
        last = index == len(lines) - 1
        add(form, P(line, "center", bold=True, font=SONG, pt=TITLE_PT, after=after if last else 0))


def signature(form: Form, date: str, who: str = "{{ office }}（盖章）") -> None:
    """The signature block on the right: the office (stamped) and, under it, the date.
    It keeps with the blank lines and the whole paragraph above it, so a long letter
    never leaves the signature alone on its last page."""
    for element in reversed(form.doc.element.body.findall(qn("w:p"))):
        if element.getnext() is not None and element.getnext().tag == qn("w:tbl"):
            break  # the table above: its rows stay whole, the signature follows it
        paragraph = Paragraph(element, form.doc)
        paragraph.paragraph_format.keep_with_next = True
        if paragraph.text.strip():
            paragraph.paragraph_format.keep_together = True
            break
    add(form, P(who, "right", right_chars=2, keep_next=True), P(date, "right", right_chars=4))


def page_footer(form: Form) -> None:
    """ "第 N 页 共 M 页" centred in the footer, as Word PAGE and NUMPAGES fields."""
    paragraph = form.doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def text(value: str) -> None:
        run = paragraph.add_run(value)
        run.font.size = Pt(10.5)
        set_fonts(run._element, SONG)

    def field(code: str) -> None:
        for kind in ("begin", "instr", "separate", "result", "end"):
            run = paragraph.add_run()
            run.font.size = Pt(10.5)
            set_fonts(run._element, SONG)
            if kind == "instr":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = f" {code} "
                run._element.append(instr)
            elif kind == "result":
                run.text = "1"  # shown until the field is updated
            else:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._element.append(char)

    text("第 ")
    field("PAGE")
    text(" 页 共 ")
    field("NUMPAGES")
    text(" 页")


def set_borders(table: Table) -> None:
    """Every border drawn, like the paper form: 1 pt outside, 0.5 pt inside."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4" if edge.startswith("inside") else "8")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    later = {qn(f"w:{tag}") for tag in ("shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption")}
    follower = next((child for child in tbl_pr if child.tag in later), None)
    if follower is None:  # keep the schema's element order: Word is strict about it
        tbl_pr.append(borders)
    else:
        follower.addprevious(borders)


def table(form: Form, widths_cm: list[float], rows: list[Row]) -> None:
    assert abs(sum(widths_cm) - TEXT_WIDTH_CM) < 0.01, widths_cm
    doc = form.doc
    grid = doc.add_table(rows=len(rows), cols=len(widths_cm))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False  # w:tblLayout fixed: the columns keep their widths
    width = grid._tbl.tblPr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(round(TEXT_WIDTH_CM / 2.54 * 1440)))
    set_borders(grid)
    for col, width in zip(grid.columns, widths_cm, strict=True):
        col.width = Cm(width)
    for r, row in enumerate(rows):
        assert sum(c.span for c in row.cells) == len(widths_cm), (r, row)
        tr = grid.rows[r]
        tr.height = Cm(row.height_cm)
        tr.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if row.exact else WD_ROW_HEIGHT_RULE.AT_LEAST
        tr._tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))  # before w:trHeight
        for col, width in enumerate(widths_cm):
            grid.cell(r, col).width = Cm(width)
        col = 0
        for spec in row.cells:
            cell = grid.cell(r, col)
            if spec.span > 1:
                cell = cell.merge(grid.cell(r, col + spec.span - 1))
            cell.vertical_alignment = VALIGN[spec.valign]
            paras = (
                [replace(p, keep_next=True) for p in spec.paras] if row.keep_next else spec.paras
            )
            write_para(form, cell.paragraphs[0], paras[0], in_table=True)
            for extra in paras[1:]:
                write_para(form, cell.add_paragraph(), extra, in_table=True)
            col += spec.span
    # Word needs a paragraph after a table: 1 pt tall, so a table that fills the page
    # leaves no blank page behind it.
    add(form, P(pt=1, exact_pt=1))


def label(text: str, span: int = 1) -> C:
    return C([P(text, "center")], span)


def value(text: str, span: int = 1, align: str = "left") -> C:
    return C([P(text, align)], span)


def block(lines: list[str], span: int, *, sign: str | None = None, gap: int = 1) -> C:
    """A tall cell: text from the top, then (for the paper form) a signature and date."""
    paras = [P(line, "justify") for line in lines] or [P()]
    if sign is not None:
        paras += [P() for _ in range(gap)]
        paras += [P(sign, left_cm=6.0), P(DATE_BLANK, "right", right_chars=1)]
    return C(paras, span, valign="top")


def number_line(form: Form, text: str) -> None:
    add(form, P(text, "right", after=4))


# ---------------------------------------------------------------- letters (仿宋 16)


def letter(*heading: str) -> Form:
    form = new_form(FANG, LETTER_PT, letter=True)
    title(form, *heading)
    return form


def body(form: Form, *texts: str) -> None:
    add(form, *[P(text, "justify", indent=2) for text in texts])


def section_head(form: Form, text: str) -> None:
    add(form, P(text, "left", font=HEI, indent=2))


def accept_notice() -> Form:
    form = letter("{{ office }}", "信访来访受理告知书")
    add(form, P("{{ formal_no }}", "center"))
    blank(form)
    add(form, P("{{ name }}："))
    body(
        form,
        "您反映的“{{ matter }}”的问题，我们于{{ received_cn }}接到并决定予以受理。"
        "按照《信访工作条例》等有关规定，将于{{ reply_due_cn }}前办结并书面答复您。",
        "在办理期间，您以同一事实和理由提出同一信访事项的，本级和上级行政机关不予受理。",
        "特此告知。",
    )
    blank(form, 3)
    signature(form, "{{ notice_upper }}")
    return form


def reject_notice() -> Form:
    form = letter("{{ office }}", "信访事项不予受理告知书")
    add(form, P("{{ formal_no }}", "center"))
    blank(form)
    add(form, P("{{ name }}："))
    body(
        form,
        "您于{{ received_cn }}反映的“{{ matter }}”的问题，我们已收到。"
        "经审查，{{ reject_reason }}，根据《信访工作条例》等有关规定，"
        "我们于{{ decided_cn }}决定不予受理。",
        "请依照有关法律、行政法规规定的程序{{ reject_channel }}。",
        "特此告知。",
    )
    blank(form, 3)
    signature(form, "{{ notice_upper }}")
    return form


def numbered_letter(heading: str, to: str) -> Form:
    """A letter under the office's name with the case's 文号, to `to`."""
    form = letter("{{ office }}", heading)
    add(form, P("{{ formal_no }}", "center"))
    blank(form)
    add(form, P(f"{to}："))
    return form


def transfer_notice() -> Form:
    form = numbered_letter("信访事项转送告知书", "{{ name }}")
    body(
        form,
        "您于{{ received_cn }}反映的“{{ matter }}”的问题，我们已收到。经审查，"
        "{% if transfer_reason %}{{ transfer_reason }}{% else %}该事项不属于本单位职责范围{% endif %}，"
        "根据《信访工作条例》第二十三条等有关规定，我们已于{{ transferred_cn }}将该事项转送"
        "{{ transfer_to }}处理。",
        "{{ transfer_to }}将依照有关规定办理并告知您接收情况以及处理途径和程序，"
        "有关情况请与{{ transfer_to }}联系。",
        "特此告知。",
    )
    blank(form, 3)
    signature(form, "{{ transferred_upper }}")
    return form


def transfer_letter() -> Form:
    # The petitioner's phone, ID number and address are not written here: they travel
    # with the petition's materials, to the body that handles it and no one else.
    form = numbered_letter("信访事项转送函", "{{ transfer_to }}")
    body(
        form,
        "{{ sent.who }}于{{ received_cn }}以{{ form }}"
        "方式反映的信访事项{% if upper_ref %}（上级信访件编号：{{ upper_ref }}）{% endif %}，经审查，"
        "{% if transfer_reason %}{{ transfer_reason }}{% else %}属贵单位职责范围{% endif %}。"
        "根据《信访工作条例》第二十二条、第二十三条等有关规定，现转送贵单位依法处理。",
    )
    section_head(form, "一、反映的问题")
    body(form, "{{ content }}")
    section_head(form, "二、办理要求")
    body(
        form,
        "请自收到之日起15日内书面告知信访人接收情况以及处理途径和程序；"
        "如认为不属于贵单位职权范围，请自收到之日起5个工作日内提出异议并详细说明理由。",
        "请做好信访人信息保密工作，不得将信访人的检举、揭发、控告材料及有关情况透露或者"
        "转给被检举、揭发、控告的人员和单位。",
    )
    add(form, P("附件：信访材料", indent=2))
    blank(form, 2)
    signature(form, "{{ transferred_upper }}")
    return form


def reply_letter() -> Form:
    form = letter("{{ office }}", "信访问题处理意见答复书")
    add(form, P("{{ formal_no }}", "center"))
    blank(form)
    add(form, P("{{ name }}："))
    body(
        form,
        "您反映的“{{ matter }}”的问题，我们于{{ received_cn }}接到并受理。"
        "{{ investigated_cn }}，{{ investigated_by }}对您反映的情况进行了调查，"
        "现就处理情况答复如下。",
        "经调查，{% if reply_finding %}您反映的问题{{ reply_finding }}。{% endif %}{{ reply_text }}",
        "现将上述信访调查处理情况向您书面予以答复。如不服本处理意见，可自收到本处理意见书之日起"
        "30日内向{{ review_bodies }}提出复查申请，"
        "如逾期不提出复查申请，各级人民政府和其他行政机关不再受理。",
    )
    blank(form, 3)
    signature(form, "{{ replied_upper }}")
    return form


def review_opinion() -> Form:
    form = letter("{{ office }}", "信访事项复查意见书")
    add(form, P("{{ formal_no }}", "center"))
    blank(form)
    add(form, P("{{ name }}："))
    body(
        form,
        "您反映的“{{ matter }}”的问题，我们于{{ replied_cn }}作出了处理意见。"
        "您不服，于{{ review_requested_cn }}提出复查申请。经复查，现将复查意见答复如下。",
        "{{ review_text }}",
        "根据《信访工作条例》等有关规定，决定{{ review_outcome }}原处理意见。",
        "如不服本复查意见，可自收到本复查意见书之日起{{ recheck_days }}内向{{ recheck_body }}"
        "请求复核。逾期未请求复核的，或者对复核意见不服，仍然以同一事实和理由提出投诉请求的，"
        "各级机关信访工作机构和其他机关、单位不再受理。",
    )
    blank(form, 3)
    signature(form, "{{ review_decided_upper }}")
    return form


def assign_order() -> Form:
    form = letter("{{ office }}", "信访问题交办单")
    add(form, P("{{ assign_no }}", "center"))
    blank(form)
    add(form, P("{{ unit }}："))
    body(
        form,
        "{% if not internal_unit %}按照“属地管理”原则，{% endif %}现将{{ sent.who }}反映的"
        "“{{ matter }}”信访事项交办你单位，请及时调查处理，于{{ assign_due_cn }}前办结并上报"
        "办理情况，同时将处理情况反馈投诉人{% if not internal_unit %}，并在你单位门户网站公示"
        "{% endif %}。",
        "请做好投诉人信息保密工作，保障投诉人的合法权益。",
    )
    blank(form, 3)
    signature(form, "{{ assigned_upper }}")
    return form


def supervise_notice() -> Form:
    form = letter("{{ office }}", "信访问题督办通知")
    add(form, P("{{ supervise_prefix_no }}", "center"))
    blank(form)
    add(form, P("{{ supervise_to }}："))
    body(
        form,
        "为切实解决群众反映的信访问题，按照《信访工作条例》和本单位信访办理工作制度的规定，"
        "现将{{ sent.who }}反映的“{{ matter }}”信访问题"
        "{% if assign_no %}（交办单{{ assign_no }}）{% endif %}进行督办"
        "（督办事由：{{ supervise_reason }}），请你单位按照职责和办理要求及时调查处理，"
        "于{{ supervise_due_cn }}前办结该信访问题并报送处理结果，同时将办结处理情况反馈投诉人"
        "{% if not internal_unit %}，并在你单位门户网站公示{% endif %}。",
        "请做好投诉人信息保密工作，保障信访人的合法权益。",
    )
    blank(form, 3)
    signature(form, "{{ supervised_upper }}")
    return form


def liaison_letter() -> Form:
    form = letter("信访事项联系函")
    number_line(form, "编号：{{ liaison_no }}")
    add(form, P("{{ liaison_to }}："))
    body(
        form,
        "信访事项（编号：{{ case_no }}{% if upper_ref %}，上级信访件编号：{{ upper_ref }}{% endif %}）"
        "为我单位主办件，因涉贵单位有关职责，现将有关事项联系如下：",
    )
    section_head(form, "一、基本情况")
    body(
        form,
        "{{ sent.who }}{% if sent.phone and not sent.withheld %}（联系电话：{{ sent.phone }}）{% endif %}"
        "于{{ received_cn }}"
        "以{{ form }}方式反映“{{ matter }}”的问题。",
    )
    section_head(form, "二、协调联系事项")
    body(form, "{{ liaison_matter }}", "请予以支持为感。")
    blank(form, 2)
    signature(form, "{{ liaised_upper }}", who="{{ office }}（盖章）")
    return form


def extend_notice() -> Form:
    # 条例 art. 34: an extension is told to the petitioner, with the reason.
    form = numbered_letter("信访事项延期办理告知书", "{{ name }}")
    body(
        form,
        "您于{{ received_cn }}反映的“{{ content }}”的问题，我们已于{{ accepted_cn }}受理。"
        "因{{ extend_reason }}，{% if extend_approved_by %}经{{ extend_approved_by }}批准，{% endif %}"
        "根据《信访工作条例》等有关规定，办理期限延长{{ extend_length }}，"
        "我们将于{{ extended_due_cn }}前办结并书面答复您。",
        "在办理期间，您以同一事实和理由提出同一信访事项的，本级和上级行政机关不予受理。",
        "特此告知。",
    )
    blank(form, 3)
    signature(form, "{{ extended_upper }}")
    return form


def urge_notice() -> Form:
    # Leaves the office: names the matter, never the petitioner (检举控告 cases included).
    form = numbered_letter("信访事项催办单", "{{ urge_to }}")
    body(
        form,
        "{{ assigned_cn }}，我单位以交办单{{ assign_no }}将反映“{{ content }}”的信访事项"
        "交你单位办理，要求于{{ assign_due_cn }}前办结并上报办理情况。"
        "{% if urge_text %}现就以下事项催办：{{ urge_text }}。{% endif %}",
        "请你单位抓紧调查处理，按期办结，上报办理情况，同时将处理情况反馈信访人；"
        "逾期未办结的，将按规定予以督办。",
        "请做好信访人信息保密工作，保障信访人的合法权益。",
    )
    blank(form, 3)
    signature(form, "{{ urged_upper }}")
    return form


def upper_report() -> Form:
    # seed 004 一2: the result of a case the upper level handed down, reported up.
    form = numbered_letter("上级交办信访事项办理结果报告", "{{ upper_to }}")
    body(
        form,
        "{{ received_cn }}，我单位收到上级交办的信访事项（信访件编号：{{ upper_ref }}）。"
        "现将办理结果报告如下：",
    )
    section_head(form, "一、基本情况")
    body(form, "信访人{{ name }}（{{ persons }}人）以{{ form }}方式反映“{{ content }}”的问题。")
    section_head(form, "二、调查处理情况")
    body(
        form,
        "我单位于{{ accepted_cn }}受理{% if unit %}，{{ assigned_cn }}交{{ unit }}调查处理{% endif %}。"
        "{% if unit_report %}调查情况：{{ unit_report }}{% endif %}",
        "经调查，{% if reply_finding %}信访人反映的问题{{ reply_finding }}。{% endif %}"
        "处理结果：{{ reply_result }}。{{ reply_text }}",
    )
    section_head(form, "三、答复情况")
    body(form, "我单位已于{{ replied_cn }}将处理意见书面答复信访人。", "特此报告。")
    blank(form)
    signature(form, "{{ replied_upper }}")
    return form


# ---------------------------------------------------------------- forms (宋体 12)
# Tables are written one row a line, like the paper form (hence fmt: off).
# fmt: off


def form_sheet(*heading: str, number: str | None = "编号：{{ case_no }}") -> Form:
    form = new_form(SONG, TABLE_PT, letter=False)
    title(form, *heading, after=6)
    if number:
        number_line(form, number)
    return form


def registration() -> Form:
    form = form_sheet("{{ office }}", "信访问题受理登记表")
    table(
        form,
        [2.6, 4.6, 2.2, 3.2, 1.6, 1.8],
        [
            # 姓名、性别、年龄、住址、联系方式 as seed 001's 来访登记表 has them.
            Row([label("信访人"), value("{{ name }}"), label("性别"), value("{{ sex }}"),
                 label("年龄"), value("{{ age }}")]),
            Row([label("身份证号码"), value("{{ id_number }}"), label("联系电话"),
                 value("{{ phone }}"), label("人数"), value("{{ persons }}")]),
            Row([label("通讯地址"), value("{{ address }}", 5)]),
            Row([label("信访时间"), value("{{ received_time }}"), label("接访人"),
                 value("{{ receiver }}", 3)]),
            Row([label("信访来源"),
                 value("{{ source_line }}{% if upper_ref %}（信访件编号：{{ upper_ref }}）{% endif %}", 5)]),
            Row([label("信访形式"), value("{{ form_line }}", 5)]),  # the office's list, ticked
            Row([label("问题类型"), value("{{ category }}"), label("事项类别"), value("{{ kind }}"),
                 label("属地"), value("{{ township }}")]),
            Row([label("反映问题"), block(["{{ content }}"], 5)], 5.6),
            Row([label("接访人意见"), block(["{{ receiver_opinion }}"], 5, sign="签名：", gap=2)], 3.6,
                keep_next=True),
            Row([label("承办机构\n负责人意见"), block([], 5, sign="签名：", gap=2)], 3.2, keep_next=True),
            Row([label("备注"), block([], 5)], 1.6),
        ],
    )
    return form


def closing_form() -> Form:
    form = form_sheet("{{ office }}", "信访案件结案审批表")
    table(
        form,
        [2.6, 2.2, 2.2, 3.2, 2.2, 3.6],
        [
            Row([label("信访人"), value("{{ name }}"), label("联系电话"), value("{{ phone }}"),
                 label("通讯地址"), value("{{ address }}")]),
            Row([label("信访来源"), value("{{ source_line }}", 2), label("信访时间"),
                 value("{{ received_cn }}", 2)]),
            Row([label("反映问题"), block(["{{ content }}"], 5)], 3.0),
            Row([label("调查处\n理情况"), block([
                "调查单位：{{ investigated_by }}　　是否属实：{{ reply_finding }}",
                "{% if unit_report %}调查情况：{{ unit_report }}{% endif %}",
                "处理结果：{{ reply_result }}。{{ reply_text }}",
                "答复时间：{{ replied_cn }}",
            ], 5)], 4.2),
            Row([label("回访情况"), block([
                "回访时间：{{ revisited_cn }}　　回访人：{{ revisit_by }}",
                "回访方式：{{ revisit_method }}　　满意度：{{ revisit_satisfaction }}",
                "信访人意见：{{ revisit_opinion }}",
            ], 5)], 2.2),
            Row([label("公示情况"), block([
                "已公示：{{ publicized_box }}　　公示时间：{{ publicized_cn }}",
                "公示渠道：{{ publicize_where }}",
            ], 5)], 1.5),
            Row([label("承办人意见"), block(["{{ close_opinion }}"], 5, sign="签名：")], 2.8),
            Row([label("承办机构\n负责人意见"), block([], 5, sign="签名：")], 2.8),
            Row([label("备注"), block([
                "办结：{{ closed_box }}　　办结日期：{{ closed_cn }}",
                "审批人：{{ approved_by }}",
            ], 5)], 1.3),
        ],
    )
    return form


def revisit_form() -> Form:
    form = form_sheet("{{ office }}", "信访问题处理情况回访及满意度调查表")
    table(
        form,
        [2.6, 5.4, 2.6, 5.4],
        [
            Row([label("信访人"), value("{{ name }}"), label("联系电话"), value("{{ phone }}")]),
            Row([label("信访来源"), value("{{ source_line }}"), label("信访时间"), value("{{ received_cn }}")]),
            Row([label("反映问题"), block(["{{ content }}"], 3)], 3.6),
            Row([label("处理意见"), block(["办理结果：{{ reply_result }}", "{{ reply_text }}"], 3)], 4.4),
            Row([label("回访人员"), value("{{ revisit_by }}"), label("回访时间"), value("{{ revisited_cn }}")]),
            Row([label("回访方式"), value("{{ method_line }}", 3)]),  # the office's lists, ticked
            Row([label("满意度"), value("{{ satisfaction_line }}", 3)]),
            Row([label("信访人意见"), block(["{{ revisit_opinion }}"], 3, sign="签名：", gap=2)], 4.4),
            Row([label("备注"), block([], 3)], 1.6),
        ],
    )
    return form


def cover() -> Form:
    form = new_form(SONG, 14, letter=False)
    blank(form, 2)
    title(form, "{{ office }}", "信访案件案卷", after=30)
    number_line(form, "案卷编号：{{ case_no }}")
    tall = 1.3
    # The cover is one page whatever the petition: its 事由 row is a fixed height (about
    # 450 characters in 小四); the whole text is on the 登记表 behind it.
    table(
        form,
        [3.4, 4.6, 3.4, 4.6],
        [
            Row([label("信访事由"), C([P("{{ content }}", "justify", pt=TABLE_PT)], 3, "top")], 9.0,
                exact=True),
            Row([label("承 办 人"), value("{{ handler }}", 3)], tall),
            Row([label("信访日期"), value("{{ received_cn }}", 3)], tall),
            Row([label("办结日期"), value("{{ closed_cn }}", 3)], tall),
            Row([label("办结情况"), value("{{ closed_box }}", 3)], tall),
            Row([label("公示情况"), value("{{ publicized_box }}", 3)], tall),
            Row([label("归档日期"), value("{{ archived_cn }}", 3)], tall),
            Row([value("", 4)], 0.6),
            Row([label("卷内共 {{ pages_total }} 页", 2), label("保管期限"), value("{{ retention }}", align="center")], tall),
        ],
    )
    return form




def catalogue() -> Form:
    form = form_sheet("{{ office }}", "信访问题案卷目录", number="案卷编号：{{ case_no }}")
    rows = [Row([label("序号"), label("材料名称"), label("页　次")], 1.1)]
    for index, name in enumerate(CATALOGUE):
        rows.append(Row([
            label(str(index + 1)),
            C([P(name, "justify")], 1),
            value(f"{{{{ catalogue[{index}].pages }}}}", align="center"),
        ], 1.6))
    rows += [Row([value(""), value(""), value("")], 1.6) for _ in range(2)]
    table(form, [2.0, 11.0, 3.0], rows)
    add(form, P("承办人：{{ handler }}　　归档日期：{{ archived_cn }}　　卷内共 {{ pages_total }} 页",
                before=4))
    return form


def dissatisfied_check() -> Form:
    form = form_sheet("{{ case_no }}号信访件信访人不满意核实件", number=None)
    add(form, P("单位名称（盖章）：{{ office }}　　　　核实轮次：第{{ check_round }}轮", after=4))
    upper = ("上级{{ '☑' if upper_ref else '□' }}（信访件编号：{{ upper_ref }}）　"
             "本级{{ '□' if upper_ref else '☑' }}")

    def wide(head: str, lines: list[str], height: float, who: str = "签名：") -> Row:
        paras = [P(head)] + [P(line, "justify", indent=2) for line in lines]
        paras += [P(who, left_cm=7.0), P(DATE_BLANK, "right", right_chars=2)]
        # the signature rows go to the next page together, never the last one alone
        return Row([C(paras, 6, valign="top")], height, keep_next=not lines)

    table(
        form,
        [2.6, 3.0, 1.4, 2.4, 2.2, 4.4],
        [
            Row([label("信访人姓名"), value("{{ name }}"), label("人数"), value("{{ persons }}"),
                 label("联系电话"), value("{{ phone }}")]),
            Row([label("身份证号码"), value("{{ id_number }}", 3), label("信访日期"), value("{{ received_cn }}")]),
            Row([label("单位及住址"), value("{{ address }}", 5)]),
            Row([label("信访件来源"), value(upper, 5)]),
            Row([label("信访形式"), value("{{ form_line }}", 5)]),
            Row([label("信访诉求"), block(["{{ content }}"], 5)], 2.4),
            Row([C([P("核实件要求："), P("{{ check_requirement }}", "justify", indent=2)], 6, "top")], 1.8),
            Row([C([P("原处理（答复）意见及结论："), P("{{ original_reply }}", "justify", indent=2)], 6, "top")], 2.2),
            wide("主职领导交办签批：", [], 2.0),
            wide("事项分管领导批示意见：", [], 2.0),
            wide("承办部门负责人办理意见：", [], 2.0),
            wide("信访事项核实情况说明：（可另附页）", ["{{ check_findings }}"], 3.2,
                 who="核实人：{{ check_by }}　　事项承办人签名："),
        ],
    )
    # the 核实情况说明 (seed 002 附件6), a letter on the next page
    add(
        form,
        P("关于{{ name }}（编号{{ case_no }}）信访事项", "center", bold=True, font=SONG,
          pt=TITLE_PT, page_break_before=True),
        P("核实情况说明", "center", bold=True, font=SONG, pt=TITLE_PT, after=6),
        P("签发人：　　　　　　", "right", font=FANG, pt=LETTER_PT, after=12),
    )
    form.letter, form.font, form.pt = True, FANG, LETTER_PT
    add(form, P("{{ upper_office }}："))
    body(
        form,
        "{{ case_no }}号信访事项{% if upper_ref %}（上级信访件编号：{{ upper_ref }}）{% endif %}"
        "信访人评价为不满意，经我单位再次调查核实，现将基本情况汇报如下：",
    )
    section_head(form, "一、基本情况")
    body(
        form,
        "信访人{{ name }}于{{ received_cn }}以{{ form }}方式反映“{{ matter }}”的问题。"
        "原处理（答复）意见：{{ original_reply }}",
        "信访人不满意的意见：{{ check_requirement }}",
    )
    section_head(form, "二、调查核实情况")
    body(form, "{{ check_findings }}")
    section_head(form, "三、目前处理沟通情况")
    body(form, "{% if check_reply %}已与信访人{{ name }}进行了联系沟通，答复如下：{{ check_reply }}"
         "{% else %}尚未再次答复信访人。{% endif %}")
    blank(form, 2)
    signature(form, "{{ check_upper }}")
    return form


def reception_order() -> Form:
    form = form_sheet("{{ office }}", "接访交办通知单", number="编号：{{ assign_no }}")
    table(
        form,
        [2.6, 5.4, 2.6, 5.4],
        [
            Row([label("接访领导"), value("{{ leader }}"), label("接访时间"), value("{{ reception_cn }}")]),
            Row([label("接访地点"), value("{{ reception_place }}"), label("联 络 人"), value("{{ contact_person }}")]),
            Row([label("信访人"), value("{{ sent.name }}"), label("人　　数"), value("{{ persons }}")]),
            Row([label("联系电话"), value("{{ sent.phone }}"), label("身份证号码"), value("{{ sent.id_number }}")]),
            Row([label("住　　址"), value("{{ sent.address }}", 3)]),
            Row([label("反映问题"), block(["{{ content }}"], 3)], 4.4),
            Row([label("领导批示\n办理意见"), block(["{{ receiver_opinion }}", "{{ instruction }}"], 3, sign="接访领导签名：")], 3.6),
            Row([label("承办单位"), value("{{ unit }}"), label("办结时限"), value("{{ assign_due_cn }}")]),
            Row([label("办理要求"), block([
                "请按照领导批示的办理意见，安排专人调查落实，与信访群众面对面沟通，"
                "在办理结束后第一时间向信访群众反馈，并于{{ assign_due_cn }}前填写《办理结果回复单》"
                "将办理结果反馈联络人。请做好信访人信息保密工作。",
            ], 3)], 2.6),
            Row([label("备注"), block([], 3)], 1.4),
        ],
    )
    blank(form)
    signature(form, "{{ assigned_upper }}")
    return form


def reception_result() -> Form:
    form = form_sheet("{{ office }}", "办理结果回复单", number="编号：{{ assign_no }}")
    table(
        form,
        [2.6, 5.4, 2.6, 5.4],
        [
            Row([label("接访领导"), value("{{ leader }}"), label("接访时间"), value("{{ reception_cn }}")]),
            Row([label("信访人"), value("{{ sent.name }}"), label("联系电话"), value("{{ sent.phone }}")]),
            Row([label("反映问题"), block(["{{ content }}"], 3)], 2.6),
            Row([label("承办单位"), value("{{ unit }}"), label("交办时间"), value("{{ assigned_cn }}")]),
            Row([label("承办联系人"), value("{{ unit_liaison }}"), label("联系电话"), value("{{ unit_phone }}")]),
            Row([label("调查办理\n情况"), block(["{{ unit_report }}"], 3)], 3.6),
            Row([label("办理结果"), block([
                "办理结果：{{ reply_result }}　　是否属实：{{ reply_finding }}",
                "答复信访人时间：{{ replied_cn }}",
                "{{ reply_text }}",
            ], 3)], 3.0),
            Row([label("承办单位\n负责人意见"), block([], 3, sign="签名：")], 2.2),
            Row([label("联络人意见"), block([], 3, sign="联络人签名：")], 2.2),
            Row([label("归档销号"), block([], 3, sign="信访办公室签名：", gap=0)], 1.4),
        ],
    )
    add(form, P("承办单位（盖章）：{{ unit }}　　　　回复时间：{{ unit_reported_cn }}", before=4))
    return form


def feedback_form() -> Form:
    # seed 000 五: a problem that 不能解决 is explained by law, and the petitioner signs here.
    form = form_sheet("{{ office }}", "信访投诉反馈意见表")
    table(
        form,
        [2.6, 5.4, 2.6, 5.4],
        [
            Row([label("信访人"), value("{{ name }}"), label("联系电话"), value("{{ phone }}")]),
            Row([label("信访时间"), value("{{ received_cn }}"), label("答复时间"), value("{{ replied_cn }}")]),
            Row([label("反映问题"), block(["{{ content }}"], 3)], 3.0),
            Row([label("答复意见\n及解释说明"), block([
                "办理结果：{{ reply_result }}{% if reply_finding %}　　是否属实：{{ reply_finding }}{% endif %}",
                "{{ reply_text }}",
            ], 3)], 5.0),
            Row([label("调查单位"), value("{{ investigated_by }}", 3)]),
            Row([label("信访人意见"), block([], 3, sign="信访人签名：", gap=4)], 5.0),
            Row([label("备注"), block([], 3)], 1.4),
        ],
    )
    add(form, P("注：对不能解决的信访事项，依据职能设置和法律法规的规定予以解释，"
                "请信访人在本表上签注意见。", before=4))
    return form


def handling_sheet() -> Form:
    # seed 002 附件3, field for field; 周会商 ticked for a 疑难复杂 case, 督查督办 for a supervised one.
    form = form_sheet("“2211”信访流程办理单", number=None)
    add(form, P("单位名称（盖章）：{{ office }}　　　　单号：{{ case_no }}", after=4))
    upper = ("上级{{ '☑' if is_upper else '□' }}（信访件编号：{{ upper_ref }}）　"
             "本级{{ '□' if is_upper else '☑' }}")

    def signed(head: str, lines: list[str], span: int, height: float) -> C:
        paras = [P(head)] + [P(line, "justify", indent=2) for line in lines]
        paras += [P("签名：", left_cm=1.0 if span < 6 else 7.0),
                  P(DATE_BLANK, "right", right_chars=1)]
        return C(paras, span, valign="top")

    table(
        form,
        [2.6, 3.0, 1.4, 2.4, 2.2, 4.4],
        [
            Row([label("信访人姓名"), value("{{ name }}"), label("人数"), value("{{ persons }}"),
                 label("联系电话"), value("{{ phone }}")]),
            Row([label("身份证号码"), value("{{ id_number }}", 3), label("信访日期"), value("{{ received_cn }}")]),
            Row([label("单位及住址"), value("{{ address }}", 5)]),
            Row([label("信访件来源"), value(upper, 5)]),
            Row([label("信访形式"), value("{{ form_line }}", 5)]),
            Row([label("信访诉求"), block(["{{ content }}"], 5)], 1.8),
            Row([label("信访办签收"), block(["签收人：{{ receiver }}　　签名：",
                                        "签收日期：{{ received_cn }}"], 5)], 1.2),
            Row([label("主职领导\n交办签批"), block([], 5, sign="签名：", gap=0)], 1.2),
            Row([signed("处理（答复）意见及结论：", [
                "{% if reply_result %}办理结果：{{ reply_result }}{% if reply_finding %}　　是否属实："
                "{{ reply_finding }}{% endif %}　　答复日期：{{ replied_cn }}{% endif %}",
                "{{ reply_text }}",
            ], 6, 3.2)], 3.2),
            Row([signed("事项分管领导审核意见：", [], 3, 2.2), signed("信访分管领导审核意见：", [], 3, 2.2)], 2.2),
            Row([signed("主职领导办结签批意见：", [], 6, 2.0)], 2.0),
            Row([label("信访人意见"), value("{{ satisfaction_line }}", 5)]),
            Row([label("回访日期"), value("{{ revisited_cn }}", 3), label("回访人"),
                 value("{{ revisit_by }}　签名：")]),
            Row([label("回访方式"), value("{{ method_line }}", 5)]),
            Row([label("是否进入\n周会商"),
                 value("是{{ '☑' if consulted else '□' }}　否{{ '□' if consulted else '☑' }}", 2),
                 label("是否进入\n督查督办", 2),
                 value("是{{ '☑' if supervise_no else '□' }}　否{{ '□' if supervise_no else '☑' }}")]),
        ],
    )
    add(form, P("注：此件扫描录入信访统一平台“其他材料（信访人不可见）”栏。", pt=10.5))
    return form


# fmt: on

TEMPLATES = {
    "受理登记表": registration,
    "受理告知书": accept_notice,
    "不予受理告知书": reject_notice,
    "转送告知书": transfer_notice,
    "转送函": transfer_letter,
    "处理意见答复书": reply_letter,
    "交办单": assign_order,
    "督办通知": supervise_notice,
    "结案审批表": closing_form,
    "回访及满意度调查表": revisit_form,
    "案卷封面": cover,
    "案卷目录": catalogue,
    "不满意核实件": dissatisfied_check,
    "信访事项联系函": liaison_letter,
    "接访交办通知单": reception_order,
    "办理结果回复单": reception_result,
    "复查意见书": review_opinion,
    "延期告知书": extend_notice,
    "催办单": urge_notice,
    "反馈意见表": feedback_form,
    "办理结果报告": upper_report,
    "信访流程办理单": handling_sheet,
}


def save_reproducibly(form: Form, target: Path) -> None:
    """Save with fixed zip timestamps, so an unchanged template rebuilds to the same bytes."""
    raw = io.BytesIO()
    form.doc.save(raw)
    raw.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dest.writestr(fixed, source.read(info.filename))
    target.write_bytes(out.getvalue())


def build(name: str) -> Form:
    """The template `name` as shipped: its body, and the page numbers every document has."""
    form = TEMPLATES[name]()
    page_footer(form)
    return form


def main() -> None:
    for name in TEMPLATES:
        save_reproducibly(build(name), HERE / f"{name}.docx")
        print(f"wrote {name}.docx")


if __name__ == "__main__":
    main()
