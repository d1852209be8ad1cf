"""Turning what a user typed (or a manifest, or a pasted Excel cell) into typed values.

``coerce(spec, raw)`` is the one place that knows how each guide field type is written:
GUI editors, row paste/import and the manifest all use it, so they agree.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Collection, Iterable
from decimal import Decimal, InvalidOperation

from app.guide.model import FieldSpec, Guide
from app.model import Value

_TRUE = {"true", "1", "是", "yes", "y", "√", "✓", "对", "有"}
_FALSE = {"false", "0", "否", "no", "n", "×", "无", ""}
_DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
    r"(?:\s*[T ]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEAR_LAST_RE = re.compile(r"^\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{4}$")
_NO_DAY_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
DATE_FORMS = "2018-06-29、2018/6/29、2018.6.29、20180629 或 2018年6月29日"


class ValueProblem(ValueError):
    """A value that cannot be read as its field's type; the message is Chinese. For a value
    that is not in a catalogue, ``suggestion`` is the entry it most likely means (written as
    the catalogue writes it, so that it is accepted as is)."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.suggestion = suggestion


_FOLD = re.compile(r"[\s（）()《》“”\"'、，,.。·/-]")
_CATEGORY = re.compile(r"^(.*?)\s*[（(]\s*([A-Za-z0-9]+)\s*[）)]\s*$")


def _fold(text: str) -> str:
    return _FOLD.sub("", unicodedata.normalize("NFKC", text)).casefold()


def closest(text: str, entries: Iterable[tuple[str, Iterable[str]]]) -> str | None:
    """The entry ``text`` most likely means: ``entries`` are (name, other wordings). A wording
    matching exactly wins, then a name containing the text (or contained in it, ignoring a
    trailing 服务), then the closest name by characters in common (at least half of them, and
    at least two)."""
    folded = _fold(text)
    if not folded:
        return None
    entries = [(name, tuple(words)) for name, words in entries]
    for name, words in entries:
        if folded == _fold(name) or folded in {_fold(w) for w in words}:
            return name
    for name, _words in entries:
        core = _fold(name).removesuffix("服务")
        if len(folded) >= 2 and (folded in core or (len(core) >= 2 and core in folded)):
            return name
    best, best_ratio = None, 0.0
    for name, words in entries:
        for candidate in (name, *words):
            matcher = difflib.SequenceMatcher(None, folded, _fold(candidate))
            common = sum(block.size for block in matcher.get_matching_blocks())
            ratio = matcher.ratio()
            if common >= 2 and ratio > best_ratio:
                best, best_ratio = name, ratio
    return best if best_ratio >= 0.5 else None


MAX_NUMBER_CHARS = 40
"""Longest number text read at all (digits, sign, point, exponent): checked before Decimal, so
a 5,000-digit number is refused at once instead of being computed with."""

MAX_MAGNITUDE_DIGITS = 15
"""Numbers are below 10**15 (a thousand trillion; no amount in an application comes near)."""

MAX_DECIMAL_PLACES = 12
"""Decimal places kept at most (exchange rates need six; nothing needs more than twelve)."""


def check_number(value: Decimal, label: str, raw: object) -> Decimal:
    """``value`` if it is finite and within the bounds above; else ValueProblem."""
    if not value.is_finite():
        raise ValueProblem(f"{label}“{raw}”不是有效的数字")
    if value != 0 and value.adjusted() >= MAX_MAGNITUDE_DIGITS:
        raise ValueProblem(
            f"{label}“{_short(raw)}”过大（应小于 10 的 {MAX_MAGNITUDE_DIGITS} 次方）"
        )
    exponent = value.normalize().as_tuple().exponent  # trailing zeros are not places
    if isinstance(exponent, int) and exponent < -MAX_DECIMAL_PLACES:
        raise ValueProblem(f"{label}“{_short(raw)}”的小数位过多（最多 {MAX_DECIMAL_PLACES} 位）")
    return value


def _short(raw: object) -> str:
    text = str(raw)
    return text if len(text) <= MAX_NUMBER_CHARS else text[:20] + "…"


def parse_decimal(raw: object, label: str) -> Decimal:
    if isinstance(raw, bool):
        raise ValueProblem(f"{label}应为数字")
    if isinstance(raw, Decimal):
        return check_number(raw, label, raw)
    if isinstance(raw, int):
        if raw.bit_length() > 64:  # str() of a huge int is refused by Python itself
            raise ValueProblem(f"{label}的数值过大")
        return check_number(Decimal(raw), label, raw)
    if isinstance(raw, float):
        return check_number(Decimal(repr(raw)), label, raw)
    text = str(raw).strip().replace(",", "").replace("，", "").replace(" ", "")
    text = text.replace("¥", "").replace("￥", "").replace("$", "").replace("元", "")
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueProblem(f"{label}“{_short(raw)}”过长，不是有效的数字")
    multiplier = Decimal(1)
    if text.endswith("万"):
        text, multiplier = text[:-1], Decimal(10000)
    try:
        value = Decimal(text) * multiplier
    except InvalidOperation:
        raise ValueProblem(f"{label}“{raw}”不是有效的数字") from None
    return check_number(value, label, raw)


