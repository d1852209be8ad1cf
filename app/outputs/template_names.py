"""The names of the Word templates a build writes: which narrative documents of the selected
items get one (per row for per-row documents) and each file's name. Kept apart from the writer
(``app.outputs.templates``, python-docx) so that the build names its outputs without loading
python-docx, whose work happens beside the packet's (``app.outputs.side``)."""

from __future__ import annotations

from pathlib import Path

from app.files import output_name
from app.guide.model import DocumentSpec, Guide, ItemSpec, TableSpec
from app.model import ProjectData, Row
from app.rules.evaluation import cell


def narrative_documents(
    guide: Guide, project: ProjectData
) -> list[tuple[DocumentSpec, str | None]]:
    """(document, row id) for each narrative document of the selected items, in guide order;
    per-row documents once for each row of the item's table."""
    out: list[tuple[DocumentSpec, str | None]] = []
    for item in selected_items(guide, project):
        for doc_id in item.documents:
            doc = guide.document(doc_id)
            if doc.kind != "narrative":
                continue
            keys: list[str | None] = (
                [row.id for row in project.rows(item.table or "")] if doc.per_row else [None]
            )
            for key in keys:
                if (doc, key) not in out:
                    out.append((doc, key))
    return out


def template_file_name(
    guide: Guide,
    project: ProjectData,
    doc: DocumentSpec,
    row_id: str | None,
    folder: Path | None = None,
) -> str:
    """``"国际资质认证奖励申请报告.docx"``; per row ``"项目简单说明-<项目名>.docx"`` (safe names,
    :func:`app.files.output_name`; the whole path in ``folder`` within Windows' limits)."""
    stem = doc.title.strip().strip("《》")
    if row_id is not None:
        table, row, n = find_row(guide, project, doc, row_id)
        label = row_label(table, row, n)
        same = [
            r for i, r in enumerate(project.rows(table.id), 1) if row_label(table, r, i) == label
        ]
        if len(same) > 1:
            label = f"{label}（第{n}行）"
        stem = f"{stem}-{label}"
    return output_name(stem, ".docx", folder).name


def selected_items(guide: Guide, project: ProjectData) -> list[ItemSpec]:
    return [it for it in guide.items if it.id in project.selected]


def owner_item(guide: Guide, project: ProjectData, doc: DocumentSpec) -> ItemSpec:
    for item in selected_items(guide, project):
        if doc.id in item.documents:
            return item
    for item in guide.items:
        if doc.id in item.documents:
            return item
    raise KeyError(doc.id)


def find_row(
    guide: Guide, project: ProjectData, doc: DocumentSpec, row_id: str
) -> tuple[TableSpec, Row, int]:
    item = owner_item(guide, project, doc)
    table = guide.table(item.table or "")
    for n, row in enumerate(project.rows(table.id), start=1):
        if row.id == row_id:
            return table, row, n
    raise KeyError(row_id)


def row_label(table: TableSpec, row: Row, n: int) -> str:
    return str(cell(table.column(table.row_label), row.values) or f"第{n}行")
