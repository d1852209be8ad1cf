"""One JPEG embedded as it is on one page: the PDF img2pdf would write, assembled in one piece.

Most evidence is a scanned JPEG page. img2pdf builds its PDF object by object, concatenating
and copying the image data several times; on a 1 MB scan that costs more than the rest of the
conversion apart from the decode, all of it holding Python's lock. This writes the same objects
(catalog, page tree, page, DCT image, content stream) with one copy of the JPEG's bytes.

Only the plain case is written here: one frame, upright, greyscale, RGB or CMYK, with or
without a colour profile (but no profile on a greyscale image: img2pdf keeps only a grey one,
which needs Little CMS to tell). Everything else goes through img2pdf.
"""

from __future__ import annotations

_HEADER = b"%PDF-1.3\n%\xe2\xe3\xcf\xd3\n"

_COLOUR_SPACES = {"L": (b"/DeviceGray", 1), "RGB": (b"/DeviceRGB", 3), "CMYK": (b"/DeviceCMYK", 4)}


def can_write(mode: str, icc: bytes | None) -> bool:
    """Whether :func:`jpeg_page` writes an image of ``mode`` (with colour profile ``icc``)."""
    return mode in _COLOUR_SPACES and (icc is None or mode != "L")


def number(value: float) -> bytes:
    """A PDF number as img2pdf writes it: 4 decimals, trailing zeros dropped."""
    if float(value).is_integer():
        return b"%d" % int(value)
    return (b"%0.4f" % value).rstrip(b"0").rstrip(b".")


def jpeg_page(
    data: bytes,
    size_px: tuple[int, int],
    size_pt: tuple[float, float],
    mode: str,
    inverted: bool,
    icc: bytes | None,
) -> bytes:
    """A one-page PDF of ``size_pt`` points drawing the JPEG ``data`` (``size_px`` pixels, in
    colour ``mode``) over the whole page. ``inverted``: a CMYK JPEG from Adobe software
    (APP14), whose samples are stored inverted. ``icc``: the colour profile to state."""
    space, channels = _COLOUR_SPACES[mode]
    width, height = number(size_pt[0]), number(size_pt[1])
    content = b"q\n%s 0 0 %s 0 0 cm\n/Im0 Do\nQ" % (width, height)
    objects: list[bytes | tuple[bytes, bytes]] = [
        b"<< /Pages 2 0 R /Type /Catalog >>",
        b"<< /Count 1 /Kids [ 3 0 R ] /Type /Pages >>",
        b"<< /Contents 4 0 R /MediaBox [ 0 0 %s %s ] /Parent 2 0 R "
        b"/Resources << /XObject << /Im0 5 0 R >> >> /Type /Page >>" % (width, height),
        (b"<< /Length %d >>" % len(content), content),
    ]
    colour = space
    if icc is not None:
        colour = b"[ /ICCBased 6 0 R ]"
    decode = b" /Decode [ 1 0 1 0 1 0 1 0 ]" if mode == "CMYK" and inverted else b""
    objects.append(
        (
            b"<< /BitsPerComponent 8 /ColorSpace %s%s /Filter /DCTDecode /Height %d "
            b"/Subtype /Image /Type /XObject /Width %d /Length %d >>"
            % (colour, decode, size_px[1], size_px[0], len(data)),
            data,
        )
    )
    if icc is not None:
        objects.append((b"<< /Alternate %s /N %d /Length %d >>" % (space, channels, len(icc)), icc))
    parts = [_HEADER]
    offsets = []
    at = len(_HEADER)
    for index, obj in enumerate(objects, 1):
        offsets.append(at)
        if isinstance(obj, tuple):
            head, stream = obj
            chunk = [b"%d 0 obj\n" % index, head, b"\nstream\n", stream, b"\nendstream\nendobj\n"]
        else:
            chunk = [b"%d 0 obj\n" % index, obj, b"\nendobj\n"]
        parts.extend(chunk)
        at += sum(len(c) for c in chunk)
    count = len(objects) + 1
    xref = [b"xref\n0 %d\n0000000000 65535 f \n" % count]
    xref += [b"%010d 00000 n \n" % offset for offset in offsets]
    parts.extend(xref)
    parts.append(b"trailer\n<< /Root 1 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n" % (count, at))
    return b"".join(parts)
