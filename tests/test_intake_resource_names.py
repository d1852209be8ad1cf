"""Resource names are names, not actions: a font or image a producer happened to call /A or
/JS must survive normalisation, while real actions (and what they point to) are gone."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from reportlab.pdfgen import canvas

from app.intake import import_bytes
from tests.intake_support import forbidden_in
from tests.pdftools import pdf_text


def _renamed_font_pdf() -> bytes:
    """A page whose only font is renamed /A (and its content refers to /A), plus a JS action
    hanging off the page's Form XObject-free resources via an /AA on the page."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("Helvetica", 24)
    c.drawString(72, 700, "RENAMED FONT MARKER")
    c.save()
    reader = PdfReader(io.BytesIO(buf.getvalue()))
    writer = PdfWriter()
    writer.append(reader)
    page = writer.pages[0]
    fonts = page["/Resources"]["/Font"]
    (old_name,) = list(fonts.keys())
    fonts[NameObject("/A")] = fonts[old_name]
    del fonts[old_name]
    content = page.get_contents()
    assert content is not None
    content.set_data(content.get_data().replace(old_name.encode(), b"/A"))
    page.replace_contents(content)
    js = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hi')"),
        }
    )
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(js)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _text(pdf: bytes) -> str:
    return pdf_text(pdf)


def test_a_font_named_a_survives_and_its_text_still_reads() -> None:
    source = _renamed_font_pdf()
    assert "RENAMED FONT MARKER" in _text(source)
    imported = import_bytes("renamed.pdf", source)
    page = PdfReader(io.BytesIO(imported.pdf)).pages[0]
    assert "/A" in page["/Resources"]["/Font"]
    assert "RENAMED FONT MARKER" in _text(imported.pdf)


def test_the_page_action_and_the_script_it_pointed_to_are_not_written() -> None:
    imported = import_bytes("renamed.pdf", _renamed_font_pdf())
    assert forbidden_in(imported.pdf) == set()
    assert b"app.alert" not in imported.pdf
