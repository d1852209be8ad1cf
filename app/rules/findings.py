"""Validation: one function returns every finding (problem or warning) as data.

The wizard, the CLI and the tests all read the same list. ``where`` says what a finding is
about, so the wizard can take the user there:

==============================  =========================================
``company.<field>``             a company field (app.model.COMPANY_FIELDS)
``company.declaration``         the declaration of the applicant conditions
``items``                       the item selection
``item.<item>``                 an item (its eligibility, amount)
``item.<item>.<field>``         an item input
``table.<table>``               a table
``table.<table>.<row>[.<col>]`` a row, or one cell
``document.<doc>[.<row>]``      a checklist document (per row: that row's)
``evidence.<file id>``          an attached file
``evidence.<file id>.<page>``   one page of it (0-based index)
``deadline.<id>``               a date of the guide
``rates``                       the project's exchange rates
==============================  =========================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from app.files import company_name_notice
from app.guide.model import FieldSpec, Guide, ItemSpec, TableSpec
from app.model import COMPANY_FIELDS, ProjectData, Value
from app.rules.claims import duplicate_findings
from app.rules.company import (
    check_credit_code,
    check_district,
    check_email,
    check_phone,
    split_other_district,
)
from app.rules.evaluation import (
    Evaluation,
    Rates,
    cell,
    currency_choices,
    document_applies,
    evaluate,
    fmt_money,
    fmt_number,
)

# Re-exported: callers keep importing these from app.rules.findings.
from app.rules.finding_model import PROCESS_PREFIX as PROCESS_PREFIX
from app.rules.finding_model import Finding as Finding
from app.rules.finding_model import Severity as Severity
from app.rules.finding_model import blocking as blocking
from app.rules.finding_model import blocking_for as blocking_for
from app.rules.finding_model import sort_findings as sort_findings
from app.rules.process import figure_changes, form_figures, missed_text, stage_reached

LOW_DPI = 150.0


def required_documents(guide: Guide, project: ProjectData) -> list[tuple[str, str | None]]:
    """Every (document id, row id) that needs files for the selected items, in packet order.

    Shared documents appear once; a proof set stands for its scanned members when no
    selected item already brings them. A document the guide asks for only with certain rows
    (``required_when``) is needed only when the project has such rows."""
    needed: list[tuple[str, str | None]] = []
    seen: set[tuple[str, str | None]] = set()

    def add(doc_id: str, row_id: str | None) -> None:
        if (doc_id, row_id) not in seen:
            seen.add((doc_id, row_id))
            needed.append((doc_id, row_id))

    for doc_id in guide.base_documents:
        if guide.document(doc_id).needs_files:
            add(doc_id, None)
    for item in selected_items(guide, project):
        for doc_id in item.documents:
            doc = guide.document(doc_id)
            if doc.kind == "proof_set":
                assert doc.set is not None
                for member in guide.document_set(doc.set).documents:
                    m_doc = guide.document(member)
                    if m_doc.needs_files and document_applies(guide, project, m_doc):
                        add(member, None)
            elif doc.needs_files and not doc.optional and document_applies(guide, project, doc):
                if doc.per_row:
                    for row in project.rows(item.table or ""):
                        add(doc_id, row.id)
                else:
                    add(doc_id, None)
    return needed


def _selected_document_ids(guide: Guide, project: ProjectData) -> list[str]:
    """The documents of the selected items, proof sets opened into their members."""
    out: list[str] = []
    for item in selected_items(guide, project):
        for doc_id in item.documents:
            doc = guide.document(doc_id)
            if doc.kind == "proof_set" and doc.set is not None:
                out += guide.document_set(doc.set).documents
            else:
                out.append(doc_id)
    return list(dict.fromkeys(out))


def selected_items(guide: Guide, project: ProjectData) -> list[ItemSpec]:
    return [it for it in guide.items if it.id in project.selected]


def validate(
    guide: Guide,
    project: ProjectData,
    evaluation: Evaluation | None = None,
    today: dt.date | None = None,
) -> list[Finding]:
    ev = evaluation or evaluate(guide, project)
    out: list[Finding] = []
    out += _company(guide, project)
    out += _items(guide, project, ev)
    out += _tables(guide, project)
    out += _documents(guide, project)
    out += page_findings(project)
    out += duplicate_findings(guide, project)
    out += _deadlines(guide, today or dt.date.today())
    out += process_findings(guide, project, ev)
    out += _rates(guide, project)
    return sort_findings(out)


def process_findings(guide: Guide, project: ProjectData, ev: Evaluation) -> list[Finding]:
    """The district-stamped 申请表: missing once the review passed (the final packet must hold
    it), or no longer matching the figures it was stamped on."""
    process = guide.process
    if process is None or process.stamped_form is None:
        return []
    out: list[Finding] = []
    doc = guide.document(process.stamped_form)
    attached = bool(project.files_for(doc.id))
    where = f"document.{doc.id}"
    if not attached and stage_reached(guide, project, process.stamp_required_from):
        out.append(
            Finding(
                "process.stamped_form_missing",
                "blocking",
                where,
                f"初审已通过：正式装订材料中的申请表须为{process.stamper}盖章的原件。请扫描盖章的申请表，"
                f"附在“{doc.title}”中（PDF 中该处放扫描件，装订时换入原件；或改回阶段后生成初审材料）。",
            )
        )
    # the 初审 copies were handed in: the stage after the first one was reached
    handed_in = len(process.stages) > 1 and stage_reached(guide, project, process.stages[1].id)
    if project.review_figures and (attached or handed_in):
        changes = figure_changes(guide, project.review_figures, form_figures(guide, project, ev))
        if changes:
            # Blocking: the bound packet would carry a stamped form that no longer matches it
            # (the build refuses only the final packet; the 初审 print may be rebuilt).
            out.append(
                Finding(
                    "process.stamped_form_stale",
                    "blocking",
                    where,
                    f"初审打印后申请表的项目或金额有改动，{process.stamper}盖章的申请表与现在的申报材料"
                    "不再一致："
                    + "；".join(changes)
                    + f"。在此之前不能生成正式装订材料。两种办法：一是重新生成初审材料，交{process.stamper}"
                    "重新审核盖章；二是撤销上述改动，恢复到初审时的数据。",
                )
            )
    return out


def used_currencies(guide: Guide, project: ProjectData) -> list[str]:
    """Every currency the selected items' figures are given in (rows and inputs)."""
    codes: list[str] = []
    tables = {it.table for it in selected_items(guide, project) if it.table}
    for table in guide.tables:
        if table.id not in tables:
            continue
        for col in table.columns:
            if col.type == "currency":
                codes += [str(cell(col, r.values) or "") for r in project.rows(table.id)]
    for it in selected_items(guide, project):
        values = project.item_inputs(it.id)
        codes += [str(cell(f, values) or "") for f in it.inputs if f.type == "currency"]
    return [c for c in dict.fromkeys(codes) if c]


