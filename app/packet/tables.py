"""Generated tables of the packet (服务外包执行情况汇总表, 投保明细表, ...), drawn from the
same rows and measures the workbook and the rules use.

Wide tables (more than eight columns, like the 服务外包执行情况汇总表) are drawn on landscape
pages turned into the portrait A4 sheet: the table's top along the binding side, its lines read
from the bottom up, as bound reports print them. Cells wrap; the header repeats on each page.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reportlab.lib.colors import black
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from app.guide.model import FieldSpec, Guide, TableSpec
from app.model import ProjectData, Row, Value
from app.packet.ink import LIGHT, TA_CENTER, TA_LEFT, TA_RIGHT, Context, Ink, style
from app.packet.layout import content_box
from app.rules.evaluation import Rates, cell, fmt_money, in_period, money_of

_WEIGHTS = {
    "index": 0.9,
    "text": 3.0,
    "money": 2.2,
    "decimal": 1.6,
    "int": 1.3,
    "date": 2.0,
    "bool": 1.1,
    "choice": 1.3,
    "currency": 1.1,
    "business_type": 2.6,
    "certification": 2.2,
}


def generated_tables(guide: Guide, project: ProjectData) -> list[str]:
    """Ids of the tables drawn into the packet for the selected items."""
    out: list[str] = []
    ids: list[str] = []
    for item in guide.items:
        if item.id in project.selected:
            ids.extend(item.documents)
    for doc_id in ids:
        doc = guide.document(doc_id)
        members = [doc_id]
        if doc.kind == "proof_set" and doc.set:
            members = list(guide.document_set(doc.set).documents)
        for m in members:
            gen = guide.document(m).generator or ""
            if gen.startswith("table:") and gen[6:] not in out:
                out.append(gen[6:])
    return out


def _text(spec: FieldSpec, value: Value | None, guide: Guide) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if spec.type == "choice":
        return spec.choice_label(value)
    if spec.type == "business_type":
        try:
            bt = guide.business_type(str(value))
        except KeyError:
            return str(value)
        return bt.label
    if spec.type == "currency":
        try:
            return f"{guide.currency(str(value)).name}"
        except KeyError:
            return str(value)
    if isinstance(value, Decimal):
        return fmt_money(value) if spec.type == "money" else f"{value:,}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _converted_column(guide: Guide, spec: TableSpec) -> FieldSpec | None:
    """The money column shown converted into the guide's anchor currency (the last one with a
    currency column), or None when the guide declares no anchor."""
    if guide.conversion is None:
        return None
    converted = [c for c in spec.columns if c.type == "money" and c.currency_field]
    return converted[-1] if converted else None


def _anchor_name(guide: Guide) -> str:
    assert guide.conversion is not None
    try:
        return guide.currency(guide.conversion.anchor).name
    except KeyError:
        return guide.conversion.anchor


def landscape(guide: Guide, table_id: str) -> bool:
    """Whether the table is drawn on landscape pages (more than eight columns with 序号 and
    the converted column)."""
    spec = guide.table(table_id)
    usd = _converted_column(guide, spec) is not None
    return len(spec.columns) + (1 if usd else 0) > 8


def table_width(ctx: Context, table_id: str) -> float:
    """The table's width: the content box's width, or its height for a landscape table (the
    smaller first page, under the heading band, so every page takes the same table)."""
    box = content_box(ctx.layout, 1, True)
    return box.height if landscape(ctx.guide, table_id) else box.width


def table_story(ctx: Context, table_id: str) -> list[Flowable]:
    ink, guide, project = ctx.ink, ctx.guide, ctx.project
    spec: TableSpec = guide.table(table_id)
    width = table_width(ctx, table_id)
    rows = project.rows(table_id)
    fields = {c.id: c for c in spec.columns}
    rates = Rates(guide, project.rates)
    usd_col = _converted_column(guide, spec)
    usd = usd_col is not None
    anchor = guide.conversion.anchor if guide.conversion is not None else ""
    anchor_name = _anchor_name(guide) if usd else ""
    period_cols = {
        m.period_column for m in guide.measures if m.table == table_id and m.period_column
    }
    size = 8.5 if landscape(guide, table_id) else 9.5
    head = style(ink, size, TA_CENTER, leading=size * 1.3)
    text = style(ink, size, TA_LEFT, leading=size * 1.3)

    num = style(ink, size, TA_RIGHT, leading=size * 1.3, wordWrap=None)
    headers = (
        ["序号"]
        + [c.label for c in spec.columns]
        + ([f"{usd_col.label}折合{anchor_name}"] if usd_col else [])
    )
    kinds = ["index"] + [c.type for c in spec.columns] + (["money"] if usd_col else [])
    body: list[list[str]] = []
    money_totals: dict[str, Decimal] = {}
    for n, row in enumerate(rows, start=1):
        line = [str(n)]
        for col in spec.columns:
            value = cell(col, row.values)
            shown = _text(col, value, guide)
            if spec.period_mark and col.id in period_cols and shown and not in_period(guide, value):
                shown += spec.period_mark
            if _is_amount(col, value):
                assert isinstance(value, Decimal | int)
                money_totals[col.id] = money_totals.get(col.id, Decimal(0)) + Decimal(value)
            line.append(shown)
        if usd_col is not None:
            line.append(_usd(usd_col, row, fields, rates, anchor))
        body.append(line)
    totals: list[tuple[str, list[str]]] = []
    if spec.totals:
        for total in spec.totals:
            value = ctx.evaluation.measures.get(total.measure, Decimal(0))
            totals.append((total.label, [fmt_money(value)]))
    elif money_totals:
        cells = [
            fmt_money(money_totals[c.id]) if c.id in money_totals else "" for c in spec.columns
        ]
        totals.append(("合计", cells))
    # A landscape table has room to keep every long text at least eight characters wide.
    min_flex = size * (8 if landscape(guide, table_id) else 4)
    widths = _widths(ink, size, width, kinds, body, totals, headers, min_flex)

    data: list[list[object]] = [[ink.para(h, head) for h in headers]]
    for line in body:
        drawn: list[object] = []
        for v, k, w in zip(line, kinds, widths, strict=True):
            if k == "business_type":
                v = _break_before_bracket(ink, v, size, w - 4)
            drawn.append(ink.para(v, num if k in _NUMERIC else head if k == "index" else text))
        data.append(drawn)
    if not rows:
        data.append([ink.para("（无）", head)] + [""] * (len(headers) - 1))
    extra: list[tuple[object, ...]] = []
    for label, cells in totals:
        r = len(data)
        if len(cells) == 1:  # one figure, in the last column
            data.append(
                [ink.para(label, text)] + [""] * (len(headers) - 2) + [ink.para(cells[0], num)]
            )
            extra.append(("SPAN", (0, r), (-2, r)))
        else:
            data.append([ink.para(label, head)] + [ink.para(v, num) for v in cells])
        extra.append(("BACKGROUND", (0, r), (-1, r), LIGHT))

    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, black),
                ("BOX", (0, 0), (-1, -1), 1.2, black),
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                *extra,
            ]
        )
    )
    title = style(ink, 15, TA_CENTER, leading=21)
    meta = style(ink, 9, TA_LEFT, leading=13)
    story: list[Flowable] = [
        ink.para(spec.sheet, title),
        Spacer(1, 4),
        ink.para(f"申报单位（盖章）：{project.company.name}", meta),
    ]
    if usd:
        used = sorted(
            {
                str(cell(fields[c.currency_field], r.values) or guide.fallback_currency)
                for r in rows
                for c in spec.columns
                if c.type == "money" and c.currency_field
            }
            - {anchor}
        )
        rate_text = rates.summary(used)
        if rate_text:
            story.append(
                ink.para(
                    f"金额单位：原币；折合{anchor_name}所用折算率：{rate_text}。",
                    meta,
                )
            )
    story += [Spacer(1, 4), table, Spacer(1, 14)]
    story.append(
        ink.para(
            "填表人："
            + "\u3000" * 8
            + "联系电话："
            + "\u3000" * 8
            + "企业（盖章）"
            + "\u3000" * 6
            + f"{guide.year}年\u3000\u3000月\u3000\u3000日",
            meta,
        )
    )
    return story


def _break_before_bracket(ink: Ink, text: str, size: float, width: float) -> str:
    """“信息技术运营和维护服务（ITO）” in a column too narrow for it: the category goes on a
    line of its own rather than breaking inside its brackets."""
    cut = text.rfind("（")
    if cut > 0 and ink.width(text, size) > width:
        return text[:cut] + "\n" + text[cut:]
    return text


def _is_amount(col: FieldSpec, value: Value | None) -> bool:
    return (
        col.type == "money"
        and col.unit is not None
        and isinstance(value, Decimal | int)
        and not isinstance(value, bool)
    )


_NUMERIC = ("money", "decimal", "int", "date", "index")
_FIXED = (*_NUMERIC, "currency", "bool")


def _widths(
    ink: Ink,
    size: float,
    width: float,
    kinds: list[str],
    body: list[list[str]],
    totals: list[tuple[str, list[str]]],
    headers: list[str],
    min_flex: float | None = None,
) -> list[float]:
    """Column widths: figures, dates, short codes and short texts get the width of their
    longest cell (they must not wrap; a header may take two lines); long texts share the rest
    by weight (they wrap)."""
    pad = 5.0
    natural = [size * 2.2] * len(kinds)
    for line in body:
        for i, v in enumerate(line):
            natural[i] = max(natural[i], ink.width(v, size) + pad)
    for label, cells in totals:
        offset = len(kinds) - len(cells)
        for i, v in enumerate(cells):
            natural[offset + i] = max(natural[offset + i], ink.width(v, size) + pad)
        if len(cells) > 1:  # the label stands in the first column
            natural[0] = max(natural[0], ink.width(label, size) + pad)
    for i, h in enumerate(headers):  # a figure's header may take two lines, a text's one
        head = ink.width(h, size)
        natural[i] = max(natural[i], (head / 2 + size if kinds[i] in _FIXED else head) + pad)
    numeric = [i for i, k in enumerate(kinds) if k in _FIXED]
    texts = [i for i in range(len(kinds)) if i not in numeric]
    min_flex = size * 4 if min_flex is None else min_flex
    budget = width - sum(natural[i] for i in numeric)
    if budget < min_flex * len(texts):
        # Too many columns for the page: everything shrinks in proportion (long texts count
        # as a few words), figures may then wrap; still nothing is cut.
        want = [
            natural[i] if i in numeric else min(natural[i], min_flex * 2.5)
            for i in range(len(kinds))
        ]
        return [w * width / sum(want) for w in want]
    fixed = set(numeric)
    # Short texts (codes, names, places) keep one line while the long ones keep room to wrap.
    for i in sorted(texts, key=lambda j: natural[j]):
        left = [j for j in texts if j not in fixed and j != i]
        if natural[i] <= width * 0.22 and budget - natural[i] >= min_flex * len(left):
            fixed.add(i)
            budget -= natural[i]
    flex = [i for i in texts if i not in fixed]
    if not flex:  # share what is left over in proportion
        total = sum(natural)
        return [n * width / total for n in natural]
    weights = {i: _WEIGHTS.get(kinds[i], 2.0) for i in flex}
    scale = budget / sum(weights.values())
    return [weights[i] * scale if i in weights else natural[i] for i in range(len(kinds))]


def _usd(col: FieldSpec, row: Row, fields: dict[str, FieldSpec], rates: Rates, anchor: str) -> str:
    got = money_of(col, row.values, fields, anchor)
    if got is None or not rates.known(got[1]) or not rates.known(anchor):
        return ""
    return fmt_money(rates.convert(got[0], got[1], anchor))
