"""Eligibility, support ceilings and requested amounts, from a project's figures and rows.

Pure functions of (guide, project). Every bound is the guide file's: inclusive (>=, （含）) or
strict (>, 超过) as written there. Money is Decimal throughout; other currencies are converted
through USD with the guide's year-end rates, overridden by the project's edited rates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from app.guide.model import FieldSpec, Guide, ItemSpec, Measure, Rule, TableSpec
from app.model import ProjectData, Row, Value

CENT = Decimal("0.01")
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
    """USD per unit of each currency: the guide's, with the project's overrides."""

    def __init__(self, guide: Guide, overrides: Mapping[str, Decimal] | None = None) -> None:
        self._rates = {c.code: c.usd_per_unit for c in guide.currencies}
        for code, rate in (overrides or {}).items():
            if rate > 0:
                self._rates[code] = rate

    def usd_per_unit(self, code: str) -> Decimal:
        try:
            return self._rates[code]
        except KeyError:
            raise KeyError(code) from None

    def convert(self, amount: Decimal, from_code: str, to_code: str) -> Decimal:
        if from_code == to_code:
            return amount
        return amount * self.usd_per_unit(from_code) / self.usd_per_unit(to_code)

    def known(self, code: str) -> bool:
        return code in self._rates


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
    spec: FieldSpec, values: Mapping[str, Value], fields: Mapping[str, FieldSpec]
) -> tuple[Decimal, str] | None:
    """(amount, currency) of a money field, or None when the amount is missing."""
    v = cell(spec, values)
    if v is None or isinstance(v, bool) or not isinstance(v, Decimal | int):
        return None
    if spec.unit is not None:
        code = spec.unit
    else:
        assert spec.currency_field is not None
        cur = cell(fields[spec.currency_field], values)
        code = str(cur) if cur else "USD"
    return Decimal(v), code


def in_period(guide: Guide, value: Value | None) -> bool:
    return isinstance(value, dt.date) and guide.period_start <= value <= guide.period_end


class _Context:
    def __init__(self, guide: Guide, project: ProjectData) -> None:
        self.guide = guide
        self.project = project
        self.rates = Rates(guide, project.rates)
        self._measures: dict[str, Decimal | None] = {}

    def table(self, table_id: str) -> TableSpec:
        return self.guide.table(table_id)

    def row_money(self, table: TableSpec, column: str, row: Row, unit: str) -> Decimal | None:
        fields = {c.id: c for c in table.columns}
        got = money_of(fields[column], row.values, fields)
        if got is None:
            return None
        amount, code = got
        if not self.rates.known(code):
            return None
        return self.rates.convert(amount, code, unit)

    def matches(self, m: Measure, table: TableSpec, row: Row) -> bool:
        for col_id, wanted in m.where:
            if cell(table.column(col_id), row.values) != wanted:
                return False
        if m.period_column is not None:
            return in_period(self.guide, row.values.get(m.period_column))
        return True

    def measure(self, measure_id: str) -> Decimal | None:
        """The measure's value; None when it rests on a missing input."""
        if measure_id not in self._measures:
            self._measures[measure_id] = self._compute(self.guide.measure(measure_id))
        return self._measures[measure_id]

    def _compute(self, m: Measure) -> Decimal | None:
        if m.kind == "field":
            assert m.item is not None and m.field is not None
            item = self.guide.item(m.item)
            spec = item.input(m.field)
            values = self.project.item_inputs(m.item)
            if spec.type == "money":
                got = money_of(spec, values, {f.id: f for f in item.inputs})
                if got is None or not self.rates.known(got[1]):
                    return None
                assert m.unit is not None
                return self.rates.convert(got[0], got[1], m.unit)
            v = cell(spec, values)
            if v is None or isinstance(v, bool) or not isinstance(v, int | Decimal):
                return None
            return Decimal(v)
        assert m.table is not None
        table = self.table(m.table)
        rows = [r for r in self.project.rows(m.table) if self.matches(m, table, r)]
        if m.kind == "count":
            return Decimal(len(rows))
        total = ZERO
        assert m.column is not None
        col = table.column(m.column)
        for r in rows:
            if col.type == "money":
                assert m.unit is not None
                v = self.row_money(table, m.column, r, m.unit)
            else:
                raw = cell(col, r.values)
                v = (
                    Decimal(raw)
                    if isinstance(raw, int | Decimal) and not isinstance(raw, bool)
                    else None
                )
            if v is not None:
                total += v
        return total


