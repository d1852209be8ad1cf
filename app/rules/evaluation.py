"""Eligibility, support ceilings and requested amounts, from a project's figures and rows.

Pure functions of (guide, project). Every bound is the guide file's: inclusive (>=, （含）) or
strict (>, 超过) as written there. Amounts come in and go out as Decimal; in between, figures
converted from another currency are exact rationals (``Fraction``) computed from the rates as
SAFE's table quotes them (the guide's, or the project's own), so an amount exactly at a bound is
judged at the bound and one smallest unit below is judged below it. Support is cut (never
rounded up) to the cent.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from app.guide.model import DocumentSpec, FieldSpec, Guide, ItemSpec, Measure, Rule, TableSpec
from app.model import ProjectData, Rate, Row, Value

ZERO = Decimal(0)


@dataclass(frozen=True)
class RowResult:
    row_id: str
    label: str
    counted: bool  # passes the row conditions (and, with a row limit, is among the best)
    reasons: tuple[str, ...]  # why not counted
    amount_cny: Decimal  # this row's support (0 when not counted)


@dataclass(frozen=True)
class ItemResult:
    item_id: str
    eligible: bool
    reasons: tuple[str, ...]  # Chinese: why not eligible, plus notes (row limit, cost cap)
    ceiling_cny: Decimal
    requested_cny: Decimal
    basis: tuple[tuple[str, str], ...]  # (label, formatted figure) the decision rests on
    rows: tuple[RowResult, ...] = ()
    cost_cny: Decimal | None = None


@dataclass(frozen=True)
class Evaluation:
    items: Mapping[str, ItemResult]  # every item of the guide, selected or not
    selected: tuple[str, ...]
    measures: Mapping[str, Decimal]

    @property
    def total_requested_cny(self) -> Decimal:
        return sum((self.items[i].requested_cny for i in self.selected), ZERO)

    @property
    def total_ceiling_cny(self) -> Decimal:
        return sum((self.items[i].ceiling_cny for i in self.selected), ZERO)


class Rates:
    """The rate of each currency: the guide's table, with the project's own rates (edited, or
    added for a currency the table lacks). Conversions are exact: rational arithmetic on the
    rates as the table quotes them, so an amount exactly at a bound converts to the bound."""

    def __init__(self, guide: Guide, overrides: Mapping[str, Rate] | None = None) -> None:
        self._rates = {c.code: c.rate for c in guide.currencies}
        self._names = {c.code: c.name for c in guide.currencies}
        self._own: set[str] = set()
        self._anchor = guide.conversion.anchor if guide.conversion is not None else ""
        self._source = guide.conversion.rate_source if guide.conversion is not None else ""
        for code, rate in (overrides or {}).items():
            if rate.value > 0:
                self._rates[code] = rate
                self._own.add(code)
                self._names.setdefault(code, rate.name or code)

    def is_default(self, code: str) -> bool:
        """True when ``code`` uses the guide file's default rate (not one the user gave)."""
        return code not in self._own

    def summary(self, codes: Iterable[str]) -> str:
        """The rates used for ``codes`` as the table quotes them, for the submitted tables:
        “1 美元 = 6.8632 人民币、…” (no program note: that the defaults are to be checked is
        said before the build, :meth:`default_note`). Empty when none applies."""
        if len(self._rates) <= 1:  # one currency: nothing is ever converted
            return ""
        return "、".join(self.describe(c) for c in self._used(codes))

    def default_note(self, codes: Iterable[str]) -> str:
        """The program's default rates among ``codes``, said as such with where to check
        them (the guide's rate source); empty when every rate used is the project's own."""
        if len(self._rates) <= 1:
            return ""
        default = [self.describe(c) for c in self._used(codes) if self.is_default(c)]
        if not default:
            return ""
        check = f"，须与{self._source}核对" if self._source else "，请核对"
        return "、".join(default) + f"（程序默认值{check}）"

    def _used(self, codes: Iterable[str]) -> list[str]:
        return [c for c in dict.fromkeys(codes) if c != self._anchor and self.known(c)]

    def rate(self, code: str) -> Rate:
        """The rate used for ``code``; KeyError for a currency nobody gave a rate for."""
        try:
            return self._rates[code]
        except KeyError:
            raise KeyError(code) from None

    def name(self, code: str) -> str:
        return self._names.get(code, code)

    @property
    def codes(self) -> tuple[str, ...]:
        """Every currency with a rate: the guide's, in its order, then the added ones."""
        return tuple(self._rates)

    def describe(self, code: str) -> str:
        """“1 美元 = 6.8632 人民币”: the rate as the table reads."""
        return self.rate(code).describe(self.name(code))

    def exact(self, amount: Decimal | int | Fraction, from_code: str, to_code: str) -> Fraction:
        if from_code == to_code:
            return Fraction(amount)
        usd = self.rate(from_code).to_usd(Fraction(amount))  # type: ignore[arg-type]
        return usd if to_code == "USD" else self.rate(to_code).from_usd(usd)

    def convert(self, amount: Decimal, from_code: str, to_code: str) -> Decimal:
        """``amount`` in ``to_code``, as a Decimal (exact when the result has a finite
        decimal expansion, else to 28 significant digits)."""
        return to_decimal(self.exact(amount, from_code, to_code))

    def known(self, code: str) -> bool:
        return code in self._rates


