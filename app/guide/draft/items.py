"""The items of a guide: the parts of its 申请内容和标准 (or 支持内容, 资助标准…) that name a
cap, each with its tiers, share, per-row cap, thresholds and the inputs, measures and tables
they need to be computed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from app.guide.draft.amounts import (
    Figure,
    actual_cost_share,
    figures,
    fmt_value,
    label_before,
    label_of,
    number,
    per_unit_rate,
    percent_bounds,
    percents,
    share_base,
)
from app.guide.draft.model import DField, DItem, DMeasure, DRule, DTable, Src, Unplaced
from app.guide.draft.text import Outline, Part

CONTENT_TITLE = re.compile(
    r"(?:申请|申报|支持|扶持|资助|奖励|补助|补贴)(?:的)?(?:内容|标准|范围|方向|项目|方式|事项)"
    r"|内容(?:和|及|与)标准|支持(?:内容|标准)"
)
DOCS_TITLE = re.compile(r"(?:申报|申请|提交|所需|需提供的?)(?:资料|材料)(?!要求)|材料清单")
CONDITION_TITLE = re.compile(
    r"申请对象|申报对象|支持对象|申报主体|申请条件|申报条件|基本条件|符合以下条件|应当?具备"
)
DOC_INTRO = re.compile(r"(?:申报|申请|提交|提供)(?:以下)?(?:资料|材料)\s*[：:]|需提供以下|提交以下")
EXCLUSIVE = re.compile(r"不得同时|不可同时|不能同时|只能(?:选择|申报)其中|择一|只可选择")
ROW_NOUNS = {"项目", "项", "人", "人次", "认证", "批次", "个", "展会"}
PEOPLE = {"人", "人次"}
UNIT_WORD = {"USD": "美元", "CNY": "元", "count": "", "month": "个月"}


@dataclass
class _Text:
    """An item's text as one string, with the line each character came from."""

    text: str
    starts: list[tuple[int, int]]  # (offset, line number)

    def line_at(self, pos: int) -> int:
        line = self.starts[0][1]
        for offset, number_ in self.starts:
            if offset > pos:
                break
            line = number_
        return line

    def sentence_at(self, pos: int) -> Src:
        start = max(self.text.rfind(p, 0, pos) for p in "。；;\n") + 1
        ends = [e for e in (self.text.find(p, pos) for p in "。；;\n") if e >= 0]
        end = min(ends) + 1 if ends else len(self.text)
        return Src(self.line_at(pos), self.text[start:end].strip())


def content_parts(ol: Outline) -> list[Part]:
    """The parts the items are read from: under the 申请内容和标准 heading, or (no such heading)
    every top-level part that names a cap and is no 申报材料 list."""
    for part in ol.walk():
        if (
            len(part.title) <= 24
            and CONTENT_TITLE.search(part.title)
            and not DOCS_TITLE.search(part.title)
        ):
            return part.children or [part]
    return [p for p in ol.parts if not DOCS_TITLE.search(p.title) and _has_cap(p.all_text())]


def _has_cap(text: str) -> bool:
    return any(f.role == "cap" for f in figures(text)) or bool(percents(text))


def _item_text(part: Part) -> _Text:
    """The part's heading, lines and sub-parts' lines, up to a 申报材料 list inside it."""
    pieces: list[tuple[int, str]] = []

    def add(p: Part) -> bool:
        pieces.append((p.head.number, p.head.text))
        stop = next((ln.number for ln in p.lines if DOC_INTRO.search(ln.text)), None)
        pieces.extend((ln.number, ln.text) for ln in p.lines if stop is None or ln.number < stop)
        for c in p.children:
            if stop is not None and c.head.number > stop:
                return False
            if DOCS_TITLE.search(c.title) or DOC_INTRO.search(c.title):
                return False
            if not add(c):
                return False
        return stop is None

    add(part)
    text, starts = "", []
    for line, piece in pieces:
        starts.append((len(text), line))
        text += piece + "\n"
    return _Text(text, starts)


def collect_parts(parts: list[Part]) -> list[Part]:
    """The parts that are items: a part whose sub-parts name caps is a heading over them, unless
    the sub-parts are its tiers; a part that names a cap (or has nothing below) is an item."""
    out: list[Part] = []
    for part in parts:
        if DOCS_TITLE.search(part.title) or CONDITION_TITLE.search(part.title[:24]):
            continue
        kids = [c for c in part.children if _has_cap(_item_text(c).text)]
        if kids and not _children_are_tiers(part):
            out += collect_parts(part.children)
        elif _has_cap(_item_text(part).text):
            out.append(part)
    return out


