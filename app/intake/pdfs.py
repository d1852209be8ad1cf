"""PDF evidence -> normalised PDF: upright pages (no /Rotate), MediaBox at the origin, nothing
active (no JavaScript, actions, annotations, forms, attachments).

The content streams are never parsed: each page's content is wrapped in a small prefix that
transforms and clips it, and a suffix that restores the graphics state. What the page's printing
annotations show (seals, stamps, filled-in form values) is painted into the page first, from
their appearance streams (see ``app.intake.flatten``); then every annotation is dropped.
"""

from __future__ import annotations

import io
import math
import zlib
from dataclasses import dataclass

from pypdf import PageObject, PasswordType, PdfReader, PdfWriter
from pypdf.errors import LimitReachedError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    RectangleObject,
    StreamObject,
)

from app.intake import errors, flatten, geometry, repair, synth
from app.intake.normal import NormalisedPdf, PasswordCallback, PdfPage, image_dpi
from app.system import pdf_active

MAX_PASSWORD_TRIES = 3

MAX_PAGES_PER_FILE = 2000
"""A real application packet has hundreds of pages; a file of thousands is a wrong file or a
page tree listing one page over and over (a hostile file)."""

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


def open_pdf(name: str, data: bytes, password: PasswordCallback | None) -> PdfReader:
    """Open (and decrypt) a PDF, asking ``password`` for a user password only when no reader
    could open it without one."""
    reader = PdfReader(io.BytesIO(data), strict=False)
    if not reader.is_encrypted or reader.decrypt("") != PasswordType.NOT_DECRYPTED:
        return reader
    if _only_attachments_encrypted(reader):
        # The pages are stored in the clear (streams and strings use the Identity crypt
        # filter); the password guards the attachments, which intake drops anyway. Viewers
        # open such a file without asking, and so do we: reading it without a key is what
        # pypdf does for the /Encrypt dictionary itself.
        reader._encryption = None
        return reader
    opened = repair.rebuilt(data)  # qpdf opens some empty-password files pypdf does not
    if opened is not None:
        return PdfReader(io.BytesIO(opened), strict=False)
    if password is None:
        raise errors.PasswordRequiredError(name)
    for _ in range(MAX_PASSWORD_TRIES):
        answer = password(name)
        if answer is None:
            raise errors.PasswordRequiredError(name)
        if reader.decrypt(answer) != PasswordType.NOT_DECRYPTED:
            return reader
        opened = repair.rebuilt(data, answer)
        if opened is not None:
            return PdfReader(io.BytesIO(opened), strict=False)
    raise errors.WrongPasswordError(name)


def _only_attachments_encrypted(reader: PdfReader) -> bool:
    encryption = reader._encryption  # pypdf reads the /Encrypt dictionary when it opens a file
    return (
        encryption is not None
        and getattr(encryption, "StmF", None) == "/Identity"
        and getattr(encryption, "StrF", None) == "/Identity"
    )


_FINAL_REFUSALS = (
    errors.PasswordRequiredError,
    errors.WrongPasswordError,
    errors.TooManyPagesError,
    errors.TooComplexError,
    LimitReachedError,
    MemoryError,
)
"""What a repaired copy would meet again: no second try."""

_STRUCTURE_CRASHES = (
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    AssertionError,
    RecursionError,
)
"""What pypdf raises on a broken structure that it does not recognise as such."""


def normalise_pdf(
    name: str, data: bytes, password: PasswordCallback | None = None
) -> NormalisedPdf:
    """Normalise every page of a PDF. A file that pypdf cannot read but qpdf can rebuild (cut
    short, a broken cross-reference table) is normalised from the rebuilt copy, with a note
    saying so. Library exceptions are left to the caller to map."""
    try:
        return _normalise(name, data, password)
    except _FINAL_REFUSALS:
        raise
    except Exception as first:
        fixed = repair.rebuilt(data)
        if fixed is None:
            if isinstance(first, _STRUCTURE_CRASHES):
                # pypdf crashed on the file's structure and qpdf finds no pages in it either
                # (e.g. a page tree that is null): damaged, whatever exception said so
                raise errors.DamagedFileError(name) from first
            raise
        try:
            lost = _pages_with_lost_content(PdfReader(io.BytesIO(fixed), strict=False))
            result = _normalise(name, fixed, None)
        except Exception:
            raise first from None
        if lost:
            raise errors.IncompleteFileError(name, lost) from first
        note = (
            f"“{name}”文件不完整或内部结构有误（可能下载或复制未完成），已自动修复后添加。"
            "请在预览中核对页数和内容是否齐全；如有缺失，请重新获取原文件后替换。"
        )
        return NormalisedPdf(result.pdf, result.pages, (note, *result.notes))


