"""What normalising a PDF gives back, without the PDF library: the importer hands these on
for every file, and needs ``app.intake.pdfs`` (pypdf) only for PDFs and unusual images."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.intake import geometry

PasswordCallback = Callable[[str], str | None]

SHAPE_TOLERANCE = 0.03
"""How far an image's shape may differ from its page's and still fill it."""


@dataclass(frozen=True)
class PdfPage:
    width_pt: float
    height_pt: float
    source_rotation: int
    dpi: float | None


@dataclass(frozen=True)
class NormalisedPdf:
    pdf: bytes
    pages: tuple[PdfPage, ...]
    notes: tuple[str, ...] = ()  # Chinese, for the user: what was repaired or assumed


def image_dpi(px_w: int, px_h: int, width: float, height: float) -> float | None:
    """Effective resolution of a page of ``width`` x ``height`` points filled by one image of
    ``px_w`` x ``px_h`` pixels; None when the image's shape is not the page's."""
    if px_w <= 0 or px_h <= 0 or abs((px_w / px_h) / (width / height) - 1) > SHAPE_TOLERANCE:
        return None
    return geometry.effective_dpi(px_w, px_h, width, height)
