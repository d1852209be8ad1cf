"""Documents of the sample's introduced talents: ID and degree, labour contract, income tax
record and social security statement."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PIL import Image

from tools.sample.data import COMPANY, DEGREE_NAMES, D, money
from tools.sample.draw import GREY, INK, Page, company_seal, font


def identity_degree(person: dict[str, Any], seed: int) -> Image.Image:
    p = Page(seed=seed)
    d = p.draw
    p.text((p.left, 80), f"{person['name']}　身份证及学历证书复印件（样例，仅供演示）", 24, GREY)
    # ID card, front and back
    for k in range(2):
        x0, y0 = 180 + k * 470, 160
        d.rounded_rectangle(
            (x0, y0, x0 + 430, y0 + 272), 18, outline=(120, 120, 120), width=2, fill=(246, 248, 250)
        )
        if k == 0:
            d.text((x0 + 24, y0 + 30), f"姓名　{person['name']}", font=font(20), fill=INK)
            d.text((x0 + 24, y0 + 66), "性别　样例　民族　样例", font=font(18), fill=INK)
            d.text((x0 + 24, y0 + 98), "出生　样例", font=font(18), fill=INK)
            d.text((x0 + 24, y0 + 130), "住址　珠海市（样例地址）", font=font(18), fill=INK)
            d.text(
                (x0 + 24, y0 + 220), f"公民身份号码　{person['id_number']}", font=font(18), fill=INK
            )
            d.rectangle((x0 + 300, y0 + 30, x0 + 400, y0 + 160), fill=(215, 218, 222))
            d.text((x0 + 350, y0 + 95), "照片", font=font(20), fill=GREY, anchor="mm")
        else:
            d.text((x0 + 215, y0 + 60), "居民身份证（样例）", font=font(28), fill=INK, anchor="mm")
            d.text((x0 + 30, y0 + 170), "签发机关　样例公安局", font=font(18), fill=INK)
            d.text((x0 + 30, y0 + 205), "有效期限　样例", font=font(18), fill=INK)
        d.text((x0 + 215, y0 + 150), "样例", font=font(60), fill=(220, 60, 60), anchor="mm")
    # the degree certificate
    y0 = 520
    d.rectangle((180, y0, p.w - 180, y0 + 1000), outline=(140, 40, 40), width=6)
    p.y = y0 + 60
    p.left, p.right = 240, p.w - 240
    p.title(f"{DEGREE_NAMES[person['degree']]}毕业证书", 44, 40)
    p.para(
        f"研究生{person['name']}，性别样例，于2012年9月至2015年7月在本校计算机科学与技术专业学习，"
        "学制三年，修完教学计划规定的全部课程，成绩合格，毕业论文答辩通过，准予毕业。",
        26,
    )
    p.y += 40
    p.fields(
        [("校（院）长", ""), ("证书编号", "样例-0000000000"), ("发证日期", "二〇一五年七月一日")],
        26,
        200,
    )
    p.signature(p.left + 220, p.y - 190, 170, 52)
    p.seal(p.right - 170, p.y - 80, "示范大学", "", 120)
    return p.scanned(gray=True)


def labour_contract(person: dict[str, Any], seed: int) -> Image.Image:
    p = Page(seed=seed)
    p.y = 150
    p.title("劳 动 合 同 书", 52, 30)
    p.fields(
        [
            ("甲方（用人单位）", COMPANY["name"]),
            ("法定代表人", COMPANY["legal_rep"]),
            ("乙方（劳动者）", person["name"]),
            ("身份证件号码", person["id_number"]),
        ],
        24,
        260,
    )
    end = person["hire_date"].replace(
        year=person["hire_date"].year + person["contract_months"] // 12
    )
    p.line("一、劳动合同期限", 25, bold=True)
    p.para(
        f"本合同为固定期限劳动合同，期限{person['contract_months']}个月，自{person['hire_date']:%Y年%m月%d日}起至"
        f"{end - dt.timedelta(days=1):%Y年%m月%d日}止，其中试用期三个月。",
        24,
    )
    p.line("二、工作内容和工作地点", 25, bold=True)
    p.para(
        f"乙方同意根据甲方工作需要，担任{person['position']}岗位工作，工作地点为珠海市高新区。", 24
    )
    p.line("三、劳动报酬", 25, bold=True)
    monthly = (person["annual_salary"] / 12).quantize(D("1"))
    p.para(
        f"乙方月工资为人民币{money(monthly)}元（税前），年薪合计人民币{money(person['annual_salary'])}元。"
        "甲方每月15日前以货币形式支付乙方上月工资。",
        24,
    )
    p.line("四、社会保险", 25, bold=True)
    p.para("甲方依法为乙方在珠海市参加基本养老、医疗、失业、工伤、生育保险并缴纳住房公积金。", 24)
    p.line("五至十二（工作时间、劳动保护、合同变更解除等条款略）", 24, gap=40)
    p.y = max(p.y, 1330)
    half = p.w / 2
    p.text((p.left, p.y), "甲方（盖章）：", 24)
    p.text((half + 20, p.y), "乙方（签名）：", 24)
    p.text((p.left, p.y + 160), f"{person['hire_date']:%Y年%m月%d日}", 24)
    p.text((half + 20, p.y + 160), f"{person['hire_date']:%Y年%m月%d日}", 24)
    p.signature(half + 200, p.y - 14, 170, 54)
    company_seal(p, p.left + 260, p.y + 60, "人事专用章")
    return p.scanned()


def tax_statement(person: dict[str, Any], seed: int) -> Image.Image:
    p = Page(seed=seed)
    p.title("个人所得税纳税记录", 42, 10)
    p.subtitle("（样例，仅供演示）　国家税务总局珠海市示范税务局", 22, 26)
    p.fields(
        [
            ("纳税人姓名", person["name"]),
            ("身份证件号码", person["id_number"]),
            ("扣缴义务人", COMPANY["name"]),
        ],
        23,
        230,
    )
    months = person["tax_months"]
    monthly = (person["annual_salary"] / 12).quantize(D("0.01"))
    rows = []
    start_month = 13 - months
    total = D(0)
    for m in range(start_month, 13):
        taxable = monthly - D("5000") - D("2400")
        tax = (taxable * D("0.25") - D("2660")).quantize(D("0.01"))
        total += tax
        rows.append(
            [
                f"2018-{m:02d}",
                "工资薪金所得",
                money(monthly),
                money(tax),
                f"2018-{m + 1:02d}-15" if m < 12 else "2019-01-15",
            ]
        )
    rows.append(["合计", "", money(monthly * months), money(total), ""])
    p.table(
        ["所属期", "所得项目", "收入额", "实缴税额", "入库日期"],
        rows,
        [1.4, 1.8, 1.8, 1.6, 1.6],
        21,
        46,
        (2, 3),
    )
    p.para(f"以上为该纳税人在2018年度通过扣缴义务人申报缴纳个人所得税的记录，共{months}个月。", 22)
    p.y = max(p.y + 20, 1420)
    p.text((p.right - 460, p.y), "开具日期：2019年01月21日", 24)
    p.seal(p.right - 200, p.y - 20, "国家税务总局珠海市示范税务局", "征税专用章", 110)
    return p.scanned()


def social_security(person: dict[str, Any], seed: int) -> Image.Image:
    p = Page(seed=seed)
    p.title("珠海市社会保险参保缴费明细", 40, 10)
    p.subtitle("（样例，仅供演示）　珠海市示范社会保险基金管理中心", 22, 26)
    p.fields(
        [
            ("姓名", person["name"]),
            ("证件号码", person["id_number"]),
            ("参保单位", COMPANY["name"]),
        ],
        23,
        200,
    )
    base = min(D("21993"), (person["annual_salary"] / 12).quantize(D("1")))
    rows = []
    first = person["hire_date"].month + (1 if person["hire_date"].day > 15 else 0)
    for m in range(first, 13):
        rows.append(
            [
                f"2018-{m:02d}",
                money(base),
                money(base * D("0.14")),
                money(base * D("0.08")),
                money(base * D("0.055")),
                "已到账",
            ]
        )
    p.table(
        ["费款所属期", "缴费基数", "养老（单位）", "养老（个人）", "医疗（单位）", "状态"],
        rows,
        [1.5, 1.4, 1.5, 1.5, 1.5, 1.0],
        20,
        44,
        (1, 2, 3, 4),
    )
    p.para(
        "注：本明细含养老、医疗、失业、工伤、生育五项险种；此处列出主要险种。缴费基数按珠海市2018年度缴费基数上限执行。",
        21,
    )
    p.y = max(p.y + 20, 1420)
    p.text((p.right - 460, p.y), "打印日期：2019年01月21日", 24)
    p.seal(p.right - 200, p.y - 20, "珠海市示范社会保险基金管理中心", "业务专用章", 110)
    return p.scanned(gray=True)
