"""The 申请表's one layout, shared by its two renderings (the packet PDF and the Excel file):
the same sections in the same order, and seal boxes big enough for the seals stamped on them.

A company's official seal (公章) is a round seal of 40-42 mm; a district commerce bureau's is as
large or larger. Each box leaves room around the seal so the stamp does not cross a line.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.guide.model import Guide

_ORDINALS = "一二三四五六七八九十"


def sections(guide: Guide) -> tuple[str, ...]:
    """The 申请表's sections, in order, in both the PDF and the Excel file: the company and
    the items; then the declaration when the guide has one, and the reviewing body's opinion
    box when the guide declares one (``[form]``)."""
    names = ["申报单位基本情况", "申报项目及申请金额"]
    if guide.declaration:
        names.append(guide.form.declaration_title)
    if guide.form.opinion_title:
        names.append(guide.form.opinion_title)
    return tuple(f"{_ORDINALS[i]}、{name}" for i, name in enumerate(names))


COMPANY_SEAL_MM = 48.0
"""Height (and least width) of the box the company's 42 mm seal is stamped in."""

DISTRICT_SEAL_MM = 50.0
"""Height (and least width) of the box for the reviewing body's opinion and seal (at least
45 mm; its labels are the guide's ``[form]``)."""

LEGAL_REP_LINE = "法定代表人（签名）："
COMPANY_SEAL_LABEL = "申报单位（公章）："


def date_line(year: int) -> str:
    return f"{year}年\u3000\u3000月\u3000\u3000日"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("", "拾", "佰", "仟")
_SECTIONS = ("", "万", "亿", "万亿")


def cny_capital(amount: Decimal) -> str:
    """An amount of yuan in capital numerals, as on Chinese cheques and forms.

    125000 -> 壹拾贰万伍仟元整; 1005.5 -> 壹仟零伍元伍角整; 0.05 -> 伍分; 0 -> 零元整.
    Rounded to the fen (half up). Negative amounts are refused.
    """
    if amount < 0:
        raise ValueError("negative amount")
    cents = int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    if yuan >= 10**16:
        raise ValueError("amount too large")
    out = []
    if yuan:
        out.append(_integer_capital(yuan) + "元")
    if jiao:
        out.append(_DIGITS[jiao] + "角")
    elif fen and yuan:
        out.append("零")
    if fen:
        out.append(_DIGITS[fen] + "分")
    if not out:
        return "零元整"
    if not fen:
        out.append("整")
    return "".join(out)


def _integer_capital(n: int) -> str:
    digits = str(n)
    length = len(digits)
    out: list[str] = []
    zero_pending = False
    for i, ch in enumerate(digits):
        d = int(ch)
        pos = length - 1 - i
        if d == 0:
            zero_pending = True
        else:
            if zero_pending and out:
                out.append("零")
            zero_pending = False
            out.append(_DIGITS[d] + _UNITS[pos % 4])
        if pos % 4 == 0 and pos > 0 and any(c != "0" for c in digits[max(0, i - 3) : i + 1]):
            out.append(_SECTIONS[pos // 4])
    return "".join(out)