def capless_parts(parts: list[Part]) -> list[Part]:
    """Parts of the 申请内容 that name no cap: not items, but listed as not placed."""
    out: list[Part] = []
    for part in parts:
        if DOCS_TITLE.search(part.title) or CONDITION_TITLE.search(part.title[:24]):
            continue
        if not _has_cap(_item_text(part).text):
            out.append(part)
        elif not _children_are_tiers(part):
            out += capless_parts(part.children)
    return out


def _children_are_tiers(part: Part) -> bool:
    """(1) 1000人以上…15万元 (2) 500人以上…10万元: each sub-part one bound and one cap."""
    if len(part.children) < 2:
        return False
    pairs = []
    for c in part.children:
        figs = figures(_item_text(c).text)
        bounds = [f for f in figs if f.role == "threshold" and f.unit != "month"]
        caps = [f for f in figs if f.role == "cap"]
        if len(bounds) != 1 or len(caps) != 1:
            return False
        pairs.append((bounds[0], caps[0]))
    # tiers climb: one unit, every bound and every amount different
    return (
        len({b.unit for b, _ in pairs}) == 1
        and len({b.value for b, _ in pairs}) == len(pairs)
        and len({c.value for _, c in pairs}) == len(pairs)
    )


def item_id_of(part: Part, top: set[int]) -> str:
    chain = [p for p in [*part.ancestors(), part] if id(p) not in top]
    nums = [str(number(p.ordinal) or p.ordinal) for p in chain]
    return "item_" + "_".join(nums)


def number_of(part: Part, top: set[int]) -> str:
    return "".join(p.marker for p in [*part.ancestors(), part] if id(p) not in top)


def _title(part: Part) -> tuple[str, str]:
    """(title, category): a short heading ("在岸业务支持。对…" → 在岸业务支持) or the parent's."""
    head = re.split(r"[。：:，,；;]", part.title, maxsplit=1)[0].strip()
    parent = part.parent.title if part.parent is not None else ""
    parent_title = re.split(r"[。：:，]", parent, maxsplit=1)[0].strip()
    short = head if len(head) <= 16 and not re.search(r"\d", head) else ""
    if part.parent is not None and len(parent_title) <= 16 and not CONTENT_TITLE.search(parent):
        category = parent_title
    else:
        category = short or head[:16]
    title = short or (f"{category}（{part.ordinal}）" if category else head[:16])
    return title or part.marker, category or title or part.marker


