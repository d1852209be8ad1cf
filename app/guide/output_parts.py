"""Parsers for the optional keys that say how a guide's outputs differ from another guide's:
table totals, period marks and row checks, the currency anchor, the 申请表's sections, the
cover's boxes, the business-type catalogue, the Word templates' prompts and facts
(see docs/guide-format.md). Every key is optional; absent, the output says nothing of it."""

from __future__ import annotations

from collections.abc import Mapping

from app.guide.model import (
    FACT_KINDS,
    ROW_CHECK_OPS,
    BusinessCatalogue,
    Conversion,
    FieldSpec,
    FormSections,
    RowCheck,
    TableTotal,
    TemplateFact,
    TemplateHeading,
)
from app.guide.parts import field_spec
from app.guide.reader import Node


def table_outputs(
    n: Node, cols: tuple[FieldSpec, ...]
) -> tuple[tuple[TableTotal, ...], str, tuple[RowCheck, ...]]:
    """A table's ``totals``, ``period_mark`` and ``checks`` (measures are checked later)."""
    by_id = {c.id: c for c in cols}
    totals: list[TableTotal] = []
    for t in n.nodes("totals", required=False):
        totals.append(TableTotal(measure=t.text("measure"), label=t.text("label")))
        t.done()
    checks: list[RowCheck] = []
    for c in n.nodes("checks", required=False):
        op = c.text("op")
        if op not in ROW_CHECK_OPS:
            raise c.fail("op", f"未知比较 {op}，可用：{' '.join(ROW_CHECK_OPS)}")
        check = RowCheck(
            column=c.text("column"),
            op=op,  # type: ignore[arg-type]
            other=c.text("other"),
            message=c.text("message"),
        )
        for key in ("column", "other"):
            col_id = getattr(check, key)
            if col_id not in by_id or by_id[col_id].type not in ("money", "int", "decimal", "date"):
                raise c.fail(key, f"{col_id} 须为本表的数值或日期列")
        checks.append(check)
        c.done()
    return tuple(totals), n.text("period_mark", required=False), tuple(checks)


COMPANY_FIELD_TYPES = ("text", "choice")


def company_fields_of(root: Node, basic: set[str], currencies: set[str]) -> tuple[FieldSpec, ...]:
    """``company_fields = [field, ...]``: company data the guide asks beyond the basics."""
    fields: list[FieldSpec] = []
    for n in root.nodes("company_fields", required=False):
        spec = field_spec(n, currencies)
        if spec.type not in COMPANY_FIELD_TYPES:
            raise n.fail("type", "企业信息字段只能是 text 或 choice")
        if spec.id in basic or spec.id in {f.id for f in fields}:
            raise n.fail("id", f"编号 {spec.id} 重复")
        fields.append(spec)
    return tuple(fields)


def conversion_of(root: Node, codes: set[str]) -> Conversion | None:
    n = root.node("conversion", required=False)
    if n is None:
        return None
    anchor = n.text("anchor")
    if anchor not in codes:
        raise n.fail("anchor", f"未知币种 {anchor}")
    conv = Conversion(
        anchor=anchor,
        rate_source=n.text("rate_source", required=False),
        note=n.text("note", required=False),
    )
    n.done()
    return conv


def form_of(root: Node) -> FormSections:
    n = root.node("form", required=False)
    if n is None:
        return FormSections()
    form = FormSections(
        declaration_title=n.text("declaration_title", required=False)
        or FormSections.declaration_title,
        opinion_title=n.text("opinion_title", required=False),
        opinion_label=n.text("opinion_label", required=False),
        opinion_seal=n.text("opinion_seal", required=False),
    )
    if not form.opinion_title and (form.opinion_label or form.opinion_seal):
        raise n.fail("opinion_title", "有 opinion_label 或 opinion_seal 时须给出 opinion_title")
    n.done()
    return form


def catalogue_of(root: Node) -> BusinessCatalogue:
    n = root.node("business_catalogue", required=False)
    if n is None:
        return BusinessCatalogue()
    cat = BusinessCatalogue(
        name=n.text("name", required=False),
        categories=n.str_list("categories", required=False),
    )
    n.done()
    return cat


def check_category(n: Node, category: str, catalogue: BusinessCatalogue) -> None:
    """A business type's category: one of the catalogue's when it lists them, else free."""
    if catalogue.categories and category not in catalogue.categories:
        raise n.fail("category", f"应为 {'、'.join(catalogue.categories)} 之一")


def template_headings(root: Node, name: str, facts: bool) -> tuple[TemplateHeading, ...]:
    """``[[template_prompts]]`` (match, text) or ``[[template_facts]]`` (match, facts)."""
    out: list[TemplateHeading] = []
    for n in root.nodes(name, required=False):
        match = n.text("match")
        if facts:
            parts: list[TemplateFact] = []
            for f in n.nodes("facts"):
                parts.append(_fact_of(f))
            out.append(TemplateHeading(match=match, facts=tuple(parts)))
        else:
            out.append(TemplateHeading(match=match, prompt=n.text("text")))
        n.done()
    return tuple(out)


def _fact_of(f: Node) -> TemplateFact:
    kind = f.text("kind")
    if kind not in FACT_KINDS:
        raise f.fail("kind", f"未知的内容 {kind}，可用：{'、'.join(FACT_KINDS)}")
    fact = TemplateFact(
        kind=kind,
        fields=f.str_list("fields", required=False),
        measure=f.opt_str("measure"),
        label=f.text("label", required=False),
        unit=f.text("unit", required=False),
        by=f.opt_str("by"),
    )
    if kind in ("inputs", "row_fields", "converted", "distinct", "sums") and not fact.fields:
        raise f.fail("fields", f"{kind} 须列出字段 fields")
    if kind == "measure" and fact.measure is None:
        raise f.fail("measure", "measure 须指明计算项")
    f.done()
    return fact


def check_template_facts(
    root: Node, headings: tuple[TemplateHeading, ...], measure_ids: set[str]
) -> None:
    for i, h in enumerate(headings):
        for f in h.facts:
            if f.measure is not None and f.measure not in measure_ids:
                raise root.fail(f"template_facts[第{i + 1}个]", f"未知的计算项 {f.measure}")


def check_table_totals(
    root: Node, tables: Mapping[str, tuple[TableTotal, ...]], ids: set[str]
) -> None:
    for tid, totals in tables.items():
        for t in totals:
            if t.measure not in ids:
                raise root.fail(f"tables.{tid}.totals", f"未知的计算项 {t.measure}")
