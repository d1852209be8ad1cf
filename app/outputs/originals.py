"""The originals checklist: what to bring, what goes in as an original, what to sign and seal.

The guide asks applicants to bring the original of every copy for checking, puts some originals
into the packet itself, and needs signatures and seals on the application form and the narrative
reports. :func:`originals_checklist` lists them for the selected items (per row where the
document is per row), and :func:`write_originals_pdf` prints them as an A4 tick list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.files import write_output
from app.guide.model import DocumentSpec, Guide
from app.model import ProjectData
from app.outputs.templates import narrative_signatures
from app.rules.evaluation import cell
from app.rules.findings import required_documents
from app.system.about import APP_NAME
from app.system.fonts import register_fonts

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


# ---------------------------------------------------------------------------------------------
# PDF


class _TickBox(Flowable):
    """An empty square to tick by hand."""

    def __init__(self, size: float) -> None:
        super().__init__()
        self.size = size
        self.width = size
        self.height = size

    def draw(self) -> None:
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)


def _numbered(footer: Callable[[Canvas, int], None]) -> type[Canvas]:
    """A canvas that holds its pages until the end, so each footer can say 共 M 页."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for state in self._held:
                self.__dict__.update(state)
                footer(self, len(self._held))
                super().showPage()
            super().save()

    return NumberedCanvas


def write_originals_pdf(
    path: Path,
    guide: Guide,
    project: ProjectData,
    lines: Sequence[OriginalsLine],
    today: dt.date | None = None,
) -> None:
    """Print ``lines`` as an A4 checklist (title, company, date, a tick box per line)."""
    font = register_fonts()
    date = today or dt.date.today()
    base = ParagraphStyle("body", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    small = ParagraphStyle("small", parent=base, fontSize=9, leading=12)
    title_style = ParagraphStyle(
        "title", parent=base, fontSize=18, leading=24, alignment=1, spaceAfter=4 * mm
    )
    head = ParagraphStyle("head", parent=base, textColor=colors.white)
    section_style = ParagraphStyle("section", parent=base, fontSize=11, leading=15)

    def para(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text), style)

    story: list[Flowable] = [
        para("原件核对清单", title_style),
        para(f"企业全称：{project.company.name or '（未填写）'}", section_style),
        para(f"申报事项：{guide.title}", small),
        para(f"制表日期：{date.year}年{date.month}月{date.day}日", small),
        Spacer(1, 3 * mm),
        para(_intro(guide), small),
        Spacer(1, 4 * mm),
    ]
    widths = [11 * mm, 11 * mm, 76 * mm, 33 * mm, 45 * mm]
    data: list[list[object]] = [
        [
            para("核对", head),
            para("序号", head),
            para("材料", head),
            para("对应", head),
            para("要求", head),
        ]
    ]
    style: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#404040")),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 1), (1, -1), "CENTER"),
    ]
    section: str | None = None
    for number, line in enumerate(lines, start=1):
        if line.section != section:
            section = line.section
            data.append([para(section, section_style), "", "", "", ""])
            r = len(data) - 1
            style += [
                ("SPAN", (0, r), (-1, r)),
                ("BACKGROUND", (0, r), (-1, r), colors.HexColor("#E8E8E8")),
            ]
        data.append(
            [
                _TickBox(4 * mm),
                para(str(number)),
                para(line.title),
                para(line.row_label or ""),
                para(line.what),
            ]
        )
    if not lines:
        data.append(["", "", para("（所选项目没有需要核对的原件或签章）"), "", ""])
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(style))
    story.append(table)
    story.append(Spacer(1, 8 * mm))
    story.append(para("核对人：____________        核对日期：______年____月____日", base))

    def footer(canvas: Canvas, total: int) -> None:
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(
            A4[0] / 2, 10 * mm, f"原件核对清单  第 {canvas.getPageNumber()} 页 共 {total} 页"
        )
        canvas.restoreState()

    def build(tmp: Path) -> None:
        doc = SimpleDocTemplate(
            str(tmp),
            pagesize=A4,
            leftMargin=15 * mm,
            rightMargin=15 * mm,
            topMargin=15 * mm,
            bottomMargin=18 * mm,
            title="原件核对清单",
            author=project.company.name or APP_NAME,
            subject=guide.title,
            creator=APP_NAME,
            lang="zh-CN",
            displayDocTitle=True,  # the window bar shows 原件核对清单, not the file name
        )
        doc.build(story, canvasmaker=_numbered(footer))

    write_output(path, build, "原件核对清单")


def _intro(guide: Guide) -> str:
    boxes = guide.cover_boxes
    if len(boxes) >= 2:
        inside = (
            f"“原件装入{boxes[0]}”的材料须将原件装订在封面勾选“{boxes[0]}”的一份中，"
            f"另一份（{boxes[1]}）放复印件并注明“原件见{boxes[0]}”；"
        )
    else:
        inside = "“原件装入申报材料”的材料须将原件装订在申报材料中；"
    return (
        "请逐项核对：“携带原件核对”的材料递交时须带原件备查；"
        + inside
        + "签名、盖章项须在装订前完成。"
    )
