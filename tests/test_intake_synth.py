"""Printing annotations without an appearance are drawn as viewers draw them (filled-in form
fields under /NeedAppearances, check boxes, highlights, ink, shapes, free text), and what
cannot be drawn is named to the user, page by page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from app.intake import import_bytes
from app.packet.assemble import DocInfo, EvidencePage, assemble
from app.packet.layout import Layout
from tests.intake_support import marked_pdf, render
from tests.pdftools import pdf_text

W, H = 595, 842
PRINT = 4


def _n(*values: float) -> ArrayObject:
    return ArrayObject(FloatObject(v) for v in values)


def _pdf(annotations: list[dict[str, object]], need_appearances: bool = False) -> bytes:
    """A blank A4 page carrying ``annotations`` (dictionaries of PDF objects by key)."""
    writer = PdfWriter()
    page = writer.add_blank_page(W, H)
    refs = []
    for spec in annotations:
        annotation = DictionaryObject({NameObject("/Type"): NameObject("/Annot")})
        for key, value in spec.items():
            annotation[NameObject(key)] = value  # type: ignore[assignment]
        refs.append(writer._add_object(annotation))
    page[NameObject("/Annots")] = ArrayObject(refs)
    fields = [r for r, s in zip(refs, annotations, strict=True) if s.get("/Subtype") == "/Widget"]
    if fields or need_appearances:
        writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
            {
                NameObject("/Fields"): ArrayObject(fields),
                NameObject("/NeedAppearances"): BooleanObject(need_appearances),
                NameObject("/DA"): TextStringObject("/Helv 0 Tf 0 g"),
            }
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _text(pdf: bytes, tmp: Path) -> str:
    return pdf_text(pdf)


def _pixels(pdf: bytes, box: tuple[float, float, float, float]) -> list[tuple[int, int, int]]:
    """The rendered pixels (72 dpi: a pixel a point) inside ``box`` (x0, y0, x1, y1 in PDF
    coordinates)."""
    image: Image.Image = render(pdf, dpi=72)
    x0, y0, x1, y1 = box
    raw = image.crop((int(x0), int(H - y1), int(x1), int(H - y0))).convert("RGB").tobytes()
    return [(raw[i], raw[i + 1], raw[i + 2]) for i in range(0, len(raw), 3)]


def _inked(pixels: list[tuple[int, int, int]]) -> int:
    return sum(1 for p in pixels if min(p) < 200)


def text_field(value: str, rect: tuple[float, ...], da: str = "/Helv 12 Tf 0 0 1 rg") -> dict:
    return {
        "/Subtype": NameObject("/Widget"),
        "/FT": NameObject("/Tx"),
        "/T": TextStringObject("name"),
        "/V": TextStringObject(value),
        "/DA": TextStringObject(da),
        "/Rect": _n(*rect),
        "/F": NumberObject(PRINT),
    }


def test_a_text_field_without_appearance_prints_its_value(tmp_path: Path) -> None:
    source = _pdf([text_field("ACME 珠海 2018", (100, 700, 400, 720))], need_appearances=True)
    imported = import_bytes("表单.pdf", source)
    assert "ACME 珠海 2018" in _text(imported.pdf, tmp_path)
    pixels = _pixels(imported.pdf, (100, 700, 400, 720))
    blue = [p for p in pixels if p[2] > 150 and p[0] < 120 and p[1] < 120]
    assert len(blue) > 20  # drawn in the /DA colour
    assert _inked(_pixels(imported.pdf, (0, 0, W, 690))) == 0  # nowhere else


def test_need_appearances_replaces_a_stale_appearance(tmp_path: Path) -> None:
    """With /NeedAppearances the viewer regenerates: an empty or outdated stream is not what
    prints."""
    field = text_field("NEW VALUE", (100, 700, 400, 720))
    stale = DecodedStreamObject()
    stale.set_data(b"BT /Helv 12 Tf 2 5 Td (OLD VALUE) Tj ET")
    stale[NameObject("/Subtype")] = NameObject("/Form")
    stale[NameObject("/BBox")] = _n(0, 0, 300, 20)
    writer_pdf = _pdf([field], need_appearances=True)
    # give the field a stale appearance after the fact
    from pypdf import PdfReader

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(writer_pdf)))
    widget = writer.pages[0]["/Annots"][0].get_object()
    widget[NameObject("/AP")] = DictionaryObject({NameObject("/N"): writer._add_object(stale)})
    out = io.BytesIO()
    writer.write(out)
    text = _text(import_bytes("旧外观.pdf", out.getvalue()).pdf, tmp_path)
    assert "NEW VALUE" in text and "OLD VALUE" not in text


def test_multiline_and_centred_fields(tmp_path: Path) -> None:
    multi = text_field("第一行\n第二行", (100, 600, 300, 660), "/Helv 10 Tf 0 g")
    multi["/Ff"] = NumberObject(1 << 12)
    centred = text_field("MID", (100, 500, 300, 520), "/Helv 10 Tf 0 g")
    centred["/Q"] = NumberObject(1)
    imported = import_bytes("多行.pdf", _pdf([multi, centred], need_appearances=True)).pdf
    text = _text(imported, tmp_path)
    assert "第一行" in text and "第二行" in text and "MID" in text
    pixels = _pixels(imported, (100, 500, 300, 520))
    left, right = _inked(_pixels(imported, (100, 500, 170, 520))), _inked(pixels)
    assert right > 0 and left == 0  # centred: nothing at the left edge


@pytest.mark.parametrize(("state", "drawn"), [("/Yes", True), ("/Off", False)])
def test_a_check_box_without_appearance_prints_when_on(state: str, drawn: bool) -> None:
    box = {
        "/Subtype": NameObject("/Widget"),
        "/FT": NameObject("/Btn"),
        "/T": TextStringObject("agree"),
        "/V": NameObject(state),
        "/AS": NameObject(state),
        "/Rect": _n(100, 700, 120, 720),
        "/F": NumberObject(PRINT),
    }
    imported = import_bytes("勾选.pdf", _pdf([box])).pdf
    assert (_inked(_pixels(imported, (100, 700, 120, 720))) > 5) is drawn


def test_markup_annotations_without_appearance_are_drawn(tmp_path: Path) -> None:
    annotations = [
        {
            "/Subtype": NameObject("/Highlight"),
            "/Rect": _n(100, 700, 300, 720),
            "/QuadPoints": _n(100, 720, 300, 720, 100, 700, 300, 700),
            "/C": _n(1, 1, 0),
            "/F": NumberObject(PRINT),
        },
        {
            "/Subtype": NameObject("/Ink"),
            "/Rect": _n(100, 600, 300, 650),
            "/InkList": ArrayObject([_n(100, 610, 200, 640, 300, 610)]),
            "/C": _n(0, 0, 1),
            "/BS": DictionaryObject({NameObject("/W"): NumberObject(3)}),
            "/F": NumberObject(PRINT),
        },
        {
            "/Subtype": NameObject("/Square"),
            "/Rect": _n(100, 500, 200, 560),
            "/C": _n(1, 0, 0),
            "/F": NumberObject(PRINT),
        },
        {
            "/Subtype": NameObject("/Circle"),
            "/Rect": _n(300, 500, 400, 560),
            "/C": _n(0, 0.6, 0),
            "/IC": _n(0, 0.6, 0),
            "/F": NumberObject(PRINT),
        },
        {
            "/Subtype": NameObject("/Line"),
            "/Rect": _n(100, 440, 400, 460),
            "/L": _n(100, 450, 400, 450),
            "/C": _n(0, 0, 0),
            "/F": NumberObject(PRINT),
        },
        {
            "/Subtype": NameObject("/FreeText"),
            "/Rect": _n(100, 350, 400, 400),
            "/Contents": TextStringObject("已核对 checked"),
            "/DA": TextStringObject("/Helv 12 Tf 1 0 0 rg"),
            "/F": NumberObject(PRINT),
        },
    ]
    imported = import_bytes("批注.pdf", _pdf(annotations)).pdf
    yellow = [p for p in _pixels(imported, (110, 702, 290, 718)) if p[0] > 200 and p[2] < 120]
    assert len(yellow) > 1000
    assert any(p[2] > 150 and p[0] < 100 for p in _pixels(imported, (190, 630, 210, 645)))
    square = _pixels(imported, (100, 500, 200, 560))
    assert any(p[0] > 200 and p[1] < 80 for p in square)
    assert not any(min(p) < 200 for p in _pixels(imported, (120, 515, 180, 545)))  # hollow
    circle_centre = _pixels(imported, (345, 525, 355, 535))
    assert all(p[1] > 100 and p[0] < 80 for p in circle_centre)  # filled green
    assert _inked(_pixels(imported, (150, 447, 350, 453))) > 100
    assert "已核对 checked" in _text(imported, tmp_path)


def test_what_cannot_be_drawn_is_named_by_page() -> None:
    stamp = {
        "/Subtype": NameObject("/Stamp"),
        "/Rect": _n(100, 100, 200, 150),
        "/F": NumberObject(PRINT),
    }
    hidden = {
        "/Subtype": NameObject("/Stamp"),
        "/Rect": _n(100, 100, 200, 150),
        "/F": NumberObject(0),
    }
    imported = import_bytes("图章.pdf", _pdf([stamp, stamp, hidden]))
    (note,) = [w for w in imported.warnings if "批注" in w]
    assert "“图章.pdf”" in note and "图章 2 个" in note
    assert not any("批注" in w for w in import_bytes("无.pdf", _pdf([hidden])).warnings)


def test_annotations_with_their_own_appearance_are_not_drawn_twice(tmp_path: Path) -> None:
    """The existing flattening still paints annotations that carry an appearance; nothing is
    added for them and no note appears."""
    imported = import_bytes("普通.pdf", marked_pdf())
    assert imported.warnings == ()


def test_drawn_values_reach_the_packet(tmp_path: Path) -> None:
    source = _pdf([text_field("PACKET VALUE 值", (100, 700, 400, 720))], need_appearances=True)
    imported = import_bytes("表单.pdf", source).pdf
    out = tmp_path / "packet.pdf"
    assemble(
        out,
        [EvidencePage("f", 0)],
        marked_pdf(),
        None,
        lambda _id: imported,
        Layout(),
        info=DocInfo("t", "a"),
    )
    assert "PACKET VALUE 值" in _text(out.read_bytes(), tmp_path)
