"""The guide's own facts as its text states them: title, 文号, issuer, year, support period,
deadlines, applicant conditions, packet requirements, districts and the dollar rate; and
:func:`draft_guide`, which reads all of a text into a :class:`Draft`."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from app.guide.draft.documents import DocumentReader
from app.guide.draft.items import (
    CONDITION_TITLE,
    CONTENT_TITLE,
    ItemReader,
)
from app.guide.draft.model import (
    TODO,
    DDeadline,
    DDoc,
    DField,
    DItem,
    DMeasure,
    Draft,
    DTable,
    Meta,
    Src,
)
from app.guide.draft.text import Line, Outline, Part, outline

TITLE = re.compile(r"申报指南|实施细则|申报通知|申报工作|操作规程|申报须知|管理办法")
DOC_NO = re.compile(r"[\u4e00-\u9fff]{1,5}[〔\[［(（](\d{4})[〕\]］)）]\s*\d+\s*号")
ISSUER = re.compile(r"^([\u4e00-\u9fff]{2,16}?(?:局|厅|委员会|委|办公室|政府|部))(?:\s|关于|$)")
DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
PERIOD = re.compile(DATE + r"\s*(?:[-—–~～至到]|起至)\s*" + DATE)
DEADLINE = re.compile(
    r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:前|之前|止|截止|以前)"
)
PERIOD_TITLE = re.compile(r"支持(?:时间|期间|年度)|申报(?:时间|期限)|实施期间|时间范围")
NOTES_TITLES = (re.compile(r"材料要求|装订要求"), re.compile(r"申报要求|其他要求|注意事项"))
RATE = re.compile(
    r"1\s*美元\s*(?:兑|=|＝|折合|兑换|合)\s*(?:人民币)?\s*(\d+(?:\.\d+)?)\s*元"
    r"|汇率\s*(?:按|为|以)?\s*(?:1\s*[:：]\s*)?(\d\.\d{2,4})"
)
DISTRICTS = re.compile(
    r"((?:[\u4e00-\u9fff]{2,6}(?:区|县|市|镇)、){1,}[\u4e00-\u9fff]{2,6}(?:区|县|市|镇))"
)


def draft_guide(text: str) -> Draft:
    """Everything the text lets the reader recognise; the rest is listed as missing or
    unplaced."""
    ol = outline(text)
    draft = Draft()
    reader = ItemReader()
    items = reader.read(ol)
    docs = DocumentReader()
    docs.read(ol, items, reader.parts)
    draft.items = items
    draft.tables = reader.tables
    draft.measures = reader.measures
    draft.documents = docs.documents
    draft.base_documents = docs.base
    draft.document_sets = docs.sets
    draft.unplaced = reader.unplaced + docs.unplaced
    _application_form(draft)
    _meta(draft, ol, text)
    _placeholders(draft)
    return draft


def _meta(draft: Draft, ol: Outline, text: str) -> None:
    title_line = _title_line(ol.preamble)
    title = (_clean_title(title_line.text) if title_line else "") or TODO
    no = _document_no(ol.preamble) or _document_no(ol.lines)
    year = _year(title, no, text)
    issuer = _issuer(ol.preamble)
    guide_id = f"draft-{year or 'guide'}-{hashlib.sha256(title.encode()).hexdigest()[:8]}"
    short = _short_title(title, year)
    form = next((d for d in draft.documents if d.generator == "application_form"), None)
    if form is not None and form.src is not None:
        form_title = form.title
    else:  # not in the text: named after the guide
        form_title = re.sub(rf"(?:{TITLE.pattern})(?:[（(][^（）()]*[）)])?$", "", title) + "申请表"
        if form is not None:
            form.title = form_title
    add = draft.meta.append
    add(Meta("format", 1))
    add(Meta("id", guide_id, remark="请改为本指南的编号（字母、数字和连字符），一经使用不要再改"))
    add(Meta("year", year or 0, found=bool(year)))
    add(
        Meta(
            "title",
            title,
            Src(title_line.number, title_line.text) if title_line else None,
            bool(title_line),
        )
    )
    add(Meta("short_title", short, remark="开始页上显示的简称"))
    if no is not None:
        add(Meta("document_no", no[0], Src(no[1].number, no[1].text)))
    add(
        Meta(
            "issuer",
            issuer[0] if issuer else TODO,
            Src(issuer[1].number, issuer[1].text) if issuer else None,
            bool(issuer),
        )
    )
    form_src = form.src if form is not None else None
    add(Meta("form_title", form_title, form_src))
    add(Meta("packet_title", form_title.replace("申请表", "申报材料"), form_src))
    start, end, src = _period(ol, year)
    add(
        Meta(
            "period_start",
            start,
            src,
            src is not None,
            "" if src else "原文未写明支持期间：按上一年全年填写",
        )
    )
    add(Meta("period_end", end, src, src is not None))
    districts = _districts(ol.lines)
    if districts:
        add(Meta("districts", districts[0], Src(districts[1].number, districts[1].text)))
    else:
        add(Meta("districts", [TODO], None, False, "原文未列出各区：请填写申报单位可选的区"))
    add(Meta("district_other", "其他", None, True, "所在区不在上表时可选“其他”并填写区名"))
    add(Meta("base_documents", draft.base_documents))
    add(Meta("business_types", []))
    conds = _part_entries(ol, CONDITION_TITLE, skip=CONTENT_TITLE.pattern)
    draft.conditions = [(t, s) for t, s in conds]
    notes = next(
        (n for t in NOTES_TITLES if (n := _part_entries(ol, t, skip=r"时间|流程|程序"))), []
    )
    if notes:
        add(Meta("notes", [t for t, _ in notes], notes[0][1]))
    draft.deadlines = _deadlines(ol, year)
    rate = _first(RATE, ol.lines)
    if rate is not None:
        value = rate[0]
        draft.rate = Meta("per_usd", value, Src(rate[1].number, rate[1].text))
    else:
        draft.rate = Meta("per_usd", TODO, None, False, "原文未给出汇率：请按指南所指的折算率填写")


def _title_line(preamble: list[Line]) -> Line | None:
    candidates = [ln for ln in preamble if TITLE.search(ln.text) and len(ln.text) <= 80]
    plain = [ln for ln in candidates if "印发" not in ln.text and "通知" not in ln.text]
    found = plain or candidates
    return found[0] if found else None


def _clean_title(text: str) -> str:
    m = re.search(r"关于印发《?(.+?)》?的通知", text)
    if m:
        text = m.group(1)
    return text.strip("《》 ")


def _first(pattern: re.Pattern[str], lines: list[Line]) -> tuple[str, Line] | None:
    for ln in lines:
        m = pattern.search(ln.text)
        if m:
            value = (
                next((g for g in m.groups() if g), m.group(0)) if pattern is RATE else m.group(0)
            )
            return value, ln
    return None


def _document_no(lines: list[Line]) -> tuple[str, Line] | None:
    """The guide's own 文号: alone on its line, after 发文字号, or closing the 印发 line; a 文号
    cited after a 《title》 is another document's."""
    best: tuple[int, str, Line] | None = None
    for ln in lines:
        for m in DOC_NO.finditer(ln.text):
            score = 0
            rest = ln.text[m.end() :].strip(" ）)]")
            if not ln.text[: m.start()].strip(" （([") and not rest:
                score += 3
            if re.match(r"^(?:发文字号|文号)", ln.text):
                score += 3
            if not rest and "印发" in ln.text:
                score += 2
            if re.search(r"》\s*[（(]?\s*$", ln.text[: m.start()]):
                score -= 2
            if best is None or score > best[0]:
                best = (score, m.group(0), ln)
    return (best[1], best[2]) if best is not None else None


