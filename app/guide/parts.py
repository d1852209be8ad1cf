"""Parsers for the parts of a guide file: fields, rules, ceilings, measures, items."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from app.guide.model import (
    FIELD_TYPES,
    OPS,
    Ceiling,
    CheckTotal,
    DocumentSpec,
    FieldSpec,
    ItemSpec,
    Measure,
    RowsPresent,
    Rule,
    TableSpec,
)
from app.guide.reader import Node, decimal_of, unique
from app.model import Value


def field_spec(node: Node, currencies: set[str]) -> FieldSpec:
    fid = node.text("id")
    ftype = node.text("type")
    if ftype not in FIELD_TYPES:
        raise node.fail("type", f"未知类型 {ftype}，可用：{'、'.join(FIELD_TYPES)}")
    choices: tuple[tuple[str, str], ...] = ()
    raw_choices = node.raw("choices")
    if ftype == "choice":
        if not isinstance(raw_choices, Mapping) or not raw_choices:
            raise node.fail("choices", '选择题字段须列出选项 { 编号 = "名称" }')
        if not all(isinstance(v, str) for v in raw_choices.values()):
            raise node.fail("choices", "选项名称应为字符串")
        choices = tuple((str(k), str(v)) for k, v in raw_choices.items())
    elif raw_choices is not None:
        raise node.fail("choices", "只有 choice 类型的字段可以有选项")
    synonyms = _synonyms(node, choices)
    unit = node.opt_str("unit")
    currency_field = node.opt_str("currency_field")
    if ftype == "money" and (unit is None) == (currency_field is None):
        raise node.fail("type", "金额字段须有 unit 或 currency_field 之一")
    if ftype != "money" and (unit or currency_field):
        raise node.fail("unit", "只有 money 类型的字段可以有币种")
    if unit is not None and unit not in currencies:
        raise node.fail("unit", f"未知币种 {unit}")
    default = _field_default(node, ftype, choices, currencies)
    spec = FieldSpec(
        id=fid,
        label=node.text("label"),
        type=ftype,  # type: ignore[arg-type]
        required=node.flag("required", True),
        default=default,
        unit=unit,
        currency_field=currency_field,
        choices=choices,
        help=node.text("help", required=False),
        synonyms=synonyms,
        aliases=node.str_list("aliases", required=False),
    )
    node.done()
    return spec


def _synonyms(node: Node, choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """``synonyms = { master = ["研究生"] }``: other wordings accepted for a choice."""
    raw = node.raw("synonyms")
    if raw is None:
        return ()
    if not choices:
        raise node.fail("synonyms", "只有 choice 类型的字段可以有同义词")
    if not isinstance(raw, Mapping):
        raise node.fail("synonyms", '应写成 { 编号 = ["其他说法", ...] }')
    keys = dict(choices)
    out: list[tuple[str, str]] = []
    for key, words in raw.items():
        if key not in keys:
            raise node.fail("synonyms", f"{key} 不是本字段的选项")
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise node.fail("synonyms", f"{key} 的同义词应为字符串列表")
        out.extend((str(w), str(key)) for w in words)
    return tuple(out)


def _field_default(
    node: Node, ftype: str, choices: tuple[tuple[str, str], ...], currencies: set[str]
) -> Value | None:
    v = node.raw("default")
    if v is None:
        return None
    if ftype == "bool" and isinstance(v, bool):
        return v
    if ftype == "currency":
        if v not in currencies:
            raise node.fail("default", f"未知币种 {v}")
        return str(v)
    if ftype == "choice":
        if v not in dict(choices):
            raise node.fail("default", f"默认值 {v} 不在选项中")
        return str(v)
    if ftype in ("text", "certification", "business_type") and isinstance(v, str):
        return v
    if ftype == "int" and isinstance(v, int) and not isinstance(v, bool):
        return v
    raise node.fail("default", f"默认值与类型 {ftype} 不符")


def check_currency_fields(node: Node, name: str, fields: tuple[FieldSpec, ...]) -> None:
    by_id = {f.id: f for f in fields}
    unique(node, name, [f.id for f in fields])
    for f in fields:
        if f.currency_field is not None:
            cur = by_id.get(f.currency_field)
            if cur is None or cur.type != "currency":
                raise node.fail(
                    name, f"{f.id} 的 currency_field {f.currency_field} 须为同表的币种字段"
                )


def rule_of(node: Node) -> Rule:
    op = node.text("op")
    if op not in OPS:
        raise node.fail("op", f"未知比较 {op}，可用：{' '.join(OPS)}")
    value = node.raw("value")
    if op in ("in_period", "present"):
        if value is not None:
            raise node.fail("value", f"{op} 不需要 value")
    elif isinstance(value, bool):
        if op != "==":
            raise node.fail("op", "布尔值只能用 == 比较")
    elif isinstance(value, int | float):
        value = decimal_of(node, "value", value)
        if value < 0:
            raise node.fail("value", f"比较的数值不能为负数（此处为 {value}）")
    elif isinstance(value, str) and op == "==":
        pass
    elif value is None:
        raise node.fail("value", "缺少此项")
    else:
        raise node.fail("value", "应为数字、布尔值或字符串")
    rule = Rule(
        op=op,  # type: ignore[arg-type]
        reason=node.text("reason"),
        measure=node.opt_str("measure"),
        field=node.opt_str("field"),
        column=node.opt_str("column"),
        value=value,
    )
    targets = [t for t in (rule.measure, rule.field, rule.column) if t is not None]
    if len(targets) != 1:
        raise node.fail("op", "须且只须指定 measure、field 或 column 之一")
    node.done()
    return rule


def _percent(node: Node, name: str) -> Decimal:
    v = node.decimal(name)
    if v is not None and not 0 < v <= 100:
        node.problem(name, f"百分比应在 0 到 100 之间（如 50 表示 50%），此处为 {v}")
        return Decimal(0)
    return v or Decimal(0)


def ceiling_of(node: Node) -> Ceiling:
    kind = node.text("kind")
    if kind == "fixed":
        c = Ceiling(kind="fixed", amount=node.amount("amount") or Decimal(0))
    elif kind == "tiers":
        raw = node.raw("tiers")
        if not isinstance(raw, list) or not raw:
            raise node.fail("tiers", "应为 [[下限, 金额], ...] 列表")
        tiers: list[tuple[Decimal, Decimal]] = []
        for i, t in enumerate(raw):
            where = f"tiers[第{i + 1}档]"
            if not isinstance(t, list) or len(t) != 2:
                raise node.ctx.error(
                    (*node.parts, "tiers", i), node.key(where), "每档应为 [下限（含）, 金额]"
                )
            low, amount = decimal_of(node, "tiers", t[0]), decimal_of(node, "tiers", t[1])
            if low < 0 or amount < 0:
                raise node.ctx.error(
                    (*node.parts, "tiers", i), node.key(where), "下限和金额都不能为负数"
                )
            tiers.append((low, amount))
        if any(a[0] >= b[0] for a, b in itertools.pairwise(tiers)):
            raise node.fail("tiers", "各档下限须从小到大排列（且不能相同）")
        if any(a[1] > b[1] for a, b in itertools.pairwise(tiers)):
            node.warn("tiers", "下限越高的档，支持金额反而越少：请核对")
        c = Ceiling(kind="tiers", measure=node.text("measure"), tiers=tuple(tiers))
    elif kind == "share":
        c = Ceiling(
            kind="share",
            measure=node.text("measure"),
            percent=_percent(node, "percent"),
            cap=node.amount("cap", required=False),
            per=node.opt_str("per"),
        )
        if c.cap is None and "cap" not in node.data:
            node.warn("kind", "按比例支持但没有上限 cap：请核对指南有无“最高不超过”")
    elif kind == "per_row":
        share = node.node("row_share", required=False)
        row_amount = node.amount("row_amount", required=False)
        if (share is None) == (row_amount is None):
            raise node.fail("kind", "per_row 须有 row_amount 或 row_share 之一")
        column, percent, row_cap = None, Decimal(100), None
        if share is not None:
            column = share.text("column")
            percent = _percent(share, "percent")
            row_cap = share.amount("cap", required=False)
            share.done()
        max_rows = node.integer("max_rows", required=False)
        if max_rows is not None and max_rows < 1:
            node.problem("max_rows", "最多计入的行数应为正整数")
        c = Ceiling(
            kind="per_row",
            row_amount=row_amount,
            row_share_column=column,
            row_share_percent=percent,
            row_cap=row_cap,
            max_rows=max_rows,
            max_rows_reason=node.text("max_rows_reason", required=False),
            company_cap=node.amount("company_cap", required=False),
        )
    else:
        raise node.fail("kind", f"未知的上限类型 {kind}，可用：fixed tiers share per_row")
    node.done()
    return c


def where_of(n: Node, name: str, raw: Any, table: TableSpec) -> tuple[tuple[str, Value], ...]:
    """A ``{ column = value }`` row filter of ``table`` (every pair must match); () if absent."""
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        raise n.fail(name, "应为 { 列 = 值 } 表")
    cols = {c.id: c for c in table.columns}
    for k, v in raw.items():
        if k not in cols:
            raise n.fail(name, f"{k} 不是表 {table.id} 的列")
        if not isinstance(v, str | bool | int):
            raise n.fail(name, f"{k} 的值应为字符串、布尔值或整数")
        col = cols[k]
        if col.type == "choice" and v not in dict(col.choices):
            raise n.fail(name, f"{k} 的值 {v} 不在该列的选项中")
        if (col.type == "bool") != isinstance(v, bool):
            raise n.fail(name, f"{k} 的值与该列的类型 {col.type} 不符")
    return tuple((str(k), v) for k, v in raw.items())


def required_when_of(n: Node, tables: Mapping[str, TableSpec]) -> RowsPresent | None:
    """A document's ``required_when = { table = ..., where = { ... } }``: it is asked for
    only when the project has a row of that table matching ``where``."""
    raw = n.raw("required_when")
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or set(raw) - {"table", "where"}:
        raise n.fail("required_when", "应为 { table = 表编号, where = { 列 = 值 } }")
    table_id = raw.get("table")
    if not isinstance(table_id, str) or table_id not in tables:
        raise n.fail("required_when", f"未知的表 {table_id}")
    where = where_of(n, "required_when", raw.get("where"), tables[table_id])
    return RowsPresent(table=table_id, where=where)


def measure_of(
    mid: str,
    n: Node,
    tables: Mapping[str, TableSpec],
    inputs_by_item: Mapping[str, tuple[FieldSpec, ...]],
    codes: set[str],
) -> Measure:
    kind = n.text("kind")
    unit = n.opt_str("unit")
    if unit is not None and unit not in codes:
        raise n.fail("unit", f"未知币种 {unit}")
    table = n.opt_str("table")
    column = n.opt_str("column")
    item = n.opt_str("item")
    field_id = n.opt_str("field")
    period_column = n.opt_str("period_column")
    where_raw = n.raw("where")
    where: tuple[tuple[str, Value], ...] = ()
    if kind in ("sum", "count"):
        if table is None or table not in tables:
            raise n.fail("table", f"未知的表 {table}")
        spec = tables[table]
        cols = {c.id: c for c in spec.columns}
        if kind == "sum":
            if column not in cols or cols[column].type not in ("money", "int", "decimal"):
                raise n.fail("column", f"{column} 须为表 {table} 的数值列")
            if cols[column].type == "money" and unit is None:
                raise n.fail("unit", "金额求和须指定 unit")
        where = where_of(n, "where", where_raw, spec)
        if period_column is not None and (
            period_column not in cols or cols[period_column].type != "date"
        ):
            raise n.fail("period_column", f"{period_column} 须为表 {table} 的日期列")
    elif kind == "field":
        if item is None or item not in inputs_by_item:
            raise n.fail("item", f"未知的项目 {item}")
        fields = {f.id: f for f in inputs_by_item[item]}
        if field_id not in fields or fields[field_id].type not in ("money", "int", "decimal"):
            raise n.fail("field", f"{field_id} 须为项目 {item} 的数值输入")
        if fields[field_id].type == "money" and unit is None:
            raise n.fail("unit", "金额须指定 unit")
    else:
        raise n.fail("kind", f"未知的计算方式 {kind}，可用：sum count field")
    m = Measure(
        id=mid,
        label=n.text("label"),
        kind=kind,  # type: ignore[arg-type]
        unit=unit,
        table=table,
        column=column,
        where=where,
        period_column=period_column,
        item=item,
        field=field_id,
    )
    n.done()
    return m


_NUMERIC = ("money", "int", "decimal")


def _rules(n: Node, name: str) -> list[tuple[Node, Rule]]:
    """Each rule of ``name`` with its node; a rule in error is reported and left out."""
    out = []
    for c in n.nodes(name, required=False):
        with n.ctx.guard():
            out.append((c, rule_of(c)))
    return out


def _comparable(node: Node, rule: Rule, spec: FieldSpec) -> None:
    """A condition's value must be of its field's kind: a 是/否 field is compared with
    ``== true``/``== false``, a number with a number."""
    if rule.op in ("present", "in_period"):
        return
    if spec.type == "bool" and not isinstance(rule.value, bool):
        raise node.fail(
            "value", f'{spec.label}是“是/否”字段，应写 op = "==", value = true 或 false'
        )
    if spec.type in _NUMERIC and isinstance(rule.value, bool | str):
        raise node.fail("value", f"{spec.label}是数字，应与数字比较（不加引号）")
    if spec.type not in _NUMERIC and spec.type != "bool" and rule.op != "==":
        raise node.fail("op", f"{spec.label}不是数字，只能用 == 比较")


def item_of(
    n: Node,
    inputs_by_item: Mapping[str, tuple[FieldSpec, ...]],
    tables: Mapping[str, TableSpec],
    docs: Mapping[str, DocumentSpec],
    measure_ids: set[str],
) -> ItemSpec:
    iid = n.text("id")
    inputs = inputs_by_item[iid]
    input_ids = {f.id for f in inputs}
    table = n.opt_str("table")
    if table is not None and table not in tables:
        raise n.fail("table", f"未知的表 {table}")
    col_ids = {c.id: c for c in tables[table].columns} if table else {}
    doc_ids = n.str_list("documents")
    unique(n, "documents", list(doc_ids))
    for d in doc_ids:
        if d not in docs:
            raise n.fail("documents", f"未知的材料 {d}")
        if docs[d].per_row and table is None:
            raise n.fail("documents", f"材料 {d} 按行提供，但项目没有表（table）")
    pairs = _rules(n, "conditions")
    conditions = tuple(r for _, r in pairs)
    for c, r in pairs:
        with n.ctx.guard():  # each condition on its own: one mistake hides no other
            if r.measure is not None and r.measure not in measure_ids:
                raise c.fail("measure", f"未知的计算项 {r.measure}")
            if r.field is not None and r.field not in input_ids:
                raise c.fail("field", f"{r.field} 不是本项目的输入")
            if r.column is not None:
                raise c.fail("column", "项目条件不能用 column，请放在 row_conditions")
            if r.op == "in_period":
                raise c.fail("op", "in_period 只能用于 row_conditions")
            if r.field is not None:
                _comparable(c, r, {f.id: f for f in inputs}[r.field])
            elif isinstance(r.value, bool | str):
                raise c.fail("value", "计算项是数字，应与数字比较")
    row_pairs = _rules(n, "row_conditions")
    row_conditions = tuple(r for _, r in row_pairs)
    for c, r in row_pairs:
        with n.ctx.guard():
            if table is None:
                raise c.fail("column", "项目没有表（table），不能有行条件")
            if r.column is None or r.column not in col_ids:
                raise c.fail("column", f"行条件须指定表 {table} 的列 column")
            if r.op == "in_period" and col_ids[r.column].type != "date":
                raise c.fail("op", f"in_period 须用于日期列，{r.column} 不是")
            _comparable(c, r, col_ids[r.column])
    ceiling_node = n.node("ceiling")
    assert ceiling_node is not None
    ceiling = ceiling_of(ceiling_node)
    if ceiling.measure is not None and ceiling.measure not in measure_ids:
        raise n.fail("ceiling.measure", f"未知的计算项 {ceiling.measure}")
    if ceiling.kind == "per_row":
        if table is None:
            raise n.fail("ceiling", "per_row 须用于有表（table）的项目")
        if ceiling.row_share_column is not None and (
            ceiling.row_share_column not in col_ids
            or col_ids[ceiling.row_share_column].type != "money"
        ):
            raise n.fail("ceiling.row_share.column", f"须为表 {table} 的金额列")
    cost_measure = n.opt_str("cost_measure")
    if cost_measure is not None and cost_measure not in measure_ids:
        raise n.fail("cost_measure", f"未知的计算项 {cost_measure}")
    check_total = None
    ct = n.node("check_total", required=False)
    if ct is not None:
        check_total = CheckTotal(
            measure=ct.text("measure"),
            field=ct.opt_str("field"),
            against=ct.opt_str("against"),
            exact=ct.flag("exact"),
        )
        ct.done()
        if check_total.measure not in measure_ids:
            raise n.fail("check_total.measure", f"未知的计算项 {check_total.measure}")
        if (check_total.field is None) == (check_total.against is None):
            raise n.fail("check_total", "须有 field 或 against 之一")
        if check_total.field is not None and check_total.field not in input_ids:
            raise n.fail("check_total.field", f"{check_total.field} 不是本项目的输入")
        if check_total.against is not None and check_total.against not in measure_ids:
            raise n.fail("check_total.against", f"未知的计算项 {check_total.against}")
    n.used.add("inputs")
    item = ItemSpec(
        id=iid,
        number=n.text("number"),
        title=n.text("title"),
        category=n.text("category"),
        summary=n.text("summary"),
        documents=doc_ids,
        inputs=inputs,
        table=table,
        conditions=conditions,
        row_conditions=row_conditions,
        ceiling=ceiling,
        cost_measure=cost_measure,
        check_total=check_total,
        exclusive_with=n.str_list("exclusive_with", required=False),
    )
    n.done()
    return item
