"""The streaming packet assembler: drawn pages and evidence pages into one A4 PDF.

Every output page is A4 portrait. Its content is one Form XObject made from the source page
(the source content bytes, unparsed, with the source resources), drawn with a placement matrix,
and optionally a second Form XObject from the overlay PDF (page numbers, heading band,
watermark) drawn on top.

The output is written as it is built: each page's objects go to the file as soon as the page is
done, and only one evidence PDF is held in memory at a time. The page tree, outline, links,
catalog, info and cross-reference table are written at the end. pypdf reads the sources and
serialises every object (``write_to_stream``); the object writer in ``app.packet.pdf_writer``
only renumbers the objects (each source object is written once, under a new number) and keeps
the byte offsets.

Source objects are copied without ``/AA``, ``/Annots``, ``/Names``, JavaScript or page-tree
links, so the output carries no actions, attachments or scripts from the sources.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import io
import os
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    FloatObject,
    NullObject,
    NumberObject,
    TextStringObject,
)

from app.packet.jpeg_form import JpegSource, jpeg_form, jpeg_source
from app.packet.layout import A4, Box, Layout, Matrix, content_box, fit
from app.packet.pdf_writer import (
    TRIM_EVERY,
    Copier,
    Digest,
    Source,
    SourceState,
    Writer,
    indirect_ref,
    matrix_text,
    name,
    output_error,
)
from app.system.ahead import ahead
from app.system.errors import AppError, BuildCancelled, OutputError, ProjectFileError

CREATOR = "申报材料助手"
PRODUCER = "申报材料助手 (pypdf)"


@dataclass(frozen=True)
class EvidencePage:
    """Page ``page_index`` (0-based) of stored evidence file ``file_id``, fitted into the content
    box; ``band`` leaves room for the heading band (first page of a document)."""

    file_id: str
    page_index: int
    user_rotation: int = 0  # clockwise, 0/90/180/270
    band: bool = False


@dataclass(frozen=True)
class DrawnPage:
    """Page ``index`` (0-based) of the drawn PDF (cover, 目录, forms, tables), copied as is."""

    index: int


OutputPage = EvidencePage | DrawnPage


@dataclass(frozen=True)
class OutlineNode:
    """A bookmark; ``page`` is the 0-based output page it opens."""

    title: str
    page: int
    children: tuple[OutlineNode, ...] = ()


@dataclass(frozen=True)
class LinkArea:
    """A clickable area (a 目录 row) on output page ``page`` going to ``target_page`` (both
    0-based); ``rect`` is ``(x0, y0, x1, y1)`` in points."""

    page: int
    rect: tuple[float, float, float, float]
    target_page: int


@dataclass(frozen=True)
class DocInfo:
    """Document information and print preferences of the packet."""

    title: str
    author: str
    subject: str = ""
    copies: int = 2
    duplex: bool = False


ProgressFn = Callable[[int, int, str], None]
CancelFn = Callable[[], bool]

_READ_ERRORS: tuple[type[BaseException], ...] = (
    PyPdfError,
    DependencyError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    RecursionError,
    UnicodeError,
    zlib.error,
)
_REPLACE_ATTEMPTS = 5
_BUFFER_SIZE = 128 << 10  # smaller than a scan: its bytes go to the file without a copy
_READ_AHEAD = 8 << 20  # how far the reading of stored PDFs may run ahead (bytes)


def _translate_first(matrix: Matrix, x0: float, y0: float) -> Matrix:
    """``matrix`` applied after moving ``(x0, y0)`` to the origin."""
    a, b, c, d, e, f = matrix
    return (a, b, c, d, e - x0 * a - y0 * c, f - x0 * b - y0 * d)


def _placed(form: tuple[int, float, float, float, float, int], box: Box, user: int) -> Matrix:
    _number, x0, y0, width, height, rotation = form
    placement = fit(width, height, box, (rotation + user) % 360)
    return _translate_first(placement.matrix, x0, y0)


class _Unshared(io.BytesIO):
    """A ``BytesIO`` over ``bytes`` without ``getbuffer``.

    A ``BytesIO`` made from ``bytes`` reads them in place until ``getbuffer`` is called, which
    copies them all; pypdf calls it (when there is one) just to learn the size. Without it pypdf
    seeks to the end instead, and a 1 GB packet costs 1 GB less copying."""

    @property
    def getbuffer(self) -> Callable[[], memoryview]:
        raise AttributeError("getbuffer")


def _open(data: bytes) -> PdfReader:
    reader = PdfReader(_Unshared(data), strict=False)
    if reader.is_encrypted:
        reader.decrypt("")
    return reader


@contextlib.contextmanager
def _reading(label: str, fault: Callable[[str], AppError]) -> Iterator[None]:
    """Map what a library raises on a damaged source to an ``AppError`` (the one place)."""
    try:
        yield
    except AppError:
        raise
    except _READ_ERRORS as exc:
        raise fault(label) from exc


def _evidence_fault(label: str) -> AppError:
    return ProjectFileError(
        f"项目文件中的证明材料 {label} 已损坏，无法读取。请删除该文件后重新导入，再生成申报材料。"
    )


def _internal_fault(label: str) -> AppError:
    return OutputError(
        f"内部生成的{label}无法读取，申报材料未生成。请重试；如仍失败，请联系开发者并提供项目文件。"
    )


def _load_evidence(
    file_id: str,
    data: bytes,
    state: SourceState,
    file_names: Mapping[str, str],
) -> Source | JpegSource:
    """The stored PDF ``data``: one JPEG page as the import writes it (placed as it is), or
    any other PDF, read with pypdf."""
    known = file_names.get(file_id)
    label = f"“{known}”" if known else f"（编号 {file_id}）"
    own = jpeg_source(label, data, state.forms)
    if own is not None:
        return own
    with _reading(label, _evidence_fault):
        reader = _open(data)
    return Source(label, reader, state.numbers, state.forms)


def _loads(pages: Sequence[OutputPage]) -> Iterator[str]:
    """The evidence files in the order :func:`_write_packet` loads them: each time an evidence
    page's file differs from the previous evidence page's (a file may come again later)."""
    last: str | None = None
    for page in pages:
        if isinstance(page, EvidencePage) and page.file_id != last:
            last = page.file_id
            yield last


def _check_plan(
    pages: Sequence[OutputPage],
    drawn_count: int,
    overlay_count: int | None,
    outline: Sequence[OutlineNode],
    links: Sequence[LinkArea],
    info: DocInfo,
) -> None:
    total = len(pages)
    if total == 0:
        raise ValueError("a packet needs at least one page")
    for page in pages:
        if isinstance(page, DrawnPage) and not 0 <= page.index < drawn_count:
            raise ValueError(f"drawn page {page.index} out of range (drawn PDF has {drawn_count})")
        if isinstance(page, EvidencePage) and (page.user_rotation % 90 or page.page_index < 0):
            raise ValueError(f"bad evidence page {page}")
    if overlay_count is not None and overlay_count != total:
        raise ValueError(f"overlay has {overlay_count} pages, packet has {total}")
    stack = list(outline)
    while stack:
        node = stack.pop()
        if not 0 <= node.page < total:
            raise ValueError(f"outline entry {node.title!r} points at page {node.page}")
        stack.extend(node.children)
    for link in links:
        if not (0 <= link.page < total and 0 <= link.target_page < total):
            raise ValueError(f"link {link} out of range")
    if info.copies < 1:
        raise ValueError("copies must be at least 1")


def assemble(
    out_path: Path,
    pages: Sequence[OutputPage],
    drawn_pdf: bytes,
    overlay_pdf: bytes | None,
    evidence: Callable[[str], bytes],
    layout: Layout,
    outline: Sequence[OutlineNode] = (),
    links: Sequence[LinkArea] = (),
    *,
    info: DocInfo,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    file_names: Mapping[str, str] | None = None,
    digest: Digest | None = None,
    keep_cached: bool = False,
) -> None:
    """Write the packet to ``out_path`` (atomically: a temp file beside it, then a rename).

    ``pages`` lists the output pages in order; ``evidence(file_id)`` returns a stored evidence
    PDF. ``overlay_pdf``, if given, has one page per output page, drawn on top. ``progress``
    is called with ``(done, total, message)``; ``cancel()`` is checked between pages and a true
    result raises :class:`BuildCancelled`, leaving ``out_path`` untouched. ``file_names``
    (file id -> the name the user knows) makes error messages name the damaged file.
    ``digest`` (a ``hashlib`` object) is fed every byte of the file as it is written.
    ``keep_cached``: the caller reads the file again at once (the online folder cuts it up), so
    the writer leaves it in the page cache instead of trimming it behind itself.

    Raises ``ValueError`` for an inconsistent plan (a caller's bug), ``ProjectFileError`` for a
    damaged evidence file and ``OutputError`` when the file cannot be written.
    """
    out_path = Path(out_path)
    with _reading("封面、目录等页面", _internal_fault):
        drawn = _open(drawn_pdf)
        overlay = _open(overlay_pdf) if overlay_pdf is not None else None
        drawn_count = len(drawn.pages)
        overlay_count = len(overlay.pages) if overlay is not None else None
    _check_plan(pages, drawn_count, overlay_count, outline, links, info)
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{out_path.stem}.", suffix=".tmp", dir=out_path.parent
        )
    except OSError as exc:
        raise output_error(out_path, exc) from exc
    tmp_path = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb", buffering=_BUFFER_SIZE) as fh:
            writer = Writer(fh, out_path, digest, 0 if keep_cached else TRIM_EVERY)
            # The stored PDFs are read (and checked against their SHA-256) a few files ahead,
            # on a thread of their own: reading and hashing let go of Python's lock, so they
            # overlap the copying on another core. A failure comes in its place.
            loads = ahead(_loads(pages), evidence, len, _READ_AHEAD, name="packet-reader")
            try:
                _write_packet(
                    writer,
                    pages,
                    drawn,
                    overlay,
                    loads,
                    layout,
                    outline,
                    links,
                    info,
                    progress,
                    cancel,
                    file_names or {},
                )
            finally:
                loads.close()
                writer.abandon()  # nothing left to drop after finish(): stops its thread
        _replace(tmp_path, out_path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def _replace(tmp_path: Path, out_path: Path) -> None:
    for attempt in range(_REPLACE_ATTEMPTS):
        try:
            os.replace(tmp_path, out_path)
            return
        except PermissionError as exc:  # Windows: the file is open in a viewer
            if attempt == _REPLACE_ATTEMPTS - 1:
                raise OutputError(
                    f"无法替换 {out_path}：文件正被占用，请关闭后重试（或另存为其他文件名）。"
                ) from exc
            time.sleep(0.2 * (attempt + 1))
        except OSError as exc:
            raise output_error(out_path, exc) from exc


def _write_packet(
    out: Writer,
    pages: Sequence[OutputPage],
    drawn: PdfReader,
    overlay: PdfReader | None,
    loads: Iterator[bytes],
    layout: Layout,
    outline: Sequence[OutlineNode],
    links: Sequence[LinkArea],
    info: DocInfo,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
    file_names: Mapping[str, str],
) -> None:
    """``loads``: the stored PDFs in the order the pages load them (see :func:`_loads`)."""
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    catalog_num, pages_num, info_num = out.alloc(), out.alloc(), out.alloc()
    page_nums = [out.alloc() for _ in pages]
    copier = Copier(out)
    drawn_src = Source("封面、目录等页面", drawn, {}, {})
    overlay_src = Source("页码叠加层", overlay, {}, {}) if overlay is not None else None
    states: dict[str, SourceState] = {}
    current: Source | JpegSource | None = None
    current_id: str | None = None
    links_by_page: dict[int, list[LinkArea]] = {}
    for link in links:
        links_by_page.setdefault(link.page, []).append(link)
    full_page = Box(0.0, 0.0, A4[0], A4[1])
    total = len(pages)

    for index, page in enumerate(pages):
        if cancel is not None and cancel():
            raise BuildCancelled()
        if progress is not None:
            progress(index, total, f"正在合成第 {index + 1} 页")
        if isinstance(page, DrawnPage):
            with _reading(drawn_src.label, _internal_fault):
                form = copier.form(drawn_src, page.index)
            matrix = _placed(form, full_page, 0)
        else:
            if page.file_id != current_id:
                _let_go(current)
                current = None  # let the previous evidence PDF go before loading the next
                state = states.setdefault(page.file_id, SourceState())
                current = _load_evidence(page.file_id, next(loads), state, file_names)
                current_id = page.file_id
            assert current is not None
            with _reading(current.label, _evidence_fault):
                count = 1 if isinstance(current, JpegSource) else len(current.reader.pages)
                if page.page_index >= count:
                    raise ProjectFileError(
                        f"项目文件中的证明材料 {current.label} 没有第 {page.page_index + 1} 页。"
                        f"请删除该文件后重新导入，再生成申报材料。"
                    )
                if isinstance(current, JpegSource):
                    form = jpeg_form(out, current)
                else:
                    form = copier.form(current, page.page_index)
            box = content_box(layout, index + 1, page.band)
            matrix = _placed(form, box, page.user_rotation)
        xobjects = DictionaryObject({name("/P0"): indirect_ref(form[0])})
        ops = [f"q {matrix_text(matrix)} cm /P0 Do Q\n"]
        if overlay_src is not None:
            with _reading(overlay_src.label, _internal_fault):
                over = copier.form(overlay_src, index)
            xobjects[name("/O0")] = indirect_ref(over[0])
            ops.append(f"q {matrix_text(_placed(over, full_page, 0))} cm /O0 Do Q\n")
        content_num = out.alloc()
        out.stream(content_num, DictionaryObject(), "".join(ops).encode("ascii"))
        page_obj = DictionaryObject(
            {
                name("/Type"): name("/Page"),
                name("/Parent"): indirect_ref(pages_num),
                name("/MediaBox"): ArrayObject(
                    [NumberObject(0), NumberObject(0), FloatObject(A4[0]), FloatObject(A4[1])]
                ),
                name("/Resources"): DictionaryObject({name("/XObject"): xobjects}),
                name("/Contents"): indirect_ref(content_num),
            }
        )
        page_links = links_by_page.get(index, [])
        if page_links:
            annots = ArrayObject()
            for link in page_links:
                annot_num = out.alloc()
                out.object(annot_num, _link_annotation(link, page_nums))
                annots.append(indirect_ref(annot_num))
            page_obj[name("/Annots")] = annots
        out.object(page_nums[index], page_obj)

    if progress is not None:
        progress(total, total, "正在写入书签和目录结构")
    out.object(
        pages_num,
        DictionaryObject(
            {
                name("/Type"): name("/Pages"),
                name("/Kids"): ArrayObject(indirect_ref(n) for n in page_nums),
                name("/Count"): NumberObject(total),
            }
        ),
    )
    catalog = DictionaryObject(
        {
            name("/Type"): name("/Catalog"),
            name("/Pages"): indirect_ref(pages_num),
            name("/ViewerPreferences"): _viewer_preferences(info),
            name("/Lang"): TextStringObject("zh-CN"),
        }
    )
    if outline:
        catalog[name("/Outlines")] = indirect_ref(_write_outline(out, outline, page_nums))
        catalog[name("/PageMode")] = name("/UseOutlines")
    out.object(catalog_num, catalog)
    now = _dt.datetime.now(_dt.UTC)
    out.object(info_num, _info_dict(info, now))
    file_id = hashlib.md5(
        f"{info.title}|{info.author}|{now.isoformat()}|{total}".encode(), usedforsecurity=False
    ).digest()
    out.finish(catalog_num, info_num, file_id)
    for done in (current, drawn_src, overlay_src):
        _let_go(done)


def _let_go(src: Source | JpegSource | None) -> None:
    """Break the reference cycles of a source's reader once its pages are copied.

    pypdf's reader keeps every object it parsed (``resolved_objects``), its flattened pages, its
    trailer and root, and each of those points back at the reader: a cycle that only Python's
    cycle collector frees. A 300-page packet left ~45,000 such objects behind, and the next full collection
    (85-110 ms holding Python's lock, in whichever thread it lands) stalled the window. With
    the reader's own references dropped, reference counting frees them as soon as the reader
    goes."""
    if not isinstance(src, Source):
        return  # nothing to let go of (a JPEG page holds no reader)
    # Everything the reader holds (parsed objects, pages, trailer, root) goes: it is not read
    # again, and what still points at it no longer makes a cycle.
    vars(src.reader).clear()


def _destination(page_num: int) -> ArrayObject:
    return ArrayObject(
        [indirect_ref(page_num), name("/XYZ"), NullObject(), FloatObject(A4[1]), NullObject()]
    )


def _link_annotation(link: LinkArea, page_nums: Sequence[int]) -> DictionaryObject:
    return DictionaryObject(
        {
            name("/Type"): name("/Annot"),
            name("/Subtype"): name("/Link"),
            name("/Rect"): ArrayObject(FloatObject(v) for v in link.rect),
            name("/Border"): ArrayObject([NumberObject(0)] * 3),
            name("/Dest"): _destination(page_nums[link.target_page]),
        }
    )


def _viewer_preferences(info: DocInfo) -> DictionaryObject:
    return DictionaryObject(
        {
            name("/DisplayDocTitle"): BooleanObject(True),
            name("/NumCopies"): NumberObject(info.copies),
            name("/PrintScaling"): name("/None"),
            name("/Duplex"): name("/DuplexFlipLongEdge" if info.duplex else "/Simplex"),
        }
    )


def _info_dict(info: DocInfo, now: _dt.datetime) -> DictionaryObject:
    stamp = TextStringObject(now.strftime("D:%Y%m%d%H%M%SZ"))
    result = DictionaryObject(
        {
            name("/Title"): TextStringObject(info.title),
            name("/Author"): TextStringObject(info.author),
            name("/Creator"): TextStringObject(CREATOR),
            name("/Producer"): TextStringObject(PRODUCER),
            name("/CreationDate"): stamp,
            name("/ModDate"): stamp,
        }
    )
    if info.subject:
        result[name("/Subject")] = TextStringObject(info.subject)
    return result


def _write_outline(out: Writer, outline: Sequence[OutlineNode], page_nums: Sequence[int]) -> int:
    """Write the outline tree (every entry open) and return the number of its root."""
    root = out.alloc()

    def visible(nodes: Sequence[OutlineNode]) -> int:
        return sum(1 + visible(node.children) for node in nodes)

    def write_level(nodes: Sequence[OutlineNode], parent: int) -> tuple[int, int]:
        numbers = [out.alloc() for _ in nodes]
        for i, node in enumerate(nodes):
            item = DictionaryObject(
                {
                    name("/Title"): TextStringObject(node.title),
                    name("/Parent"): indirect_ref(parent),
                    name("/Dest"): _destination(page_nums[node.page]),
                }
            )
            if i > 0:
                item[name("/Prev")] = indirect_ref(numbers[i - 1])
            if i + 1 < len(numbers):
                item[name("/Next")] = indirect_ref(numbers[i + 1])
            if node.children:
                first, last = write_level(node.children, numbers[i])
                item[name("/First")] = indirect_ref(first)
                item[name("/Last")] = indirect_ref(last)
                item[name("/Count")] = NumberObject(visible(node.children))
            out.object(numbers[i], item)
        return numbers[0], numbers[-1]

    first, last = write_level(outline, root)
    out.object(
        root,
        DictionaryObject(
            {
                name("/Type"): name("/Outlines"),
                name("/First"): indirect_ref(first),
                name("/Last"): indirect_ref(last),
                name("/Count"): NumberObject(visible(outline)),
            }
        ),
    )
    return root
