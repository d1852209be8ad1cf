"""The cover (封面): packet title, applicant, selected items, contact and the date line."""

from __future__ import annotations

from reportlab.lib.colors import black
from reportlab.pdfgen.canvas import Canvas

from app.packet.ink import TA_CENTER, TA_LEFT, Context, style
from app.packet.layout import Box
from app.packet.plan import item_title
from app.rules.company import printed_district

BLOCK_TOP = 290.0  # the applicant block starts this far above the bottom of the content box


def draw_cover(c: Canvas, ctx: Context, box: Box) -> None:
    ink, guide, project = ctx.ink, ctx.guide, ctx.project
    company = project.company
    mid = (box.x0 + box.x1) / 2

    # The guide's boxes (正本 / 副本), top right.
    y = box.y1 - 14
    x = box.x1 - 60 * len(guide.cover_boxes)
    for label in guide.cover_boxes:
        c.setStrokeColor(black)
        c.rect(x, y - 2, 10, 10)
        ink.draw(c, x + 14, y, label, 11)
        x += 60

    title = ink.title(guide.packet_title, style(ink, 24, TA_CENTER, leading=38), box.width - 30)
    _, h = title.wrap(box.width - 30, box.height)
    top = box.y1 - 120
    title.drawOn(c, box.x0 + 15, top - h)
    y = top - h - 26
    c.setLineWidth(1.5)
    c.line(box.x0 + 40, y, box.x1 - 40, y)
    c.setLineWidth(1)

    # The selected items, between the rule and the applicant block (smaller when many).
    block_top = box.y0 + BLOCK_TOP
    y -= 36
    ink.draw(c, mid, y, "申报项目", 14, "center")
    y -= 8
    names = [item_title(guide.item(i)) for i in project.selected]
    room = y - block_top - 30
    leading = min(20.0, room / max(len(names), 1))
    item_style = style(ink, min(13.0, leading * 0.7), TA_CENTER, leading=leading)
    for name in names:
        p = ink.para(name, item_style)
        _, ph = p.wrap(box.width - 80, box.height)
        y -= ph
        p.drawOn(c, box.x0 + 40, y)

    # Applicant block, lower half: label column and value column.
    label_w = 150.0
    x_label = box.x0 + 45
    x_value = x_label + label_w
    value_w = box.x1 - 30 - x_value
    fields = [
        ("申报单位（盖章）", company.name),
        ("统一社会信用代码", company.credit_code),
        ("所  在  区", printed_district(company.district, guide.district_other)),
        ("联  系  人", company.contact),
        ("联系电话", company.phone),
    ]
    y = block_top
    value_style = style(ink, 14, TA_LEFT, leading=20)
    for label, value in fields:
        ink.draw(c, x_label, y, label + "：", 14)
        p = ink.para(value, value_style)
        _, ph = p.wrap(value_w, 100)
        p.drawOn(c, x_value, y - ph + 15)
        c.setLineWidth(0.6)
        c.line(x_value, y - ph + 11, x_value + value_w, y - ph + 11)
        y -= max(ph, 20) + 16

    ink.draw(c, mid, box.y0 + 60, f"{guide.year}年\u3000\u3000月\u3000\u3000日", 15, "center")
