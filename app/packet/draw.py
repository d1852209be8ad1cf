"""Drawing the packet's own pages with reportlab: one "drawn" PDF and one overlay PDF.

The drawn PDF holds, in plan order, every page that is not a scan: cover, 目录, 申请表,
generated tables, reference, blank and placeholder pages. Flowing parts (the 申请表 and the
tables) are laid out with platypus into frames of the page's content box; their page counts
are measured first (:func:`measure_parts`) so the plan can number everything before drawing.

Every string drawn goes through :class:`Ink`, which records the characters the bundled font
lacks, so the build can warn instead of printing blanks.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.colors import black
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame

from app.packet.assemble import LinkArea
from app.packet.cover import draw_cover
from app.packet.form import form_story
from app.packet.ink import (
    GREY,
    LIGHT,
    MM,
    TA_CENTER,
    TA_LEFT,
    TA_RIGHT,
    Context,
    Ink,
    StoryFactory,
    Unbroken,
    missing_glyphs,
    style,
)
from app.packet.layout import A4, Box, Layout, content_box
from app.packet.plan import FORM_PART, Plan, PlanPage, span_text, table_part
from app.packet.tables import generated_tables, landscape, table_story
from app.packet.toc import draw_toc_page
from app.system.errors import BuildCancelled

MAX_FLOW_PAGES = 500


class Flow:
    """A platypus story poured page by page into frames (the doc template's job, by hand, so
    each page can sit on its own side of the binding gutter)."""

    def __init__(self, story: Sequence[Flowable], label: str, landscape: bool = False) -> None:
        self.story = list(story)
        self.label = label
        # A landscape story is poured into the box turned a quarter: its top lies along the
        # page's left edge and its lines read bottom to top, as bound reports print wide tables.
        self.landscape = landscape

    @property
    def done(self) -> bool:
        return not self.story

    def fill(self, c: Canvas, box: Box) -> None:
        if not self.landscape:
            self._fill(c, box)
            return
        c.saveState()
        c.translate(box.x0, box.y0)
        c.rotate(90)  # (u, v) -> (x0 - v, y0 + u): the frame below covers the box exactly
        self._fill(c, Box(0, -box.width, box.height, 0))
        c.restoreState()

    def _fill(self, c: Canvas, box: Box) -> None:
        frame = Frame(
            box.x0,
            box.y0,
            box.width,
            box.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            showBoundary=0,
        )
        placed = 0
        while self.story:
            head = self.story[0]
            if isinstance(head, Unbroken):
                self.story[0] = head.content
                _, need = head.content.wrap(box.width, box.height)
                if placed and need > frame._y - frame._y1p:  # reportlab keeps no public API
                    break
                continue
            if frame.add(head, c, trySplit=0):
                self.story.pop(0)
                placed += 1
                continue
            parts = frame.split(head, c)
            if parts and frame.add(parts[0], c, trySplit=1):
                self.story[0:1] = parts[1:]
                placed += 1
            elif placed == 0:
                raise ValueError(f"{self.label}: a flowable does not fit on an empty page")
            break


def flow_box(layout: Layout, number: int, band: bool) -> Box:
    return content_box(layout, number, band)


def count_flow_pages(
    story: Sequence[Flowable], label: str, layout: Layout, band: bool, landscape: bool = False
) -> int:
    """Pages the story takes (drawn on a throwaway canvas; the same boxes as the real pass)."""
    flow = Flow(story, label, landscape)
    c = Canvas(io.BytesIO(), pagesize=A4)
    pages = 0
    while not flow.done:
        pages += 1
        if pages > MAX_FLOW_PAGES:
            raise ValueError(f"{label}: more than {MAX_FLOW_PAGES} pages")
        flow.fill(c, flow_box(layout, pages + 1, band and pages == 1))
        c.showPage()
    return max(pages, 1)


def measure_parts(ctx: Context) -> dict[str, int]:
    """Pages of the independently drawn parts: the 申请表 and every generated table."""
    counts = {FORM_PART: count_flow_pages(form_story(ctx), "申请表", ctx.layout, False)}
    for table_id in generated_tables(ctx.guide, ctx.project):
        story = table_story(ctx, table_id)
        turned = landscape(ctx.guide, table_id)
        counts[table_part(table_id)] = count_flow_pages(story, table_id, ctx.layout, True, turned)
    return counts


@dataclass(frozen=True)
class Drawn:
    pdf: bytes
    index: dict[int, int]  # plan page number -> page index in the drawn PDF
    links: list[LinkArea]


def render_drawn(
    ctx: Context,
    plan: Plan,
    progress: Callable[[PlanPage], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Drawn:
    """Draw every non-scan page of ``plan`` into one PDF, in plan order."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=True, pageCompression=1)
    c.setTitle(ctx.guide.packet_title)
    index: dict[int, int] = {}
    links: list[LinkArea] = []
    flows: dict[int, Flow] = {}  # entry -> its flow in progress
    for page in plan.pages:
        if not page.drawn:
            continue
        if cancel is not None and cancel():
            raise BuildCancelled()
        if progress is not None:
            progress(page)
        number = page.number
        box = content_box(ctx.layout, number, page.band is not None)
        if page.kind == "cover":
            draw_cover(c, ctx, content_box(ctx.layout, number, False))
        elif page.kind == "toc":
            links += draw_toc_page(c, ctx, plan, page, box)
        elif page.kind in ("form", "table"):
            key = page.entry if page.entry is not None else -1
            if page.part_page == 0:
                if page.kind == "form":
                    flows[key] = Flow(form_story(ctx), "申请表")
                else:
                    tid = page.table_id or ""
                    flows[key] = Flow(table_story(ctx, tid), tid, landscape(ctx.guide, tid))
            flow = flows.get(key)
            if flow is not None and not flow.done:
                flow.fill(c, box)
        elif page.kind == "blank":
            draw_blank(c, ctx, box)
        elif page.kind == "placeholder":
            draw_placeholder(c, ctx, box, page)
        elif page.kind == "reference":
            draw_reference(c, ctx, box, page, plan)
        index[number] = c.getPageNumber() - 1
        c.showPage()
    c.save()
    return Drawn(buf.getvalue(), index, links)


