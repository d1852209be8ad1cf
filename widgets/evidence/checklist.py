"""The 材料 checklist as plain data: which documents the chosen items need, where each is
listed, what is attached, and the texts that describe a node. No widgets here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from app.entry.values import display
from app.guide.model import DocumentSpec, Guide, ItemSpec
from app.model import EvidenceFile, ProjectData, Row
from app.rules.evaluation import cell, required_when_text
from app.rules.findings import LOW_DPI, required_documents, selected_items

DocKey = tuple[str, str | None]  # (document id, row id)

MISSING, ATTACHED, WARNING, NONE, GENERATED = "missing", "attached", "warning", "none", "generated"
STATE_COLORS = {
    MISSING: "#d93025",
    ATTACHED: "#1e8e3e",
    WARNING: "#e37400",
    NONE: "#9aa0a6",
    GENERATED: "#1a73e8",
}
PROOF_NOTE = "参照共用的证明材料"
GENERATED_NOTE = "由程序生成"


def combine(states: Iterable[str]) -> str:
    """The state of a group: missing wins, then warning, then attached."""
    found = set(states)
    for state in (MISSING, WARNING, ATTACHED):
        if state in found:
            return state
    return NONE


@dataclass
class Node:
    """One line of the checklist tree."""

    kind: str  # section, item, row, doc, generated, proof, pointer, empty, unused
    ident: str  # stable across rebuilds (expansion and selection survive a refresh)
    label: str
    key: DocKey | None = None  # documents: the files they hold
    doc: DocumentSpec | None = None
    owner: str = ""  # item title / 基本材料 the document belongs to
    row_label: str = ""
    shared_with: str = ""  # pointer: where the document is listed and attached
    note: str = ""  # status column text
    state: str = NONE
    required: bool = False
    children: list[Node] = field(default_factory=list)

    @property
    def attachable(self) -> bool:
        return self.key is not None and self.kind in ("doc", "pointer")


def row_label(guide: Guide, table_id: str, row: Row, n: int) -> str:
    """“第n行：<label>” for a table row (its TableSpec.row_label column)."""
    table = guide.table(table_id)
    spec = table.column(table.row_label)
    text = display(spec, cell(spec, row.values), guide)
    return f"第{n}行：{text}" if text else f"第{n}行（{spec.label}未填写）"


def file_state(files: Sequence[EvidenceFile]) -> str:
    if not files:
        return MISSING
    low = any(p.dpi is not None and p.dpi < LOW_DPI for f in files for p in f.pages)
    return WARNING if low else ATTACHED


def files_note(files: Sequence[EvidenceFile]) -> str:
    pages = sum(f.page_count for f in files)
    text = f"{len(files)} 个文件，{pages} 页"
    if file_state(files) == WARNING:
        text += "，分辨率偏低"
    return text


def build_checklist(guide: Guide, data: ProjectData) -> tuple[list[Node], int, int]:
    """The tree of the 材料 page, plus (attached, required) counts for the summary line."""
    required = required_documents(guide, data)
    required_set = set(required)
    files: dict[DocKey, list[EvidenceFile]] = {}
    for f in sorted(data.evidence, key=lambda f: f.order):
        files.setdefault((f.document_id, f.row_id), []).append(f)
    items = selected_items(guide, data)
    shown: dict[DocKey, str] = {}  # document -> where it is listed first (and attached)
    short = {it.full_title: it.number for it in guide.items}

    def doc_node(doc: DocumentSpec, row_id: str | None, owner: str, prefix: str) -> Node:
        key = (doc.id, row_id)
        ident = f"{prefix}:{doc.id}:{row_id or ''}"
        label = doc.title + ("（可选）" if doc.optional else "")
        if doc.kind == "generated":
            return Node(
                "generated",
                ident,
                label,
                doc=doc,
                owner=owner,
                note=GENERATED_NOTE,
                state=GENERATED,
            )
        attached = files.get(key, [])
        if key in shown:
            node = Node("pointer", ident, label, key=key, doc=doc, owner=owner)
            node.shared_with = shown[key]
            node.note = f"与{short.get(shown[key], shown[key])}共用"
            node.state = file_state(attached) if attached else (NONE if doc.optional else MISSING)
            node.required = False
            return node
        shown[key] = owner
        node = Node("doc", ident, label, key=key, doc=doc, owner=owner)
        node.required = key in required_set
        if attached:
            node.state = file_state(attached)
            node.note = files_note(attached)
        elif node.required:
            node.state, node.note = MISSING, "缺少"
        else:
            node.state, node.note = NONE, "可选" if doc.optional else "无需"
            if doc.required_when is not None and not doc.optional:
                node.note = "无需（没有相应的明细行）"
        return node

    roots: list[Node] = []
    base = Node("section", "section:base", "基本材料")
    process = guide.process
    for doc_id in guide.base_documents:
        base.children.append(doc_node(guide.document(doc_id), None, "基本材料", "base"))
        if process is not None and process.stamped_form and doc_id == process.replaces:
            # the district-stamped form, attached once the review passed (正式装订材料 use it)
            stamped = doc_node(guide.document(process.stamped_form), None, "基本材料", "base")
            if not stamped.note or stamped.note == "可选":
                stamped.note = "初审通过后附上"
            base.children.append(stamped)
    roots.append(base)

    for item in items:
        roots.append(_item_node(guide, data, item, doc_node))

    extra = [k for k in files if k not in shown]
    if extra:
        section = Node("section", "section:unused", "不在本次申报范围内的文件（不会放入申报材料）")
        labels = _all_row_labels(guide, data)
        for key in extra:
            doc_id, row_id = key
            try:
                title = guide.document(doc_id).title
            except KeyError:
                title = doc_id
            where = ""
            if row_id is not None:
                where = labels.get(row_id, "已删除的行")
            node = Node("unused", f"unused:{doc_id}:{row_id or ''}", title, key=key)
            node.row_label = where
            if where:
                node.label = f"{title}（{where}）"
            node.state = WARNING
            node.note = files_note(files[key])
            section.children.append(node)
        roots.append(section)

    for root in roots:
        _summarise(root)
    needed = len(required)
    attached_count = sum(1 for k in required if files.get(k))
    return roots, attached_count, needed


def _all_row_labels(guide: Guide, data: ProjectData) -> dict[str, str]:
    out: dict[str, str] = {}
    for table in guide.tables:
        for n, row in enumerate(data.rows(table.id), start=1):
            out[row.id] = f"{table.title}{row_label(guide, table.id, row, n)}"
    return out


_DocNodeMaker = Callable[[DocumentSpec, str | None, str, str], Node]


def _item_node(guide: Guide, data: ProjectData, item: ItemSpec, doc_node: _DocNodeMaker) -> Node:
    node = Node("item", f"item:{item.id}", item.full_title)
    rows = data.rows(item.table) if item.table else ()
    row_nodes: list[Node] | None = None
    for doc_id in item.documents:
        doc = guide.document(doc_id)
        if doc.kind == "proof_set":
            assert doc.set is not None
            proof = Node("proof", f"proof:{item.id}:{doc.id}", doc.title, doc=doc, note=PROOF_NOTE)
            proof.owner = item.full_title
            for member in guide.document_set(doc.set).documents:
                proof.children.append(
                    doc_node(guide.document(member), None, item.full_title, f"set:{item.id}")
                )
            node.children.append(proof)
        elif doc.per_row:
            if row_nodes is None:
                row_nodes = []
                table_title = guide.table(item.table).title if item.table else ""
                if not rows:
                    node.children.append(
                        Node(
                            "empty",
                            f"empty:{item.id}",
                            f"尚未填写“{table_title}”：在“申报项目”页添加后，每行的材料列在这里",
                        )
                    )
                for n, row in enumerate(rows, start=1):
                    label = row_label(guide, item.table or "", row, n)
                    row_node = Node("row", f"row:{item.id}:{row.id}", label, row_label=label)
                    row_nodes.append(row_node)
                    node.children.append(row_node)
            for row_node, row in zip(row_nodes, rows, strict=True):
                child = doc_node(doc, row.id, item.full_title, f"item:{item.id}")
                child.row_label = row_node.label
                row_node.children.append(child)
        else:
            node.children.append(doc_node(doc, None, item.full_title, f"item:{item.id}"))
    return node


def _summarise(node: Node) -> str:
    if not node.children:
        return node.state
    states = [_summarise(c) for c in node.children]
    if node.kind in ("section", "item", "row", "proof"):
        node.state = combine(s for s in states if s != GENERATED)
        if node.kind == "proof":
            return node.state
        docs = [d for d in walk(node) if d.kind == "doc" and d.required]
        if (docs and node.kind != "section") or node.ident == "section:base":
            done = sum(1 for d in docs if d.state in (ATTACHED, WARNING))
            node.note = f"已附 {done} / {len(docs)}"
    return node.state


def walk(node: Node) -> Iterable[Node]:
    for child in node.children:
        yield child
        yield from walk(child)


def group_note(node: Node) -> str:
    """The text under a group's title (section, item, row, proof set, empty table)."""
    if node.kind == "proof":
        return (
            f"{PROOF_NOTE}：以下材料在申报材料中只放一份，"
            "已在其他项目下附过的，这里不必再附。请选择下面的具体材料添加文件。"
        )
    if node.kind == "empty":
        return "请先在“申报项目”页的表格中添加行。"
    if node.kind == "unused":
        return ""
    docs = [d for d in walk(node) if d.kind == "doc" and d.required]
    missing = [d for d in docs if d.state == MISSING]
    if not docs:
        return "这里的材料由程序生成，无需附文件。"
    if not missing:
        return f"共 {len(docs)} 项材料，均已附上。"
    return f"共 {len(docs)} 项材料，还缺 {len(missing)} 项。请选择下面的具体材料添加文件。"


