"""Test inputs for the project store tests: real tiny PDFs and plain ImportedLike records."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from app.model import PageInfo


@dataclass(frozen=True)
class Imported:
    """What app.intake hands the store for one file (plain data, built here)."""

    name: str
    original: bytes
    sha256: str
    pdf: bytes
    pages: Sequence[PageInfo]


def tiny_pdf(text: str, pages: int = 1) -> bytes:
    """A real A4 PDF of ``pages`` pages saying ``text``."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    for number in range(pages):
        pdf.drawString(72, 720, f"{text} p{number + 1}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def imported(name: str, pages: int = 1, original: bytes | None = None) -> Imported:
    """An imported file whose original is ``original`` (default: distinct bytes per name)."""
    raw = original if original is not None else f"scan of {name}".encode() * 50
    return Imported(
        name=name,
        original=raw,
        sha256=hashlib.sha256(raw).hexdigest(),
        pdf=tiny_pdf(name, pages),
        pages=tuple(
            PageInfo(
                width_pt=595.28,
                height_pt=841.89,
                source_rotation=90 if index % 2 else 0,
                dpi=None if index == 0 else 300.0 + index,
            )
            for index in range(pages)
        ),
    )