def parse_date(raw: object, label: str) -> dt.date:
    """The date ``raw`` writes, or ValueProblem: never another date. Year first, then month
    and day, separated by - / . or 年月日 (full-width forms too), or eight digits (20180629);
    a time after the date (as Excel writes it) is ignored."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    text = text.replace("。", ".").replace("、", "-")
    m = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
    if m:
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        try:
            return dt.date(year, month, day)
        except ValueError:
            if not 1 <= month <= 12:
                raise ValueProblem(f"{label}“{raw}”不是有效的日期：月份 {month} 不存在") from None
            raise ValueProblem(
                f"{label}“{raw}”不是有效的日期：{year}年{month}月没有{day}日"
            ) from None
    if _YEAR_LAST_RE.match(text):
        raise ValueProblem(
            f"{label}“{raw}”不是有效的日期：请把年份写在前面（如 {DATE_FORMS}），以免把月和日弄反"
        )
    if _NO_DAY_RE.match(text):
        raise ValueProblem(
            f"{label}“{raw}”不是有效的日期：缺少日，请写完整的日期（如 {DATE_FORMS}）"
        )
    raise ValueProblem(f"{label}“{raw}”不是有效的日期，请写成 {DATE_FORMS} 的形式")


def coerce(
    spec: FieldSpec, raw: object, guide: Guide | None = None, added: Collection[str] = ()
) -> Value | None:
    """The typed value for ``raw``; None for an empty entry. Raises ValueProblem.
    ``added``: currency codes the project added to the guide's rate table."""
    label = spec.label
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    t = spec.type
    if t == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueProblem(f"{label}应填“是”或“否”")
    if t in ("money", "decimal"):
        value = parse_decimal(raw, label)
        if value < 0:
            raise ValueProblem(f"{label}不能为负数")
        return value
    if t == "int":
        value = parse_decimal(raw, label)
        if value != value.to_integral_value():
            raise ValueProblem(f"{label}应为整数")
        if value < 0:
            raise ValueProblem(f"{label}不能为负数")
        return int(value)
    if t == "date":
        return parse_date(raw, label)
    text = str(raw).strip()
    if t == "choice":
        for key, choice_label in spec.choices:
            if text in (key, choice_label):
                return key
        options = "、".join(lbl for _, lbl in spec.choices)
        wordings: dict[str, list[str]] = {}
        for word, key in spec.synonyms:
            wordings.setdefault(key, []).append(word)
        guess = closest(text, [(lbl, wordings.get(key, ())) for key, lbl in spec.choices])
        raise ValueProblem(
            f"{label}“{text}”不是可选项"
            + (f"，是否为“{guess}”？" if guess else "")
            + f"（可选：{options}）",
            guess,
        )
    if t == "currency":
        code = text.upper()
        if guide is not None:
            for c in guide.currencies:
                if code == c.code or text == c.name:
                    return c.code
            if code in added:
                return code
            raise ValueProblem(f"{label}“{text}”不是已知币种，请在汇率表中添加")
        return code
    if t == "business_type" and guide is not None:
        categories = {c.upper() for c in guide.business_catalogue.categories} or {
            b.category.upper() for b in guide.business_types if b.category
        }
        m = _CATEGORY.match(text)  # 软件研发服务（ITO）, as the tables and the workbook show it
        if m is not None and m.group(2).upper() not in categories:
            m = None
        bare = m.group(1).strip() if m else text
        for b in guide.business_types:
            if bare in (b.id, b.name) and (m is None or m.group(2).upper() == b.category.upper()):
                return b.id
        guess = closest(bare, [(b.name, b.synonyms) for b in guide.business_types])
        catalogue = guide.business_catalogue.name
        raise ValueProblem(
            f"{label}“{text}”"
            + (f"不在{catalogue}中" if catalogue else "不是申报指南所列的业务类型")
            + (f"，是否为“{guess}”？" if guess else "，请从列表中选择"),
            guess,
        )
    return text


def display(spec: FieldSpec, value: Value | None, guide: Guide | None = None) -> str:
    """How a value is shown to a user (tables, forms, the workbook's text cells)."""
    if value is None or value == "":
        return ""
    if spec.type == "bool":
        return "是" if value else "否"
    if spec.type == "choice":
        return spec.choice_label(value)
    if spec.type == "business_type" and guide is not None:
        for b in guide.business_types:
            if b.id == value:
                return b.label
    if spec.type == "currency" and guide is not None:
        for c in guide.currencies:
            if c.code == value:
                return f"{c.name}（{c.code}）"
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if spec.type == "money" else f"{value:,}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
