"""Printing annotations (seals, stamps, filled-in fields) are painted into the normalised page
before every annotation is dropped; non-printing ones and anything active leave no trace."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    RectangleObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import letter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from app.intake import import_bytes
from app.intake.flatten import placement
from tests.intake_support import forbidden_in, mean_difference, render
from tests.pdftools import pdf_text

FONT = Path(__file__).resolve().parents[1] / "resources" / "fonts" / "wqy-microhei.ttc"
DPI = 72  # one pixel per point: expected positions read straight off the /Rect

PRINT, HIDDEN, NO_ROTATE, NO_VIEW = 4, 2, 16, 32
SEAL_RECT = (400.0, 100.0, 520.0, 220.0)

Box = tuple[float, float, float, float]


# --- inputs -----------------------------------------------------------------------------------


def _plain_page(size: tuple[float, float] = letter) -> bytes:
    """A page with black text only: any red pixel in a rendering comes from an annotation."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=size)
    pdf.setFont("Helvetica", 18)
    pdf.drawString(72, size[1] - 100, "Invoice body")
    pdf.save()
    return out.getvalue()


def _seal_pdf() -> bytes:
    """A 120 x 120 pt page: a red ring and the red text '专用章' (a company seal)."""
    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", str(FONT), subfontIndex=0))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(120, 120))
    pdf.setStrokeColorRGB(1, 0, 0)
    pdf.setFillColorRGB(1, 0, 0)
    pdf.setLineWidth(6)
    pdf.circle(60, 60, 55, stroke=1, fill=0)
    pdf.setFont("WQY", 22)
    pdf.drawCentredString(60, 52, "专用章")
    pdf.save()
    return out.getvalue()


def _form(writer: PdfWriter, content: bytes, bbox: Box, **extra: object) -> IndirectObject:
    form = DecodedStreamObject()
    form.set_data(content)
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in bbox),
        }
    )
    for key, value in extra.items():
        form[NameObject(f"/{key}")] = cast(PdfObject, value)
    return writer._add_object(form)


def _seal_form(writer: PdfWriter) -> IndirectObject:
    """The seal page as a Form XObject of ``writer`` (its fonts copied along)."""
    page = PdfReader(io.BytesIO(_seal_pdf())).pages[0]
    content = page.get_contents()
    assert content is not None
    resources = _dict(page["/Resources"]).clone(writer)
    return _form(writer, content.get_data(), (0, 0, 120, 120), Resources=resources)


def _red_block_form(writer: PdfWriter, bbox: Box, block: Box, **extra: object) -> IndirectObject:
    x0, y0, x1, y1 = block
    return _form(writer, f"1 0 0 rg {x0} {y0} {x1 - x0} {y1 - y0} re f".encode(), bbox, **extra)


def _annotation(
    writer: PdfWriter,
    subtype: str,
    rect: Box,
    flags: int | None,
    appearance: IndirectObject | None,
    **extra: object,
) -> IndirectObject:
    annot = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject(subtype),
            NameObject("/Rect"): ArrayObject(FloatObject(v) for v in rect),
        }
    )
    if flags is not None:
        annot[NameObject("/F")] = NumberObject(flags)
    if appearance is not None:
        annot[NameObject("/AP")] = DictionaryObject({NameObject("/N"): appearance})
    for key, value in extra.items():
        annot[NameObject(f"/{key}")] = cast(PdfObject, value)
    return writer._add_object(annot)


def _dict(value: PdfObject) -> DictionaryObject:
    resolved = value.get_object()
    assert isinstance(resolved, DictionaryObject)
    return resolved


def _js(script: str) -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(script)}
    )


