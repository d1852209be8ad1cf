"""Certificates of the sample: the business licence, the CMMI and ISO27001 certificates and the
signed certification reward application report."""

from __future__ import annotations

import random
from typing import Any

from PIL import Image

from tools.sample.data import (
    CERTIFICATIONS,
    COMPANY,
    SHORT_NAME,
    D,
    money,
    offshore_usd,
    onshore_usd,
)
from tools.sample.draw import A4_PX, GREY, INK, Page, company_seal


def business_license(seed: int) -> Image.Image:
    p = Page(seed=seed)
    d = p.draw
    d.rectangle((70, 70, p.w - 70, p.h - 70), outline=(150, 110, 60), width=10)
    d.rectangle((95, 95, p.w - 95, p.h - 95), outline=(150, 110, 60), width=2)
    p.y = 200
    p.title("营 业 执 照", 76, 20)
    p.subtitle("（副　本）", 30, 30)
    p.line(f"统一社会信用代码　{COMPANY['credit_code']}", 26, 40, 40)
    p.left = 180
    p.fields(
        [
            ("名　　称", COMPANY["name"]),
            ("类　　型", "有限责任公司（自然人投资或控股）"),
            ("法定代表人", COMPANY["legal_rep"]),
            ("注册资本", "人民币壹仟万元"),
            ("成立日期", "2015年04月08日"),
            ("营业期限", "2015年04月08日 至 长期"),
            ("住　　所", COMPANY["address"]),
        ],
        26,
        250,
    )
    p.y += 10
    p.text((p.left, p.y), "经营范围", 26, GREY)
    p.left += 250
    p.para(
        "软件开发；信息技术咨询服务；信息系统集成服务；数据处理和存储服务；工业设计服务；"
        "运行维护服务；技术进出口。（依法须经批准的项目，经相关部门批准后方可开展经营活动）",
        24,
        0,
    )
    p.left = 180
    # a QR-code-like block, obviously not a real code
    rng = random.Random(seed)
    qx, qy = 180, p.h - 470
    for i in range(21):
        for j in range(21):
            if rng.random() < 0.45 or (i < 7 and j < 7 and (i in (0, 6) or j in (0, 6))):
                d.rectangle((qx + i * 9, qy + j * 9, qx + i * 9 + 8, qy + j * 9 + 8), fill=INK)
    p.text((qx, qy + 200), "扫描二维码登录国家企业信用", 18, GREY)
    p.text((qx, qy + 224), "信息公示系统（样例，不可扫描）", 18, GREY)
    p.text((p.w - 520, p.h - 300), "登记机关", 28, GREY)
    p.text((p.w - 520, p.h - 240), "2018年01月15日", 28)
    p.seal(p.w - 380, p.h - 290, "珠海市示范市场监督管理局", "登记专用章", 120)
    return p.scanned()


def certificate_landscape(row: dict[str, Any]) -> Image.Image:
    p = Page(size=(A4_PX[1], A4_PX[0]), seed=41)
    d = p.draw
    for k, col in enumerate(((30, 70, 130), (190, 150, 60), (30, 70, 130))):
        m = 50 + k * 16
        d.rectangle((m, m, p.w - m, p.h - m), outline=col, width=6 if k != 1 else 3)
    p.left, p.right = 200, p.w - 200
    p.y = 170
    p.title("CERTIFICATE OF APPRAISAL", 54, 10)
    p.subtitle("能力成熟度模型集成评估证书（样例）", 30, 40)
    p.text((p.w / 2, p.y), "This is to certify that", 28, GREY, anchor="ma")
    p.y += 60
    p.text((p.w / 2, p.y), COMPANY["name"], 48, (30, 70, 130), anchor="ma", bold=True)
    p.y += 80
    p.text(
        (p.w / 2, p.y), "Aolan Zhilian Information Technology Co., Ltd. (SAMPLE)", 26, anchor="ma"
    )
    p.y += 70
    p.text((p.w / 2, p.y), "has been appraised at", 28, GREY, anchor="ma")
    p.y += 56
    p.text(
        (p.w / 2, p.y),
        "CMMI® for Development, Version 1.3 — Maturity Level 3",
        40,
        anchor="ma",
        bold=True,
    )
    p.y += 90
    p.text(
        (p.w / 2, p.y),
        f"Certificate No. {row['certificate_no']}　　Appraisal date: {row['obtained_date']:%d %B %Y}",
        24,
        anchor="ma",
    )
    p.y += 44
    p.text(
        (p.w / 2, p.y),
        f"Appraised by: {row['issuer']}（Sample Process Appraisal Centre）",
        24,
        anchor="ma",
    )
    p.signature(320, p.h - 300, 220, 64)
    d.line((280, p.h - 220, 620, p.h - 220), fill=INK, width=2)
    p.text((450, p.h - 205), "Lead Appraisor (SAMPLE)", 22, anchor="ma")
    p.seal(p.w - 430, p.h - 260, row["issuer"], "评估专用章", 110, (180, 40, 50))
    return p.scanned(skew=-0.6)