def _rates(guide: Guide, project: ProjectData) -> list[Finding]:
    """The program's default rates in use, to be checked against the published table (said
    here, before the build: the submitted tables carry no program note); and a project rate far
    from the guide's default, most likely written the other way round (0.1457 for “1 美元 = ?
    人民币”): say how the table writes it."""
    out: list[Finding] = []
    note = Rates(guide, project.rates).default_note(used_currencies(guide, project))
    if note:
        out.append(
            Finding(
                "rate.default",
                "warning",
                "rates",
                f"折合美元将按以下折算率计算：{note}。如与公布的折算率表不同，请在“汇率”中改正。",
            )
        )
    for code, rate in project.rates.items():
        try:
            cur = guide.currency(code)
        except KeyError:
            continue
        usd_now, usd_default = rate.to_usd(1), cur.rate.to_usd(1)
        if usd_default and not 1 / 3 <= usd_now / usd_default <= 3:
            out.append(
                Finding(
                    "rate.suspicious",
                    "warning",
                    "rates",
                    f"{cur.name}的折算率 {rate.describe(cur.name)} 与默认值"
                    f" {cur.rate.describe(cur.name)} 相差很大，请确认是按折算率表的写法填写的。",
                )
            )
    return out


def _company(guide: Guide, project: ProjectData) -> list[Finding]:
    c = project.company
    out: list[Finding] = []
    labels = dict(COMPANY_FIELDS)
    for fid in ("name", "address", "legal_rep", "contact"):
        if not c.get(fid).strip():
            out.append(
                Finding(
                    f"company.{fid}.missing", "blocking", f"company.{fid}", f"请填写{labels[fid]}。"
                )
            )
    if c.name.strip():
        notice = company_name_notice(c.name)
        if notice:
            out.append(Finding("company.name.file_name", "warning", "company.name", notice))
    msg = check_credit_code(c.credit_code)
    if msg:
        code = (
            "company.credit_code.missing"
            if not c.credit_code.strip()
            else "company.credit_code.invalid"
        )
        out.append(Finding(code, "blocking", "company.credit_code", msg))
    msg = check_district(
        c.district,
        guide.districts,
        guide.district_other,
        guide.district_note,
        guide.districts_from_guide,
    )
    if msg:
        code = "company.district.missing" if not c.district else "company.district.unknown"
        # refused only by a list the guide itself gives; a name outside the program's own
        # list (the 2019 guide lists no districts) is for the clerk to check
        unnamed_other = split_other_district(c.district, guide.district_other) == ""
        refused = not c.district or guide.districts_from_guide or unnamed_other
        out.append(Finding(code, "blocking" if refused else "warning", "company.district", msg))
    for spec in guide.company_fields:  # the guide's own company fields (企业规模…)
        value = c.get(spec.id).strip()
        if not value and spec.required:
            out.append(
                Finding(
                    f"company.{spec.id}.missing",
                    "blocking",
                    f"company.{spec.id}",
                    f"请在“企业信息”页填写{spec.label}。",
                )
            )
        elif value and spec.choices and value not in dict(spec.choices):
            out.append(
                Finding(
                    f"company.{spec.id}.unknown",
                    "blocking",
                    f"company.{spec.id}",
                    f"{spec.label}“{value}”不是申报指南列出的选项，请重新选择。",
                )
            )
    if guide.conditions and not project.declaration_confirmed:
        out.append(
            Finding(
                "company.declaration.unconfirmed",
                "blocking",
                "company.declaration",
                "请在“企业信息”页阅读申报指南的申请条件并确认本单位符合："
                + "；".join(c.text.rstrip("。") for c in guide.conditions)
                + "。",
            )
        )
    msg = check_phone(c.phone)
    if msg:
        out.append(Finding("company.phone.invalid", "blocking", "company.phone", msg))
    msg = check_email(c.email)
    if msg:
        out.append(Finding("company.email.invalid", "warning", "company.email", msg))
    for fid in ("bank", "account"):
        if not c.get(fid).strip():
            out.append(
                Finding(
                    f"company.{fid}.missing",
                    "warning",
                    f"company.{fid}",
                    f"建议填写{labels[fid]}（申请表中的收款账户）。",
                )
            )
    return out


