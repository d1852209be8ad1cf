"""Input makers and checks shared by the intake tests (generated files only, no fixtures on
disk)."""

from __future__ import annotations

import io

from PIL import Image, ImageChops, ImageStat
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject
from reportlab.lib.pagesizes import A3, A4, landscape, letter
from reportlab.pdfgen import canvas

from tests.pdftools import render as render_page

RED = (255, 0, 0)
BLUE = (0, 0, 255)
PAGE_SIZES = {"letter": letter, "a3": A3, "a4": A4, "a4-landscape": landscape(A4)}


def upright_image(size: tuple[int, int] = (400, 600), mode: str = "RGB") -> Image.Image:
    """White image, a red square in the top-left corner and a blue one in the top-right."""
    image = Image.new("RGB", size, "white")
    side = min(size) // 4
    image.paste(RED, (0, 0, side, side))
    image.paste(BLUE, (size[0] - side, 0, size[0], side))
    return image.convert(mode) if mode != "RGB" else image


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **params)
    return out.getvalue()


def render(pdf: bytes, page: int = 1, dpi: int = 36) -> Image.Image:
    """Render one page with PDFium (honours /Rotate and the CropBox, like a viewer)."""
    return render_page(pdf, page, dpi)


def corner_colours(image: Image.Image, inset: int = 4) -> dict[str, tuple[int, ...]]:
    w, h = image.size
    points = {
        "top-left": (inset, inset),
        "top-right": (w - 1 - inset, inset),
        "bottom-left": (inset, h - 1 - inset),
        "bottom-right": (w - 1 - inset, h - 1 - inset),
    }
    return {name: tuple(image.getpixel(p)) for name, p in points.items()}  # type: ignore[arg-type]


def near(colour: tuple[int, ...], expected: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    assert a.size == b.size, (a.size, b.size)
    stat = ImageStat.Stat(ImageChops.difference(a, b).convert("L"))
    return float(stat.mean[0])


def marked_pdf(size: tuple[float, float] = letter, pages: int = 1) -> bytes:
    """A vector PDF: a red block top-left, a blue block bottom-right, text in the middle, and a
    thin frame at the MediaBox edges."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=size)
    w, h = size
    for number in range(1, pages + 1):
        pdf.setFillColorRGB(1, 0, 0)
        pdf.rect(0, h - 120, 160, 120, stroke=0, fill=1)
        pdf.setFillColorRGB(0, 0, 1)
        pdf.rect(w - 100, 0, 100, 60, stroke=0, fill=1)
        pdf.setFillColorRGB(0, 0, 0)
        pdf.setFont("Helvetica", 24)
        pdf.drawString(w / 3, h / 2, f"Evidence page {number}")
        pdf.rect(5, 5, w - 10, h - 10, stroke=1, fill=0)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def forbidden_in(pdf: bytes) -> set[str]:
    """Every active or embedding key / action name found in ANY object of the file (all xref
    entries, not only those reachable from the pages)."""
    reader = PdfReader(io.BytesIO(pdf))
    bad_keys = {
        "/JavaScript",
        "/JS",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/OpenAction",
        "/AA",
        "/Launch",
        "/AcroForm",
        "/Annots",
        "/EF",
        "/AF",
        "/Names",
    }
    found: set[str] = set()
    stack: list[object] = []
    for generation, entries in reader.xref.items():
        for idnum in entries:
            stack.append(IndirectObject(idnum, generation, reader))
    stack.append(reader.trailer)
    seen: set[int] = set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                if key in bad_keys:
                    found.add(key)
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, NameObject) and obj in bad_keys:
            found.add(str(obj))
    return found


def png_header_only(width: int, height: int) -> bytes:
    """A PNG declaring the given size with a token of pixel data: enough for Pillow to read the
    dimensions without allocating anything."""
    import struct
    import zlib

    def chunk(tag: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(tag + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(bytes(64)))
        + chunk(b"IEND", b"")
    )