def draw_blank(c: Canvas, ctx: Context, box: Box) -> None:
    ctx.ink.draw(c, (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2, "此页无正文", 12, "center", GREY)


def draw_placeholder(c: Canvas, ctx: Context, box: Box, page: PlanPage) -> None:
    ink = ctx.ink
    c.setStrokeColor(GREY)
    c.setDash(6, 4)
    c.rect(box.x0, box.y0, box.width, box.height)
    c.setDash()
    c.setStrokeColor(black)
    para = ink.para(page.text, style(ink, 20, TA_CENTER, leading=30))
    _, h = para.wrap(box.width - 40, box.height)
    para.drawOn(c, box.x0 + 20, box.y0 + box.height * 0.62 - h / 2)
    note = ink.para(
        "草稿：此处应放入上述材料。请在“材料”步骤中添加该文件后重新生成；正式申报材料不得缺少此项。",
        style(ink, 11, TA_CENTER, textColor=GREY),
    )
    _, h2 = note.wrap(box.width - 60, box.height)
    note.drawOn(c, box.x0 + 30, box.y0 + box.height * 0.45 - h2)


def draw_reference(c: Canvas, ctx: Context, box: Box, page: PlanPage, plan: Plan) -> None:
    ink = ctx.ink
    y = box.y1 - 60
    title = ink.para(page.text, style(ink, 15, TA_CENTER, leading=22))
    _, h = title.wrap(box.width - 20, box.height)
    title.drawOn(c, box.x0 + 10, y - h)
    y -= h + 36
    span = span_text(page.references)
    ink.draw(c, (box.x0 + box.x1) / 2, y, f"本项材料见第 {span} 页", 16, "center")
    y -= 40
    if len(page.references) > 1:
        line = style(ink, 11, TA_LEFT, leading=16)
        for n, ref in enumerate(page.references, start=1):
            pages = (
                str(ref.first_page)
                if ref.first_page == ref.last_page
                else f"{ref.first_page}–{ref.last_page}"
            )
            p = ink.para(f"{n}. {ref.title}：见第 {pages} 页", line)
            _, h = p.wrap(box.width - 80, box.height)
            p.drawOn(c, box.x0 + 40, y - h)
            y -= h + 8
    ink.draw(
        c,
        (box.x0 + box.x1) / 2,
        box.y0 + 40,
        "（同一材料在本申报材料中只装订一份，以上页码为本册页码。）",
        10,
        "center",
        GREY,
    )


def center_x(layout: Layout, number: int) -> float:
    box = content_box(layout, number, False)
    return (box.x0 + box.x1) / 2


__all__ = [
    "GREY",
    "LIGHT",
    "MM",
    "TA_CENTER",
    "TA_LEFT",
    "TA_RIGHT",
    "Context",
    "Drawn",
    "Flow",
    "Ink",
    "StoryFactory",
    "Unbroken",
    "center_x",
    "measure_parts",
    "missing_glyphs",
    "render_drawn",
    "style",
]
