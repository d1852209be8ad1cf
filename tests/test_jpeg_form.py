"""Evidence pages that are one JPEG as the import writes them are placed without pypdf
(``app.packet.jpeg_form``): recognised byte for byte, the same on paper as the general path,
their JPEG data unchanged; anything else is read as a PDF as before."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageCms
from pypdf import PdfReader, PdfWriter

from app.intake import import_bytes
from app.packet.assemble import DocInfo, DrawnPage, EvidencePage, OutputPage, assemble
from app.packet.layout import Layout
from app.system.errors import ProjectFileError
from app.system.jpegpdf import jpeg_page, read_page
from tests.pdftools import render
from tests.test_assemble import reportlab_pdf


def _scan(mode: str, icc: bytes | None = None, size: tuple[int, int] = (620, 877)) -> bytes:
    """A small 'scan': dark text-like bars on paper, in ``mode``, with ``icc`` if given."""
    image = Image.new("RGB", size, (235, 230, 220))
    for n, top in enumerate(range(60, size[1] - 60, 40)):
        bar = Image.new("RGB", (size[0] - 120 - (n % 3) * 80, 14), (40, 40 + n * 3 % 60, 90))
        image.paste(bar, (60, top))
    converted = image.convert(mode)
    out = io.BytesIO()
    extra = {"icc_profile": icc} if icc else {}
    converted.save(out, "JPEG", quality=88, dpi=(150, 150), **extra)
    return out.getvalue()


def _srgb() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


VARIANTS = {
    "grey": lambda: _scan("L"),
    "rgb": lambda: _scan("RGB"),
    "cmyk": lambda: _scan("CMYK"),  # Pillow writes an Adobe marker: inverted samples
    "rgb-profile": lambda: _scan("RGB", _srgb()),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_what_the_import_writes_is_recognised_with_its_parts(variant: str) -> None:
    jpeg = VARIANTS[variant]()
    stored = import_bytes("扫描件.jpg", jpeg).pdf
    parts = read_page(stored)
    assert parts is not None
    assert bytes(parts.jpeg) == jpeg
    assert parts.size_px == (620, 877)
    assert (float(parts.width), float(parts.height)) == pytest.approx((297.6, 420.96))
    assert (parts.icc is not None) == (variant == "rgb-profile")
    assert bool(parts.decode) == (variant == "cmyk")


def test_anything_else_is_not_recognised() -> None:
    jpeg = _scan("RGB")
    stored = jpeg_page(jpeg, (620, 877), (297.6, 420.96), "RGB", False, None)
    assert read_page(stored) is not None
    resaved = io.BytesIO()
    PdfWriter(clone_from=PdfReader(io.BytesIO(stored))).write(resaved)
    for other in (
        resaved.getvalue(),  # the same page written by another program
        stored.replace(b"/Im0 Do", b"/Im1 Do"),  # another content
        stored.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction 9 0 R"),
        stored[: stored.index(b"\nendstream\nendobj\nxref")],  # cut short
        stored.replace(b"/Length %d" % len(jpeg), b"/Length %d" % (len(jpeg) + 10**9)),
        b"",
    ):
        assert read_page(other) is None


def _packet(tmp_path: Path, name: str, evidence: dict[str, bytes]) -> Path:
    pages: list[OutputPage] = [DrawnPage(0)]
    pages += [EvidencePage(fid, 0, band=n == 0) for n, fid in enumerate(evidence)]
    overlay = reportlab_pdf([f"第 {n + 1} 页" for n in range(len(pages))])
    out = tmp_path / name
    assemble(
        out, pages, reportlab_pdf(["封面"]), overlay, evidence.__getitem__, Layout(),
        info=DocInfo("t", "a"),
    )  # fmt: skip
    return out


def test_placed_as_the_general_path_places_it_with_its_data_unchanged(tmp_path: Path) -> None:
    jpegs = {variant: make() for variant, make in VARIANTS.items()}
    stored = {variant: import_bytes("扫描件.jpg", jpeg).pdf for variant, jpeg in jpegs.items()}
    general = {}
    for variant, pdf in stored.items():
        resaved = io.BytesIO()  # not byte for byte the import's: read with pypdf
        PdfWriter(clone_from=PdfReader(io.BytesIO(pdf))).write(resaved)
        assert read_page(resaved.getvalue()) is None
        general[variant] = resaved.getvalue()
    fast = _packet(tmp_path, "fast.pdf", stored)
    slow = _packet(tmp_path, "slow.pdf", general)
    for page in range(2, 2 + len(stored)):
        a, b = render(fast, page, dpi=50), render(slow, page, dpi=50)
        assert a.size == b.size
        difference = ImageChops.difference(a.convert("RGB"), b.convert("RGB"))
        assert max(high for _low, high in difference.getextrema()) <= 2
        # the scan is there: its bars are dark
        assert a.convert("L").getextrema()[0] < 120
    data = fast.read_bytes()
    for jpeg in jpegs.values():
        assert data.count(jpeg) == 1  # embedded once, byte for byte
    reader = PdfReader(fast, strict=True)
    assert len(reader.pages) == 1 + len(stored)
    if shutil.which("qpdf") is not None:
        done = subprocess.run(["qpdf", "--check", str(fast)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_a_page_used_twice_is_written_once_and_a_missing_page_is_reported(
    tmp_path: Path,
) -> None:
    jpeg = _scan("RGB")
    stored = import_bytes("扫描件.jpg", jpeg).pdf
    pages: list[OutputPage] = [
        EvidencePage("a", 0),
        EvidencePage("b", 0),
        EvidencePage("a", 0, user_rotation=90),
    ]
    out = tmp_path / "twice.pdf"
    evidence = {"a": stored, "b": import_bytes("另一张.jpg", _scan("L")).pdf}
    drawn = reportlab_pdf(["unused"])
    assemble(out, pages, drawn, None, evidence.__getitem__, Layout(), info=DocInfo("t", "a"))
    assert out.read_bytes().count(jpeg) == 1
    assert len(PdfReader(out).pages) == 3
    with pytest.raises(ProjectFileError) as caught:
        assemble(
            out, [EvidencePage("a", 1)], drawn, None, evidence.__getitem__, Layout(),
            info=DocInfo("t", "a"), file_names={"a": "营业执照.jpg"},
        )  # fmt: skip
    assert "“营业执照.jpg”没有第2页" in caught.value.message.replace(" ", "")