def _build(page_pdf: bytes, annotate: Callable[[PdfWriter], list[IndirectObject]]) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(page_pdf))
    writer.pages[0][NameObject("/Annots")] = ArrayObject(annotate(writer))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _edit(pdf: bytes, edit: Callable[[DictionaryObject], None]) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    edit(writer.pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _sealed(flags: int = PRINT) -> bytes:
    return _build(
        _plain_page(), lambda w: [_annotation(w, "/Stamp", SEAL_RECT, flags, _seal_form(w))]
    )


# --- checks -----------------------------------------------------------------------------------


def _red_box(image: Image.Image) -> tuple[int, int, int, int] | None:
    """Pixel bounds (left, top, right, bottom exclusive) of the clearly red pixels."""
    r, g, b = image.split()
    red = r.point(lambda v: 255 if v > 180 else 0)
    not_green = g.point(lambda v: 255 if v < 90 else 0)
    not_blue = b.point(lambda v: 255 if v < 90 else 0)
    mask = Image.composite(red, Image.new("L", image.size, 0), not_green)
    mask = Image.composite(mask, Image.new("L", image.size, 0), not_blue)
    return mask.getbbox()


def _assert_box(found: tuple[int, int, int, int] | None, expected: Box, slack: int = 3) -> None:
    assert found is not None, "nothing red on the page"
    assert all(abs(a - b) <= slack for a, b in zip(found, expected, strict=True)), (
        found,
        expected,
    )


def _text(pdf: bytes) -> str:
    return pdf_text(pdf)


def _assert_clean(pdf: bytes) -> None:
    assert forbidden_in(pdf) == set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        assert "/Annots" not in page
    # and not even as a name token in the raw file (a subset font's /AAAAAA+ prefix is fine)
    names = re.findall(rb"/(Annots|JavaScript|JS|AA|OpenAction|Widget)(?=[\s/<>\[\]()]|$)", pdf)
    assert names == []


# --- tests ------------------------------------------------------------------------------------


def test_placement_follows_the_appearance_algorithm() -> None:
    # identity: the box is moved (and scaled) onto the rect
    assert placement((10, 20, 110, 70), (0, 0, 100, 50), (1, 0, 0, 1, 0, 0)) == (
        1.0,
        0.0,
        0.0,
        1.0,
        10.0,
        20.0,
    )
    assert placement((10, 20, 210, 120), (5, 5, 105, 55), (1, 0, 0, 1, 0, 0)) == (
        2.0,
        0.0,
        0.0,
        2.0,
        0.0,
        10.0,
    )
    # a form turned by its /Matrix: the transformed box (-50..0 x 0..100) lands on the rect
    assert placement((100, 300, 150, 400), (0, 0, 100, 50), (0, 1, -1, 0, 0, 0)) == (
        1.0,
        0.0,
        0.0,
        1.0,
        150.0,
        300.0,
    )
    # rect corners in any order; empty boxes draw nothing
    assert placement((110, 70, 10, 20), (0, 0, 100, 50), (1, 0, 0, 1, 0, 0)) == (
        1.0,
        0.0,
        0.0,
        1.0,
        10.0,
        20.0,
    )
    assert placement((10, 20, 10, 70), (0, 0, 100, 50), (1, 0, 0, 1, 0, 0)) is None
    assert placement((10, 20, 110, 70), (0, 0, 0, 50), (1, 0, 0, 1, 0, 0)) is None


def test_seal_stamp_is_painted_where_its_rect_is() -> None:
    source = _sealed()
    result = import_bytes("发票.pdf", source)
    _assert_clean(result.pdf)
    image = render(result.pdf, dpi=DPI)
    x0, y0, x1, y1 = SEAL_RECT
    _assert_box(_red_box(image), (x0, 792 - y1, x1, 792 - y0))
    # poppler draws the source's annotation itself: the flattened page must look the same
    assert mean_difference(render(source, dpi=DPI), image) < 0.5
    assert "专用章" in _text(result.pdf)


def test_appearance_matrix_and_scaling_are_honoured() -> None:
    rect = (100.0, 300.0, 200.0, 500.0)

    def annotate(writer: PdfWriter) -> list[IndirectObject]:
        # form space: a 100 x 50 box, red on its left half; turned 90 degrees anticlockwise by
        # its /Matrix, then scaled x2 onto the rect: red fills the rect's lower half
        turned = ArrayObject(NumberObject(v) for v in (0, 1, -1, 0, 0, 0))
        form = _red_block_form(writer, (0, 0, 100, 50), (0, 0, 50, 50), Matrix=turned)
        return [_annotation(writer, "/Square", rect, PRINT, form)]

    source = _build(_plain_page(), annotate)
    result = import_bytes("turned.pdf", source)
    image = render(result.pdf, dpi=DPI)
    _assert_box(_red_box(image), (100, 792 - 400, 200, 792 - 300))
    assert mean_difference(render(source, dpi=DPI), image) < 0.5


def test_non_printing_annotations_do_not_appear() -> None:
    def annotate(writer: PdfWriter) -> list[IndirectObject]:
        form = _red_block_form(writer, (0, 0, 50, 50), (0, 0, 50, 50))
        return [
            _annotation(writer, "/Stamp", (50, 50, 100, 100), None, form),  # no flags
            _annotation(writer, "/Stamp", (150, 50, 200, 100), 0, form),  # no Print
            _annotation(writer, "/Stamp", (250, 50, 300, 100), PRINT | HIDDEN, form),
            _annotation(writer, "/Stamp", (350, 50, 400, 100), PRINT | NO_VIEW, form),
            _annotation(writer, "/Popup", (450, 50, 500, 100), PRINT, form),
            _annotation(writer, "/Square", (50, 300, 100, 350), PRINT, form),  # control
        ]

    result = import_bytes("hidden.pdf", _build(_plain_page(), annotate))
    _assert_clean(result.pdf)
    _assert_box(_red_box(render(result.pdf, dpi=DPI)), (50, 792 - 350, 100, 792 - 300))


def test_filled_form_fields_keep_their_values() -> None:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=letter)
    pdf.drawString(100, 700, "Application form")
    pdf.acroForm.textfield(
        name="company", value="Zhuhai Trading 2019", x=100, y=600, width=250, height=20
    )
    pdf.acroForm.checkbox(name="yes", checked=True, x=100, y=500)
    pdf.acroForm.checkbox(name="no", checked=False, x=150, y=500)
    pdf.save()
    source = out.getvalue()

    def add_empty_button(writer: PdfWriter) -> list[IndirectObject]:
        annots = list(cast(ArrayObject, writer.pages[0]["/Annots"].get_object()))
        button = _annotation(
            writer,
            "/Widget",
            (300, 500, 350, 520),
            PRINT,
            _form(writer, b"", (0, 0, 50, 20)),
            FT=NameObject("/Btn"),
            Ff=NumberObject(1 << 16),
            A=_js("this.print()"),
        )
        return [*annots, button]

    source = _build(source, add_empty_button)
    result = import_bytes("form.pdf", source)
    _assert_clean(result.pdf)
    assert "Zhuhai Trading 2019" in _text(result.pdf)
    assert mean_difference(render(source, dpi=DPI), render(result.pdf, dpi=DPI)) < 0.5
    # text field and the checked box's /Yes state; the empty push button adds nothing
    xobjects = _dict(_dict(PdfReader(io.BytesIO(result.pdf)).pages[0]["/Resources"])["/XObject"])
    assert sorted(xobjects) == ["/Fx0", "/Fx1", "/Fx2"]


