"""Company data checks: the unified social credit code (GB 32100-2015) and contact fields."""

from __future__ import annotations

import re
import unicodedata

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x|#|-)\s*(\d{1,6})$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-－—–()（）.]")
_COUNTRY = re.compile(r"^(?:\+|00)?86(?=\d{9,})")
# Three-digit area codes (with the 0): Beijing 010 and 020-029; all others have four.
_SHORT_AREAS = ("10", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29")
PHONE_EXAMPLE = (
    "手机号码（如 13612345678）或带区号的固定电话（如 0756-1234567、0756-12345678 转 801）"
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def uscc_check_char(first17: str) -> str:
    """The 18th (check) character for the first 17 characters of a credit code."""
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def normalise_credit_code(code: str) -> str:
    """Upper-case, without spaces; full-width letters and digits folded to ASCII."""
    folded = "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in code.strip())
    return re.sub(r"\s+", "", folded).upper()


def check_credit_code(code: str) -> str | None:
    """None when valid, else a Chinese message saying what is wrong."""
    code = normalise_credit_code(code)
    if not code:
        return "请填写统一社会信用代码（18位，见营业执照）。"
    if len(code) != 18:
        return f"统一社会信用代码应为18位，现为{len(code)}位，请对照营业执照核对。"
    bad = sorted({c for c in code if c not in USCC_CHARSET})
    if bad:
        return f"统一社会信用代码含有不允许的字符“{''.join(bad)}”（代码中不使用 I、O、S、V、Z），请核对。"
    if not code[2:8].isdigit():
        return "统一社会信用代码第3至8位应为行政区划码（数字），请核对。"
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return "统一社会信用代码的校验位不正确（可能有字符输错），请对照营业执照逐位核对。"
    return None


def check_phone(phone: str) -> str | None:
    """None for a mainland mobile number or a landline with its area code (optionally an
    extension: 转801, -801, ext 801); else a Chinese message saying what is wrong."""
    text = unicodedata.normalize("NFKC", phone).strip()
    if not text:
        return "请填写联系电话。"
    bad = f"联系电话“{phone.strip()}”格式不正确，请填写{PHONE_EXAMPLE}。"
    international = text.startswith(("+", "00"))
    main, extension = _split_extension(text)
    digits = _SEPARATORS.sub("", main)
    if not digits or not digits.lstrip("+").isdigit():
        return bad
    digits = _COUNTRY.sub("", digits) if international or digits.startswith("86") else digits
    if digits.startswith("+"):
        return bad
    if digits.startswith("1"):
        if extension is not None:
            return bad
        if len(digits) in (10, 12):
            return f"手机号码应为11位，“{phone.strip()}”有{len(digits)}位，请核对。"
        if len(digits) != 11:
            return bad
        if digits[1] not in "3456789":
            return f"“{phone.strip()}”不是有效的手机号码（第2位应为3至9），请核对。"
        return None
    if international and not digits.startswith("0"):
        digits = "0" + digits  # +86 756 1234567: the area code without its 0
    if not digits.startswith("0"):
        if digits[:3] in ("400", "800") and len(digits) == 10:
            return None  # nationwide service numbers
        if 7 <= len(digits) <= 8:
            return f"固定电话请加区号，如 0756-{digits}（珠海的区号为 0756）。"
        return bad
    area_len = 3 if digits[1:3] in _SHORT_AREAS else 4
    area, local = digits[:area_len], digits[area_len:]
    allowed = (8,) if area_len == 3 else (7, 8)
    if len(local) not in allowed or local.startswith("0"):
        wanted = "8" if area_len == 3 else "7或8"
        return (
            f"固定电话“{phone.strip()}”区号 {area} 之后应为{wanted}位号码（不以0开头），"
            f"现为“{local}”（{len(local)}位），请核对。"
        )
    return None


def _split_extension(text: str) -> tuple[str, str | None]:
    """(number, extension): an extension follows 转 / 分机 / ext / x / # or a second dash."""
    m = _EXTENSION.search(text)
    if m is None:
        return text, None
    head = text[: m.start()]
    # A dash ends the area code too (0756-1234567): only a dash after the local number
    # (0756-1234567-801) starts an extension. (NFKC has folded full-width dashes.)
    if m.group(0).startswith("-") and ("-" not in head or len(_SEPARATORS.sub("", head)) < 10):
        return text, None
    return head, m.group(1)


def check_email(email: str) -> str | None:
    if email.strip() and not _EMAIL.match(email.strip()):
        return "电子邮箱格式不正确（如 name@example.com）。"
    return None


def split_other_district(value: str, other: str) -> str | None:
    """The name in a free-named district (“其他：横琴粤澳合作区” -> “横琴粤澳合作区”), or None
    when ``value`` is not one (or the guide allows none: ``other`` empty)."""
    prefix = f"{other}："
    if other and value.startswith(prefix):
        return value[len(prefix) :].strip()
    return None


def check_district(
    value: str,
    districts: tuple[str, ...],
    other: str,
    note: str = "",
    from_guide: bool = False,
) -> str | None:
    """A Chinese message when ``value`` is not a district of the list (or 其他 with a name).

    ``note``: the guide's word on why the district matters (“由该区商务部门初审”).
    ``from_guide``: the list is the guide's own; otherwise it is the program's (the 2019 guide
    names only 各区（经济功能区）) and is not said to be the guide's."""
    if not value:
        return f"请选择所在区（{note}）。" if note else "请选择所在区。"
    if value in districts:
        return None
    name = split_other_district(value, other)
    if name is None and from_guide:
        return f"所在区“{value}”不在申报指南列出的区中，请重新选择。"
    if name is None:
        tail = f"；如确为其他区（经济功能区），请选择“{other}”并填写名称" if other else ""
        return f"所在区“{value}”不在本程序提供的区（经济功能区）列表中，请核对名称{tail}。"
    if not name:
        return f"选择“{other}”时请填写所在区（经济功能区）的名称。"
    return None


def printed_district(value: str, other: str) -> str:
    """The district as printed on the form, the cover and the templates: a free-named one
    (“其他：横琴粤澳深度合作区”) by its name alone."""
    name = split_other_district(value, other)
    return name if name else value
