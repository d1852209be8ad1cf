"""Suspicious values of a guide that loads: warnings for its author (``guide check``), never a
refusal. Most come from copying last year's file: dates and titles of another year, an item
without documents, a document or measure nothing uses."""

from __future__ import annotations

import re
from decimal import Decimal

from app.guide.model import Guide
from app.guide.reader import Node


def suspicious_values(guide: Guide, root: Node) -> None:
    """Record a warning in ``root.ctx`` for each suspicious value of ``guide``."""
    ctx = root.ctx
    year = guide.year
    if year:
        for n, d in enumerate(guide.deadlines):
            if d.date.year not in (year, year + 1):
                ctx.warn(
                    ("deadlines", n, "date"),
                    f"deadlines[第{n + 1}个：{d.id}].date",
                    f"日期 {d.date.isoformat()} 不在指南年度 {year} 年（或次年）内：请核对",
                )
        for key in ("period_start", "period_end"):
            day = getattr(guide, key)
            if day.year not in (year - 1, year):
                root.warn(
                    key, f"支持期间的日期 {day.isoformat()} 不在 {year - 1}–{year} 年内：请核对"
                )
        for key in ("title", "short_title", "form_title", "packet_title"):
            text = getattr(guide, key)
            years = {int(y) for y in re.findall(r"(20\d\d)年", text)}
            if years and year not in years:
                root.warn(
                    key,
                    f"标题中的年份（{'、'.join(map(str, sorted(years)))}）与 year = {year} 不一致",
                )
    used_docs = set(guide.base_documents)
    for s in guide.document_sets:
        used_docs.update(s.documents)
    if guide.process is not None:
        used_docs.update(d for d in (guide.process.stamped_form,) if d)
    used_measures: set[str] = set()
    for n, it in enumerate(guide.items):
        where = ("items", n)
        label = f"items[第{n + 1}个：{it.id}]"
        used_docs.update(it.documents)
        if not it.documents:
            ctx.warn((*where, "documents"), f"{label}.documents", "这个项目没有列出任何申报材料")
        for r in (*it.conditions, *it.row_conditions):
            if r.measure:
                used_measures.add(r.measure)
            if r.op == ">=" and isinstance(r.value, Decimal) and r.value <= 0:
                ctx.warn((*where, "conditions"), f"{label}.conditions", "条件“>= 0”总是成立")
        for m in (it.ceiling.measure, it.cost_measure):
            if m:
                used_measures.add(m)
        if it.check_total is not None:
            used_measures.update(x for x in (it.check_total.measure, it.check_total.against) if x)
        if it.ceiling.kind == "fixed" and it.ceiling.amount <= 0:
            ctx.warn((*where, "ceiling"), f"{label}.ceiling", "定额为 0 元：请核对")
    for doc in guide.documents:
        if doc.id not in used_docs:
            ctx.warn(("documents", doc.id), f"documents.{doc.id}", "没有任何项目使用这份材料")