def test_link_with_javascript_leaves_no_trace() -> None:
    def annotate(writer: PdfWriter) -> list[IndirectObject]:
        writer.root_object[NameObject("/OpenAction")] = _js("app.alert('open')")
        form = _red_block_form(writer, (0, 0, 50, 50), (0, 0, 50, 50))
        # an appearance stream carrying actions of its own: they must not ride along
        _dict(form)[NameObject("/AA")] = DictionaryObject({NameObject("/O"): _js("x")})
        return [
            _annotation(
                writer,
                "/Link",
                (50, 50, 200, 80),
                PRINT,
                None,
                A=_js("app.launchURL('http://example.com')"),
                AA=DictionaryObject({NameObject("/E"): _js("app.alert('hover')")}),
            ),
            _annotation(writer, "/Stamp", (300, 300, 350, 350), PRINT, form, A=_js("y")),
        ]

    source = _build(_plain_page(), annotate)
    assert {"/JavaScript", "/JS", "/AA", "/OpenAction", "/Annots"} <= forbidden_in(source)
    result = import_bytes("link.pdf", source)
    _assert_clean(result.pdf)
    _assert_box(_red_box(render(result.pdf, dpi=DPI)), (300, 792 - 350, 350, 792 - 300))


@pytest.mark.parametrize(
    ("rotation", "expected"),
    [
        # page shown turned 90 degrees clockwise: 792 x 612, (x, y) -> (y, x)
        (90, (100, 400, 220, 520)),
        (180, (612 - 520, 100, 612 - 400, 220)),
        (270, (792 - 220, 612 - 520, 792 - 100, 612 - 400)),
    ],
)
def test_rotated_page_carries_its_seal_round(rotation: int, expected: Box) -> None:
    def rotate(page: DictionaryObject) -> None:
        page[NameObject("/Rotate")] = NumberObject(rotation)

    source = _edit(_sealed(), rotate)
    result = import_bytes("rotated.pdf", source)
    _assert_clean(result.pdf)
    image = render(result.pdf, dpi=DPI)
    _assert_box(_red_box(image), expected)
    assert mean_difference(render(source, dpi=DPI), image) < 0.5


