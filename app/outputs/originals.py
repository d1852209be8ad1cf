"""The originals checklist: what to bring, what goes in as an original, what to sign and seal.

The guide asks applicants to bring the original of every copy for checking, puts some originals
into the packet itself, and needs signatures and seals on the application form and the narrative
reports. :func:`originals_checklist` lists them for the selected items (per row where the
document is per row), and :func:`write_originals_pdf` prints them as an A4 tick list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
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
from app.guide.model import Guide
from app.model import ProjectData
from app.outputs.originals_list import (
    BASE_SECTION,
    BRING_ORIGINAL,
    OriginalsLine,
    original_inside,
    originals_checklist,
    stamped_inside,
)
from app.system.about import APP_NAME
from app.system.fonts import register_fonts

__all__ = [
    "BASE_SECTION",
    "BRING_ORIGINAL",
    "OriginalsLine",
    "original_inside",
    "originals_checklist",
    "stamped_inside",
    "write_originals_pdf",
]

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