def currency_choices(guide: Guide, project: ProjectData) -> list[tuple[str, str]]:
    """(code, name) of every currency a project may use: the guide's table, then the ones the
    user added with their rate."""
    out = [(c.code, c.name) for c in guide.currencies]
    known = {c.code for c in guide.currencies}
    out += [(code, r.name or code) for code, r in project.rates.items() if code not in known]
    return out


def unit_suffix(guide: Guide, code: str | None) -> str:
    """“ 元” after a yuan figure, “ 美元” (the currency's name) after another, "" for none."""
    if not code:
        return ""
    if code == "CNY":
        return " 元"
    try:
        return " " + guide.currency(code).name
    except KeyError:
        return " " + code


def to_decimal(value: Fraction | Decimal | int) -> Decimal:
    """A Decimal for an exact rational (28 significant digits when it does not terminate)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(value.numerator) / Decimal(value.denominator)


def shown(value: Fraction | Decimal) -> Decimal:
    """A figure as shown next to a bound: cut (never rounded) to the cent, so that
    999,999.998 US dollars reads 999,999.99 and not 1,000,000.00."""
    return Decimal(math.floor(Fraction(value) * 100)) / 100


def fmt_money(amount: Decimal, places: int = 2) -> str:
    """1234567.5 -> '1,234,567.50'."""
    q = Decimal(1).scaleb(-places)
    return f"{amount.quantize(q):,}"


def fmt_number(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return fmt_money(value)


def cell(spec: FieldSpec, values: Mapping[str, Value]) -> Value | None:
    """A row's or input's value for ``spec``, falling back to its default."""
    v = values.get(spec.id)
    if v is None or v == "":
        return spec.default
    return v


def money_of(
    spec: FieldSpec,
    values: Mapping[str, Value],
    fields: Mapping[str, FieldSpec],
    fallback: str = "USD",
) -> tuple[Decimal, str] | None:
    """(amount, currency) of a money field, or None when the amount is missing; an empty
    currency column counts as ``fallback`` (the guide's :attr:`Guide.fallback_currency`)."""
    v = cell(spec, values)
    if v is None or isinstance(v, bool) or not isinstance(v, Decimal | int):
        return None
    if spec.unit is not None:
        code = spec.unit
    else:
        assert spec.currency_field is not None
        cur = cell(fields[spec.currency_field], values)
        code = str(cur) if cur else fallback
    return Decimal(v), code


def document_applies(guide: Guide, project: ProjectData, doc: DocumentSpec) -> bool:
    """True unless the guide asks for ``doc`` only with rows the project does not have
    (离岸业务需提供银行出具的收汇凭证；在岸业务需提供税务局出具的发票及汇总清单)."""
    cond = doc.required_when
    if cond is None:
        return True
    table = guide.table(cond.table)
    return any(
        all(cell(table.column(col), row.values) == wanted for col, wanted in cond.where)
        for row in project.rows(cond.table)
    )


def required_when_text(guide: Guide, doc: DocumentSpec) -> str:
    """``doc``'s requirement condition in words: ““服务外包合同”中有在岸/离岸为“在岸”的行时须
    提供” ("" when it has none)."""
    cond = doc.required_when
    if cond is None:
        return ""
    table = guide.table(cond.table)
    parts = []
    for col_id, wanted in cond.where:
        col = table.column(col_id)
        shown_value = col.choice_label(wanted) if col.choices else _describe(wanted)
        parts.append(f"{col.label}为“{shown_value}”")
    what = f"{'、'.join(parts)}的行" if parts else "行"
    return f"“{table.title}”中有{what}时须提供。"


def in_period(guide: Guide, value: Value | None) -> bool:
    return isinstance(value, dt.date) and guide.period_start <= value <= guide.period_end


class _Context:
    def __init__(self, guide: Guide, project: ProjectData) -> None:
        self.guide = guide
        self.project = project
        self.rates = Rates(guide, project.rates)
        self._measures: dict[str, Fraction | None] = {}

    def table(self, table_id: str) -> TableSpec:
        return self.guide.table(table_id)

    def row_money(self, table: TableSpec, column: str, row: Row, unit: str) -> Fraction | None:
        fields = {c.id: c for c in table.columns}
        got = money_of(fields[column], row.values, fields, self.guide.fallback_currency)
        if got is None:
            return None
        amount, code = got
        if not self.rates.known(code):
            return None
        return self.rates.exact(amount, code, unit)

    def matches(self, m: Measure, table: TableSpec, row: Row) -> bool:
        for col_id, wanted in m.where:
            if cell(table.column(col_id), row.values) != wanted:
                return False
        if m.period_column is not None:
            return in_period(self.guide, row.values.get(m.period_column))
        return True

    def measure(self, measure_id: str) -> Fraction | None:
        """The measure's exact value; None when it rests on a missing input."""
        if measure_id not in self._measures:
            self._measures[measure_id] = self._compute(self.guide.measure(measure_id))
        return self._measures[measure_id]

    def grouped(self, measure_id: str, column: str) -> dict[Value | None, Fraction]:
        """A table measure computed separately for each value of ``column`` (in row order)."""
        m = self.guide.measure(measure_id)
        assert m.table is not None
        spec = self.table(m.table).column(column)
        keys = dict.fromkeys(cell(spec, r.values) for r in self.project.rows(m.table))
        return {k: self._compute(m, (spec, k)) or Fraction(0) for k in keys}

    def _compute(
        self, m: Measure, only: tuple[FieldSpec, Value | None] | None = None
    ) -> Fraction | None:
        if m.kind == "field":
            assert m.item is not None and m.field is not None
            item = self.guide.item(m.item)
            spec = item.input(m.field)
            values = self.project.item_inputs(m.item)
            if spec.type == "money":
                got = money_of(
                    spec, values, {f.id: f for f in item.inputs}, self.guide.fallback_currency
                )
                if got is None or not self.rates.known(got[1]):
                    return None
                assert m.unit is not None
                return self.rates.exact(got[0], got[1], m.unit)
            got_value = cell(spec, values)
            if isinstance(got_value, bool) or not isinstance(got_value, int | Decimal):
                return None
            return Fraction(got_value)
        assert m.table is not None
        table = self.table(m.table)
        rows = [r for r in self.project.rows(m.table) if self.matches(m, table, r)]
        if only is not None:
            rows = [r for r in rows if cell(only[0], r.values) == only[1]]
        if m.kind == "count":
            return Fraction(len(rows))
        total = Fraction(0)
        assert m.column is not None
        col = table.column(m.column)
        for r in rows:
            v: Fraction | None = None
            if col.type == "money":
                assert m.unit is not None
                v = self.row_money(table, m.column, r, m.unit)
            else:
                raw = cell(col, r.values)
                if isinstance(raw, int | Decimal) and not isinstance(raw, bool):
                    v = Fraction(raw)
            if v is not None:
                total += v
        return total


def _compare(op: str, actual: Value | Fraction | None, bound: Value | None, guide: Guide) -> bool:
    if op == "present":
        return actual is not None and actual != ""
    if op == "in_period":
        return not isinstance(actual, Fraction) and in_period(guide, actual)
    if actual is None:
        return False
    if op == "==":
        if isinstance(bound, bool):
            return actual is True if bound else actual is False
        return actual == bound
    if isinstance(actual, bool) or not isinstance(actual, int | Decimal | Fraction):
        return False
    a, b = Fraction(actual), Fraction(Decimal(str(bound)))
    return {">=": a >= b, ">": a > b, "<=": a <= b, "<": a < b}[op]


def _describe(value: Value | Fraction | None) -> str:
    if value is None or value == "":
        return "（未填写）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Fraction):
        return fmt_number(shown(value))
    if isinstance(value, Decimal | int):
        return fmt_number(Decimal(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _reason(rule: Rule, actual: Value | Fraction | None) -> str:
    bound = rule.value
    return rule.reason.replace("{actual}", _describe(actual)).replace(
        "{bound}", _describe(bound if not isinstance(bound, bool) else None)
    )


def _round_down(amount: Fraction | Decimal) -> Decimal:
    """Down to the cent (support is never rounded up)."""
    return shown(amount)


def evaluate(guide: Guide, project: ProjectData) -> Evaluation:
    ctx = _Context(guide, project)
    items = {it.id: _evaluate_item(ctx, it) for it in guide.items}
    selected = tuple(i for i in guide.item_ids if i in project.selected)
    measures = {m.id: ctx.measure(m.id) for m in guide.measures}
    return Evaluation(
        items=items,
        selected=selected,
        measures={k: to_decimal(v) for k, v in measures.items() if v is not None},
    )


def _evaluate_item(ctx: _Context, item: ItemSpec) -> ItemResult:
    guide, project = ctx.guide, ctx.project
    inputs = project.item_inputs(item.id)
    reasons: list[str] = []
    basis: list[tuple[str, str]] = []
    listed: set[str] = set()

    def show_measure(mid: str) -> Fraction | None:
        value = ctx.measure(mid)
        if mid not in listed:
            listed.add(mid)
            m = guide.measure(mid)
            unit = unit_suffix(guide, m.unit)
            figure = "（未填写）" if value is None else fmt_number(shown(value)) + unit
            basis.append((m.label, figure))
        return value

    eligible = True
    for rule in item.conditions:
        if rule.measure is not None:
            actual: Value | Fraction | None = show_measure(rule.measure)
        else:
            assert rule.field is not None
            actual = cell(item.input(rule.field), inputs)
            if actual is None and item.input(rule.field).type == "bool":
                actual = False
        if not _compare(rule.op, actual, rule.value, guide):
            eligible = False
            reasons.append(_reason(rule, actual))

    rows: list[RowResult] = []
    c = item.ceiling
    ceiling = Fraction(0)
    if c.kind == "fixed":
        ceiling = Fraction(c.amount)
    elif c.kind == "tiers":
        assert c.measure is not None
        value = show_measure(c.measure) or Fraction(0)
        for lower, amount in c.tiers:
            if value >= Fraction(lower):
                ceiling = Fraction(amount)
    elif c.kind == "share" and c.per is not None:
        # The cap is per group (每个中心最高不超过20万元): each group's share, capped, added up.
        assert c.measure is not None
        show_measure(c.measure)
        m = guide.measure(c.measure)
        assert m.table is not None
        spec = guide.table(m.table).column(c.per)
        unit = unit_suffix(guide, m.unit)
        for key, value in ctx.grouped(c.measure, c.per).items():
            share = value * Fraction(c.percent) / 100
            if c.cap is not None:
                share = min(share, Fraction(c.cap))
            ceiling += share
            name = spec.choice_label(key) if key is not None else f"未填写{spec.label}"
            basis.append((f"{m.label}（{name}）", fmt_number(shown(value)) + unit))
    elif c.kind == "share":
        assert c.measure is not None
        value = show_measure(c.measure) or Fraction(0)
        ceiling = value * Fraction(c.percent) / 100
        if c.cap is not None:
            ceiling = min(ceiling, Fraction(c.cap))
    else:
        row_total, rows, row_notes = _per_row(ctx, item)
        ceiling = Fraction(row_total)
        reasons.extend(row_notes)
        if not any(r.counted for r in rows):
            eligible = False
            table = guide.table(item.table or "")
            reasons.append(f"没有符合条件的{table.title}（请在表中添加并检查各行）。")

    cost: Fraction | None = None
    if item.cost_measure is not None:
        cost = show_measure(item.cost_measure)
        if cost is None or cost <= 0:
            if eligible:
                eligible = False
                reasons.append(
                    f"请填写{guide.measure(item.cost_measure).label}：支持金额不得超过项目实际开销。"
                )
        elif cost < ceiling:
            ceiling = cost
            if c.kind == "fixed" and eligible:
                reasons.append("支持金额不得超过项目实际开销，上限按实际开销计算。")

    final = _round_down(max(ceiling, Fraction(0))) if eligible else ZERO
    asked = project.requested.get(item.id)
    requested = final if asked is None else min(max(asked, ZERO), final)
    return ItemResult(
        item_id=item.id,
        eligible=eligible,
        reasons=tuple(reasons),
        ceiling_cny=final,
        requested_cny=_round_down(requested),
        basis=tuple(basis),
        rows=tuple(rows),
        cost_cny=None if cost is None else to_decimal(cost),
    )


def _per_row(ctx: _Context, item: ItemSpec) -> tuple[Decimal, list[RowResult], list[str]]:
    guide = ctx.guide
    c = item.ceiling
    assert item.table is not None
    table = guide.table(item.table)
    candidates: list[tuple[Row, Decimal, list[str]]] = []
    for row in ctx.project.rows(item.table):
        why: list[str] = []
        for rule in item.row_conditions:
            assert rule.column is not None
            actual = cell(table.column(rule.column), row.values)
            if not _compare(rule.op, actual, rule.value, guide):
                why.append(_reason(rule, actual))
        if c.row_amount is not None:
            support = Fraction(c.row_amount)
        else:
            assert c.row_share_column is not None
            cost = ctx.row_money(table, c.row_share_column, row, "CNY") or Fraction(0)
            support = cost * Fraction(c.row_share_percent) / 100
            if c.row_cap is not None:
                support = min(support, Fraction(c.row_cap))
        candidates.append((row, _round_down(support), why))

    passing = [(row, amt) for row, amt, why in candidates if not why]
    chosen = {row.id for row, _ in passing}
    notes: list[str] = []
    if c.max_rows is not None and len(passing) > c.max_rows:
        # Best N: the highest support first; ties keep the table order (stable sort).
        best = sorted(passing, key=lambda ra: ra[1], reverse=True)[: c.max_rows]
        chosen = {row.id for row, _ in best}
        notes.append(c.max_rows_reason or f"最多计入 {c.max_rows} 项。")

    results = []
    total = ZERO
    for row, amount, why in candidates:
        label = str(cell(table.column(table.row_label), row.values) or "（未命名）")
        counted = row.id in chosen
        if not why and not counted:
            why = ["超出项目数量上限，未计入。"]
        results.append(
            RowResult(
                row_id=row.id,
                label=label,
                counted=counted,
                reasons=tuple(why),
                amount_cny=amount if counted else ZERO,
            )
        )
        if counted:
            total += amount
    if c.company_cap is not None and total > c.company_cap:
        total = c.company_cap
        notes.append(f"每家企业合计不超过 {fmt_number(c.company_cap)} 元。")
    return total, results, notes
