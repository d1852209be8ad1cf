"""One JPEG embedded as it is on one page: the PDF img2pdf would write, assembled in one piece.

Most evidence is a scanned JPEG page. img2pdf builds its PDF object by object, concatenating
and copying the image data several times; on a 1 MB scan that costs more than the rest of the
conversion apart from the decode, all of it holding Python's lock. This writes the same objects
(catalog, page tree, page, DCT image, content stream) with one copy of the JPEG's bytes.

Only the plain case is written here: one frame, upright, greyscale, RGB or CMYK, with or
without a colour profile (but no profile on a greyscale image: img2pdf keeps only a grey one,
which needs Little CMS to tell). Everything else goes through img2pdf.

:func:`read_page` recognises exactly what :func:`jpeg_page` writes, so the packet's assembler
can place such a page (most evidence) without parsing it as a PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


@dataclass(frozen=True)
class PageParts:
    """What :func:`read_page` finds in a page :func:`jpeg_page` wrote."""

    width: bytes  # the page's width in points, as written
    height: bytes
    colour: bytes  # /DeviceGray, /DeviceRGB, /DeviceCMYK, or b"" when the profile (icc) says
    decode: bytes  # b"" or the inverted CMYK's " /Decode [ ... ]"
    size_px: tuple[int, int]
    jpeg: memoryview  # the image's data, in place
    icc_space: bytes  # the profile's alternate colour space, when there is a profile
    icc_channels: int
    icc: memoryview | None


_NUMBER = rb"(\d+(?:\.\d+)?)"
_START = re.compile(
    re.escape(_HEADER) + rb"1 0 obj\n<< /Pages 2 0 R /Type /Catalog >>\nendobj\n"
    rb"2 0 obj\n<< /Count 1 /Kids \[ 3 0 R \] /Type /Pages >>\nendobj\n"
    rb"3 0 obj\n<< /Contents 4 0 R /MediaBox \[ 0 0 " + _NUMBER + rb" " + _NUMBER + rb" \] "
    rb"/Parent 2 0 R /Resources << /XObject << /Im0 5 0 R >> >> /Type /Page >>\nendobj\n"
    rb"4 0 obj\n<< /Length (\d+) >>\nstream\n"
)
_IMAGE = re.compile(
    rb"\nendstream\nendobj\n5 0 obj\n<< /BitsPerComponent 8 "
    rb"/ColorSpace (/DeviceGray|/DeviceRGB|/DeviceCMYK|\[ /ICCBased 6 0 R \])"
    rb"( /Decode \[ 1 0 1 0 1 0 1 0 \])? /Filter /DCTDecode /Height (\d+) /Subtype /Image "
    rb"/Type /XObject /Width (\d+) /Length (\d+) >>\nstream\n"
)
_PROFILE = re.compile(
    rb"\nendstream\nendobj\n6 0 obj\n<< /Alternate (/DeviceRGB|/DeviceCMYK) /N ([34]) "
    rb"/Length (\d+) >>\nstream\n"
)
_END = b"\nendstream\nendobj\nxref\n"


def read_page(data: bytes) -> PageParts | None:
    """The parts of a one-page PDF :func:`jpeg_page` wrote, byte for byte as it writes them;
    None for any other PDF (read it as a PDF then)."""
    start = _START.match(data)
    if start is None:
        return None
    width, height = start.group(1), start.group(2)
    at = start.end()
    content = b"q\n%s 0 0 %s 0 0 cm\n/Im0 Do\nQ" % (width, height)
    if int(start.group(3)) != len(content) or data[at : at + len(content)] != content:
        return None
    image = _IMAGE.match(data, at + len(content))
    if image is None:
        return None
    colour, decode = image.group(1), image.group(2) or b""
    length = int(image.group(5))
    at = image.end()
    if at + length > len(data):
        return None
    view = memoryview(data)
    jpeg = view[at : at + length]
    at += length
    icc: memoryview | None = None
    icc_space, icc_channels = b"", 0
    if colour.startswith(b"["):
        profile = _PROFILE.match(data, at)
        if profile is None:
            return None
        icc_space, icc_channels = profile.group(1), int(profile.group(2))
        at = profile.end()
        icc_length = int(profile.group(3))
        if at + icc_length > len(data):
            return None
        icc = view[at : at + icc_length]
        at += icc_length
        colour = b""
    if not data.startswith(_END, at):
        return None
    size_px = (int(image.group(4)), int(image.group(3)))
    return PageParts(width, height, colour, decode, size_px, jpeg, icc_space, icc_channels, icc)
