"""Money documents of the sample: invoices, bank slips, foreign-exchange receipts, fee
vouchers and export credit insurance premium notices and invoices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PIL import Image, ImageDraw

from tools.sample.data import BUSINESS_TYPE_NAMES, COMPANY, CONTRACTS, POLICIES, D, money
from tools.sample.draw import GREY, Page, company_seal


def invoices_summary() -> Image.Image:
    p = Page(seed=31)
    p.title("2018年度服务外包在岸业务发票汇总清单", 36)
    p.subtitle(f"开票单位：{COMPANY['name']}　　单位：人民币元", 22, 30)
    rows = []
    n = 0
    total = D(0)
    for r in CONTRACTS:
        if r["scope"] != "onshore":
            continue
        parts = (
            [D("0.3"), D("0.4"), D("0.3")]
            if r["execution_amount"] > D("3600000")
            else [D("0.5"), D("0.5")]
        )
        for k, share in enumerate(parts):
            n += 1
            amt = (r["execution_amount"] * share).quantize(D("0.01"))
            total += amt
            month = max(1, r["execution_date"].month - 2 * (len(parts) - 1 - k))
            rows.append(
                [
                    str(n),
                    f"4400183130 / {20180000 + n * 137:08d}",
                    f"2018-{month:02d}-{min(28, 10 + k * 7):02d}",
                    r["client"],
                    money(amt),
                ]
            )
    rows.append(["", "", "", "合计", money(total)])
    p.table(
        ["序号", "发票代码 / 号码", "开票日期", "购买方", "价税合计"],
        rows,
        [0.8, 3.2, 1.8, 3.6, 2],
        20,
        48,
        (4,),
    )
    p.para(
        "说明：以上发票均为增值税专用发票，已全部认证抵扣。集团关联公司合同的发票单列，不计入在岸执行金额。（样例数据）",
        22,
    )
    p.y += 30
    p.text((p.right - 420, p.y), "填报人：黄晓敏", 24)
    p.text((p.right - 420, p.y + 60), "日　期：2019年01月20日", 24)
    p.signature(p.right - 260, p.y - 14, 150, 50)
    company_seal(p, p.right - 180, p.y + 40, "财务专用章")
    return p.scanned(gray=True)


def invoice_page(
    seed: int,
    buyer: str,
    item: str,
    amount: Decimal,
    date: dt.date,
    seller: str,
    title: str = "增值税专用发票",
) -> Image.Image:
    p = Page(seed=seed)
    d = p.draw
    frame = (110, 160, p.w - 110, 900)
    d.rectangle(frame, outline=(150, 80, 60), width=3)
    p.y = 190
    p.title(f"广东示范{title}", 38, 6)
    p.subtitle("发　票　联（样例，非真实票据）", 22, 10)
    p.left, p.right = 140, p.w - 140
    p.text((p.left, 262), f"No {seed * 7919 % 100000000:08d}", 22, (150, 80, 60))
    p.text((p.right, 262), f"开票日期：{date:%Y年%m月%d日}", 22, anchor="ra")
    p.y = 310
    p.fields(
        [("购买方名称", buyer), ("纳税人识别号", "（样例）"), ("地址、电话", "（样例）")], 22, 190
    )
    p.table(
        ["货物或应税劳务、服务名称", "数量", "金额", "税率", "税额"],
        [
            [
                item,
                "1",
                money((amount / D("1.06")).quantize(D("0.01"))),
                "6%",
                money((amount - amount / D("1.06")).quantize(D("0.01"))),
            ],
            ["价税合计（小写）", "", money(amount), "", ""],
        ],
        [4, 0.8, 2, 0.8, 1.6],
        20,
        48,
        (2, 4),
    )
    p.fields([("销售方名称", seller), ("开户行及账号", "（样例）")], 22, 190)
    p.seal(p.right - 160, 800, seller, "发票专用章", 80)
    return p.img  # the caller lays slips on a page


def sheet_of_slips(
    slips: Sequence[Image.Image], seed: int, heading: str, gray: bool = False
) -> Image.Image:
    """Several receipts copied onto one A4 sheet, as applicants do."""
    p = Page(seed=seed)
    p.text((p.left, 70), heading, 24, GREY)
    y = 130
    for s in slips:
        crop = s.crop((100, 150, s.width - 100, 910))
        scale = (p.w - 200) / crop.width
        crop = crop.resize(
            (round(crop.width * scale), round(crop.height * scale)), Image.Resampling.LANCZOS
        )
        p.img.paste(crop, (100, y))
        p.draw.rectangle(
            (96, y - 4, 100 + crop.width + 4, y + crop.height + 4), outline=(170, 170, 170), width=1
        )
        y += crop.height + 60
    p.draw = ImageDraw.Draw(p.img)
    p.y = y
    return p.scanned(gray=gray)


def bank_slip(
    seed: int, title: str, fields: Sequence[tuple[str, str]], bank: str = "粤海示范银行"
) -> Image.Image:
    p = Page(seed=seed)
    d = p.draw
    d.rectangle((110, 160, p.w - 110, 900), outline=(40, 90, 150), width=3)
    p.y = 185
    p.title(f"{bank}　{title}", 34, 8)
    p.subtitle("（样例，非真实凭证）", 20, 16)
    p.left, p.right = 150, p.w - 150
    p.fields(fields, 22, 260)
    p.seal(p.right - 150, 790, f"{bank}珠海高新支行", "业务受理章", 82, (190, 40, 50))
    return p.img


def fx_receipts(rows: Sequence[dict[str, Any]], seed: int) -> Image.Image:
    slips = []
    for k, r in enumerate(rows):
        slips.append(
            bank_slip(
                seed + k,
                "境外汇入汇款收款通知",
                [
                    ("收款人", COMPANY["name"]),
                    ("收款账号", COMPANY["account"]),
                    ("汇款人", r["client"]),
                    ("汇款人国家/地区", r["country"]),
                    ("币种及金额", f"{r['currency']} {money(r['execution_amount'])}"),
                    ("交易编码 / 附言", f"228011 / {BUSINESS_TYPE_NAMES[r['business_type']]}"),
                    ("入账日期", f"{r['execution_date']:%Y-%m-%d}"),
                ],
            )
        )
    return sheet_of_slips(slips, seed, "银行收汇凭证（复印件）", gray=True)


def fee_vouchers(row: dict[str, Any], seed: int) -> Image.Image:
    inv = invoice_page(
        seed,
        COMPANY["name"],
        f"{row['name']}认证咨询及审核服务",
        row["cost"],
        row["obtained_date"],
        "广州示范管理咨询有限公司",
        "增值税普通发票",
    )
    pay = bank_slip(
        seed + 1,
        "对公转账支付凭证",
        [
            ("付款人", COMPANY["name"]),
            ("付款账号", COMPANY["account"]),
            ("收款人", "广州示范管理咨询有限公司"),
            ("金额", f"人民币 {money(row['cost'])} 元"),
            ("用途", f"{row['name']}认证费用"),
            ("交易日期", f"{row['obtained_date']:%Y-%m-%d}"),
            ("交易流水号", f"TX{seed:04d}2018{row['obtained_date']:%m%d}0001"),
        ],
    )
    return sheet_of_slips([inv, pay], seed, f"{row['name']}认证费用发票及银行支付凭证（复印件）")


def premium_notice(policy: dict[str, Any], seed: int) -> Image.Image:
    p = Page(seed=seed)
    p.title("保 险 费 通 知 书", 46, 10)
    p.subtitle(f"{policy['insurer']}（样例，仅供演示）", 22, 30)
    p.fields(
        [
            ("被保险人", COMPANY["name"]),
            ("保单号", policy["policy_no"]),
            ("险种", "短期出口信用保险（服务贸易）"),
            ("承保业务", policy["insured_business"]),
            ("保险期间", policy["period"]),
            ("应缴保险费", f"人民币 {money(policy['premium'])} 元"),
            ("缴费期限", f"{policy['paid_date'] + dt.timedelta(days=10):%Y年%m月%d日}前"),
        ],
        24,
        230,
    )
    p.table(
        ["申报月份", "申报出运金额（美元）", "费率", "保险费（元）"],
        [
            ["首期", "（按保单约定）", "—", money(policy["premium"])],
            ["合计", "", "", money(policy["premium"])],
        ],
        [1.5, 2.6, 1.0, 2.0],
        21,
        48,
        (3,),
    )
    p.para(
        f"请于缴费期限内将保险费汇至本公司指定账户，汇款时请注明保单号 {policy['policy_no']}。逾期未缴的，本公司对缴费前发生的损失不承担赔偿责任。",
        23,
    )
    p.y = max(p.y + 40, 1300)
    p.text((p.right - 460, p.y), f"{policy['paid_date'] - dt.timedelta(days=5):%Y年%m月%d日}", 24)
    p.seal(p.right - 200, p.y - 30, policy["insurer"], "业务专用章", 112)
    return p.scanned()


def premium_invoices() -> Image.Image:
    slips = [
        invoice_page(
            61 + k,
            COMPANY["name"],
            f"出口信用保险保险费　保单号 {pol['policy_no']}",
            pol["premium"],
            pol["paid_date"],
            pol["insurer"],
            "增值税普通发票",
        )
        for k, pol in enumerate(POLICIES)
    ]
    return sheet_of_slips(slips, 65, "出口信用保险保险费发票（复印件）", gray=True)
