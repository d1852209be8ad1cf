"""The draft as a guide file (TOML, the format of docs/guide-format.md), every recognised value
marked 【待核对】 with the sentence it came from as a comment, every value the text does not give
written 【待填写】, and what could not be placed listed at the end."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from app.guide.draft.amounts import fmt_value
from app.guide.draft.model import CHECK, TODO, DDoc, DField, DItem, Draft, DRule, Src

WRAP = 60
INTEGER_KEYS = {"max_rows"}


def value(v: Any, key: str = "") -> str:
    """One TOML value; inline tables on one line (TOML 1.0)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Decimal):
        if key in INTEGER_KEYS:
            return str(int(v))
        return fmt_value(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, dict):
        inner = ", ".join(f"{k} = {value(x, k)}" for k, x in v.items())
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(type(v))


def source_comment(src: Src | None, what: str = "") -> list[str]:
    """# 【待核对】第 N 行：“…” wrapped, so a reader sees where each value came from."""
    if src is None:
        return []
    head = f"# {CHECK}{what}第 {src.line} 行："
    body = textwrap.wrap(f"“{src.text}”", WRAP) or [""]
    return [head + body[0]] + [f"#     {b}" for b in body[1:]]


def _comment(text: str) -> list[str]:
    return [f"# {line}" for line in textwrap.wrap(text, WRAP)]


def render(draft: Draft, source_name: str) -> str:
    out: list[str] = []
    add = out.append
    missing = draft.missing()
    add(f"# 申报指南文件草稿：由 {source_name} 自动生成（guide draft）。")
    add("#")
    add(f"# 标有{CHECK}的值是从原文中读出的，请逐项对照原文（注释中给出行号和原句）核对；")
    add(f"# 标有{TODO}的值原文中没有，须填写后本程序才能读取此文件。")
    add("# 条件（conditions）、输入项（inputs）、表（tables）和计算项（measures）是按原文推断的")
    add("# 最简写法，可按 docs/guide-format.md 改写得更贴切。申报流程（[process]）未生成。")
    if missing:
        add("#")
        add(f"# 须填写（共 {len(missing)} 处）：")
        out += [f"#   - {m}" for m in missing]
    if draft.unplaced:
        add(f"# 未能归位的原文共 {len(draft.unplaced)} 处，列在文件末尾。")
    add("")
    for m in draft.meta:
        out += source_comment(m.src) if m.found and m.src else []
        if m.remark:
            add(f"# {TODO if not m.found else CHECK}{m.remark}")
        if isinstance(m.value, list) and len(value(m.value)) > 90:
            out += _array(m.key, (value(v) for v in m.value))
        else:
            add(f"{m.key} = {value(m.value)}")
    if not draft.deadlines:
        add("deadlines = []  # 原文中没有找到截止日期")
    if not draft.conditions:
        add("conditions = []  # 原文中没有找到申请条件")
    add("")
    for d in draft.deadlines:
        out += source_comment(d.src)
        add("[[deadlines]]")
        add(f"id = {value(d.id)}")
        add(f"date = {value(d.date)}")
        add(f"title = {value(d.title)}")
        add(f"detail = {value(d.detail)}")
        add("")
    for n, (text, src) in enumerate(draft.conditions, start=1):
        out += source_comment(src)
        add("[[conditions]]")
        add(f'id = "condition_{n}"')
        add(f"text = {value(text)}")
        add("")
    _currencies(draft, add)
    for t in draft.tables:
        add(f"# {CHECK}按原文推断的表（每行一条记录），列可增删、可改名。")
        add(f"[tables.{t.id}]")
        add(f"title = {value(t.title)}")
        add(f"sheet = {value(t.sheet)}")
        add(f"row_label = {value(t.row_label)}")
        add("columns = [")
        out += [f"  {_field(c)}," for c in t.columns]
        add("]")
        add("")
    for me in draft.measures:
        add(f"[measures.{me.id}]")
        add(f"label = {value(me.label)}")
        out += [f"{k} = {value(v)}" for k, v in me.values.items()]
        add("")
    for doc in draft.documents:
        out += _document(doc)
    for ds in draft.document_sets:
        add(f"[document_sets.{ds.id}]")
        add(f"title = {value(ds.title)}")
        add(f"documents = {value(ds.documents)}")
        add("")
    for item in draft.items:
        out += _item(item)
    if draft.unplaced:
        add("# ---------------------------------------------------------------------------------")
        add(f"# 未能归位的原文（{len(draft.unplaced)} 处）：请对照原文决定放在哪里。")
        for u in draft.unplaced:
            out += _comment(f"第 {u.line} 行（{u.why}）：“{u.text}”")
    return "\n".join(out).rstrip() + "\n"


