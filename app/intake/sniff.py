"""Recognise a file's format by its content (magic bytes), never by its extension."""

from __future__ import annotations

import io
import zipfile
from enum import Enum
from pathlib import PurePath

from app.intake import errors


class Kind(Enum):
    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"
    TIFF = "tiff"
    BMP = "bmp"
    WEBP = "webp"
    GIF = "gif"


_HEIF_BRANDS = {
    b"heic",
    b"heix",
    b"heim",
    b"heis",
    b"hevc",
    b"hevx",
    b"hevm",
    b"hevs",
    b"mif1",
    b"msf1",
    b"avif",
    b"avis",
}

# The PDF header may follow some junk; readers look for it in the first 1024 bytes.
_PDF_HEADER_WINDOW = 1024


def sniff(name: str, data: bytes) -> Kind:
    """Return the kind of an accepted file, or raise the refusal that explains why not."""
    if not data:
        raise errors.EmptyFileError(name)
    head = data[:_PDF_HEADER_WINDOW]
    if data.startswith(b"%PDF-"):
        return Kind.PDF
    if data.startswith(b"\xff\xd8\xff"):
        return Kind.JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind.PNG
    if data[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return Kind.TIFF
    if data.startswith(b"BM") and len(data) > 26:
        return Kind.BMP
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return Kind.WEBP
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return Kind.GIF
    if data[4:8] == b"ftyp" and _ftyp_brands(data) & _HEIF_BRANDS:
        raise errors.HeicError(name)
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        _refuse_zip(name, data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        suffix = PurePath(name).suffix.lower()
        program = {".xls": "Excel", ".et": "WPS表格", ".ppt": "PowerPoint"}.get(suffix, "Word")
        raise errors.OfficeDocumentError(name, program)
    if data.startswith(b"{\\rtf"):
        raise errors.OfficeDocumentError(name, "Word")
    if b"%PDF-" in head:  # some producers put junk before the header; readers allow it
        return Kind.PDF
    if _looks_like_html(head):
        raise errors.UnsupportedFormatError(name, "网页文件（HTML）而不是 PDF 或图片")
    raise errors.UnsupportedFormatError(name)


def _ftyp_brands(data: bytes) -> set[bytes]:
    size = int.from_bytes(data[0:4], "big")
    box = data[8 : min(max(size, 16), 64)]
    return {box[i : i + 4] for i in range(0, len(box) - 3, 4)}


def _refuse_zip(name: str, data: bytes) -> None:
    names: list[str] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        pass
    if any(n.startswith("word/") for n in names):
        raise errors.OfficeDocumentError(name, "Word")
    if any(n.startswith("xl/") for n in names):
        raise errors.OfficeDocumentError(name, "Excel")
    if any(n.startswith("ppt/") for n in names):
        raise errors.OfficeDocumentError(name, "PowerPoint")
    if any(n.lower() == "ofd.xml" for n in names):
        raise errors.OfdDocumentError(name)
    if "mimetype" in names and any(n == "content.xml" for n in names):
        raise errors.OfficeDocumentError(name, "WPS/LibreOffice")
    raise errors.UnsupportedFormatError(name, "压缩包（ZIP），不是 PDF 或图片")


def _looks_like_html(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body"))
