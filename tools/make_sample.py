"""Generate the bundled sample company: synthetic scans and ``resources/sample/manifest.json``.

Run from the repository root:  ``python tools/make_sample.py [--out resources/sample]``

Everything here is invented (company, people, banks, certifiers, numbers); every page is marked
样例 / 仅供演示. The scans imitate what applicants attach: A4 pages scanned at 150 dpi as JPEG
(quality 60, mostly white so each stays small), two browser screenshots (PNG), a 3-page audit
report made with reportlab (PDF), one contract scanned in black and white as a 2-page TIFF, one
certificate scanned landscape, and one labour contract photographed with a phone (stored turned,
with EXIF orientation 6) so that intake has to turn it upright.

The script is deterministic (fixed random seeds, reportlab's invariant mode): running it again
with the same library versions gives the same files. The tests never run it; they use its output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import math
import random
import re
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.company import uscc_check_char  # noqa: E402

FONT_PATH = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"
DPI = 150
A4_PX = (1240, 1754)  # A4 at 150 dpi
INK = (34, 34, 38)
GREY = (120, 120, 120)
RED = (205, 32, 38)
BLUE_INK = (28, 44, 120)
JPEG_QUALITY = 45  # text-dense A4 pages: 45 keeps each under ~120 KB and stays legible
NO_LINE_START = set("。，、；：？！）》」』”’%")

# -- the sample data (the manifest is written from it, so scans and figures agree) ----------------

CREDIT_CODE_17 = "91440400MA52XK7R3"
COMPANY: dict[str, str] = {
    "name": "珠海澳澜智联信息技术有限公司",
    "credit_code": CREDIT_CODE_17 + uscc_check_char(CREDIT_CODE_17),
    "district": "高新区",
    "address": "珠海市高新区唐家湾镇示范路88号创新大厦12层",
    "legal_rep": "梁志远",
    "contact": "黄晓敏",
    "phone": "0756-3123456",
    "email": "shenbao@aolan-demo.example",
    "bank": "粤海示范银行珠海高新支行",
    "account": "80020000000012345678",
}
SHORT_NAME = "澳澜智联"

D = Decimal
CONTRACTS: list[dict[str, Any]] = [
    {
        "id": "ct-01",
        "name": "跨境电商平台软件开发服务合同",
        "client": "Northwind Commerce Inc.",
        "country": "美国",
        "business_type": "software_rd",
        "scope": "offshore",
        "affiliated": False,
        "currency": "USD",
        "contract_amount": D("900000"),
        "execution_amount": D("680000"),
        "execution_date": dt.date(2018, 6, 28),
    },
    {
        "id": "ct-02",
        "name": "工业产品外观设计外包合同",
        "client": "Rheinblick Design GmbH",
        "country": "德国",
        "business_type": "industrial_design",
        "scope": "offshore",
        "affiliated": False,
        "currency": "EUR",
        "contract_amount": D("300000"),
        "execution_amount": D("260000"),
        "execution_date": dt.date(2018, 9, 14),
    },
    {
        "id": "ct-03",
        "name": "数据中心运行维护服务协议",
        "client": "Harbourline Logistics Ltd.",
        "country": "中国香港",
        "business_type": "it_operations",
        "scope": "offshore",
        "affiliated": False,
        "currency": "USD",
        "contract_amount": D("350000"),
        "execution_amount": D("350000"),
        "execution_date": dt.date(2018, 11, 30),
    },
    {
        "id": "ct-04",
        "name": "智慧园区信息技术解决方案服务合同",
        "client": "佛山市示范智造有限公司",
        "country": "中国",
        "business_type": "it_solutions",
        "scope": "onshore",
        "affiliated": False,
        "currency": "CNY",
        "contract_amount": D("5000000"),
        "execution_amount": D("4200000"),
        "execution_date": dt.date(2018, 8, 20),
    },
    {
        "id": "ct-05",
        "name": "零售大数据分析服务合同",
        "client": "深圳市示范零售连锁有限公司",
        "country": "中国",
        "business_type": "big_data",
        "scope": "onshore",
        "affiliated": False,
        "currency": "CNY",
        "contract_amount": D("3500000"),
        "execution_amount": D("3500000"),
        "execution_date": dt.date(2018, 12, 10),
    },
    {
        "id": "ct-06",
        "name": "集团共享服务中心IT支持服务协议",
        "client": "澳澜控股集团有限公司",
        "country": "中国",
        "business_type": "it_operations",
        "scope": "onshore",
        "affiliated": True,
        "currency": "CNY",
        "contract_amount": D("2000000"),
        "execution_amount": D("2000000"),
        "execution_date": dt.date(2018, 10, 31),
    },
]
CERTIFICATIONS: list[dict[str, Any]] = [
    {
        "id": "cert-cmmi",
        "name": "CMMI",
        "kind": "new",
        "certificate_no": "SAMPLE-CMMI-2018-0361",
        "issuer": "示范过程改进评估中心",
        "obtained_date": dt.date(2018, 7, 16),
        "currency": "CNY",
        "cost": D("180000"),
    },
    {
        "id": "cert-iso27001",
        "name": "ISO27001/BS7799",
        "kind": "new",
        "certificate_no": "ISMS-SAMPLE-18-0729",
        "issuer": "华南示范认证有限公司",
        "obtained_date": dt.date(2018, 10, 22),
        "currency": "CNY",
        "cost": D("96000"),
    },
]
PERSONS: list[dict[str, Any]] = [
    {
        "id": "person-01",
        "name": "周明轩",
        "id_number": "440400********0016",
        "degree": "master",
        "position": "高级算法工程师",
        "hire_date": dt.date(2018, 3, 1),
        "contract_months": 36,
        "annual_salary": D("360000"),
        "tax_months": 10,
    },
    {
        "id": "person-02",
        "name": "何静怡",
        "id_number": "440400********0024",
        "degree": "doctor",
        "position": "数据安全架构师",
        "hire_date": dt.date(2018, 5, 14),
        "contract_months": 36,
        "annual_salary": D("420000"),
        "tax_months": 7,
    },
]
POLICIES: list[dict[str, Any]] = [
    {
        "id": "policy-01",
        "policy_no": "SAMPLE-ECI-2018-0117",
        "insurer": "示范出口信用保险公司广东分公司",
        "insured_business": "软件研发服务出口（美国）",
        "period": "2018-04-01 至 2019-03-31",
        "premium": D("18600"),
        "paid_date": dt.date(2018, 4, 12),
    },
    {
        "id": "policy-02",
        "policy_no": "SAMPLE-ECI-2018-0388",
        "insurer": "示范出口信用保险公司广东分公司",
        "insured_business": "工业设计服务出口（德国）",
        "period": "2018-09-01 至 2019-08-31",
        "premium": D("12400"),
        "paid_date": dt.date(2018, 9, 7),
    },
]
USD_PER = {"USD": D("1"), "CNY": D("0.145704"), "EUR": D("1.1450")}
BUSINESS_TYPE_NAMES = {
    "software_rd": "软件研发服务",
    "industrial_design": "工业设计服务",
    "it_operations": "信息技术运营和维护服务",
    "it_solutions": "信息技术解决方案服务",
    "big_data": "大数据服务",
}
DEGREE_NAMES = {"master": "硕士研究生", "doctor": "博士研究生"}


def usd(row: dict[str, Any]) -> Decimal:
    amount: Decimal = row["execution_amount"] * USD_PER[row["currency"]]
    return amount


def onshore_usd() -> Decimal:
    return sum((usd(r) for r in CONTRACTS if r["scope"] == "onshore" and not r["affiliated"]), D(0))


def offshore_usd() -> Decimal:
    return sum((usd(r) for r in CONTRACTS if r["scope"] == "offshore"), D(0))


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


# -- drawing ---------------------------------------------------------------------------------------


@cache
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), size, index=0)


class Page:
    """One sheet of paper at 150 dpi, drawn top to bottom."""

    def __init__(self, size: tuple[int, int] = A4_PX, seed: int = 0) -> None:
        self.img = Image.new("RGB", size, (255, 255, 255))
        self.draw = ImageDraw.Draw(self.img)
        self.w, self.h = size
        self.left, self.right = 130, size[0] - 130
        self.y = 120
        self.rng = random.Random(seed)

    # text ------------------------------------------------------------------------------------
    def text(
        self,
        xy: tuple[float, float],
        s: str,
        size: int = 24,
        fill: tuple[int, int, int] = INK,
        anchor: str = "la",
        bold: bool = False,
    ) -> None:
        self.draw.text(
            xy,
            s,
            font=font(size),
            fill=fill,
            anchor=anchor,
            stroke_width=1 if bold else 0,
            stroke_fill=fill,
        )

    def title(self, s: str, size: int = 44, gap: int = 26) -> None:
        self.text((self.w / 2, self.y), s, size, anchor="ma", bold=True)
        self.y += size + gap

    def subtitle(self, s: str, size: int = 24, gap: int = 20) -> None:
        self.text((self.w / 2, self.y), s, size, GREY, anchor="ma")
        self.y += size + gap

    def line(self, s: str, size: int = 24, indent: int = 0, gap: int = 14, **kw: Any) -> None:
        self.text((self.left + indent, self.y), s, size, **kw)
        self.y += size + gap

    def para(self, s: str, size: int = 24, indent: int = 2, gap: int = 12) -> None:
        """A paragraph wrapped to the text width; the first line indented by ``indent`` chars."""
        f = font(size)
        width = self.right - self.left
        lines: list[str] = []
        cur = "\u3000" * indent
        for ch in s:
            # no line may start with closing punctuation (the usual CJK line-breaking rule)
            if f.getlength(cur + ch) > width and ch not in NO_LINE_START:
                lines.append(cur)
                cur = ""
            cur += ch
        if cur:
            lines.append(cur)
        for ln in lines:
            self.text((self.left, self.y), ln, size)
            self.y += size + gap
        self.y += gap

    def fields(self, pairs: Sequence[tuple[str, str]], size: int = 24, label_w: int = 230) -> None:
        for label, value in pairs:
            self.text((self.left, self.y), label, size, GREY)
            self.text((self.left + label_w, self.y), value, size)
            self.draw.line(
                (self.left + label_w - 8, self.y + size + 6, self.right, self.y + size + 6),
                fill=(190, 190, 190),
                width=1,
            )
            self.y += size + 20

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        size: int = 21,
        row_h: int = 44,
        align_right: Sequence[int] = (),
    ) -> None:
        total = self.right - self.left
        xs = [self.left]
        for w in widths:
            xs.append(xs[-1] + round(total * w / sum(widths)))
        top = self.y
        all_rows = [list(header), *[list(r) for r in rows]]
        for n, cells in enumerate(all_rows):
            y0 = top + n * row_h
            if n == 0:
                self.draw.rectangle((xs[0], y0, xs[-1], y0 + row_h), fill=(236, 236, 236))
            for c, value in enumerate(cells):
                x0, x1 = xs[c], xs[c + 1]
                f = font(size)
                while f.getlength(value) > x1 - x0 - 12 and len(value) > 2:
                    value = value[:-2] + "…"
                if c in align_right and n > 0:
                    self.text((x1 - 8, y0 + row_h / 2), value, size, anchor="rm")
                else:
                    self.text((x0 + 8, y0 + row_h / 2), value, size, anchor="lm", bold=n == 0)
        bottom = top + len(all_rows) * row_h
        for n in range(len(all_rows) + 1):
            self.draw.line((xs[0], top + n * row_h, xs[-1], top + n * row_h), fill=INK, width=1)
        for x in xs:
            self.draw.line((x, top, x, bottom), fill=INK, width=1)
        self.y = bottom + 24

    def rule(self, gap: int = 18, width: int = 2) -> None:
        self.draw.line((self.left, self.y, self.right, self.y), fill=INK, width=width)
        self.y += gap

    # marks -------------------------------------------------------------------------------------
    def seal(
        self,
        cx: float,
        cy: float,
        org: str,
        bottom: str = "",
        r: int = 118,
        color: tuple[int, int, int] = RED,
    ) -> None:
        """A round company seal: ring, the name along the top arc, a star, a word below it."""
        layer = Image.new("RGBA", self.img.size, (0, 0, 0, 0))
        d = ImageDraw.Draw(layer)
        ink = (*color, 215)
        d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=ink, width=max(5, r // 18))
        star_r = r * 0.28
        pts = []
        for k in range(10):
            rad = star_r if k % 2 == 0 else star_r * 0.4
            a = -math.pi / 2 + k * math.pi / 5
            pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
        d.polygon(pts, fill=ink)
        size = max(14, int(r * 0.24))
        f = font(size)
        n = len(org)
        span = min(250.0, 18.0 * n)
        for i, ch in enumerate(org):
            a = -span / 2 + span * (i + 0.5) / n  # degrees from the top, clockwise
            glyph = Image.new("RGBA", (size + 8, size + 8), (0, 0, 0, 0))
            ImageDraw.Draw(glyph).text(
                ((size + 8) / 2, (size + 8) / 2), ch, font=f, fill=ink, anchor="mm"
            )
            glyph = glyph.rotate(-a, expand=True, resample=Image.Resampling.BICUBIC)
            rr = r - size * 0.85
            gx = cx + rr * math.sin(math.radians(a)) - glyph.width / 2
            gy = cy - rr * math.cos(math.radians(a)) - glyph.height / 2
            layer.alpha_composite(glyph, (round(gx), round(gy)))
        if bottom:
            d.text((cx, cy + r * 0.52), bottom, font=font(int(size * 0.9)), fill=ink, anchor="mm")
        # a seal never prints evenly: knock out a few specks
        for _ in range(60):
            x = self.rng.uniform(cx - r, cx + r)
            y = self.rng.uniform(cy - r, cy + r)
            d.ellipse((x, y, x + 3, y + 3), fill=(0, 0, 0, 0))
        base = self.img.convert("RGBA")
        base.alpha_composite(layer)
        self.img = base.convert("RGB")
        self.draw = ImageDraw.Draw(self.img)

    def signature(self, x: float, y: float, w: float = 200, h: float = 60) -> None:
        """A hand-written-looking scribble: two or three irregular looping strokes."""
        rng = self.rng
        strokes = rng.randint(2, 3)
        seg = w / strokes
        for s in range(strokes):
            x0 = x + s * seg + rng.uniform(-6, 6)
            loops = rng.uniform(1.2, 2.8)
            phase = rng.uniform(0, 2 * math.pi)
            amp = [rng.uniform(0.45, 1.0) for _ in range(4)]
            tilt = rng.uniform(-0.25, 0.1)
            pts = []
            for i in range(90):
                t = i / 89
                k = amp[min(3, int(t * 4))]
                r = h * 0.34 * k
                ang = 2 * math.pi * loops * t + phase + 0.8 * math.sin(5 * t)
                px = x0 + t * seg * 0.9 + r * 0.55 * math.cos(ang)
                py = y + h / 2 + r * math.sin(ang) + tilt * t * h
                pts.append((px, py))
            self.draw.line(pts, fill=BLUE_INK, width=3, joint="curve")
        end_y = y + h * rng.uniform(0.55, 0.85)
        self.draw.line(
            [(x + w * 0.05, end_y + 8), (x + w * 0.5, end_y - 4), (x + w * 1.08, end_y + 2)],
            fill=BLUE_INK,
            width=2,
        )

    def sample_mark(self) -> None:
        """样例 / 仅供演示: a diagonal watermark and a boxed stamp, so no one mistakes the page."""
        layer = Image.new("RGBA", self.img.size, (0, 0, 0, 0))
        band = Image.new("RGBA", (1400, 170), (0, 0, 0, 0))
        ImageDraw.Draw(band).text(
            (700, 85), "样例 · 仅供演示", font=font(120), fill=(150, 150, 150, 48), anchor="mm"
        )
        band = band.rotate(32, expand=True, resample=Image.Resampling.BICUBIC)
        for fy in (0.28, 0.72):
            layer.alpha_composite(
                band,
                (round(self.w / 2 - band.width / 2), round(self.h * fy - band.height / 2)),
            )
        d = ImageDraw.Draw(layer)
        box = (self.w - 260, 40, self.w - 60, 104)
        d.rectangle(box, outline=(*RED, 230), width=4)
        d.text(
            ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2),
            "样例 仅供演示",
            font=font(26),
            fill=(*RED, 230),
            anchor="mm",
        )
        base = self.img.convert("RGBA")
        base.alpha_composite(layer)
        self.img = base.convert("RGB")
        self.draw = ImageDraw.Draw(self.img)

    # output ------------------------------------------------------------------------------------
    def scanned(self, gray: bool = False, skew: float | None = None) -> Image.Image:
        """The page as a flatbed scan: marked 样例, slightly skewed, a faint edge shadow."""
        self.sample_mark()
        angle = skew if skew is not None else self.rng.uniform(-0.5, 0.5)
        img = self.img.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=(255, 255, 255))
        d = ImageDraw.Draw(img)
        for k in range(6):  # the scanner lid's shadow along one edge
            shade = 200 + k * 9
            d.line((k, 0, k, self.h), fill=(shade, shade, shade))
        return img.convert("L") if gray else img


def save_jpeg(img: Image.Image, path: Path, exif_orientation: int | None = None) -> None:
    kw: dict[str, Any] = {
        "quality": JPEG_QUALITY,
        "optimize": True,
        "progressive": True,
        "dpi": (DPI, DPI),
    }
    if img.mode == "RGB":
        kw["subsampling"] = 2  # 4:2:0
    if exif_orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        kw["exif"] = exif.tobytes()
    img.save(path, "JPEG", **kw)


def save_png(img: Image.Image, path: Path) -> None:
    img.quantize(colors=48, method=Image.Quantize.MEDIANCUT).save(path, "PNG", optimize=True)


def save_tiff_g4(pages: Sequence[Image.Image], path: Path) -> None:
    """A black-and-white multi-page TIFF (CCITT group 4), as office scanners make."""
    bw = [p.convert("L").point(lambda v: 255 if v > 165 else 0).convert("1") for p in pages]
    bw[0].save(
        path,
        "TIFF",
        save_all=True,
        append_images=bw[1:],
        compression="group4",
        dpi=(DPI, DPI),
    )


# -- the documents -----------------------------------------------------------------------------------


def company_seal(p: Page, cx: float, cy: float, word: str = "") -> None:
    p.seal(cx, cy, COMPANY["name"], word)


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
            (usd(r) / USD_PER["CNY"]).quantize(D("0.01"))
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


def contract_pages(row: dict[str, Any], seed: int, two_pages: bool = False) -> list[Image.Image]:
    offshore = row["scope"] == "offshore"
    p = Page(seed=seed)
    if offshore:
        p.title("SERVICE AGREEMENT", 40, 8)
        p.title(row["name"], 36, 14)
    else:
        p.title(row["name"], 40, 14)
    p.subtitle(f"合同编号：AL-{row['execution_date']:%Y%m}-{row['id'].upper()}（样例）", 22, 24)
    p.fields(
        [
            ("甲方（发包方）", row["client"]),
            ("国家/地区", row["country"]),
            ("乙方（承接方）", COMPANY["name"]),
        ],
        23,
        240,
    )
    p.y += 8
    p.para(
        "甲乙双方本着平等互利的原则，经友好协商，就甲方委托乙方提供"
        f"{BUSINESS_TYPE_NAMES[row['business_type']]}事宜达成如下协议，以资共同遵守。",
        23,
    )
    p.line("第一条　服务内容", 24, bold=True)
    p.para(
        "乙方按本合同附件一《服务说明书》的要求提供服务，并按里程碑交付相应成果。",
        23,
    )
    p.line("第二条　合同金额及支付方式", 24, bold=True)
    p.table(
        ["里程碑", "交付内容", "支付比例", f"金额（{row['currency']}）"],
        [
            ["M1", "需求及设计文档确认", "30%", money(row["contract_amount"] * D("0.3"))],
            ["M2", "系统开发及测试完成", "40%", money(row["contract_amount"] * D("0.4"))],
            ["M3", "上线验收及运行支持", "30%", money(row["contract_amount"] * D("0.3"))],
            ["", "合计", "100%", money(row["contract_amount"])],
        ],
        [1, 3.2, 1.3, 2.2],
        21,
        46,
        align_right=(3,),
    )
    p.para(
        f"本合同总金额为{row['currency']} {money(row['contract_amount'])}（含税），"
        "甲方在每一里程碑验收后十五个工作日内付款。",
        23,
    )
    p.line("第三条　履行期限", 24, bold=True)
    start = dt.date(row["execution_date"].year, 1, 15)
    p.para(f"本合同自{start:%Y年%m月%d日}起生效，至全部服务交付并验收之日止。", 23)
    if not two_pages:
        p.line("第四条至第十二条　（保密、知识产权、违约责任、争议解决等条款略）", 23, gap=30)
        _signing_block(p, row)
        return [p.scanned(gray=row["id"] != "ct-01")]
    p.line("第四条　保密条款", 24, bold=True)
    p.para(
        "双方对在履行本合同过程中知悉的对方商业秘密负有保密义务，保密期限至相关信息公开之日止。", 23
    )
    p2 = Page(seed=seed + 1)
    p2.line("第五条至第十一条　（知识产权、验收、违约责任、不可抗力等条款略）", 23, gap=26)
    p2.line("第十二条　争议解决", 24, bold=True)
    p2.para(
        "因本合同引起的争议，双方应友好协商解决；协商不成的，提交乙方所在地有管辖权的人民法院诉讼解决。",
        23,
    )
    p2.line("第十三条　其他", 24, bold=True)
    p2.para(
        "本合同一式四份，双方各执两份，具有同等法律效力。本合同以中文和英文书就，两种文本如有不一致，以中文文本为准。",
        23,
    )
    p2.y += 40
    _signing_block(p2, row)
    return [p.scanned(gray=True), p2.scanned(gray=True)]


def _signing_block(p: Page, row: dict[str, Any]) -> None:
    top = max(p.y + 20, 1290)
    half = p.w / 2
    p.text((p.left, top), "甲方（盖章）：", 23)
    p.text((p.left, top + 70), "授权代表（签字）：", 23)
    p.text((p.left, top + 140), f"日期：{row['execution_date'].year}年01月15日", 23)
    p.text((half + 20, top), "乙方（盖章）：", 23)
    p.text((half + 20, top + 70), "授权代表（签字）：", 23)
    p.text((half + 20, top + 140), f"日期：{row['execution_date'].year}年01月15日", 23)
    p.signature(p.left + 210, top + 50, 170, 56)
    p.signature(half + 230, top + 50, 170, 56)
    client = str(row["client"])
    if re.search(r"[\u4e00-\u9fff]", client):
        p.seal(p.left + 260, top + 60, client, "合同专用章", 105)
    else:
        p.draw.rectangle(
            (p.left + 170, top + 150, p.left + 470, top + 215), outline=(40, 40, 140), width=3
        )
        p.text((p.left + 320, top + 182), client.upper(), 18, (40, 40, 140), anchor="mm")
    p.seal(half + 280, top + 60, COMPANY["name"], "合同专用章", 105)


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


def consulting_contract(row: dict[str, Any], seed: int) -> Image.Image:
    p = Page(seed=seed)
    consultant = "广州示范管理咨询有限公司"
    p.title(f"{row['name']}认证咨询服务合同", 40)
    p.subtitle(f"合同编号：ZX-2018-{seed:04d}（样例）", 22, 26)
    p.fields([("委托方（甲方）", COMPANY["name"]), ("咨询方（乙方）", consultant)], 24, 230)
    p.para(
        f"甲方委托乙方就{row['name']}认证提供差距分析、体系文件编写、内部培训、预评估及认证审核陪同等咨询服务。",
        24,
    )
    p.table(
        ["费用项目", "金额（元）", "支付时间"],
        [
            ["咨询服务费", money(row["cost"] * D("0.6")), "合同签订后10日内付50%，取证后付50%"],
            ["认证审核费（代收代付）", money(row["cost"] * D("0.4")), "正式审核前"],
            ["合计", money(row["cost"]), ""],
        ],
        [2.5, 1.6, 3.6],
        21,
        48,
        (1,),
    )
    p.para(
        "乙方保证咨询人员具备相应资质；因乙方原因未能在约定期限内取得证书的，乙方退还已收取的咨询服务费。其余条款略。",
        24,
    )
    p.y = max(p.y, 1300)
    _two_party_sign(
        p,
        consultant,
        f"{row['obtained_date'].year}年0{max(1, row['obtained_date'].month - 4)}月10日",
    )
    return p.scanned(gray=True)


def _two_party_sign(p: Page, other: str, date: str) -> None:
    half = p.w / 2
    top = p.y
    p.text((p.left, top), "甲方（盖章）：", 24)
    p.text((p.left, top + 80), "代表签字：", 24)
    p.text((half + 20, top), "乙方（盖章）：", 24)
    p.text((half + 20, top + 80), "代表签字：", 24)
    p.text((p.left, top + 160), f"日期：{date}", 24)
    p.text((half + 20, top + 160), f"日期：{date}", 24)
    p.signature(p.left + 130, top + 62, 160, 52)
    p.signature(half + 150, top + 62, 160, 52)
    company_seal(p, p.left + 300, top + 70, "合同专用章")
    p.seal(half + 300, top + 70, other, "合同专用章", 108)


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


# -- assembling the sample ---------------------------------------------------------------------------


def json_value(v: Any) -> Any:
    if isinstance(v, Decimal):
        return "\u0000dec:" + str(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def dumps(obj: Any) -> str:
    text = json.dumps(obj, ensure_ascii=False, indent=2)
    return re.sub(r'"\\u0000dec:([^"]+)"', r"\1", text)


def generate(out: Path) -> dict[str, Any]:
    scans = out / "scans"
    scans.mkdir(parents=True, exist_ok=True)
    for old in scans.iterdir():
        old.unlink()
    evidence: dict[str, Any] = {}

    def put(
        doc_id: str, name: str, make: Callable[[Path], None], row_id: str | None = None
    ) -> None:
        path = scans / name
        make(path)
        rel = f"scans/{name}"
        if row_id is None:
            evidence.setdefault(doc_id, []).append(rel)
        else:
            evidence.setdefault(doc_id, {}).setdefault(row_id, []).append(rel)

    def jpeg(img: Image.Image, orientation: int | None = None) -> Callable[[Path], None]:
        return lambda p: save_jpeg(img, p, orientation)

    put("business_license", "营业执照副本.jpg", jpeg(business_license(11)))
    put("credit_record", "信用中国查询截图.png", lambda p: save_png(credit_screenshot(), p))
    put(
        "oso_platform_screenshot",
        "服务外包平台填报截图.png",
        lambda p: save_png(platform_screenshot(), p),
    )
    put("oso_audit_report", "2018年度审计报告.pdf", lambda p: p.write_bytes(audit_report_pdf()))
    for k, row in enumerate(CONTRACTS):
        name = f"合同{k + 1:02d}-{row['name']}"
        if row["id"] == "ct-02":
            pages = contract_pages(row, 100 + k, two_pages=True)
            put("oso_contracts", f"{name}.tif", lambda p, pages=pages: save_tiff_g4(pages, p))
        else:
            put("oso_contracts", f"{name}.jpg", jpeg(contract_pages(row, 100 + k)[0]))
    put("oso_invoices", "在岸业务发票汇总清单.jpg", jpeg(invoices_summary()))
    onshore = [r for r in CONTRACTS if r["scope"] == "onshore" and not r["affiliated"]]
    put(
        "oso_invoices",
        "在岸业务发票复印件.jpg",
        jpeg(
            sheet_of_slips(
                [
                    invoice_page(
                        51 + k,
                        r["client"],
                        BUSINESS_TYPE_NAMES[r["business_type"]],
                        (r["execution_amount"] * D("0.3")).quantize(D("0.01")),
                        r["execution_date"],
                        COMPANY["name"],
                    )
                    for k, r in enumerate(onshore)
                ],
                55,
                "在岸业务增值税专用发票（复印件，节选）",
                gray=True,
            )
        ),
    )
    offshore = [r for r in CONTRACTS if r["scope"] == "offshore"]
    put("oso_fx_receipts", "收汇凭证-1.jpg", jpeg(fx_receipts(offshore[:2], 81)))
    put("oso_fx_receipts", "收汇凭证-2.jpg", jpeg(fx_receipts(offshore[2:], 85)))
    put(
        "ic_application_report",
        "国际资质认证奖励申请报告-签字盖章.jpg",
        jpeg(certification_report()),
    )
    for k, row in enumerate(CERTIFICATIONS):
        cert = certificate_landscape(row) if row["name"] == "CMMI" else certificate_iso(row)
        short = "CMMI" if row["name"] == "CMMI" else "ISO27001"
        put("ic_certificate", f"{short}证书.jpg", jpeg(cert), row["id"])
        put(
            "ic_consulting_contract",
            f"{short}认证咨询合同.jpg",
            jpeg(consulting_contract(row, 200 + k)),
            row["id"],
        )
        put(
            "ic_fee_vouchers",
            f"{short}认证费用发票及付款凭证.jpg",
            jpeg(fee_vouchers(row, 210 + 3 * k)),
            row["id"],
        )
    for k, person in enumerate(PERSONS):
        n = person["name"]
        rid = person["id"]
        put(
            "ti_identity_degree",
            f"{n}-身份证及学历证书.jpg",
            jpeg(identity_degree(person, 300 + k)),
            rid,
        )
        contract = labour_contract(person, 310 + k)
        if k == 1:  # photographed with a phone: pixels stored turned, EXIF says "rotate 90° CW"
            put(
                "ti_labour_contract",
                f"{n}-劳动合同（手机拍摄）.jpg",
                jpeg(contract.rotate(90, expand=True), orientation=6),
                rid,
            )
        else:
            put("ti_labour_contract", f"{n}-劳动合同.jpg", jpeg(contract), rid)
        put(
            "ti_income_tax",
            f"{n}-个人所得税纳税记录.jpg",
            jpeg(tax_statement(person, 320 + k)),
            rid,
        )
        put(
            "ti_social_security",
            f"{n}-社保缴费明细.jpg",
            jpeg(social_security(person, 330 + k)),
            rid,
        )
    for k, pol in enumerate(POLICIES):
        put("eci_premium_notices", f"保险费通知书-{k + 1}.jpg", jpeg(premium_notice(pol, 400 + k)))
    put("eci_premium_invoices", "保险费发票.jpg", jpeg(premium_invoices()))

    def rows(table: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: json_value(v) for k, v in r.items()} for r in table]

    manifest: dict[str, Any] = {
        "format": "packet-assembler-manifest",
        "version": 1,
        "guide": "zhuhai-service-trade-2019",
        "company": COMPANY,
        "items": {
            "outsourcing_onshore": {
                "selected": True,
                "inputs": {
                    "reported_on_platform": True,
                    "platform_amount_usd": json_value(onshore_usd().quantize(D("0.01"))),
                },
            },
            "outsourcing_offshore": {
                "selected": True,
                "inputs": {
                    "reported_on_platform": True,
                    "platform_amount_usd": json_value(offshore_usd().quantize(D("0.01"))),
                },
            },
            "international_certification": {"selected": True},
            "talent_introduction": {"selected": True},
            "export_credit_insurance": {
                "selected": True,
                "requested_cny": json_value(sum((p["premium"] for p in POLICIES), D(0))),
            },
        },
        "tables": {
            "contracts": rows(CONTRACTS),
            "certifications": rows(CERTIFICATIONS),
            "persons": rows(PERSONS),
            "policies": rows(POLICIES),
        },
        "rates": {"EUR": json_value(USD_PER["EUR"])},
        "evidence": evidence,
        "options": {"duplex": False, "gutter_mm": 25, "repeat_shared": False},
    }
    (out / "manifest.json").write_text(dumps(manifest) + "\n", encoding="utf-8")
    return manifest


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate the bundled sample company.")
    ap.add_argument("--out", type=Path, default=ROOT / "resources" / "sample")
    args = ap.parse_args(argv)
    generate(args.out)
    total = 0
    for f in sorted((args.out).rglob("*")):
        if f.is_file():
            total += f.stat().st_size
            print(f"{f.stat().st_size / 1024:7.1f} KB  {f.relative_to(args.out)}")
    print(f"{total / 1024 / 1024:.2f} MB in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
