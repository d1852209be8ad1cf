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
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Literal

from app.company import check_credit_code, check_district, check_email, check_phone
from app.duplicates import duplicate_groups, key_label, same_files
from app.guide.model import FieldSpec, Guide, ItemSpec, TableSpec
from app.model import COMPANY_FIELDS, ProjectData, Value
from app.outputs import company_name_notice
from app.process import figure_changes, form_figures, stage_reached
from app.rules import Evaluation, cell, currency_choices, evaluate, fmt_money, fmt_number

Severity = Literal["blocking", "warning"]
LOW_DPI = 150.0


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    where: str
    message: str

    @property
    def blocking(self) -> bool:
        return self.severity == "blocking"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Blocking first, otherwise in the order produced (company, items, documents...)."""
    return sorted(findings, key=lambda f: 0 if f.blocking else 1)


def required_documents(guide: Guide, project: ProjectData) -> list[tuple[str, str | None]]:
    """Every (document id, row id) that needs files for the selected items, in packet order.

    Shared documents appear once; a proof set stands for its scanned members when no
    selected item already brings them."""
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
                    if guide.document(member).needs_files:
                        add(member, None)
            elif doc.needs_files and not doc.optional:
                if doc.per_row:
                    for row in project.rows(item.table or ""):
                        add(doc_id, row.id)
                else:
                    add(doc_id, None)
    return needed


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
    out += _duplicates(guide, project)
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
                f"初审已通过：正式装订材料中的申请表须为区商务部门盖章的那份。请扫描盖章的申请表，"
                f"附在“{doc.title}”中（或改回阶段后生成初审材料）。",
            )
        )
    # the 初审 copies were handed in: the stage after the first one was reached
    handed_in = len(process.stages) > 1 and stage_reached(guide, project, process.stages[1].id)
    if project.review_figures and (attached or handed_in):
        changes = figure_changes(guide, project.review_figures, form_figures(guide, project, ev))
        if changes:
            out.append(
                Finding(
                    "process.stamped_form_stale",
                    "warning",
                    where,
                    "区商务部门盖章的申请表与现在的申报材料不再一致："
                    + "；".join(changes)
                    + "。请恢复初审时的数据，或向区商务部门说明并重新盖章。",
                )
            )
    return out


def _rates(guide: Guide, project: ProjectData) -> list[Finding]:
    """A project rate far from the guide's default is most likely written the other way round
    (0.1457 for “1 美元 = ? 人民币”): say how the table writes it."""
    out: list[Finding] = []
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
    msg = check_district(c.district, guide.districts, guide.district_other)
    if msg:
        code = "company.district.missing" if not c.district else "company.district.unknown"
        out.append(Finding(code, "blocking", "company.district", msg))
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
            if table.id == "contracts":
                c_amt, e_amt = row.values.get("contract_amount"), row.values.get("execution_amount")
                if isinstance(c_amt, Decimal) and isinstance(e_amt, Decimal) and e_amt > c_amt:
                    out.append(
                        Finding(
                            "table.contract.execution_above_contract",
                            "warning",
                            f"table.{table.id}.{row.id}.execution_amount",
                            f"“{table.title}”第{n}行（{label}）：执行金额大于合同金额，请核对。",
                        )
                    )
    return out


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
    optional_ok = {
        d
        for it in selected_items(guide, project)
        for d in it.documents
        if guide.document(d).optional
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


def page_findings(project: ProjectData) -> list[Finding]:
    """Pages judged at import (``app.intake.pagecheck``, stored with each page) to lie
    sideways or on their head and not turned upright since, and blank or nearly blank pages."""
    out: list[Finding] = []
    for f in project.evidence:
        for index, page in enumerate(f.pages):
            where = f"evidence.{f.id}.{index}"
            number = f"第 {index + 1} 页" if len(f.pages) > 1 else ""
            if page.blank:
                out.append(
                    Finding(
                        "page.blank",
                        "warning",
                        where,
                        f"文件“{f.name}”{number}几乎是空白页。如是扫描时多出的空白页，"
                        "请在“材料”中选中这一页，点“删除空白页”。",
                    )
                )
            elif page.sideways:
                turns = page.turns_to_upright()
                how = "倒置" if turns == (180,) else "横放"
                out.append(
                    Finding(
                        "page.sideways",
                        "warning",
                        where,
                        f"文件“{f.name}”{number}的文字不是正向的（页面{how}），打印后需要转过来看。"
                        "请在“材料”中选中这一页，点“转正”。",
                    )
                )
    return out


def _duplicates(guide: Guide, project: ProjectData) -> list[Finding]:
    """Rows entered twice (they would count twice) and the same file attached twice."""
    out: list[Finding] = []
    used = {it.table for it in selected_items(guide, project) if it.table}
    for table in guide.tables:
        if table.id not in used:
            continue
        rows = project.rows(table.id)
        for group in duplicate_groups(table, [r.values for r in rows]):
            first = group[0]
            label = cell(table.column(table.row_label), rows[first].values) or f"第{first + 1}行"
            for n in group[1:]:
                out.append(
                    Finding(
                        "table.row.duplicate",
                        "blocking",
                        f"table.{table.id}.{rows[n].id}",
                        f"“{table.title}”第{n + 1}行与第{first + 1}行（{label}）重复"
                        f"（{key_label(table)}相同）：同一类型项目不可重复申报，同一份合同、"
                        "同一人、同一证书或同一笔费用只能填写一次，否则会被重复计入金额和汇总表。"
                        "请删除多余的一行（如确为不同的记录，请修改以示区分）。",
                    )
                )
    for files in same_files(project.evidence):
        titles = "、".join(dict.fromkeys(f"“{guide.document(f.document_id).title}”" for f in files))
        for f in files[1:]:
            out.append(
                Finding(
                    "evidence.duplicate",
                    "warning",
                    f"evidence.{f.id}",
                    f"文件“{f.name}”与“{files[0].name}”内容完全相同，被附了 {len(files)} 次"
                    f"（{titles}）；如非有意，请删除多余的一份。",
                )
            )
    return out


def _deadlines(guide: Guide, today: dt.date) -> list[Finding]:
    out: list[Finding] = []
    for d in guide.deadlines:
        days = (d.date - today).days
        if days < 0:
            out.append(
                Finding(
                    "deadline.passed",
                    "warning",
                    f"deadline.{d.id}",
                    f"{d.title}（{d.date.isoformat()}）已过，请向区商务部门或行业协会确认是否仍可受理。",
                )
            )
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