def certificate_iso(row: dict[str, Any]) -> Image.Image:
    p = Page(seed=43)
    d = p.draw
    d.rectangle((80, 80, p.w - 80, p.h - 80), outline=(20, 110, 90), width=8)
    p.y = 190
    p.title("信息安全管理体系认证证书", 50, 16)
    p.subtitle("CERTIFICATE OF INFORMATION SECURITY MANAGEMENT SYSTEM (SAMPLE)", 22, 60)
    p.line(f"证书编号：{row['certificate_no']}", 26, gap=40)
    p.para(f"兹证明　{COMPANY['name']}　的信息安全管理体系符合以下标准：", 28, 2, 18)
    p.text((p.w / 2, p.y + 10), "ISO/IEC 27001:2013", 46, (20, 110, 90), anchor="ma", bold=True)
    p.y += 100
    p.fields(
        [
            ("注册地址", COMPANY["address"]),
            ("认证范围", "软件开发、信息系统运行维护及数据处理服务相关的信息安全管理活动"),
            ("适用性声明", "SOA-2018-V1.2"),
            ("初次发证日期", f"{row['obtained_date']:%Y年%m月%d日}"),
            ("有效期至", f"{row['obtained_date'].year + 3}年{row['obtained_date']:%m月%d日}"),
        ],
        24,
        220,
    )
    p.para(
        "本证书的有效性依据发证机构的定期监督获得保持。证书信息可在发证机构网站查询（样例，无法查询）。",
        22,
        2,
    )
    p.y += 60
    p.text((p.left, p.y), f"发证机构：{row['issuer']}", 26)
    p.text((p.left, p.y + 60), "总经理：", 26)
    p.signature(p.left + 120, p.y + 46, 180, 58)
    p.seal(p.right - 200, p.y + 40, row["issuer"], "认证专用章", 115)
    return p.scanned()


def certification_report() -> Image.Image:
    p = Page(seed=71)
    p.y = 110
    p.title("国际资质认证奖励申请报告", 40, 26)
    p.line("珠海市商务局：", 24)
    p.line("一、企业基本情况", 25, bold=True)
    p.para(
        f"{COMPANY['name']}成立于2015年，注册于珠海市高新区，主要从事软件研发、信息技术解决方案、"
        "运行维护及大数据服务，现有员工186人，其中研发人员142人。",
        23,
    )
    p.line("二、开展服务贸易业务情况", 25, bold=True)
    total = onshore_usd() + offshore_usd()
    p.para(
        f"2018年度公司服务外包执行金额合计折合{money(total)}美元（不含集团关联公司在岸业务），"
        f"其中离岸执行金额{money(offshore_usd())}美元，在岸执行金额{money(onshore_usd())}美元。",
        23,
    )
    p.line("三、获得资质认证情况", 25, bold=True)
    p.table(
        ["认证名称", "证书编号", "取得日期", "认证费用（元）", "申请奖励（元）"],
        [
            [
                r["name"],
                r["certificate_no"],
                f"{r['obtained_date']:%Y-%m-%d}",
                money(r["cost"]),
                money(min(r["cost"] / 2, D(100000))),
            ]
            for r in CERTIFICATIONS
        ],
        [1.8, 2.6, 1.5, 1.6, 1.6],
        20,
        46,
        (3, 4),
    )
    p.line("四、申请奖励金额", 25, bold=True)
    asked = sum((min(r["cost"] / 2, D(100000)) for r in CERTIFICATIONS), D(0))
    p.para(f"按认证费用的50%计算，公司申请国际资质认证奖励共计人民币{money(asked)}元。", 23)
    p.para("公司承诺以上内容及所附材料真实、准确、完整。", 23)
    p.y = max(p.y + 20, 1330)
    p.text((p.right - 520, p.y), f"申请单位（盖章）：{SHORT_NAME}", 24)
    p.text((p.right - 520, p.y + 70), "法定代表人（签名）：", 24)
    p.text((p.right - 520, p.y + 140), "2019年01月25日", 24)
    p.signature(p.right - 270, p.y + 54, 170, 54)
    company_seal(p, p.right - 260, p.y + 40)
    return p.scanned()