def _year(title: str, no: tuple[str, Line] | None, text: str) -> int | None:
    m = re.search(r"(20\d{2})", title)
    if m:
        return int(m.group(1))
    if no is not None:
        y = DOC_NO.search(no[0])
        if y:
            return int(y.group(1))
    years = re.findall(r"(20\d{2})年", text)
    return int(max(set(years), key=years.count)) if years else None


def _issuer(preamble: list[Line]) -> tuple[str, Line] | None:
    for ln in preamble:
        m = ISSUER.match(ln.text)
        if m:
            return m.group(1), ln
    return None


def _short_title(title: str, year: int | None) -> str:
    m = re.search(r"[（(]([^（）()]*(?:事项|用途|项目|资金))[）)]", title)
    core = m.group(1) if m else re.sub(TITLE, "", title)[:16]
    return f"{year}年{core}" if year and str(year) not in core else core


def _period(ol: Outline, year: int | None) -> tuple[dt.date, dt.date, Src | None]:
    lines = [ln for p in ol.walk() if PERIOD_TITLE.search(p.title) for ln in [p.head, *p.lines]]
    for ln in lines + ol.lines:
        m = PERIOD.search(ln.text)
        if m:
            try:
                a = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                b = dt.date(int(m.group(4)), int(m.group(5)), int(m.group(6)))
            except ValueError:
                continue
            if a <= b:
                return a, b, Src(ln.number, ln.text)
    y = (year or dt.date.today().year) - 1
    return dt.date(y, 1, 1), dt.date(y, 12, 31), None


