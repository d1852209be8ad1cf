"""Company data checks: the unified social credit code (GB 32100-2015) and contact fields."""

from __future__ import annotations

import re

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_PHONE = re.compile(r"^[0-9+()（）\- ]{7,20}$")
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
    if not phone.strip():
        return "请填写联系电话。"
    if not _PHONE.match(phone.strip()) or sum(c.isdigit() for c in phone) < 7:
        return "联系电话格式不正确，请填写手机号码或带区号的固定电话（如 0756-1234567）。"
    return None


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


def check_district(value: str, districts: tuple[str, ...], other: str) -> str | None:
    """A Chinese message when ``value`` is not a district of the guide (or 其他 with a name)."""
    if not value:
        return "请选择所在区（由该区商务部门初审）。"
    if value in districts:
        return None
    name = split_other_district(value, other)
    if name is None:
        return f"所在区“{value}”不在申报指南列出的区中，请重新选择。"
    if not name:
        return f"选择“{other}”时请填写所在区（经济功能区）的名称。"
    return None


def printed_district(value: str, other: str) -> str:
    """The district as printed on the form, the cover and the templates: a free-named one
    (“其他：横琴粤澳深度合作区”) by its name alone."""
    name = split_other_district(value, other)
    return name if name else value
