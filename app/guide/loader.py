"""Loads a ``checklists/*.toml`` guide file into an immutable :class:`Guide`.

A malformed file is refused with :class:`GuideError` naming the file, the key and the reason:
unknown keys, wrong types, duplicate ids and dangling references all fail at load, never later.
"""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.guide.model import (
    DOCUMENT_KINDS,
    BusinessType,
    Condition,
    Currency,
    Deadline,
    DocumentSet,
    DocumentSpec,
    FieldSpec,
    Guide,
    TableSpec,
    TableTotal,
)
from app.guide.output_parts import (
    catalogue_of,
    check_category,
    check_table_totals,
    check_template_facts,
    company_fields_of,
    conversion_of,
    form_of,
    table_outputs,
    template_headings,
)
from app.guide.parts import (
    check_currency_fields,
    field_spec,
    item_of,
    measure_of,
    required_when_of,
)
from app.guide.problems import (
    Context,
    Problem,
    parse_toml,
    read_text,
    sorted_problems,
    syntax_problems,
)
from app.guide.process_parts import process_of
from app.guide.reader import Node, unique
from app.guide.suspicious import suspicious_values
from app.model import COMPANY_FIELDS, Rate
from app.system.errors import GuideError

COMPANY_IDS = frozenset(field_id for field_id, _label in COMPANY_FIELDS)

FORMAT_VERSION = 1
PLACEHOLDERS = ("【请填写】", "【待核对】", "【请核对】")  # left by guide new and guide draft
CHECKLIST_DIR = Path(__file__).resolve().parents[2] / "checklists"


def load_guide(path: Path | str) -> Guide:
    """Load and validate one guide file. Raises GuideError naming file, line, key and reason
    (the first problem in file order, saying how many more there are)."""
    path = Path(path)
    text = read_text(path)
    return parse_guide(parse_toml(text, str(path)), str(path), text)


def check_guide(path: Path | str) -> tuple[Guide | None, list[Problem], list[Problem]]:
    """Every problem of a guide file at once, and its suspicious values (warnings): what
    ``guide check`` prints. The guide is None when it has problems."""
    path = Path(path)
    source = str(path)
    try:
        text = read_text(path)
    except GuideError as err:
        return None, [Problem(err.line, err.key, err.reason)], []
    syntax = syntax_problems(text)
    if syntax:
        return None, syntax, []
    ctx = Context(source, text)
    guide: Guide | None = None
    with contextlib.suppress(GuideError):  # a newer format: recorded, nothing else judged
        guide = read_guide(tomllib.loads(text), ctx)
    for n, line in enumerate(text.split("\n"), start=1):
        marks = [m for m in PLACEHOLDERS if m in line.split("#")[0]]
        if marks:
            ctx.warnings.append(Problem(n, "", f"仍有“{marks[0]}”：请按指南原文填写并核对", True))
    if ctx.problems or guide is None:
        return None, sorted_problems(ctx.problems), sorted_problems(ctx.warnings)
    return guide, [], sorted_problems(ctx.warnings)


def load_guide_text(text: str, source: str) -> Guide:
    """Load and validate a guide from its text (a project's stored copy, an opened file);
    ``source`` names it in messages. Raises GuideError like :func:`load_guide`."""
    text = text.removeprefix("\ufeff")
    return parse_guide(parse_toml(text, source), source, text)


def parse_guide(data: Mapping[str, Any], source: str, text: str | None = None) -> Guide:
    """The guide of parsed TOML ``data``; ``text`` (the file's text) gives problems a line."""
    ctx = Context(source, text)
    guide = read_guide(data, ctx)
    ctx.raise_first()
    return guide