def test_cropbox_offset_moves_and_clips_the_seal() -> None:
    def crop(page: DictionaryObject) -> None:
        page[NameObject("/CropBox")] = RectangleObject((100, 50, 500, 700))

    source = _edit(_sealed(), crop)
    result = import_bytes("cropped.pdf", source)
    _assert_clean(result.pdf)
    assert (result.pages[0].width_pt, result.pages[0].height_pt) == (400, 650)
    image = render(result.pdf, dpi=DPI)
    # seal 400..520 x 100..220 less the crop origin, clipped at the crop's right edge (400)
    _assert_box(_red_box(image), (300, 650 - 170, 400, 650 - 50))
    assert mean_difference(render(source, dpi=DPI), image) < 0.5


def test_rotation_cropbox_and_offset_mediabox_together() -> None:
    def edit(page: DictionaryObject) -> None:
        page[NameObject("/MediaBox")] = RectangleObject((-50, -50, 612, 792))
        page[NameObject("/CropBox")] = RectangleObject((-20, 80, 560, 792))
        page[NameObject("/Rotate")] = NumberObject(270)

    source = _edit(_sealed(), edit)
    result = import_bytes("both.pdf", source)
    _assert_clean(result.pdf)
    image = render(result.pdf, dpi=DPI)
    assert _red_box(image) is not None
    assert mean_difference(render(source, dpi=DPI), image) < 0.5


def test_shared_resources_are_not_changed_for_other_pages() -> None:
    two_pages = io.BytesIO()
    pdf = canvas.Canvas(two_pages, pagesize=letter)
    for number in (1, 2):
        pdf.drawString(72, 700, f"Page {number}")
        pdf.showPage()
    pdf.save()
    writer = PdfWriter(clone_from=io.BytesIO(two_pages.getvalue()))
    shared = writer._add_object(_dict(writer.pages[0]["/Resources"]))
    for page in writer.pages:
        page[NameObject("/Resources")] = shared
    seal = _annotation(writer, "/Stamp", SEAL_RECT, PRINT, _seal_form(writer))
    writer.pages[0][NameObject("/Annots")] = ArrayObject([seal])
    out = io.BytesIO()
    writer.write(out)
    result = import_bytes("shared.pdf", out.getvalue())
    first, second = PdfReader(io.BytesIO(result.pdf)).pages
    assert "/Fx0" in _dict(_dict(first["/Resources"])["/XObject"])
    assert "/XObject" not in _dict(second["/Resources"])
    assert _red_box(render(result.pdf, page=1, dpi=DPI)) is not None
    assert _red_box(render(result.pdf, page=2, dpi=DPI)) is None


def test_state_left_by_the_page_content_does_not_move_the_seal() -> None:
    # content that ends with a transformation and colours set outside any q ... Q
    writer = PdfWriter(clone_from=io.BytesIO(_sealed()))
    tail = DecodedStreamObject()
    tail.set_data(b"0.5 0 0 0.5 200 0 cm 0 0 1 rg 0 0 1 RG 9 w")
    page = writer.pages[0]
    page[NameObject("/Contents")] = ArrayObject(
        [page.raw_get("/Contents"), writer._add_object(tail)]
    )
    out = io.BytesIO()
    writer.write(out)
    source = out.getvalue()
    result = import_bytes("unbalanced.pdf", source)
    image = render(result.pdf, dpi=DPI)
    x0, y0, x1, y1 = SEAL_RECT
    _assert_box(_red_box(image), (x0, 792 - y1, x1, 792 - y0))
    assert mean_difference(render(source, dpi=DPI), image) < 0.5


def test_no_rotate_flag_keeps_the_appearance_upright() -> None:
    def rotate(page: DictionaryObject) -> None:
        page[NameObject("/Rotate")] = NumberObject(90)

    source = _edit(_sealed(PRINT | NO_ROTATE), rotate)
    result = import_bytes("norotate.pdf", source)
    image = render(result.pdf, dpi=DPI)
    # upright on the turned page, pivoting on the rect's upper-left corner (400, 220), which
    # the 90-degree turn puts at (220, 400)
    _assert_box(_red_box(image), (220, 400, 340, 520))
    assert mean_difference(render(source, dpi=DPI), image) < 0.5
