"""The sample's 3-page audit report, made with reportlab (a real PDF, not a scan)."""

from __future__ import annotations

import io
import math

from tools.sample.data import COMPANY, CONTRACTS, RATES, D, money, usd
from tools.sample.draw import FONT_PATH


def audit_report_pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("WQY", str(FONT_PATH), subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle("审计报告（样例）")
    w, h = A4
    firm = "珠海明衡会计师事务所（普通合伙）"

    def mark() -> None:
        c.saveState()
        c.setFillColorRGB(0.6, 0.6, 0.6, alpha=0.18)
        c.setFont("WQY", 64)
        c.translate(w / 2, h / 2)
        c.rotate(35)
        c.drawCentredString(0, 0, "样例 · 仅供演示")
        c.restoreState()
        c.setStrokeColorRGB(0.8, 0.12, 0.15)
        c.setFillColorRGB(0.8, 0.12, 0.15)
        c.rect(w - 150, h - 60, 110, 28)
        c.setFont("WQY", 13)
        c.drawCentredString(w - 95, h - 51, "样例 仅供演示")
        c.setFillColorRGB(0, 0, 0)

    def seal(x: float, y: float, text: str) -> None:
        c.saveState()
        c.setStrokeColorRGB(0.82, 0.12, 0.15)
        c.setFillColorRGB(0.82, 0.12, 0.15)
        c.setLineWidth(2.5)
        c.circle(x, y, 48)
        c.setFont("WQY", 10)
        n = len(text)
        for i, ch in enumerate(text):
            a = -120 + 240 * (i + 0.5) / n
            c.saveState()
            c.translate(x + 37 * math.sin(math.radians(a)), y + 37 * math.cos(math.radians(a)))
            c.rotate(-a)
            c.drawCentredString(0, -3.5, ch)
            c.restoreState()
        c.setFont("WQY", 18)
        c.drawCentredString(x, y - 6, "★")
        c.restoreState()

    # page 1: cover
    mark()
    c.setFont("WQY", 30)
    c.drawCentredString(w / 2, h - 250, COMPANY["name"])
    c.setFont("WQY", 40)
    c.drawCentredString(w / 2, h - 330, "审 计 报 告")
    c.setFont("WQY", 16)
    c.drawCentredString(w / 2, h - 380, "2018年1月1日至2018年12月31日")
    c.drawCentredString(w / 2, h - 410, "明衡审字〔2019〕第0215号（样例）")
    c.drawCentredString(w / 2, 160, firm)
    c.drawCentredString(w / 2, 135, "二〇一九年一月二十五日")
    c.showPage()
    # page 2: the opinion
    mark()
    c.setFont("WQY", 22)
    c.drawCentredString(w / 2, h - 100, "审计报告")
    c.setFont("WQY", 12)
    c.drawRightString(w - 70, h - 130, "明衡审字〔2019〕第0215号（样例）")
    text = [
        f"{COMPANY['name']}全体股东：",
        "一、审计意见",
        f"　　我们审计了{COMPANY['name']}（以下简称“贵公司”）财务报表，包括2018年12月31日",
        "的资产负债表，2018年度的利润表、现金流量表、所有者权益变动表以及相关财务报表附注。",
        "　　我们认为，后附的财务报表在所有重大方面按照企业会计准则的规定编制，公允反映了",
        "贵公司2018年12月31日的财务状况以及2018年度的经营成果和现金流量。",
        "二、形成审计意见的基础",
        "　　我们按照中国注册会计师审计准则的规定执行了审计工作。审计报告的“注册会计师对财务",
        "报表审计的责任”部分进一步阐述了我们在这些准则下的责任。按照中国注册会计师职业道德",
        "守则，我们独立于贵公司，并履行了职业道德方面的其他责任。我们相信，我们获取的审计证据",
        "是充分、适当的，为发表审计意见提供了基础。",
        "三、管理层和治理层对财务报表的责任",
        "　　贵公司管理层负责按照企业会计准则的规定编制财务报表，使其实现公允反映，并设计、",
        "执行和维护必要的内部控制，以使财务报表不存在由于舞弊或错误导致的重大错报。",
        "四、其他说明",
        "　　贵公司2018年度服务外包业务收入的明细见财务报表附注五（二十二）。",
        "　　（本报告为软件演示用样例，所述单位、数字均为虚构。）",
    ]
    y = h - 180
    for line in text:
        c.drawString(70, y, line)
        y -= 24
    c.drawString(70, 190, firm)
    c.drawString(360, 190, "中国注册会计师：")
    c.drawString(360, 160, "中国注册会计师：")
    c.drawString(360, 120, "二〇一九年一月二十五日")
    seal(150, 180, firm)
    c.setStrokeColorRGB(0.1, 0.17, 0.47)
    c.setLineWidth(1.3)
    for base_y in (190, 160):
        path = c.beginPath()
        path.moveTo(460, base_y)
        for k in range(1, 40):
            t = k / 39
            path.lineTo(460 + 80 * t + 6 * math.cos(9 * t), base_y + 7 * math.sin(11 * t))
        c.drawPath(path)
    c.showPage()
    # page 3: figures
    mark()
    c.setFont("WQY", 20)
    c.drawCentredString(w / 2, h - 90, "利 润 表（摘要）")
    c.setFont("WQY", 11)
    c.drawString(70, h - 120, f"编制单位：{COMPANY['name']}　　2018年度　　单位：人民币元")
    onshore_cny = sum((r["execution_amount"] for r in CONTRACTS if r["scope"] == "onshore"), D(0))
    offshore_cny = sum(
        (
            (usd(r) * RATES["CNY"].value).quantize(D("0.01"))
            for r in CONTRACTS
            if r["scope"] == "offshore"
        ),
        D(0),
    )
    revenue = onshore_cny + offshore_cny + D("1287500.00")
    rows = [
        ("项目", "本期金额", "上期金额"),
        ("一、营业收入", money(revenue), "15,326,418.27"),
        ("　　其中：服务外包在岸业务收入", money(onshore_cny), "6,104,220.00"),
        ("　　　　　服务外包离岸业务收入", money(offshore_cny), "7,935,640.55"),
        ("减：营业成本", money((revenue * D("0.61")).quantize(D("0.01"))), "9,512,114.60"),
        ("　　税金及附加", "128,406.31", "104,552.18"),
        ("　　销售费用", "846,300.52", "790,116.40"),
        ("　　管理费用", "2,214,885.09", "1,960,337.75"),
        ("　　研发费用", "1,532,760.00", "1,287,009.33"),
        ("二、营业利润", "2,806,551.74", "1,672,288.01"),
        ("三、利润总额", "2,811,030.74", "1,670,901.26"),
        ("减：所得税费用", "421,654.61", "250,635.19"),
        ("四、净利润", "2,389,376.13", "1,420,266.07"),
    ]
    y = h - 160
    for n, (a, b, cc) in enumerate(rows):
        c.rect(70, y - 8, w - 140, 26, stroke=1, fill=0)
        c.setFont("WQY", 11 if n else 12)
        c.drawString(78, y, a)
        c.drawRightString(w - 230, y, b)
        c.drawRightString(w - 78, y, cc)
        y -= 26
    c.line(w - 340, h - 168, w - 340, y + 18)
    c.line(w - 215, h - 168, w - 215, y + 18)
    c.setFont("WQY", 11)
    c.drawString(
        70, y - 30, "企业负责人：梁志远　　主管会计工作负责人：（样例）　　会计机构负责人：（样例）"
    )
    seal(w - 140, y - 110, firm)
    c.showPage()
    c.save()
    return buf.getvalue()
