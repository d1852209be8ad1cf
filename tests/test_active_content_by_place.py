"""Active content is removed by where it stands, never by its name, at intake and in the packet.

A font, image, graphics state, pattern, shading, colour space, property list or Type 3 glyph
that a producer happened to name /A, /P, /JS, /URI... is content: every name a content stream
uses must still resolve after the intake and after the packet writer, and every glyph must
still be drawn (the bank statement that printed "age 3 of 3", "ccount messages", "Citi  rice").
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from app.intake import import_bytes
from app.packet.assemble import DocInfo, EvidencePage, assemble
from app.packet.layout import Layout
from tests.intake_support import marked_pdf
from tests.pdf_names_support import (
    BANK_LINES,
    STRIPPER_NAMES,
    resources_named,
    type3_statement,
    unresolved_names,
)
from tests.pdftools import poppler


def packet_of(evidence: bytes, out: Path) -> bytes:
    """The packet writer's output for one evidence page."""
    assemble(
        out,
        [EvidencePage("f", 0, band=True)],
        marked_pdf(),
        None,
        lambda _id: evidence,
        Layout(),
        info=DocInfo("t", "a"),
        file_names={"f": "statement.pdf"},
    )
    return out.read_bytes()


def render(pdf: bytes, folder: Path, dpi: int = 50) -> Image.Image:
    """Poppler's rendering, the reference these glyph checks were measured against."""
    if not poppler():
        pytest.skip("needs poppler's pdftoppm (Debian: poppler-utils)")
    source = folder / "r.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            *("pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", "-singlefile"),
            str(source),
            str(folder / "r"),
        ],
        check=True,
        capture_output=True,
    )
    with Image.open(folder / "r.png") as image:
        return image.convert("L")


def text_of(pdf: bytes, folder: Path) -> str:
    # poppler's text extraction: PDFium reads some of these Type 3 and renamed fonts' text
    # differently (the glyphs are drawn, the extracted characters differ)
    if not poppler():
        pytest.skip("needs poppler's pdftotext (Debian: poppler-utils)")
    source = folder / "t.pdf"
    source.write_bytes(pdf)
    done = subprocess.run(["pdftotext", str(source), "-"], capture_output=True, text=True)
    return done.stdout


def test_the_generated_family_uses_every_name_and_resolves_as_made() -> None:
    source = resources_named()
    assert unresolved_names(source) == []
    page = PdfReader(io.BytesIO(source)).pages[0]
    for category in ("/Font", "/XObject", "/ExtGState", "/Pattern", "/Shading", "/ColorSpace"):
        assert set(STRIPPER_NAMES) <= set(page["/Resources"][category])


@pytest.mark.parametrize("name", STRIPPER_NAMES)
def test_a_single_resource_name_survives_intake_and_packet(name: str, tmp_path: Path) -> None:
    source = resources_named([name])
    imported = import_bytes(f"{name[1:]}.pdf", source).pdf
    assert unresolved_names(imported) == []
    assert unresolved_names(packet_of(imported, tmp_path / "p.pdf")) == []


def test_every_name_at_once_survives_intake_and_packet(tmp_path: Path) -> None:
    imported = import_bytes("names.pdf", resources_named()).pdf
    assert unresolved_names(imported) == []
    packet = packet_of(imported, tmp_path / "p.pdf")
    assert unresolved_names(packet) == []
    # the packet draws what the intake drew (every resource painted, nothing blank)
    assert "font 22" in text_of(packet, tmp_path) and "form 22" in text_of(packet, tmp_path)


def test_the_packet_writer_alone_keeps_names_of_an_unnormalised_pdf(tmp_path: Path) -> None:
    """Evidence stored by an earlier version, or any PDF the writer is handed, is copied by
    place too: the writer's own stripping must not take a font called /A."""
    assert unresolved_names(packet_of(resources_named(), tmp_path / "p.pdf")) == []


def _with_real_actions(pdf: bytes) -> bytes:
    """``pdf`` plus real active content: a JavaScript link, a page /AA, an /OpenAction and a
    document-level script."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))

    def js(text: str) -> DictionaryObject:
        return DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(text)}
        )

    page = writer.pages[0]
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject(NumberObject(v) for v in (0, 0, 50, 50)),
            NameObject("/A"): js("app.alert('link')"),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): js("app.alert('open')")})
    writer._root_object[NameObject("/OpenAction")] = js("app.alert('doc')")
    scripts = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("x"), js("app.alert('names')")])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(scripts)}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_real_actions_still_go_while_the_names_stay(tmp_path: Path) -> None:
    source = _with_real_actions(resources_named())
    assert b"alert" in source
    imported = import_bytes("active.pdf", source).pdf
    packet = packet_of(imported, tmp_path / "p.pdf")
    for pdf in (imported, packet):
        assert b"alert" not in pdf
        assert actions_in(pdf) == []
    assert unresolved_names(packet) == []


def actions_in(pdf: bytes) -> list[str]:
    """Active content where it can act: the catalog's and pages' action keys, and any action
    dictionary anywhere in the file."""
    reader = PdfReader(io.BytesIO(pdf))
    found = [
        f"catalog {k}" for k in ("/OpenAction", "/AA", "/Names") if k in reader.trailer["/Root"]
    ]
    for number, page in enumerate(reader.pages, 1):
        found += [f"page {number} {k}" for k in ("/Annots", "/AA") if k in page]
    for generation, entries in reader.xref.items():
        for idnum in entries:
            obj = reader.get_object(IndirectObject(idnum, generation, reader))
            if isinstance(obj, DictionaryObject) and obj.get("/S") in ("/JavaScript", "/Launch"):
                found.append(f"object {idnum}: action {obj['/S']}")
    return found


def test_bank_statement_type3_glyphs_named_a_and_p_print_every_letter(tmp_path: Path) -> None:
    """The glyphs named /A and /P are drawn in the packet exactly like the same glyphs under
    innocuous names (rendered), and the text still reads whole."""
    named = type3_statement()
    control = type3_statement(rename=True)
    assert b"/A " in named and b"/P " in named
    packets = {}
    for label, source in (("named", named), ("control", control)):
        imported = import_bytes(f"{label}.pdf", source).pdf
        assert unresolved_names(imported) == []
        packets[label] = packet_of(imported, tmp_path / f"{label}.pdf")
        assert unresolved_names(packets[label]) == []
    text = text_of(packets["named"], tmp_path)
    for line in BANK_LINES:
        assert line in text
    seen = render(packets["named"], tmp_path)
    expected = render(packets["control"], tmp_path)
    assert ImageStat.Stat(ImageChops.invert(expected)).mean[0] > 1  # the control has ink
    difference = ImageChops.difference(seen, expected)
    assert difference.getbbox() is None, "a glyph is drawn differently or not at all"