def requirement_note(node: Node, guide: Guide | None = None) -> str:
    """The requirements of a document node: where it belongs, original or copy, signatures."""
    doc = node.doc
    lines: list[str] = []
    if node.kind == "unused":
        return (
            "该材料不在本次申报范围内（未选择相应项目或该行已删除），这些文件不会放入申报材料。"
            "可以移除它们；如果重新选择该项目或撤销删除行，文件会回到原位。"
        )
    assert doc is not None
    where = node.owner + (f" › {node.row_label}" if node.row_label else "")
    if where:
        lines.append(f"所属：{where}")
    if doc.kind == "generated":
        lines.append("由程序根据您填写的数据生成，无需附文件。打印后按要求签名盖章。")
    elif doc.original:
        lines.append("要求：原件，放入申报材料。")
    elif doc.copy_of_original:
        lines.append("要求：复印件（扫描件），递交时携带原件以便核对。")
    else:
        lines.append("要求：扫描件或截图。")
    if doc.kind == "narrative":
        signs = "、".join(doc.signatures or ("法定代表人签名", "企业盖章"))
        lines.append(
            f"需由企业填写并{signs}后扫描添加。可先点“生成Word模板并打开”，模板已填好企业信息。"
        )
    elif doc.signatures:
        lines.append("需要：" + "、".join(doc.signatures) + "。")
    if doc.optional:
        lines.append("此项为可选材料，没有可以不附。")
    condition = required_when_text(guide, doc) if guide is not None else ""
    if condition:
        lines.append(condition)
    if node.kind == "pointer":
        lines.append(f"与“{node.shared_with}”共用，只需附一次：在这里添加的文件就是该处的文件。")
    if doc.note:
        lines.append(doc.note)
    return "\n".join(lines)
