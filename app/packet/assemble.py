"""The streaming packet assembler: drawn pages and evidence pages into one A4 PDF.

Every output page is A4 portrait. Its content is one Form XObject made from the source page
(the source content bytes, unparsed, with the source resources), drawn with a placement matrix,
and optionally a second Form XObject from the overlay PDF (page numbers, heading band,
watermark) drawn on top.

The output is written as it is built: each page's objects go to the file as soon as the page is
done, and only one evidence PDF is held in memory at a time. The page tree, outline, links,
catalog, info and cross-reference table are written at the end. pypdf reads the sources and
serialises every object (``write_to_stream``); this module only renumbers the objects (each
source object is written once, under a new number) and keeps the byte offsets.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

from app.errors import AppError, BuildCancelled, OutputError, ProjectFileError
from app.packet.layout import A4, Box, Layout, Matrix, content_box, fit

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

# Keys never copied from a source object: actions, annotations, name trees (JavaScript,
# attachments) and links back into the source page tree.
_DROPPED_KEYS = frozenset(
    {"/AA", "/A", "/Annots", "/Names", "/JS", "/JavaScript", "/OpenAction", "/Parent", "/P"}
)
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
_BUFFER_SIZE = 1 << 20


def _fmt(value: float) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _matrix_text(matrix: Matrix) -> str:
    return " ".join(_fmt(v) for v in matrix)


def _serialise(obj: PdfObject) -> bytes:
    buf = io.BytesIO()
    obj.write_to_stream(buf)
    return buf.getvalue()


def _raw_stream_data(stream: StreamObject) -> bytes:
    # The stream's bytes exactly as stored (still encoded). pypdf keeps them in ``_data`` and
    # has no public accessor; its own clone/replicate copy ``_data`` the same way.
    data: bytes = stream._data
    return data


def _ref(number: int) -> IndirectObject:
    return IndirectObject(number, 0, None)


class _Writer:
    """Appends numbered objects to a binary file and remembers their offsets."""

    def __init__(self, fh: BinaryIO, path: Path) -> None:
        self._fh = fh
        self._path = path
        self.pos = 0
        self._offsets: list[int] = [0]  # index 0: the free-list head

    def alloc(self) -> int:
        self._offsets.append(-1)
        return len(self._offsets) - 1

    def write(self, data: bytes) -> None:
        try:
            self._fh.write(data)
        except OSError as exc:
            raise _output_error(self._path, exc) from exc
        self.pos += len(data)

    def _begin(self, number: int) -> None:
        if self._offsets[number] != -1:
            raise RuntimeError(f"object {number} written twice")
        self._offsets[number] = self.pos
        self.write(b"%d 0 obj\n" % number)

    def object(self, number: int, obj: PdfObject) -> None:
        self._begin(number)
        self.write(_serialise(obj))
        self.write(b"\nendobj\n")

    def stream(self, number: int, head: DictionaryObject, data: bytes) -> None:
        head[NameObject("/Length")] = NumberObject(len(data))
        self._begin(number)
        self.write(_serialise(head))
        self.write(b"\nstream\n")
        self.write(data)
        self.write(b"\nendstream\nendobj\n")

    def finish(self, root: int, info: int, file_id: bytes) -> None:
        missing = [n for n, off in enumerate(self._offsets) if n and off < 0]
        if missing:
            raise RuntimeError(f"objects allocated but never written: {missing[:5]}")
        xref_at = self.pos
        lines = [b"xref\n0 %d\n" % len(self._offsets), b"0000000000 65535 f\r\n"]
        lines.extend(b"%010d 00000 n\r\n" % off for off in self._offsets[1:])
        self.write(b"".join(lines))
        trailer = DictionaryObject(
            {
                NameObject("/Size"): NumberObject(len(self._offsets)),
                NameObject("/Root"): _ref(root),
                NameObject("/Info"): _ref(info),
                NameObject("/ID"): ArrayObject(
                    [ByteStringObject(file_id), ByteStringObject(file_id)]
                ),
            }
        )
        self.write(b"trailer\n" + _serialise(trailer) + b"\nstartxref\n%d\n%%%%EOF\n" % xref_at)


def _output_error(path: Path, exc: OSError) -> OutputError:
    if isinstance(exc, PermissionError):
        return OutputError(
            f"无法写入 {path}：没有写入权限或文件正被其他程序占用。请关闭打开该文件的程序"
            f"（如 PDF 阅读器）后重试，或另选输出文件夹。"
        )
    if isinstance(exc, FileNotFoundError):
        return OutputError(f"无法写入 {path}：输出文件夹不存在。请重新选择输出文件夹后重试。")
    return OutputError(
        f"无法写入 {path}：{exc.strerror or exc}。请检查磁盘空间和输出文件夹后重试。"
    )


@dataclass
class _Source:
    """One source PDF being copied from, with its object renumbering."""

    label: str  # Chinese description used in error messages
    reader: PdfReader
    numbers: dict[tuple[int, int], int]  # source (idnum, generation) -> output number
    forms: dict[int, tuple[int, float, float, float, float, int]]  # page -> form number, box, rot


@dataclass
class _SourceState:
    """What survives of a source between loads: its renumbering (objects already written)."""

    numbers: dict[tuple[int, int], int] = field(default_factory=dict)
    forms: dict[int, tuple[int, float, float, float, float, int]] = field(default_factory=dict)


class _Copier:
    """Copies source objects into the output, each once, under new numbers."""

    def __init__(self, out: _Writer) -> None:
        self._out = out
        self._pending: list[tuple[_Source, IndirectObject, int]] = []

    def copy(self, src: _Source, obj: PdfObject) -> PdfObject:
        """A direct copy of ``obj`` whose references point at output objects (written later by
        :meth:`flush`)."""
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            number = src.numbers.get(key)
            if number is None:
                number = self._out.alloc()
                src.numbers[key] = number
                self._pending.append((src, obj, number))
            return _ref(number)
        if isinstance(obj, DictionaryObject):
            if obj.get("/Type") in ("/Page", "/Pages", "/Catalog"):
                return NullObject()
            copied = DictionaryObject()
            for key, value in obj.items():
                if key in _DROPPED_KEYS or (key == "/Length" and isinstance(obj, StreamObject)):
                    continue
                copied[NameObject(key)] = self.copy(src, value)
            return copied
        if isinstance(obj, ArrayObject):
            return ArrayObject(self.copy(src, item) for item in obj)
        return obj

    def flush(self) -> None:
        """Write every source object referenced so far (and what they reference)."""
        while self._pending:
            src, ref, number = self._pending.pop()
            obj = src.reader.get_object(ref)
            if obj is None:
                self._out.object(number, NullObject())
            elif isinstance(obj, StreamObject):
                head = self.copy(src, obj)
                assert isinstance(head, DictionaryObject)
                self._out.stream(number, head, _raw_stream_data(obj))
            else:
                self._out.object(number, self.copy(src, obj))

    def form(self, src: _Source, page_index: int) -> tuple[int, float, float, float, float, int]:
        """The Form XObject of a source page: its number, its box and its /Rotate."""
        known = src.forms.get(page_index)
        if known is not None:
            return known
        page = src.reader.pages[page_index]
        box = page.cropbox
        x0, y0, x1, y1 = (float(v) for v in (box.left, box.bottom, box.right, box.top))
        head = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(FloatObject(v) for v in (x0, y0, x1, y1)),
            }
        )
        resources = page.raw_get("/Resources") if "/Resources" in page else None
        head[NameObject("/Resources")] = (
            self.copy(src, resources) if resources is not None else DictionaryObject()
        )
        if "/Group" in page:
            head[NameObject("/Group")] = self.copy(src, page.raw_get("/Group"))
        data = b""
        contents = page.raw_get("/Contents").get_object() if "/Contents" in page else None
        if isinstance(contents, StreamObject):
            data = _raw_stream_data(contents)
            for key in ("/Filter", "/DecodeParms"):
                if key in contents:
                    head[NameObject(key)] = self.copy(src, contents.raw_get(key))
        elif isinstance(contents, ArrayObject):
            parts = []
            for item in contents:
                part = item.get_object()
                if isinstance(part, StreamObject):
                    parts.append(part.get_data())
            data = zlib.compress(b"\n".join(parts), 6)
            head[NameObject("/Filter")] = NameObject("/FlateDecode")
        number = self._out.alloc()
        self._out.stream(number, head, data)
        self.flush()
        rotation = int(page.rotation) % 360
        result = (number, x0, y0, x1 - x0, y1 - y0, rotation)
        src.forms[page_index] = result
        return result


def _translate_first(matrix: Matrix, x0: float, y0: float) -> Matrix:
    """``matrix`` applied after moving ``(x0, y0)`` to the origin."""
    a, b, c, d, e, f = matrix
    return (a, b, c, d, e - x0 * a - y0 * c, f - x0 * b - y0 * d)


def _placed(form: tuple[int, float, float, float, float, int], box: Box, user: int) -> Matrix:
    _number, x0, y0, width, height, rotation = form
    placement = fit(width, height, box, (rotation + user) % 360)
    return _translate_first(placement.matrix, x0, y0)


def _open(data: bytes) -> PdfReader:
    reader = PdfReader(io.BytesIO(data), strict=False)
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
    evidence: Callable[[str], bytes],
    state: _SourceState,
    file_names: Mapping[str, str],
) -> _Source:
    name = file_names.get(file_id)
    label = f"“{name}”" if name else f"（编号 {file_id}）"
    data = evidence(file_id)
    with _reading(label, _evidence_fault):
        reader = _open(data)
    return _Source(label, reader, state.numbers, state.forms)


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
) -> None:
    """Write the packet to ``out_path`` (atomically: a temp file beside it, then a rename).

    ``pages`` lists the output pages in order; ``evidence(file_id)`` returns a stored evidence
    PDF. ``overlay_pdf``, if given, has one page per output page, drawn on top. ``progress``
    is called with ``(done, total, message)``; ``cancel()`` is checked between pages and a true
    result raises :class:`BuildCancelled`, leaving ``out_path`` untouched. ``file_names``
    (file id -> the name the user knows) makes error messages name the damaged file.

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
        raise _output_error(out_path, exc) from exc
    tmp_path = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb", buffering=_BUFFER_SIZE) as fh:
            _write_packet(
                _Writer(fh, out_path),
                pages,
                drawn,
                overlay,
                evidence,
                layout,
                outline,
                links,
                info,
                progress,
                cancel,
                file_names or {},
            )
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
            raise _output_error(out_path, exc) from exc


