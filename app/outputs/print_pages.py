"""What each page of a print job needs: its resolution and its colour, decided from the page itself.

A print spool holds every page as the image it was drawn with: at the printer's full 600 dpi in
colour an A4 page is ~139 MB raw, a 300-page packet several GB. The packet's pages do not need
that: a scanned page holds no more detail than its scan (200–300 dpi), a generated text page
prints crisply at 300 dpi, and most pages are grey. So each page is sent at the resolution of its
sharpest image (capped at 300 dpi; pages without images at 300 dpi), never above the printer's,
and in 8-bit grey where the page has no colour. The copies are always laid out here, one after
the other, each starting on a fresh sheet: a driver that ignores the copy count still prints both.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageChops

TEXT_DPI = 300  # a page without images: text and lines print crisply at 300 dpi
MAX_DPI = 300  # no scan needs more on paper
MIN_DPI = 200  # a low-resolution scan, and the page number printed on it, stay smooth
SATURATED = 60  # HSV saturation (0-255) above which a pixel is coloured, not a grey tint
LIT = 60  # ... when it is not nearly black (dark pixels have meaningless saturation)
COLOUR_SHARE = 0.0005  # coloured pixels (of the reduced copy) that make a page a colour page
BAND_PIXELS = 256 * 1024
"""Pixels of a page image handed to the printer at once (see :func:`bands`)."""


def sheets_plan(pages: int, copies: int, duplex: bool) -> list[int | None]:
    """The page indexes sent to the printer, copy after copy; None is a blank back side so that
    in duplex every copy starts on a fresh sheet."""
    plan: list[int | None] = []
    for copy in range(max(copies, 1)):
        plan.extend(range(pages))
        if duplex and pages % 2 and copy < copies - 1:
            plan.append(None)
    return plan


def bands(width: int, height: int, max_pixels: int | None = None) -> list[tuple[int, int]]:
    """The rows ``[top, bottom)`` of a ``width`` x ``height`` page image, top to bottom, each
    band at most ``max_pixels`` (at least one row): a page is drawn into the printer band by
    band, because a print engine encodes what it is given in one call holding Python's GIL
    (Qt's PDF engine: ~40 ms for a 150-dpi A4 page, ~150 ms at 300 dpi, and the window cannot
    repaint meanwhile); a band of ~0.25 million pixels (:data:`BAND_PIXELS`) is ~5 ms."""
    limit = BAND_PIXELS if max_pixels is None else max_pixels
    rows = max(1, limit // max(width, 1))
    return [(top, min(top + rows, height)) for top in range(0, max(height, 0), rows)]


def image_dpi(page: pdfium.PdfPage) -> float | None:
    """The effective resolution of the page's sharpest image (pixels per inch as placed), or
    None for a page without images."""
    best: float | None = None
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        try:
            width_px, height_px = obj.get_px_size()
            left, bottom, right, top = obj.get_bounds()
        except (pdfium.PdfiumError, AttributeError):
            continue
        placed_w, placed_h = abs(right - left) / 72, abs(top - bottom) / 72
        if placed_w < 0.2 or placed_h < 0.2 or width_px < 2 or height_px < 2:
            continue  # a logo, a rule, a stamp's texture: not what decides the page
        dpi = max(width_px / placed_w, height_px / placed_h)
        best = dpi if best is None else max(best, dpi)
    return best


def page_resolution(page: pdfium.PdfPage, printer_dpi: int) -> int:
    found = image_dpi(page)
    wanted = TEXT_DPI if found is None else min(max(found, MIN_DPI), MAX_DPI)
    return max(1, min(round(wanted), printer_dpi))


def is_grey(image: Image.Image) -> bool:
    """No visible colour in a rendered page: in a reduced copy (about 25 dpi), (almost) no
    pixel is both saturated and not dark (scanner tints and JPEG noise stay below the
    thresholds)."""
    factor = max(1, min(image.width, image.height) // 200)
    small = image.reduce(factor) if factor > 1 else image
    _hue, saturation, value = small.convert("RGB").convert("HSV").split()
    vivid = saturation.point(lambda s: 255 if s > SATURATED else 0)
    lit = value.point(lambda v: 255 if v > LIT else 0)
    coloured = ImageChops.multiply(vivid, lit).histogram()[255]
    return coloured <= COLOUR_SHARE * small.width * small.height
