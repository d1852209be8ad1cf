"""Loads a ``checklists/*.toml`` guide file into an immutable :class:`Guide`.

A malformed file is refused with :class:`GuideError` naming the file, the key and the reason:
unknown keys, wrong types, duplicate ids and dangling references all fail at load, never later.
"""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.errors import GuideError
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
)
from app.guide.parts import (
    check_currency_fields,
    field_spec,
    item_of,
    measure_of,
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
from app.model import Rate

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
    for n in root.nodes("currencies"):
        with ctx.guard(n.data.get("code")):
            code = n.text("code")
            currencies.append(Currency(code=code, name=n.text("name"), rate=_rate_of(n)))
            n.done()
    unique(root, "currencies", [c.code for c in currencies])
    codes = {c.code for c in currencies}
    for needed in ("USD", "CNY"):
        if needed not in codes:
            root.problem("currencies", f"须包含 {needed}")

    business_types = []
    for n in root.nodes("business_types", required=False):
        with ctx.guard(n.data.get("id")):
            cat = n.text("category")
            if cat not in ("ITO", "BPO", "KPO"):
                raise n.fail("category", "应为 ITO、BPO 或 KPO")
            business_types.append(
                BusinessType(
                    id=n.text("id"),
                    name=n.text("name"),
                    category=cat,  # type: ignore[arg-type]
                    synonyms=n.str_list("synonyms", required=False),
                )
            )
            n.done()
    unique(root, "business_types", [b.id for b in business_types])

    tables = []
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
            tables.append(
                TableSpec(
                    id=tid,
                    title=n.text("title"),
                    sheet=n.text("sheet"),
                    row_label=row_label,
                    columns=cols,
                    duplicate_key=duplicate_key,
                )
            )
            n.done()
    table_by_id = {t.id: t for t in tables}

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
                )
            )
            n.done()
    unique(root, "deadlines", [d.id for d in deadlines])

    process = None
    process_node = root.node("process", required=False)
    if process_node is not None:
        with ctx.guard():
            process = process_of(process_node, {d.id for d in deadlines}, doc_by_id)

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


def _rate_of(n: Node) -> Rate:
    """A currency's rate as the table quotes it: ``per_usd`` (units per US dollar) or
    ``usd_per`` (US dollars per ``units`` units, 1 unless given, e.g. 100)."""
    per_usd = n.decimal("per_usd", required=False)
    usd_per = n.decimal("usd_per", required=False)
    units = n.integer("units", required=False)
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


def available_guides(directory: Path | None = None) -> list[Path]:
    """The guide files shipped with the program (``checklists/``), newest year first."""
    return sorted((directory or CHECKLIST_DIR).glob("*.toml"), reverse=True)


_cache: dict[tuple[str, str], Guide] = {}


def guide_by_id(guide_id: str, directory: Path | None = None) -> Guide:
    """The shipped guide with this id (cached). Raises GuideError when none has it."""
    folder = directory or CHECKLIST_DIR
    key = (str(folder), guide_id)
    if key in _cache:
        return _cache[key]
    for path in available_guides(folder):
        guide = load_guide(path)
        _cache[(str(folder), guide.id)] = guide
        if guide.id == guide_id:
            return guide
    raise GuideError(str(folder), "id", f"找不到编号为 {guide_id} 的申报指南文件，请升级本程序")
