"""Loads a ``checklists/*.toml`` guide file into an immutable :class:`Guide`.

A malformed file is refused with :class:`GuideError` naming the file, the key and the reason:
unknown keys, wrong types, duplicate ids and dangling references all fail at load, never later.
"""

from __future__ import annotations

import datetime as dt
import itertools
import tomllib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from app.errors import GuideError
from app.guide.model import (
    DOCUMENT_KINDS,
    FIELD_TYPES,
    OPS,
    BusinessType,
    Ceiling,
    CheckTotal,
    Condition,
    Currency,
    Deadline,
    DocumentSet,
    DocumentSpec,
    FieldSpec,
    Guide,
    ItemSpec,
    Measure,
    Rule,
    TableSpec,
)
from app.model import Value

FORMAT_VERSION = 1
CHECKLIST_DIR = Path(__file__).resolve().parents[2] / "checklists"

T = TypeVar("T")


class _Node:
    """A TOML table being read: typed getters that know their key path, and a final
    check that no unknown key was left over (a typo must not pass silently)."""

    def __init__(self, source: str, path: str, data: Any) -> None:
        if not isinstance(data, Mapping):
            raise GuideError(source, path or "（文件）", "应为表（table）")
        self.source = source
        self.path = path
        self.data: Mapping[str, Any] = data
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def fail(self, name: str, reason: str) -> GuideError:
        return GuideError(self.source, self.key(name), reason)

    def _get(self, name: str, required: bool) -> Any:
        self.used.add(name)
        if name not in self.data:
            if required:
                raise self.fail(name, "缺少此项")
            return None
        return self.data[name]

    def text(self, name: str, required: bool = True, default: str = "") -> str:
        v = self._get(name, required)
        if v is None:
            return default
        if not isinstance(v, str) or (required and not v.strip()):
            raise self.fail(name, "应为非空字符串")
        return v

    def opt_str(self, name: str) -> str | None:
        v = self._get(name, False)
        if v is None:
            return None
        if not isinstance(v, str) or not v.strip():
            raise self.fail(name, "应为非空字符串")
        return v

    def flag(self, name: str, default: bool = False) -> bool:
        v = self._get(name, False)
        if v is None:
            return default
        if not isinstance(v, bool):
            raise self.fail(name, "应为 true 或 false")
        return v

    def integer(self, name: str, required: bool = True) -> int | None:
        v = self._get(name, required)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int):
            raise self.fail(name, "应为整数")
        return v

    def decimal(self, name: str, required: bool = True) -> Decimal | None:
        v = self._get(name, required)
        if v is None:
            return None
        return _decimal(self, name, v)

    def date(self, name: str) -> dt.date:
        v = self._get(name, True)
        if isinstance(v, dt.datetime) or not isinstance(v, dt.date):
            raise self.fail(name, "应为日期（如 2019-02-18）")
        return v

    def str_list(self, name: str, required: bool = True) -> tuple[str, ...]:
        v = self._get(name, required)
        if v is None:
            return ()
        if not isinstance(v, list) or not all(isinstance(s, str) and s for s in v):
            raise self.fail(name, "应为字符串列表")
        return tuple(v)

    def nodes(self, name: str, required: bool = True) -> list[_Node]:
        v = self._get(name, required)
        if v is None:
            return []
        if not isinstance(v, list):
            raise self.fail(name, "应为表的数组")
        return [_Node(self.source, f"{self.key(name)}[{i}]", e) for i, e in enumerate(v)]

    def node(self, name: str, required: bool = True) -> _Node | None:
        v = self._get(name, required)
        if v is None:
            return None
        return _Node(self.source, self.key(name), v)

    def named_nodes(self, name: str) -> list[tuple[str, _Node]]:
        """A table of tables (``[documents.<id>]``): (id, node) pairs in file order."""
        v = self._get(name, True)
        if not isinstance(v, Mapping) or not v:
            raise self.fail(name, "应为非空的表")
        return [(k, _Node(self.source, f"{self.key(name)}.{k}", e)) for k, e in v.items()]

    def named_nodes_self(self) -> list[tuple[str, _Node]]:
        """This node's own sub-tables, as (id, node) pairs in file order."""
        return [(k, _Node(self.source, self.key(k), e)) for k, e in self.data.items()]

    def raw(self, name: str) -> Any:
        return self._get(name, False)

    def done(self) -> None:
        extra = sorted(set(self.data) - self.used)
        if extra:
            raise self.fail(extra[0], "未知的键（拼写错误？）")


