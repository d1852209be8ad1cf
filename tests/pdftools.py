"""Reading PDFs in tests with our own dependencies (PDFium, through pypdfium2), so the suite runs
the same on Linux and on Windows, where a `pdftotext` on PATH may be Git's xpdf 4.00 (no
``-bbox``, no UTF-8 by default) or missing. A test that truly needs poppler says so with
:data:`needs_poppler`."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image


def _open(pdf: Path | bytes) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))


def pdf_text(pdf: Path | bytes, first: int | None = None, last: int | None = None) -> str:
    """The text of pages ``first``..``last`` (1-based, inclusive; all by default), each page
    ending with a form feed as pdftotext writes them."""
    doc = _open(pdf)
    try:
        count = len(doc)
        start = (first or 1) - 1
        stop = min(last or count, count)
        out = []
        for index in range(start, stop):
            page = doc[index]
            text = page.get_textpage()
            try:
                out.append(text.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            finally:
                text.close()
                page.close()
        return "".join(f"{t}\n\f" for t in out)
    finally:
        doc.close()


def page_texts(pdf: Path | bytes) -> list[str]:
    """One string per page."""
    return pdf_text(pdf).split("\f")[:-1]


def word_x(pdf: Path, page: int, word: str) -> float:
    """The left edge (points from the page's left) of the first occurrence of ``word`` on
    1-based ``page``."""
    doc = _open(pdf)
    try:
        p = doc[page - 1]
        text = p.get_textpage()
        try:
            found = text.search(word, match_case=True)
            hit = found.get_next()
            assert hit is not None, word
            index, _count = hit
            left, _bottom, _right, _top = text.get_charbox(index)
            return float(left)
        finally:
            text.close()
            p.close()
    finally:
        doc.close()


def render(pdf: Path | bytes, page: int = 1, dpi: float = 72, gray: bool = False) -> Image.Image:
    """1-based ``page`` rendered at ``dpi`` (the crop box and form fields, as viewers show
    them)."""
    doc = _open(pdf)
    doc.init_forms()
    try:
        p = doc[page - 1]
        try:
            bitmap = p.render(scale=dpi / 72, grayscale=gray)
            image = bitmap.to_pil()
        finally:
            p.close()
    finally:
        doc.close()
    return image.convert("L") if gray else image.convert("RGB")


@cache
def poppler() -> bool:
    """Poppler's pdftotext is on PATH (not xpdf's: its -v names the project)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return False
    done = subprocess.run([tool, "-v"], capture_output=True, text=True, check=False)
    return "poppler" in (done.stdout + done.stderr).lower()


needs_poppler = pytest.mark.skipif(
    not poppler(), reason="needs poppler's pdftotext/pdftoppm (Debian: poppler-utils)"
)