def read_guide(data: Mapping[str, Any], ctx: Context) -> Guide:
    """Read every part of a guide, recording each problem in ``ctx`` (the returned guide is
    meaningless when ``ctx.problems`` is not empty)."""
    root = Node(ctx, "", data)
    source = ctx.source
    fmt = root.integer("format")
    if fmt is not None and fmt != FORMAT_VERSION:
        root.problem("format", f"本程序只支持格式 {FORMAT_VERSION}，此文件为 {fmt}，请升级本程序")
        ctx.raise_first()  # a newer format: nothing else can be judged

    currencies = []
    currency_nodes = root.nodes("currencies")
    for n in currency_nodes:
        with ctx.guard(n.data.get("code")):
            code = n.text("code")
            currencies.append(
                Currency(code=code, name=n.text("name"), rate=_rate_of(n, len(currency_nodes) == 1))
            )
            n.done()
    if not currencies:
        root.problem("currencies", "至少要有一种币种")
    unique(root, "currencies", [c.code for c in currencies])
    codes = {c.code for c in currencies}

    catalogue = catalogue_of(root)
    business_types = []
    for n in root.nodes("business_types", required=False):
        with ctx.guard(n.data.get("id")):
            cat = n.text("category", required=False)
            check_category(n, cat, catalogue)
            business_types.append(
                BusinessType(
                    id=n.text("id"),
                    name=n.text("name"),
                    category=cat,
                    synonyms=n.str_list("synonyms", required=False),
                )
            )
            n.done()
    unique(root, "business_types", [b.id for b in business_types])

    tables = []
    table_totals: dict[str, tuple[TableTotal, ...]] = {}
    for tid, n in root.named_nodes("tables"):
        with ctx.guard(tid):
            cols = tuple(field_spec(c, codes) for c in n.nodes("columns"))
            if not cols:
                raise n.fail("columns", "表至少要有一列")
            check_currency_fields(n, "columns", cols)
            row_label = n.text("row_label")
            if row_label not in {c.id for c in cols}:
                raise n.fail("row_label", f"{row_label} 不是本表的列")
            duplicate_key = n.str_list("duplicate_key", required=False)
            for col_id in duplicate_key:
                if col_id not in {c.id for c in cols}:
                    raise n.fail("duplicate_key", f"{col_id} 不是本表的列")
            totals, period_mark, checks = table_outputs(n, cols)
            table_totals[tid] = totals
            claim_key = n.str_list("claim_key", required=False)
            for col_id in claim_key:
                if col_id not in {c.id for c in cols}:
                    raise n.fail("claim_key", f"{col_id} 不是本表的列")
            tables.append(
                TableSpec(
                    id=tid,
                    title=n.text("title"),
                    sheet=n.text("sheet"),
                    row_label=row_label,
                    columns=cols,
                    duplicate_key=duplicate_key,
                    totals=totals,
                    period_mark=period_mark,
                    checks=checks,
                    duplicate_blocks=n.flag("duplicate_blocks"),
                    claim_key=claim_key,
                )
            )
            n.done()
    table_by_id = {t.id: t for t in tables}
    keyed = {len(t.claim_key) for t in tables if t.claim_key}
    if len(keyed) > 1:
        raise root.fail("tables", "各表的 claim_key 须列出同样多的列（依次对应）")

    documents = []
    for did, n in root.named_nodes("documents"):
        with ctx.guard(did):
            documents.append(_document_of(did, n, table_by_id))
    doc_by_id = {d.id: d for d in documents}

    document_sets = []
    sets_node = root.node("document_sets", required=False)
    if sets_node is not None:
        for sid, n in sets_node.named_nodes_self():
            with ctx.guard(sid):
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
            ctx.record(
                ctx.error(
                    ("documents", d.id, "set"), f"documents.{d.id}.set", f"未知的材料组 {d.set}"
                )
            )

    base_documents = root.str_list("base_documents")
    with ctx.guard():
        for b in base_documents:
            if b not in doc_by_id:
                raise root.fail("base_documents", f"未知的材料 {b}")
            if doc_by_id[b].per_row:
                raise root.fail("base_documents", f"基本材料 {b} 不能按行提供")

    # Items first as raw nodes: measures refer to item inputs.
    item_nodes = root.nodes("items")
    if not item_nodes and "items" in root.data:
        root.problem("items", "至少要有一个申报项目")
    inputs_by_item: dict[str, tuple[FieldSpec, ...]] = {}
    for n in item_nodes:
        with ctx.guard(n.data.get("id")):
            iid = n.text("id")
            fields = tuple(field_spec(f, codes) for f in n.nodes("inputs", required=False))
            check_currency_fields(n, "inputs", fields)
            inputs_by_item.setdefault(iid, fields)
    unique(root, "items", [n.text("id") for n in item_nodes])

    measures = []
    for mid, n in root.named_nodes("measures"):
        with ctx.guard(mid):
            measures.append(measure_of(mid, n, table_by_id, inputs_by_item, codes))
    measure_ids = {m.id for m in measures} | ctx.broken
    check_table_totals(root, table_totals, measure_ids)

    items = []
    for n in item_nodes:
        with ctx.guard(n.data.get("id")):
            items.append(item_of(n, inputs_by_item, table_by_id, doc_by_id, measure_ids))
    measure_by_id = {m.id: m for m in measures}
    item_index = {str(n.data.get("id")): n for n in item_nodes}
    for it in items:
        per, per_mid = it.ceiling.per, it.ceiling.measure
        if per is None or per_mid not in measure_by_id:
            continue
        grouped = measure_by_id[per_mid or ""]
        if grouped.table is None or per not in {c.id for c in table_by_id[grouped.table].columns}:
            ctx.record(
                item_index[it.id].fail("ceiling.per", f"{per} 须为计算项 {per_mid} 所用表的列")
            )
    item_ids = {i.id for i in items} | ctx.broken
    for it in items:
        for other in it.exclusive_with:
            if other not in item_ids or other == it.id:
                ctx.record(item_index[it.id].fail("exclusive_with", f"未知的项目 {other}"))

    conditions = []
    for n in root.nodes("conditions"):
        with ctx.guard(n.data.get("id")):
            cond = Condition(id=n.text("id"), text=n.text("text"), document=n.opt_str("document"))
            if cond.document is not None and cond.document not in doc_by_id:
                raise n.fail("document", f"未知的材料 {cond.document}")
            conditions.append(cond)
            n.done()
    unique(root, "conditions", [c.id for c in conditions])

    deadlines = []
    for n in root.nodes("deadlines"):
        with ctx.guard(n.data.get("id")):
            deadlines.append(
                Deadline(
                    id=n.text("id"),
                    date=n.date("date"),
                    title=n.text("title"),
                    detail=n.text("detail", required=False),
                    missed=n.text("missed", required=False),
                )
            )
            n.done()
    unique(root, "deadlines", [d.id for d in deadlines])

    process = None
    process_node = root.node("process", required=False)
    if process_node is not None:
        with ctx.guard():
            process = process_of(process_node, {d.id for d in deadlines}, doc_by_id)

    template_facts = template_headings(root, "template_facts", facts=True)
    check_template_facts(root, template_facts, measure_ids)

    period_start, period_end = root.date("period_start"), root.date("period_end")
    if period_end < period_start:
        root.problem("period_end", "支持期间的结束日期早于开始日期")
    root.raw("tests")  # the guide's own test cases: read by app.guide.cases
    root.opt_str("tests_file")  # or a companion file of them
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
        district_other=root.text("district_other", required=False),
        districts_from_guide=root.flag("districts_from_guide"),
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
        process=process,
        conversion=conversion_of(root, codes),
        form=form_of(root),
        cover_boxes=root.str_list("cover_boxes", required=False),
        business_catalogue=catalogue,
        template_prompts=template_headings(root, "template_prompts", facts=False),
        template_facts=template_facts,
        district_note=root.text("district_note", required=False),
        company_fields=company_fields_of(root, set(COMPANY_IDS), codes),
        proof_note=root.text("proof_note", required=False),
    )
    root.done()
    if not ctx.problems:
        suspicious_values(guide, root)
    return guide