def _is_missing(spec: FieldSpec, values: Mapping[str, Value]) -> bool:
    v = cell(spec, values)
    return v is None or v == ""


def _items(guide: Guide, project: ProjectData, ev: Evaluation) -> list[Finding]:
    out: list[Finding] = []
    items = selected_items(guide, project)
    unknown = [i for i in project.selected if i not in guide.item_ids]
    for i in unknown:
        out.append(
            Finding(
                "items.unknown",
                "blocking",
                "items",
                f"未知的申报项目“{i}”（不属于本年度申报指南），请取消选择。",
            )
        )
    if not items:
        out.append(Finding("items.none", "blocking", "items", "请至少选择一个申报项目。"))
    selected_ids = {it.id for it in items}
    for it in items:
        for other in it.exclusive_with:
            if other in selected_ids and it.id < other:
                out.append(
                    Finding(
                        "item.exclusive",
                        "blocking",
                        f"item.{it.id}",
                        f"“{it.full_title}”与“{guide.item(other).full_title}”属于同一类型项目，"
                        "不可重复申报，请只选择其中一项。",
                    )
                )
    for it in items:
        inputs = project.item_inputs(it.id)
        for spec in it.inputs:
            if spec.required and spec.type != "bool" and _is_missing(spec, inputs):
                out.append(
                    Finding(
                        "item.input.missing",
                        "blocking",
                        f"item.{it.id}.{spec.id}",
                        f"“{it.full_title}”：请填写{spec.label}。",
                    )
                )
        res = ev.items[it.id]
        if not res.eligible:
            why = "；".join(r.rstrip("。；; ") for r in res.reasons) or "不符合申报条件"
            out.append(
                Finding(
                    "item.ineligible",
                    "blocking",
                    f"item.{it.id}",
                    f"“{it.full_title}”不符合条件：{why}。请补齐数据；如确不符合，请取消勾选该项目。",
                )
            )
        else:
            asked = project.requested.get(it.id)
            if asked is not None and asked > res.ceiling_cny:
                out.append(
                    Finding(
                        "item.requested.above_ceiling",
                        "warning",
                        f"item.{it.id}",
                        f"“{it.full_title}”申请金额 {fmt_money(asked)} 元超过支持上限，"
                        f"已按上限 {fmt_money(res.ceiling_cny)} 元计算。",
                    )
                )
            if res.requested_cny <= 0:
                out.append(
                    Finding(
                        "item.requested.zero",
                        "warning",
                        f"item.{it.id}",
                        f"“{it.full_title}”申请金额为 0 元。",
                    )
                )
            for row in res.rows:
                if not row.counted:
                    out.append(
                        Finding(
                            "row.not_counted",
                            "warning",
                            f"table.{it.table}.{row.row_id}",
                            f"“{it.full_title}”中“{row.label}”未计入：{'；'.join(row.reasons)}",
                        )
                    )
        out += _check_total(guide, it, project, ev)
    return out