def _pages_with_lost_content(reader: PdfReader) -> list[int]:
    """Pages (1-based) of a rebuilt file whose content did not survive: no content stream, or
    a font or image the content draws that is gone (a file cut short loses its last objects,
    and the rebuilt copy simply leaves them out). Only run on rebuilt files: it parses the
    content."""
    lost = []
    for number, page in enumerate(reader.pages, 1):
        contents = page.get_contents()
        if contents is None or not contents.get_data().strip():
            lost.append(number)
            continue
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else None
        resources = resources if isinstance(resources, DictionaryObject) else DictionaryObject()
        for operands, operator in contents.operations:
            category = {b"Do": "/XObject", b"Tf": "/Font"}.get(operator)
            if category is None or not operands:
                continue
            names = resources.get(category)
            names = names.get_object() if names is not None else None
            target = names.get(operands[0]) if isinstance(names, DictionaryObject) else None
            if target is None or target.get_object() is None:
                lost.append(number)
                break
    return lost


def _normalise(name: str, data: bytes, password: PasswordCallback | None) -> NormalisedPdf:
    reader = open_pdf(name, data, password)
    source_pages = list(reader.pages)
    if not source_pages:
        raise errors.ZeroPagesError(name)
    if len(source_pages) > MAX_PAGES_PER_FILE:
        raise errors.TooManyPagesError(name, len(source_pages), MAX_PAGES_PER_FILE)
    root = reader.trailer.get("/Root")
    root = root.get_object() if root is not None else None
    acroform = root.get("/AcroForm") if isinstance(root, DictionaryObject) else None
    writer = PdfWriter()
    infos: list[PdfPage] = []
    assumed: list[int] = []
    notes = []
    for number, source in enumerate(source_pages, 1):
        copied = _copy_page(name, writer, source, acroform)
        infos.append(copied.info)
        if copied.assumed_size:
            assumed.append(number)
        if copied.lost:
            where = f"第 {number} 页" if len(source_pages) > 1 else ""
            kinds = "、".join(f"{kind} {count} 个" for kind, count in copied.lost.items())
            notes.append(
                f"“{name}”{where}有无法显示的批注（{kinds}），打印的申报材料中不会出现。"
                "如需保留，请在 PDF 阅读器中“打印为PDF”后重新添加该文件。"
            )
    _strip_active(writer)
    out = io.BytesIO()
    writer.write(out)
    if assumed:
        where = f"第 {'、'.join(str(n) for n in assumed)} 页" if len(source_pages) > 1 else ""
        notes.append(
            f"“{name}”{where}没有有效的页面尺寸，已按 Letter 纸（216×279 mm）处理。"
            "请在预览中核对，如显示不全请重新导出该文件。"
        )
    return NormalisedPdf(out.getvalue(), tuple(infos), tuple(notes))


_LETTER = (0.0, 0.0, 612.0, 792.0)
"""What viewers assume for a page that lacks its (required) MediaBox, or has an empty one."""


def _visible_box(page: PageObject) -> tuple[tuple[float, float, float, float], bool]:
    """The page's visible box, and whether it had to be assumed (no usable MediaBox)."""
    crop = _box(page.cropbox) if "/CropBox" in page else None
    media = _box(page.mediabox) if "/MediaBox" in page else None
    assumed = media is None and crop is None
    if media is None:
        media = crop or _LETTER
    if crop is not None:
        x0, y0 = max(crop[0], media[0]), max(crop[1], media[1])
        x1, y1 = min(crop[2], media[2]), min(crop[3], media[3])
        if x1 - x0 >= 1 and y1 - y0 >= 1:
            return (x0, y0, x1, y1), False
    return media, assumed


def _box(rect: RectangleObject) -> tuple[float, float, float, float] | None:
    x0, x1 = sorted((float(rect.left), float(rect.right)))
    y0, y1 = sorted((float(rect.bottom), float(rect.top)))
    if x1 - x0 < 1 or y1 - y0 < 1:
        return None
    return x0, y0, x1, y1


