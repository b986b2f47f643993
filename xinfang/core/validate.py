"""Checks and normal forms for what clerks type: phones, ID numbers, free text, numbers.

Every refusal is an InvalidInput naming the field and saying what is allowed.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from xinfang.core.clock import dates
from xinfang.core.errors import InvalidInput, shorten

PHONE_FIELD = "联系电话"
ID_FIELD = "身份证号码"
# What an unusual ID or phone number's refusal tells a clerk typing options; where the
# clerk is asked instead (the interview) or cannot add one (a pasted text), it is left out.
_FORCE_HINT = "；请核对号码，如确认无误请加 --confirm-unusual"
_PHONE_FORCE_HINT = "；如确认无误，请加 --confirm-unusual"
_PHONE_HINT = (
    "不是有效的手机号（11位，1开头）或固定电话（区号-号码，如 0936-5521234）" + _PHONE_FORCE_HINT
)


def without_hint(message: str) -> str:
    """A refusal of an unusual number without its "add --confirm-unusual" hint."""
    return message.replace(_FORCE_HINT, "").replace(_PHONE_FORCE_HINT, "")


_FORCED_MAX = 40

_MOBILE = re.compile(r"(?:\+86|0086|86)?(1[3-9][0-9]{9})")
_LANDLINE_DASHED = re.compile(r"(0[0-9]{2,3})-([0-9]{7,8})(?:-([0-9]{1,6}))?")
_LANDLINE_PLAIN = re.compile(r"(0[0-9]{9,11})(?:-([0-9]{1,6}))?")
_EXTENSION = re.compile(r"[0-9]{1,6}")

# GB 11643-1999: weights 2^(17-i) mod 11, check character indexed by sum mod 11.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _is_control(ch: str) -> bool:
    """C0, DEL, C1, the two non-characters U+FFFE/U+FFFF, and lone surrogates."""
    code = ord(ch)
    return (
        code < 0x20 or 0x7F <= code <= 0x9F or code in (0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF
    )


def _forced(value: str, field: str) -> str:
    """--confirm-unusual keeps what was typed, but never control characters or absurd lengths."""
    if any(_is_control(ch) for ch in value):
        raise InvalidInput(field, "含有控制字符，请重新输入")
    if len(value) > _FORCED_MAX:
        raise InvalidInput(field, f"过长（{len(value)} 字），最多 {_FORCED_MAX} 字")
    return value


def normalize_phone(value: str, *, force: bool = False) -> str:
    """Mobile -> 13812345678; landline -> 0936-5521234 (extension kept as -123)."""
    raw = value.strip()
    if not raw:
        raise InvalidInput(PHONE_FIELD, "不能为空")
    normalized = _normal_phone(raw)
    if normalized is not None:
        return normalized
    if force:
        return _forced(raw, PHONE_FIELD)
    if any(_is_control(ch) for ch in raw):
        raise InvalidInput(PHONE_FIELD, "含有控制字符，请重新输入")
    # The number itself is not repeated back: error messages carry no personal data.
    raise InvalidInput(PHONE_FIELD, f"所填号码（{len(raw)} 位）{_PHONE_HINT}")


def _normal_phone(raw: str) -> str | None:
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))
    s = re.sub(r"^\((0[0-9]{2,3})\)-?", r"\1-", s)  # (0936)5521234 is a common way to write it
    mobile = _MOBILE.fullmatch(s.replace("-", ""))
    if mobile:
        return mobile.group(1)
    main, sep, extension = s.partition("转")
    if sep and not _EXTENSION.fullmatch(extension):
        return None
    dashed = _LANDLINE_DASHED.fullmatch(main)
    if dashed:
        area, number, dash_ext = dashed.groups()
    else:
        plain = _LANDLINE_PLAIN.fullmatch(main)
        if plain is None:
            return None
        digits, dash_ext = plain.groups()
        # Without a dash the split is fixed by the plan: 010 and 02x have 3 digits, the rest 4.
        cut = 3 if digits[1] in "12" else 4
        area, number = digits[:cut], digits[cut:]
        if not (len(number) == 8 if cut == 3 else 7 <= len(number) <= 8):
            return None
    if sep and dash_ext:
        return None
    ext = extension if sep else dash_ext
    return f"{area}-{number}" + (f"-{ext}" if ext else "")


def normalize_id_number(value: str, *, force: bool = False) -> str:
    """居民身份证号码 (18 digits with check character, or the old 15-digit form); X upper-cased."""
    raw = value.strip()
    if not raw:
        raise InvalidInput(ID_FIELD, "不能为空")
    # Full-width digits and the spaces people type between groups are not part of the number.
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw)).upper()
    problem = _id_problem(s)
    if problem is None:
        return s
    if force:
        if not re.fullmatch(r"[0-9A-Za-z]{15,18}", s):
            raise InvalidInput(
                ID_FIELD, "即使加了 --confirm-unusual，也只能是 15 至 18 位字母或数字"
            )
        return s
    raise InvalidInput(ID_FIELD, f"{problem}{_FORCE_HINT}")


def _id_problem(s: str) -> str | None:
    """What is wrong with the number, in words a clerk can check against the card; None if fine."""
    if len(s) not in (15, 18):
        return f"长度应为 18 位（旧证 15 位），实际为 {len(s)} 位"
    if len(s) == 15 and not re.fullmatch(r"[0-9]{15}", s):
        return "15 位旧证号码只能是数字"
    if len(s) == 18 and not re.fullmatch(r"[0-9]{17}[0-9X]", s):
        return "前 17 位只能是数字，最后一位是数字或 X"
    if s[0] == "0":
        return "前 6 位地区码不能以 0 开头"
    birth = s[6:14] if len(s) == 18 else "19" + s[6:12]
    try:
        born = date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    except ValueError:
        return "出生日期（第 7 至 14 位）不是真实的日期"
    if born.year < 1900:
        return "出生日期（第 7 至 14 位）早于 1900 年"
    if born > dates.today():
        return "出生日期（第 7 至 14 位）晚于今天"
    if len(s) == 18:
        expected = _ID_CHECK[sum(int(c) * w for c, w in zip(s[:17], _ID_WEIGHTS, strict=True)) % 11]
        if s[17] != expected:
            return f"校验位应为 {expected}，实际为 {s[17]}"
    return None


def clean_text(
    value: str | None,
    field: str,
    *,
    max_length: int,
    required: bool = False,
    multiline: bool = False,
) -> str | None:
    """Trimmed, NFC, free of control characters; None when empty (unless required)."""
    text = value or ""
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # old Mac / Windows line ends
        keep = "\n\t"
    else:
        text = re.sub(r" *[\t\r\n]+ *", " ", text)
        keep = ""
    text = "".join(ch for ch in text if ch in keep or not _is_control(ch))
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        if required:
            raise InvalidInput(field, "必填，不能为空")
        return None
    if len(text) > max_length:
        raise InvalidInput(field, f"过长（{len(text)} 字），最多 {max_length} 字")
    return text


def parse_int(value: str | int, field: str, *, minimum: int, maximum: int) -> int:
    """An integer in [minimum, maximum]; full-width digits allowed, 1_000 and 1e3 are not."""
    allowed = f"应为 {minimum} 到 {maximum} 之间的整数"
    if isinstance(value, bool):  # bool is an int subclass; True is not a count
        raise InvalidInput(field, allowed)
    if isinstance(value, int):
        number = value
    else:
        s = unicodedata.normalize("NFKC", value).strip()
        if not re.fullmatch(r"[+-]?[0-9]+", s):
            raise InvalidInput(field, f"“{shorten(s)}”不是整数；{allowed}")
        if len(s.lstrip("+-0")) > 18:  # also keeps int() clear of its huge-string limit
            raise InvalidInput(field, f"“{shorten(s)}”超出范围；{allowed}")
        number = int(s)
    if not minimum <= number <= maximum:
        raise InvalidInput(field, f"{number} 超出范围；{allowed}")
    return number
