"""Figures in a guide's sentences: amounts (万元, 万美元, 元), counts (人, 个, 项), durations,
percentages, and what each one is there: a cap (不超过, 最高), a threshold (达到, 超过, 以上（含）)
or a count cap (不超过5个项目).

Values are in base units: yuan, US dollars, persons, months. 以上 and （含） include the bound
(>=); 超过, 高于 exclude it (>) unless （含） follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

CN_NUM = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
CN_NUM.update({"七": 7, "八": 8, "九": 9})
CN_UNIT = {"十": 10, "百": 100, "千": 1000}

NUM = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
MONEY = r"(?:美元|元人民币|人民币|元)"
COUNT = r"(?:个月|人次|人|名|个|项|家|次|年|套|台|场|期|批)"
FIGURE = re.compile(
    NUM + r"\s*(?P<mult>万|亿|千)?\s*(?:(?P<money>" + MONEY + r")|(?P<count>" + COUNT + r"))"
)
# "500（含）-1000人": the first figure takes the unit of the second.
RANGE = re.compile(
    NUM
    + r"\s*(?:[（(]含[）)])?\s*[-—~～至到]\s*(?=\d+(?:\.\d+)?\s*(?:万|亿|千)?\s*(?:"
    + MONEY
    + "|"
    + COUNT
    + r"))"
)
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]|百分之([零〇一二两三四五六七八九十百]+)")
INCLUSIVE = re.compile(r"^\s*(?:[（(]含[^）)]{0,4}[）)]|及以上|或以上|以上|及其以上)")
CAP_BEFORE = re.compile(
    r"(?:不超过|不高于|不多于|最高|最多|上限为?|封顶|限额为?|给予|奖励|补助|资助|补贴|支持)\s*"
    r"(?:每[个家项人名]?[^\d，。；]{0,6})?(?:不超过|最高)?\s*$"
)
THRESHOLD_BEFORE = re.compile(r"(?:达到|达|超过|高于|大于|不低于|不少于|累计|在|满|为|突破)\s*$")
EXCLUSIVE_BEFORE = re.compile(r"(?:超过|高于|大于)\s*$")
NOT_BEFORE = re.compile(r"不\s*$")
PER_NOUN = re.compile(
    r"(?:每|单)(?:个|家|项|名|位|次)?"
    r"(企业|单位|机构|公司|项目|人次|人|项|中心|平台|展会|认证|批次|家|个)"
)
PER_AFTER = re.compile(r"\s*/\s*(人次|人|项|个|家|场|次|批)")
COMPANY_NOUNS = {"企业", "单位", "机构", "公司", "家"}

Role = Literal["cap", "threshold", "count_cap", "other"]
Unit = Literal["CNY", "USD", "count", "month"]


@dataclass(frozen=True)
class Figure:
    value: Decimal
    unit: Unit
    noun: str  # the unit word as written: 元, 美元, 人, 个, 项目…
    start: int
    end: int
    text: str
    role: Role = "other"
    op: str = ""  # for a threshold: ">=" or ">"
    per: str = ""  # for a cap: the noun of 每X before it (企业, 项目, 人次…), if any

    @property
    def per_company(self) -> bool:
        return self.per in COMPANY_NOUNS or not self.per


def number(text: str) -> Decimal | None:
    """Arabic or simple Chinese numerals (五, 十二, 两百, 一千)."""
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return Decimal(text)
    total, current = 0, 0
    for ch in text:
        if ch in CN_NUM:
            current = CN_NUM[ch]
        elif ch in CN_UNIT:
            total += (current or 1) * CN_UNIT[ch]
            current = 0
        else:
            return None
    return Decimal(total + current)


def _scale(mult: str | None) -> Decimal:
    return {"万": Decimal(10000), "亿": Decimal(100000000), "千": Decimal(1000)}.get(
        mult or "", Decimal(1)
    )


def _clause_start(text: str, pos: int) -> int:
    cut = max(text.rfind(p, 0, pos) for p in "，。；;：:\n")
    return cut + 1


def figures(sentence: str) -> list[Figure]:
    """Every amount and count of ``sentence``, each with its role."""
    found: list[Figure] = []
    for m in RANGE.finditer(sentence):
        value = number(m.group(1))
        nxt = FIGURE.match(sentence, m.end())
        if value is None or nxt is None:
            continue
        unit, noun = _unit_of(nxt)
        val = value * _scale(nxt.group("mult"))
        found.append(Figure(val, unit, noun, m.start(), m.end(), m.group(0), "threshold", ">="))
    taken = [(f.start, f.end) for f in found]
    range_ends = {f.end for f in found}
    for m in FIGURE.finditer(sentence):
        if any(s <= m.start() < e for s, e in taken):
            continue
        if m.start() in range_ends or re.search(r"[（(]含\s*$", sentence[: m.start()]):
            value = number(m.group(1))
            if value is not None:  # a range's upper end (10-20家), or (含20家): no bound
                unit, noun = _unit_of(m)
                value *= _scale(m.group("mult"))
                found.append(Figure(value, unit, noun, m.start(), m.end(), m.group(0)))
            continue
        value = number(m.group(1))
        if value is None:
            continue
        unit, noun = _unit_of(m)
        if noun == "年" and value >= 1900:
            continue  # a calendar year (2018年), not a duration
        if unit == "month" and noun == "年":
            value *= 12
        fig = Figure(value * _scale(m.group("mult")), unit, noun, m.start(), m.end(), m.group(0))
        found.append(_classify(sentence, fig, found))
    return sorted(found, key=lambda f: f.start)


def _unit_of(m: re.Match[str]) -> tuple[Unit, str]:
    money = m.group("money")
    if money:
        return ("USD", "美元") if money == "美元" else ("CNY", "元")
    noun = m.group("count")
    if noun in ("个月", "年"):
        return "month", noun
    return "count", noun


def _classify(sentence: str, fig: Figure, before: list[Figure]) -> Figure:
    head = sentence[_clause_start(sentence, fig.start) : fig.start]
    after = sentence[fig.end : fig.end + 8]
    pers = list(PER_NOUN.finditer(head))
    per = pers[-1].group(1) if pers else ""
    per_after = PER_AFTER.match(sentence, fig.end)
    if per_after:  # 500元/人
        per = per_after.group(1)
    # A list after a cap ("不超过5万元、10万元、15万元"): each is a cap like the first.
    prev = before[-1] if before else None
    if (
        prev is not None
        and prev.role == "cap"
        and re.fullmatch(r"\s*[、和及]\s*", sentence[prev.end : fig.start])
    ):
        return _with(fig, "cap", per=prev.per)
    if (
        prev is not None
        and prev.role == "threshold"
        and re.fullmatch(
            r"\s*(?:[（(]含[）)])?\s*(?:以上)?\s*(?:[（(]含[）)])?\s*[、和及]\s*",
            sentence[prev.end : fig.start],
        )
    ):
        return _with(fig, "threshold", op=_op(head, after) or prev.op)
    if re.match(r"\s*(?:[（(]含[）)])?\s*(?:以下|的部分)", after):
        return fig  # a band's upper end (10万元（含）以下的部分): not a bound of eligibility
    if fig.unit == "count" and re.search(
        r"(?:不超过|不高于|不多于|最多|最高|上限)(?:支持|资助|申报|给予)?\s*$", head
    ):
        return _with(fig, "count_cap", per=per)
    if NOT_BEFORE.search(
        head.removesuffix("超过").removesuffix("高于")
    ) and EXCLUSIVE_BEFORE.search(head):
        return _with(fig, "cap", per=per)  # 不超过 / 不高于
    op = _op(head, after)
    if op and not (fig.unit in ("CNY",) and CAP_BEFORE.search(head) and not INCLUSIVE.match(after)):
        return _with(fig, "threshold", op=op)
    if fig.unit in ("CNY", "USD") and CAP_BEFORE.search(head):
        return _with(fig, "cap", per=per)
    if re.match(r"\s*(?:为限|封顶)", after):
        return _with(fig, "cap", per=per)
    return fig


def _op(head: str, after: str) -> str:
    """>= or > when the figure is a bound (达到…, 超过…, …以上（含）), else ""."""
    if INCLUSIVE.match(after):
        return ">="
    if EXCLUSIVE_BEFORE.search(head):
        return ">"
    if THRESHOLD_BEFORE.search(head) and re.match(r"\s*(?:的|[，,]|企业|以上)", after):
        return ">="
    return ""


def _with(fig: Figure, role: Role, op: str = "", per: str = "") -> Figure:
    return Figure(
        fig.value, fig.unit, fig.noun, fig.start, fig.end, fig.text, role, op, per or fig.per
    )


PERCENT_BOUND_BEFORE = re.compile(r"(?:超过|达到|达|高于|大于|增长|增幅|增速|突破)\s*$")
# 需超过参展商总数的50%: a bound word, then a few words naming what the percentage is of
PERCENT_BOUND_GAP = re.compile(
    r"(?<!不)(?:超过|达到|达|高于|大于|增长|增幅|增速|突破)[\u4e00-\u9fff（）()]{0,10}?的?\s*$"
)


def percents(sentence: str) -> list[tuple[Decimal, int]]:
    """(percent, position) for every percentage that is a share (按…的50%, 不超过…80%)."""
    return [(v, pos) for v, pos, op in _all_percents(sentence) if not op]


def percent_bounds(sentence: str) -> list[tuple[Decimal, int, str]]:
    """(percent, position, op) for every percentage that is a bound (增幅超过20%)."""
    return [(v, pos, op) for v, pos, op in _all_percents(sentence) if op]


def _all_percents(sentence: str) -> list[tuple[Decimal, int, str]]:
    out: list[tuple[Decimal, int, str]] = []
    for m in PERCENT.finditer(sentence):
        value = Decimal(m.group(1)) if m.group(1) else number(m.group(2) or "")
        if value is None:
            continue
        head = sentence[_clause_start(sentence, m.start()) : m.start()]
        after = sentence[m.end() : m.end() + 8]
        op = ""
        if re.search(r"不(?:超过|高于|多于)[\u4e00-\u9fff]{0,8}$", head) or re.search(
            r"(?:按照?|给予)[\u4e00-\u9fff]{0,10}?的?\s*$", head
        ):
            pass  # 不超过（相关费用）80%, 按…的60%: a share's rate
        elif re.search(r"不(?:低于|少于)[\u4e00-\u9fff]{0,8}$", head):
            op = ">="
        elif PERCENT_BOUND_GAP.search(head) or INCLUSIVE.match(after):
            exclusive = re.search(r"(?<!不)(?:超过|高于|大于)", head)
            op = ">=" if INCLUSIVE.match(after) or not exclusive else ">"
        out.append((value, m.start(), op))
    return out


GENERIC_LABELS = {"金额", "数量", "规模", "收入", "业务额", "总额", "人数", ""}
LABEL_TRIM_END = re.compile(r"(?:达到|达|超过|高于|大于|不低于|不少于|累计|在|为|满|且|均)+$")
LABEL_TRIM_START = re.compile(r"^(?:对于|对|其中|其|且|企业的?|当年|年度|凡|如|若)+")


def label_of(sentence: str, fig: Figure) -> str:
    """What a threshold measures: the words before it, or for a duration the thing after it
    ("一年以上劳动合同" → 劳动合同期限（月）)."""
    if fig.unit == "month":
        m = re.match(
            r"\s*(?:[（(]含[）)])?(?:及以上|以上)?的?([^，。；、\d]{2,10})", sentence[fig.end :]
        )
        thing = re.sub(r"(?:的|并|且|和|及).*$", "", m.group(1)) if m else ""
        return f"{thing or '时长'}期限（月）"
    words = label_before(sentence, fig.start)
    if len(re.sub(r"（[^）]*）", "", words)) > 16:
        words = re.split(r"的|引进|开展|取得|获得|签订|实现|完成", words)[-1] or words[-16:]
    return words


def label_before(sentence: str, pos: int) -> str:
    """The words naming the figure at ``pos``: "对服务贸易登记业务额达到50万…" → 服务贸易登记业务额;
    a bare "金额" borrows the clause before it (企业开展文化服务出口，且金额超过… → 文化服务出口金额)."""
    start = _clause_start(sentence, pos)
    words = _trim(sentence[start:pos])
    if words in GENERIC_LABELS and start > 1:
        prev_start = _clause_start(sentence, start - 1)
        prev = _trim(sentence[prev_start : start - 1])
        prev = re.sub(r"^(?:企业|单位|机构)?(?:开展|从事|进行)?", "", prev)
        prev = re.split(r"的|有|时|在", prev)[-1]
        if 0 < len(prev) <= 16:
            words = prev + (words or "")
    return words if len(words) <= 40 else words[-40:]


def _trim(words: str) -> str:
    words = words.strip(" 、，")
    for _ in range(3):
        words = LABEL_TRIM_START.sub("", LABEL_TRIM_END.sub("", words)).strip(" 、，")
    return words


def share_base(sentence: str) -> str:
    """What a share is taken of: "按照企业实际开支" → 实际开支; "不超过相关费用50%" → 相关费用."""
    m = re.search(r"不超过([^，。；\d]{2,16}?)的?\s*\d+(?:\.\d+)?\s*[%％]", sentence)
    if m:
        return m.group(1)
    m = re.search(r"(?:按照|按|根据)([^，。；]{2,30}?)(?:给予|的\s*\d|[，,]|$)", sentence)
    if m:
        words = re.sub(r"^(?:企业|其|单位|机构)?(?:在支持期间内的?)?", "", m.group(1))
        words = words.removesuffix("的")
        if not re.search(r"[\d%％]|比例|标准", words):
            return words
    cost = re.findall(r"([\u4e00-\u9fff]{0,4}?(?:费用|费|开支|支出|投入|投资额|保费))", sentence)
    return re.sub(r"^(?:对|按|按照|企业|其|给予|比例)+", "", cost[0]) if cost else ""


PER_UNIT = re.compile(
    r"每\s*(\d+(?:\.\d+)?)\s*(万)?\s*(美元|元)[^，。；]{0,12}?(?:奖励|给予|补助|资助|支持|补贴)"
    r"\s*(\d+(?:\.\d+)?)\s*(万)?\s*元"
)


def per_unit_rate(sentence: str) -> tuple[Decimal, Unit, int, int] | None:
    """ "按离岸执行额每1美元奖励0.05元": a share of 5 % of a dollar figure, paid in yuan
    (percent, the figure's unit, span)."""
    m = PER_UNIT.search(sentence)
    if m is None:
        return None
    base = Decimal(m.group(1)) * _scale(m.group(2))
    paid = Decimal(m.group(4)) * _scale(m.group(5))
    if base <= 0:
        return None
    unit: Unit = "USD" if m.group(3) == "美元" else "CNY"
    return paid / base * 100, unit, m.start(), m.end()


def actual_cost_share(sentence: str) -> bool:
    """按实际开支 / 按实际缴纳保险费 …: support is the cost itself, up to the cap (100 %)."""
    return bool(re.search(r"(?:按照|按|根据)[^，。；]{0,12}?(?:实际|实缴|实付)", sentence))


def fmt_value(value: Decimal) -> str:
    """A figure as the guide file writes it: 500000, 0.5."""
    norm = value.normalize()
    return f"{norm:f}" if norm != norm.to_integral() else str(int(norm))