def _check_total(guide: Guide, it: ItemSpec, project: ProjectData, ev: Evaluation) -> list[Finding]:
    ct = it.check_total
    if ct is None:
        return []
    computed = ev.measures.get(ct.measure, Decimal(0))
    if ct.field is not None:
        raw = project.item_inputs(it.id).get(ct.field)
        if raw is None or isinstance(raw, bool) or not isinstance(raw, int | Decimal):
            return []
        entered = Decimal(raw)
        other_label = it.input(ct.field).label
    else:
        assert ct.against is not None
        if ct.against not in ev.measures:
            return []
        entered = ev.measures[ct.against]
        other_label = guide.measure(ct.against).label
    tolerance = Decimal(0) if ct.exact else max(abs(entered), abs(computed)) / 100
    if abs(entered - computed) > tolerance:
        label = guide.measure(ct.measure).label
        return [
            Finding(
                "item.total.mismatch",
                "warning",
                f"item.{it.id}",
                f"“{it.full_title}”：{other_label}（{fmt_number(entered)}）与按明细计算的"
                f"{label}（{fmt_number(computed)}）不一致，请核对。",
            )
        ]
    return []


def _tables(guide: Guide, project: ProjectData) -> list[Finding]:
    out: list[Finding] = []
    used: list[TableSpec] = []
    for it in selected_items(guide, project):
        if it.table and guide.table(it.table) not in used:
            used.append(guide.table(it.table))
    codes = {code for code, _ in currency_choices(guide, project)}
    period_cols = {
        (m.table, m.period_column) for m in guide.measures if m.period_column is not None
    }
    for table in used:
        rows = project.rows(table.id)
        if not rows:
            out.append(
                Finding(
                    "table.empty",
                    "blocking",
                    f"table.{table.id}",
                    f"请在“{table.title}”表中填写明细。",
                )
            )
        for n, row in enumerate(rows, start=1):
            label = cell(table.column(table.row_label), row.values) or f"第{n}行"
            for col in table.columns:
                v = cell(col, row.values)
                where = f"table.{table.id}.{row.id}.{col.id}"
                if col.required and col.type != "bool" and (v is None or v == ""):
                    out.append(
                        Finding(
                            "table.cell.missing",
                            "blocking",
                            where,
                            f"“{table.title}”第{n}行（{label}）：请填写{col.label}。",
                        )
                    )
                elif col.type == "currency" and v is not None and v not in codes:
                    out.append(
                        Finding(
                            "table.currency.unknown",
                            "blocking",
                            where,
                            f"“{table.title}”第{n}行：未知币种“{v}”，请从列表中选择或添加汇率。",
                        )
                    )
                elif (
                    (table.id, col.id) in period_cols
                    and isinstance(v, dt.date)
                    and not guide.period_start <= v <= guide.period_end
                ):
                    out.append(
                        Finding(
                            "table.row.out_of_period",
                            "warning",
                            where,
                            f"“{table.title}”第{n}行（{label}）：{col.label} {v.isoformat()} 不在支持期间"
                            f"（{guide.period_start.isoformat()} 至 {guide.period_end.isoformat()}）内，不计入金额。",
                        )
                    )
            for check in table.checks:
                a, b = row.values.get(check.column), row.values.get(check.other)
                if _fails(check.op, a, b):
                    out.append(
                        Finding(
                            "table.row.check",
                            "warning",
                            f"table.{table.id}.{row.id}.{check.column}",
                            f"“{table.title}”第{n}行（{label}）：{check.message}",
                        )
                    )
    return out


