"""The 目录: one line per plan entry, dot leaders, right-aligned page numbers, clickable."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from app.packet.assemble import LinkArea
from app.packet.ink import Context
from app.packet.layout import Box
from app.packet.plan import Plan, PlanPage

LINE_HEIGHT = 22.0
TITLE_SPACE = 64.0
INDENT = 22.0
NUMBER_WIDTH = 52.0
SIZES = {0: 11.5, 1: 10.5, 2: 10.0}


def draw_toc_page(c: Canvas, ctx: Context, plan: Plan, page: PlanPage, box: Box) -> list[LinkArea]:
    """Draw 目录 page ``page.part_page``; returns the link areas of its lines."""
    ink = ctx.ink.song()  # 宋体, as the form
    y = box.y1 - 8
    if page.part_page == 0:
        ink.draw(c, (box.x0 + box.x1) / 2, y - 22, "目    录", 20, "center")
        y -= TITLE_SPACE
    else:
        ink.draw(c, (box.x0 + box.x1) / 2, y - 12, "目录（续）", 12, "center")
        y -= 30
    links: list[LinkArea] = []
    right = box.x1
    for index in plan.toc_page_entries(page.part_page):
        entry = plan.entries[index]
        size = SIZES.get(entry.level, 10.0)
        x = box.x0 + INDENT * entry.level
        baseline = y - LINE_HEIGHT + 7
        number = entry.pages_text
        avail = right - NUMBER_WIDTH - x - 6
        title, size = ink.fit(entry.title, size, avail)
        ink.draw(c, x, baseline, title, size)
        if number:
            ink.draw(c, right, baseline, number, 10.5, "right")
            start = x + ink.width(title, size) + 4
            end = right - ink.width(number, 10.5) - 4
            if end - start > 6:
                c.setDash(1, 2.5)
                c.setLineWidth(0.6)
                c.line(start, baseline + 1, end, baseline + 1)
                c.setDash()
                c.setLineWidth(1)
            if entry.first_page is not None:
                links.append(
                    LinkArea(
                        page=page.number - 1,
                        rect=(x, y - LINE_HEIGHT + 2, right, y),
                        target_page=entry.first_page - 1,
                    )
                )
        y -= LINE_HEIGHT
    return links