def _decimal(node: _Node, name: str, v: Any) -> Decimal:
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        raise node.fail(name, "应为数字")
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        raise node.fail(name, f"“{v}”不是数字") from None
    if not d.is_finite():
        raise node.fail(name, "应为有限的数字")
    return d


def _unique(node: _Node, name: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise node.fail(name, f"编号 {i} 重复")
        seen.add(i)


def _field(node: _Node, currencies: set[str]) -> FieldSpec:
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
    )
    node.done()
    return spec


def _field_default(
    node: _Node, ftype: str, choices: tuple[tuple[str, str], ...], currencies: set[str]
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


def _check_currency_fields(node: _Node, name: str, fields: tuple[FieldSpec, ...]) -> None:
    by_id = {f.id: f for f in fields}
    _unique(node, name, [f.id for f in fields])
    for f in fields:
        if f.currency_field is not None:
            cur = by_id.get(f.currency_field)
            if cur is None or cur.type != "currency":
                raise node.fail(
                    name, f"{f.id} 的 currency_field {f.currency_field} 须为同表的币种字段"
                )


def _rule(node: _Node, scalar_ok: bool = True) -> Rule:
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
        value = _decimal(node, "value", value)
    elif isinstance(value, str) and op == "==":
        pass
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


def _ceiling(node: _Node) -> Ceiling:
    kind = node.text("kind")
    if kind == "fixed":
        c = Ceiling(kind="fixed", amount=node.decimal("amount") or Decimal(0))
    elif kind == "tiers":
        raw = node.raw("tiers")
        if not isinstance(raw, list) or not raw:
            raise node.fail("tiers", "应为 [[下限, 金额], ...] 列表")
        tiers: list[tuple[Decimal, Decimal]] = []
        for t in raw:
            if not isinstance(t, list) or len(t) != 2:
                raise node.fail("tiers", "每档应为 [下限（含）, 金额]")
            tiers.append((_decimal(node, "tiers", t[0]), _decimal(node, "tiers", t[1])))
        if any(a[0] >= b[0] for a, b in itertools.pairwise(tiers)):
            raise node.fail("tiers", "各档下限须从小到大排列")
        c = Ceiling(kind="tiers", measure=node.text("measure"), tiers=tuple(tiers))
    elif kind == "share":
        c = Ceiling(
            kind="share",
            measure=node.text("measure"),
            percent=node.decimal("percent") or Decimal(0),
            cap=node.decimal("cap", required=False),
        )
    elif kind == "per_row":
        share = node.node("row_share", required=False)
        row_amount = node.decimal("row_amount", required=False)
        if (share is None) == (row_amount is None):
            raise node.fail("kind", "per_row 须有 row_amount 或 row_share 之一")
        column, percent, row_cap = None, Decimal(100), None
        if share is not None:
            column = share.text("column")
            percent = share.decimal("percent") or Decimal(0)
            row_cap = share.decimal("cap", required=False)
            share.done()
        c = Ceiling(
            kind="per_row",
            row_amount=row_amount,
            row_share_column=column,
            row_share_percent=percent,
            row_cap=row_cap,
            max_rows=node.integer("max_rows", required=False),
            max_rows_reason=node.text("max_rows_reason", required=False),
            company_cap=node.decimal("company_cap", required=False),
        )
    else:
        raise node.fail("kind", f"未知的上限类型 {kind}，可用：fixed tiers share per_row")
    node.done()
    return c


def load_guide(path: Path | str) -> Guide:
    """Load and validate one guide file. Raises GuideError naming file, key and reason."""
    path = Path(path)
    source = str(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise GuideError(source, "（文件）", "文件不存在") from None
    except OSError as exc:
        raise GuideError(source, "（文件）", f"无法读取（{exc.strerror}）") from None
    except tomllib.TOMLDecodeError as exc:
        raise GuideError(source, "（文件）", f"TOML 语法错误：{exc}") from None
    except UnicodeDecodeError:
        raise GuideError(source, "（文件）", "不是 UTF-8 编码，请以 UTF-8 编码另存后重试") from None
    return parse_guide(data, source)


def parse_guide(data: Mapping[str, Any], source: str) -> Guide:
    root = _Node(source, "", data)
    fmt = root.integer("format")
    if fmt != FORMAT_VERSION:
        raise root.fail(
            "format", f"本程序只支持格式 {FORMAT_VERSION}，此文件为 {fmt}，请升级本程序"
        )

    currencies = []
    for n in root.nodes("currencies"):
        code = n.text("code")
        rate = n.decimal("usd_per_unit") or Decimal(0)
        if rate <= 0:
            raise n.fail("usd_per_unit", "汇率须大于 0")
        currencies.append(Currency(code=code, name=n.text("name"), usd_per_unit=rate))
        n.done()
    _unique(root, "currencies", [c.code for c in currencies])
    codes = {c.code for c in currencies}
    for needed in ("USD", "CNY"):
        if needed not in codes:
            raise root.fail("currencies", f"须包含 {needed}")

    business_types = []
    for n in root.nodes("business_types"):
        cat = n.text("category")
        if cat not in ("ITO", "BPO", "KPO"):
            raise n.fail("category", "应为 ITO、BPO 或 KPO")
        business_types.append(BusinessType(id=n.text("id"), name=n.text("name"), category=cat))  # type: ignore[arg-type]
        n.done()
    _unique(root, "business_types", [b.id for b in business_types])

    tables = []
    for tid, n in root.named_nodes("tables"):
        cols = tuple(_field(c, codes) for c in n.nodes("columns"))
        if not cols:
            raise n.fail("columns", "表至少要有一列")
        _check_currency_fields(n, "columns", cols)
        row_label = n.text("row_label")
        if row_label not in {c.id for c in cols}:
            raise n.fail("row_label", f"{row_label} 不是本表的列")
        tables.append(
            TableSpec(
                id=tid,
                title=n.text("title"),
                sheet=n.text("sheet"),
                row_label=row_label,
                columns=cols,
            )
        )
        n.done()
    table_by_id = {t.id: t for t in tables}

    documents = []
    for did, n in root.named_nodes("documents"):
        kind = n.text("kind")
        if kind not in DOCUMENT_KINDS:
            raise n.fail("kind", f"未知的材料类型 {kind}，可用：{'、'.join(DOCUMENT_KINDS)}")
        doc = DocumentSpec(
            id=did,
            title=n.text("title"),
            kind=kind,  # type: ignore[arg-type]
            per_row=n.flag("per_row"),
            original=n.flag("original"),
            copy_of_original=n.flag("copy_of_original"),
            optional=n.flag("optional"),
            generator=n.opt_str("generator"),
            set=n.opt_str("set"),
            headings=n.str_list("headings", required=False),
            signatures=n.str_list("signatures", required=False),
            note=n.text("note", required=False),
        )
        if kind == "generated":
            gen = doc.generator
            if gen is None:
                raise n.fail("generator", "生成的材料须指明 generator")
            if gen.startswith("table:") and gen[6:] not in table_by_id:
                raise n.fail("generator", f"未知的表 {gen[6:]}")
            if gen != "application_form" and not gen.startswith("table:"):
                raise n.fail("generator", "应为 application_form 或 table:<表编号>")
        elif doc.generator is not None:
            raise n.fail("generator", "只有 generated 类型的材料可以有 generator")
        if kind == "proof_set" and doc.set is None:
            raise n.fail("set", "proof_set 类型的材料须指明 set")
        if kind == "narrative" and not doc.headings:
            raise n.fail("headings", "说明类材料须列出模板标题")
        documents.append(doc)
        n.done()
    doc_by_id = {d.id: d for d in documents}

    document_sets = []
    sets_node = root.node("document_sets", required=False)
    if sets_node is not None:
        for sid, n in sets_node.named_nodes_self():
            members = n.str_list("documents")
            for m in members:
                if m not in doc_by_id:
                    raise n.fail("documents", f"未知的材料 {m}")
            document_sets.append(DocumentSet(id=sid, title=n.text("title"), documents=members))
            n.done()
        sets_node.used.update(sets_node.data.keys())
        sets_node.done()
    set_ids = {s.id for s in document_sets}
    for d in documents:
        if d.set is not None and d.set not in set_ids:
            raise GuideError(source, f"documents.{d.id}.set", f"未知的材料组 {d.set}")

    base_documents = root.str_list("base_documents")
    for b in base_documents:
        if b not in doc_by_id:
            raise root.fail("base_documents", f"未知的材料 {b}")
        if doc_by_id[b].per_row:
            raise root.fail("base_documents", f"基本材料 {b} 不能按行提供")

    # Items first as raw nodes: measures refer to item inputs.
    item_nodes = root.nodes("items")
    if not item_nodes:
        raise root.fail("items", "至少要有一个申报项目")
    inputs_by_item: dict[str, tuple[FieldSpec, ...]] = {}
    for n in item_nodes:
        iid = n.text("id")
        fields = tuple(_field(f, codes) for f in n.nodes("inputs", required=False))
        _check_currency_fields(n, "inputs", fields)
        inputs_by_item[iid] = fields
    _unique(root, "items", [n.text("id") for n in item_nodes])

    measures = []
    for mid, n in root.named_nodes("measures"):
        measures.append(_measure(mid, n, table_by_id, inputs_by_item, codes))
    measure_ids = {m.id for m in measures}

    items = []
    for n in item_nodes:
        items.append(_item(n, inputs_by_item, table_by_id, doc_by_id, measure_ids))
    item_ids = {i.id for i in items}
    for it in items:
        for other in it.exclusive_with:
            if other not in item_ids or other == it.id:
                raise GuideError(source, f"items.{it.id}.exclusive_with", f"未知的项目 {other}")

    conditions = []
    for n in root.nodes("conditions"):
        cond = Condition(id=n.text("id"), text=n.text("text"), document=n.opt_str("document"))
        if cond.document is not None and cond.document not in doc_by_id:
            raise n.fail("document", f"未知的材料 {cond.document}")
        conditions.append(cond)
        n.done()
    _unique(root, "conditions", [c.id for c in conditions])

    deadlines = []
    for n in root.nodes("deadlines"):
        deadlines.append(
            Deadline(
                id=n.text("id"),
                date=n.date("date"),
                title=n.text("title"),
                detail=n.text("detail", required=False),
            )
        )
        n.done()
    _unique(root, "deadlines", [d.id for d in deadlines])

    period_start, period_end = root.date("period_start"), root.date("period_end")
    if period_end < period_start:
        raise root.fail("period_end", "支持期间的结束日期早于开始日期")
    guide = Guide(
        id=root.text("id"),
        year=root.integer("year") or 0,
        title=root.text("title"),
        short_title=root.text("short_title"),
        document_no=root.text("document_no", required=False),
        issuer=root.text("issuer"),
        form_title=root.text("form_title"),
        packet_title=root.text("packet_title"),
        period_start=period_start,
        period_end=period_end,
        districts=root.str_list("districts"),
        deadlines=tuple(deadlines),
        conditions=tuple(conditions),
        currencies=tuple(currencies),
        business_types=tuple(business_types),
        certifications=root.str_list("certifications", required=False),
        tables=tuple(tables),
        measures=tuple(measures),
        documents=tuple(documents),
        document_sets=tuple(document_sets),
        base_documents=base_documents,
        items=tuple(items),
        declaration=root.text("declaration", required=False),
        notes=root.str_list("notes", required=False),
        source=source,
    )
    root.done()
    return guide


def _measure(
    mid: str,
    n: _Node,
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
        if where_raw is not None:
            if not isinstance(where_raw, Mapping):
                raise n.fail("where", "应为 { 列 = 值 } 表")
            for k, v in where_raw.items():
                if k not in cols:
                    raise n.fail("where", f"{k} 不是表 {table} 的列")
                if not isinstance(v, str | bool | int):
                    raise n.fail("where", f"{k} 的值应为字符串、布尔值或整数")
                col = cols[k]
                if col.type == "choice" and v not in dict(col.choices):
                    raise n.fail("where", f"{k} 的值 {v} 不在该列的选项中")
                if (col.type == "bool") != isinstance(v, bool):
                    raise n.fail("where", f"{k} 的值与该列的类型 {col.type} 不符")
            where = tuple((str(k), v) for k, v in where_raw.items())
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


def _item(
    n: _Node,
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
    _unique(n, "documents", list(doc_ids))
    for d in doc_ids:
        if d not in docs:
            raise n.fail("documents", f"未知的材料 {d}")
        if docs[d].per_row and table is None:
            raise n.fail("documents", f"材料 {d} 按行提供，但项目没有表（table）")
    conditions = tuple(_rule(c) for c in n.nodes("conditions", required=False))
    for i, r in enumerate(conditions):
        where = f"conditions[{i}]"
        if r.measure is not None and r.measure not in measure_ids:
            raise n.fail(where, f"未知的计算项 {r.measure}")
        if r.field is not None and r.field not in input_ids:
            raise n.fail(where, f"{r.field} 不是本项目的输入")
        if r.column is not None:
            raise n.fail(where, "项目条件不能用 column，请放在 row_conditions")
        if r.op == "in_period":
            raise n.fail(where, "in_period 只能用于 row_conditions")
    row_conditions = tuple(_rule(c) for c in n.nodes("row_conditions", required=False))
    for i, r in enumerate(row_conditions):
        where = f"row_conditions[{i}]"
        if table is None:
            raise n.fail(where, "项目没有表（table），不能有行条件")
        if r.column is None or r.column not in col_ids:
            raise n.fail(where, f"行条件须指定表 {table} 的列 column")
        if r.op == "in_period" and col_ids[r.column].type != "date":
            raise n.fail(where, f"in_period 须用于日期列，{r.column} 不是")
    ceiling_node = n.node("ceiling")
    assert ceiling_node is not None
    ceiling = _ceiling(ceiling_node)
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


def available_guides(directory: Path = CHECKLIST_DIR) -> list[Path]:
    """The guide files shipped with the program, newest year first."""
    return sorted(directory.glob("*.toml"), reverse=True)


_cache: dict[str, Guide] = {}


def guide_by_id(guide_id: str, directory: Path = CHECKLIST_DIR) -> Guide:
    """The shipped guide with this id (cached). Raises GuideError when none has it."""
    if guide_id in _cache:
        return _cache[guide_id]
    for path in available_guides(directory):
        guide = load_guide(path)
        _cache[guide.id] = guide
        if guide.id == guide_id:
            return guide
    raise GuideError(str(directory), "id", f"找不到编号为 {guide_id} 的申报指南文件，请升级本程序")
