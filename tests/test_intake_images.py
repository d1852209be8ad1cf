"""Images -> normalised PDF pages: orientation, colour modes, frames, resolution."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from app.intake import CONTENT_BOX_PT, import_bytes
from app.intake.images import WEBP_LOSSY_QUALITY
from tests.intake_support import (
    BLUE,
    RED,
    corner_colours,
    encode,
    near,
    render,
    upright_image,
)

# Pillow's exif_transpose applies these to show an image upright; the file stores the inverse.
_SHOW = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_INVERSE = {
    Image.Transpose.ROTATE_270: Image.Transpose.ROTATE_90,
    Image.Transpose.ROTATE_90: Image.Transpose.ROTATE_270,
}


def _jpeg_with_orientation(upright: Image.Image, orientation: int) -> bytes:
    show = _SHOW[orientation]
    stored = upright if show is None else upright.transpose(_INVERSE.get(show, show))
    exif = Image.Exif()
    exif[0x0112] = orientation
    return encode(stored, "JPEG", quality=95, exif=exif.tobytes())


def _page_boxes(pdf: bytes) -> list[tuple[float, float, object]]:
    reader = PdfReader(io.BytesIO(pdf))
    return [
        (float(p.mediabox.width), float(p.mediabox.height), p.get("/Rotate")) for p in reader.pages
    ]


def _assert_upright(pdf: bytes) -> None:
    """The page shows the upright test image: red top-left, blue top-right, white bottom."""
    colours = corner_colours(render(pdf, dpi=50))
    assert near(colours["top-left"], RED), colours
    assert near(colours["top-right"], BLUE), colours
    assert near(colours["bottom-left"], (255, 255, 255)), colours
    assert near(colours["bottom-right"], (255, 255, 255)), colours


@pytest.mark.parametrize("orientation", [1, 3, 6, 8, 2, 4, 5, 7])
def test_exif_orientation_gives_upright_page_of_the_right_shape(orientation: int) -> None:
    upright = upright_image((400, 600))  # portrait as the person sees it
    data = _jpeg_with_orientation(upright, orientation)
    stored = Image.open(io.BytesIO(data)).size
    assert stored == ((600, 400) if orientation >= 5 else (400, 600))

    result = import_bytes("photo.jpg", data)

    # 400 x 600 px, no resolution in the file -> 200 dpi -> 144 x 216 pt, portrait
    assert _page_boxes(result.pdf) == [(144.0, 216.0, None)]
    page = result.pages[0]
    assert (page.width_pt, page.height_pt) == (144.0, 216.0)
    assert (
        page.source_rotation
        == {1: 0, 2: 0, 3: 180, 4: 180, 5: 270, 6: 90, 7: 90, 8: 270}[orientation]
    )
    _assert_upright(result.pdf)
    if orientation in (1, 3, 6, 8):
        assert data in result.pdf  # not re-encoded: the JPEG is embedded byte for byte


def test_jpeg_is_embedded_verbatim() -> None:
    data = encode(upright_image((800, 500)), "JPEG", quality=80, dpi=(300, 300))
    result = import_bytes("scan.jpg", data)
    assert data in result.pdf
    assert b"/DCTDecode" in result.pdf
    assert len(result.pdf) < len(data) + 3000
    # 800 x 500 px at 300 dpi = 192 x 120 pt
    assert (result.pages[0].width_pt, result.pages[0].height_pt) == (192.0, 120.0)


def test_implausible_resolution_falls_back_to_200_dpi() -> None:
    data = encode(upright_image((600, 400)), "PNG", dpi=(10, 10))
    result = import_bytes("tiny-dpi.png", data)
    assert (result.pages[0].width_pt, result.pages[0].height_pt) == (216.0, 144.0)


def test_cmyk_jpeg_passes_through_and_renders_in_colour() -> None:
    image = Image.new("CMYK", (300, 300), (0, 255, 255, 0))  # red ink
    data = encode(image, "JPEG", quality=95)
    result = import_bytes("cmyk.jpg", data)
    assert data in result.pdf
    assert b"/DeviceCMYK" in result.pdf
    colour = render(result.pdf).getpixel((20, 20))
    assert colour[0] > 180 and colour[1] < 90 and colour[2] < 90, colour  # type: ignore[index]


def _grey16(fmt: str) -> bytes:
    image = Image.new("I;16", (300, 200), 20000)  # dark grey on the left half (~78 of 255)
    image.paste(Image.new("I;16", (150, 200), 60000), (150, 0))  # light grey on the right
    assert image.getpixel((10, 10)) == 20000
    return encode(image, fmt)


@pytest.mark.parametrize("fmt", ["PNG", "TIFF"])
def test_16_bit_greyscale_does_not_turn_white(fmt: str) -> None:
    result = import_bytes(f"deep.{fmt.lower()}", _grey16(fmt))
    if fmt == "PNG":  # embedded as it is, 16 bits per sample
        assert b"/BitsPerComponent 16" in result.pdf
    page = render(result.pdf)
    left = page.getpixel((10, page.height // 2))
    right = page.getpixel((page.width - 10, page.height // 2))
    assert 50 < left[0] < 110, left  # type: ignore[index]
    assert 200 < right[0] < 250, right  # type: ignore[index]


def test_16_bit_greyscale_using_only_8_bit_values_is_not_black() -> None:
    """An 8-bit scan saved as 16 bits (values never above 255) is scaled, not embedded as a
    16-bit image that prints black."""
    image = Image.new("I;16", (300, 200), 60)
    image.paste(Image.new("I;16", (150, 200), 230), (150, 0))
    result = import_bytes("8in16.png", encode(image, "PNG"))
    assert b"/BitsPerComponent 16" not in result.pdf
    page = render(result.pdf)
    left = page.getpixel((10, page.height // 2))
    right = page.getpixel((page.width - 10, page.height // 2))
    assert 40 < left[0] < 80, left  # type: ignore[index]
    assert 210 < right[0] < 250, right  # type: ignore[index]


def test_palette_png() -> None:
    data = encode(upright_image().convert("P", palette=Image.Palette.ADAPTIVE, colors=8), "PNG")
    result = import_bytes("palette.png", data)
    _assert_upright(result.pdf)


def test_palette_png_with_transparency_is_flattened_onto_white() -> None:
    image = upright_image().convert("P", palette=Image.Palette.ADAPTIVE, colors=8)
    white_index = image.getpixel((200, 500))
    data = encode(image, "PNG", transparency=white_index)
    result = import_bytes("palette-alpha.png", data)
    assert b"/SMask" not in result.pdf
    _assert_upright(result.pdf)


def test_rgba_png_transparent_areas_become_white() -> None:
    image = Image.new("RGBA", (400, 600), (0, 0, 0, 0))  # fully transparent black
    image.paste((255, 0, 0, 255), (0, 0, 100, 100))
    image.paste((0, 0, 255, 255), (300, 0, 400, 100))
    result = import_bytes("alpha.png", encode(image, "PNG"))
    assert b"/SMask" not in result.pdf
    _assert_upright(result.pdf)


def test_la_and_one_bit_images() -> None:
    la = Image.new("LA", (400, 600), (0, 0))
    la.paste((0, 255), (0, 0, 100, 100))
    page = render(import_bytes("la.png", encode(la, "PNG")).pdf)
    assert page.getpixel((5, 5))[0] < 40  # type: ignore[index]
    assert page.getpixel((page.width - 5, page.height - 5))[0] > 215  # type: ignore[index]

    bilevel = upright_image().convert("L").point(lambda v: 255 if v > 200 else 0).convert("1")
    for fmt in ("PNG", "TIFF"):
        page = render(import_bytes(f"bw.{fmt.lower()}", encode(bilevel, fmt)).pdf)
        assert page.getpixel((5, 5)) == (0, 0, 0)
        assert near(page.getpixel((page.width // 2, page.height - 5)), (255, 255, 255), 5)  # type: ignore[arg-type]


def test_multipage_tiff_gives_every_frame_in_order() -> None:
    frames = [Image.new("RGB", (200 + 10 * i, 300), c) for i, c in enumerate([RED, BLUE, "lime"])]
    data = encode(frames[0], "TIFF", save_all=True, append_images=frames[1:], dpi=(100, 100))
    result = import_bytes("scan.tif", data)
    assert len(result.pages) == 3
    assert len(PdfReader(io.BytesIO(result.pdf)).pages) == 3
    assert [p.width_pt for p in result.pages] == [144.0, 151.2, 158.4]
    colours = [render(result.pdf, page=n).getpixel((10, 10)) for n in (1, 2, 3)]
    assert near(colours[0], RED) and near(colours[1], BLUE) and near(colours[2], (0, 255, 0))


def test_bmp() -> None:
    result = import_bytes("screen.bmp", encode(upright_image(), "BMP"))
    assert b"/FlateDecode" in result.pdf
    _assert_upright(result.pdf)


def test_webp_lossless_and_lossy() -> None:
    lossless = import_bytes("shot.webp", encode(upright_image(), "WEBP", lossless=True))
    assert b"/DCTDecode" not in lossless.pdf
    _assert_upright(lossless.pdf)
    lossy = import_bytes("photo.webp", encode(upright_image(), "WEBP", quality=80))
    assert b"/DCTDecode" in lossy.pdf  # re-encoded as JPEG, see WEBP_LOSSY_QUALITY
    assert WEBP_LOSSY_QUALITY == 90
    _assert_upright(lossy.pdf)


def test_gif_and_animated_gif_warns_about_first_frame_only() -> None:
    result = import_bytes("still.gif", encode(upright_image().convert("P"), "GIF"))
    assert result.warnings == () or all("分辨率" in w for w in result.warnings)
    _assert_upright(result.pdf)
    frames = [Image.new("RGB", (400, 600), c).convert("P") for c in (RED, BLUE, "lime")]
    moving = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    result = import_bytes("moving.gif", moving)
    assert len(result.pages) == 1
    assert any("moving.gif" in w and "第一帧" in w for w in result.warnings)


def test_low_resolution_warning_names_file_and_page() -> None:
    small = import_bytes("receipt.jpg", encode(upright_image((300, 200)), "JPEG"))
    # 300 px across a 160 mm wide box: about 48 dpi
    assert small.pages[0].dpi is not None and small.pages[0].dpi < 60
    assert len(small.warnings) == 1
    assert "receipt.jpg" in small.warnings[0] and "dpi" in small.warnings[0]

    sharp = import_bytes("a4-scan.jpg", encode(Image.new("L", (1800, 2600), 255), "JPEG"))
    assert sharp.pages[0].dpi is not None and sharp.pages[0].dpi > 250
    assert sharp.warnings == ()


def test_effective_dpi_uses_the_better_fit_when_turned() -> None:
    # A wide 2000 x 500 px strip: turned, its long side runs along the 247 mm height.
    result = import_bytes("strip.png", encode(Image.new("L", (2000, 500), 128), "PNG"))
    long_side_in = CONTENT_BOX_PT[1] / 72
    assert result.pages[0].dpi == pytest.approx(2000 / long_side_in, abs=0.1)


def test_imported_file_keeps_original_bytes_and_hash() -> None:
    import hashlib

    data = encode(upright_image(), "PNG")
    result = import_bytes("keep.png", data)
    assert result.original == data
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.name == "keep.png"
    assert PdfReader(io.BytesIO(result.pdf)).pages[0].get("/Rotate") is None


@pytest.mark.parametrize("orientation", [3, 6, 8, 5])
def test_tiff_and_png_orientation(orientation: int) -> None:
    show = _SHOW[orientation]
    assert show is not None
    stored = upright_image((400, 600)).transpose(_INVERSE.get(show, show))
    frames = encode(
        stored, "TIFF", tiffinfo={0x0112: orientation}, save_all=True, append_images=[stored]
    )
    result = import_bytes("turned.tif", frames)
    assert [(p.width_pt, p.height_pt) for p in result.pages] == [(144.0, 216.0)] * 2
    for number in (1, 2):
        colours = corner_colours(render(result.pdf, page=number, dpi=50))
        assert near(colours["top-left"], RED) and near(colours["top-right"], BLUE), colours

    exif = Image.Exif()
    exif[0x0112] = orientation
    result = import_bytes("turned.png", encode(stored, "PNG", exif=exif.tobytes()))
    assert [(p.width_pt, p.height_pt) for p in result.pages] == [(144.0, 216.0)]
    _assert_upright(result.pdf)


def test_mpo_camera_jpeg_is_embedded_as_a_jpeg() -> None:
    image = upright_image()
    data = encode(image, "MPO", save_all=True, append_images=[image.copy()])
    assert Image.open(io.BytesIO(data)).format == "MPO"
    result = import_bytes("camera.jpg", data)
    assert len(result.pages) == 1
    assert b"/DCTDecode" in result.pdf
    _assert_upright(result.pdf)


def test_gif_with_transparency_and_cmyk_tiff() -> None:
    gif = encode(upright_image().convert("P"), "GIF", transparency=0)
    _assert_upright(import_bytes("t.gif", gif).pdf)
    cmyk = encode(Image.new("CMYK", (200, 300), (0, 255, 255, 0)), "TIFF", compression="tiff_lzw")
    colour = render(import_bytes("cmyk.tif", cmyk).pdf).getpixel((5, 5))
    assert colour[0] > 180 and colour[1] < 90 and colour[2] < 90, colour  # type: ignore[index]


@pytest.mark.parametrize("orientation", [6, 5])
def test_uneven_resolution_turns_with_the_image(orientation: int) -> None:
    # Stored 600 x 400 px at 300 dpi across and 150 dpi down: 144 x 192 pt as stored;
    # shown turned a quarter, whether embedded as is (6) or re-encoded (5 is mirrored).
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = encode(upright_image((600, 400)), "JPEG", dpi=(300, 150), exif=exif.tobytes())
    result = import_bytes("fax.jpg", data)
    assert (result.pages[0].width_pt, result.pages[0].height_pt) == (192.0, 144.0)
