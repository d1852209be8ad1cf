"""An image's PDF from img2pdf is taken as it is when it is already normal (no /Rotate): the
pages it reports must be exactly what normalising that PDF would report, and the PDF must hold
what a normalised one holds (upright pages at the origin, nothing active)."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from app.intake import import_bytes
from app.intake.images import image_to_pdf
from app.intake.pdfs import normalise_pdf
from app.intake.sniff import sniff
from tests.intake_support import encode, upright_image


def _exif(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


def _tiff_pages(sizes: list[tuple[int, int]]) -> bytes:
    frames = [upright_image(size) for size in sizes]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:], dpi=(300, 300))
    return out.getvalue()


CASES = {
    "a4-300dpi.jpg": lambda: encode(upright_image((2480, 3508)), "JPEG", dpi=(300, 300)),
    "no-dpi.jpg": lambda: encode(upright_image((400, 600)), "JPEG"),
    "odd-dpi.jpg": lambda: encode(upright_image((1001, 1433)), "JPEG", dpi=(217, 219)),
    "grey.jpg": lambda: encode(upright_image((600, 400)).convert("L"), "JPEG", dpi=(150, 150)),
    "cmyk.jpg": lambda: encode(upright_image((500, 700)).convert("CMYK"), "JPEG"),
    "turned-6.jpg": lambda: encode(upright_image((400, 600)), "JPEG", exif=_exif(6)),
    "turned-3.jpg": lambda: encode(upright_image((400, 600)), "JPEG", exif=_exif(3)),
    "mirrored-2.jpg": lambda: encode(upright_image((400, 600)), "JPEG", exif=_exif(2)),
    "mirrored-5.jpg": lambda: encode(upright_image((400, 600)), "JPEG", exif=_exif(5)),
    "tiny.png": lambda: encode(upright_image((2, 3)), "PNG"),
    "screen.png": lambda: encode(upright_image((1366, 768)), "PNG", dpi=(96, 96)),
    "alpha.png": lambda: encode(upright_image((300, 200)).convert("RGBA"), "PNG"),
    "palette.gif": lambda: encode(upright_image((320, 240)).convert("P"), "GIF"),
    "pages.tif": lambda: _tiff_pages([(850, 1100), (1100, 850), (600, 600)]),
    "wide.bmp": lambda: encode(upright_image((4000, 300)), "BMP"),
    "photo.webp": lambda: encode(upright_image((640, 480)), "WEBP", quality=80),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_pages_reported_are_those_normalising_would_report(name: str) -> None:
    data = CASES[name]()
    converted = image_to_pdf(name, data, sniff(name, data))
    normalised = normalise_pdf(name, converted.pdf)
    if not converted.boxes:
        # only a JPEG turned by its EXIF orientation goes through normalisation
        assert name.startswith("turned-")
        assert PdfReader(io.BytesIO(converted.pdf)).pages[0].get("/Rotate") in (90, 180, 270)
        return
    assert len(converted.boxes) == len(normalised.pages)
    for (width, height, _px_w, _px_h), page in zip(converted.boxes, normalised.pages, strict=True):
        assert (width, height) == (page.width_pt, page.height_pt)
        assert page.source_rotation == 0
    imported = import_bytes(name, data)
    assert imported.pdf == converted.pdf
    assert [(p.width_pt, p.height_pt) for p in imported.pages] == [
        (p.width_pt, p.height_pt) for p in normalised.pages
    ]
    assert [p.dpi for p in imported.pages] == [
        None if p.dpi is None else round(p.dpi, 1) for p in normalised.pages
    ]


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_pdf_taken_as_it_is_holds_upright_pages_and_nothing_active(name: str) -> None:
    data = CASES[name]()
    imported = import_bytes(name, data)
    reader = PdfReader(io.BytesIO(imported.pdf), strict=True)
    assert len(reader.pages) == imported.page_count
    for page, info in zip(reader.pages, imported.pages, strict=True):
        assert page.get("/Rotate") in (None, 0)
        box = [float(v) for v in page.mediabox]
        assert box == [0.0, 0.0, info.width_pt, info.height_pt]
        for key in ("/Annots", "/AA", "/CropBox"):
            assert key not in page
    root = reader.trailer["/Root"].get_object()
    for key in ("/OpenAction", "/AA", "/Names", "/AcroForm"):
        assert key not in root


def _cmyk_jpeg() -> bytes:
    return encode(upright_image((500, 700)).convert("CMYK"), "JPEG", quality=95)


def _srgb_jpeg() -> bytes:
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encode(upright_image((640, 480)), "JPEG", icc_profile=profile, dpi=(200, 200))


PLAIN = {
    "rgb.jpg": lambda: encode(upright_image((640, 900)), "JPEG", dpi=(150, 150)),
    "grey.jpg": lambda: encode(upright_image((640, 900)).convert("L"), "JPEG"),
    "cmyk-adobe.jpg": _cmyk_jpeg,
    "srgb.jpg": _srgb_jpeg,
    "progressive.jpg": lambda: encode(upright_image((700, 500)), "JPEG", progressive=True),
}


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_a_plain_jpeg_page_shows_what_img2pdfs_page_shows(name: str) -> None:
    import img2pdf
    import pikepdf
    from PIL import ImageChops

    from tests.pdftools import render

    data = PLAIN[name]()
    imported = import_bytes(name, data)
    ours = imported.pdf
    size = imported.pages[0].width_pt, imported.pages[0].height_pt
    theirs = img2pdf.convert(
        data,
        layout_fun=lambda _w, _h, _dpi: (*size, *size),
        engine=img2pdf.Engine.internal,
        nodate=True,
    )
    # a valid file by qpdf's strict reading (cross-reference offsets, stream lengths)
    with pikepdf.open(io.BytesIO(ours)) as pdf:
        assert pdf.check_pdf_syntax() == []
        image = pdf.pages[0].Resources.XObject["/Im0"]
        assert bytes(image.read_raw_bytes()) == data  # the JPEG's bytes, untouched
        with pikepdf.open(io.BytesIO(theirs)) as reference:
            expected = reference.pages[0].Resources.XObject["/Im0"]
            for key in ("/ColorSpace", "/Decode", "/Width", "/Height", "/BitsPerComponent"):
                mine, other = image.get(key), expected.get(key)
                if isinstance(mine, pikepdf.Array) and len(mine) == 2:  # [/ICCBased stream]
                    assert mine[0] == other[0]
                    assert mine[1].read_bytes() == other[1].read_bytes()
                    assert mine[1].get("/N") == other[1].get("/N")
                else:
                    assert mine == other, key
            assert pdf.pages[0].mediabox == reference.pages[0].mediabox
    shown, expected_image = render(ours, 1, 36), render(theirs, 1, 36)
    assert shown.size == expected_image.size
    difference = ImageChops.difference(shown.convert("RGB"), expected_image.convert("RGB"))
    assert max(high for _low, high in difference.getextrema()) <= 2
