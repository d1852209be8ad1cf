"""Validation: one function returns every finding (problem or warning) as data.

The wizard, the CLI and the tests all read the same list. ``where`` says what a finding is
about, so the wizard can take the user there:

==============================  =========================================
``company.<field>``             a company field (app.model.COMPANY_FIELDS)
``items``                       the item selection
``item.<item>``                 an item (its eligibility, amount)
``item.<item>.<field>``         an item input
``table.<table>``               a table
``table.<table>.<row>[.<col>]`` a row, or one cell
``document.<doc>[.<row>]``      a checklist document (per row: that row's)
``evidence.<file id>``          an attached file
``deadline.<id>``               a date of the guide
==============================  =========================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Literal

from app.company import check_credit_code, check_email, check_phone
from app.duplicates import duplicate_groups, key_label, same_files
from app.guide.model import FieldSpec, Guide, ItemSpec, TableSpec
from app.model import COMPANY_FIELDS, ProjectData, Value
from app.outputs import safe_file_stem
from app.rules import Evaluation, cell, evaluate, fmt_money, fmt_number

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
    out += _duplicates(guide, project)
    out += _deadlines(guide, today or dt.date.today())
    return sort_findings(out)


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
        stem, changed = safe_file_stem(c.name.strip())
        if changed:
            out.append(
                Finding(
                    "company.name.file_name",
                    "warning",
                    "company.name",
                    f"企业全称含有 Windows 文件名不允许的字符，Excel 文件将命名为“{stem}.xlsx”"
                    "（已替换为全角字符）。",
                )
            )
    msg = check_credit_code(c.credit_code)
    if msg:
        code = (
            "company.credit_code.missing"
            if not c.credit_code.strip()
            else "company.credit_code.invalid"
        )
        out.append(Finding(code, "blocking", "company.credit_code", msg))
    if not c.district:
        out.append(
            Finding(
                "company.district.missing",
                "blocking",
                "company.district",
                "请选择所在区（由该区商务部门初审）。",
            )
        )
    elif c.district not in guide.districts:
        out.append(
            Finding(
                "company.district.unknown",
                "blocking",
                "company.district",
                f"所在区“{c.district}”不在申报指南列出的区中，请重新选择。",
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
    codes = {c.code for c in guide.currencies}
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
                        f"（{key_label(table)}相同），会被重复计入金额和汇总表；"
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