def _currencies(draft: Draft, add: Any) -> None:
    add("# 币种和对美元的折算率（原文所指的折算率表）；须含美元和人民币，可添加其他币种。")
    add("[[currencies]]")
    add('code = "USD"')
    add('name = "美元"')
    add('per_usd = "1"')
    add("")
    rate = draft.rate
    if rate is not None and rate.found:
        for line in source_comment(rate.src):
            add(line)
    elif rate is not None:
        add(f"# {TODO}{rate.remark}")
    add("[[currencies]]")
    add('code = "CNY"')
    add('name = "人民币"')
    add(f"per_usd = {value(str(rate.value) if rate is not None else TODO)}")
    add("")


def _field(f: DField) -> str:
    parts: dict[str, Any] = {"id": f.id, "label": f.label, "type": f.type}
    if f.unit:
        parts["unit"] = f.unit
    if not f.required:
        parts["required"] = False
    if f.help:
        parts["help"] = f.help
    return value(parts)


def _document(doc: DDoc) -> list[str]:
    out = source_comment(doc.src)
    if doc.remark:
        out += _comment(f"{CHECK}{doc.remark}")
    out.append(f"[documents.{doc.id}]")
    out.append(f"title = {value(doc.title)}")
    out.append(f"kind = {value(doc.kind)}")
    if doc.generator:
        out.append(f"generator = {value(doc.generator)}")
    if doc.set:
        out.append(f"set = {value(doc.set)}")
    for key in ("original", "copy_of_original", "optional"):
        if getattr(doc, key):
            out.append(f"{key} = true")
    if doc.headings:
        out.append(f"headings = {value(doc.headings)}")
    if doc.note:
        out.append(f"note = {value(doc.note)}")
    out.append("")
    return out


def _rule(r: DRule) -> str:
    parts: dict[str, Any] = {r.key: r.target, "op": r.op}
    if r.value is not None:
        parts["value"] = r.value
    parts["reason"] = r.reason
    return value(parts)


def _item(item: DItem) -> list[str]:
    out = ["# " + "-" * 90]
    for src in item.src:
        out += source_comment(src, "原文")
    out += [line for r in item.remarks for line in _comment(f"{CHECK}{r}")]
    out.append("[[items]]")
    out.append(f"id = {value(item.id)}")
    out.append(f"number = {value(item.number)}")
    out.append(f"title = {value(item.title)}")
    out.append(f"category = {value(item.category)}")
    out.append(f"summary = {value(item.summary)}")
    if item.table:
        out.append(f"table = {value(item.table)}")
    out.append(f"documents = {value(item.documents)}")
    if item.exclusive_with:
        out.append(f"exclusive_with = {value(item.exclusive_with)}")
    out += _array("inputs", (_field(f) for f in item.inputs))
    rules = list(item.conditions)
    out += _array("conditions", (_rule(r) for r in rules))
    if item.row_conditions:
        out += _array("row_conditions", (_rule(r) for r in item.row_conditions))
    if item.ceiling is None:
        out.append(f"# {TODO}原文中未找到本项的支持金额。")
        out.append(f'ceiling = {{ kind = "fixed", amount = "{TODO}" }}')
    else:
        out += source_comment(item.ceiling_src, "支持金额，")
        out.append(f"ceiling = {value(item.ceiling)}")
    out.append("")
    return out


def _array(key: str, rows: Iterable[str]) -> list[str]:
    items = list(rows)
    if not items:
        return [f"{key} = []"]
    return [f"{key} = ["] + [f"  {r}," for r in items] + ["]"]
