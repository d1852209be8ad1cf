"""The overlay: one page per output page with the stamped page number (not on the cover),
the heading band of a document's first page, the 草稿 watermark of a draft, and the 初审用 mark
of a review print (in the top margin of every page but the 申请表's, and at the head of every
band: never over the evidence). The 申请表 pages carry no such mark: the district stamps that
very sheet and the company binds it into the final packet. Pages cut out for the online declaration carry no page number: their numbers
would not be the bound packet's."""

from __future__ import annotations

import io
from collections.abc import Callable

from reportlab.lib.colors import Color, black
from reportlab.pdfgen.canvas import Canvas

from app.packet.ink import Context
from app.packet.layout import A4, MM, band_box, content_box
from app.packet.plan import Plan, PlanPage
from app.system.errors import BuildCancelled

BAND_FILL = Color(0.93, 0.93, 0.93)
WATERMARK = Color(0.55, 0.55, 0.55, alpha=0.22)


REVIEW_MARK = "初审用"
REVIEW_HEADER = "初审用 · 勿装订 · 非正式递交材料"


def page_number_text(number: int, total: int) -> str:
    return f"第 {number} 页 共 {total} 页"


def render_overlay(
    ctx: Context,
    plan: Plan,
    draft: bool,
    cancel: Callable[[], bool] | None = None,
) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=True, pageCompression=1)
    for page in plan.pages:
        if cancel is not None and cancel():
            raise BuildCancelled()
        _overlay_page(c, ctx, plan, page, draft)
        c.showPage()
    c.save()
    return buf.getvalue()


def _overlay_page(c: Canvas, ctx: Context, plan: Plan, page: PlanPage, draft: bool) -> None:
    ink, layout = ctx.ink, ctx.layout
    review = plan.options.stage == "review"
    if review and page.kind != "form":  # the stamped form goes into the final packet
        content = content_box(layout, page.number, False)
        ink.draw(c, content.x1, A4[1] - layout.top_mm * MM / 2 - 3, REVIEW_HEADER, 9, "right")
    if draft:
        c.saveState()
        c.translate(A4[0] / 2, A4[1] / 2)
        c.rotate(45)
        ink.draw(c, 0, -40, "草稿", 120, "center", WATERMARK)
        c.restoreState()
    if page.band:
        box = band_box(layout, page.number)
        c.setFillColor(BAND_FILL)
        c.setStrokeColor(black)
        c.setLineWidth(0.6)
        c.rect(box.x0, box.y0 + 2 * MM, box.width, box.height - 3 * MM, fill=1, stroke=1)
        band = f"{REVIEW_MARK} · {page.band}" if review else page.band
        text, size = ink.fit(band, 10.5, box.width - 12, smallest=7.0)
        ink.draw(
            c, box.x0 + 6, box.y0 + 2 * MM + (box.height - 3 * MM) / 2 - size * 0.35, text, size
        )
    if page.stamped and plan.options.stage != "online":  # uploaded files: the packet's own
        content = content_box(layout, page.number, False)
        x = (content.x0 + content.x1) / 2
        ink.draw(
            c,
            x,
            layout.bottom_mm * MM / 2 - 2,
            page_number_text(page.number, plan.total),
            10,
            "center",
        )
