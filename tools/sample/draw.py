"""Drawing helpers for the sample scans: fonts, a sheet of paper at 150 dpi (``Page``) with
its stamps and scanner look, the company seal, and saving as JPEG, PNG or black-and-white TIFF."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from tools.sample.data import COMPANY

ROOT = Path(__file__).resolve().parents[2]
FONT_PATH = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"
DPI = 150
A4_PX = (1240, 1754)  # A4 at 150 dpi
INK = (34, 34, 38)
GREY = (120, 120, 120)
RED = (205, 32, 38)
BLUE_INK = (28, 44, 120)
JPEG_QUALITY = 45  # text-dense A4 pages: 45 keeps each under ~120 KB and stays legible
NO_LINE_START = set("。，、；：？！）》」』”’%")


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


def company_seal(p: Page, cx: float, cy: float, word: str = "") -> None:
    p.seal(cx, cy, COMPANY["name"], word)