def _fails(op: str, a: object, b: object) -> bool:
    """A row check ``a op b`` that fails; False when either side is missing or not comparable."""
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    both_numbers = isinstance(a, Decimal | int) and isinstance(b, Decimal | int)
    both_dates = isinstance(a, dt.date) and isinstance(b, dt.date)
    if not (both_numbers or both_dates):
        return False
    holds = {
        "<=": a <= b,  # type: ignore[operator]
        "<": a < b,  # type: ignore[operator]
        ">=": a >= b,  # type: ignore[operator]
        ">": a > b,  # type: ignore[operator]
        "==": a == b,
    }[op]
    return not holds


def _documents(guide: Guide, project: ProjectData) -> list[Finding]:
    out: list[Finding] = []
    needed = required_documents(guide, project)
    row_labels: dict[str, str] = {}
    for table in guide.tables:
        for n, row in enumerate(project.rows(table.id), start=1):
            row_labels[row.id] = str(cell(table.column(table.row_label), row.values) or f"第{n}行")
    for doc_id, row_id in needed:
        if not project.files_for(doc_id, row_id):
            doc = guide.document(doc_id)
            where = f"document.{doc_id}" + (f".{row_id}" if row_id else "")
            who = f"“{row_labels.get(row_id, '')}”的" if row_id else ""
            out.append(
                Finding("document.missing", "blocking", where, f"缺少材料：{who}{doc.title}。")
            )
    needed_set = set(needed)
    # attached to a document that is optional, or not asked for with the project's rows
    # (required_when): it goes into the packet all the same
    optional_ok = {
        d
        for d in _selected_document_ids(guide, project)
        if guide.document(d).optional or not document_applies(guide, project, guide.document(d))
    }
    if guide.process is not None and guide.process.stamped_form is not None:
        optional_ok.add(guide.process.stamped_form)
    for f in project.evidence:
        if (f.document_id, f.row_id) not in needed_set and f.document_id not in optional_ok:
            out.append(
                Finding(
                    "evidence.unused",
                    "warning",
                    f"evidence.{f.id}",
                    f"文件“{f.name}”所属的材料不在本次申报范围内（未选择相应项目或该行已删除），不会放入申报材料。",
                )
            )
        low = [i + 1 for i, p in enumerate(f.pages) if p.dpi is not None and p.dpi < LOW_DPI]
        if low:
            pages = "、".join(str(n) for n in low[:10]) + ("等" if len(low) > 10 else "")
            out.append(
                Finding(
                    "evidence.low_dpi",
                    "warning",
                    f"evidence.{f.id}",
                    f"文件“{f.name}”第{pages}页分辨率低于{int(LOW_DPI)} dpi，打印可能不清晰，建议重新扫描（300 dpi）。",
                )
            )
    return out


