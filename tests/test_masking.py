"""Masking: `show/list/search --mask`, `overdue` (always: its output is mailed by cron),
`export --mask` and the 公示 text go through one scrubber, and none of them prints the
petitioner's name, phone, ID number or address, nor any phone or ID number, in whatever
form a clerk's IME or a petitioner's letter wrote it."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata

import openpyxl
import pytest
from conftest import LIFE

NAME = "欧阳铁柱"
PHONE = "13712345678"
ID_NUMBER = "11010519491231002X"
ADDRESS = "沙河镇西关村三社12号"
MATTER = "院墙被占"  # the matter itself: it must stay
WIDE = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")

# Each way a number or a name is written in a letter or typed with a Chinese IME; the
# secret is what must not come out, in any spacing or width.
FORMS = {
    "plain": (f"{MATTER}：{NAME}（电话{PHONE}，身份证{ID_NUMBER}）住{ADDRESS}", NAME),
    "full-width phone": (f"电话{PHONE.translate(WIDE)}，{MATTER}", PHONE),
    "dotted phone": (f"电话137.1234.5678，{MATTER}", PHONE),
    "spaced phone": (f"电话 137 1234 5678 {MATTER}", PHONE),
    "dashed phone": (f"电话137-1234-5678，{MATTER}", PHONE),
    "+86 phone": (f"电话+86 137 1234 5678，{MATTER}", PHONE),
    "spaced ID": (f"身份证110105 19491231 002X，{MATTER}", ID_NUMBER),
    "full-width X": (f"身份证11010519491231002Ｘ，{MATTER}", ID_NUMBER),
    "full-width ID": (f"身份证{ID_NUMBER.translate(WIDE)}，{MATTER}", ID_NUMBER),
    "lower-case x": (f"身份证11010519491231002x，{MATTER}", ID_NUMBER),
    "spaced name": (f"欧阳 铁柱反映{MATTER}", NAME),
    "ideographic space in name": (f"欧阳\u3000铁柱反映{MATTER}", NAME),
    "address alone": (f"西关村三社{MATTER}", "西关村三社"),
    "house with its group": (f"住三社 12号，{MATTER}", "三社12号"),
    "neighbour's phone": (f"邻居电话 136.9876.5432 {MATTER}", "13698765432"),
    "neighbour's ID": (f"邻居身份证 620723 19800101 0021，{MATTER}", "620723198001010021"),
    "neighbour's wide dotted phone": (f"电话{'136.9876.5432'.translate(WIDE)}，{MATTER}", "13698765432"),
    "landline": (f"固话（0936）552 1234，{MATTER}", "09365521234"),
    "bank card": (f"低保金打到卡号 6217 0012 3456 7890 123，{MATTER}", "6217001234567890123"),
}  # fmt: skip


def fold(text: str) -> str:
    """The output as the eye reads it: widths, case and separators do not hide a number."""
    return re.sub(r"[\s.\-()（）+]", "", unicodedata.normalize("NFKC", text)).upper()


def leaked(text: str, *secrets: str) -> list[str]:
    folded = fold(text)
    return [secret for secret in secrets if fold(secret) in folded]


def register(run, content: str, name: str = NAME) -> None:
    run(
        "register", "--name", name, "--phone", PHONE, "--id-number", ID_NUMBER,
        "--address", ADDRESS, "--source", "本级", "--form", "来访", "--content", content,
        "--on", "2026-11-02 09:30",
    )  # fmt: skip


def masked_outputs(run) -> dict[str, str]:
    """Every masked or public output a case reaches, as the reader gets it."""
    return {
        "show --mask": run("show", "2026-0001", "--mask").stdout,
        "show --mask --json": run("show", "2026-0001", "--mask", "--json").stdout,
        "list --mask": run("list", "--mask").stdout,
        "list --mask --json": run("list", "--mask", "--json").stdout,
        "search --mask --json": run("search", MATTER, "--mask", "--json").stdout,
        "overdue": run("overdue", expect=1).stdout,
        "overdue --json": run("overdue", "--json", expect=1).stdout,
        "export --mask": run("export", "--mask").stdout,
    }


@pytest.mark.parametrize("form", FORMS)
def test_every_masked_output_scrubs_each_written_form(run, form):
    content, secret = FORMS[form]
    register(run, content)
    for output, text in masked_outputs(run).items():
        assert leaked(text, secret, NAME, PHONE, ID_NUMBER) == [], (form, output)
        assert MATTER in text, (form, output)


def test_a_masked_search_does_not_repeat_what_was_searched_for(run):
    register(run, FORMS["plain"][0])
    for term in (PHONE, NAME):
        out = run("search", term, "--mask").stdout
        assert "2026-0001" in out and leaked(out, term) == [], term


def test_ordinary_numbers_and_words_are_left_alone(run):
    content = (
        "2026年11月2日 09:30 来访，反映自2026-10-01起低保金1250元停发，"
        "此前已按临民信〔2026〕1号答复，11月12号再次来访；全村共 35 户、112 人；"
        "2025.10.01-2026.09.30 期间补贴未发"
    )
    register(run, content)
    for args in (("list", "--mask", "--json"), ("show", "2026-0001", "--mask", "--json")):
        case = json.loads(run(*args).stdout)
        case = case[0] if isinstance(case, list) else case
        assert case["content"] == content, args
    overdue = json.loads(run("overdue", "--json", expect=1).stdout)
    assert overdue["overdue"][0]["content"] == content


def test_show_mask_hides_the_timeline_corrections_notes_and_replies(run):
    old_name, new_phone = "欧阳铁注", "13734567890"
    register(run, f"{old_name}反映{MATTER}，电话{PHONE}", name=old_name)
    run("correct", "2026-0001", "--field", "信访人姓名", "--value", NAME, "--reason", "错字")
    run("correct", "2026-0001", "--field", "联系电话", "--value", new_phone)
    run("correct", "2026-0001", "--field", "通讯地址", "--value", "沙河镇东寨村五社3号")
    run("note", "2026-0001", f"{NAME}来电，新号码 {new_phone[:3]} {new_phone[3:7]} {new_phone[7:]}")
    for action, *options in LIFE[:4]:
        run(action, "2026-0001", *options)
    run("reply", "2026-0001", "--result", "已解决", "--finding", "属实",
        "--text", f"已电话告知{NAME}（{new_phone}）处理结果", "--on", "2026-11-10")  # fmt: skip
    secrets = (NAME, old_name, PHONE, new_phone, ID_NUMBER, "西关村", "东寨村", "五社")
    for args in (("show", "2026-0001", "--mask"), ("show", "2026-0001", "--mask", "--json")):
        text = run(*args).stdout
        assert leaked(text, *secrets) == [], args
        assert MATTER in text and "处理结果" in text and "来电" in text
    shown = run("show", "2026-0001", "--mask").stdout
    assert "联系电话：137****5678 → 137****7890" in shown
    clear = run("show", "2026-0001").stdout  # the clerk at the desk still sees everything
    assert new_phone in clear and f"{NAME}来电" in clear


def test_a_corrected_name_is_as_secret_as_the_current_one(run):
    # Registered with a wrong character, written so in the content too, then corrected.
    register(run, f"欧阳铁注反映{MATTER}", name="欧阳铁注")
    run("correct", "2026-0001", "--field", "信访人姓名", "--value", NAME)
    for args in (("list", "--mask", "--json"), ("search", MATTER, "--mask"), ("export", "--mask")):
        text = run(*args).stdout
        assert "欧阳铁注" not in text and MATTER in text, args
    for action, *options in LIFE[:7]:
        run(action, "2026-0001", *options)
    notice = run("show", "2026-0001", "--json").stdout  # the 公示 text is kept in its event
    (publicized,) = (e for e in json.loads(notice)["events"] if e["action"] == "publicize")
    assert "欧阳铁注" not in publicized["data"]["notice"]


def test_overdue_files_for_the_cron_mail_carry_no_personal_data(run, tmp_path):
    register(run, FORMS["plain"][0])
    for suffix in ("csv", "xlsx"):
        target = tmp_path / f"超期.{suffix}"
        run("overdue", "--output", str(target), expect=1)
        if suffix == "xlsx":
            sheet = openpyxl.load_workbook(target).active
            text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row)
        else:
            text = target.read_text(encoding="utf-8-sig")
            content = list(csv.reader(io.StringIO(text)))[1][7]
            assert content == f"{MATTER}：***（电话***，身份证***）住***"
        assert MATTER in text, suffix
        assert leaked(text, NAME, PHONE, ID_NUMBER, "西关村", "三社") == [], suffix


def test_overdue_scrubs_before_it_shortens_the_content(run, tmp_path):
    # The list keeps 40 characters: a number cut at the edge must not escape the mask.
    register(run, "反映" * 16 + f"电话{PHONE}{MATTER}")  # the cut falls after 137123
    run("overdue", "--output", str(tmp_path / "od.csv"), expect=1)
    assert leaked((tmp_path / "od.csv").read_text(encoding="utf-8-sig"), PHONE[:6]) == []


def test_the_public_notice_scrubs_every_form(run):
    content = f"欧阳 铁柱（电话137.1234.5678，身份证110105 19491231 002X）反映{MATTER}"
    register(run, content)
    for action, *options in LIFE[:4]:
        run(action, "2026-0001", *options)
    run("reply", "2026-0001", "--result", "已解决", "--finding", "属实",
        "--text", f"已告知{NAME}，{'13712345678'.translate(WIDE)}", "--on", "2026-11-10")  # fmt: skip
    run("revisit", "2026-0001", "--method", "电话回访", "--satisfaction", "满意",
        "--on", "2026-11-11")  # fmt: skip
    notice = run("publicize", "2026-0001", "--where", "县政府门户网站", "--on", "2026-11-12").stdout
    assert "信访事项办理情况公示" in notice and MATTER in notice
    assert leaked(notice, NAME, PHONE, ID_NUMBER) == []


def test_numbers_and_names_written_any_which_way_never_come_through():
    """Thousands of renderings, as a clerk or a letter might write them: grouped, spaced,
    dotted, dashed, full-width digit by digit, +86, x or Ｘ, a name with gaps inside."""
    from random import Random

    from xinfang.core.privacy import Identity

    rng = Random(2026)
    seps = [" ", "-", ".", "－", "．", "\u3000", " - ", "—", ""]
    wide = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")

    def digits(n: int) -> str:
        return "".join(rng.choice("0123456789") for _ in range(n))

    def grouped(number: str, sizes: list[int]) -> str:
        sep, parts, at = rng.choice(seps), [], 0
        for size in sizes:
            parts.append(number[at : at + size])
            at += size
        text = sep.join(p for p in parts if p)
        if rng.random() < 0.3:
            return text.translate(wide)
        return "".join(ch.translate(wide) if rng.random() < 0.2 else ch for ch in text)

    def id_sizes() -> list[int]:
        sizes, left = [], 18
        while left > 4:
            size = rng.choice([3, 4, 6, 8]) if rng.random() < 0.8 else left
            sizes.append(min(size, left))
            left -= sizes[-1]
        return [*sizes, left]

    tried = 0
    for _ in range(1500):
        mobile = "1" + rng.choice("3456789") + digits(9)
        id_number = digits(17) + rng.choice("0123456789Xx")
        card = "62" + digits(rng.choice([14, 15, 17]))
        name = rng.choice(["欧阳铁柱", "李秀兰", "阿依古丽买买提"])
        mobile_text = grouped(mobile, rng.choice([[11], [3, 4, 4], [3, 3, 5], [4, 3, 4]]))
        if rng.random() < 0.2:
            mobile_text = rng.choice(["+86", "+86 ", "86-"]) + mobile_text
        spaced_name = rng.choice([*seps[:4], "·"]).join(name) if rng.random() < 0.5 else name
        text = (
            f"{spaced_name}反映低保停发，电话{mobile_text}，身份证号 {grouped(id_number, id_sizes())}，"
            f"卡号{grouped(card, [4] * (len(card) // 4) + [len(card) % 4])}。"
        )
        scrubbed = fold(Identity(name, None, None, None).scrub(text))
        for number in (mobile, id_number.upper(), card):
            windows = {number[i : i + 7] for i in range(len(number) - 6)}
            assert not [w for w in windows if w in scrubbed], (text, scrubbed)
        assert name not in scrubbed and "低保停发" in scrubbed, (text, scrubbed)
        tried += 1
    assert tried == 1500
