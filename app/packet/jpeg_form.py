"""An evidence page that is one JPEG on one page, as the import writes it
(``app.system.jpegpdf``), placed without reading it as a PDF: its image and a Form XObject
drawing it are written straight into the packet.

Most evidence is such a page. Parsing each one with pypdf (the file, its page tree, the page,
its resources, the image's dictionary) was a third of the assembler's work on the window's
own core; here the parts are matched byte for byte against what the import writes, and any
other stored PDF is read as a PDF as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.packet.pdf_writer import Writer
from app.system.jpegpdf import PageParts, read_page

Form = tuple[int, float, float, float, float, int]
"""A placed source page: its Form XObject's number, its box (x0, y0, width, height), /Rotate."""


@dataclass
class JpegSource:
    """A stored evidence PDF that is one JPEG page (see :func:`app.system.jpegpdf.read_page`)."""

    label: str
    parts: PageParts
    forms: dict[int, Form] = field(default_factory=dict)  # page 0 once written


def jpeg_source(label: str, data: bytes, forms: dict[int, Form]) -> JpegSource | None:
    parts = read_page(data)
    return None if parts is None else JpegSource(label, parts, forms)


def jpeg_form(out: Writer, src: JpegSource) -> Form:
    """The Form XObject of the source's one page (written once, then reused)."""
    known = src.forms.get(0)
    if known is not None:
        return known
    parts = src.parts
    colour = parts.colour
    if parts.icc is not None:
        profile = out.alloc()
        out.stream_bytes(
            profile,
            b"<< /Alternate %s /N %d /Length %d >>"
            % (parts.icc_space, parts.icc_channels, len(parts.icc)),
            parts.icc,
        )
        colour = b"[ /ICCBased %d 0 R ]" % profile
    image = out.alloc()
    out.stream_bytes(
        image,
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
        b"/BitsPerComponent 8%s /Filter /DCTDecode /Length %d >>"
        % (parts.size_px[0], parts.size_px[1], colour, parts.decode, len(parts.jpeg)),
        parts.jpeg,
    )
    content = b"q %s 0 0 %s 0 0 cm /Im0 Do Q" % (parts.width, parts.height)
    form = out.alloc()
    out.stream_bytes(
        form,
        b"<< /Type /XObject /Subtype /Form /BBox [ 0 0 %s %s ] "
        b"/Resources << /XObject << /Im0 %d 0 R >> >> /Length %d >>"
        % (parts.width, parts.height, image, len(content)),
        content,
    )
    result = (form, 0.0, 0.0, float(parts.width), float(parts.height), 0)
    src.forms[0] = result
    return result