def _districts(lines: list[Line]) -> tuple[list[str], Line] | None:
    for ln in lines:
        m = DISTRICTS.search(ln.text)
        if m:
            names = [
                re.sub(r"^(?:在|于|位于)?(?:本市|我市|全市)?", "", n)
                for n in m.group(1).split("、")
                if not n.startswith(("各", "全"))
            ]
            if len(names) >= 2:
                return names, ln
    return None


def _part_entries(ol: Outline, title: re.Pattern[str], skip: str = r"^$") -> list[tuple[str, Src]]:
    """The numbered entries (or lines) under the first part with such a title."""
    for part in ol.walk():
        if len(part.title) <= 20 and title.search(part.title) and not re.search(skip, part.title):
            return _entries(part)
    return []


def _entries(part: Part) -> list[tuple[str, Src]]:
    out: list[tuple[str, Src]] = []
    for ln in part.lines:
        if not ln.text.rstrip().endswith(("：", ":")):
            out.append((ln.text, Src(ln.number, ln.text)))
    for c in part.children:
        out.append((c.head.text, Src(c.head.number, c.head.text)))
    return out


def _deadlines(ol: Outline, year: int | None) -> list[DDeadline]:
    out: list[DDeadline] = []
    seen: set[dt.date] = set()
    for ln in ol.lines:
        for m in DEADLINE.finditer(ln.text):
            y = int(m.group(1)) if m.group(1) else year
            if y is None:
                continue
            try:
                date = dt.date(y, int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
            if date in seen:
                continue
            seen.add(date)
            start = max(ln.text.rfind(p, 0, m.start()) for p in "，。；;") + 1
            ends = [e for e in (ln.text.find(p, m.end()) for p in "，。；;") if e >= 0]
            clause = ln.text[start : min(ends) if ends else len(ln.text)]
            what = re.sub(r"^(?:请|由)?", "", ln.text[m.end() : min(ends) if ends else None])
            title = (what.strip() or clause.strip())[:30] or "截止日期"
            out.append(
                DDeadline(
                    f"deadline_{len(out) + 1}", date, title, clause.strip(), Src(ln.number, ln.text)
                )
            )
    return out


def _application_form(draft: Draft) -> None:
    """Every packet starts with the 申请表 the program fills in: one is added when the text
    lists none among the basic documents."""
    if any(d.generator == "application_form" for d in draft.documents):
        return
    form = DDoc(
        "application_form",
        "申请表",
        kind="generated",
        generator="application_form",
        remark="原文的基本材料中没有申请表：按惯例加入，请改为申请表的全称。",
    )
    draft.documents.insert(0, form)
    draft.base_documents.insert(0, form.id)


def _placeholders(draft: Draft) -> None:
    """The loader needs at least one table and one measure: the first item gets a plain list of
    rows, or an amount input and a measure reading it, when the text gave none."""
    if not draft.items:
        return
    item: DItem = draft.items[0]
    if not draft.measures:
        item.inputs.append(DField("amount", "申报金额（元）", "money", unit="CNY"))
        draft.measures.append(
            DMeasure(
                f"{item.id}_amount",
                "申报金额",
                {"kind": "field", "item": item.id, "field": "amount", "unit": "CNY"},
            )
        )
        item.remarks.append("本程序的指南文件至少要有一个计算项：此输入和计算项为占位，可改写。")
    if draft.tables:
        return
    table = DTable(
        f"{item.id}_rows",
        f"{item.title}明细",
        f"{item.title}明细表",
        "name",
        [DField("name", "名称", "text")],
    )
    draft.tables.append(table)
    item.table = table.id
    item.remarks.append("本程序的指南文件至少要有一张表：此表为占位，可按需要改写。")