def _write_packet(
    out: _Writer,
    pages: Sequence[OutputPage],
    drawn: PdfReader,
    overlay: PdfReader | None,
    evidence: Callable[[str], bytes],
    layout: Layout,
    outline: Sequence[OutlineNode],
    links: Sequence[LinkArea],
    info: DocInfo,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
    file_names: Mapping[str, str],
) -> None:
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    catalog_num, pages_num, info_num = out.alloc(), out.alloc(), out.alloc()
    page_nums = [out.alloc() for _ in pages]
    copier = _Copier(out)
    drawn_src = _Source("封面、目录等页面", drawn, {}, {})
    overlay_src = _Source("页码叠加层", overlay, {}, {}) if overlay is not None else None
    states: dict[str, _SourceState] = {}
    current: _Source | None = None
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
                current = None  # let the previous evidence PDF go before loading the next
                state = states.setdefault(page.file_id, _SourceState())
                current = _load_evidence(page.file_id, evidence, state, file_names)
                current_id = page.file_id
            assert current is not None
            with _reading(current.label, _evidence_fault):
                if page.page_index >= len(current.reader.pages):
                    raise ProjectFileError(
                        f"项目文件中的证明材料 {current.label} 没有第 {page.page_index + 1} 页。"
                        f"请删除该文件后重新导入，再生成申报材料。"
                    )
                form = copier.form(current, page.page_index)
            box = content_box(layout, index + 1, page.band)
            matrix = _placed(form, box, page.user_rotation)
        xobjects = DictionaryObject({NameObject("/P0"): _ref(form[0])})
        ops = [f"q {_matrix_text(matrix)} cm /P0 Do Q\n"]
        if overlay_src is not None:
            with _reading(overlay_src.label, _internal_fault):
                over = copier.form(overlay_src, index)
            xobjects[NameObject("/O0")] = _ref(over[0])
            ops.append(f"q {_matrix_text(_placed(over, full_page, 0))} cm /O0 Do Q\n")
        content_num = out.alloc()
        out.stream(content_num, DictionaryObject(), "".join(ops).encode("ascii"))
        page_obj = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Page"),
                NameObject("/Parent"): _ref(pages_num),
                NameObject("/MediaBox"): ArrayObject(
                    [NumberObject(0), NumberObject(0), FloatObject(A4[0]), FloatObject(A4[1])]
                ),
                NameObject("/Resources"): DictionaryObject({NameObject("/XObject"): xobjects}),
                NameObject("/Contents"): _ref(content_num),
            }
        )
        page_links = links_by_page.get(index, [])
        if page_links:
            annots = ArrayObject()
            for link in page_links:
                annot_num = out.alloc()
                out.object(annot_num, _link_annotation(link, page_nums))
                annots.append(_ref(annot_num))
            page_obj[NameObject("/Annots")] = annots
        out.object(page_nums[index], page_obj)

    if progress is not None:
        progress(total, total, "正在写入书签和目录结构")
    out.object(
        pages_num,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Kids"): ArrayObject(_ref(n) for n in page_nums),
                NameObject("/Count"): NumberObject(total),
            }
        ),
    )
    catalog = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Catalog"),
            NameObject("/Pages"): _ref(pages_num),
            NameObject("/ViewerPreferences"): _viewer_preferences(info),
            NameObject("/Lang"): TextStringObject("zh-CN"),
        }
    )
    if outline:
        catalog[NameObject("/Outlines")] = _ref(_write_outline(out, outline, page_nums))
        catalog[NameObject("/PageMode")] = NameObject("/UseOutlines")
    out.object(catalog_num, catalog)
    now = _dt.datetime.now(_dt.UTC)
    out.object(info_num, _info_dict(info, now))
    file_id = hashlib.md5(
        f"{info.title}|{info.author}|{now.isoformat()}|{total}".encode(), usedforsecurity=False
    ).digest()
    out.finish(catalog_num, info_num, file_id)


