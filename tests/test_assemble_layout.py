"""The packet font and the page geometry (app.system.fonts, app.packet.layout)."""

from __future__ import annotations

import io
from dataclasses import astuple

import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from app.packet.layout import (
    A4,
    MAX_UPSCALE,
    MM,
    Box,
    Layout,
    Matrix,
    band_box,
    content_box,
    fit,
)
from app.system.fonts import FONT_NAME, FONT_PATH, missing_glyphs, register_fonts


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


def image_of_box(m: Matrix, w: float, h: float) -> Box:
    pts = [apply(m, x, y) for x, y in ((0, 0), (w, 0), (0, h), (w, h))]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return Box(min(xs), min(ys), max(xs), max(ys))


# ------------------------------------------------------------------------------------ fonts


def test_font_path_is_found_relative_to_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir("/")
    assert FONT_PATH.is_absolute()
    assert FONT_PATH.is_file()
    assert FONT_PATH.name == "wqy-microhei.ttc"


def test_register_fonts_is_idempotent_and_embeds_a_subset() -> None:
    assert register_fonts() == FONT_NAME
    assert register_fonts() == FONT_NAME
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont(FONT_NAME, 12)
    c.drawString(72, 700, "珠海市服务贸易 ABC 123")
    c.showPage()
    c.save()
    data = buf.getvalue()
    assert len(data) < 200_000  # a subset, not the 5 MB collection
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "珠海市服务贸易" in text


def test_missing_glyphs_reports_rare_characters_once_in_order() -> None:
    assert missing_glyphs("珠海市 ABC abc 123，。\t\n\u200b") == []
    # U+3400 (CJK Extension A) and U+20000 (Extension B) are not in WenQuanYi Micro Hei.
    assert missing_glyphs("张\u3400三\U00020000李\u3400") == ["\u3400", "\U00020000"]


# ----------------------------------------------------------------------------------- layout


def test_content_box_gutter_left_when_simplex() -> None:
    layout = Layout()
    for page in (1, 2, 3):
        box = content_box(layout, page, band=False)
        assert box.x0 == pytest.approx(25 * MM)
        assert box.x1 == pytest.approx(A4[0] - 15 * MM)
        assert box.y0 == pytest.approx(18 * MM)
        assert box.y1 == pytest.approx(A4[1] - 15 * MM)


def test_content_box_gutter_alternates_when_duplex() -> None:
    layout = Layout(duplex=True)
    odd, even = content_box(layout, 3, False), content_box(layout, 4, False)
    assert odd.x0 == pytest.approx(25 * MM)
    assert A4[0] - odd.x1 == pytest.approx(15 * MM)
    assert even.x0 == pytest.approx(15 * MM)
    assert A4[0] - even.x1 == pytest.approx(25 * MM)
    assert odd.width == pytest.approx(even.width)


def test_band_takes_the_top_of_the_content_box() -> None:
    layout = Layout(band_mm=20.0)
    full, banded = content_box(layout, 1, False), content_box(layout, 1, True)
    band = band_box(layout, 1)
    assert banded.y1 == pytest.approx(full.y1 - 20 * MM)
    assert band.y0 == pytest.approx(banded.y1)
    assert band.y1 == pytest.approx(full.y1)
    assert (band.x0, band.x1) == (full.x0, full.x1)


def test_fit_letter_portrait_scales_down_uniformly_and_centres() -> None:
    box = content_box(Layout(), 1, False)
    placement = fit(612, 792, box, 0)
    assert not placement.rotated90
    assert placement.scale == pytest.approx(box.width / 612)
    placed = image_of_box(placement.matrix, 612, 792)
    assert astuple(placed) == pytest.approx(astuple(placement.rect))
    assert box.contains(placed)
    assert placed.x0 - box.x0 == pytest.approx(box.x1 - placed.x1)
    assert placed.y0 - box.y0 == pytest.approx(box.y1 - placed.y1)
    assert placed.width / placed.height == pytest.approx(612 / 792)


def test_fit_turns_a_landscape_page_so_its_top_is_on_the_left() -> None:
    box = content_box(Layout(), 1, False)
    w, h = A4[1], A4[0]  # landscape A4
    placement = fit(w, h, box, 0)
    assert placement.rotated90
    assert placement.rotation == 270
    assert placement.scale > min(box.width / w, box.height / h)
    placed = image_of_box(placement.matrix, w, h)
    assert box.contains(placed)
    assert placed.height > placed.width
    # The top edge of the source (y = h) lands on the left edge of the placed area,
    # and the source's left edge at the bottom: text runs bottom-to-top.
    top_left, top_right = apply(placement.matrix, 0, h), apply(placement.matrix, w, h)
    assert top_left[0] == pytest.approx(placed.x0)
    assert top_right[0] == pytest.approx(placed.x0)
    assert top_left[1] == pytest.approx(placed.y0)
    assert top_right[1] == pytest.approx(placed.y1)


def test_fit_leaves_a_landscape_page_when_turning_does_not_help() -> None:
    wide_box = Box(0, 0, 800, 400)
    placement = fit(600, 300, wide_box, 0)
    assert not placement.rotated90
    assert placement.rotation == 0


def test_fit_user_rotation_combines_with_the_automatic_turn() -> None:
    box = content_box(Layout(), 1, False)
    # A portrait page the user turns by 90 becomes landscape: turned back automatically.
    turned = fit(595, 842, box, 90)
    assert turned.rotated90
    assert turned.rotation == 0
    # A landscape page the user turns by 90 is portrait: no automatic turn.
    user = fit(842, 595, box, 90)
    assert not user.rotated90
    assert user.rotation == 90
    # Clockwise: the source's top edge goes to the right.
    assert apply(user.matrix, 0, 595)[0] == pytest.approx(user.rect.x1)
    upside = fit(595, 842, box, 180)
    assert apply(upside.matrix, 0, 0) == pytest.approx((upside.rect.x1, upside.rect.y1))


def test_fit_enlarges_small_pages_at_most_twice() -> None:
    box = content_box(Layout(), 1, False)
    a5 = fit(420, 595, box, 0)
    assert a5.scale > 1.0
    assert a5.rect.width == pytest.approx(box.width) or a5.rect.height == pytest.approx(box.height)
    tiny = fit(100, 80, box, 0)
    assert tiny.scale == MAX_UPSCALE
    assert tiny.rect.width == pytest.approx(200)
    assert box.contains(tiny.rect)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
@pytest.mark.parametrize("size", [(612, 792), (1191, 842), (200, 900), (2000, 300)])
def test_fit_always_lands_inside_the_box(rotation: int, size: tuple[float, float]) -> None:
    box = content_box(Layout(duplex=True), 2, True)
    placement = fit(size[0], size[1], box, rotation)
    placed = image_of_box(placement.matrix, *size)
    assert astuple(placed) == pytest.approx(astuple(placement.rect))
    assert box.contains(placed)
    # one dimension fills the box (the scale is the largest that fits)
    assert placed.width == pytest.approx(box.width) or placed.height == pytest.approx(box.height)


def test_fit_rejects_bad_input() -> None:
    box = content_box(Layout(), 1, False)
    with pytest.raises(ValueError):
        fit(0, 100, box, 0)
    with pytest.raises(ValueError):
        fit(100, 100, box, 45)
