"""The 申请表: a ruled form on A4 as a Chinese government form is laid out, and amounts in
Chinese capital numerals (大写)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from reportlab.lib.colors import black
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from app.company import printed_district
from app.model import COMPANY_FIELDS
from app.packet.draw import LIGHT, MM, TA_CENTER, TA_LEFT, TA_RIGHT, Context, Unbroken, style
from app.packet.layout import content_box
from app.packet.plan import item_title
from app.rules import fmt_money

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("", "拾", "佰", "仟")
_SECTIONS = ("", "万", "亿", "万亿")


def cny_capital(amount: Decimal) -> str:
    """An amount of yuan in capital numerals, as on Chinese cheques and forms.

    125000 -> 壹拾贰万伍仟元整; 1005.5 -> 壹仟零伍元伍角整; 0.05 -> 伍分; 0 -> 零元整.
    Rounded to the fen (half up). Negative amounts are refused.
    """
    if amount < 0:
        raise ValueError("negative amount")
    cents = int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    if yuan >= 10**16:
        raise ValueError("amount too large")
    out = []
    if yuan:
        out.append(_integer_capital(yuan) + "元")
    if jiao:
        out.append(_DIGITS[jiao] + "角")
    elif fen and yuan:
        out.append("零")
    if fen:
        out.append(_DIGITS[fen] + "分")
    if not out:
        return "零元整"
    if not fen:
        out.append("整")
    return "".join(out)


def _integer_capital(n: int) -> str:
    digits = str(n)
    length = len(digits)
    out: list[str] = []
    zero_pending = False
    for i, ch in enumerate(digits):
        d = int(ch)
        pos = length - 1 - i
        if d == 0:
            zero_pending = True
        else:
            if zero_pending and out:
                out.append("零")
            zero_pending = False
            out.append(_DIGITS[d] + _UNITS[pos % 4])
        if pos % 4 == 0 and pos > 0 and any(c != "0" for c in digits[max(0, i - 3) : i + 1]):
            out.append(_SECTIONS[pos // 4])
    return "".join(out)


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
        [ink.para("一、申报单位基本情况", section), "", "", ""],
        [ink.para("企业名称", head), val("name"), "", ""],
        [lab("credit_code"), val("credit_code"), lab("district"), val("district")],
        [lab("address"), val("address"), "", ""],
        [lab("legal_rep"), val("legal_rep"), lab("contact"), val("contact")],
        [lab("phone"), val("phone"), lab("email"), val("email")],
        [lab("bank"), val("bank"), lab("account"), val("account")],
    ]
    w4 = [width * 0.2, width * 0.31, width * 0.16, width * 0.33]
    company = Table(company_rows, colWidths=w4, rowHeights=[None] + [21] * 6)
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
        [ink.para("二、申报项目及申请金额", section), "", "", "", ""],
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

    # 三、承诺 and signatures
    sign = style(ink, 10.5, TA_LEFT, leading=16)
    declaration = Table(
        [
            [ink.para("三、申报单位承诺", section), "", ""],
            [
                ink.para(
                    guide.declaration, style(ink, 10.5, TA_LEFT, leading=17, firstLineIndent=21)
                ),
                "",
                "",
            ],
            [
                ink.para("法定代表人签名（盖章）：", sign),
                ink.para("企业公章：", sign),
                ink.para(f"日期：{guide.year}年\u3000\u3000月\u3000\u3000日", sign),
            ],
        ],
        colWidths=[width * 0.38, width * 0.30, width * 0.32],
        rowHeights=[None, None, 18 * MM],
    )
    declaration.setStyle(
        _grid(
            [
                ("SPAN", (0, 0), (-1, 0)),
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("SPAN", (0, 1), (-1, 1)),
                ("VALIGN", (0, 2), (-1, 2), "TOP"),
                ("LINEBEFORE", (1, 2), (-1, 2), 0, black),
            ]
        )
    )
    story.append(Unbroken(declaration))

    opinion = Table(
        [
            [ink.para("四、区商务部门初审意见", section)],
            [ink.para("初审意见：", sign)],
            [
                ink.para(
                    f"（公章）\u3000\u3000\u3000{guide.year}年\u3000\u3000月\u3000\u3000日",
                    style(ink, 10.5, TA_RIGHT, leading=16),
                )
            ],
        ],
        colWidths=[width],
        rowHeights=[None, 20 * MM, 8 * MM],
    )
    opinion.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.4, black),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, black),
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("VALIGN", (0, 1), (-1, 1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story.append(Unbroken(opinion))
    return story