def page_findings(project: ProjectData, dismissed: bool = False) -> list[Finding]:
    """Pages judged at import (``app.intake.pagecheck``, stored with each page) to lie
    sideways or on their head and not turned upright since, and blank or nearly blank pages,
    unless the clerk said the page is right as it is ("此页无误"). With ``dismissed``: the
    findings the clerk dismissed instead (for ``check --json``, which lists them apart)."""
    out: list[Finding] = []
    for f in project.evidence:
        for index, page in enumerate(f.pages):
            where = f"evidence.{f.id}.{index}"
            number = f"第 {index + 1} 页" if len(f.pages) > 1 else ""
            if page.blank_dismissed if dismissed else page.flagged_blank:
                out.append(
                    Finding(
                        "page.blank",
                        "warning",
                        where,
                        f"文件“{f.name}”{number}几乎是空白页。如是扫描时多出的空白页，"
                        "请在“材料”中选中这一页，点“删除空白页”；如是有意留的，点“此页无误”。",
                    )
                )
            elif page.sideways_dismissed if dismissed else page.flagged_sideways:
                turns = page.turns_to_upright()
                how = "倒置" if turns == (180,) else "横放"
                out.append(
                    Finding(
                        "page.sideways",
                        "warning",
                        where,
                        f"文件“{f.name}”{number}的文字不是正向的（页面{how}），打印后需要转过来看。"
                        "请在“材料”中选中这一页，点“转正”；如本来就该这样放，点“此页无误”。",
                    )
                )
    return out


def _deadlines(guide: Guide, today: dt.date) -> list[Finding]:
    out: list[Finding] = []
    for d in guide.deadlines:
        days = (d.date - today).days
        if days < 0:
            # what a missed date means is the guide's to say (its deadline's ``missed``)
            out.append(Finding("deadline.passed", "warning", f"deadline.{d.id}", missed_text(d)))
        elif days <= 7:
            out.append(
                Finding(
                    "deadline.near",
                    "warning",
                    f"deadline.{d.id}",
                    f"距{d.title}（{d.date.isoformat()}）还有 {days} 天。",
                )
            )
    return out


def damaged_evidence_findings(
    guide: Guide, data: ProjectData, damaged: dict[str, tuple[str, ...]]
) -> list[Finding]:
    """Findings for evidence files whose stored bytes no longer match their SHA-256: blocking
    when the PDF a build reads is damaged, a warning when only the stored original is."""
    out: list[Finding] = []
    for f in data.evidence:
        parts = damaged.get(f.id)
        if not parts:
            continue
        try:
            title = guide.document(f.document_id).title
        except KeyError:
            title = f.document_id
        where = f"document.{f.document_id}" + (f".{f.row_id}" if f.row_id else "")
        if "pdf" in parts:
            out.append(
                Finding(
                    "evidence.damaged",
                    "blocking",
                    where,
                    f"证明材料“{f.name}”已损坏（“{title}”；项目文件中保存的内容与导入时的校验值"
                    f"不符），无法生成申报材料。请在“材料”步骤中删除该文件，再重新添加原文件。",
                )
            )
        else:
            out.append(
                Finding(
                    "evidence.original_damaged",
                    "warning",
                    where,
                    f"证明材料“{f.name}”保存的原件已损坏（“{title}”；申报材料不受影响，但导出清单时"
                    f"得不到完好的原件）。建议在“材料”步骤中删除该文件，再重新添加原文件。",
                )
            )
    return out