@dataclass(frozen=True)
class _CopiedPage:
    info: PdfPage
    assumed_size: bool  # no usable MediaBox: Letter was assumed
    lost: dict[str, int]  # printing annotations that could not be drawn: kind -> count


def _copy_page(
    name: str, writer: PdfWriter, source: PageObject, acroform: PdfObject | None
) -> _CopiedPage:
    """Copy one page, upright and at the origin, its printing annotations painted in."""
    box, assumed = _visible_box(source)
    rotation = geometry.normal_rotation(source.get("/Rotate", 0))
    unit = _user_unit(source)
    dpi = _scan_dpi(source, box)
    _check_image_sizes(name, source)
    appearances = flatten.printable_appearances(
        source, rotation, skip=lambda a: synth.regenerated(a, acroform)
    )
    drawn = synth.draw_missing(source, acroform)
    for key in _PAGE_KEYS_DROPPED:
        if key in source:
            del source[key]
    # pypdf's add_page() drops /Parent and /StructParents at every depth of what it copies,
    # a font or glyph of that name included: the page is cloned first with those keys left out
    # at the page's own level only (the depth-limited form of ``ignore_fields``), and add_page()
    # then takes the clone as it is. _strip_active removes actions, scripts and back-links where
    # they can really occur.
    clone = source.clone(writer, False, [1, "/Parent", 1, "/StructParents", 1, "/UserUnit"])
    page = writer.add_page(clone)  # type: ignore[arg-type]
    if drawn.overlay is not None:
        appearances.append(flatten.drawn_form(writer, drawn.overlay, drawn.bbox[:2]))
    painted = flatten.paint_appearances(writer, page, appearances, [])
    matrix, width, height = geometry.fold_matrix(box, rotation)
    if unit != 1.0:  # /UserUnit: one unit of this page is ``unit`` points (ISO 32000-1 14.11.2)
        matrix = tuple(v * unit for v in matrix)  # type: ignore[assignment]
        width, height = width * unit, height * unit
    _wrap_contents(name, writer, page, matrix, box, painted)
    page[NameObject("/MediaBox")] = RectangleObject((0, 0, _num(width), _num(height)))
    return _CopiedPage(PdfPage(width, height, rotation, dpi), assumed, drawn.lost)


MAX_IMAGE_PIXELS = 4 * 89_478_485
"""Largest image a page may draw: four times Pillow's bomb limit (a 1200 dpi A4 scan has 139
million pixels). Beyond it printers and viewers run out of memory decoding the page."""


def _check_image_sizes(name: str, page: PageObject) -> None:
    """Refuse a page drawing an image of absurd pixel dimensions (its page, and the forms it
    draws, one level down), without decoding anything."""
    pending: list[tuple[PdfObject | None, int]] = [(page.get("/Resources"), 0)]
    while pending:
        resources, depth = pending.pop()
        resources = resources.get_object() if resources is not None else None
        xobjects = resources.get("/XObject") if isinstance(resources, DictionaryObject) else None
        xobjects = xobjects.get_object() if xobjects is not None else None
        if not isinstance(xobjects, DictionaryObject):
            continue
        for value in xobjects.values():
            xobject = value.get_object()
            if not isinstance(xobject, DictionaryObject):
                continue
            if xobject.get("/Subtype") == "/Form" and depth < 1:
                pending.append((xobject.get("/Resources"), depth + 1))
                continue
            try:
                width, height = int(str(xobject["/Width"])), int(str(xobject["/Height"]))
            except (KeyError, TypeError, ValueError):
                continue
            if width * height > MAX_IMAGE_PIXELS:
                raise errors.TooLargeImageError(name, (width, height))


def _user_unit(page: PageObject) -> float:
    value = page.get("/UserUnit")
    value = value.get_object() if value is not None else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 1.0
    unit = float(value)
    return unit if math.isfinite(unit) and 0.01 <= unit <= 1000 else 1.0


def _num(value: float) -> float | int:
    rounded = round(value, 4)
    return int(rounded) if rounded == int(rounded) else rounded