def _destination(page_num: int) -> ArrayObject:
    return ArrayObject(
        [_ref(page_num), NameObject("/XYZ"), NullObject(), FloatObject(A4[1]), NullObject()]
    )


def _link_annotation(link: LinkArea, page_nums: Sequence[int]) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject(FloatObject(v) for v in link.rect),
            NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
            NameObject("/Dest"): _destination(page_nums[link.target_page]),
        }
    )


def _viewer_preferences(info: DocInfo) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/DisplayDocTitle"): BooleanObject(True),
            NameObject("/NumCopies"): NumberObject(info.copies),
            NameObject("/PrintScaling"): NameObject("/None"),
            NameObject("/Duplex"): NameObject("/DuplexFlipLongEdge" if info.duplex else "/Simplex"),
        }
    )


def _info_dict(info: DocInfo, now: _dt.datetime) -> DictionaryObject:
    stamp = TextStringObject(now.strftime("D:%Y%m%d%H%M%SZ"))
    result = DictionaryObject(
        {
            NameObject("/Title"): TextStringObject(info.title),
            NameObject("/Author"): TextStringObject(info.author),
            NameObject("/Creator"): TextStringObject(CREATOR),
            NameObject("/Producer"): TextStringObject(PRODUCER),
            NameObject("/CreationDate"): stamp,
            NameObject("/ModDate"): stamp,
        }
    )
    if info.subject:
        result[NameObject("/Subject")] = TextStringObject(info.subject)
    return result


