"""Browser screenshots of the sample: the 信用中国 record and the outsourcing platform entry."""

from __future__ import annotations

from PIL import Image, ImageDraw

from tools.sample.data import (
    BUSINESS_TYPE_NAMES,
    COMPANY,
    CONTRACTS,
    money,
    offshore_usd,
    onshore_usd,
)
from tools.sample.draw import GREY, INK, RED, font


def browser_frame(w: int, h: int, url: str, tab: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    img = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, w, 84), fill=(222, 225, 230))
    d.rounded_rectangle((12, 8, 380, 40), 8, fill=(255, 255, 255))
    d.text((28, 24), tab, font=font(17), fill=INK, anchor="lm")
    d.rounded_rectangle((110, 48, w - 120, 78), 14, fill=(255, 255, 255))
    d.text((130, 63), url, font=font(17), fill=(60, 60, 60), anchor="lm")
    for k, c in enumerate(((236, 95, 90), (245, 190, 80), (98, 196, 84))):
        d.ellipse((20 + k * 26, 54, 36 + k * 26, 70), fill=c)
    return img, d


def screenshot_mark(img: Image.Image) -> Image.Image:
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    d.text(
        (img.width - 40, img.height - 30),
        "样例截图 · 仅供演示",
        font=font(26),
        fill=(*RED, 200),
        anchor="rs",
    )
    band = Image.new("RGBA", (1200, 150), (0, 0, 0, 0))
    ImageDraw.Draw(band).text(
        (600, 75), "样例 · 仅供演示", font=font(100), fill=(150, 150, 150, 40), anchor="mm"
    )
    band = band.rotate(18, expand=True)
    layer.alpha_composite(band, ((img.width - band.width) // 2, (img.height - band.height) // 2))
    base = img.convert("RGBA")
    base.alpha_composite(layer)
    return base.convert("RGB")


def credit_screenshot() -> Image.Image:
    w, h = 1600, 1000
    img, d = browser_frame(
        w, h, "https://credit.zhuhai.example/search?q=澳澜智联", "信用中国（广东珠海）"
    )
    d.rectangle((0, 84, w, 170), fill=(22, 92, 170))
    d.text(
        (60, 127),
        "信用中国（广东珠海）　示范页面",
        font=font(34),
        fill=(255, 255, 255),
        anchor="lm",
    )
    d.text(
        (w - 60, 127),
        "首页　信用动态　信用查询　政策法规",
        font=font(20),
        fill=(220, 230, 245),
        anchor="rm",
    )
    d.rounded_rectangle((60, 200, w - 60, 260), 6, outline=(22, 92, 170), width=2)
    d.text((80, 230), COMPANY["name"], font=font(22), fill=INK, anchor="lm")
    d.rectangle((w - 200, 200, w - 60, 260), fill=(22, 92, 170))
    d.text((w - 130, 230), "查 询", font=font(22), fill=(255, 255, 255), anchor="mm")
    d.text((60, 300), "查询结果", font=font(28), fill=INK)
    d.line((60, 345, w - 60, 345), fill=(200, 200, 200), width=2)
    rows = [
        ("企业名称", COMPANY["name"]),
        ("统一社会信用代码", COMPANY["credit_code"]),
        ("法定代表人", COMPANY["legal_rep"]),
        ("登记状态", "存续（在营、开业、在册）"),
        ("失信黑名单", "未查询到该企业的失信黑名单信息"),
        ("行政处罚", "未查询到相关记录"),
        ("查询时间", "2019-01-22 10:36:15"),
    ]
    for n, (k, v) in enumerate(rows):
        y = 370 + n * 62
        d.rectangle((60, y, 420, y + 56), fill=(242, 245, 250))
        d.text((80, y + 28), k, font=font(22), fill=(80, 80, 80), anchor="lm")
        color = (20, 130, 60) if k == "失信黑名单" else INK
        d.text((450, y + 28), v, font=font(22), fill=color, anchor="lm")
        d.line((60, y + 58, w - 60, y + 58), fill=(225, 225, 225))
    d.text(
        (60, 840),
        "说明：本页面为软件演示用的样例截图，并非信用网站的真实查询结果。",
        font=font(20),
        fill=GREY,
    )
    return screenshot_mark(img)


def platform_screenshot() -> Image.Image:
    w, h = 1600, 1000
    img, d = browser_frame(
        w, h, "https://platform.mofcom.example/fwwb/report/2018", "服务外包及软件出口应用"
    )
    d.rectangle((0, 84, w, 150), fill=(160, 30, 35))
    d.text(
        (40, 117),
        "商务部业务系统统一平台（示范）— 服务外包及软件出口应用",
        font=font(28),
        fill=(255, 255, 255),
        anchor="lm",
    )
    d.rectangle((0, 150, 260, h), fill=(244, 244, 246))
    for n, s in enumerate(["合同登记", "执行情况填报", "数据查询", "统计报表", "企业信息"]):
        fill = (255, 255, 255) if n == 1 else (244, 244, 246)
        d.rectangle((0, 170 + n * 56, 260, 222 + n * 56), fill=fill)
        d.text((30, 196 + n * 56), s, font=font(20), fill=INK, anchor="lm")
    d.text(
        (290, 180), f"执行情况填报（2018年度）　企业：{COMPANY['name']}", font=font(22), fill=INK
    )
    header = ["合同名称", "发包方国家/地区", "业务类型", "在岸/离岸", "币种", "执行金额", "状态"]
    xs = [290, 660, 850, 1080, 1190, 1270, 1440, w - 30]
    y = 230
    d.rectangle((290, y, w - 30, y + 46), fill=(235, 238, 243))
    for c, s in enumerate(header):
        d.text((xs[c] + 8, y + 23), s, font=font(18), fill=INK, anchor="lm")
    for n, r in enumerate(CONTRACTS):
        yy = y + 46 + n * 48
        vals = [
            r["name"],
            r["country"],
            BUSINESS_TYPE_NAMES[r["business_type"]],
            "离岸" if r["scope"] == "offshore" else "在岸",
            r["currency"],
            money(r["execution_amount"]),
            "已审核",
        ]
        for c, s in enumerate(vals):
            f = font(18)
            while f.getlength(s) > xs[c + 1] - xs[c] - 14:
                s = s[:-2] + "…"
            d.text((xs[c] + 8, yy + 24), s, font=f, fill=INK, anchor="lm")
        d.line((290, yy + 48, w - 30, yy + 48), fill=(220, 220, 220))
    yy = y + 46 + len(CONTRACTS) * 48 + 30
    d.text(
        (290, yy),
        f"在岸执行金额（不含集团关联公司）折合 {money(onshore_usd())} 美元",
        font=font(20),
        fill=INK,
    )
    d.text(
        (290, yy + 40), f"离岸执行金额折合 {money(offshore_usd())} 美元", font=font(20), fill=INK
    )
    d.text(
        (290, yy + 80),
        "填报状态：已提交　审核状态：已通过　最后更新：2019-01-18 16:20",
        font=font(20),
        fill=(20, 130, 60),
    )
    return screenshot_mark(img)
