"""The originals checklist as data: what to bring, what goes in as an original, what to sign
and seal (:func:`originals_checklist`). Plain look-ups, without the PDF libraries: the 检查 page
lists it on the window's thread (:mod:`app.outputs.originals` prints it)."""

from __future__ import annotations

from dataclasses import dataclass

from app.guide.model import DocumentSpec, Guide
from app.model import ProjectData
from app.rules.evaluation import cell
from app.rules.findings import required_documents

DEFAULT_SIGNATURES: tuple[str, ...] = ("法定代表人签名", "企业盖章")
"""What a narrative report ends with beside the guide's own signature lines."""


def narrative_signatures(doc: DocumentSpec) -> tuple[str, ...]:
    """The signature and seal lines a narrative document ends with (the guide's first)."""
    return tuple(dict.fromkeys((*doc.signatures, *DEFAULT_SIGNATURES)))


BRING_ORIGINAL = "携带原件核对"
BASE_SECTION = "基本材料"


def original_inside(guide: Guide) -> str:
    """Where an original goes: with two copies marked on the cover (正本 / 副本), into the
    first, the other taking a copy; else simply into the packet."""
    boxes = guide.cover_boxes
    if len(boxes) >= 2:
        return f"原件装入{boxes[0]}；{boxes[1]}放复印件，注明“原件见{boxes[0]}”"
    return "原件装入申报材料"


def stamped_inside(guide: Guide) -> str:
    """Where the stamped form's original goes (a guide with a stamping stage). One story with
    the 输出 page and the build: the bound packet holds the stamped original; the PDF holds its
    scan in that place (for the page numbers and the online declaration)."""
    process = guide.process
    if process is None or process.stamped_form is None or process.replaces is None:
        return ""
    stamped = guide.document(process.stamped_form).title.replace("（扫描件）", "")
    return f"{stamped}原件装入正式装订材料（替换该处打印的扫描件）"


@dataclass(frozen=True)
class OriginalsLine:
    section: str  # "基本材料" or the item's full title
    title: str  # the document's title
    row_label: str | None  # the row (certification, person, project) for per-row documents
    what: str  # BRING_ORIGINAL, ORIGINAL_INSIDE or the signature / seal needed


def originals_checklist(guide: Guide, project: ProjectData) -> list[OriginalsLine]:
    """Every original to bring, original to put in, and signature or seal still needed."""
    required = set(required_documents(guide, project))
    labels: dict[str, str] = {}
    for table in guide.tables:
        for n, row in enumerate(project.rows(table.id), start=1):
            labels[row.id] = str(cell(table.column(table.row_label), row.values) or f"第{n}行")

    out: list[OriginalsLine] = []
    seen: set[tuple[str, str | None]] = set()

    def add(section: str, doc: DocumentSpec, row_id: str | None) -> None:
        key = (doc.id, row_id)
        if key in seen:
            return
        seen.add(key)
        label = labels.get(row_id) if row_id is not None else None
        if key in required:
            if doc.original:
                out.append(OriginalsLine(section, doc.title, label, original_inside(guide)))
            elif doc.copy_of_original:
                out.append(OriginalsLine(section, doc.title, label, BRING_ORIGINAL))
        signatures = doc.signatures
        if doc.kind == "narrative":
            signatures = narrative_signatures(doc)
        if doc.kind in ("generated", "narrative") or key in required:
            for sig in signatures:
                out.append(OriginalsLine(section, doc.title, label, sig))

    for doc_id in guide.base_documents:
        add(BASE_SECTION, guide.document(doc_id), None)
        process = guide.process
        if process is not None and process.stamped_form and doc_id == process.replaces:
            out.append(
                OriginalsLine(
                    BASE_SECTION,
                    guide.document(process.stamped_form).title,
                    None,
                    stamped_inside(guide),
                )
            )
    for item in guide.items:
        if item.id not in project.selected:
            continue
        for doc_id in item.documents:
            doc = guide.document(doc_id)
            members = [doc]
            if doc.kind == "proof_set" and doc.set is not None:
                members = [guide.document(m) for m in guide.document_set(doc.set).documents]
            for member in members:
                if member.optional:
                    continue
                if member.per_row:
                    for row in project.rows(item.table or ""):
                        add(item.full_title, member, row.id)
                else:
                    add(item.full_title, member, None)
    return out