def _fmt(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


MAX_PAGE_CONTENT = 64 * 1024 * 1024
"""Largest decoded content of one page (its content streams together). A scanned page's is a
few dozen bytes and a dense vector drawing's a few megabytes; more is a bomb, not a document."""

_COMPRESS_FROM = 512


def _wrap_contents(
    name: str,
    writer: PdfWriter,
    page: PageObject,
    matrix: tuple[float, float, float, float, float, float],
    box: tuple[float, float, float, float],
    annotations: bytes = b"",
) -> None:
    """Make the page's content one stream: its content, decoded (bounded) and wrapped in the
    fold ``matrix`` and a clip to ``box``. ``annotations`` (the flattened appearances) are
    painted after the content, in the same default user space; the content then gets a
    graphics state of its own, so that whatever it leaves set (a ``cm`` outside any ``q``, a
    colour) does not reach them.

    Decoding here is what lets the packet copy the stream's bytes as they are: a content stream
    that cannot be decoded (a fuzzed file, a filter no reader applies to content) is refused
    now, by the file's name, instead of breaking a build weeks later. Each page gets its own
    stream, so every stored page stays self-contained."""
    x0, y0, x1, y1 = box
    cm = " ".join(_fmt(v) for v in matrix)
    clip = f"{_fmt(x0)} {_fmt(y0)} {_fmt(x1 - x0)} {_fmt(y1 - y0)}"
    inner = "q\n" if annotations else ""
    parts = [f"q {cm} cm {clip} re W n\n{inner}".encode("ascii")]
    size = 0
    for stream in _content_streams(page):
        data = stream.get_data()
        size += len(data)
        if size > MAX_PAGE_CONTENT:
            raise errors.TooComplexError(name)
        parts.append(data)
    parts.append(b"\nQ\n" + annotations + b"Q\n" if annotations else b"\nQ\n")
    content = b"\n".join(parts)
    stream = StreamObject()
    if len(content) >= _COMPRESS_FROM:
        stream._data = zlib.compress(content, 6)  # set_data() would decode-check it again
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    else:
        stream._data = content
    page[NameObject("/Contents")] = writer._add_object(stream)  # no public API adds a stream


def _content_streams(page: PageObject) -> list[StreamObject]:
    """The page's content streams, in order (a single stream or an array of them); anything
    else in /Contents is ignored, as viewers do."""
    existing = page.get("/Contents")
    resolved = existing.get_object() if existing is not None else None
    if isinstance(resolved, StreamObject):
        return [resolved]
    if isinstance(resolved, ArrayObject):
        streams = [item.get_object() for item in resolved]
        return [item for item in streams if isinstance(item, StreamObject)]
    return []


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
    return image_dpi(px_w, px_h, box[2] - box[0], box[3] - box[1])


def _strip_active(writer: PdfWriter) -> None:
    """Remove any action, script or attachment reachable from the pages (defence in depth:
    annotations and page actions were already dropped), by where it stands (see
    ``app.system.pdf_active``: a font or glyph called /A stays), then every object no longer reachable
    (what a removed action pointed to must not be written either)."""
    seen: set[int] = set()
    for top in (writer.root_object, writer._info):
        ref = getattr(top, "indirect_reference", None)
        if isinstance(ref, IndirectObject):
            seen.add(ref.idnum)
    stack: list[tuple[PdfObject, bool]] = [(writer.root_object, False)]
    while stack:
        obj, name_keyed = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            resolved = obj.get_object()
            if resolved is None:
                continue
            obj = resolved
        if isinstance(obj, DictionaryObject):
            if not name_keyed:
                tree_node = obj.get("/Type") in ("/Page", "/Pages")
                for key in [k for k in obj if _removed(obj, k, tree_node)]:
                    del obj[key]
            for key, value in obj.items():
                stack.append((value, pdf_active.child_is_name_keyed(name_keyed, key)))
        elif isinstance(obj, ArrayObject):
            stack.extend((v, False) for v in obj)
    objects = writer._objects  # pypdf has no public way to drop an unreferenced object
    for index in range(len(objects)):
        if index + 1 not in seen:
            objects[index] = None


def _removed(obj: DictionaryObject, key: str, tree_node: bool) -> bool:
    """Whether ``key`` of ``obj`` (not a name-keyed dictionary) goes: an action, a script, an
    attachment, or (outside the page tree) a link back into a page tree, which could otherwise
    carry another document's pages into this one."""
    value = obj.raw_get(key)
    resolved = value.get_object() if isinstance(value, IndirectObject) else value
    if pdf_active.is_active(key, resolved):
        return True
    return not tree_node and pdf_active.is_back_link(key, resolved)