def _compare(op: str, actual: Value | Decimal | None, bound: Value | None, guide: Guide) -> bool:
    if op == "present":
        return actual is not None and actual != ""
    if op == "in_period":
        return in_period(guide, actual)
    if actual is None:
        return False
    if op == "==":
        if isinstance(bound, bool):
            return actual is True if bound else actual is False
        return actual == bound
    if isinstance(actual, bool) or not isinstance(actual, int | Decimal):
        return False
    a, b = Decimal(actual), Decimal(str(bound))
    return {">=": a >= b, ">": a > b, "<=": a <= b, "<": a < b}[op]


def _describe(value: Value | Decimal | None) -> str:
    if value is None or value == "":
        return "（未填写）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal | int):
        return fmt_number(Decimal(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _reason(rule: Rule, actual: Value | Decimal | None) -> str:
    bound = rule.value
    return rule.reason.replace("{actual}", _describe(actual)).replace(
        "{bound}", _describe(bound if not isinstance(bound, bool) else None)
    )


def _round_down(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_DOWN)


def evaluate(guide: Guide, project: ProjectData) -> Evaluation:
    ctx = _Context(guide, project)
    items = {it.id: _evaluate_item(ctx, it) for it in guide.items}
    selected = tuple(i for i in guide.item_ids if i in project.selected)
    measures = {m.id: ctx.measure(m.id) for m in guide.measures}
    return Evaluation(
        items=items,
        selected=selected,
        measures={k: v for k, v in measures.items() if v is not None},
    )


def _evaluate_item(ctx: _Context, item: ItemSpec) -> ItemResult:
    guide, project = ctx.guide, ctx.project
    inputs = project.item_inputs(item.id)
    reasons: list[str] = []
    basis: list[tuple[str, str]] = []
    shown: set[str] = set()

    def show_measure(mid: str) -> Decimal | None:
        value = ctx.measure(mid)
        if mid not in shown:
            shown.add(mid)
            m = guide.measure(mid)
            unit = {"USD": " 美元", "CNY": " 元"}.get(m.unit or "", "")
            basis.append((m.label, "（未填写）" if value is None else fmt_number(value) + unit))
        return value

    eligible = True
    for rule in item.conditions:
        if rule.measure is not None:
            actual: Value | Decimal | None = show_measure(rule.measure)
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
    ceiling = ZERO
    if c.kind == "fixed":
        ceiling = c.amount
    elif c.kind == "tiers":
        assert c.measure is not None
        value = show_measure(c.measure) or ZERO
        for lower, amount in c.tiers:
            if value >= lower:
                ceiling = amount
    elif c.kind == "share":
        assert c.measure is not None
        value = show_measure(c.measure) or ZERO
        ceiling = value * c.percent / 100
        if c.cap is not None:
            ceiling = min(ceiling, c.cap)
    else:
        ceiling, rows, row_notes = _per_row(ctx, item)
        reasons.extend(row_notes)
        if not any(r.counted for r in rows):
            eligible = False
            table = guide.table(item.table or "")
            reasons.append(f"没有符合条件的{table.title}（请在表中添加并检查各行）。")

    cost: Decimal | None = None
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

    ceiling = _round_down(max(ceiling, ZERO)) if eligible else ZERO
    asked = project.requested.get(item.id)
    requested = ceiling if asked is None else min(max(asked, ZERO), ceiling)
    return ItemResult(
        item_id=item.id,
        eligible=eligible,
        reasons=tuple(reasons),
        ceiling_cny=ceiling,
        requested_cny=_round_down(requested),
        basis=tuple(basis),
        rows=tuple(rows),
        cost_cny=cost,
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
            amount = c.row_amount
        else:
            assert c.row_share_column is not None
            cost = ctx.row_money(table, c.row_share_column, row, "CNY") or ZERO
            amount = cost * c.row_share_percent / 100
            if c.row_cap is not None:
                amount = min(amount, c.row_cap)
        candidates.append((row, _round_down(amount), why))

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