def _write_outline(out: _Writer, outline: Sequence[OutlineNode], page_nums: Sequence[int]) -> int:
    """Write the outline tree (every entry open) and return the number of its root."""
    root = out.alloc()

    def visible(nodes: Sequence[OutlineNode]) -> int:
        return sum(1 + visible(node.children) for node in nodes)

    def write_level(nodes: Sequence[OutlineNode], parent: int) -> tuple[int, int]:
        numbers = [out.alloc() for _ in nodes]
        for i, node in enumerate(nodes):
            item = DictionaryObject(
                {
                    NameObject("/Title"): TextStringObject(node.title),
                    NameObject("/Parent"): _ref(parent),
                    NameObject("/Dest"): _destination(page_nums[node.page]),
                }
            )
            if i > 0:
                item[NameObject("/Prev")] = _ref(numbers[i - 1])
            if i + 1 < len(numbers):
                item[NameObject("/Next")] = _ref(numbers[i + 1])
            if node.children:
                first, last = write_level(node.children, numbers[i])
                item[NameObject("/First")] = _ref(first)
                item[NameObject("/Last")] = _ref(last)
                item[NameObject("/Count")] = NumberObject(visible(node.children))
            out.object(numbers[i], item)
        return numbers[0], numbers[-1]

    first, last = write_level(outline, root)
    out.object(
        root,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Outlines"),
                NameObject("/First"): _ref(first),
                NameObject("/Last"): _ref(last),
                NameObject("/Count"): NumberObject(visible(outline)),
            }
        ),
    )
    return root
