"""PDF evidence -> normalised PDF: upright pages (no /Rotate), MediaBox at the origin, nothing
active (no JavaScript, actions, annotations, forms, attachments).

The content streams are never parsed: each page's content is wrapped in a small prefix that
transforms and clips it, and a suffix that restores the graphics state. What the page's printing
annotations show (seals, stamps, filled-in form values) is painted into the page first, from
their appearance streams (see ``app.intake.flatten``); then every annotation is dropped.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from pypdf import PageObject, PasswordType, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    RectangleObject,
)

from app.intake import errors, flatten, geometry

PasswordCallback = Callable[[str], str | None]

MAX_PASSWORD_TRIES = 3

# Dropped from each page before it is copied: annotations of every kind (links, widgets,
# attachments, media), page actions, associated files, article beads, structure references.
_PAGE_KEYS_DROPPED = (
    "/Annots",
    "/AA",
    "/AF",
    "/B",
    "/StructParents",
    "/PieceInfo",
    "/Tabs",
    "/CropBox",
    "/BleedBox",
    "/TrimBox",
    "/ArtBox",
    "/BoxColorInfo",
    "/Rotate",
    "/VP",
    "/PresSteps",
    "/Trans",
    "/Dur",
)

# Dropped wherever they occur in what a page references (resources, XObjects...) — except as
# the keys of a resource dictionary, where they are merely names the producer chose (a font
# called /A is legitimate and must survive).
_ACTIVE_KEYS = frozenset(
    {"/AA", "/A", "/OpenAction", "/JS", "/JavaScript", "/AF", "/EF", "/EmbeddedFiles", "/Annots"}
)
# Resource categories: their keys are names (ISO 32000 7.8.3), never actions.
_NAME_DICTS = frozenset(
    {"/Font", "/XObject", "/ExtGState", "/ColorSpace", "/Pattern", "/Shading", "/Properties"}
)


_SHAPE_TOLERANCE = 0.03


@dataclass(frozen=True)
class PdfPage:
    width_pt: float
    height_pt: float
    source_rotation: int
    dpi: float | None


@dataclass(frozen=True)
class NormalisedPdf:
    pdf: bytes
    pages: tuple[PdfPage, ...]


def open_pdf(name: str, data: bytes, password: PasswordCallback | None) -> PdfReader:
    """Open (and decrypt) a PDF, asking ``password`` for a user password when one is needed."""
    reader = PdfReader(io.BytesIO(data), strict=False)
    if not reader.is_encrypted or reader.decrypt("") != PasswordType.NOT_DECRYPTED:
        return reader
    if password is None:
        raise errors.PasswordRequiredError(name)
    for _ in range(MAX_PASSWORD_TRIES):
        answer = password(name)
        if answer is None:
            raise errors.PasswordRequiredError(name)
        if reader.decrypt(answer) != PasswordType.NOT_DECRYPTED:
            return reader
    raise errors.WrongPasswordError(name)


def normalise_pdf(
    name: str, data: bytes, password: PasswordCallback | None = None
) -> NormalisedPdf:
    """Normalise every page of a PDF. Library exceptions are left to the caller to map."""
    reader = open_pdf(name, data, password)
    source_pages = list(reader.pages)
    if not source_pages:
        raise errors.ZeroPagesError(name)
    writer = PdfWriter()
    wrappers = _Wrappers(writer)
    infos: list[PdfPage] = []
    for source in source_pages:
        infos.append(_copy_page(name, writer, wrappers, source))
    _strip_active(writer)
    out = io.BytesIO()
    writer.write(out)
    return NormalisedPdf(out.getvalue(), tuple(infos))


_LETTER = (0.0, 0.0, 612.0, 792.0)
"""What viewers assume for a page that lacks its (required) MediaBox."""


def _visible_box(name: str, page: PageObject) -> tuple[float, float, float, float]:
    crop = _box(page.cropbox) if "/CropBox" in page else None
    if "/MediaBox" in page:
        media = _box(page.mediabox)
        if media is None:
            raise errors.DamagedFileError(name)
    else:
        media = crop or _LETTER
    if crop is not None:
        x0, y0 = max(crop[0], media[0]), max(crop[1], media[1])
        x1, y1 = min(crop[2], media[2]), min(crop[3], media[3])
        if x1 - x0 >= 1 and y1 - y0 >= 1:
            return x0, y0, x1, y1
    return media


def _box(rect: RectangleObject) -> tuple[float, float, float, float] | None:
    x0, x1 = sorted((float(rect.left), float(rect.right)))
    y0, y1 = sorted((float(rect.bottom), float(rect.top)))
    if x1 - x0 < 1 or y1 - y0 < 1:
        return None
    return x0, y0, x1, y1


def _copy_page(name: str, writer: PdfWriter, wrappers: _Wrappers, source: PageObject) -> PdfPage:
    box = _visible_box(name, source)
    rotation = geometry.normal_rotation(source.get("/Rotate", 0))
    dpi = _scan_dpi(source, box)
    appearances = flatten.printable_appearances(source, rotation)
    for key in _PAGE_KEYS_DROPPED:
        if key in source:
            del source[key]
    # Copied whole (pypdf would drop excluded keys at every depth, resource names included);
    # _strip_active then removes actions and scripts where they can really occur.
    page = writer.add_page(source)
    painted = flatten.paint_appearances(writer, page, appearances, [])
    matrix, width, height = geometry.fold_matrix(box, rotation)
    _wrap_contents(writer, wrappers, page, matrix, box, painted)
    page[NameObject("/MediaBox")] = RectangleObject((0, 0, _num(width), _num(height)))
    return PdfPage(width, height, rotation, dpi)


def _num(value: float) -> float | int:
    rounded = round(value, 4)
    return int(rounded) if rounded == int(rounded) else rounded


def _fmt(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


class _Wrappers:
    """Adds the small streams that wrap page contents. Each page gets its own, so every stored
    page stays self-contained and a later step may edit one page's contents without touching
    another; the cost is about 150 bytes a page."""

    def __init__(self, writer: PdfWriter) -> None:
        self._writer = writer

    def stream(self, data: bytes) -> IndirectObject:
        stream = DecodedStreamObject()
        stream.set_data(data)
        return self._writer._add_object(stream)  # no public API adds a stream


def _wrap_contents(
    writer: PdfWriter,
    wrappers: _Wrappers,
    page: PageObject,
    matrix: tuple[float, float, float, float, float, float],
    box: tuple[float, float, float, float],
    annotations: bytes = b"",
) -> None:
    """Wrap the page content in the fold ``matrix`` and a clip to ``box``. ``annotations`` (the
    flattened appearances) are painted after the content, in the same default user space; the
    content then gets a graphics state of its own, so that whatever it leaves set (a ``cm``
    outside any ``q``, a colour) does not reach them."""
    x0, y0, x1, y1 = box
    cm = " ".join(_fmt(v) for v in matrix)
    clip = f"{_fmt(x0)} {_fmt(y0)} {_fmt(x1 - x0)} {_fmt(y1 - y0)}"
    inner = "q\n" if annotations else ""
    prefix = f"q {cm} cm {clip} re W n\n{inner}".encode("ascii")
    parts: list[PdfObject] = [wrappers.stream(prefix)]
    existing = page.get("/Contents")
    if existing is not None:
        resolved = existing.get_object()
        if isinstance(resolved, ArrayObject):
            parts.extend(item for item in resolved if isinstance(item, IndirectObject))
        elif isinstance(existing, IndirectObject):
            parts.append(existing)
        elif resolved is not None:
            parts.append(writer._add_object(resolved))
    suffix = b"\nQ\n" + annotations + b"Q\n" if annotations else b"\nQ\n"
    parts.append(wrappers.stream(suffix))
    page[NameObject("/Contents")] = ArrayObject(parts)


def _scan_dpi(page: PageObject, box: tuple[float, float, float, float]) -> float | None:
    """Effective resolution of a scanned page, known without parsing the content: the page
    uses exactly one image, whose shape matches the visible area (a scan fills its page).
    None for anything else (vector or text pages)."""
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    if not isinstance(resources, DictionaryObject):
        return None
    xobjects = resources.get("/XObject")
    xobjects = xobjects.get_object() if xobjects is not None else None
    if not isinstance(xobjects, DictionaryObject) or len(xobjects) != 1:
        return None
    image = next(iter(xobjects.values())).get_object()
    if not isinstance(image, DictionaryObject) or image.get("/Subtype") != "/Image":
        return None
    try:
        px_w, px_h = int(str(image["/Width"])), int(str(image["/Height"]))
    except (KeyError, TypeError, ValueError):
        return None
    width, height = box[2] - box[0], box[3] - box[1]
    if px_w <= 0 or px_h <= 0 or abs((px_w / px_h) / (width / height) - 1) > _SHAPE_TOLERANCE:
        return None
    return geometry.effective_dpi(px_w, px_h, width, height)


def _strip_active(writer: PdfWriter) -> None:
    """Remove any action, script or attachment reachable from the pages (defence in depth:
    annotations and page actions were already dropped), then every object no longer reachable
    (what a removed action pointed to must not be written either)."""
    seen: set[int] = set()
    for top in (writer.root_object, writer._info):
        ref = getattr(top, "indirect_reference", None)
        if isinstance(ref, IndirectObject):
            seen.add(ref.idnum)
    stack: list[tuple[PdfObject, bool]] = [(writer.root_object, False)]
    while stack:
        obj, names_only = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            resolved = obj.get_object()
            if resolved is None:
                continue
            obj = resolved
        if isinstance(obj, DictionaryObject):
            if not names_only:
                for key in [k for k in obj if k in _ACTIVE_KEYS]:
                    del obj[key]
            for key, value in obj.items():
                if key not in ("/Parent", "/P"):
                    stack.append((value, not names_only and key in _NAME_DICTS))
        elif isinstance(obj, ArrayObject):
            stack.extend((v, False) for v in obj)
    objects = writer._objects  # pypdf has no public way to drop an unreferenced object
    for index in range(len(objects)):
        if index + 1 not in seen:
            objects[index] = None