def _document_of(did: str, n: Node, table_by_id: Mapping[str, TableSpec]) -> DocumentSpec:
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
        required_when=required_when_of(n, table_by_id),
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
    n.done()
    return doc


def _rate_of(n: Node, only: bool = False) -> Rate:
    """A currency's rate as the table quotes it: ``per_usd`` (units per US dollar) or
    ``usd_per`` (US dollars per ``units`` units, 1 unless given, e.g. 100). A guide's only
    currency needs none (nothing is converted)."""
    per_usd = n.decimal("per_usd", required=False)
    usd_per = n.decimal("usd_per", required=False)
    units = n.integer("units", required=False)
    if only and per_usd is None and usd_per is None and units is None:
        return Rate(Decimal(1), "per_usd")
    if (per_usd is None) == (usd_per is None):
        raise n.fail(
            "per_usd",
            "须有 per_usd（每1美元合多少该币种）或 usd_per（每 units 单位合多少美元）之一",
        )
    if per_usd is not None:
        if units is not None:
            raise n.fail("units", "units 只用于 usd_per")
        if per_usd <= 0:
            raise n.fail("per_usd", "汇率须大于 0")
        return Rate(per_usd, "per_usd")
    assert usd_per is not None
    if usd_per <= 0:
        raise n.fail("usd_per", "汇率须大于 0")
    if units is not None and units < 1:
        raise n.fail("units", "应为正整数（如 1 或 100）")
    return Rate(usd_per, "usd_per", units or 1)
