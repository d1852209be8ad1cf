"""Generated evidence pages for the sideways/blank page check (``app.intake.pagecheck``): Chinese
and Latin text, forms, tables, receipts with red stamps, photos of text, blank and nearly blank
sheets, with scanner noise, grey paper, skew, perspective and JPEG loss.

Used by ``tests/test_pagecheck.py`` (a small set) and ``benchmarks/bench_pagecheck.py`` (rates
over hundreds of pages). Every page is drawn upright; ``turned`` lays it at 90/180/270.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
CJK_FONT = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"
SONG_FONT = ROOT / "resources" / "fonts" / "uming-gb2312.ttf"

A4_PX = (1240, 1754)  # 150 dpi

_HANZI = (
    "本公司根据国家有关规定申请服务贸易发展专项资金合同金额执行日期项目名称单位地址法定代表人"
    "联系电话开户银行账号税务登记证明营业执照会计师事务所审计报告出口收汇凭证外汇管理局备案"
    "技术服务外包软件开发信息系统运营维护设计咨询培训人员工资社会保险缴纳情况说明承诺真实有效"
)
_WORDS = tuple(
    [
        "the",
        "contract",
        "service",
        "agreement",
        "party",
        "shall",
        "provide",
        "software",
        "development",
        "and",
        "maintenance",
        "services",
        "payment",
        "invoice",
        "amount",
        "total",
        "within",
        "days",
        "after",
        "delivery",
        "according",
        "to",
        "terms",
        "of",
        "this",
        "export",
        "revenue",
        "certificate",
        "company",
        "limited",
        "address",
        "bank",
        "account",
        "signed",
        "date",
        "schedule",
    ]
)


@dataclass(frozen=True)
class Sample:
    kind: str  # "text" (must be judged), "light" (never blank), "blank" (must be flagged)
    name: str
    image: Image.Image  # upright, RGB


@cache
def font(size: int, song: bool = False) -> ImageFont.FreeTypeFont:
    if song:
        return ImageFont.truetype(str(SONG_FONT), size)
    return ImageFont.truetype(str(CJK_FONT), size, index=0)


def _hanzi(rng: random.Random, n: int) -> str:
    text = "".join(rng.choice(_HANZI) for _ in range(n))
    out = []
    for i, ch in enumerate(text, 1):
        out.append(ch)
        if i % rng.randint(9, 16) == 0:
            out.append(rng.choice("，，，。、；"))
    return "".join(out)


def _latin(rng: random.Random, n: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def _ink(rng: random.Random) -> tuple[int, int, int]:
    v = rng.randint(0, 60)
    return (v, v, v + rng.randint(0, 30))


def _paragraphs_cn(rng: random.Random, draw: ImageDraw.ImageDraw, size: tuple[int, int]) -> None:
    w, h = size
    fs = rng.randint(20, 30)
    f = font(fs, song=rng.random() < 0.5)
    title = _hanzi(rng, rng.randint(6, 14)).replace("，", "").replace("。", "")
    tf = font(int(fs * 1.5))
    tw = draw.textlength(title, font=tf)
    y = int(h * rng.uniform(0.07, 0.12))
    draw.text(((w - tw) / 2, y), title, font=tf, fill=_ink(rng))
    y += int(fs * 3)
    left, right = int(w * rng.uniform(0.1, 0.14)), int(w * rng.uniform(0.86, 0.9))
    per_line = int((right - left) / fs)
    bottom = h * rng.uniform(0.55, 0.9)
    colour = _ink(rng)
    while y < bottom:
        lines = rng.randint(2, 6)
        text = _hanzi(rng, per_line * lines)
        first = True
        while text and y < bottom:
            room = per_line - (2 if first else 0)
            line, text = text[:room], text[room:]
            if not text:
                line = line[: rng.randint(3, max(4, len(line)))]
            draw.text((left + (2 * fs if first else 0), y), line, font=f, fill=colour)
            first = False
            y += int(fs * rng.uniform(1.5, 1.9))
        y += int(fs * 0.5)
    if rng.random() < 0.6:
        draw.text((w / 2 - fs, h * 0.94), f"- {rng.randint(1, 30)} -", font=f, fill=colour)


def _paragraphs_latin(rng: random.Random, draw: ImageDraw.ImageDraw, size: tuple[int, int]) -> None:
    w, h = size
    fs = rng.randint(20, 28)
    f = font(fs)
    left, right = int(w * 0.11), int(w * 0.89)
    y = int(h * 0.08)
    draw.text((left, y), _latin(rng, 4).upper(), font=font(int(fs * 1.3)), fill=_ink(rng))
    y += fs * 3
    colour = _ink(rng)
    while y < h * 0.88:
        words = _latin(rng, rng.randint(30, 90)).split()
        line = ""
        while words and y < h * 0.88:
            trial = (line + " " + words[0]).strip()
            if draw.textlength(trial, font=f) > right - left:
                draw.text((left, y), line, font=f, fill=colour)
                y += int(fs * 1.35)
                line = ""
            else:
                line = trial
                words.pop(0)
        if line:
            draw.text((left, y), line, font=f, fill=colour)
            y += int(fs * 1.35)
        y += fs


def _stamp(
    rng: random.Random, draw: ImageDraw.ImageDraw, centre: tuple[float, float], r: int
) -> None:
    red = (rng.randint(190, 235), rng.randint(20, 70), rng.randint(20, 70))
    x, y = centre
    draw.ellipse((x - r, y - r, x + r, y + r), outline=red, width=max(3, r // 14))
    star = r // 4
    draw.regular_polygon((x, y, star), 5, fill=red)
    f = font(max(12, r // 4))
    text = "有限公司财务专用章"[: rng.randint(4, 9)]
    for i, ch in enumerate(text):
        a = math.pi * (1.15 + 0.7 * i / max(1, len(text) - 1))
        draw.text(
            (x + 0.7 * r * math.cos(a) - r // 8, y + 0.7 * r * math.sin(a) - r // 8),
            ch,
            font=f,
            fill=red,
        )


def _form(rng: random.Random, draw: ImageDraw.ImageDraw, size: tuple[int, int]) -> None:
    """A sparse form: a title, a few labelled fields with lines, a stamp."""
    w, h = size
    fs = rng.randint(20, 26)
    f = font(fs)
    title = _hanzi(rng, rng.randint(5, 9)).replace("，", "").replace("。", "") + "表"
    tw = draw.textlength(title, font=font(int(fs * 1.4)))
    draw.text(((w - tw) / 2, h * 0.08), title, font=font(int(fs * 1.4)), fill=_ink(rng))
    y = h * 0.17
    left = w * 0.12
    for _ in range(rng.randint(3, 7)):
        label = _hanzi(rng, rng.randint(3, 6)).replace("，", "").replace("。", "") + "："
        draw.text((left, y), label, font=f, fill=(30, 30, 30))
        lx = left + draw.textlength(label, font=f) + 10
        draw.line((lx, y + fs + 4, w * 0.85, y + fs + 4), fill=(60, 60, 60), width=2)
        if rng.random() < 0.6:
            draw.text(
                (lx + 20, y - 2), _hanzi(rng, rng.randint(2, 8))[:8], font=f, fill=(20, 20, 90)
            )
        y += fs * rng.uniform(2.2, 3.2)
    _stamp(rng, draw, (w * rng.uniform(0.55, 0.75), y + h * 0.08), int(w * 0.09))


def _table(rng: random.Random, draw: ImageDraw.ImageDraw, size: tuple[int, int]) -> None:
    w, h = size
    fs = rng.randint(18, 24)
    f = font(fs)
    title = _hanzi(rng, 8).replace("，", "").replace("。", "") + "明细表"
    draw.text((w * 0.3, h * 0.06), title, font=font(int(fs * 1.3)), fill=(20, 20, 20))
    cols = rng.randint(3, 6)
    rows = rng.randint(8, 25)
    left, right = w * 0.08, w * 0.92
    top = h * 0.12
    rh = fs * 2.0
    xs = [left + (right - left) * i / cols for i in range(cols + 1)]
    for r in range(rows + 1):
        draw.line((left, top + r * rh, right, top + r * rh), fill=(40, 40, 40), width=2)
    for x in xs:
        draw.line((x, top, x, top + rows * rh), fill=(40, 40, 40), width=2)
    for r in range(rows):
        for c in range(cols):
            if rng.random() < 0.85:
                text = (
                    f"{rng.randint(1, 999999):,}.{rng.randint(0, 99):02d}"
                    if c >= cols - 2
                    else _hanzi(rng, rng.randint(2, 7))[:7]
                )
                draw.text((xs[c] + 6, top + r * rh + fs * 0.4), text, font=f, fill=(20, 20, 20))


def _receipt(rng: random.Random, draw: ImageDraw.ImageDraw, size: tuple[int, int]) -> None:
    """A bank receipt slip in the upper part of the page: a few lines and a red stamp."""
    w, h = size
    fs = rng.randint(18, 22)
    f = font(fs)
    x0, y0 = w * 0.08, h * rng.uniform(0.05, 0.2)
    x1, y1 = w * 0.92, y0 + h * rng.uniform(0.2, 0.3)
    draw.rectangle((x0, y0, x1, y1), outline=(70, 70, 70), width=2)
    y = y0 + fs
    for _ in range(rng.randint(3, 6)):
        text = _hanzi(rng, rng.randint(4, 8))[:8] + "：" + f"{rng.randint(1000, 99999999)}"
        draw.text((x0 + fs, y), text, font=f, fill=(30, 30, 30))
        y += fs * 1.8
    _stamp(rng, draw, (x1 - w * 0.14, y1 - h * 0.06), int(w * 0.07))


def _photo_text(rng: random.Random, draw: ImageDraw.ImageDraw, size: tuple[int, int]) -> None:
    (_paragraphs_cn if rng.random() < 0.7 else _paragraphs_latin)(rng, draw, size)


DRAWERS: dict[str, Callable[[random.Random, ImageDraw.ImageDraw, tuple[int, int]], None]] = {
    "cn": _paragraphs_cn,
    "latin": _paragraphs_latin,
    "table": _table,
    "form": _form,
    "receipt": _receipt,
    "photo": _photo_text,
}
TEXT_KINDS = ("cn", "latin", "table", "photo", "cn", "latin")
LIGHT_KINDS = ("form", "receipt")


def _paper(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    tone = rng.choice([255, 250, rng.randint(205, 245)])
    tint = (tone, tone, max(0, tone - rng.randint(0, 12)))
    return Image.new("RGB", size, tint)


def _degrade(rng: random.Random, image: Image.Image, photo: bool) -> Image.Image:
    w, h = image.size
    if photo or rng.random() < 0.3:
        skew = rng.uniform(-3, 3) if photo else rng.uniform(-1.5, 1.5)
        image = image.rotate(
            skew, resample=Image.Resampling.BILINEAR, fillcolor=image.getpixel((2, 2))
        )
    if photo:
        # perspective-ish: a quad taken from a slightly bigger area, a desk around the sheet
        m = [rng.uniform(-0.06, 0.06) * s for s in (w, h, w, h, w, h, w, h)]
        quad = (
            -abs(m[0]),
            -abs(m[1]),
            -abs(m[2]),
            h + abs(m[3]),
            w + abs(m[4]),
            h + abs(m[5]),
            w + abs(m[6]),
            -abs(m[7]),
        )
        desk = (rng.randint(60, 140), rng.randint(50, 120), rng.randint(40, 100))
        image = image.transform(
            (w, h), Image.Transform.QUAD, quad, Image.Resampling.BILINEAR, fillcolor=desk
        )
        # uneven light
        cx, cy = rng.uniform(-0.5, 0.5), rng.uniform(-0.5, 0.5)
        shade = Image.radial_gradient("L").resize((2 * w, 2 * h))
        shade = shade.crop(
            (int(w * (0.5 + cx)), int(h * (0.5 + cy)), int(w * (1.5 + cx)), int(h * (1.5 + cy)))
        )
        depth = rng.uniform(0.25, 0.45)
        shade = shade.point(lambda v: int(v * depth))
        image = Image.composite(Image.new("RGB", (w, h), (0, 0, 0)), image, shade)
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.4)))
    if rng.random() < 0.6:
        image = _noise(rng, image, rng.uniform(4, 14))
    return image


def _noise(rng: random.Random, image: Image.Image, sigma: float) -> Image.Image:
    noise = Image.effect_noise(image.size, sigma).convert("RGB")
    grey = Image.new("RGB", image.size, (128, 128, 128))
    from PIL import ImageChops

    image = ImageChops.add(image, ImageChops.subtract(noise, grey), 1, 0)
    speckles = rng.randint(0, 400)
    draw = ImageDraw.Draw(image)
    w, h = image.size
    for _ in range(speckles):
        x, y = rng.randrange(w), rng.randrange(h)
        draw.point((x, y), fill=(0, 0, 0))
    return image


def page(kind: str, seed: int, size: tuple[int, int] = A4_PX) -> Sample:
    """One upright page of ``kind`` (a key of DRAWERS, or "blank"/"nearly_blank")."""
    rng = random.Random(f"{kind}:{seed}")
    landscape = kind in ("table", "latin") and rng.random() < 0.25
    dims = (size[1], size[0]) if landscape else size
    image = _paper(rng, dims)
    draw = ImageDraw.Draw(image)
    photo = kind == "photo"
    if kind == "blank":
        pass
    elif kind == "nearly_blank":
        w, h = dims
        what = rng.choice(["number", "showthrough", "dot"])
        if what == "number":
            draw.text((w / 2, h * 0.95), str(rng.randint(1, 40)), font=font(18), fill=(60, 60, 60))
        elif what == "showthrough":
            ghost = Image.new("RGB", dims, (255, 255, 255))
            _paragraphs_cn(rng, ImageDraw.Draw(ghost), dims)
            ghost = ghost.transpose(Image.Transpose.FLIP_LEFT_RIGHT).filter(
                ImageFilter.GaussianBlur(2)
            )
            image = Image.blend(
                image, Image.composite(ghost, image, ghost.convert("L").point(lambda v: 255)), 0.06
            )
        else:
            draw.ellipse((w * 0.3, h * 0.4, w * 0.3 + 6, h * 0.4 + 6), fill=(90, 90, 90))
        photo = rng.random() < 0.2
    else:
        DRAWERS[kind](rng, draw, dims)
    image = _degrade(rng, image, photo)
    group = (
        "blank" if kind in ("blank", "nearly_blank") else "light" if kind in LIGHT_KINDS else "text"
    )
    return Sample(group, f"{kind}-{seed}", image)


def turned(image: Image.Image, clockwise: int) -> Image.Image:
    """``image`` turned ``clockwise`` degrees (what a scan taken sideways looks like)."""
    return image.rotate(-clockwise, expand=True) if clockwise else image


def jpeg(image: Image.Image, quality: int = 75) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, dpi=(150, 150))
    return out.getvalue()


def sample_set(count: int, seed: int = 0) -> Iterator[tuple[Sample, int]]:
    """(upright page, the clockwise turn it is laid at) for a mix of pages: text pages at each
    turn, light pages (forms, receipts) upright and turned, blank and nearly blank sheets."""
    rng = random.Random(seed)
    for i in range(count):
        roll = i % 10
        if roll < 6:
            kind = TEXT_KINDS[i % len(TEXT_KINDS)]
        elif roll < 8:
            kind = LIGHT_KINDS[i % len(LIGHT_KINDS)]
        else:
            kind = "blank" if rng.random() < 0.5 else "nearly_blank"
        yield page(kind, seed * 100_000 + i), rng.choice((0, 0, 90, 180, 270))


def old_project(version: int, folder: Path) -> Path:
    """A copy of a project file written by the real program of schema ``version`` (5 or 6; see
    ``tests/data/README.md``): one file ``营业执照.pdf`` with an upright page, a page lying
    sideways and an empty page, stored before the page check existed."""
    import gzip
    import shutil

    path = folder / f"旧项目-v{version}.sbproj"
    packed = ROOT / "tests" / "data" / f"project-v{version}.sbproj.gz"
    with gzip.open(packed) as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return path


def three_pages(line: str = "contract line {i} of the service agreement") -> bytes:
    """A PDF of three A4 pages: page 1 upright text, page 2 the same text lying sideways, page 3
    empty. ``line`` is each text line, ``{i}`` its number."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for angle in (0, 90):
        c.saveState()
        c.translate(300, 420)
        c.rotate(angle)
        for i in range(30):
            c.drawString(-250, 280 - i * 15, line.format(i=i))
        c.restoreState()
        c.showPage()
    c.showPage()
    c.save()
    return out.getvalue()
