"""Page geometry: the A4 content box, the fit of a page into it, effective resolution, and the
matrix that folds a page's /Rotate and CropBox offset into its content."""

from __future__ import annotations

MM = 72 / 25.4
"""PDF points per millimetre."""

A4_PT = (210 * MM, 297 * MM)
CONTENT_BOX_MM = (160.0, 247.0)
"""Where an evidence page goes on the A4 packet page: A4 minus a 25 mm binding gutter and a
15 mm outer margin across, minus 25 mm bands at the top and bottom."""
CONTENT_BOX_PT = (CONTENT_BOX_MM[0] * MM, CONTENT_BOX_MM[1] * MM)

LOW_DPI = 150.0
"""Below this effective resolution a page is likely to print unreadably."""

DEFAULT_IMAGE_DPI = 200.0
PLAUSIBLE_DPI = (72.0, 1200.0)


def fit_scale(width_pt: float, height_pt: float) -> tuple[float, bool]:
    """Uniform scale that fits a page into the content box (enlarging or shrinking), and
    whether it is turned 90 degrees to do so (only when that gives a larger page)."""
    box_w, box_h = CONTENT_BOX_PT
    upright = min(box_w / width_pt, box_h / height_pt)
    turned = min(box_w / height_pt, box_h / width_pt)
    if turned > upright * 1.0001:
        return turned, True
    return upright, False


def effective_dpi(px_w: int, px_h: int, width_pt: float, height_pt: float) -> float:
    """Resolution of an image of ``px_w`` x ``px_h`` pixels shown on a page of ``width_pt`` x
    ``height_pt`` (the image filling the page), once the page is fitted to the content box.
    The lower of the two axes."""
    scale, _ = fit_scale(width_pt, height_pt)
    inches_w = width_pt * scale / 72
    inches_h = height_pt * scale / 72
    return min(px_w / inches_w, px_h / inches_h)


def plausible_dpi(dpi: tuple[float, float] | None) -> tuple[float, float]:
    """The resolution an image file claims if it is plausible, else the default."""
    low, high = PLAUSIBLE_DPI
    if dpi is not None:
        x, y = float(dpi[0]), float(dpi[1])
        if low <= x <= high and low <= y <= high:
            return x, y
    return DEFAULT_IMAGE_DPI, DEFAULT_IMAGE_DPI


def normal_rotation(value: object) -> int:
    """/Rotate as 0, 90, 180 or 270 (clockwise); anything invalid counts as 0, as viewers do."""
    try:
        number = int(str(value))
    except (TypeError, ValueError, OverflowError):
        try:
            number = int(float(str(value)))
        except (TypeError, ValueError, OverflowError):
            return 0
    if number % 90:
        return 0
    return number % 360


def fold_matrix(
    box: tuple[float, float, float, float], rotation: int
) -> tuple[tuple[float, float, float, float, float, float], float, float]:
    """Matrix mapping the visible ``box`` (x0, y0, x1, y1) of a page displayed with the
    clockwise ``rotation`` onto an upright page whose lower-left corner is (0, 0), and that
    page's width and height."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if rotation == 90:
        return (0.0, -1.0, 1.0, 0.0, -y0, x0 + w), h, w
    if rotation == 180:
        return (-1.0, 0.0, 0.0, -1.0, x0 + w, y0 + h), w, h
    if rotation == 270:
        return (0.0, 1.0, -1.0, 0.0, y0 + h, -x0), h, w
    return (1.0, 0.0, 0.0, 1.0, -x0, -y0), w, h
