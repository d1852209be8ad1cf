"""What changes when a project moves to another version of its guide: items, amounts,
documents, dates, as Chinese lines a user reads before confirming."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.guide.model import Ceiling, DocumentSpec, Guide, ItemSpec
from app.model import ProjectData


@dataclass(frozen=True)
class GuideChanges:
    """The differences, grouped as the user reads them; ``lines`` is everything in order."""

    heading: list[str]
    items: list[str]
    documents: list[str]
    other: list[str]
    project: list[str]  # what becomes of this project's own entries

    @property
    def lines(self) -> list[str]:
        out: list[str] = []
        for title, group in (
            ("申报指南", self.heading),
            ("申报项目和支持金额", self.items),
            ("申报材料", self.documents),
            ("其他", self.other),
            ("对本项目的影响", self.project),
        ):
            if group:
                out.append(f"【{title}】")
                out.extend(f"  {line}" for line in group)
        return out

    @property
    def empty(self) -> bool:
        return not (self.items or self.documents or self.other or self.heading)


def _money(amount: Decimal) -> str:
    if amount >= 10000 and amount % 100 == 0:
        return f"{(amount / 10000).normalize():f} 万元"
    return f"{amount.normalize():f} 元"


def ceiling_text(c: Ceiling) -> str:
    """A ceiling in one line, for comparing two versions of an item."""
    if c.kind == "fixed":
        return f"定额 {_money(c.amount)}"
    if c.kind == "tiers":
        steps = "；".join(f"≥{low.normalize():f}：{_money(amount)}" for low, amount in c.tiers)
        return f"分档（{steps}）"
    if c.kind == "share":
        cap = f"，上限 {_money(c.cap)}" if c.cap is not None else ""
        per = f"（每个{c.per}）" if c.per else ""
        return f"按 {c.percent.normalize():f}% 支持{per}{cap}"
    parts = []
    if c.row_amount is not None:
        parts.append(f"每项 {_money(c.row_amount)}")
    if c.row_share_column is not None:
        parts.append(f"按 {c.row_share_percent.normalize():f}%")
    if c.row_cap is not None:
        parts.append(f"每项上限 {_money(c.row_cap)}")
    if c.max_rows is not None:
        parts.append(f"最多 {c.max_rows} 项")
    if c.company_cap is not None:
        parts.append(f"合计上限 {_money(c.company_cap)}")
    return "按项支持（" + "，".join(parts) + "）"


def _item_changes(old: ItemSpec, new: ItemSpec, doc_title: dict[str, str]) -> list[str]:
    name = new.full_title
    out = []
    if old.full_title != new.full_title:
        out.append(f"{old.full_title} 改名为 {new.full_title}")
    if old.ceiling != new.ceiling:
        before, after = ceiling_text(old.ceiling), ceiling_text(new.ceiling)
        if before == after:
            out.append(f"{name}：支持标准的计算方式有变化")
        else:
            out.append(f"{name}：支持标准 {before} → {after}")
    if old.conditions != new.conditions or old.row_conditions != new.row_conditions:
        out.append(f"{name}：申报条件有变化")
    added = [d for d in new.documents if d not in old.documents]
    dropped = [d for d in old.documents if d not in new.documents]
    if added:
        out.append(f"{name}：新增所需材料 " + "、".join(doc_title.get(d, d) for d in added))
    if dropped:
        out.append(f"{name}：不再需要 " + "、".join(doc_title.get(d, d) for d in dropped))
    if [f.id for f in old.inputs] != [f.id for f in new.inputs]:
        out.append(f"{name}：需填写的内容有变化")
    if not out and old != new:
        out.append(f"{name}：其他细节有变化")
    return out


def _document_changes(old: DocumentSpec, new: DocumentSpec) -> list[str]:
    if old == new:
        return []
    if old.title != new.title:
        return [f"材料改名：{old.title} → {new.title}"]
    return [f"{new.title}：要求有变化（类型、原件或说明）"]


def guide_changes(old: Guide, new: Guide, data: ProjectData | None = None) -> GuideChanges:
    """What differs from ``old`` to ``new``; with ``data``, what that means for the project."""
    heading = []
    for label, a, b in (
        ("名称", old.title, new.title),
        ("文号", old.document_no or "（无）", new.document_no or "（无）"),
        ("年度", str(old.year), str(new.year)),
        ("编号", old.id, new.id),
    ):
        if a != b:
            heading.append(f"{label}：{a} → {b}")
    if (old.period_start, old.period_end) != (new.period_start, new.period_end):
        heading.append(
            f"支持期间：{old.period_start}至{old.period_end} → {new.period_start}至{new.period_end}"
        )

    doc_title = {d.id: d.title for d in old.documents} | {d.id: d.title for d in new.documents}
    items: list[str] = []
    old_items = {i.id: i for i in old.items}
    new_items = {i.id: i for i in new.items}
    for it in new.items:
        if it.id not in old_items:
            items.append(f"新增项目：{it.full_title}，支持标准 {ceiling_text(it.ceiling)}")
        else:
            items.extend(_item_changes(old_items[it.id], it, doc_title))
    for it in old.items:
        if it.id not in new_items:
            items.append(f"删除项目：{it.full_title}")

    documents: list[str] = []
    old_docs = {d.id: d for d in old.documents}
    new_docs = {d.id: d for d in new.documents}
    for d in new.documents:
        if d.id not in old_docs:
            documents.append(f"新增材料：{d.title}")
        else:
            documents.extend(_document_changes(old_docs[d.id], d))
    for d in old.documents:
        if d.id not in new_docs:
            documents.append(f"删除材料：{d.title}")
    if old.base_documents != new.base_documents:
        documents.append("所有项目共用的基本材料有变化")

    other: list[str] = []
    old_dates = {d.id: d for d in old.deadlines}
    for dl in new.deadlines:
        was = old_dates.get(dl.id)
        if was is None:
            other.append(f"新增日期：{dl.title} {dl.date}")
        elif (was.date, was.title) != (dl.date, dl.title):
            other.append(f"{dl.title}：{was.date} → {dl.date}")
    for dl in old.deadlines:
        if dl.id not in {n.id for n in new.deadlines}:
            other.append(f"删除日期：{dl.title} {dl.date}")
    if old.districts != new.districts:
        other.append("所属区有变化：" + "、".join(new.districts))
    if old.currencies != new.currencies:
        other.append("汇率表有变化")
    if old.tables != new.tables:
        other.append("明细表的列有变化")
    if old.conditions != new.conditions:
        other.append("申请对象和条件有变化")
    if old.process != new.process:
        other.append("申报流程有变化")
    if old.declaration != new.declaration or old.notes != new.notes:
        other.append("声明或注意事项的文字有变化")

    project = _project_effects(old, new, data) if data is not None else []
    return GuideChanges(heading, items, documents, other, project)


def _project_effects(old: Guide, new: Guide, data: ProjectData) -> list[str]:
    """The project's entries the new guide no longer has: kept in the file, but unused."""
    out = []
    for item_id in data.selected:
        if item_id not in new.item_ids:
            title = old.item(item_id).full_title if item_id in old.item_ids else item_id
            out.append(
                f"已选的项目“{title}”在新版本中没有，将不再申报（已填内容仍保存在项目文件中）"
            )
    new_docs = {d.id for d in new.documents}
    lost = sorted({f.document_id for f in data.evidence if f.document_id not in new_docs})
    for doc_id in lost:
        title = old.document(doc_id).title if doc_id in {d.id for d in old.documents} else doc_id
        count = sum(1 for f in data.evidence if f.document_id == doc_id)
        out.append(f"“{title}”的 {count} 个证明文件在新版本中没有对应材料，将不再放入申报材料")
    new_tables = {t.id for t in new.tables}
    for table_id, rows in data.tables.items():
        if rows and table_id not in new_tables:
            out.append(f"明细表 {table_id} 的 {len(rows)} 行在新版本中没有对应的表")
    return out
