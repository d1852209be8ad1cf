"""The 申请表: a ruled form on A4 as a Chinese government form is laid out, and amounts in
Chinese capital numerals (大写)."""

from __future__ import annotations

from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from app.model import COMPANY_FIELDS
from app.packet import form_layout
from app.packet.form_layout import cny_capital
from app.packet.ink import LIGHT, MM, TA_CENTER, TA_LEFT, TA_RIGHT, Context, Unbroken, style
from app.packet.layout import content_box
from app.packet.plan import item_title
from app.rules.company import printed_district
from app.rules.evaluation import fmt_money


def _grid(extra: list[tuple[object, ...]] | None = None) -> TableStyle:
    cmds: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.8, black),
        ("BOX", (0, 0), (-1, -1), 1.4, black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    return TableStyle(cmds + (extra or []))


def form_story(ctx: Context) -> list[Flowable]:
    """The flowables of the application form (several pages if many items)."""
    ink, guide, project, ev = ctx.ink.song(), ctx.guide, ctx.project, ctx.evaluation  # 宋体
    width = content_box(ctx.layout, 1, False).width
    title = style(ink, 16, TA_CENTER, leading=22, spaceAfter=2)
    cell = style(ink, 10.5, TA_LEFT, leading=14)
    head = style(ink, 10.5, TA_CENTER, leading=14)
    num = style(ink, 10.5, TA_RIGHT, leading=14)
    small = style(ink, 9, TA_LEFT, leading=12)
    section = style(ink, 11.5, TA_LEFT, leading=15)
    story: list[Flowable] = [ink.title(guide.form_title, title, width), Spacer(1, 4)]
    sections = form_layout.sections(guide)

    meta = Table(
        [
            [
                ink.para(f"申报单位（盖章）：{project.company.name}", small),
                ink.para("金额单位：人民币元", style(ink, 9, TA_RIGHT, leading=12)),
            ]
        ],
        colWidths=[width * 0.7, width * 0.3],
    )
    meta.setStyle(
        TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    )
    story += [meta, Spacer(1, 3)]

    # 一、企业基本情况
    c = project.company
    labels = dict(COMPANY_FIELDS)

    def lab(fid: str) -> object:
        return ink.para(labels[fid], head)

    def val(fid: str) -> object:
        text = c.get(fid)
        if fid == "district":
            text = printed_district(text, guide.district_other)
        return ink.para(text, cell)

    company_rows = [
        [ink.para(sections[0], section), "", "", ""],
        [ink.para("企业名称", head), val("name"), "", ""],
        [lab("credit_code"), val("credit_code"), lab("district"), val("district")],
        [lab("address"), val("address"), "", ""],
        [lab("legal_rep"), val("legal_rep"), lab("contact"), val("contact")],
        [lab("phone"), val("phone"), lab("email"), val("email")],
        [lab("bank"), val("bank"), lab("account"), val("account")],
    ]
    # The guide's own company fields (企业规模, 申报主体类型…), two to a line.
    own = [
        (ink.para(f.label, head), ink.para(f.choice_label(c.get(f.id)), cell))
        for f in guide.company_fields
    ]
    for i in range(0, len(own), 2):
        pair = own[i : i + 2]
        company_rows.append([*pair[0], *(pair[1] if len(pair) > 1 else ("", ""))])
    w4 = [width * 0.2, width * 0.31, width * 0.16, width * 0.33]
    company = Table(company_rows, colWidths=w4, rowHeights=[None] + [21] * (len(company_rows) - 1))
    company.setStyle(
        _grid(
            [
                ("SPAN", (0, 0), (-1, 0)),
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("SPAN", (1, 1), (-1, 1)),
                ("SPAN", (1, 3), (-1, 3)),
            ]
        )
    )
    story.append(company)

    # 二、申报项目
    w5 = [width * 0.07, width * 0.23, width * 0.36, width * 0.17, width * 0.17]
    rows: list[list[object]] = [
        [ink.para(sections[1], section), "", "", "", ""],
        [
            ink.para("序号", head),
            ink.para("申报项目", head),
            ink.para("申报依据", head),
            ink.para("支持上限（元）", head),
            ink.para("申请金额（元）", head),
        ],
    ]
    for n, item_id in enumerate(ev.selected, start=1):
        item = guide.item(item_id)
        res = ev.items[item_id]
        basis = [f"{label}：{figure}" for label, figure in res.basis]
        basis += [f"{r.label}：{fmt_money(r.amount_cny)} 元" for r in res.rows if r.counted]
        if not res.eligible:
            basis += [f"【未符合条件】{r}" for r in res.reasons]
        rows.append(
            [
                ink.para(str(n), head),
                ink.para(item_title(item), cell),
                ink.para("\n".join(basis) or "—", small),
                ink.para(fmt_money(res.ceiling_cny), num),
                ink.para(fmt_money(res.requested_cny), num),
            ]
        )
    total = ev.total_requested_cny
    rows.append(
        [
            ink.para("合计（小写）", head),
            "",
            "",
            ink.para(fmt_money(ev.total_ceiling_cny), num),
            ink.para(fmt_money(total), num),
        ]
    )
    rows.append([ink.para("合计（大写）", head), "", ink.para(cny_capital(total), cell), "", ""])
    last = len(rows) - 1
    items = Table(rows, colWidths=w5, repeatRows=2)
    items.setStyle(
        _grid(
            [
                ("SPAN", (0, 0), (-1, 0)),
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("BACKGROUND", (0, 1), (-1, 1), LIGHT),
                ("SPAN", (0, last - 1), (2, last - 1)),
                ("SPAN", (0, last), (1, last)),
                ("SPAN", (2, last), (-1, last)),
            ]
        )
    )
    story.append(items)

    # 三、承诺: the declaration, the legal representative's signature, the company seal
    sign = style(ink, 10.5, TA_LEFT, leading=16)
    if guide.declaration:
        story.append(_declaration(ctx, sections[2], width, section, sign))
    if guide.form.opinion_title:
        story.append(_opinion(ctx, sections[-1], width, section, sign))
    return story


def _declaration(
    ctx: Context, title: str, width: float, section: ParagraphStyle, sign: ParagraphStyle
) -> Flowable:
    ink, guide = ctx.ink.song(), ctx.guide
    declaration = Table(
        [
            [ink.para(title, section), ""],
            [
                ink.para(
                    guide.declaration, style(ink, 10.5, TA_LEFT, leading=17, firstLineIndent=21)
                ),
                "",
            ],
            [
                ink.para(form_layout.LEGAL_REP_LINE, sign),
                ink.para(form_layout.COMPANY_SEAL_LABEL, sign),
            ],
            [
                ink.para(form_layout.date_line(guide.year), sign),
                ink.para(form_layout.date_line(guide.year), style(ink, 10.5, TA_RIGHT, leading=16)),
            ],
        ],
        colWidths=[width * 0.45, width * 0.55],
        rowHeights=[None, None, form_layout.COMPANY_SEAL_MM * MM, 8 * MM],
    )
    declaration.setStyle(
        _grid(
            [
                ("SPAN", (0, 0), (-1, 0)),
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("SPAN", (0, 1), (-1, 1)),
                ("VALIGN", (0, 2), (-1, 2), "TOP"),
            ]
        )
    )
    return Unbroken(declaration)


def _opinion(
    ctx: Context, title: str, width: float, section: ParagraphStyle, sign: ParagraphStyle
) -> Flowable:
    """The reviewing body's opinion box (四、区商务部门初审意见): left empty, room for its seal."""
    ink, guide = ctx.ink.song(), ctx.guide
    opinion = Table(
        [
            [ink.para(title, section), ""],
            [
                ink.para(guide.form.opinion_label, sign),
                ink.para(guide.form.opinion_seal, sign),
            ],
            [
                "",
                ink.para(form_layout.date_line(guide.year), style(ink, 10.5, TA_RIGHT, leading=16)),
            ],
        ],
        colWidths=[width * 0.45, width * 0.55],
        rowHeights=[None, form_layout.DISTRICT_SEAL_MM * MM, 8 * MM],
    )
    opinion.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.4, black),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, black),
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("SPAN", (0, 0), (-1, 0)),
                ("VALIGN", (0, 1), (-1, 1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return Unbroken(opinion)
