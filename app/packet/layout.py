"""Page geometry of the packet: margins, the binding gutter, and fitting a page into a box.

Pure functions, no I/O. Lengths are PDF points (1/72 inch) unless the name says ``_mm``.
Page numbers are 1-based here (odd pages are right-hand pages when printed on both sides).
"""

from __future__ import annotations

from dataclasses import dataclass

A4: tuple[float, float] = (595.2756, 841.8898)
"""A4 portrait, width and height in points."""

MM = 72.0 / 25.4
"""Points per millimetre."""

MAX_UPSCALE = 2.0
"""How far :func:`fit` enlarges a page that is smaller than its box.

Scans and PDFs smaller than the box (A5 forms, receipts, Letter pages) are enlarged to fill it,
but never beyond 2x, so that a tiny screenshot does not turn into a blurred full page.
"""

_EPSILON = 1e-6


@dataclass(frozen=True)
class Layout:
    """Margins of a packet page in millimetres.

    The binding gutter is on the left of every page; with ``duplex`` it is on the left of odd
    pages and the right of even pages (the bound edge of a sheet printed on both sides).
    """

    gutter_mm: float = 25.0
    margin_mm: float = 15.0
    top_mm: float = 15.0
    bottom_mm: float = 18.0  # room for the page number
    band_mm: float = 14.0  # heading band on the first page of a document
    duplex: bool = False


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in points, lower-left ``(x0, y0)``, upper-right ``(x1, y1)``."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def contains(self, other: Box, tolerance: float = 0.01) -> bool:
        """Whether ``other`` lies inside this box (within ``tolerance`` points)."""
        return (
            other.x0 >= self.x0 - tolerance
            and other.y0 >= self.y0 - tolerance
            and other.x1 <= self.x1 + tolerance
            and other.y1 <= self.y1 + tolerance
        )


Matrix = tuple[float, float, float, float, float, float]


@dataclass(frozen=True)
class Placement:
    """Where a source page goes: the PDF matrix ``[a b c d e f]`` mapping the source page
    (origin at its lower-left corner) onto the output page.

    ``scale`` is the uniform scale factor, ``rotated90`` whether the page was turned
    automatically because it is landscape, ``rotation`` the total clockwise turn applied
    (user rotation plus the automatic turn) and ``rect`` the area the page covers.
    """

    matrix: Matrix
    scale: float
    rotated90: bool
    rotation: int
    rect: Box


def _horizontal(layout: Layout, page_number: int) -> tuple[float, float]:
    gutter = layout.gutter_mm * MM
    margin = layout.margin_mm * MM
    if layout.duplex and page_number % 2 == 0:
        return margin, A4[0] - gutter
    return gutter, A4[0] - margin


def content_box(layout: Layout, page_number: int, band: bool) -> Box:
    """The area of output page ``page_number`` (1-based) where evidence is placed.

    With ``band`` (first page of a document) the heading band is taken off the top.
    """
    x0, x1 = _horizontal(layout, page_number)
    y1 = A4[1] - layout.top_mm * MM
    if band:
        y1 -= layout.band_mm * MM
    return Box(x0, layout.bottom_mm * MM, x1, y1)


def band_box(layout: Layout, page_number: int) -> Box:
    """The heading band at the top of page ``page_number`` (1-based), above the content box."""
    x0, x1 = _horizontal(layout, page_number)
    y1 = A4[1] - layout.top_mm * MM
    return Box(x0, y1 - layout.band_mm * MM, x1, y1)


def _rotation_matrix(width: float, height: float, rotation: int) -> Matrix:
    """Turn a ``width`` x ``height`` page clockwise by ``rotation`` degrees, keeping the result
    in the positive quadrant with its lower-left corner at the origin."""
    if rotation == 0:
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    if rotation == 90:  # the top edge goes to the right
        return (0.0, -1.0, 1.0, 0.0, 0.0, width)
    if rotation == 180:
        return (-1.0, 0.0, 0.0, -1.0, width, height)
    # 270 clockwise (90 counter-clockwise): the top edge goes to the left
    return (0.0, 1.0, -1.0, 0.0, height, 0.0)


def _scale(width: float, height: float, box: Box) -> float:
    return min(box.width / width, box.height / height, MAX_UPSCALE)


def fit(src_w: float, src_h: float, box: Box, user_rotation: int) -> Placement:
    """Place a ``src_w`` x ``src_h`` page into ``box``: uniform scale, centred, never cropped.

    ``user_rotation`` (0/90/180/270, clockwise) is applied first. If the result is landscape
    and turning it a quarter gives a larger scale, it is turned so that its top edge lies on the
    left of the output page: its text then reads bottom-to-top, as landscape tables are printed
    in portrait books (the reader turns the sheet clockwise to read it). Pages smaller than the
    box are enlarged to fill it, up to :data:`MAX_UPSCALE`.
    """
    if src_w <= 0 or src_h <= 0:
        raise ValueError(f"page size must be positive, got {src_w} x {src_h}")
    if box.width <= 0 or box.height <= 0:
        raise ValueError(f"box must not be empty: {box}")
    if user_rotation % 90:
        raise ValueError(f"rotation must be a multiple of 90, got {user_rotation}")
    rotation = user_rotation % 360
    width, height = (src_h, src_w) if rotation in (90, 270) else (src_w, src_h)
    scale = _scale(width, height, box)
    rotated90 = False
    if width > height and _scale(height, width, box) > scale + _EPSILON:
        rotated90 = True
        rotation = (rotation + 270) % 360
        width, height = height, width
        scale = _scale(width, height, box)
    a, b, c, d, e, f = _rotation_matrix(src_w, src_h, rotation)
    placed_w, placed_h = width * scale, height * scale
    tx = box.x0 + (box.width - placed_w) / 2
    ty = box.y0 + (box.height - placed_h) / 2
    matrix = (a * scale, b * scale, c * scale, d * scale, e * scale + tx, f * scale + ty)
    rect = Box(tx, ty, tx + placed_w, ty + placed_h)
    return Placement(matrix, scale, rotated90, rotation, rect)