class ItemReader:
    """Reads the items and keeps the tables and measures they need."""

    def __init__(self) -> None:
        self.tables: list[DTable] = []
        self.measures: list[DMeasure] = []
        self.unplaced: list[Unplaced] = []
        self.parts: dict[str, Part] = {}  # item id -> its part of the text

    def read(self, ol: Outline) -> list[DItem]:
        parts = content_parts(ol)
        tops = {id(p) for p in parts[0].ancestors()} if parts else set()
        items: list[DItem] = []
        for part in collect_parts(parts):
            iid = item_id_of(part, tops)
            while iid in self.parts:  # the guide repeats a number (（三） twice)
                iid += "_b"
            self.parts[iid] = part
            items.append(self.item(part, tops, iid))
        self._exclusive(items)
        for p in capless_parts(parts):
            if figures(p.all_text()) or percent_bounds(p.all_text()):
                why = f"{number_of(p, tops)}：有数额但没有支持金额，未作为申报项目"
                self.unplaced.append(Unplaced(p.head.number, p.all_text().replace("\n", ""), why))
        return items

    def _exclusive(self, items: list[DItem]) -> None:
        """ "不得同时申报" / "择一申报" under a heading: its items exclude one another."""
        by_parent: dict[int, list[DItem]] = {}
        for item in items:
            parent = self.parts[item.id].parent
            if parent is not None and EXCLUSIVE.search(parent.own_text()):
                by_parent.setdefault(id(parent), []).append(item)
        for group in by_parent.values():
            for item in group:
                item.exclusive_with = [o.id for o in group if o is not item]
                if item.exclusive_with:
                    item.remarks.append("原文说明同类项目不得同时申报：已填 exclusive_with。")

    # -- one item ---------------------------------------------------------------------------------

    def item(self, part: Part, tops: set[int], iid: str) -> DItem:
        text = _item_text(part)
        title, category = _title(part)
        lines = text.text.splitlines()
        if lines and title == lines[0].strip() and len(lines) > 1:
            lines = lines[1:]  # the heading is the title: the summary is what follows it
        body = re.sub(r"\s+", "", "".join(lines))
        item = DItem(
            id=iid,
            number=number_of(part, tops),
            title=title,
            category=category,
            summary=body[:120] + ("…" if len(body) > 120 else ""),
            src=[Src(text.line_at(o), t.strip()) for o, t in _lines(text)],
            match_text=f"{part.parent.title if part.parent else ''}\n{text.text}",
        )
        item.inputs.append(
            DField(
                "eligible",
                "已确认符合本项的申报条件（见指南原文）",
                "bool",
                help=body[:200],
            )
        )
        item.conditions.append(DRule("field", "eligible", "==", True, "未确认符合本项的申报条件。"))
        figs = figures(text.text)
        used: set[int] = set()
        tiers = self._tiers(text, figs, used)
        rate = per_unit_rate(text.text)
        if rate is not None:  # its two figures are the rate, not a cap
            used.update(f.start for f in figs if rate[2] <= f.start < rate[3])
        caps = [f for f in figs if f.role == "cap" and f.start not in used]
        pcts = percents(text.text)
        bounds = [f for f in figs if f.role == "threshold" and f.start not in used]
        row_cap = next((f for f in caps if not f.per_company), None)
        company_caps = [f for f in caps if f.per_company]
        quantities: dict[str, str] = {}  # unit or label -> measure id
        if tiers:
            unit = tiers[0][0].unit
            label = self._label(text.text, bounds + [b for b, _ in tiers], unit)
            mid = self._quantity(item, unit, label, quantities, key=unit)
            item.ceiling = {
                "kind": "tiers",
                "measure": mid,
                "tiers": [[b.value, a.value] for b, a in tiers],
            }
            item.ceiling_src = text.sentence_at(tiers[0][1].start)
            low = tiers[0][0]
            if not any(b.unit == unit and b.value == low.value for b in bounds):
                bounds.insert(0, low)
        elif rate is not None:
            percent, unit, start, _end = rate
            label = self._label(text.text, bounds, unit)
            mid = self._quantity(item, unit, label, quantities, key=unit)
            item.ceiling = {"kind": "share", "measure": mid, "percent": percent}
            if company_caps:
                item.ceiling["cap"] = company_caps[0].value
                used.add(company_caps[0].start)
            item.ceiling_src = text.sentence_at(start)
            item.remarks.append(
                "“每…奖励…元”读作按该金额的比例支持（percent = 每单位奖励额 ÷ 单位 × 100）。"
            )
        elif row_cap is not None:
            self._per_row(item, text, row_cap, company_caps, pcts, figs, used)
        elif pcts or (company_caps and actual_cost_share(text.text)):
            percent = pcts[0][0] if pcts else Decimal(100)
            cap = company_caps[0] if company_caps else None
            label = share_base(text.text) or "相关费用"
            mid = self._quantity(item, "CNY", label, quantities, key="share")
            item.ceiling = {"kind": "share", "measure": mid, "percent": percent}
            if cap is not None:
                item.ceiling["cap"] = cap.value
                used.add(cap.start)
            where = pcts[0][1] if pcts else (cap.start if cap else 0)
            item.ceiling_src = text.sentence_at(where)
            if not pcts:
                item.remarks.append("“按实际…”读作按实际费用的100%支持，封顶为上限。")
            pcts = pcts[1:]
        elif company_caps:
            cap = company_caps[0]
            used.add(cap.start)
            item.ceiling = {"kind": "fixed", "amount": cap.value}
            item.ceiling_src = text.sentence_at(cap.start)
        if item.ceiling is None:
            item.remarks.append("未找到支持金额（不超过…万元、最高…、…%）：请填写 ceiling。")
        self._thresholds(item, text, bounds, quantities, used)
        for value, pos, op in percent_bounds(text.text):
            label = _trim_label(label_before(text.text, pos)) or "比例"
            fid = f"percent_{len(item.inputs)}"
            item.inputs.append(DField(fid, f"{label}（%）", "decimal"))
            src = text.sentence_at(pos)
            reason = (
                f"{label} {{actual}}%，须{'超过' if op == '>' else '达到'}{fmt_value(value)}%。"
            )
            item.conditions.append(DRule("field", fid, op, value, reason, src))
        for f in figs:
            money_left = f.role == "other" and f.unit in ("CNY", "USD")
            if f.start not in used and (money_left or f.role in ("cap", "count_cap", "threshold")):
                self._unplaced(text, f.start, f"{item.number}{item.title}：未用上的数额“{f.text}”")
        for _p, pos in pcts:
            self._unplaced(text, pos, f"{item.number}{item.title}：未用上的比例")
        return item

    def _unplaced(self, text: _Text, pos: int, why: str) -> None:
        src = text.sentence_at(pos)
        self.unplaced.append(Unplaced(src.line, src.text, why))

    def _tiers(
        self, text: _Text, figs: list[Figure], used: set[int]
    ) -> list[tuple[Figure, Figure]]:
        """(bound, cap) pairs, ascending: "其中达A、B、C的，分别给予X、Y、Z" or one bound and one
        cap per clause (1000人（含）以上的给予不超过15万元；500（含）-1000人的…)."""
        pairs: list[tuple[Figure, Figure]] = []
        for m in re.finditer(r"分别", text.text):
            start = max(text.text.rfind(p, 0, m.start()) for p in "。\n") + 1
            ends = [e for e in (text.text.find(p, m.end()) for p in "。\n") if e >= 0]
            end = min(ends) if ends else len(text.text)
            bounds = [
                f
                for f in figs
                if start <= f.start < m.start() and f.role == "threshold" and f.unit != "month"
            ]
            caps = [f for f in figs if m.end() <= f.start < end and f.role == "cap"]
            if len(bounds) >= 2 and len(bounds) == len(caps):
                pairs = list(zip(bounds, caps, strict=True))
                break
        if not pairs:
            clauses = re.split(r"[；;。\n]", text.text)
            offset = 0
            for clause in clauses:
                inside = [f for f in figs if offset <= f.start < offset + len(clause)]
                offset += len(clause) + 1
                lows = [f for f in inside if f.role == "threshold" and f.unit != "month"]
                tops = [f for f in inside if f.role == "cap" and f.unit == "CNY"]
                if len(lows) == 1 and len(tops) == 1:
                    pairs.append((lows[0], tops[0]))
            if len(pairs) < 2 or len({low.unit for low, _ in pairs}) != 1:
                return []
        ordered: list[tuple[Figure, Figure]] = []
        for low, top in sorted(pairs, key=lambda p: p[0].value):
            if ordered and ordered[-1][0].value == low.value:
                continue  # the same bound twice: the second stays unplaced
            used.update((low.start, top.start))
            ordered.append((low, top))
        return ordered if len(ordered) >= 2 else []

    def _per_row(
        self,
        item: DItem,
        text: _Text,
        row_cap: Figure,
        company_caps: list[Figure],
        pcts: list[tuple[Decimal, int]],
        figs: list[Figure],
        used: set[int],
    ) -> None:
        """每个项目不超过5万元, 每人次…: one row per project, person…; a share of each row's
        cost when a percentage is given; 每个企业不超过5个项目 = at most so many rows."""
        used.add(row_cap.start)
        noun = row_cap.per
        percent = pcts[0][0] if pcts else None
        count_cap = next((f for f in figs if f.role == "count_cap"), None)
        if percent is not None and noun not in ROW_NOUNS and count_cap is None:
            # 每个中心最高不超过20万元 with a percentage: costs grouped per centre, each capped.
            table = self._table(item, noun, cost=share_base(text.text) or "费用金额", group=True)
            mid = f"{item.id}_cost"
            self.measures.append(
                DMeasure(
                    mid,
                    share_base(text.text) or "费用合计",
                    {"kind": "sum", "table": table.id, "column": "amount", "unit": "CNY"},
                )
            )
            item.ceiling = {
                "kind": "share",
                "measure": mid,
                "percent": percent,
                "cap": row_cap.value,
                "per": "group",
            }
            item.ceiling_src = text.sentence_at(row_cap.start)
            del pcts[0]
            return
        table = self._table(item, noun, cost=share_base(text.text) if percent is not None else "")
        ceiling: dict[str, object] = {"kind": "per_row"}
        if percent is not None:
            ceiling["row_share"] = {"column": "amount", "percent": percent, "cap": row_cap.value}
            del pcts[0]
        else:
            ceiling["row_amount"] = row_cap.value
        if count_cap is not None:
            ceiling["max_rows"] = count_cap.value
            used.add(count_cap.start)
        others = [f for f in company_caps if f.value != row_cap.value]
        if others:
            ceiling["company_cap"] = others[0].value
            used.add(others[0].start)
        item.ceiling = ceiling
        item.table = table.id
        item.ceiling_src = text.sentence_at(row_cap.start)

    def _table(self, item: DItem, noun: str, cost: str, group: bool = False) -> DTable:
        people = noun in PEOPLE
        name_label = "姓名" if people else f"{noun or '项目'}名称"
        columns = [DField("name", name_label, "text")]
        if group:
            columns = [
                DField("group", noun or "类别", "text"),
                DField("name", "费用说明", "text"),
            ]
        if cost:
            columns.append(DField("amount", cost, "money", unit="CNY"))
        title = "人员" if people else (noun or "明细")
        if item.title.endswith(title):
            title = ""
        table = DTable(
            f"{item.id}_rows",
            f"{item.title}{title}",
            f"{item.title}{'费用' if group else title}明细表",
            "name",
            columns,
        )
        self.tables.append(table)
        item.table = table.id
        return table

    def _label(self, text: str, bounds: list[Figure], unit: str) -> str:
        for b in bounds:
            if b.unit == unit:
                words = label_of(text, b)
                if words and len(words) >= 2:
                    return words
        if unit == "count":
            m = re.search(r"([\u4e00-\u9fff]{0,4}(?:人数|数量|个数|次数))", text)
            if m:
                return m.group(1).removeprefix("按照").removeprefix("按")
        return {"USD": "金额（美元）", "CNY": "金额（元）", "count": "数量"}.get(unit, "数量")

    def _quantity(
        self, item: DItem, unit: str, label: str, quantities: dict[str, str], key: str
    ) -> str:
        """An input of the item and the measure reading it; one per quantity."""
        if key in quantities:
            return quantities[key]
        n = len(quantities) + 1
        fid = f"amount_{n}" if n > 1 else "amount"
        if unit in ("USD", "CNY"):
            field = DField(fid, _with_unit(label, unit), "money", unit=unit)
        elif unit == "month":
            field = DField(fid, label, "decimal")
        else:
            field = DField(fid, label, "int")
        item.inputs.append(field)
        mid = f"{item.id}_{fid}"
        values: dict[str, object] = {"kind": "field", "item": item.id, "field": fid}
        if unit in ("USD", "CNY"):
            values["unit"] = unit
        self.measures.append(DMeasure(mid, label, values))
        quantities[key] = mid
        return mid

    def _thresholds(
        self,
        item: DItem,
        text: _Text,
        bounds: list[Figure],
        quantities: dict[str, str],
        used: set[int],
    ) -> None:
        """Each bound a condition: the first of a per-row item on the company, later ones on
        the row (年薪, 劳动合同期限); one condition per quantity and value."""
        seen: set[tuple[str, Decimal, str]] = set()
        for n, b in enumerate(bounds):
            used.add(b.start)
            if b.role != "threshold":
                continue
            label = (
                self._label(text.text, [b], b.unit) if n else self._label(text.text, bounds, b.unit)
            )
            key = b.unit if b.unit != "month" else label
            if (key, b.value, b.op) in seen:
                continue
            seen.add((key, b.value, b.op))
            src = text.sentence_at(b.start)
            shown = fmt_value(b.value / 10000) + "万" if b.value >= 10000 else fmt_value(b.value)
            if b.unit == "month":
                shown, noun = fmt_value(b.value), "个月"
            else:
                noun = b.noun if b.unit == "count" else UNIT_WORD[b.unit]
            bound = f"{shown}{noun}"
            words = (
                "达到" + bound + ("（含）" if b.op == ">=" else "")
                if b.op == ">="
                else "超过" + bound
            )
            unit_word = {"USD": " 美元", "CNY": " 元", "month": " 个月"}.get(b.unit, "")
            said = re.sub(r"（(?:美元|元|月|个月)）$", "", label)
            reason = f"{said} {{actual}}{unit_word}，须{words}。"
            if item.table is not None and n > 0:
                table = next(t for t in self.tables if t.id == item.table)
                col = f"col_{len(table.columns) + 1}"
                ftype = "money" if b.unit in ("USD", "CNY") else "int"
                unit = b.unit if ftype == "money" else None
                table.columns.append(DField(col, _with_unit(label, b.unit), ftype, unit=unit))
                item.row_conditions.append(DRule("column", col, b.op, b.value, reason, src))
                continue
            mid = self._quantity(item, b.unit, label, quantities, key=key)
            item.conditions.append(DRule("measure", mid, b.op, b.value, reason, src))


def _trim_label(words: str) -> str:
    return re.sub(r"^(?:企业|单位)?(?:\d{4}年度?|上年度?|当年)?", "", words)[-16:]


def _with_unit(label: str, unit: str) -> str:
    word = {"USD": "美元", "CNY": "元", "month": "月"}.get(unit)
    if word is None or word in label[-4:]:
        return label
    return f"{label}（{word}）"


def _lines(text: _Text) -> list[tuple[int, str]]:
    out = []
    for n, (offset, _line) in enumerate(text.starts):
        end = text.starts[n + 1][0] if n + 1 < len(text.starts) else len(text.text)
        out.append((offset, text.text[offset:end]))
    return out
